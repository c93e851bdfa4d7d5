// RUN: %check_drain -std=c++17 %s drain-close-during-async-write %t -- -- -isystem %S/Inputs/async
// The class-level rule: a member flag or a pending-write queue says a write is in flight, and
// a read handler closes the stream without looking at it (Crow truncated large responses on
// `Connection: close` this way). Notes are checked too.
#include <boost/asio.hpp>
#include <deque>
#include <string>

namespace net = boost::asio;
using tcp = net::ip::tcp;
using boost::system::error_code;

// Crow's shape: a socket adaptor with its own close(), a templated connection, an
// is_writing flag set by do_write and cleared by the write's handler.
struct SocketAdaptor {
  explicit SocketAdaptor(net::io_context &ioc) : socket_(ioc) {}
  tcp::socket &socket() { return socket_; }
  void close() {
    error_code ec;
    socket_.close(ec);
  }
  void shutdown_write() {
    error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
  }
  tcp::socket socket_;
};

template <class Adaptor> class Connection {
public:
  explicit Connection(net::io_context &ioc) : adaptor_(ioc) {}

  void do_read() {
    adaptor_.socket().async_read_some(
        net::buffer(buffer_), [this](const error_code &ec, std::size_t bytes) {
          if (ec || close_connection_) {
            adaptor_.close();
            // CHECK-NOTES: :[[@LINE-1]]:13: warning: 'adaptor_' is closed in a read handler while an asynchronous write on it may still be in flight [drain-close-during-async-write]
            // CHECK-NOTES: :[[@LINE+11]]:5: note: asynchronous write started here; 'is_writing' is set until its completion handler runs
            // CHECK-NOTES: :[[@LINE-20]]:5: note: 'close' closes the stream here
            // CHECK-NOTES: :[[@LINE-4]]:13: note: this read handler can run while the write is in flight; test 'is_writing' before closing, or close from the write's completion handler
            return;
          }
          do_read();
        });
  }

  void do_write() {
    is_writing = true;
    net::async_write(adaptor_.socket(), net::buffer(out_),
                     [this](const error_code &ec, std::size_t) {
                       is_writing = false;
                       if (!ec && close_connection_) {
                         adaptor_.shutdown_write();
                         adaptor_.close();
                       }
                     });
  }

private:
  Adaptor adaptor_;
  char buffer_[4096];
  std::string out_;
  bool is_writing = false;
  bool close_connection_ = false;
};

template class Connection<SocketAdaptor>;

// A queue of pending writes, drained by the write handler.
class QueuedConnection {
public:
  explicit QueuedConnection(net::io_context &ioc) : sock_(ioc) {}
  void send(std::string msg) {
    queue_.push_back(std::move(msg));
    if (queue_.size() == 1)
      write_front();
  }
  void start_read() {
    sock_.async_read_some(net::buffer(in_), [this](error_code ec, std::size_t) {
      if (ec) {
        sock_.close();
        // CHECK-NOTES: :[[@LINE-1]]:9: warning: 'sock_' is closed in a read handler while an asynchronous write on it may still be in flight [drain-close-during-async-write]
        // CHECK-NOTES: :[[@LINE+10]]:5: note: asynchronous write started here; 'queue_' holds it until its completion handler runs
        // CHECK-NOTES: :[[@LINE-3]]:9: note: this read handler can run while the write is in flight; test 'queue_' before closing, or close from the write's completion handler
        return;
      }
      start_read();
    });
  }

private:
  void write_front() {
    net::async_write(sock_, net::buffer(queue_.front()), [this](error_code ec, std::size_t) {
      queue_.pop_front();
      if (!ec && !queue_.empty())
        write_front();
    });
  }
  tcp::socket sock_;
  char in_[512];
  std::deque<std::string> queue_;
};

//===--- negatives --------------------------------------------------------===//

// The read handler tests the flag: it closes only when nothing is in flight, and otherwise
// leaves the close to the write's handler.
class GuardedConnection {
public:
  explicit GuardedConnection(net::io_context &ioc) : sock_(ioc) {}
  void do_read() {
    sock_.async_read_some(net::buffer(in_), [this](error_code ec, std::size_t) {
      if (ec) {
        if (!writing_)
          sock_.close();
        else
          close_after_write_ = true;
        return;
      }
      do_read();
    });
  }
  void do_write() {
    writing_ = true;
    net::async_write(sock_, net::buffer(out_), [this](error_code ec, std::size_t) {
      writing_ = false;
      if (close_after_write_)
        sock_.close();
    });
  }

private:
  tcp::socket sock_;
  char in_[512];
  std::string out_;
  bool writing_ = false;
  bool close_after_write_ = false;
};

// The same through an accessor and an early return.
class AccessorGuard {
public:
  explicit AccessorGuard(net::io_context &ioc) : sock_(ioc) {}
  bool writing() const { return pending_ > 0; }
  void do_read() {
    sock_.async_read_some(net::buffer(in_), [this](error_code ec, std::size_t) {
      if (writing())
        return;
      if (ec)
        sock_.close();
    });
  }
  void do_write() {
    ++pending_;
    net::async_write(sock_, net::buffer(out_), [this](error_code, std::size_t) { --pending_; });
  }

private:
  tcp::socket sock_;
  char in_[512];
  std::string out_;
  int pending_ = 0;
};

// No flag, no queue: reads and writes alternate (the echo server), so drain cannot tell
// whether a write is in flight when the read handler runs, and stays silent.
class Alternating {
public:
  explicit Alternating(net::io_context &ioc) : sock_(ioc) {}
  void do_read() {
    sock_.async_read_some(net::buffer(in_), [this](error_code ec, std::size_t n) {
      if (ec) {
        sock_.close();
        return;
      }
      do_write(n);
    });
  }
  void do_write(std::size_t n) {
    net::async_write(sock_, net::buffer(in_, n), [this](error_code ec, std::size_t) {
      if (!ec)
        do_read();
    });
  }

private:
  tcp::socket sock_;
  char in_[512];
};

// The flag belongs to another stream.
class TwoStreams {
public:
  explicit TwoStreams(net::io_context &ioc) : up_(ioc), down_(ioc) {}
  void relay_read() {
    down_.async_read_some(net::buffer(in_), [this](error_code ec, std::size_t) {
      if (ec)
        down_.close();
    });
  }
  void write_up() {
    up_busy_ = true;
    net::async_write(up_, net::buffer(out_), [this](error_code, std::size_t) { up_busy_ = false; });
  }

private:
  tcp::socket up_, down_;
  char in_[512];
  std::string out_;
  bool up_busy_ = false;
};

