// Every message handed to the strand is written at once: the strand runs one task at a time,
// but a write outlasts the task that starts it, so the next task starts a second write.
#include <boost/asio.hpp>
#include <memory>
#include <string>

namespace net = boost::asio;
using tcp = net::ip::tcp;
using boost::system::error_code;

void log_failure(const error_code &);

class Sender {
public:
  Sender(net::io_context &ioc, tcp::socket sock) : strand_(ioc), sock_(std::move(sock)) {}
  void send(std::shared_ptr<std::string> msg) {
    strand_.post([this, msg] {
      auto on_written = [msg](const error_code &ec, std::size_t) {
        if (ec)
          log_failure(ec);
      };
      net::async_write(sock_, net::buffer(*msg), strand_.wrap(on_written));
    });
  }

private:
  net::io_context::strand strand_;
  tcp::socket sock_;
};
