// RUN: %check_drain -std=c++17,c++20 %s drain-shutdown-before-flush %t

// A connection that owns its buffered writer (hyper's Conn over Buffered, a Beast-style stream
// over its next layer): the writer holds the write buffer, the transport below it holds
// nothing. Ending the transport from the owner bypasses the buffer; going through the
// writer's own shutdown, which flushes first, does not. The writer is held as an object,
// through a raw pointer, through a smart pointer, or inherited. Destroying the writer (or the
// transport below a buffer) with reset() or delete ends it too. A lambda capturing `this`
// and posted to an event loop runs later, when the buffer may hold anything: its body needs
// its own confirmation, as a method does.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

enum class Poll { Ready, Pending };

struct Context {
  void wake_by_ref();
};

// The transport: no buffer of its own, so ending it loses nothing it knows about. Its
// methods are judged by whoever owns a buffer above it.
class Socket {
public:
  explicit Socket(int Fd) : fd_(Fd) {}
  Poll poll_shutdown(Context &) {
    ::shutdown(fd_, SHUT_WR);
    return Poll::Ready;
  }
  void close() { ::close(fd_); }
  int fd() const { return fd_; }
  ~Socket() { ::close(fd_); }

private:
  int fd_;
};

// hyper's Buffered (proto/h1/io.rs): the write buffer and the transport.
template <typename Io> class Buffered {
public:
  explicit Buffered(int Fd) : stream_(Fd) {}
  void buffer(const char *Data, size_t Len) { write_buf_.append(Data, Len); }
  Poll poll_flush(Context &) {
    while (!write_buf_.empty()) {
      ssize_t N = ::send(stream_.fd(), write_buf_.data(), write_buf_.size(), MSG_NOSIGNAL);
      if (N < 0)
        return Poll::Pending;
      write_buf_.erase(0, static_cast<size_t>(N));
    }
    return Poll::Ready;
  }
  // Flushes first, yields while the flush is pending, then ends the transport.
  Poll poll_shutdown(Context &Cx) {
    if (poll_flush(Cx) == Poll::Pending)
      return Poll::Pending;
    return stream_.poll_shutdown(Cx);
  }
  bool is_flushed() const { return write_buf_.empty(); }
  void discard() { write_buf_.clear(); }
  Io &io_mut() { return stream_; }
  Io &next_layer() { return stream_; }

private:
  Io stream_;
  std::string write_buf_;
};

// A writer whose own shutdown forgets to flush: the finding is its own, not its owner's.
class LazyBuffered {
public:
  explicit LazyBuffered(int Fd) : stream_(Fd) {}
  void buffer(const char *Data, size_t Len) { write_buf_.append(Data, Len); }
  Poll poll_shutdown(Context &Cx) {
    return stream_.poll_shutdown(Cx);
    // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: the connection is shut down by 'poll_shutdown' while its write buffer 'write_buf_' may still hold data [drain-shutdown-before-flush]
  }

private:
  Socket stream_;
  std::string write_buf_;
};

// positives

// Before hyper#4018: Conn::poll_shutdown ends the transport under Buffered.
class ConnShutsTransport {
public:
  explicit ConnShutsTransport(int Fd) : io_(Fd) {}
  Poll poll_shutdown(Context &Cx) {
    return io_.io_mut().poll_shutdown(Cx);
    // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: 'io_' is shut down by 'poll_shutdown' while its write buffer 'write_buf_' may still hold data [drain-shutdown-before-flush]
  }
  // The flush's state dropped: the transport ends whatever the buffer holds.
  Poll flush_dropped_then_shutdown(Context &Cx) {
    (void)io_.poll_flush(Cx);
    return io_.io_mut().poll_shutdown(Cx);
    // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: 'io_' is shut down by 'poll_shutdown' while its write buffer 'write_buf_' may still hold data [drain-shutdown-before-flush]
  }
  // Beast's `stream_.next_layer().close()`.
  void close_next_layer() {
    io_.next_layer().close();
    // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: 'io_' is closed by 'close' while its write buffer 'write_buf_' may still hold data [drain-shutdown-before-flush]
  }

private:
  Buffered<Socket> io_;
};

// The writer behind a raw pointer.
class ConnOverRawPointer {
public:
  Poll poll_shutdown(Context &Cx) {
    return io_->io_mut().poll_shutdown(Cx);
    // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: 'io_' is shut down by 'poll_shutdown' while its write buffer 'write_buf_' may still hold data [drain-shutdown-before-flush]
  }

private:
  Buffered<Socket> *io_;
};

// The writer behind a std::unique_ptr: `socket_->close()` in many servers.
class ConnOverUniquePtr {
public:
  void close() {
    io_->next_layer().close();
    // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: 'io_' is closed by 'close' while its write buffer 'write_buf_' may still hold data [drain-shutdown-before-flush]
  }

private:
  std::unique_ptr<Buffered<Socket>> io_;
};

// The writer as a base class.
class ConnIsBuffered : public Buffered<Socket> {
public:
  using Buffered::Buffered;
  Poll poll_close(Context &Cx) {
    return io_mut().poll_shutdown(Cx);
    // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: the connection is shut down by 'poll_shutdown' while its write buffer 'write_buf_' may still hold data [drain-shutdown-before-flush]
  }
};

// negatives

// After hyper#4018: flush, yield while pending, then end the transport.
class ConnFlushesThenShutsTransport {
public:
  explicit ConnFlushesThenShutsTransport(int Fd) : io_(Fd) {}
  Poll poll_shutdown(Context &Cx) {
    if (io_.poll_flush(Cx) == Poll::Pending)
      return Poll::Pending;
    return io_.io_mut().poll_shutdown(Cx);
  }
  // Through the writer's own shutdown, which flushes first.
  Poll poll_close(Context &Cx) { return io_.poll_shutdown(Cx); }
  // The buffer seen empty.
  void close_when_flushed() {
    if (!io_.is_flushed())
      return;
    io_.next_layer().close();
  }
  // An abort: the buffered bytes are dropped on purpose.
  void abort() {
    io_.discard();
    io_.next_layer().close();
  }

private:
  Buffered<Socket> io_;
};

class ConnOverRawPointerFlushes {
public:
  Poll poll_shutdown(Context &Cx) {
    Poll Flushed = io_->poll_flush(Cx);
    if (Flushed != Poll::Ready)
      return Flushed;
    return io_->io_mut().poll_shutdown(Cx);
  }

private:
  Buffered<Socket> *io_;
};

class ConnOverUniquePtrFlushes {
public:
  Poll poll_close(Context &Cx) {
    if (io_->poll_flush(Cx) == Poll::Pending) {
      Cx.wake_by_ref();
      return Poll::Pending;
    }
    io_->next_layer().close();
    return Poll::Ready;
  }

private:
  std::unique_ptr<Buffered<Socket>> io_;
};

class ConnIsBufferedFlushes : public Buffered<Socket> {
public:
  using Buffered::Buffered;
  Poll poll_close(Context &Cx) {
    if (poll_flush(Cx) != Poll::Ready)
      return Poll::Pending;
    return io_mut().poll_shutdown(Cx);
  }
};

// The writer's own shutdown forgets to flush: reported there (above), once.
class ConnOverLazyWriter {
public:
  explicit ConnOverLazyWriter(int Fd) : io_(Fd) {}
  Poll poll_shutdown(Context &Cx) { return io_.poll_shutdown(Cx); }

private:
  LazyBuffered io_;
};

// No buffer anywhere: a proxy that owns two transports.
class Proxy {
public:
  Proxy(int Up, int Down) : upstream_(Up), downstream_(Down) {}
  void stop(Context &Cx) {
    upstream_.close();
    (void)downstream_.poll_shutdown(Cx);
  }

private:
  Socket upstream_;
  Socket downstream_;
};

// A transport handed in: whoever buffers above it is not here.
void hang_up(Socket &S, Context &Cx) { (void)S.poll_shutdown(Cx); }

// Destroying what holds the data.

// A writer whose destructor flushes what it holds (RAII): destroying it loses nothing.
class FlushingWriter {
public:
  explicit FlushingWriter(int Fd) : fd_(Fd) {}
  ~FlushingWriter() { flush_all(); }
  void buffer(const char *Data) { out_buf_.append(Data); }
  void flush_all() {
    while (!out_buf_.empty()) {
      ssize_t N = ::send(fd_, out_buf_.data(), out_buf_.size(), MSG_NOSIGNAL);
      if (N <= 0)
        return;
      out_buf_.erase(0, static_cast<size_t>(N));
    }
  }

private:
  int fd_;
  std::string out_buf_;
};

// A connection that keeps its buffer and holds the transport through a pointer.
class ConnHoldsTransport {
public:
  void queue(const char *Data) { out_buf_.append(Data); }
  Poll poll_flush(Context &Cx);
  void disconnect();
  void disconnect_raw();
  Poll poll_disconnect(Context &Cx);
  void disconnect_when_empty();
  void abort_disconnect();

private:
  std::string out_buf_;
  std::unique_ptr<Socket> socket_;
  Socket *peer_sock_;
};

// positives

class ConnResetsWriter {
public:
  void abort_connection() {
    io_.reset();
    // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'io_' is destroyed while its write buffer 'write_buf_' may still hold data [drain-shutdown-before-flush]
  }
  void flush_dropped_then_reset(Context &Cx) {
    (void)io_->poll_flush(Cx);
    io_.reset();
    // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'io_' is destroyed while its write buffer 'write_buf_' may still hold data [drain-shutdown-before-flush]
  }

private:
  std::unique_ptr<Buffered<Socket>> io_;
};

class ConnResetsSharedWriter {
public:
  void drop() {
    io_.reset();
    // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'io_' is destroyed while its write buffer 'write_buf_' may still hold data [drain-shutdown-before-flush]
  }

private:
  std::shared_ptr<Buffered<Socket>> io_;
};

class ConnDeletesWriter {
public:
  void close() {
    delete io_;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'io_' is destroyed while its write buffer 'write_buf_' may still hold data [drain-shutdown-before-flush]
    io_ = nullptr;
  }

private:
  Buffered<Socket> *io_;
};

void ConnHoldsTransport::disconnect() {
  socket_.reset();
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: the connection is closed by destroying 'socket_' while its write buffer 'out_buf_' may still hold data [drain-shutdown-before-flush]
}

void ConnHoldsTransport::disconnect_raw() {
  delete peer_sock_;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the connection is closed by destroying 'peer_sock_' while its write buffer 'out_buf_' may still hold data [drain-shutdown-before-flush]
}

// negatives

class ConnResetsWriterAfterFlush {
public:
  Poll poll_close(Context &Cx) {
    if (io_->poll_flush(Cx) != Poll::Ready)
      return Poll::Pending;
    io_.reset();
    return Poll::Ready;
  }
  // An abort: the buffered bytes are dropped on purpose first.
  void abort_connection() {
    io_->discard();
    io_.reset();
  }

private:
  std::unique_ptr<Buffered<Socket>> io_;
};

Poll ConnHoldsTransport::poll_disconnect(Context &Cx) {
  Poll Flushed = poll_flush(Cx);
  if (Flushed == Poll::Pending)
    return Flushed;
  socket_.reset();
  return Poll::Ready;
}

void ConnHoldsTransport::disconnect_when_empty() {
  if (!out_buf_.empty())
    return;
  delete peer_sock_;
  peer_sock_ = nullptr;
}

void ConnHoldsTransport::abort_disconnect() {
  out_buf_.clear();
  socket_.reset();
}

// The writer's destructor flushes: resetting it is how RAII writers are closed.
class ConnOverFlushingWriter {
public:
  void finish() { writer_.reset(); }

private:
  std::unique_ptr<FlushingWriter> writer_;
};

// No buffer: an acceptor drops its listening socket.
class Acceptor {
public:
  void stop() { socket_.reset(); }

private:
  std::unique_ptr<Socket> socket_;
};

// A connection deleting something that is not its transport.
struct Parser {};
class ConnDeletesParser {
public:
  void queue(const char *Data) { out_buf_.append(Data); }
  void finish_request() {
    delete parser_;
    parser_ = nullptr;
  }

private:
  std::string out_buf_;
  int fd_;
  Parser *parser_;
};

// Lambdas posted to an event loop.

struct EventLoop {
  void post(std::function<void()> Task);
};

class LoopConn {
public:
  Poll poll_flush();
  void close_later(EventLoop &Loop);
  void close_transport_later(EventLoop &Loop);
  void say_bye_later(EventLoop &Loop);
  void close_later_after_flush(EventLoop &Loop);
  void close_later_when_empty(EventLoop &Loop);
  void close_in_place();

private:
  std::string out_buf_;
  int fd_;
  Buffered<Socket> io_;
};

// positives

void LoopConn::close_later(EventLoop &Loop) {
  Loop.post([this] { ::shutdown(fd_, SHUT_WR); });
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: the connection is shut down while its write buffer 'out_buf_' may still hold data [drain-shutdown-before-flush]
}

void LoopConn::close_transport_later(EventLoop &Loop) {
  Loop.post([this] {
    Context Cx;
    (void)io_.io_mut().poll_shutdown(Cx);
    // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: 'io_' is shut down by 'poll_shutdown' while its write buffer 'write_buf_' may still hold data [drain-shutdown-before-flush]
  });
}

void LoopConn::say_bye_later(EventLoop &Loop) {
  Loop.post([this] {
    out_buf_.append("bye\r\n");
    (void)poll_flush();
    ::close(fd_);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the connection is closed while its write buffer may still hold data [drain-shutdown-before-flush]
  });
}

// negatives

void LoopConn::close_later_after_flush(EventLoop &Loop) {
  Loop.post([this] {
    if (poll_flush() != Poll::Ready)
      return;
    ::shutdown(fd_, SHUT_WR);
    Context Cx;
    (void)io_.poll_shutdown(Cx);
  });
}

void LoopConn::close_later_when_empty(EventLoop &Loop) {
  Loop.post([this] {
    if (!out_buf_.empty())
      return;
    ::close(fd_);
  });
}

// Called in place, after the flush was confirmed: not run later.
void LoopConn::close_in_place() {
  if (poll_flush() != Poll::Ready)
    return;
  auto Done = [this] { ::shutdown(fd_, SHUT_WR); };
  Done();
}

// No buffer: a listener posts its own close.
class Listener {
public:
  void stop(EventLoop &Loop) {
    Loop.post([this] { ::close(fd_); });
  }

private:
  int fd_;
};
