// RUN: %check_drain %s drain-close-during-async-write %t -config='{CheckOptions: [{key: drain-close-during-async-write.ReportCancel, value: false}, {key: drain-close-during-async-write.ReportDestroy, value: false}, {key: drain-close-during-async-write.CheckReadHandlers, value: false}, {key: drain-close-during-async-write.AsyncWriteFunctions, value: "proto::Conn::send_async"}, {key: drain-close-during-async-write.CloseFunctions, value: "proto::Conn::drop"}]}' -- -- -isystem %S/Inputs/async
#include <boost/asio.hpp>
#include <string>

namespace net = boost::asio;
using tcp = net::ip::tcp;
using boost::system::error_code;

// The project's own asynchronous write and close, named by the options.
namespace proto {
struct Conn {
  template <class H> void send_async(const std::string &frame, H &&on_sent) {}
  void drop();
};
} // namespace proto

void own_api(proto::Conn &c) {
  c.send_async("frame", [](error_code) {});
  c.drop();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'c' is closed while an asynchronous write on it may still be in flight [drain-close-during-async-write]
}

// Still reported: close and shutdown.
void close_still_reported(tcp::socket &s, const std::string &b) {
  net::async_write(s, net::buffer(b), [](error_code, std::size_t) {});
  s.close();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 's' is closed while an asynchronous write on it may still be in flight [drain-close-during-async-write]
}

// ReportCancel=false
void cancel_not_reported(tcp::socket &s, const std::string &b) {
  net::async_write(s, net::buffer(b), [](error_code, std::size_t) {});
  s.cancel();
}

// ReportDestroy=false
void destroy_not_reported(net::io_context &ioc, const std::string &b) {
  tcp::socket s(ioc);
  net::async_write(s, net::buffer(b), net::detached);
}

// CheckReadHandlers=false
class Flagged {
public:
  void do_read() {
    sock_.async_read_some(net::buffer(in_), [this](error_code ec, std::size_t) {
      if (ec)
        sock_.close();
    });
  }
  void do_write() {
    writing_ = true;
    net::async_write(sock_, net::buffer(out_), [this](error_code, std::size_t) { writing_ = false; });
  }

private:
  tcp::socket sock_;
  char in_[16];
  std::string out_;
  bool writing_ = false;
};
