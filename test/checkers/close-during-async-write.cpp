// RUN: %check_drain -std=c++17,c++20 %s drain-close-during-async-write %t -- -- -isystem %S/Inputs/async
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <memory>
#include <string>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using beast::error_code;

void log_error(const error_code &);

//===--- positives --------------------------------------------------------===//

void shutdown_right_after_async_write(tcp::socket &sock, const std::string &body) {
  net::async_write(sock, net::buffer(body), [](error_code ec, std::size_t) { log_error(ec); });
  sock.shutdown(tcp::socket::shutdown_send);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'sock' is shut down while an asynchronous write on it may still be in flight [drain-close-during-async-write]
}

// A socket held by a smart pointer is named by the pointer, not by `p->`.
void close_through_shared_ptr(std::shared_ptr<tcp::socket> p, const std::string &body) {
  net::async_write(*p, net::buffer(body), [](error_code ec, std::size_t) { log_error(ec); });
  p->close();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'p' is closed while an asynchronous write on it may still be in flight [drain-close-during-async-write]
}

void close_after_async_write_some(tcp::socket &sock, const std::string &body) {
  sock.async_write_some(net::buffer(body), [](error_code ec, std::size_t n) { log_error(ec); });
  error_code ignored;
  sock.close(ignored);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'sock' is closed while an asynchronous write on it may still be in flight [drain-close-during-async-write]
}

void cancel_after_async_send(tcp::socket &sock, const std::string &body) {
  sock.async_send(net::buffer(body), [](error_code ec, std::size_t n) { log_error(ec); });
  sock.cancel();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'sock' is cancelled while an asynchronous write on it may still be in flight [drain-close-during-async-write]
}

void close_on_one_path(tcp::socket &sock, const std::string &body, bool keep_alive) {
  if (!body.empty())
    net::async_write(sock, net::buffer(body), [](error_code ec, std::size_t) { log_error(ec); });
  if (!keep_alive)
    sock.close();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'sock' is closed while an asynchronous write on it may still be in flight [drain-close-during-async-write]
}

void future_not_waited_then_close(tcp::socket &sock, const std::string &body) {
  std::future<std::size_t> done = net::async_write(sock, net::buffer(body), net::use_future);
  sock.close();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'sock' is closed while an asynchronous write on it may still be in flight [drain-close-during-async-write]
  done.get();
}

void local_socket_destroyed(net::io_context &ioc, const std::string &body) {
  tcp::socket sock(ioc);
  net::async_write(sock, net::buffer(body), net::detached);
}
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: 'sock' is destroyed while an asynchronous write on it may still be in flight [drain-close-during-async-write]

class Session : public std::enable_shared_from_this<Session> {
public:
  Session(tcp::socket s, net::io_context &ioc) : stream_(std::move(s)), sock_(ioc) {}

  // Beast's http session shape with the close in the wrong place.
  void send_then_close() {
    http::async_write(stream_, res_,
                      beast::bind_front_handler(&Session::on_write, shared_from_this()));
    stream_.socket().shutdown(tcp::socket::shutdown_send);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'stream_.socket()' is shut down while an asynchronous write on it may still be in flight [drain-close-during-async-write]
  }

  void send_then_close_lowest_layer() {
    auto self = shared_from_this();
    http::async_write(self->stream_, res_, [self](error_code ec, std::size_t) {
      self->on_write(ec, 0);
    });
    beast::get_lowest_layer(stream_).close();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'beast::get_lowest_layer(stream_)' is closed while an asynchronous write on it may still be in flight [drain-close-during-async-write]
  }

  void send_then_do_close() {
    http::async_write(stream_, res_,
                      beast::bind_front_handler(&Session::on_write, shared_from_this()));
    do_close();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'stream_.socket()' is shut down while an asynchronous write on it may still be in flight [drain-close-during-async-write]
  }

  void ws_write_then_close_next_layer(const std::string &text) {
    ws_.async_write(net::buffer(text), [](error_code ec, std::size_t) { log_error(ec); });
    ws_.next_layer().close();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'ws_.next_layer()' is closed while an asynchronous write on it may still be in flight [drain-close-during-async-write]
  }

  // A handler of one write starts the next and closes right away.
  void chained_write_then_close(const std::string &more) {
    net::async_write(sock_, net::buffer(more), [this, more](error_code ec, std::size_t) {
      if (ec)
        return;
      net::async_write(sock_, net::buffer(more), [](error_code ec, std::size_t) {});
      sock_.close();
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'sock_' is closed while an asynchronous write on it may still be in flight [drain-close-during-async-write]
    });
  }

  void on_write(error_code ec, std::size_t);
  void do_close() {
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

private:
  beast::tcp_stream stream_;
  tcp::socket sock_;
  websocket::stream<beast::tcp_stream> ws_;
  http::response<http::string_body> res_;
};

//===--- negatives --------------------------------------------------------===//

void close_in_completion_handler(tcp::socket &sock, const std::string &body) {
  net::async_write(sock, net::buffer(body), [&sock](error_code ec, std::size_t) {
    sock.shutdown(tcp::socket::shutdown_send, ec);
    sock.close(ec);
  });
}

void close_before_write(tcp::socket &sock, const std::string &body) {
  sock.close();
  net::async_write(sock, net::buffer(body), [](error_code, std::size_t) {});
}

void sync_write_then_close(tcp::socket &sock, const std::string &body) {
  net::write(sock, net::buffer(body));
  sock.shutdown(tcp::socket::shutdown_send);
  sock.close();
}

void future_waited_then_close(tcp::socket &sock, const std::string &body) {
  std::future<std::size_t> done = net::async_write(sock, net::buffer(body), net::use_future);
  done.get();
  sock.close();
}

void future_waited_inline_then_close(tcp::socket &sock, const std::string &body) {
  net::async_write(sock, net::buffer(body), net::use_future).get();
  sock.close();
}

void yield_context_write_then_close(tcp::socket &sock, const std::string &body,
                                    net::yield_context yield) {
  error_code ec;
  net::async_write(sock, net::buffer(body), yield[ec]);
  if (ec)
    log_error(ec);
  sock.shutdown(tcp::socket::shutdown_send, ec);
  sock.close(ec);
}

void run_loop_then_close(net::io_context &ioc, tcp::socket &sock, const std::string &body) {
  net::async_write(sock, net::buffer(body), [](error_code ec, std::size_t) { log_error(ec); });
  ioc.run();
  sock.close();
}

void close_another_socket(tcp::socket &a, tcp::socket &b, const std::string &body) {
  net::async_write(a, net::buffer(body), [](error_code ec, std::size_t) { log_error(ec); });
  b.close();
}

void cancel_a_timer_not_the_socket(tcp::socket &sock, net::steady_timer &timer,
                                   const std::string &body) {
  net::async_write(sock, net::buffer(body), [](error_code ec, std::size_t) { log_error(ec); });
  timer.cancel();
}

void socket_moved_into_session(net::io_context &ioc, const std::string &greeting) {
  tcp::socket sock(ioc);
  net::async_write(sock, net::buffer(greeting), net::detached);
  std::make_shared<Session>(std::move(sock), ioc);
}

void shared_socket_kept_by_handler(net::io_context &ioc, const std::string &body) {
  auto sock = std::make_shared<tcp::socket>(ioc);
  net::async_write(*sock, net::buffer(body), [sock](error_code ec, std::size_t) {
    sock->close(ec);
  });
}

void return_before_close(tcp::socket &sock, const std::string &body, bool async) {
  if (async) {
    net::async_write(sock, net::buffer(body), [](error_code, std::size_t) {});
    return;
  }
  net::write(sock, net::buffer(body));
  sock.close();
}

// Asio's echo server: read, then write the data back, then read again.
class EchoSession : public std::enable_shared_from_this<EchoSession> {
public:
  explicit EchoSession(tcp::socket s) : socket_(std::move(s)) {}
  void start() { do_read(); }

private:
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
                       else
                         socket_.close();
                     });
  }
  tcp::socket socket_;
  char data_[1024];
};

// Beast's http session: the close happens in on_write, after the write completed.
class BeastSession : public std::enable_shared_from_this<BeastSession> {
public:
  explicit BeastSession(tcp::socket &&s) : stream_(std::move(s)) {}
  void send(http::response<http::string_body> &&msg) {
    res_ = std::move(msg);
    http::async_write(stream_, res_,
                      beast::bind_front_handler(&BeastSession::on_write, shared_from_this(),
                                                res_.need_eof()));
  }
  void on_write(bool close, error_code ec, std::size_t bytes_transferred) {
    beast::ignore_unused(bytes_transferred);
    if (ec)
      return log_error(ec);
    if (close)
      return do_close();
  }
  void do_close() {
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

private:
  beast::tcp_stream stream_;
  http::response<http::string_body> res_;
};

// The websocket chat example: a queue of messages, drained in on_write.
class WsSession : public std::enable_shared_from_this<WsSession> {
public:
  void send(std::shared_ptr<const std::string> const &ss) {
    queue_.push_back(ss);
    if (queue_.size() > 1)
      return;
    ws_.async_write(net::buffer(*queue_.front()),
                    beast::bind_front_handler(&WsSession::on_write, shared_from_this()));
  }
  void on_write(error_code ec, std::size_t) {
    if (ec)
      return log_error(ec);
    queue_.erase(queue_.begin());
    if (!queue_.empty())
      ws_.async_write(net::buffer(*queue_.front()),
                      beast::bind_front_handler(&WsSession::on_write, shared_from_this()));
  }
  void on_read(error_code ec, std::size_t) {
    if (ec)
      return log_error(ec);
    ws_.async_read(buffer_, beast::bind_front_handler(&WsSession::on_read, shared_from_this()));
  }
  void run() {
    ws_.async_read(buffer_, beast::bind_front_handler(&WsSession::on_read, shared_from_this()));
  }

private:
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  std::vector<std::shared_ptr<const std::string>> queue_;
};

#if __cplusplus > 201703L
net::awaitable<void> co_write_then_close(tcp::socket sock, std::string body) {
  co_await net::async_write(sock, net::buffer(body), net::use_awaitable);
  sock.shutdown(tcp::socket::shutdown_send);
  sock.close();
}

net::awaitable<void> co_write_redirect_then_close(tcp::socket sock, std::string body) {
  error_code ec;
  co_await net::async_write(sock, net::buffer(body), net::redirect_error(net::use_awaitable, ec));
  if (ec)
    log_error(ec);
  sock.close();
}

net::awaitable<void> co_write_as_tuple_then_close(tcp::socket sock, std::string body) {
  auto [ec, n] =
      co_await net::async_write(sock, net::buffer(body), net::as_tuple(net::use_awaitable));
  if (ec)
    log_error(ec);
  sock.close();
}
#endif

//===--- negatives from real code (regressions) ---------------------------===//

// Asio's timeouts/blocking_tcp_client: run_for() in a helper, and a close on timeout that is
// meant to cut the write short.
class BlockingClient {
public:
  void write_line(const std::string &line, std::chrono::steady_clock::duration timeout) {
    error_code error;
    net::async_write(socket_, net::buffer(line),
                     [&](const error_code &result_error, std::size_t) { error = result_error; });
    run(timeout);
    if (error)
      log_error(error);
  }

private:
  void run(std::chrono::steady_clock::duration timeout) {
    io_context_.restart();
    io_context_.run_for(timeout);
    socket_.close();
    io_context_.run();
  }
  net::io_context io_context_;
  tcp::socket socket_{io_context_};
};

// Asio's timeouts/blocking_token_tcp_client: a project's own completion token that makes the
// initiating function block and return the byte count.
struct close_after {
  explicit close_after(int seconds, tcp::socket &s) : socket_(s) {}
  tcp::socket &socket_;
};
namespace boost::asio {
template <> struct async_result<close_after, write_sig> { using return_type = std::size_t; };
} // namespace boost::asio
void blocking_token_client(net::io_context &ioc, const std::string &msg) {
  tcp::socket socket(ioc);
  net::async_write(socket, net::buffer(msg), close_after(10, socket));
}
