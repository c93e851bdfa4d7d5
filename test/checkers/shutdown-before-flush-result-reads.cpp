// RUN: %check_drain -std=c++17,c++20 %s drain-shutdown-before-flush %t

// The ways real code reads a flush result beyond `r.state == Poll::Pending`: structured
// bindings of a struct, a std::pair or a std::tuple, `std::get<I>`, a variant's `index()`, a
// bool chosen by `?:`, a disjunction, and a result handed to a predicate of the program
// (`is_done(r)`, `std::visit(IsDone{}, r)`). Reading the pending part confirms or refutes the
// flush per edge; reading only an error part leaves the pending state to fall through; a
// predicate drain cannot read is taken as the program looking at the outcome.

#include <cerrno>
#include <cstddef>
#include <string>
#include <sys/socket.h>
#include <sys/types.h>
#include <system_error>
#include <tuple>
#include <unistd.h>
#include <utility>
#include <variant>

enum class Poll { Ready, Pending };

struct IoResult {
  bool failed;
  int error;
  Poll state;
};

struct Done {};
struct WouldBlock {};
struct IoError {
  int code;
};
using FlushResult = std::variant<Done, WouldBlock, IoError>;

bool is_done(Poll p);
bool is_done_v(const FlushResult &r);
bool is_fatal(int error);

struct IsDone {
  bool operator()(Done) const { return true; }
  template <class T> bool operator()(const T &) const { return false; }
};

class Conn {
public:
  void queue(const std::string &s) { out_ += s; }

  IoResult poll_flush() {
    while (!out_.empty()) {
      ssize_t n = ::send(fd_, out_.data(), out_.size(), MSG_DONTWAIT);
      if (n < 0)
        return errno == EAGAIN ? IoResult{false, 0, Poll::Pending} : IoResult{true, errno, Poll::Ready};
      out_.erase(0, static_cast<size_t>(n));
    }
    return {false, 0, Poll::Ready};
  }

  std::pair<bool, Poll> flush_pair() {
    IoResult r = poll_flush();
    return {!r.failed, r.state};
  }

  std::tuple<size_t, Poll, std::errc> flush_tuple() {
    size_t before = out_.size();
    IoResult r = poll_flush();
    return {before - out_.size(), r.state, r.failed ? std::errc::io_error : std::errc()};
  }

  FlushResult flush_variant() {
    IoResult r = poll_flush();
    if (r.failed)
      return IoError{r.error};
    if (r.state == Poll::Pending)
      return WouldBlock{};
    return Done{};
  }

  // positives

  // The binding of the error part is tested, the state binding never is.
  int binding_error_only() {
    auto [failed, error, state] = poll_flush();
    if (failed)
      return error;
    ::shutdown(fd_, SHUT_WR);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the connection is shut down while its write buffer 'out_' may still hold data [drain-shutdown-before-flush]
    return 0;
  }

  // A pair's bool says nothing drain can name; the state element is not read.
  int pair_binding_bool_only() {
    auto [ok, state] = flush_pair();
    if (!ok)
      return -1;
    ::shutdown(fd_, SHUT_WR);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the connection is shut down while its write buffer 'out_' may still hold data [drain-shutdown-before-flush]
    return 0;
  }

  // Only the tuple's error element is tested.
  int tuple_error_only() {
    auto r = flush_tuple();
    if (std::get<2>(r) != std::errc())
      return -1;
    ::close(fd_);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the connection is closed while its write buffer 'out_' may still hold data [drain-shutdown-before-flush]
    return 0;
  }

  // index() 2 is IoError: a WouldBlock falls through.
  int index_error_only() {
    FlushResult r = flush_variant();
    if (r.index() == 2)
      return -1;
    ::shutdown(fd_, SHUT_WR);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the connection is shut down while its write buffer 'out_' may still hold data [drain-shutdown-before-flush]
    return 0;
  }

  // The error part handed to a predicate tells nothing about the pending state.
  int error_part_to_predicate() {
    IoResult r = poll_flush();
    if (is_fatal(r.error))
      return -1;
    ::shutdown(fd_, SHUT_WR);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the connection is shut down while its write buffer 'out_' may still hold data [drain-shutdown-before-flush]
    return 0;
  }

  // The ?: keeps "not failed" only; the pending state is not in it.
  int ternary_error_only() {
    IoResult r = poll_flush();
    bool usable = r.failed ? false : true;
    if (!usable)
      return -1;
    ::shutdown(fd_, SHUT_WR);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the connection is shut down while its write buffer 'out_' may still hold data [drain-shutdown-before-flush]
    return 0;
  }

  // negatives

  int binding_state_tested() {
    auto [failed, error, state] = poll_flush();
    if (failed)
      return error;
    if (state == Poll::Pending)
      return 0;
    ::shutdown(fd_, SHUT_WR);
    return 0;
  }

  int pair_binding_state_tested() {
    auto [ok, state] = flush_pair();
    if (!ok || state != Poll::Ready)
      return -1;
    ::shutdown(fd_, SHUT_WR);
    return 0;
  }

  int pair_members_tested() {
    std::pair<bool, Poll> r = flush_pair();
    if (!r.first || r.second == Poll::Pending)
      return -1;
    ::close(fd_);
    return 0;
  }

  int tuple_get_state_tested() {
    auto r = flush_tuple();
    if (std::get<1>(r) == Poll::Pending)
      return 1;
    ::close(fd_);
    return 0;
  }

  int tuple_binding_state_tested() {
    auto [sent, state, error] = flush_tuple();
    if (error != std::errc() || state == Poll::Pending)
      return -1;
    ::close(fd_);
    return static_cast<int>(sent);
  }

  int index_done_tested() {
    FlushResult r = flush_variant();
    if (r.index() != 0)
      return -1;
    ::shutdown(fd_, SHUT_WR);
    return 0;
  }

  int ternary_state_tested() {
    IoResult r = poll_flush();
    bool done = r.failed ? false : r.state == Poll::Ready;
    if (!done)
      return -1;
    ::shutdown(fd_, SHUT_WR);
    return 0;
  }

  // `failed || state == Pending` is true on every way that is not finished.
  int disjunction_returns() {
    IoResult r = poll_flush();
    if (r.failed || r.state == Poll::Pending)
      return -1;
    ::shutdown(fd_, SHUT_WR);
    return 0;
  }

  // The disjunction on its true edge: failed, or not failed and pending. A close there is on
  // a failed or pending flush, and is reported; here the true edge returns first.
  int disjunction_true_edge_yields() {
    IoResult r = poll_flush();
    if (r.failed || r.state == Poll::Pending) {
      if (r.failed)
        return -1;
      return 1;
    }
    ::shutdown(fd_, SHUT_WR);
    return 0;
  }

  int state_to_predicate() {
    IoResult r = poll_flush();
    if (r.failed || !is_done(r.state))
      return -1;
    ::shutdown(fd_, SHUT_WR);
    return 0;
  }

  int variant_to_predicate() {
    FlushResult r = flush_variant();
    bool done = is_done_v(r);
    if (!done)
      return -1;
    ::shutdown(fd_, SHUT_WR);
    return 0;
  }

  int variant_visited() {
    FlushResult r = flush_variant();
    if (!std::visit(IsDone{}, r))
      return -1;
    ::close(fd_);
    return 0;
  }

  int variant_visited_into_bool() {
    FlushResult r = flush_variant();
    const bool done = std::visit(IsDone{}, r);
    if (!done)
      return -1;
    ::close(fd_);
    return 0;
  }

private:
  int fd_ = -1;
  std::string out_;
};
