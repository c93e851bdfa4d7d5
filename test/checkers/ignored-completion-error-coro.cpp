// RUN: %check_drain -std=c++20 %s drain-ignored-completion-error %t -- -- -isystem %S/Inputs/async
// Coroutines: redirect_error, as_tuple and the byte count of a co_awaited async_write_some.
#include <boost/asio.hpp>
#include <string>

namespace net = boost::asio;
using tcp = net::ip::tcp;
using boost::system::error_code;

void log_error(const error_code &, const char *what);
void note_sent(std::size_t);

// positives
net::awaitable<void> co_redirect_never_read(tcp::socket &s, std::string body) {
  error_code ec;
  co_await net::async_write(s, net::buffer(body), net::redirect_error(net::use_awaitable, ec));
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: error of 'async_write' is stored in 'ec', which is never read after the write; a failed write goes unnoticed [drain-ignored-completion-error]
}

net::awaitable<void> co_tuple_error_unread(tcp::socket &s, std::string body) {
  auto [ec, n] = co_await net::async_write(s, net::buffer(body), net::as_tuple(net::use_awaitable));
  // CHECK-MESSAGES: :[[@LINE-1]]:27: warning: error of 'async_write' is bound to 'ec', which is never read; a failed write goes unnoticed [drain-ignored-completion-error]
  note_sent(n);
}

net::awaitable<void> co_write_some_count_dropped(tcp::socket &s, std::string body) {
  co_await s.async_write_some(net::buffer(body), net::use_awaitable);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: byte count of 'async_write_some' is discarded; a short write loses the rest of the buffer [drain-ignored-completion-error]
}

// negatives
net::awaitable<void> co_redirect_then_test(tcp::socket &s, std::string body) {
  error_code ec;
  co_await net::async_write(s, net::buffer(body), net::redirect_error(net::use_awaitable, ec));
  if (ec)
    log_error(ec, "write");
}

net::awaitable<void> co_tuple_tested(tcp::socket &s, std::string body) {
  auto [ec, n] = co_await net::async_write(s, net::buffer(body), net::as_tuple(net::use_awaitable));
  if (ec)
    log_error(ec, "write");
}

net::awaitable<void> co_throwing_write(tcp::socket &s, std::string body) {
  co_await net::async_write(s, net::buffer(body), net::use_awaitable);
}

net::awaitable<void> co_write_some_loop(tcp::socket &s, std::string body) {
  std::size_t off = 0;
  while (off < body.size())
    off += co_await s.async_write_some(net::buffer(body.data() + off, body.size() - off),
                                       net::use_awaitable);
}
