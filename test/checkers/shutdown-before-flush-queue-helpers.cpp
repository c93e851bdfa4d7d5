// RUN: %check_drain -std=c++17 %s drain-shutdown-before-flush %t

// An output queue torn down through a helper of the class. Astron's NetworkClient queues
// datagrams and adds their sizes to m_total_queue_size; flush_send_queue() copies them into
// one buffer, lowers the total by each (`m_total_queue_size -= dg->size()`), clears the queue
// and writes the buffer to the socket. Its private shutdown() lets go of the socket
// (`m_socket = nullptr`, as `m_socket.reset()` would). A local disconnect() called shutdown()
// at once, so the datagram saying why the client was dropped never left; the fix shuts down
// only once nothing is queued or in flight, and otherwise lets the write's completion do it.
// The teardown is reported at the call that consulted nothing, not inside the helper its
// guarded callers share. A handler of the peer's disconnect, and the news of it handed on
// (`m_handler->receive_disconnect(...)`), end nothing that could still be sent.

#include <cstddef>
#include <cstring>
#include <list>
#include <memory>
#include <string>

namespace uvw {
struct TcpHandle {
  void write(char *data, unsigned int len);
  void close() noexcept;
};
struct AsyncHandle {
  void send();
};
struct TimerHandle {
  void stop();
};
} // namespace uvw

struct Datagram {
  std::string bytes;
  std::size_t size() const { return bytes.size(); }
  const char *get_data() const { return bytes.data(); }
};
using DatagramHandle = std::shared_ptr<Datagram>;

struct NetworkHandler {
  virtual ~NetworkHandler() = default;
  virtual void receive_disconnect(int ec) = 0;
};

// positives

// Astron before its fix.
class NetworkClient {
public:
  void send_datagram(DatagramHandle dg) {
    m_send_queue.push_back(dg);
    m_total_queue_size += dg->size();
    flush_send_queue();
  }
  void disconnect(int ec) {
    m_disconnect_error = ec;
    shutdown();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the record is ended by 'shutdown' while its output in 'm_send_queue' may not have been sent [drain-shutdown-before-flush]
  }
  // The peer went away: nothing queued can reach it, and the handler is only told.
  void handle_disconnect(int ec) {
    shutdown();
    m_handler->receive_disconnect(ec);
  }
  void send_finished() {
    m_is_sending = false;
    delete[] m_send_buf;
    m_send_buf = nullptr;
    flush_send_queue();
  }

private:
  void shutdown() {
    m_shutdown_handle->send();
    m_socket = nullptr;
    m_async_timer = nullptr;
  }
  void flush_send_queue() {
    if (m_is_sending || !m_send_queue.size())
      return;
    std::size_t buffer_size = 0;
    for (auto dg : m_send_queue)
      buffer_size += dg->size();
    m_send_buf = new char[buffer_size];
    char *send_ptr = &m_send_buf[0];
    for (auto dg : m_send_queue) {
      std::memcpy(send_ptr, dg->get_data(), dg->size());
      send_ptr += dg->size();
      m_total_queue_size -= dg->size();
    }
    m_send_queue.clear();
    m_is_sending = true;
    m_socket->write(m_send_buf, (unsigned)buffer_size);
  }
  NetworkHandler *m_handler = nullptr;
  std::shared_ptr<uvw::TcpHandle> m_socket;
  std::shared_ptr<uvw::TimerHandle> m_async_timer;
  std::shared_ptr<uvw::AsyncHandle> m_shutdown_handle;
  std::list<DatagramHandle> m_send_queue;
  unsigned long m_total_queue_size = 0;
  char *m_send_buf = nullptr;
  bool m_is_sending = false;
  int m_disconnect_error = 0;
};

// A C-style helper handed the record: the caller that consulted nothing is reported.
struct Conn {
  int sock = -1;
  std::list<std::string> out_queue;
};

void conn_post(Conn *c, const std::string &m) { c->out_queue.push_back(m); }

void conn_pump(Conn *c) {
  while (!c->out_queue.empty()) {
    extern long sock_send(int, const std::string &);
    if (sock_send(c->sock, c->out_queue.front()) < 0)
      return;
    c->out_queue.pop_front();
  }
}

void conn_shut(Conn *c) {
  extern void sock_close(int);
  sock_close(c->sock);
}

void conn_quit(Conn *c) {
  conn_post(c, "bye");
  conn_shut(c);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the record is ended by 'conn_shut' while its output in 'out_queue' may not have been sent [drain-shutdown-before-flush]
}

// negatives

// Astron after its fix: shut down once nothing is queued or in flight (the total the drain
// lowers says so); otherwise the write's completion shuts down when the queue is empty.
class NetworkClientFixed {
public:
  void send_datagram(DatagramHandle dg) {
    m_send_queue.push_back(dg);
    m_total_queue_size += dg->size();
    flush_send_queue();
  }
  void disconnect(int ec) {
    m_local_disconnect = true;
    m_disconnect_error = ec;
    if (!m_is_sending && m_total_queue_size == 0)
      shutdown();
    else
      flush_send_queue();
  }
  void on_disconnect(int ec) {
    shutdown();
    m_handler->receive_disconnect(ec);
  }
  void send_finished() {
    m_is_sending = false;
    delete[] m_send_buf;
    m_send_buf = nullptr;
    if (m_local_disconnect && m_total_queue_size <= 0) {
      shutdown();
      return;
    }
    flush_send_queue();
  }
  ~NetworkClientFixed() { shutdown(); }

private:
  void shutdown() {
    m_shutdown_handle->send();
    m_socket = nullptr;
  }
  void flush_send_queue() {
    if (m_is_sending || !m_send_queue.size())
      return;
    std::size_t buffer_size = 0;
    for (auto dg : m_send_queue)
      buffer_size += dg->size();
    m_send_buf = new char[buffer_size];
    char *send_ptr = &m_send_buf[0];
    for (auto dg : m_send_queue) {
      std::memcpy(send_ptr, dg->get_data(), dg->size());
      send_ptr += dg->size();
      m_total_queue_size -= dg->size();
    }
    m_send_queue.clear();
    m_is_sending = true;
    m_socket->write(m_send_buf, (unsigned)buffer_size);
  }
  NetworkHandler *m_handler = nullptr;
  std::shared_ptr<uvw::TcpHandle> m_socket;
  std::shared_ptr<uvw::AsyncHandle> m_shutdown_handle;
  std::list<DatagramHandle> m_send_queue;
  unsigned long m_total_queue_size = 0;
  char *m_send_buf = nullptr;
  bool m_is_sending = false, m_local_disconnect = false;
  int m_disconnect_error = 0;
};

// A raw pointer set to null only forgets the socket; a timer let go of is no channel.
class Forgetful {
public:
  void enqueue(const std::string &m) { m_out_queue.push_back(m); }
  void pump() {
    while (!m_out_queue.empty() && m_socket) {
      m_socket->write(&m_out_queue.front()[0], (unsigned)m_out_queue.front().size());
      m_out_queue.pop_front();
    }
  }
  void detach() { m_socket = nullptr; }
  void stop_timer() { m_timer = nullptr; }

private:
  uvw::TcpHandle *m_socket = nullptr;
  std::shared_ptr<uvw::TimerHandle> m_timer;
  std::list<std::string> m_out_queue;
};

// The helper's callers pump the queue first: nothing to report, in them or in the helper.
void conn_leave(Conn *c) {
  conn_pump(c);
  conn_shut(c);
}

void conn_leave_if_drained(Conn *c) {
  if (c->out_queue.empty())
    conn_shut(c);
}

// A helper that pumps before it closes answers for itself.
void conn_shut_pumped(Conn *c) {
  conn_pump(c);
  extern void sock_close(int);
  sock_close(c->sock);
}

void conn_bye(Conn *c) {
  conn_post(c, "bye");
  conn_shut_pumped(c);
}
