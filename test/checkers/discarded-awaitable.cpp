// RUN: %check_drain -std=c++20 %s drain-discarded-awaitable %t -- -- -isystem %S/Inputs/async
#include <boost/asio.hpp>
#include <coroutine>
#include <future>
#include <string>
#include <vector>

namespace net = boost::asio;
using tcp = net::ip::tcp;
using boost::system::error_code;

// A cppcoro-style lazy task, recognised by its promise_type.
template <class T = void> struct task {
  struct promise_type {
    task get_return_object() { return {}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) {}
  void await_resume() {}
};

// An eager task: its body runs at the call, up to the first suspension.
struct eager_task {
  struct promise_type {
    eager_task get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};

struct Conn {
  task<> send(std::string body); // defined below, writes
  [[clang::annotate("drain::flush")]] task<> flush_later();
};

net::awaitable<void> send_response(tcp::socket &s, std::string body) {
  co_await net::async_write(s, net::buffer(body), net::use_awaitable);
}

net::awaitable<void> send_twice(tcp::socket &s, std::string body) {
  co_await send_response(s, body);
  co_await send_response(s, body);
}

net::awaitable<void> wait_a_bit(net::steady_timer &t) { co_await t.async_wait(net::use_awaitable); }

task<> Conn::send(std::string body) {
  tcp::socket *s = nullptr;
  net::write(*s, net::buffer(body));
  co_return;
}

eager_task fire(tcp::socket &s, std::string body) {
  co_await net::async_write(s, net::buffer(body), net::use_awaitable);
}

//===--- positives --------------------------------------------------------===//

net::awaitable<void> write_statement_in_coroutine(tcp::socket &s, std::string body) {
  net::async_write(s, net::buffer(body), net::use_awaitable);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: awaitable returned by 'async_write' is discarded; the write never runs [drain-discarded-awaitable]
  co_return;
}

net::awaitable<void> write_some_statement(tcp::socket &s, std::string body) {
  s.async_write_some(net::buffer(body), net::use_awaitable);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: awaitable returned by 'async_write_some' is discarded; the write never runs [drain-discarded-awaitable]
  co_return;
}

net::awaitable<void> helper_task_dropped(tcp::socket &s, std::string body) {
  send_response(s, body);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: awaitable returned by 'send_response' is discarded; the write it performs never runs [drain-discarded-awaitable]
  co_return;
}

net::awaitable<void> helper_of_helper_dropped(tcp::socket &s, std::string body) {
  send_twice(s, body);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: awaitable returned by 'send_twice' is discarded; the write it performs never runs [drain-discarded-awaitable]
  co_return;
}

task<> member_task_dropped(Conn &c) {
  c.send("bye");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: awaitable returned by 'send' is discarded; the write it performs never runs [drain-discarded-awaitable]
  co_return;
}

task<> annotated_flush_dropped(Conn &c) {
  c.flush_later();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: awaitable returned by 'flush_later' is discarded; the write never runs [drain-discarded-awaitable]
  co_return;
}

void lazy_task_cast_to_void(tcp::socket &s) {
  (void)send_response(s, "x");
  // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: awaitable returned by 'send_response' is discarded; the write it performs never runs [drain-discarded-awaitable]
}

net::awaitable<void> stored_never_awaited(tcp::socket &s, std::string body) {
  auto pending = send_response(s, body);
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: awaitable returned by 'send_response' is stored in 'pending' and never awaited; the write it performs never runs [drain-discarded-awaitable]
  co_return;
}

void future_dropped(tcp::socket &s, std::string body) {
  net::async_write(s, net::buffer(body), net::use_future);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: future returned by 'async_write' is discarded; nobody sees whether the write finished [drain-discarded-awaitable]
}

void eager_task_dropped(tcp::socket &s) {
  fire(s, "x");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: awaitable returned by 'fire' is discarded; nobody sees whether its write finished [drain-discarded-awaitable]
}

//===--- negatives --------------------------------------------------------===//

net::awaitable<void> awaited(tcp::socket &s, std::string body) {
  co_await net::async_write(s, net::buffer(body), net::use_awaitable);
  co_await send_response(s, body);
  std::size_t n = co_await s.async_write_some(net::buffer(body), net::use_awaitable);
  (void)n;
}

void spawned(net::io_context &ioc, tcp::socket &s) {
  net::co_spawn(ioc, send_response(s, "hello"), net::detached);
}

net::awaitable<void> stored_then_awaited(tcp::socket &s, std::string body) {
  auto op = send_response(s, body);
  co_await std::move(op);
}

net::awaitable<void> returned(tcp::socket &s) { return send_response(s, "x"); }

net::awaitable<void> collected(tcp::socket &s, std::vector<net::awaitable<void>> &ops) {
  ops.push_back(send_response(s, "x"));
  co_return;
}

net::awaitable<void> not_a_write(net::steady_timer &t) {
  wait_a_bit(t);
  co_return;
}

void future_kept_and_waited(tcp::socket &s, std::string body) {
  auto f = net::async_write(s, net::buffer(body), net::use_future);
  f.get();
}

void eager_task_cast_to_void(tcp::socket &s) { (void)fire(s, "x"); }

void std_async_future_is_not_a_write() {
  std::async(std::launch::async, [] { return 1; });
}

void handler_token_returns_nothing(tcp::socket &s, std::string body) {
  net::async_write(s, net::buffer(body), [](error_code ec, std::size_t) {});
}

net::awaitable<void> as_tuple_result_belongs_to_discarded_io_result(tcp::socket &s,
                                                                     std::string body) {
  co_await net::async_write(s, net::buffer(body), net::as_tuple(net::use_awaitable));
}

// folly-style task known by name; the write is known from the annotation on its declaration.
namespace folly::coro {
template <class T> class Task {
public:
  ~Task();
};
} // namespace folly::coro
[[clang::annotate("drain::flush")]] folly::coro::Task<void> flush_async(int fd);
void folly_task_dropped(int fd) {
  flush_async(fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: awaitable returned by 'flush_async' is discarded; the write never runs [drain-discarded-awaitable]
}
folly::coro::Task<void> folly_task_returned(int fd) { return flush_async(fd); }

// more negatives: every way of handing the awaitable on
net::awaitable<void> awaited_conditionally(tcp::socket &s, bool twice) {
  co_await (twice ? send_twice(s, "x") : send_response(s, "x"));
}

net::awaitable<void> co_returned(tcp::socket &s) { co_return co_await send_response(s, "x"); }

struct Pending {
  net::awaitable<void> op;
};
Pending kept_in_a_member(tcp::socket &s) { return Pending{send_response(s, "x")}; }

auto lambda_returns_it(tcp::socket &s) {
  return [&s] { return send_response(s, "x"); };
}

template <class A> void run_later(A &&);
void handed_to_a_function(tcp::socket &s) { run_later(send_response(s, "x")); }

net::awaitable<void> awaited_through_a_reference(tcp::socket &s) {
  net::awaitable<void> op = send_response(s, "x");
  net::awaitable<void> &ref = op;
  co_await std::move(ref);
}
