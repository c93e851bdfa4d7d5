// RUN: %check_drain -std=c++17 %s drain-overlapping-async-write %t -- -- -isystem %S/Inputs/async
// The notes: where the write can be started again, the calls and posts on the way, a test that
// looks like a guard but is not one, and the fix.
#include <boost/asio.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <string>

namespace net = boost::asio;
using tcp = net::ip::tcp;
using boost::system::error_code;

//===--- positives --------------------------------------------------------===//

// The message is written without being queued, so the queue is empty again while it is in
// flight.
class Transport {
public:
  explicit Transport(net::io_context &ioc) : sock_(ioc) {}
  void send(std::string msg) {
    if (queue_.empty())
      start_write(std::move(msg));
    else
      queue_.push_back(std::move(msg));
  }

private:
  void start_write(std::string msg) {
    out_ = std::move(msg);
    net::async_write(sock_, net::buffer(out_), [this](error_code ec, std::size_t) {
      // CHECK-NOTES: :[[@LINE-1]]:5: warning: asynchronous write on 'sock_' may start while an earlier one is still in flight; the bytes of the two messages can interleave [drain-overlapping-async-write]
      // CHECK-NOTES: :[[@LINE-12]]:8: note: 'send' can be called again before the write it starts has completed
      // CHECK-NOTES: :[[@LINE-12]]:9: note: 'queue_' is tested here, but the message being written is not in it while the write is in flight, so it can be empty then
      // CHECK-NOTES: :[[@LINE-12]]:7: note: 'start_write' is called here
      // CHECK-NOTES: :[[@LINE-5]]:5: note: start a write only when none is in flight: keep the message in a queue (or set a flag) before writing, test it first, and pop it (or clear the flag) in the completion handler
      if (!ec && !queue_.empty()) {
        std::string next = std::move(queue_.front());
        queue_.pop_front();
        start_write(std::move(next));
      }
    });
  }
  tcp::socket sock_;
  std::string out_;
  std::deque<std::string> queue_;
};

// Posted to a strand through a member function bound to the object.
class Poster {
public:
  Poster(net::io_context &ioc) : strand_(ioc), sock_(ioc) {}
  void publish(std::shared_ptr<std::string> msg) {
    strand_.post(std::bind(&Poster::write_now, this, msg));
  }

private:
  void write_now(std::shared_ptr<std::string> msg) {
    net::async_write(sock_, net::buffer(*msg), [msg](error_code, std::size_t) {});
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: asynchronous write on 'sock_' may start while an earlier one is still in flight; the bytes of the two messages can interleave [drain-overlapping-async-write]
    // CHECK-NOTES: :[[@LINE-8]]:8: note: 'publish' can be called again before the write it starts has completed
    // CHECK-NOTES: :[[@LINE-8]]:5: note: 'write_now' is posted here; it runs later, whether or not a write is in flight
    // CHECK-NOTES: :[[@LINE-4]]:5: note: start a write only when none is in flight: keep the message in a queue (or set a flag) before writing, test it first, and pop it (or clear the flag) in the completion handler
  }
  net::io_context::strand strand_;
  tcp::socket sock_;
};

//===--- negatives --------------------------------------------------------===//

// Transport's twin: every message is queued first and the queue holds the one in flight.
class QueuedTransport {
public:
  explicit QueuedTransport(net::io_context &ioc) : sock_(ioc) {}
  void send(std::string msg) {
    bool idle = queue_.empty();
    queue_.push_back(std::move(msg));
    if (idle)
      start_write();
  }

private:
  void start_write() {
    net::async_write(sock_, net::buffer(queue_.front()), [this](error_code ec, std::size_t) {
      queue_.pop_front();
      if (!ec && !queue_.empty())
        start_write();
    });
  }
  tcp::socket sock_;
  std::deque<std::string> queue_;
};

// Poster's twin: the posted function queues, and writes only when it queued the only message.
class QueuedPoster {
public:
  QueuedPoster(net::io_context &ioc) : strand_(ioc), sock_(ioc) {}
  void publish(std::shared_ptr<std::string> msg) {
    strand_.post(std::bind(&QueuedPoster::enqueue, this, msg));
  }

private:
  void enqueue(std::shared_ptr<std::string> msg) {
    pending_.push_back(msg);
    if (pending_.size() == 1)
      write_front();
  }
  void write_front() {
    net::async_write(sock_, net::buffer(*pending_.front()), strand_.wrap([this](error_code ec, std::size_t) {
      pending_.pop_front();
      if (!ec && !pending_.empty())
        write_front();
    }));
  }
  net::io_context::strand strand_;
  tcp::socket sock_;
  std::deque<std::shared_ptr<std::string>> pending_;
};
