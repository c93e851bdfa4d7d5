// Code as an editor sees it mid-edit, or a CI job with an incomplete include path: unknown
// types, undeclared functions, a mistyped member. The clean functions next to the broken ones
// are still analysed.
#include <boost/asio.hpp>
#include <string>

namespace net = boost::asio;
using tcp = net::ip::tcp;
using boost::system::error_code;

void log_error(const error_code &);

// broken: a local of an unknown type
void close_after_write_unknown_local(tcp::socket &s, const std::string &b) {
  Frame f;
  net::async_write(s, net::buffer(b), [](error_code ec, std::size_t) { log_error(ec); });
  s.close();
}

// broken: the handler's error parameter has an unknown type
void handler_with_unknown_error_type(tcp::socket &s, const std::string &b) {
  net::async_write(s, net::buffer(b), [](unknown_ec ec, std::size_t) { log_error(ec); });
}

// broken: an undeclared function in the body
void close_after_write_undeclared_call(tcp::socket &s, const std::string &b) {
  net::async_write(s, net::buffer(b), [](error_code ec, std::size_t) { log_error(ec); });
  if (!still_open(s))
    return;
  s.close();
}

// clean: still reported
void close_after_write_clean(tcp::socket &s, const std::string &b) {
  net::async_write(s, net::buffer(b), [](error_code ec, std::size_t) { log_error(ec); });
  s.close();
}
