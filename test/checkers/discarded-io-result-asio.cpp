// Asio's synchronous writes: the error_code& overloads report through the out-argument, so an
// error code nobody reads after the call is the dropped result.
// RUN: %check_drain -std=c++17,c++20 %s drain-discarded-io-result %t -- -- -isystem %S/Inputs/async

#include <boost/asio.hpp>
#include <string>

namespace net = boost::asio;
using tcp = net::ip::tcp;
using boost::system::error_code;

void fail(const error_code &, const char *what);

// positives

void asio_write_error_code_never_read(tcp::socket &s, const std::string &body) {
  error_code ec;
  net::write(s, net::buffer(body), ec);
  // CHECK-NOTES: :[[@LINE-1]]:8: warning: error code of 'write' is never read; a failed write goes unnoticed [drain-discarded-io-result]
  // CHECK-NOTES: :[[@LINE-2]]:36: note: 'ec' receives the error here; test the error code after the call
}

void asio_write_error_code_overwritten(tcp::socket &s, const std::string &head,
                                       const std::string &body) {
  error_code ec;
  net::write(s, net::buffer(head), ec);
  // CHECK-NOTES: :[[@LINE-1]]:8: warning: error code of 'write' is never read; a failed write goes unnoticed [drain-discarded-io-result]
  // CHECK-NOTES: :[[@LINE-2]]:36: note: 'ec' receives the error here; test the error code after the call
  net::write(s, net::buffer(body), ec);
  if (ec)
    fail(ec, "write");
}

void write_some_count_dropped(tcp::socket &s, const std::string &body) {
  s.write_some(net::buffer(body));
  // CHECK-NOTES: :[[@LINE-1]]:5: warning: result of 'write_some' is discarded; a failed or short write goes unnoticed [drain-discarded-io-result]
  // CHECK-NOTES: :[[@LINE-2]]:5: note: compare the count with the requested length and write the rest
}

void write_some_count_unread(tcp::socket &s, const std::string &body) {
  std::size_t n = s.write_some(net::buffer(body));
  // CHECK-NOTES: :[[@LINE-1]]:21: warning: result of 'write_some' is never read; a failed or short write goes unnoticed [drain-discarded-io-result]
  // CHECK-NOTES: :[[@LINE-2]]:15: note: stored in 'n', which is never read after this
  // CHECK-NOTES: :[[@LINE-3]]:21: note: compare the count with the requested length and write the rest
}

// negatives

void asio_write_error_code_tested(tcp::socket &s, const std::string &body) {
  error_code ec;
  net::write(s, net::buffer(body), ec);
  if (ec)
    fail(ec, "write");
}

error_code asio_write_error_code_returned(tcp::socket &s, const std::string &body) {
  error_code ec;
  net::write(s, net::buffer(body), ec);
  return ec;
}

void asio_write_error_code_to_caller(tcp::socket &s, const std::string &body, error_code &ec) {
  net::write(s, net::buffer(body), ec);
}

struct Session {
  tcp::socket sock;
  error_code last_error;
  void write_error_code_kept_in_member(const std::string &body) {
    net::write(sock, net::buffer(body), last_error);
  }
};

void asio_write_throwing_overload(tcp::socket &s, const std::string &body) {
  net::write(s, net::buffer(body)); // throws on error; writes everything otherwise
}

void close_and_shutdown_errors_ignored_on_purpose(tcp::socket &s) {
  error_code ec;
  s.shutdown(tcp::socket::shutdown_send, ec);
  s.close(ec);
}

void write_some_loop_advances(tcp::socket &s, const std::string &body) {
  std::size_t off = 0;
  while (off < body.size())
    off += s.write_some(net::buffer(body.data() + off, body.size() - off));
}

void asio_write_error_code_tested_in_loop(tcp::socket &s, const std::string &body) {
  error_code ec;
  for (int attempt = 0; attempt < 3; ++attempt) {
    net::write(s, net::buffer(body), ec);
    if (!ec)
      break;
  }
}
