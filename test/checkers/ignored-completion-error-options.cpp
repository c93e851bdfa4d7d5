// RUN: %check_drain %s drain-ignored-completion-error %t -config='{CheckOptions: [{key: drain-ignored-completion-error.CheckByteCount, value: false}, {key: drain-ignored-completion-error.ReportNoHandler, value: false}]}' -- -- -isystem %S/Inputs/async
#include <boost/asio.hpp>
#include <string>

namespace net = boost::asio;
using tcp = net::ip::tcp;
using boost::system::error_code;
void log_error(const error_code &);

// Still reported: the error.
void error_ignored(tcp::socket &s, const std::string &b) {
  s.async_write_some(net::buffer(b), [](error_code, std::size_t n) {});
  // CHECK-MESSAGES: :[[@LINE-1]]:38: warning: completion handler of 'async_write_some' ignores the error; a failed write goes unnoticed [drain-ignored-completion-error]
}

// CheckByteCount=false
void count_ignored(tcp::socket &s, const std::string &b) {
  s.async_write_some(net::buffer(b), [](error_code ec, std::size_t) { log_error(ec); });
}

// ReportNoHandler=false
void detached(tcp::socket &s, const std::string &b) {
  net::async_write(s, net::buffer(b), net::detached);
}
