// RUN: %check_drain -std=c++17 %s drain-shutdown-before-flush %t

// A flush answering an expected-like result (absl::StatusOr<Poll>, tl::expected<Poll, E>, a
// project's own Expected) built by its converting constructor: `return Poll::Pending;` is a
// pending answer and `return Poll::Ready;` a ready one, so the caller's test of the value
// (`*r == Poll::Pending`, `r.value()`) confirms or refutes the flush, and a test of
// `has_value()`/`ok()` alone only rules out a failure. The StatusOr-style macros
// (RETURN_IF_ERROR, ASSIGN_OR_RETURN) are seen through. The flushes are named as projects
// name them (PollFlush, TryFlush), so drain learns them from their bodies.

#include <cstddef>
#include <string>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

enum class Poll { Ready, Pending };

struct Status {
  bool ok() const { return code == 0; }
  int code = 0;
};

template <class T> class StatusOr {
public:
  StatusOr(T v) : value_(v) {}
  StatusOr(Status s) : status_(s) {}
  bool ok() const { return status_.ok(); }
  bool has_value() const { return status_.ok(); }
  const Status &status() const { return status_; }
  T &value() { return value_; }
  T &operator*() { return value_; }

private:
  Status status_;
  T value_{};
};

// A lighter expected: the value and a success flag, one converting constructor.
template <class T> class Maybe {
public:
  Maybe(T v) : v_(v), ok_(true) {}
  bool has_value() const { return ok_; }
  T &operator*() { return v_; }

private:
  T v_{};
  bool ok_;
};

#define RETURN_IF_ERROR(expr)                                                                  \
  do {                                                                                         \
    auto _st = (expr);                                                                         \
    if (!_st.ok())                                                                             \
      return _st.status();                                                                     \
  } while (0)

#define ASSIGN_OR_RETURN(lhs, expr)                                                            \
  auto _res = (expr);                                                                          \
  if (!_res.ok())                                                                              \
    return _res.status();                                                                      \
  lhs = *_res

class Conn {
public:
  void queue(const std::string &s) { wbuf_ += s; }

  StatusOr<Poll> PollFlush() {
    while (!wbuf_.empty()) {
      ssize_t n = ::send(fd_, wbuf_.data(), wbuf_.size(), MSG_DONTWAIT);
      if (n < 0)
        return Poll::Pending;
      wbuf_.erase(0, static_cast<size_t>(n));
    }
    return Poll::Ready;
  }

  // positives

  Status finish_error_checked_only() {
    RETURN_IF_ERROR(PollFlush());
    ::shutdown(fd_, SHUT_WR);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the connection is shut down while its write buffer 'wbuf_' may still hold data [drain-shutdown-before-flush]
    return Status();
  }

  StatusOr<Poll> finish_has_value_only() {
    StatusOr<Poll> r = PollFlush();
    if (!r.has_value())
      return r;
    ::shutdown(fd_, SHUT_WR);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the connection is shut down while its write buffer 'wbuf_' may still hold data [drain-shutdown-before-flush]
    return Poll::Ready;
  }

  // negatives

  StatusOr<Poll> finish_value_tested() {
    StatusOr<Poll> r = PollFlush();
    if (!r.has_value())
      return r;
    if (*r == Poll::Pending)
      return Poll::Pending;
    ::shutdown(fd_, SHUT_WR);
    return Poll::Ready;
  }

  StatusOr<Poll> finish_assign_or_return() {
    ASSIGN_OR_RETURN(Poll st, PollFlush());
    if (st == Poll::Pending)
      return Poll::Pending;
    ::shutdown(fd_, SHUT_WR);
    return Poll::Ready;
  }

  StatusOr<Poll> finish_value_accessor() {
    StatusOr<Poll> r = PollFlush();
    if (!r.ok())
      return r.status();
    if (r.value() != Poll::Ready)
      return Poll::Pending;
    ::shutdown(fd_, SHUT_WR);
    return Poll::Ready;
  }

private:
  int fd_ = -1;
  std::string wbuf_;
};

class LightConn {
public:
  Maybe<Poll> TryFlush() {
    while (!wbuf_.empty()) {
      ssize_t n = ::send(fd_, wbuf_.data(), wbuf_.size(), MSG_DONTWAIT);
      if (n < 0)
        return Poll::Pending;
      wbuf_.erase(0, static_cast<size_t>(n));
    }
    return Poll::Ready;
  }

  // positive
  Maybe<Poll> finish_has_value_only() {
    auto r = TryFlush();
    if (!r.has_value())
      return r;
    ::shutdown(fd_, SHUT_WR);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the connection is shut down while its write buffer 'wbuf_' may still hold data [drain-shutdown-before-flush]
    return Poll::Ready;
  }

  // negatives
  Maybe<Poll> finish_state_bound() {
    auto r = TryFlush();
    if (!r.has_value())
      return r;
    Poll st = *r;
    if (st == Poll::Pending)
      return Poll::Pending;
    ::shutdown(fd_, SHUT_WR);
    return Poll::Ready;
  }

  Maybe<Poll> finish_value_tested() {
    auto r = TryFlush();
    if (!r.has_value())
      return r;
    if (*r == Poll::Pending)
      return Poll::Pending;
    ::shutdown(fd_, SHUT_WR);
    return Poll::Ready;
  }

private:
  int fd_ = -1;
  std::string wbuf_;
};
