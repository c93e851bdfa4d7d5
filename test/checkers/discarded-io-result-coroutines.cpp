// co_await of an operation whose awaited result carries a pending state or an error code:
// dropping the awaited result loses it just as dropping a plain result does.
// RUN: %check_drain -std=c++20 %s drain-discarded-io-result %t

#include <coroutine>
#include <system_error>

enum class Poll { Ready, Pending };

template <class T> struct Task {
  struct promise_type {
    Task get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_value(T) {}
    void unhandled_exception() {}
  };
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  T await_resume() const { return T{}; }
};
template <> struct Task<void> {
  struct promise_type {
    Task get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const {}
};

struct AsyncConn {
  Task<Poll> flush();                  // row "flush": the awaited Poll carries Pending
  Task<std::error_code> drain();       // row "drain": the awaited error code is its status
  Task<std::error_code> send_stats();  // no row: an error code alone is not a lost write
  Task<void> close_async();
};
Task<Poll> ready_soon();               // no row, but the awaited Poll carries Pending

void log_error(const std::error_code &);

// positives

Task<int> co_flush_result_dropped(AsyncConn &c) {
  co_await c.flush();
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: result of 'co_await flush' is discarded; a Poll::Pending here means the buffer still holds data [drain-discarded-io-result]
  co_return 0;
}

Task<int> co_flush_result_cast_to_void(AsyncConn &c) {
  (void)co_await c.flush();
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: result of 'co_await flush' is discarded; a Poll::Pending here means the buffer still holds data [drain-discarded-io-result]
  co_return 0;
}

Task<int> co_flush_result_unread(AsyncConn &c) {
  Poll p = co_await c.flush();
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: result of 'co_await flush' is never read; a Poll::Pending here means the buffer still holds data [drain-discarded-io-result]
  co_return 0;
}

Task<int> co_drain_error_dropped(AsyncConn &c) {
  co_await c.drain();
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: result of 'co_await drain' is discarded; it carries the error code, and a failed flush goes unnoticed [drain-discarded-io-result]
  co_return 0;
}

Task<int> co_unmodelled_pending_dropped() {
  co_await ready_soon();
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: result of 'co_await ready_soon' is discarded; a Poll::Pending here means the operation has not finished [drain-discarded-io-result]
  co_return 0;
}

// negatives

Task<int> co_flush_result_checked(AsyncConn &c) {
  if (co_await c.flush() == Poll::Pending)
    co_return 1;
  co_return 0;
}

Task<int> co_drain_error_tested(AsyncConn &c) {
  std::error_code ec = co_await c.drain();
  if (ec)
    log_error(ec);
  co_return 0;
}

Task<int> co_unmodelled_error_code(AsyncConn &c) {
  co_await c.send_stats();
  co_return 0;
}

Task<int> co_void_result(AsyncConn &c) {
  co_await c.close_async();
  co_return 0;
}

Task<Poll> co_flush_result_returned(AsyncConn &c) {
  co_return co_await c.flush();
}

Task<int> co_flush_kicked_then_yield(AsyncConn &c) {
  (void)c.flush(); // not awaited at all: drain-discarded-awaitable's to report
  co_return 0;
}
