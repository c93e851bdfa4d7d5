// RUN: %check_drain -std=c++17 %s drain-overlapping-async-write %t -- -- -isystem %S/Inputs/async -isystem %S/Inputs
// A second asynchronous write started on a stream while one is in flight: Asio's composed
// async_write (and Beast's writes) must not overlap on one stream, or the bytes of two messages
// interleave. Every positive has a correct twin among the negatives.
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <uv.h>
#include <vector>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using boost::system::error_code;

void log_failure(const error_code &);

//===--- positives --------------------------------------------------------===//

// A request sender that hands every message to its strand: the strand runs one task at a time,
// but a write lasts longer than the task that starts it, so the next task starts a second write
// while the first is still in flight.
class StrandSender {
public:
  StrandSender(net::io_context &ioc, tcp::socket sock) : strand_(ioc), sock_(std::move(sock)) {}
  void send(std::shared_ptr<std::string> msg) {
    strand_.post([this, msg] {
      auto on_written = [msg](const error_code &ec, std::size_t) {
        if (ec)
          log_failure(ec);
      };
      net::async_write(sock_, net::buffer(*msg), strand_.wrap(on_written));
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: asynchronous write on 'sock_' may start while an earlier one is still in flight; the bytes of the two messages can interleave [drain-overlapping-async-write]
    });
  }

private:
  net::io_context::strand strand_;
  tcp::socket sock_;
};

// The queue is tested, but the message being written is never in it: it is written directly
// when the queue is empty, and the handler pops the next one before writing it. While a write
// is in flight the queue is empty again, and the next send starts a second write.
class FramedTransport {
public:
  explicit FramedTransport(net::io_context &ioc) : sock_(ioc) {}
  void send_frame(std::string frame) {
    if (backlog_.empty())
      transmit(std::move(frame));
    else
      backlog_.push_back(std::move(frame));
  }

private:
  void transmit(std::string frame) {
    auto data = std::make_shared<std::string>(std::move(frame));
    net::async_write(sock_, net::buffer(*data), [this, data](error_code ec, std::size_t) {
      // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: asynchronous write on 'sock_' may start while an earlier one is still in flight; the bytes of the two messages can interleave [drain-overlapping-async-write]
      if (ec) {
        backlog_.clear();
        return;
      }
      if (!backlog_.empty()) {
        std::string next = std::move(backlog_.front());
        backlog_.pop_front();
        transmit(std::move(next));
      }
    });
  }
  tcp::socket sock_;
  std::deque<std::string> backlog_;
};

// A websocket-style connection template: frames are queued in `outgoing_`, and flush() swaps
// them into `sending_` and writes them. flush() returns early only when nothing is queued; it
// never asks whether `sending_` is still being written, so a second send swaps and writes
// again while the first write is in flight.
template <class Adaptor> class FrameConnection {
public:
  explicit FrameConnection(net::io_context &ioc) : adaptor_(ioc) {}
  void send_text(std::string msg) {
    outgoing_.push_back(std::move(msg));
    flush();
  }

protected:
  void flush() {
    if (outgoing_.empty())
      return;
    sending_.swap(outgoing_);
    std::vector<net::const_buffer> buffers;
    for (auto &s : sending_)
      buffers.push_back(net::buffer(s));
    net::async_write(adaptor_.socket(), buffers, [this](const error_code &ec, std::size_t) {
      // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: asynchronous write on 'adaptor_.socket()' may start while an earlier one is still in flight; the bytes of the two messages can interleave [drain-overlapping-async-write]
      sending_.clear();
      if (!ec && !outgoing_.empty())
        flush();
    });
  }

private:
  Adaptor adaptor_;
  std::vector<std::string> sending_;
  std::vector<std::string> outgoing_;
};

// A Beast websocket session that posts each send to its executor and writes at once: the post
// moves the call onto the session's thread, not after the previous write's completion.
class WsSession : public std::enable_shared_from_this<WsSession> {
public:
  WsSession(net::io_context &ioc, tcp::socket sock) : ioc_(ioc), ws_(std::move(sock)) {}
  void send(std::shared_ptr<const std::string> msg) {
    net::post(ioc_, beast::bind_front_handler(&WsSession::on_send, shared_from_this(), msg));
  }

private:
  void on_send(std::shared_ptr<const std::string> msg) {
    ws_.async_write(net::buffer(*msg),
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: asynchronous write on 'ws_' may start while an earlier one is still in flight; the bytes of the two messages can interleave [drain-overlapping-async-write]
                    beast::bind_front_handler(&WsSession::on_write, shared_from_this(), msg));
  }
  void on_write(std::shared_ptr<const std::string>, error_code ec, std::size_t) {
    if (ec)
      log_failure(ec);
  }
  net::io_context &ioc_;
  websocket::stream<tcp::socket> ws_;
};

// The flag is tested and cleared, but nothing ever sets it: every send writes at once.
class ForgetfulWriter {
public:
  explicit ForgetfulWriter(net::io_context &ioc) : sock_(ioc) {}
  void send(std::string msg) {
    pending_.push_back(std::move(msg));
    if (!writing_)
      write_next();
  }

private:
  void write_next() {
    net::async_write(sock_, net::buffer(pending_.front()), [this](error_code ec, std::size_t) {
      // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: asynchronous write on 'sock_' may start while an earlier one is still in flight; the bytes of the two messages can interleave [drain-overlapping-async-write]
      writing_ = false;
      pending_.pop_front();
      if (!ec && !pending_.empty())
        write_next();
    });
  }
  tcp::socket sock_;
  std::deque<std::string> pending_;
  bool writing_ = false;
};

// A task object posted to the executor calls back into its owner, which writes at once.
class Messenger {
  struct SendTask {
    Messenger *self;
    std::string payload;
    void operator()() { self->write_payload(std::move(payload)); }
  };

public:
  explicit Messenger(net::io_context &ioc) : ioc_(ioc), sock_(ioc) {}
  void send(std::string msg) { net::post(ioc_, SendTask{this, std::move(msg)}); }

private:
  void write_payload(std::string payload) {
    out_.push_back(std::move(payload));
    net::async_write(sock_, net::buffer(out_.back()), [this](error_code, std::size_t) {
      // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: asynchronous write on 'sock_' may start while an earlier one is still in flight; the bytes of the two messages can interleave [drain-overlapping-async-write]
      out_.pop_front();
    });
  }
  net::io_context &ioc_;
  tcp::socket sock_;
  std::deque<std::string> out_;
};

// A transport template over a socket it owns through a pointer, never instantiated here: the
// frame goes straight to the socket when nothing waits, and the waiting list is tested instead
// of the write in flight.
template <class Socket> class PtrTransport {
public:
  explicit PtrTransport(std::unique_ptr<Socket> socket) : socket_(std::move(socket)) {}
  void send(std::string frame) {
    if (waiting_.empty())
      write(std::move(frame));
    else
      waiting_.push_back(std::move(frame));
  }

private:
  void write(std::string frame) {
    auto buf = std::make_shared<std::string>(std::move(frame));
    net::async_write(*socket_, net::buffer(*buf), [this, buf](error_code ec, std::size_t) {
      // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: asynchronous write on '*socket_' may start while an earlier one is still in flight; the bytes of the two messages can interleave [drain-overlapping-async-write]
      if (ec) {
        socket_.reset();
        return;
      }
      if (!waiting_.empty()) {
        std::string next = std::move(waiting_.front());
        waiting_.pop_front();
        write(std::move(next));
      }
    });
  }
  std::unique_ptr<Socket> socket_;
  std::deque<std::string> waiting_;
};

//===--- negatives --------------------------------------------------------===//

// StrandSender's twin: the strand task queues the message and starts a write only when it is
// the only one queued; the handler removes it and writes the next.
template <class Socket> class OutboxSender {
public:
  OutboxSender(net::io_context &ioc, Socket sock) : strand_(ioc), sock_(std::move(sock)) {}
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
  Socket sock_;
  std::deque<std::shared_ptr<std::string>> outbox_;
};
template class OutboxSender<tcp::socket>;

// FramedTransport's twin: every frame is queued; the frame being written is kept in a member
// until its handler runs, and a write starts only when that member is empty.
class HeldFrameTransport {
public:
  explicit HeldFrameTransport(net::io_context &ioc) : sock_(ioc) {}
  void send_frame(std::string frame) {
    backlog_.push_back(std::make_shared<std::string>(std::move(frame)));
    transmit();
  }

private:
  bool ready_to_transmit() const { return sock_.is_open() && !in_flight_ && !backlog_.empty(); }
  void transmit() {
    if (!ready_to_transmit())
      return;
    in_flight_ = backlog_.front();
    backlog_.pop_front();
    net::async_write(sock_, net::buffer(*in_flight_), [this](error_code ec, std::size_t) {
      in_flight_.reset();
      if (ec) {
        backlog_.clear();
        return;
      }
      transmit();
    });
  }
  tcp::socket sock_;
  std::deque<std::shared_ptr<std::string>> backlog_;
  std::shared_ptr<std::string> in_flight_;
};

// FrameConnection's twin: flush() swaps and writes only when nothing is being sent.
template <class Adaptor> class GuardedFrameConnection {
public:
  explicit GuardedFrameConnection(net::io_context &ioc) : adaptor_(ioc) {}
  void send_text(std::string msg) {
    outgoing_.push_back(std::move(msg));
    flush();
  }

protected:
  void flush() {
    if (!sending_.empty() || outgoing_.empty())
      return;
    sending_.swap(outgoing_);
    std::vector<net::const_buffer> buffers;
    for (auto &s : sending_)
      buffers.push_back(net::buffer(s));
    net::async_write(adaptor_.socket(), buffers, [this](const error_code &ec, std::size_t) {
      sending_.clear();
      if (!ec && !outgoing_.empty())
        flush();
    });
  }

private:
  Adaptor adaptor_;
  std::vector<std::string> sending_;
  std::vector<std::string> outgoing_;
};

// WsSession's twin, the queue of Beast's websocket chat example: on_send queues, writes only
// the first, and on_write erases it and writes the next.
class QueuedWsSession : public std::enable_shared_from_this<QueuedWsSession> {
public:
  QueuedWsSession(net::io_context &ioc, tcp::socket sock) : ioc_(ioc), ws_(std::move(sock)) {}
  void send(std::shared_ptr<const std::string> msg) {
    net::post(ioc_, beast::bind_front_handler(&QueuedWsSession::on_send, shared_from_this(), msg));
  }

private:
  void on_send(std::shared_ptr<const std::string> msg) {
    queue_.push_back(msg);
    if (queue_.size() > 1)
      return;
    ws_.async_write(net::buffer(*queue_.front()),
                    beast::bind_front_handler(&QueuedWsSession::on_write, shared_from_this()));
  }
  void on_write(error_code ec, std::size_t) {
    if (ec)
      return log_failure(ec);
    queue_.erase(queue_.begin());
    if (!queue_.empty())
      ws_.async_write(net::buffer(*queue_.front()),
                      beast::bind_front_handler(&QueuedWsSession::on_write, shared_from_this()));
  }
  net::io_context &ioc_;
  websocket::stream<tcp::socket> ws_;
  std::vector<std::shared_ptr<const std::string>> queue_;
};

// ForgetfulWriter's twin: the flag is set before the write and cleared by its handler.
class FlagWriter {
public:
  explicit FlagWriter(net::io_context &ioc) : sock_(ioc) {}
  void send(std::string msg) {
    pending_.push_back(std::move(msg));
    if (!writing_)
      write_next();
  }

private:
  void write_next() {
    writing_ = true;
    net::async_write(sock_, net::buffer(pending_.front()), [this](error_code ec, std::size_t) {
      writing_ = false;
      pending_.pop_front();
      if (!ec && !pending_.empty())
        write_next();
    });
  }
  tcp::socket sock_;
  std::deque<std::string> pending_;
  bool writing_ = false;
};

// Asio's chat_server participant: deliver() remembers whether a write was in progress before
// queueing, and starts one only if not.
class ChatSession : public std::enable_shared_from_this<ChatSession> {
public:
  explicit ChatSession(tcp::socket socket) : socket_(std::move(socket)) {}
  void deliver(const std::string &msg) {
    bool write_in_progress = !write_msgs_.empty();
    write_msgs_.push_back(msg);
    if (!write_in_progress)
      do_write();
  }

private:
  void do_write() {
    auto self(shared_from_this());
    net::async_write(socket_, net::buffer(write_msgs_.front()),
                     [this, self](error_code ec, std::size_t) {
                       if (!ec) {
                         write_msgs_.pop_front();
                         if (!write_msgs_.empty())
                           do_write();
                       } else {
                         socket_.close();
                       }
                     });
  }
  tcp::socket socket_;
  std::deque<std::string> write_msgs_;
};

// A flag taken atomically by whichever thread gets there first.
class AtomicFlagWriter {
public:
  explicit AtomicFlagWriter(net::io_context &ioc) : sock_(ioc) {}
  void post_message(std::string msg) {
    queue_.push_back(std::move(msg));
    if (busy_.exchange(true))
      return;
    net::async_write(sock_, net::buffer(queue_.front()), [this](error_code, std::size_t) {
      queue_.pop_front();
      busy_ = false;
    });
  }

private:
  tcp::socket sock_;
  std::deque<std::string> queue_;
  std::atomic<bool> busy_{false};
};

// A state member instead of a flag.
class StatefulWriter {
public:
  explicit StatefulWriter(net::io_context &ioc) : sock_(ioc) {}
  void send(std::string msg) {
    if (state_ != State::Idle) {
      backlog_.push_back(std::move(msg));
      return;
    }
    current_ = std::move(msg);
    state_ = State::Writing;
    net::async_write(sock_, net::buffer(current_), [this](error_code ec, std::size_t) {
      state_ = State::Idle;
      if (!ec && !backlog_.empty()) {
        std::string next = std::move(backlog_.front());
        backlog_.pop_front();
        send(std::move(next));
      }
    });
  }

private:
  enum class State { Idle, Writing };
  tcp::socket sock_;
  std::string current_;
  std::deque<std::string> backlog_;
  State state_ = State::Idle;
};

// A greeting written once when the session starts, then the read loop.
class GreetingSession : public std::enable_shared_from_this<GreetingSession> {
public:
  explicit GreetingSession(tcp::socket sock) : sock_(std::move(sock)) {}
  void start() {
    greeting_ = "220 ready\r\n";
    pending_.push_back(greeting_);
    net::async_write(sock_, net::buffer(greeting_),
                     [self = shared_from_this()](error_code ec, std::size_t) {
                       self->pending_.clear();
                       if (!ec)
                         self->do_read();
                     });
  }

private:
  void do_read() {
    sock_.async_read_some(net::buffer(in_), [self = shared_from_this()](error_code ec, std::size_t) {
      if (!ec)
        self->do_read();
    });
  }
  tcp::socket sock_;
  std::string greeting_;
  std::vector<std::string> pending_;
  char in_[512];
};

// Request/response: the reply is written only from the read's handler, and the next read
// starts from the write's handler, so reads and writes alternate (Asio's echo server).
class EchoSession : public std::enable_shared_from_this<EchoSession> {
public:
  explicit EchoSession(tcp::socket sock) : sock_(std::move(sock)) {}
  void go() { do_read(); }
  void do_read() {
    auto self(shared_from_this());
    sock_.async_read_some(net::buffer(data_), [this, self](error_code ec, std::size_t n) {
      if (!ec) {
        replies_.push_back(std::string(data_, n));
        do_write();
      }
    });
  }
  void do_write() {
    auto self(shared_from_this());
    net::async_write(sock_, net::buffer(replies_.back()), [this, self](error_code ec, std::size_t) {
      replies_.clear();
      if (!ec)
        do_read();
    });
  }

private:
  tcp::socket sock_;
  char data_[1024];
  std::vector<std::string> replies_;
};

// A client whose callers wait for the reply before the next request: nothing is queued or
// posted, so nothing says two requests can be in flight.
class RequestClient {
public:
  explicit RequestClient(net::io_context &ioc) : sock_(ioc) {}
  void request(std::string body) {
    out_ = std::move(body);
    net::async_write(sock_, net::buffer(out_), [this](error_code ec, std::size_t) {
      if (!ec)
        read_reply();
    });
  }

private:
  void read_reply() {
    sock_.async_read_some(net::buffer(in_), [](error_code, std::size_t) {});
  }
  tcp::socket sock_;
  std::string out_;
  char in_[512];
};

// A wrapper that hands the caller's own handler on: the caller sequences its writes.
class StreamWrapper {
public:
  explicit StreamWrapper(net::io_context &ioc) : sock_(ioc) {}
  template <class Handler> void async_send(const std::string &msg, Handler &&handler) {
    queue_.push_back(msg);
    net::async_write(sock_, net::buffer(queue_.back()), std::forward<Handler>(handler));
  }

private:
  tcp::socket sock_;
  std::deque<std::string> queue_;
};

// Synchronous writes block until the message is out.
class BlockingSender {
public:
  explicit BlockingSender(net::io_context &ioc) : sock_(ioc) {}
  void send(const std::string &msg) {
    strand_posted_.push_back(msg);
    net::write(sock_, net::buffer(strand_posted_.back()));
    strand_posted_.pop_back();
  }

private:
  tcp::socket sock_;
  std::vector<std::string> strand_posted_;
};

// libuv queues a write behind the one in flight: uv_write may be called again at once.
class UvSender {
public:
  explicit UvSender(uv_stream_t *stream) : stream_(stream) {}
  void send(std::string msg) {
    pending_.push_back(std::move(msg));
    uv_buf_t buf = uv_buf_init(&pending_.back()[0], pending_.back().size());
    uv_write(&req_, stream_, &buf, 1, [](uv_write_t *, int) {});
  }

private:
  uv_stream_t *stream_;
  uv_write_t req_;
  std::deque<std::string> pending_;
};

// Messenger's twin: the task queues, and writes only when it queued the only message.
class QueuedMessenger {
  struct SendTask {
    QueuedMessenger *self;
    std::string payload;
    void operator()() { self->enqueue(std::move(payload)); }
  };

public:
  explicit QueuedMessenger(net::io_context &ioc) : ioc_(ioc), sock_(ioc) {}
  void send(std::string msg) { net::post(ioc_, SendTask{this, std::move(msg)}); }

private:
  void enqueue(std::string payload) {
    bool idle = out_.empty();
    out_.push_back(std::move(payload));
    if (idle)
      write_front();
  }
  void write_front() {
    net::async_write(sock_, net::buffer(out_.front()), [this](error_code ec, std::size_t) {
      out_.pop_front();
      if (!ec && !out_.empty())
        write_front();
    });
  }
  net::io_context &ioc_;
  tcp::socket sock_;
  std::deque<std::string> out_;
};

// PtrTransport's twin: every frame waits in the list, the frame in flight is held apart, and a
// write starts only when none is held.
template <class Socket> class HeldPtrTransport {
public:
  explicit HeldPtrTransport(std::unique_ptr<Socket> socket) : socket_(std::move(socket)) {}
  void send(std::string frame) {
    waiting_.push_back(std::make_shared<std::string>(std::move(frame)));
    write_next();
  }

private:
  void write_next() {
    if (!socket_ || current_ || waiting_.empty())
      return;
    current_ = waiting_.front();
    waiting_.pop_front();
    net::async_write(*socket_, net::buffer(*current_), [this](error_code ec, std::size_t) {
      current_.reset();
      if (ec) {
        socket_.reset();
        return;
      }
      write_next();
    });
  }
  std::unique_ptr<Socket> socket_;
  std::deque<std::shared_ptr<std::string>> waiting_;
  std::shared_ptr<std::string> current_;
};

// A client library's asynchronous send: the write's handler calls the caller's completion
// handler, and the caller sends the next message from there (as with Asio's own async_write).
class CallbackClient {
public:
  explicit CallbackClient(net::io_context &ioc) : strand_(ioc), sock_(ioc) {}
  void async_send(std::string msg, std::function<void(error_code)> done) {
    strand_.post([this, msg = std::move(msg), done = std::move(done)]() mutable {
      out_.push_back(std::move(msg));
      net::async_write(sock_, net::buffer(out_.back()), [this, done](error_code ec, std::size_t) {
        out_.pop_front();
        done(ec);
      });
    });
  }

private:
  net::io_context::strand strand_;
  tcp::socket sock_;
  std::deque<std::string> out_;
};
