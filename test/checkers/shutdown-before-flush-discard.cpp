// RUN: %check_drain -std=c++17 %s drain-shutdown-before-flush %t

// A connection method that ends the socket while its write buffer may hold what callers
// queued is reported, unless the method drops that buffer on purpose: clearing it before the
// close, or after it (`::close(fd_); fd_ = -1; out_.clear();`, the usual order of a reset).
// Data this method itself left unsent is reported whatever it clears afterwards.

#include <cerrno>
#include <string>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

class Conn {
public:
  void queue(const std::string &s) { out_ += s; }
  bool flush() {
    while (!out_.empty()) {
      ssize_t n = ::send(fd_, out_.data(), out_.size(), MSG_NOSIGNAL);
      if (n < 0)
        return false;
      out_.erase(0, static_cast<size_t>(n));
    }
    return true;
  }

  // positives

  void on_timeout() {
    ::close(fd_);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the connection is closed while its write buffer 'out_' may still hold data [drain-shutdown-before-flush]
  }

  // The buffer is cleared before the close but refilled: what is queued here is lost.
  void goodbye_then_close() {
    out_.clear();
    queue("bye\n");
    ::close(fd_);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the connection is closed while its write buffer may still hold data [drain-shutdown-before-flush]
    out_.clear();
  }

  // negatives

  void reset() {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = -1;
    out_.clear();
  }

  void abort_connection() {
    out_.clear();
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
  }

  void close_gracefully() {
    if (!flush())
      return;
    ::close(fd_);
  }

private:
  int fd_ = -1;
  std::string out_;
};
