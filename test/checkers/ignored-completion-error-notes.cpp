// RUN: %check_drain %s drain-ignored-completion-error %t -- -- -isystem %S/Inputs/async
// The notes: where the error went and what to do.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <string>

namespace net = boost::asio;
using tcp = net::ip::tcp;
using boost::system::error_code;

void unnamed(tcp::socket &s, const std::string &b) {
  net::async_write(s, net::buffer(b), [](error_code, std::size_t) {});
  // CHECK-NOTES: :[[@LINE-1]]:39: warning: completion handler of 'async_write' ignores the error; a failed write goes unnoticed [drain-ignored-completion-error]
  // CHECK-NOTES: :[[@LINE-2]]:52: note: the error parameter is unnamed
  // CHECK-NOTES: :[[@LINE-3]]:39: note: test the error before treating the data as sent (at least log it and stop using the connection)
}

struct Session : std::enable_shared_from_this<Session> {
  void on_write(error_code ec, std::size_t n) {}
  void send(const std::string &b) {
    net::async_write(sock_, net::buffer(b),
                     boost::beast::bind_front_handler(&Session::on_write, shared_from_this()));
    // CHECK-NOTES: :[[@LINE-1]]:22: warning: completion handler of 'async_write' ignores the error; a failed write goes unnoticed [drain-ignored-completion-error]
    // CHECK-NOTES: :[[@LINE-5]]:28: note: 'ec' is never read in the handler
    // CHECK-NOTES: :[[@LINE-3]]:22: note: test the error before treating the data as sent (at least log it and stop using the connection)
  }
  tcp::socket sock_;
};

void redirected(tcp::socket &s, const std::string &b, net::yield_context yield) {
  error_code ec;
  net::async_write(s, net::buffer(b), yield[ec]);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: error of 'async_write' is stored in 'ec', which is never read after the write; a failed write goes unnoticed [drain-ignored-completion-error]
  // CHECK-NOTES: :[[@LINE-2]]:45: note: the error is stored in 'ec' here; test it after the write
}
