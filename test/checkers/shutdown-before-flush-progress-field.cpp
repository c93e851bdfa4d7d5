// A write-all loop whose progress lives in data members (`p_ += n; left_ -= n;`): leaving the
// loop because `left_` reached zero confirms the writes; a count only subtracted from a member
// with no loop testing it is still a write that may have come short. The member may be the
// connection's own, or a field of an object it holds: through a raw pointer, a reference, a
// std::unique_ptr / std::shared_ptr (`out_->left`, `(*out_).left`) or a class of the
// project's own with an overloaded operator->. A counter is told apart by its path: `a->left`
// and `b->left` are two counters.
// RUN: %check_drain -std=c++17 %s drain-shutdown-before-flush %t

#include <cstddef>
#include <memory>
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

// The pending output, held by the connections below.
struct Out {
  const char *p = nullptr;
  size_t left = 0;
  size_t total = 0;
  size_t sent = 0;
};

// A pointer of the project's own (an intrusive reference).
template <typename T> class Ref {
public:
  T *operator->() const { return p_; }
  T &operator*() const { return *p_; }

private:
  T *p_ = nullptr;
};

class UniqueSender {
public:
  // positives

  // One send, its count subtracted from the field behind the pointer and never tested.
  bool finish_after_one_send() {
    ssize_t n = ::send(fd_, out_->p, out_->left, 0);
    if (n < 0)
      return false;
    out_->left -= static_cast<size_t>(n);
    ::close(fd_);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'fd_' is closed after a write that may not have sent everything [drain-shutdown-before-flush]
    return true;
  }

  // negatives

  bool finish() {
    while (out_->left > 0) {
      ssize_t n = ::send(fd_, out_->p, out_->left, 0);
      if (n < 0)
        return false;
      out_->p += n;
      out_->left -= static_cast<size_t>(n);
    }
    ::close(fd_);
    return true;
  }

  bool finish_through_star() {
    while ((*out_).left != 0) {
      ssize_t n = ::write(fd_, (*out_).p, (*out_).left);
      if (n < 0)
        return false;
      (*out_).p += n;
      (*out_).left = (*out_).left - static_cast<size_t>(n);
    }
    ::shutdown(fd_, SHUT_WR);
    return true;
  }

private:
  int fd_ = -1;
  std::unique_ptr<Out> out_;
};

class SharedSender {
public:
  // positives

  // The loop moves on to the next chunk; the count only grows a statistics field.
  bool send_chunks(const char *const *chunks, const size_t *lens, int count) {
    for (int i = 0; i < count; i++) {
      ssize_t n = ::send(fd_, chunks[i], lens[i], 0);
      if (n < 0)
        return false;
      this->out_->sent += static_cast<size_t>(n);
    }
    ::close(fd_);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'fd_' is closed after a write that may not have sent everything [drain-shutdown-before-flush]
    return true;
  }

  // negatives

  bool finish_counting_up() {
    while (this->out_->sent < this->out_->total) {
      ssize_t n = ::send(fd_, out_->p + out_->sent, out_->total - out_->sent, 0);
      if (n < 0)
        return false;
      this->out_->sent += static_cast<size_t>(n);
    }
    ::close(fd_);
    return true;
  }

private:
  int fd_ = -1;
  std::shared_ptr<Out> out_;
};

// A raw pointer member and a reference member: the field's path goes through them as through
// a smart pointer.
class PlainSenders {
public:
  explicit PlainSenders(Out &o) : ref_(o) {}

  // positives

  bool finish_ref_once() {
    ssize_t n = ::send(fd_, ref_.p, ref_.left, 0);
    if (n < 0)
      return false;
    ref_.left -= static_cast<size_t>(n);
    ::close(fd_);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'fd_' is closed after a write that may not have sent everything [drain-shutdown-before-flush]
    return true;
  }

  // negatives

  bool finish_raw() {
    while (raw_->left > 0) {
      ssize_t n = ::send(fd_, raw_->p, raw_->left, 0);
      if (n < 0)
        return false;
      raw_->p += n;
      raw_->left -= static_cast<size_t>(n);
    }
    ::close(fd_);
    return true;
  }

  bool finish_ref() {
    while (ref_.left > 0) {
      ssize_t n = ::send(fd_, ref_.p, ref_.left, 0);
      if (n < 0)
        return false;
      ref_.p += n;
      ref_.left -= static_cast<size_t>(n);
    }
    ::close(fd_);
    return true;
  }

private:
  int fd_ = -1;
  Out *raw_ = nullptr;
  Out &ref_;
};

// A plain struct whose output is held by a smart pointer, closed by free functions.
struct Conn {
  int fd = -1;
  std::unique_ptr<Out> out;
  Ref<Out> shared_out;
};

// positives

// `a`'s counter says a is drained; `b`'s single send may have come short.
int close_other_after_drain(Conn *a, Conn *b) {
  while (a->out->left > 0) {
    ssize_t n = ::send(a->fd, a->out->p, a->out->left, 0);
    if (n < 0)
      return -1;
    a->out->p += n;
    a->out->left -= static_cast<size_t>(n);
  }
  ssize_t n = ::send(b->fd, b->out->p, b->out->left, 0);
  if (n < 0)
    return -1;
  b->out->left -= static_cast<size_t>(n);
  if (a->out->left == 0)
    ::close(b->fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'b.fd' is closed after a write that may not have sent everything [drain-shutdown-before-flush]
  return 0;
}

// negatives

int drain_then_close(Conn *conn) {
  while (conn->out->left > 0) {
    ssize_t n = ::send(conn->fd, conn->out->p, conn->out->left, 0);
    if (n < 0)
      return -1;
    conn->out->p += n;
    conn->out->left -= static_cast<size_t>(n);
  }
  ::close(conn->fd);
  return 0;
}

int drain_own_pointer_then_close(Conn &conn) {
  while (conn.shared_out->left != 0) {
    ssize_t n = ::send(conn.fd, conn.shared_out->p, conn.shared_out->left, 0);
    if (n < 0)
      return -1;
    conn.shared_out->p += n;
    conn.shared_out->left -= static_cast<size_t>(n);
  }
  ::close(conn.fd);
  return 0;
}

// Both drained, each by its own loop, before either is closed.
int drain_both_then_close(Conn *a, Conn *b) {
  while (a->out->left > 0) {
    ssize_t n = ::send(a->fd, a->out->p, a->out->left, 0);
    if (n < 0)
      return -1;
    a->out->p += n;
    a->out->left -= static_cast<size_t>(n);
  }
  while (b->out->left > 0) {
    ssize_t n = ::send(b->fd, b->out->p, b->out->left, 0);
    if (n < 0)
      return -1;
    b->out->p += n;
    b->out->left -= static_cast<size_t>(n);
  }
  ::close(a->fd);
  ::close(b->fd);
  return 0;
}
