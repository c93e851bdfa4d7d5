// RUN: %check_drain %s drain-overlapping-async-write %t -config='{CheckOptions: [{key: drain-overlapping-async-write.StartFunctionWords, value: "boot"}, {key: drain-overlapping-async-write.AsyncWriteFunctions, value: "proto::Channel::send_async"}]}' -- -- -isystem %S/Inputs/async
// StartFunctionWords: only `boot...` methods run once per connection here, so a start() that
// can be called again is an entry. AsyncWriteFunctions: a project's own asynchronous write.
#include <boost/asio.hpp>
#include <deque>
#include <string>

namespace net = boost::asio;
using tcp = net::ip::tcp;
using boost::system::error_code;

namespace proto {
// A project's channel: writes the bytes, then calls the handler; one write at a time.
class Channel {
public:
  template <class Handler> void send_async(const std::string &bytes, Handler &&handler);
};
} // namespace proto

//===--- positives --------------------------------------------------------===//

// With the default words, start() would run once; here it is an ordinary method.
class Restartable {
public:
  explicit Restartable(net::io_context &ioc) : sock_(ioc) {}
  void start(std::string greeting) {
    lines_.push_back(std::move(greeting));
    net::async_write(sock_, net::buffer(lines_.back()), [this](error_code, std::size_t) {
      // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: asynchronous write on 'sock_' may start while an earlier one is still in flight; the bytes of the two messages can interleave [drain-overlapping-async-write]
      lines_.clear();
    });
  }

private:
  tcp::socket sock_;
  std::deque<std::string> lines_;
};

// The model names the project's write.
class Relay {
public:
  void forward(std::string msg) {
    backlog_.push_back(std::move(msg));
    chan_.send_async(backlog_.back(), [this](error_code) { backlog_.pop_front(); });
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: asynchronous write on 'chan_' may start while an earlier one is still in flight; the bytes of the two messages can interleave [drain-overlapping-async-write]
  }

private:
  proto::Channel chan_;
  std::deque<std::string> backlog_;
};

//===--- negatives --------------------------------------------------------===//

// A method whose name starts with a configured word runs once per connection.
class Booting {
public:
  explicit Booting(net::io_context &ioc) : sock_(ioc) {}
  void boot_session(std::string greeting) {
    lines_.push_back(std::move(greeting));
    net::async_write(sock_, net::buffer(lines_.back()), [this](error_code, std::size_t) {
      lines_.clear();
    });
  }

private:
  tcp::socket sock_;
  std::deque<std::string> lines_;
};

// Relay's twin: one send_async at a time.
class QueuedRelay {
public:
  void forward(std::string msg) {
    backlog_.push_back(std::move(msg));
    if (backlog_.size() == 1)
      send_front();
  }

private:
  void send_front() {
    chan_.send_async(backlog_.front(), [this](error_code ec) {
      backlog_.pop_front();
      if (!ec && !backlog_.empty())
        send_front();
    });
  }
  proto::Channel chan_;
  std::deque<std::string> backlog_;
};
