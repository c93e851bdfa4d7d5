// Output that waits in a member queue (a std::deque of packets, a std::string of bytes) or in
// a buffer record held through a smart pointer, and a connection closed, shut down or
// disconnected while it may still hold some. OpenRCT2 queued the auth reply on the
// connection's deque (written out once per tick) and disconnected the socket on the next line,
// so the client never learnt why; Astron's disconnect() closed the handle with datagrams still
// in its send queue. The twins disconnect at the end of the tick after the queue was sent,
// close once the queue and its byte total are empty, clear the queue on purpose, close on an
// error, or hold a queue that is input, not output.
// RUN: %check_drain -std=c++17 %s drain-shutdown-before-flush %t

#include <cstddef>
#include <cstring>
#include <deque>
#include <memory>
#include <queue>
#include <string>
#include <system_error>
#include <vector>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

struct NetworkPacket {
  std::vector<unsigned char> Data;
  std::size_t BytesTransferred = 0;
};

struct ITcpSocket {
  virtual ~ITcpSocket() = default;
  virtual std::size_t SendData(const void *buffer, std::size_t size) = 0;
  virtual void Disconnect() = 0;
};

struct NetworkConnection {
  std::unique_ptr<ITcpSocket> Socket;
  bool ShouldDisconnect = false;
  std::deque<NetworkPacket> OutPackets;

  void QueuePacket(NetworkPacket &&p) { OutPackets.push_back(std::move(p)); }
  bool SendPacket(NetworkPacket &p) {
    std::size_t sent = Socket->SendData(p.Data.data() + p.BytesTransferred,
                                        p.Data.size() - p.BytesTransferred);
    p.BytesTransferred += sent;
    return p.BytesTransferred == p.Data.size();
  }
  void SendQueuedPackets() {
    while (!OutPackets.empty() && SendPacket(OutPackets.front()))
      OutPackets.pop_front();
  }
};

namespace uvw {
struct TCPHandle {
  void write(char *data, unsigned int len);
  void close() noexcept;
};
} // namespace uvw

// positives

// OpenRCT2 before its fix: the reply is queued, then the socket is disconnected at once.
void Server_Send_AUTH(NetworkConnection &connection, bool ok) {
  NetworkPacket packet;
  packet.Data = {1, 2, 3};
  connection.QueuePacket(std::move(packet));
  if (!ok)
    connection.Socket->Disconnect();
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: the record is ended by 'Disconnect' while its output in 'OutPackets' may not have been sent [drain-shutdown-before-flush]
}

// Astron before its fix: a local disconnect closes the handle under the queued datagrams.
class NetworkClient {
public:
  void send_datagram(const std::string &dg) {
    m_send_queue.push_back(dg);
    m_total_queue_size += dg.size();
    flush_send_queue();
  }
  void disconnect() {
    m_local_disconnect = true;
    shutdown();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the record is ended by 'shutdown' while its output in 'm_send_queue' may not have been sent [drain-shutdown-before-flush]
  }
  void send_finished() {
    m_is_sending = false;
    flush_send_queue();
  }

private:
  // Reported at the caller that consulted nothing (disconnect above).
  void shutdown() { m_socket->close(); }
  void flush_send_queue() {
    if (m_is_sending || m_send_queue.empty())
      return;
    m_buf.clear();
    for (auto &dg : m_send_queue)
      m_buf += dg;
    m_send_queue.clear();
    m_total_queue_size = 0;
    m_is_sending = true;
    m_socket->write(&m_buf[0], (unsigned)m_buf.size());
  }
  uvw::TCPHandle *m_socket = nullptr;
  std::deque<std::string> m_send_queue;
  std::size_t m_total_queue_size = 0;
  std::string m_buf;
  bool m_is_sending = false, m_local_disconnect = false;
};

// Bytes waiting in a std::string, sent as the socket allows and erased once sent.
class Session {
public:
  void reply(const std::string &s) { out_bytes_ += s; }
  void on_writable() {
    ssize_t n = ::send(fd_, out_bytes_.data(), out_bytes_.size(), 0);
    if (n > 0)
      out_bytes_.erase(0, static_cast<std::size_t>(n));
  }
  void finish() { ::close(fd_); }
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: the connection is closed while its write buffer 'out_bytes_' may still hold data [drain-shutdown-before-flush]

private:
  int fd_ = -1;
  std::string out_bytes_;
};

// A buffer record one level down, owned through a smart pointer.
struct WriteBuf {
  char data[4096];
  std::size_t len = 0;
};

class Peer {
public:
  void append(const char *p, std::size_t n) {
    std::memcpy(wb_->data + wb_->len, p, n);
    wb_->len += n;
  }
  bool flush() {
    ssize_t n = ::send(sock_, wb_->data, wb_->len, 0);
    if (n < 0 || static_cast<std::size_t>(n) != wb_->len)
      return false;
    wb_->len = 0;
    return true;
  }
  void hang_up() { ::close(sock_); }
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: the record is ended by 'close' while its output in 'wb_' may not have been sent [drain-shutdown-before-flush]

private:
  int sock_ = -1;
  std::unique_ptr<WriteBuf> wb_;
};

// A std::queue of messages on a plain struct, pumped to its socket object.
struct Sock {
  long send(const std::string &m);
  void shutdown();
};

struct Link {
  Sock socket;
  std::queue<std::string> outq;
};

void link_post(Link *link, std::string m) { link->outq.push(std::move(m)); }

void link_pump(Link *link) {
  while (!link->outq.empty()) {
    if (link->socket.send(link->outq.front()) < 0)
      return;
    link->outq.pop();
  }
}

void link_close(Link *link) { link->socket.shutdown(); }
// CHECK-MESSAGES: :[[@LINE-1]]:44: warning: the record is ended by 'shutdown' while its output in 'outq' may not have been sent [drain-shutdown-before-flush]

// negatives

// The queue pumped before the shutdown.
void link_close_pumped(Link *link) {
  link_pump(link);
  link->socket.shutdown();
}

// A list of peers written to, not a queue of output: dropping a peer that failed sends
// nothing late.
class Hub {
public:
  void add(int fd) { peers_.push_back(fd); }
  void broadcast(const std::string &m) {
    for (auto it = peers_.begin(); it != peers_.end();) {
      if (::send(*it, m.data(), m.size(), 0) < 0)
        it = peers_.erase(it);
      else
        ++it;
    }
  }
  void stop() { ::close(listen_fd_); }

private:
  int listen_fd_ = -1;
  std::vector<int> peers_;
};

// OpenRCT2 after its fix: the connection is marked, and the tick sends the queue before it
// disconnects.
void Server_Send_AUTH_fixed(NetworkConnection &connection, bool ok) {
  NetworkPacket packet;
  packet.Data = {1, 2, 3};
  connection.QueuePacket(std::move(packet));
  if (!ok)
    connection.ShouldDisconnect = true;
}

void Server_Tick(NetworkConnection &connection) {
  connection.SendQueuedPackets();
  if (connection.ShouldDisconnect)
    connection.Socket->Disconnect();
}

// Astron after its fix: shut down only once nothing is queued or in flight; otherwise the
// write's completion does it.
class NetworkClientFixed {
public:
  void send_datagram(const std::string &dg) {
    m_send_queue.push_back(dg);
    m_total_queue_size += dg.size();
    flush_send_queue();
  }
  void disconnect() {
    m_local_disconnect = true;
    if (!m_is_sending && m_total_queue_size == 0)
      shutdown();
    else
      flush_send_queue();
  }
  void send_finished() {
    m_is_sending = false;
    if (m_local_disconnect && m_total_queue_size == 0) {
      shutdown();
      return;
    }
    flush_send_queue();
  }
  // The peer went away: what is queued has nowhere to go.
  void on_error(std::error_code ec) {
    if (ec)
      m_socket->close();
  }
  ~NetworkClientFixed() { shutdown(); }

private:
  void shutdown() { m_socket->close(); }
  void flush_send_queue() {
    if (m_is_sending || m_send_queue.empty())
      return;
    m_buf.clear();
    for (auto &dg : m_send_queue)
      m_buf += dg;
    m_send_queue.clear();
    m_total_queue_size = 0;
    m_is_sending = true;
    m_socket->write(&m_buf[0], (unsigned)m_buf.size());
  }
  uvw::TCPHandle *m_socket = nullptr;
  std::deque<std::string> m_send_queue;
  std::size_t m_total_queue_size = 0;
  std::string m_buf;
  bool m_is_sending = false, m_local_disconnect = false;
};

// Closed once what is left is sent, and after the bytes were dropped on purpose.
class SessionFixed {
public:
  void reply(const std::string &s) { out_bytes_ += s; }
  void on_writable() {
    ssize_t n = ::send(fd_, out_bytes_.data(), out_bytes_.size(), 0);
    if (n > 0)
      out_bytes_.erase(0, static_cast<std::size_t>(n));
  }
  // Run by the event loop once a write left nothing behind.
  void on_sent() {
    if (closing_ && out_bytes_.empty())
      ::close(fd_);
  }
  void finish() {
    if (out_bytes_.empty())
      ::close(fd_);
    else
      closing_ = true;
  }
  void restart(int fd) {
    out_bytes_.clear();
    ::close(fd_);
    fd_ = fd;
  }
  ~SessionFixed() { ::close(fd_); }

private:
  int fd_ = -1;
  bool closing_ = false;
  std::string out_bytes_;
};

class PeerFixed {
public:
  void append(const char *p, std::size_t n) {
    std::memcpy(wb_->data + wb_->len, p, n);
    wb_->len += n;
  }
  bool flush() {
    ssize_t n = ::send(sock_, wb_->data, wb_->len, 0);
    if (n < 0 || static_cast<std::size_t>(n) != wb_->len)
      return false;
    wb_->len = 0;
    return true;
  }
  void hang_up() {
    if (wb_->len != 0 && !flush())
      return;
    ::close(sock_);
  }

private:
  int sock_ = -1;
  std::unique_ptr<WriteBuf> wb_;
};

// A queue of lines read from the peer and handed to the application: input, not output.
class LineReader {
public:
  void on_readable() {
    char b[512];
    ssize_t n = ::read(fd_, b, sizeof b);
    if (n > 0)
      lines_.push_back(std::string(b, static_cast<std::size_t>(n)));
  }
  std::string next() {
    std::string l = lines_.front();
    lines_.pop_front();
    return l;
  }
  void stop() { ::close(fd_); }

private:
  int fd_ = -1;
  std::deque<std::string> lines_;
};
