// REQUIRES: asio
// RUN: %check_drain -std=c++20 %s drain-discarded-awaitable,drain-ignored-completion-error,drain-close-during-async-write %t -- -- -DASIO_HAS_CO_AWAIT
// The coroutine shapes on the real standalone Asio headers (Debian's libasio-dev): awaitable,
// use_awaitable, redirect_error, experimental::as_tuple, co_spawn, the awaitable operators.
// Asio 1.22 enables co_await for clang only with the Coroutines TS macro, so clang users (and
// this test) define ASIO_HAS_CO_AWAIT with libstdc++'s <coroutine>.
#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <string>

using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;

void log_error(const asio::error_code &);

awaitable<void> send_response(tcp::socket &s, std::string body) {
  co_await asio::async_write(s, asio::buffer(body), use_awaitable);
}

//===--- positives --------------------------------------------------------===//

awaitable<void> write_statement(tcp::socket &s, std::string body) {
  asio::async_write(s, asio::buffer(body), use_awaitable);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: awaitable returned by 'async_write' is discarded; the write never runs [drain-discarded-awaitable]
  co_return;
}

awaitable<void> helper_dropped(tcp::socket &s) {
  send_response(s, "bye");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: awaitable returned by 'send_response' is discarded; the write it performs never runs [drain-discarded-awaitable]
  co_return;
}

awaitable<void> redirect_never_read(tcp::socket &s, std::string body) {
  asio::error_code ec;
  co_await asio::async_write(s, asio::buffer(body), asio::redirect_error(use_awaitable, ec));
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: error of 'async_write' is stored in 'ec', which is never read after the write; a failed write goes unnoticed [drain-ignored-completion-error]
}

awaitable<void> tuple_error_unread(tcp::socket &s, std::string body) {
  auto [ec, n] = co_await asio::async_write(s, asio::buffer(body),
                                            asio::experimental::as_tuple(use_awaitable));
  // CHECK-MESSAGES: :[[@LINE-2]]:27: warning: error of 'async_write' is bound to 'ec', which is never read; a failed write goes unnoticed [drain-ignored-completion-error]
  (void)n;
}

awaitable<void> write_some_count_dropped(tcp::socket &s, std::string body) {
  co_await s.async_write_some(asio::buffer(body), use_awaitable);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: byte count of 'async_write_some' is discarded; a short write loses the rest of the buffer [drain-ignored-completion-error]
}

//===--- negatives --------------------------------------------------------===//

awaitable<void> session(tcp::socket s) {
  char data[1024];
  for (;;) {
    std::size_t n = co_await s.async_read_some(asio::buffer(data), use_awaitable);
    co_await asio::async_write(s, asio::buffer(data, n), use_awaitable);
  }
}

awaitable<void> redirect_tested(tcp::socket &s, std::string body) {
  asio::error_code ec;
  co_await asio::async_write(s, asio::buffer(body), asio::redirect_error(use_awaitable, ec));
  if (ec)
    log_error(ec);
  s.shutdown(tcp::socket::shutdown_send, ec);
  s.close(ec);
}

awaitable<void> with_timeout(tcp::socket &s, asio::steady_timer &t, std::string body) {
  co_await (send_response(s, body) || t.async_wait(use_awaitable));
  s.close();
}

awaitable<void> listener(tcp::acceptor &a) {
  for (;;) {
    tcp::socket s = co_await a.async_accept(use_awaitable);
    asio::co_spawn(a.get_executor(), session(std::move(s)), asio::detached);
  }
}

void start(asio::io_context &ioc, tcp::socket &s) {
  asio::co_spawn(ioc, send_response(s, "hello"), [](std::exception_ptr e) {
    if (e)
      std::rethrow_exception(e);
  });
}
