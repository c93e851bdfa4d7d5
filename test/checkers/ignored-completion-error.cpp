// RUN: %check_drain -std=c++17,c++20 %s drain-ignored-completion-error %t -- -- -isystem %S/Inputs/async
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <functional>
#include <memory>
#include <string>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using beast::error_code;
using namespace std::placeholders;

void log_error(const error_code &, const char *what);
void note_sent(std::size_t);

//===--- positives --------------------------------------------------------===//

void unnamed_error_parameter(tcp::socket &s, const std::string &body) {
  net::async_write(s, net::buffer(body), [](error_code, std::size_t n) { note_sent(n); });
  // CHECK-MESSAGES: :[[@LINE-1]]:42: warning: completion handler of 'async_write' ignores the error; a failed write goes unnoticed [drain-ignored-completion-error]
}

void named_error_never_read(tcp::socket &s, const std::string &body) {
  net::async_write(s, net::buffer(body), [&body](error_code ec, std::size_t) {
    // CHECK-MESSAGES: :[[@LINE-1]]:42: warning: completion handler of 'async_write' ignores the error; a failed write goes unnoticed [drain-ignored-completion-error]
    note_sent(body.size());
  });
}

void ignores(error_code ec, std::size_t n) { note_sent(n); }
void free_function_handler(tcp::socket &s, const std::string &body) {
  net::async_write(s, net::buffer(body), ignores);
  // CHECK-MESSAGES: :[[@LINE-1]]:42: warning: completion handler of 'async_write' ignores the error; a failed write goes unnoticed [drain-ignored-completion-error]
}

struct CountingHandler {
  void operator()(const error_code &ec, std::size_t n) { note_sent(n); }
};
void handler_object(tcp::socket &s, const std::string &body) {
  net::async_write(s, net::buffer(body), CountingHandler{});
  // CHECK-MESSAGES: :[[@LINE-1]]:42: warning: completion handler of 'async_write' ignores the error; a failed write goes unnoticed [drain-ignored-completion-error]
}

void write_some_ignores_count(tcp::socket &s, const std::string &body) {
  s.async_write_some(net::buffer(body), [](error_code ec, std::size_t) {
    // CHECK-MESSAGES: :[[@LINE-1]]:41: warning: completion handler of 'async_write_some' ignores the byte count; a short write loses the rest of the buffer [drain-ignored-completion-error]
    if (ec)
      log_error(ec, "write");
  });
}

void send_ignores_both(tcp::socket &s, const std::string &body) {
  s.async_send(net::buffer(body), [](error_code, std::size_t) {});
  // CHECK-MESSAGES: :[[@LINE-1]]:35: warning: completion handler of 'async_send' ignores the error and the byte count; a failed or short write goes unnoticed [drain-ignored-completion-error]
}

void yield_error_never_read(tcp::socket &s, const std::string &body, net::yield_context yield) {
  error_code ec;
  net::async_write(s, net::buffer(body), yield[ec]);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: error of 'async_write' is stored in 'ec', which is never read after the write; a failed write goes unnoticed [drain-ignored-completion-error]
}

void yield_error_read_only_before(tcp::socket &s, const std::string &body,
                                  net::yield_context yield) {
  error_code ec;
  char buf[64];
  net::async_read(s, net::buffer(buf, sizeof buf), yield[ec]);
  if (ec)
    return log_error(ec, "read");
  net::async_write(s, net::buffer(body), yield[ec]);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: error of 'async_write' is stored in 'ec', which is never read after the write; a failed write goes unnoticed [drain-ignored-completion-error]
}

void detached_write(tcp::socket &s, const std::string &body) {
  net::async_write(s, net::buffer(body), net::detached);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'async_write' is detached, so a failed write goes unnoticed [drain-ignored-completion-error]
}

void through_bind_executor(tcp::socket &s, net::strand<net::any_io_executor> &strand,
                           const std::string &body) {
  net::async_write(s, net::buffer(body), net::bind_executor(strand, [](error_code, std::size_t) {}));
  // CHECK-MESSAGES: :[[@LINE-1]]:69: warning: completion handler of 'async_write' ignores the error; a failed write goes unnoticed [drain-ignored-completion-error]
}

class Session : public std::enable_shared_from_this<Session> {
public:
  void send_bound() {
    http::async_write(stream_, res_,
                      beast::bind_front_handler(&Session::on_write_ignoring, shared_from_this()));
    // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: completion handler of 'async_write' ignores the error; a failed write goes unnoticed [drain-ignored-completion-error]
  }
  void send_bound_with_flag() {
    http::async_write(stream_, res_,
                      beast::bind_front_handler(&Session::on_write_close, shared_from_this(),
                                                res_.need_eof()));
    // CHECK-MESSAGES: :[[@LINE-2]]:23: warning: completion handler of 'async_write' ignores the error; a failed write goes unnoticed [drain-ignored-completion-error]
  }
  void send_std_bind_without_placeholders() {
    http::async_write(stream_, res_, std::bind(&Session::after_write, this));
    // CHECK-MESSAGES: :[[@LINE-1]]:38: warning: completion handler of 'async_write' ignores the error; a failed write goes unnoticed [drain-ignored-completion-error]
  }
  void ws_send(const std::string &text) {
    ws_.async_write(net::buffer(text), [self = shared_from_this()](error_code ec, std::size_t) {
      // CHECK-MESSAGES: :[[@LINE-1]]:40: warning: completion handler of 'async_write' ignores the error; a failed write goes unnoticed [drain-ignored-completion-error]
      self->ws_send_next();
    });
  }
  void ws_send_next();

  void on_write_ignoring(error_code ec, std::size_t bytes) { note_sent(bytes); }
  void on_write_close(bool close, error_code, std::size_t) {
    if (close)
      beast::get_lowest_layer(stream_).close();
  }
  void on_write_checked(error_code ec, std::size_t) {
    if (ec)
      log_error(ec, "write");
  }
  void after_write();

  //===--- negatives (members) ---------------------------------------------===//

  void send_bound_checked() {
    http::async_write(stream_, res_,
                      beast::bind_front_handler(&Session::on_write_checked, shared_from_this()));
  }
  void send_std_bind_with_placeholders() {
    http::async_write(stream_, res_, std::bind(&Session::on_write_checked, this, _1, _2));
  }
  // Beast's on_write(bool close, error_code ec, std::size_t bytes_transferred).
  void send_beast_style() {
    http::async_write(stream_, res_,
                      beast::bind_front_handler(&Session::on_write_beast, shared_from_this(),
                                                res_.need_eof()));
  }
  void on_write_beast(bool close, error_code ec, std::size_t bytes_transferred) {
    beast::ignore_unused(bytes_transferred);
    if (ec)
      return log_error(ec, "write");
    if (close)
      beast::get_lowest_layer(stream_).close();
  }
  void forwarding_lambda() {
    http::async_write(stream_, res_, [self = shared_from_this()](error_code ec, std::size_t n) {
      self->on_write_checked(ec, n);
    });
  }

private:
  beast::tcp_stream stream_;
  websocket::stream<beast::tcp_stream> ws_;
  http::response<http::string_body> res_;
};

//===--- negatives --------------------------------------------------------===//

void logs_and_returns(tcp::socket &s, const std::string &body) {
  net::async_write(s, net::buffer(body), [](error_code ec, std::size_t) {
    if (ec)
      return log_error(ec, "write");
  });
}

void compares_with_an_error(tcp::socket &s, const std::string &body) {
  net::async_write(s, net::buffer(body), [](const error_code &ec, std::size_t) {
    if (ec == net::error::operation_aborted)
      return;
  });
}

void write_some_continues_with_the_rest(tcp::socket &s, std::string body, std::size_t off) {
  s.async_write_some(net::buffer(body.data() + off, body.size() - off),
                     [&s, body, off](error_code ec, std::size_t n) {
                       if (!ec && off + n < body.size())
                         write_some_continues_with_the_rest(s, body, off + n);
                     });
}

struct CheckingHandler {
  void operator()(error_code ec, std::size_t) {
    if (ec)
      log_error(ec, "write");
  }
};
void checking_handler_object(tcp::socket &s, const std::string &body) {
  net::async_write(s, net::buffer(body), CheckingHandler());
}

void generic_lambda(tcp::socket &s, const std::string &body) {
  net::async_write(s, net::buffer(body), [](auto ec, auto n) {
    if (ec)
      log_error(ec, "write");
  });
}

void handler_defined_elsewhere(error_code ec, std::size_t n);
void declared_only_handler(tcp::socket &s, const std::string &body) {
  net::async_write(s, net::buffer(body), handler_defined_elsewhere);
}

void std_function_handler(tcp::socket &s, const std::string &body,
                          std::function<void(error_code, std::size_t)> done) {
  net::async_write(s, net::buffer(body), done);
}

void read_handler_is_not_a_write(tcp::socket &s, char (&buf)[64]) {
  s.async_read_some(net::buffer(buf, sizeof buf), [](error_code, std::size_t) {});
}

void timer_handler_is_not_a_write(net::steady_timer &t) {
  t.async_wait([](error_code) {});
}

void yield_then_test(tcp::socket &s, const std::string &body, net::yield_context yield) {
  error_code ec;
  net::async_write(s, net::buffer(body), yield[ec]);
  if (ec)
    log_error(ec, "write");
}

void yield_in_loop(tcp::socket &s, const std::string &body, net::yield_context yield) {
  error_code ec;
  while (!ec)
    net::async_write(s, net::buffer(body), yield[ec]);
}

void yield_without_ec_throws(tcp::socket &s, const std::string &body, net::yield_context yield) {
  net::async_write(s, net::buffer(body), yield);
}

void deliberately_ignored(tcp::socket &s, const std::string &body) {
  net::async_write(s, net::buffer(body), [](error_code ec, std::size_t) { (void)ec; });
}

void strand_wrapped(tcp::socket &s, net::io_context::strand &strand, const std::string &body) {
  net::async_write(s, net::buffer(body), strand.wrap([](error_code ec, std::size_t) {
                     if (ec)
                       log_error(ec, "write");
                   }));
}

void future_token(tcp::socket &s, const std::string &body) {
  std::future<std::size_t> f = net::async_write(s, net::buffer(body), net::use_future);
  f.get();
}

void local_handler_variable(tcp::socket &s, const std::string &body) {
  auto on_write = [](error_code ec, std::size_t) {
    if (ec)
      log_error(ec, "write");
  };
  net::async_write(s, net::buffer(body), on_write);
}

