// RUN: %check_drain -std=c++20 %s drain-discarded-awaitable %t -config='{CheckOptions: [{key: drain-discarded-awaitable.AnyAwaitable, value: true}, {key: drain-discarded-awaitable.AllowCastToVoid, value: false}]}' -- -- -isystem %S/Inputs/async
#include <boost/asio.hpp>
#include <future>

namespace net = boost::asio;

net::awaitable<void> wait_a_bit(net::steady_timer &t) { co_await t.async_wait(net::use_awaitable); }
std::future<int> compute();

// AnyAwaitable=true: a dropped awaitable that does not write is reported too.
net::awaitable<void> timer_task_dropped(net::steady_timer &t) {
  wait_a_bit(t);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: awaitable returned by 'wait_a_bit' is discarded; it never runs [drain-discarded-awaitable]
  co_return;
}

// AllowCastToVoid=false: even an eager future cast to void.
void future_cast_to_void() {
  (void)compute();
  // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: future returned by 'compute' is discarded; nobody sees its outcome [drain-discarded-awaitable]
}
