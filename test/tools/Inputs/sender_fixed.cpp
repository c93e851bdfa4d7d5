// The strand task queues the message and writes only when it is the only one queued; the
// handler removes it and writes the next.
#include <boost/asio.hpp>
#include <deque>
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
      outbox_.push_back(msg);
      if (outbox_.size() > 1)
        return; // a write is in progress; its handler sends this one
      write_front();
    });
  }

private:
  void write_front() {
    auto on_written = [this](const error_code &ec, std::size_t) {
      outbox_.pop_front();
      if (ec) {
        log_failure(ec);
        return;
      }
      if (!outbox_.empty())
        write_front();
    };
    net::async_write(sock_, net::buffer(*outbox_.front()), strand_.wrap(on_written));
  }
  net::io_context::strand strand_;
  tcp::socket sock_;
  std::deque<std::shared_ptr<std::string>> outbox_;
};
