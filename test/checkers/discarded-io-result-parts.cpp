// RUN: %check_drain -std=c++17,c++20 %s drain-discarded-io-result %t

// Results with parts: the pending state lives in a member, an accessor or the value of an
// expected-like type, next to an error part. A result whose error part is read and whose
// pending part never is, was checked only for errors: a pending flush falls through.

#include <utility>

enum class Poll { Ready, Pending };

// Poll<io::Result<()>> as a struct.
struct IoResult {
  bool failed;
  int error;
  Poll state;

  static IoResult ready() { return {false, 0, Poll::Ready}; }
  static IoResult pending() { return {false, 0, Poll::Pending}; }
};

// Rust's `?`: returns the error, yields the state.
#define TRY(expr)                                                                            \
  ({                                                                                         \
    IoResult try_result_ = (expr);                                                           \
    if (try_result_.failed)                                                                  \
      return try_result_;                                                                    \
    try_result_.state;                                                                       \
  })

// A project's own expected-like type.
template <typename T, typename E> class Expected {
public:
  bool has_value() const { return has_; }
  explicit operator bool() const { return has_; }
  const T &operator*() const { return val_; }
  const T &value() const { return val_; }
  const E &error() const { return err_; }

private:
  bool has_;
  T val_;
  E err_;
};

// A status with accessors: ok() for the error part, poll() for the state.
class FlushStatus {
public:
  bool ok() const { return code_ == 0; }
  int code() const { return code_; }
  Poll poll() const { return state_; }

private:
  int code_;
  Poll state_;
};

#define RETURN_IF_ERROR(expr)                                                                \
  do {                                                                                       \
    auto status_ = (expr);                                                                   \
    if (!status_.ok())                                                                       \
      return status_.code();                                                                 \
  } while (0)

#define ASSIGN_OR_RETURN(lhs, expr)                                                          \
  auto lhs##_or_ = (expr);                                                                   \
  if (!lhs##_or_)                                                                            \
    return lhs##_or_.error();                                                                \
  auto lhs = *lhs##_or_

struct Io {
  IoResult poll_write(const char *Data);
  IoResult poll_flush();
  Expected<Poll, int> try_flush();
};

// FlushStatus is no row of the model: flush_now is one by annotation.
[[clang::annotate("drain::flush")]] FlushStatus flush_now(Io &S);

void log_error(int);

// positives

IoResult try_macro_drops_the_state(Io &S) {
  TRY(S.poll_flush());
  // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: result of 'poll_flush' is checked only for errors; a Poll::Pending here means the buffer still holds data [drain-discarded-io-result]
  return IoResult::ready();
}

IoResult local_tested_for_failure_only(Io &S) {
  IoResult R = S.poll_flush();
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: result of 'poll_flush' is checked only for errors; a Poll::Pending here means the buffer still holds data [drain-discarded-io-result]
  if (R.failed)
    return R;
  return IoResult::ready();
}

int member_of_the_call_tested(Io &S) {
  if (S.poll_flush().failed)
    // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: result of 'poll_flush' is checked only for errors; a Poll::Pending here means the buffer still holds data [drain-discarded-io-result]
    return -1;
  return 0;
}

// negatives

IoResult try_macro_state_tested(Io &S) {
  if (TRY(S.poll_flush()) == Poll::Pending)
    return IoResult::pending();
  return IoResult::ready();
}

IoResult try_macro_state_bound_and_tested(Io &S) {
  Poll P = TRY(S.poll_flush());
  if (P != Poll::Ready)
    return IoResult::pending();
  return IoResult::ready();
}

IoResult local_both_parts_tested(Io &S) {
  IoResult R = S.poll_flush();
  if (R.failed)
    return R;
  if (R.state == Poll::Pending)
    return IoResult::pending();
  return IoResult::ready();
}

IoResult local_error_logged_then_returned_whole(Io &S) {
  IoResult R = S.poll_flush();
  if (R.failed)
    log_error(R.error);
  return R;
}

IoResult try_macro_then_yield(Io &S) {
  TRY(S.poll_flush());
  return IoResult::pending();
}

int expected_value_tested(Io &S) {
  Expected<Poll, int> R = S.try_flush();
  if (!R.has_value())
    return R.error();
  if (*R == Poll::Pending)
    return 1;
  return 0;
}

int expected_value_accessor_tested(Io &S) {
  auto R = S.try_flush();
  if (!R)
    return R.error();
  return R.value() == Poll::Ready ? 0 : 1;
}

int assign_or_return_value_tested(Io &S) {
  ASSIGN_OR_RETURN(P, S.try_flush());
  if (P == Poll::Pending)
    return 1;
  return 0;
}

int status_state_accessor_tested(Io &S) {
  FlushStatus St = flush_now(S);
  if (!St.ok())
    return St.code();
  return St.poll() == Poll::Pending ? 1 : 0;
}

std::pair<bool, Poll> split_result(Io &S) {
  IoResult R = S.poll_flush();
  return {R.failed, R.state};
}

// Read only through an expected-like's conversion to bool and its error(), through a status
// accessor inside a do/while macro, or unwrapped by a macro into a value nobody reads.
int expected_tested_for_a_value_only(Io &S) {
  Expected<Poll, int> R = S.try_flush();
  // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: result of 'try_flush' is checked only for errors; a Poll::Pending here means the buffer still holds data [drain-discarded-io-result]
  if (!R)
    return R.error();
  return 0;
}

int return_if_error_macro(Io &S) {
  RETURN_IF_ERROR(flush_now(S));
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: result of 'flush_now' is checked only for errors; a Poll::Pending here means the buffer still holds data [drain-discarded-io-result]
  return 0;
}

int assign_or_return_value_unused(Io &S) {
  ASSIGN_OR_RETURN(P, S.try_flush());
  // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: result of 'try_flush' is checked only for errors; a Poll::Pending here means the buffer still holds data [drain-discarded-io-result]
  (void)P;
  return 0;
}

// Structured bindings: the parts the bindings that are used read.
int bindings_error_only(Io &S) {
  auto [failed, error, state] = S.poll_flush();
  // CHECK-MESSAGES: :[[@LINE-1]]:35: warning: result of 'poll_flush' is checked only for errors; a Poll::Pending here means the buffer still holds data [drain-discarded-io-result]
  if (failed)
    return error;
  return 0;
}

int bindings_state_tested(Io &S) {
  auto [failed, error, state] = S.poll_flush();
  if (failed)
    return error;
  return state == Poll::Pending ? 1 : 0;
}

int bindings_state_only(Io &S) {
  auto [failed, error, state] = S.poll_flush();
  return state == Poll::Ready ? 0 : 1;
}

int expected_value_tested_after_bool(Io &S) {
  Expected<Poll, int> R = S.try_flush();
  if (!R)
    return R.error();
  return *R == Poll::Pending ? 1 : 0;
}

