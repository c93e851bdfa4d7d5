// RUN: %check_drain -std=c++20 %s drain-discarded-awaitable %t -- -- -isystem %S/Inputs/async
// The notes: where the helper writes, and the fix.
#include <boost/asio.hpp>
#include <string>

namespace net = boost::asio;
using tcp = net::ip::tcp;

net::awaitable<void> send_response(tcp::socket &s, std::string body) {
  co_await net::async_write(s, net::buffer(body), net::use_awaitable);
}

net::awaitable<void> session(tcp::socket &s) {
  send_response(s, "200 OK");
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: awaitable returned by 'send_response' is discarded; the write it performs never runs [drain-discarded-awaitable]
  // CHECK-NOTES: :[[@LINE-6]]:12: note: 'send_response' writes here
  // CHECK-NOTES: :[[@LINE-3]]:3: note: co_await it, or start it with co_spawn
  co_return;
}
