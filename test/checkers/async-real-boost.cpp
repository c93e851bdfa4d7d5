// REQUIRES: boost-asio, boost-beast
// RUN: %check_drain -std=c++17 %s drain-close-during-async-write,drain-ignored-completion-error %t
// The async checks on the real Boost.Asio and Boost.Beast headers (Debian's libboost-dev):
// the same shapes as the mock tests, through the real template machinery (async_result,
// initiation objects, bind_front_handler, basic_stream).
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/bind/bind.hpp>
#include <functional>
#include <memory>
#include <string>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using beast::error_code;

void fail(error_code ec, const char *what);

//===--- positives --------------------------------------------------------===//

void shutdown_right_after_async_write(tcp::socket &sock, const std::string &body) {
  net::async_write(sock, net::buffer(body), [](error_code ec, std::size_t) { fail(ec, "w"); });
  sock.shutdown(tcp::socket::shutdown_send);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'sock' is shut down while an asynchronous write on it may still be in flight [drain-close-during-async-write]
}

void write_some_count_ignored(tcp::socket &sock, const std::string &body) {
  sock.async_write_some(net::buffer(body), [](error_code ec, std::size_t) { fail(ec, "w"); });
  // CHECK-MESSAGES: :[[@LINE-1]]:44: warning: completion handler of 'async_write_some' ignores the byte count; a short write loses the rest of the buffer [drain-ignored-completion-error]
}

class Session : public std::enable_shared_from_this<Session> {
public:
  explicit Session(tcp::socket &&s) : stream_(std::move(s)), ws_(net::make_strand(s.get_executor())) {}

  void send_then_close() {
    http::async_write(stream_, res_,
                      beast::bind_front_handler(&Session::on_write, shared_from_this(),
                                                res_.need_eof()));
    beast::get_lowest_layer(stream_).close();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'beast::get_lowest_layer(stream_)' is closed while an asynchronous write on it may still be in flight [drain-close-during-async-write]
  }

  void send_ignoring_error() {
    http::async_write(stream_, res_,
                      beast::bind_front_handler(&Session::on_write_ignoring, shared_from_this()));
    // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: completion handler of 'async_write' ignores the error; a failed write goes unnoticed [drain-ignored-completion-error]
  }

  void ws_send(const std::string &text) {
    ws_.async_write(net::buffer(text), [self = shared_from_this()](error_code, std::size_t) {});
    // CHECK-MESSAGES: :[[@LINE-1]]:40: warning: completion handler of 'async_write' ignores the error; a failed write goes unnoticed [drain-ignored-completion-error]
    ws_.next_layer().close();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'ws_.next_layer()' is closed while an asynchronous write on it may still be in flight [drain-close-during-async-write]
  }

  //===--- negatives: Beast's http_server_async session ---------------------===//

  void do_read() {
    req_ = {};
    stream_.expires_after(std::chrono::seconds(30));
    http::async_read(stream_, buffer_, req_,
                     beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }
  void on_read(error_code ec, std::size_t bytes_transferred) {
    boost::ignore_unused(bytes_transferred);
    if (ec == http::error::end_of_stream)
      return do_close();
    if (ec)
      return fail(ec, "read");
    res_.keep_alive(req_.keep_alive());
    http::async_write(stream_, res_,
                      beast::bind_front_handler(&Session::on_write, shared_from_this(),
                                                res_.need_eof()));
  }
  void on_write(bool close, error_code ec, std::size_t bytes_transferred) {
    boost::ignore_unused(bytes_transferred);
    if (ec)
      return fail(ec, "write");
    if (close)
      return do_close();
    do_read();
  }
  void on_write_ignoring(error_code ec, std::size_t bytes) {}
  void do_close() {
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  void write_through_strand(const std::string &text) {
    net::post(ws_.get_executor(), [self = shared_from_this(), text] {
      self->ws_.async_write(net::buffer(text), [self](error_code ec, std::size_t) {
        if (ec)
          fail(ec, "ws write");
      });
    });
  }

  void std_bind_with_placeholders() {
    http::async_write(stream_, res_,
                      std::bind(&Session::on_write, shared_from_this(), false,
                                std::placeholders::_1, std::placeholders::_2));
  }

private:
  beast::tcp_stream stream_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> req_;
  http::response<http::string_body> res_;
};

// Asio's async_tcp_echo_server session.
class Echo : public std::enable_shared_from_this<Echo> {
public:
  explicit Echo(tcp::socket s) : socket_(std::move(s)) {}
  void do_read() {
    auto self(shared_from_this());
    socket_.async_read_some(net::buffer(data_, sizeof data_),
                            [this, self](error_code ec, std::size_t length) {
                              if (!ec)
                                do_write(length);
                            });
  }
  void do_write(std::size_t length) {
    auto self(shared_from_this());
    net::async_write(socket_, net::buffer(data_, length),
                     [this, self](error_code ec, std::size_t) {
                       if (!ec)
                         do_read();
                     });
  }

private:
  tcp::socket socket_;
  char data_[1024];
};

void yield_write_then_close(tcp::socket &sock, const std::string &body, net::io_context &ioc) {
  net::async_write(sock, net::buffer(body), [&sock](error_code ec, std::size_t) {
    if (ec)
      fail(ec, "write");
    sock.shutdown(tcp::socket::shutdown_send, ec);
  });
  ioc.run();
  sock.close();
}

// Asio's cpp03 examples: boost::bind with boost::asio::placeholders::error, which with GCC and
// clang is a function returning boost::arg<1>.
class Cpp03Session {
public:
  void start_write(const std::string &reply) {
    boost::asio::async_write(socket_, boost::asio::buffer(reply),
                             boost::bind(&Cpp03Session::handle_write, this,
                                         boost::asio::placeholders::error));
  }
  void start_write_ignoring(const std::string &reply) {
    boost::asio::async_write(socket_, boost::asio::buffer(reply),
                             boost::bind(&Cpp03Session::handle_write_ignoring, this,
                                         boost::asio::placeholders::error,
                                         boost::asio::placeholders::bytes_transferred));
    // CHECK-MESSAGES: :[[@LINE-3]]:30: warning: completion handler of 'async_write' ignores the error; a failed write goes unnoticed [drain-ignored-completion-error]
  }
  void handle_write(const boost::system::error_code &error) {
    if (error)
      fail(error, "write");
  }
  void handle_write_ignoring(const boost::system::error_code &error, std::size_t n) {}

private:
  tcp::socket socket_;
};
