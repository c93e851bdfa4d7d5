// RUN: %check_drain -std=c++20 %s drain-shutdown-before-flush %t

// Coroutines: a flush that returns an awaitable has finished only once it is awaited.

#include <coroutine>

enum class Poll { Ready, Pending, Error };

struct Task {
  struct promise_type {
    Task get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};

struct Flushed {
  bool await_ready() const noexcept;
  void await_suspend(std::coroutine_handle<>) noexcept;
  void await_resume() noexcept;
};

struct AsyncConn {
  Poll poll_write(const char *);
  Flushed flush();
  Poll poll_shutdown();
};

// positives

Task flush_started_but_not_awaited(AsyncConn &C) {
  C.poll_write("bye");
  C.flush();
  C.poll_shutdown();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'C' is shut down while its write buffer may still hold data [drain-shutdown-before-flush]
  co_return;
}

// negatives

Task flush_awaited_then_shutdown(AsyncConn &C) {
  C.poll_write("bye");
  co_await C.flush();
  C.poll_shutdown();
}

Task awaited_in_a_loop_then_shutdown(AsyncConn &C, int N) {
  for (int I = 0; I < N; ++I) {
    C.poll_write("chunk");
    co_await C.flush();
  }
  C.poll_shutdown();
}

Task shutdown_without_write(AsyncConn &C) {
  C.poll_shutdown();
  co_return;
}
