// RUN: %check_drain -std=c++17,c++20 %s drain-shutdown-before-flush %t

// A connection's transport is found by what the class does with it, whatever its name:
// hyper's `io` field, a `stream_` behind a std::unique_ptr, a `link_` behind a raw pointer. The member the class's write buffer is written into (through a write method of
// the member, or a write handed the member's handle) is its socket, so ending that member
// while the buffer may hold data bypasses the buffer. The transport classes are defined in
// another file (declared only here), as they usually are.

#include <cerrno>
#include <cstddef>
#include <memory>
#include <string>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

struct Transport {
  int fd() const;
  ssize_t write(const char *data, size_t len);
  void close();
};

struct Logger {
  void write(const char *msg, size_t len);
};

// hyper's Conn: the buffer is written into `io_`.
class H1Conn {
public:
  void queue(const std::string &s) { out_ += s; }
  int poll_flush() {
    while (!out_.empty()) {
      ssize_t n = io_.write(out_.data(), out_.size());
      if (n < 0)
        return errno == EAGAIN ? 0 : -1;
      out_.erase(0, static_cast<size_t>(n));
    }
    return 1;
  }

  // positives

  void shutdown_behind_the_buffer() {
    ::shutdown(io_.fd(), SHUT_WR);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the connection is shut down while its write buffer 'out_' may still hold data [drain-shutdown-before-flush]
  }

  int shutdown_after_error_check() {
    if (poll_flush() < 0)
      return -1;
    ::shutdown(io_.fd(), SHUT_WR);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the connection is shut down while its write buffer 'out_' may still hold data [drain-shutdown-before-flush]
    return 0;
  }

  // negatives

  int shutdown_once_flushed() {
    int r = poll_flush();
    if (r != 1)
      return r;
    ::shutdown(io_.fd(), SHUT_WR);
    return 1;
  }

  void shutdown_when_empty() {
    if (out_.empty())
      ::shutdown(io_.fd(), SHUT_WR);
  }

  void abort_after_clear() {
    out_.clear();
    io_.close();
  }

private:
  Transport io_;
  std::string out_;
};

// The transport behind a std::unique_ptr, ended through its own close().
class StreamConn {
public:
  void queue(const std::string &s) { pending_ += s; }
  bool flush() {
    while (!pending_.empty()) {
      ssize_t n = stream_->write(pending_.data(), pending_.size());
      if (n <= 0)
        return false;
      pending_.erase(0, static_cast<size_t>(n));
    }
    return true;
  }

  // positive
  void close_now() {
    stream_->close();
    // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: the record is ended by 'close' while its output in 'pending_' may not have been sent [drain-shutdown-before-flush]
  }

  // negatives
  void close_flushed() {
    if (flush())
      stream_->close();
  }

  void log_and_keep_open(const char *msg, size_t n) { log_.write(msg, n); }

private:
  std::unique_ptr<Transport> stream_;
  Logger log_;
  std::string pending_;
};

// A writer handed a descriptor by its caller owns no socket: nothing of its own to end.
class FrameWriter {
public:
  void queue(const std::string &s) { outbuf_ += s; }
  bool flush_to(int fd) {
    ssize_t n = ::send(fd, outbuf_.data(), outbuf_.size(), 0);
    if (n < 0)
      return false;
    outbuf_.erase(0, static_cast<size_t>(n));
    return outbuf_.empty();
  }
  void close_peer(int fd) { ::close(fd); }

private:
  std::string outbuf_;
};

// The transport behind a raw pointer, named `link_`, written with its send().
struct Link {
  int fd() const;
  long send(const char *data, unsigned long len);
};

class LinkConn {
public:
  void queue(const std::string &s) { wbuf_ += s; }
  int flush() {
    while (!wbuf_.empty()) {
      long n = link_->send(wbuf_.data(), wbuf_.size());
      if (n < 0)
        return errno == EAGAIN ? 0 : -1;
      wbuf_.erase(0, static_cast<size_t>(n));
    }
    return 1;
  }

  // positive
  void half_close() {
    ::shutdown(link_->fd(), SHUT_WR);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the connection is shut down while its write buffer 'wbuf_' may still hold data [drain-shutdown-before-flush]
  }

  // negative
  void half_close_when_drained() {
    if (flush() == 1)
      ::shutdown(link_->fd(), SHUT_WR);
  }

private:
  Link *link_ = nullptr;
  std::string wbuf_;
};
