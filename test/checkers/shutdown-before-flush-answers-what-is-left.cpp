// RUN: %check_drain -std=c++17 %s drain-shutdown-before-flush %t

// The C++ spelling of a flush that answers how much is still buffered: a method that sends
// its member's bytes and answers `out_.size()` (0 once drained, -1 on failure). Zero is
// drained, more is pending.

#include <cerrno>
#include <cstddef>
#include <string>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

class Conn {
public:
  void queue(const std::string &s) { out_ += s; }

  long flush() {
    while (!out_.empty()) {
      ssize_t n = ::send(fd_, out_.data(), out_.size(), MSG_DONTWAIT);
      if (n < 0) {
        if (errno == EAGAIN)
          break;
        return -1;
      }
      out_.erase(0, static_cast<size_t>(n));
    }
    return static_cast<long>(out_.size());
  }

  // positive: only the failure is tested.
  int close_after_error_check() {
    if (flush() < 0)
      return -1;
    ::shutdown(fd_, SHUT_WR);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the connection is shut down while its write buffer may still hold data [drain-shutdown-before-flush]
    return 0;
  }

  // negatives
  int close_when_drained() {
    long left = flush();
    if (left != 0)
      return left < 0 ? -1 : 1;
    ::shutdown(fd_, SHUT_WR);
    return 0;
  }

  int close_if_zero() {
    if (flush() == 0)
      ::close(fd_);
    return 0;
  }

private:
  int fd_ = -1;
  std::string out_;
};
