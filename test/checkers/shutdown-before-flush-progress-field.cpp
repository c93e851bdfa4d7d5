// A write-all loop whose progress lives in data members (`p_ += n; left_ -= n;`): leaving the
// loop because `left_` reached zero confirms the writes; a count only subtracted from a member
// with no loop testing it is still a write that may have come short.
// RUN: %check_drain -std=c++17 %s drain-shutdown-before-flush %t

#include <cstddef>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

class Sender {
public:
  // positives
  bool finish_after_one_send() {
    ssize_t n = ::send(fd_, p_, left_, 0);
    if (n < 0)
      return false;
    left_ -= static_cast<size_t>(n);
    ::close(fd_);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'fd_' is closed after a write that may not have sent everything [drain-shutdown-before-flush]
    return true;
  }

  // negatives
  bool finish() {
    while (left_ > 0) {
      ssize_t n = ::send(fd_, p_, left_, 0);
      if (n < 0)
        return false;
      p_ += n;
      left_ -= static_cast<size_t>(n);
    }
    ::close(fd_);
    return true;
  }

  bool finish_counting_up() {
    while (this->sent_ < this->total_) {
      ssize_t n = ::write(fd_, p_ + sent_, total_ - sent_);
      if (n < 0)
        return false;
      this->sent_ += static_cast<size_t>(n);
    }
    ::shutdown(fd_, SHUT_WR);
    return true;
  }

private:
  int fd_ = -1;
  const char *p_ = nullptr;
  size_t left_ = 0;
  size_t sent_ = 0;
  size_t total_ = 0;
};
