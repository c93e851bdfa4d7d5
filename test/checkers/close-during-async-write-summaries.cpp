// RUN: %check_drain -std=c++17 %s drain-close-during-async-write %t -- -- -isystem %S/Inputs/async
// The in-flight state crosses the calls of the translation unit (flow-engine summaries): a
// helper that starts a write and returns leaves it in flight for its caller, and a helper
// that closes the stream it is handed closes it for its caller.
#include <boost/asio.hpp>
#include <string>

namespace net = boost::asio;
using tcp = net::ip::tcp;
using boost::system::error_code;

void log_error(const error_code &);

class Connection {
public:
  void start_write() {
    net::async_write(sock_, net::buffer(out_), [](error_code ec, std::size_t) { log_error(ec); });
  }

  // Positive: the write started in start_write() is still in flight here.
  void stop() {
    start_write();
    sock_.close();
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'sock_' is closed while an asynchronous write on it may still be in flight [drain-close-during-async-write]
    // CHECK-NOTES: :[[@LINE-8]]:5: note: asynchronous write started here; it is in flight until its completion handler runs
    // CHECK-NOTES: :[[@LINE-4]]:5: note: 'start_write' returns with the write still in flight
    // CHECK-NOTES: :[[@LINE-4]]:5: note: close it from the write's completion handler, or co_await the write first
  }

  // Negative: closed before the write starts.
  void reopen() {
    sock_.close();
    start_write();
  }

  // Negative: the helper waits for its write.
  void send_and_wait() {
    net::async_write(sock_, net::buffer(out_), net::use_future).get();
  }
  void send_wait_close() {
    send_and_wait();
    sock_.close();
  }

  // Negative: the write's own handler closes the stream, after the write.
  void start_then_close_in_handler() {
    net::async_write(sock_, net::buffer(out_), [this](error_code ec, std::size_t) {
      sock_.close(ec);
    });
  }
  void stop_from_handler() { start_then_close_in_handler(); }

private:
  tcp::socket sock_;
  std::string out_;
};

// Positive: a free helper closes the socket it is handed.
void close_socket(tcp::socket &s) {
  error_code ignored;
  s.close(ignored);
}
void reply_and_close(tcp::socket &sock, const std::string &body) {
  net::async_write(sock, net::buffer(body), [](error_code ec, std::size_t) { log_error(ec); });
  close_socket(sock);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'sock' is closed while an asynchronous write on it may still be in flight [drain-close-during-async-write]
  // CHECK-NOTES: :[[@LINE-3]]:3: note: asynchronous write started here; it is in flight until its completion handler runs
  // CHECK-NOTES: :[[@LINE-7]]:3: note: 'close_socket' closes the stream here
  // CHECK-NOTES: :[[@LINE-4]]:3: note: close it from the write's completion handler, or co_await the write first
}

// Negative: the helper closes only when asked to, after the write completed.
void reply_then_close_later(tcp::socket &sock, const std::string &body) {
  net::async_write(sock, net::buffer(body), [&sock](error_code ec, std::size_t) {
    log_error(ec);
    close_socket(sock);
  });
}

// Negative: the helper runs the event loop; every handler has run when it returns.
void drain_loop(net::io_context &ioc) { ioc.run(); }
void reply_run_close(net::io_context &ioc, tcp::socket &sock, const std::string &body) {
  net::async_write(sock, net::buffer(body), [](error_code ec, std::size_t) { log_error(ec); });
  drain_loop(ioc);
  close_socket(sock);
}

// Negative: a helper that writes on another socket.
void start_on(tcp::socket &s, const std::string &body) {
  net::async_write(s, net::buffer(body), [](error_code ec, std::size_t) { log_error(ec); });
}
void write_one_close_other(tcp::socket &a, tcp::socket &b, const std::string &body) {
  start_on(a, body);
  b.close();
}

// Positive: two helpers, one starts, one closes.
void start_then_close(tcp::socket &s, const std::string &body) {
  start_on(s, body);
  close_socket(s);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 's' is closed while an asynchronous write on it may still be in flight [drain-close-during-async-write]
  // CHECK-NOTES: :[[@LINE-12]]:3: note: asynchronous write started here; it is in flight until its completion handler runs
  // CHECK-NOTES: :[[@LINE-4]]:3: note: 'start_on' returns with the write still in flight
  // CHECK-NOTES: :[[@LINE-43]]:3: note: 'close_socket' closes the stream here
  // CHECK-NOTES: :[[@LINE-5]]:3: note: close it from the write's completion handler, or co_await the write first
}
