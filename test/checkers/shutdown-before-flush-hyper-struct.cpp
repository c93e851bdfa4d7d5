// RUN: %check_drain -std=c++17,c++20 %s drain-shutdown-before-flush %t

// hyper's HTTP/1 server (proto/h1/io.rs, conn.rs, dispatch.rs) ported the way C++ code bases
// write it: Rust's Poll<io::Result<()>> is a result struct with an error part and a state
// part, Rust's `?` is a TRY statement-expression macro that returns the error and yields the
// state, and the connection owns a Buffered member (the write buffer and the transport)
// First the connection holds the write buffer beside the socket; at the end of the file it
// owns a Buffered member (hyper's exact layout), as an object and through a std::unique_ptr.
// Every note is checked. Ending the transport through a method of the transport's own class
// (`io_.io_mut().poll_shutdown(cx)`) is in shutdown-before-flush-owned.cpp.

#include <cerrno>
#include <cstddef>
#include <memory>
#include <string>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

enum class Poll { Ready, Pending };

// Poll<io::Result<()>>: `failed`/`error` is the Err, `state` the Ready/Pending.
struct IoResult {
  bool failed;
  int error;
  Poll state;

  static IoResult ready() { return {false, 0, Poll::Ready}; }
  static IoResult pending() { return {false, 0, Poll::Pending}; }
  static IoResult fail(int Err) { return {true, Err, Poll::Ready}; }
};

// Rust's `?` on a Poll<io::Result<T>>: returns the error, yields the state.
#define TRY(expr)                                                                            \
  ({                                                                                         \
    IoResult try_result_ = (expr);                                                           \
    if (try_result_.failed)                                                                  \
      return try_result_;                                                                    \
    try_result_.state;                                                                       \
  })

struct Context {
  void wake_by_ref();
};

// hyper's Conn (proto/h1/conn.rs) with the write buffer of proto/h1/io.rs folded in.
class ConnBase {
public:
  explicit ConnBase(int Fd) : fd_(Fd) {}
  void buffer(const char *Data, size_t Len) { write_buf_.append(Data, Len); }
  IoResult poll_flush(Context &) {
    while (!write_buf_.empty()) {
      ssize_t N = ::send(fd_, write_buf_.data(), write_buf_.size(), MSG_NOSIGNAL);
      if (N < 0)
        return errno == EAGAIN ? IoResult::pending() : IoResult::fail(errno);
      write_buf_.erase(0, static_cast<size_t>(N));
    }
    return IoResult::ready();
  }

protected:
  int fd_;
  std::string write_buf_;
};

// positives

// Before hyper#4018: the shutdown ends the socket whatever the buffer holds.
struct ShutdownWithoutFlush : ConnBase {
  using ConnBase::ConnBase;
  IoResult poll_shutdown(Context &) {
    if (::shutdown(fd_, SHUT_WR) != 0)
    // CHECK-NOTES: :[[@LINE-1]]:9: warning: the connection is shut down while its write buffer 'write_buf_' may still hold data [drain-shutdown-before-flush]
    // CHECK-NOTES: :[[@LINE-11]]:15: note: 'write_buf_' may hold data when 'poll_shutdown' is called; nothing here flushes it
    // CHECK-NOTES: :[[@LINE-3]]:9: note: flush the buffer and confirm it finished, or check that it is empty, before completing
      return IoResult::fail(errno);
    return IoResult::ready();
  }
};

// The flush result is checked for errors only: a pending flush falls through to the shutdown.
struct FlushCheckedOnlyForErrors : ConnBase {
  using ConnBase::ConnBase;
  IoResult poll_shutdown(Context &Cx) {
    IoResult F = poll_flush(Cx);
    if (F.failed)
      return F;
    ::shutdown(fd_, SHUT_WR);
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: the connection is shut down while its write buffer 'write_buf_' may still hold data [drain-shutdown-before-flush]
    // CHECK-NOTES: :[[@LINE-27]]:15: note: 'write_buf_' may hold data when 'poll_shutdown' is called; nothing here flushes it
    // CHECK-NOTES: :[[@LINE-3]]:5: note: flush the buffer and confirm it finished, or check that it is empty, before completing
    return IoResult::ready();
  }
};

// TRY alone drops the state: the macro returns on error and the pending state is lost.
struct TryDropsTheState : ConnBase {
  using ConnBase::ConnBase;
  IoResult poll_shutdown(Context &Cx) {
    TRY(poll_flush(Cx));
    ::shutdown(fd_, SHUT_WR);
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: the connection is shut down while its write buffer 'write_buf_' may still hold data [drain-shutdown-before-flush]
    // CHECK-NOTES: :[[@LINE-40]]:15: note: 'write_buf_' may hold data when 'poll_shutdown' is called; nothing here flushes it
    // CHECK-NOTES: :[[@LINE-3]]:5: note: flush the buffer and confirm it finished, or check that it is empty, before completing
    return IoResult::ready();
  }
};

// negatives

// After hyper#4018: flush first and yield while the flush is pending.
struct FlushThenShutdown : ConnBase {
  using ConnBase::ConnBase;
  IoResult poll_shutdown(Context &Cx) {
    if (TRY(poll_flush(Cx)) == Poll::Pending)
      return IoResult::pending();
    if (::shutdown(fd_, SHUT_WR) != 0)
      return IoResult::fail(errno);
    return IoResult::ready();
  }
};

// The state bound to a local first, tested with !=.
struct StateBoundThenTested : ConnBase {
  using ConnBase::ConnBase;
  IoResult poll_shutdown(Context &Cx) {
    Poll P = TRY(poll_flush(Cx));
    if (P != Poll::Ready)
      return IoResult::pending();
    ::shutdown(fd_, SHUT_WR);
    return IoResult::ready();
  }
};

// A local result, error part first, then the state part.
struct LocalResultBothParts : ConnBase {
  using ConnBase::ConnBase;
  IoResult poll_shutdown(Context &Cx) {
    IoResult F = poll_flush(Cx);
    if (F.failed)
      return F;
    if (F.state == Poll::Pending)
      return IoResult::pending();
    ::shutdown(fd_, SHUT_WR);
    return IoResult::ready();
  }
};

// A switch over the state part.
struct SwitchOnState : ConnBase {
  using ConnBase::ConnBase;
  IoResult poll_shutdown(Context &Cx) {
    IoResult F = poll_flush(Cx);
    if (F.failed)
      return F;
    switch (F.state) {
    case Poll::Pending:
      return IoResult::pending();
    case Poll::Ready:
      break;
    }
    ::shutdown(fd_, SHUT_WR);
    return IoResult::ready();
  }
};

// hyper#4143's shape: the flush's state is dropped, then the task yields; the shutdown comes
// only after a confirmed flush.
struct DiscardThenYield : ConnBase {
  using ConnBase::ConnBase;
  IoResult poll_write_again(Context &Cx) {
    buffer("0\r\n\r\n", 5);
    TRY(poll_flush(Cx));
    Cx.wake_by_ref();
    return IoResult::pending();
  }
  IoResult poll_shutdown(Context &Cx) {
    if (TRY(poll_flush(Cx)) != Poll::Ready)
      return IoResult::pending();
    ::shutdown(fd_, SHUT_WR);
    return IoResult::ready();
  }
};

// hyper's exact layout: Conn (proto/h1/conn.rs) owns Buffered (proto/h1/io.rs), which owns
// the write buffer and the transport. Ending the transport from Conn bypasses the buffer.
class Buffered {
public:
  explicit Buffered(int Fd) : fd_(Fd) {}
  void buffer(const char *Data, size_t Len) { write_buf_.append(Data, Len); }
  IoResult poll_flush(Context &) {
    while (!write_buf_.empty()) {
      ssize_t N = ::send(fd_, write_buf_.data(), write_buf_.size(), MSG_NOSIGNAL);
      if (N < 0)
        return errno == EAGAIN ? IoResult::pending() : IoResult::fail(errno);
      write_buf_.erase(0, static_cast<size_t>(N));
    }
    return IoResult::ready();
  }
  int fd() const { return fd_; }
  int raw_fd() const { return fd(); }

private:
  int fd_;
  std::string write_buf_;
};

// positives

// Before hyper#4018: Conn::poll_shutdown ends the io behind Buffered's back.
class ConnOwnsBuffered {
public:
  explicit ConnOwnsBuffered(int Fd) : io_(Fd) {}
  IoResult poll_shutdown(Context &) {
    if (::shutdown(io_.fd(), SHUT_WR) != 0)
    // CHECK-NOTES: :[[@LINE-1]]:9: warning: 'io_' is shut down while its write buffer 'write_buf_' may still hold data [drain-shutdown-before-flush]
    // CHECK-NOTES: :[[@LINE-12]]:15: note: 'write_buf_' may hold data when 'poll_shutdown' is called; nothing here flushes it
    // CHECK-NOTES: :[[@LINE-3]]:9: note: flush the buffer and confirm it finished, or check that it is empty, before completing
      return IoResult::fail(errno);
    return IoResult::ready();
  }
  // The flush's state dropped by TRY, through an accessor of an accessor.
  IoResult poll_close(Context &Cx) {
    TRY(io_.poll_flush(Cx));
    ::close(io_.raw_fd());
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'io_' is closed while its write buffer 'write_buf_' may still hold data [drain-shutdown-before-flush]
    // CHECK-NOTES: :[[@LINE-22]]:15: note: 'write_buf_' may hold data when 'poll_close' is called; nothing here flushes it
    // CHECK-NOTES: :[[@LINE-3]]:5: note: flush the buffer and confirm it finished, or check that it is empty, before completing
    return IoResult::ready();
  }

private:
  Buffered io_;
};

// The same behind a std::unique_ptr.
class ConnOwnsBufferedPtr {
public:
  explicit ConnOwnsBufferedPtr(int Fd) : io_(std::make_unique<Buffered>(Fd)) {}
  IoResult poll_shutdown(Context &) {
    ::shutdown(io_->fd(), SHUT_WR);
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'io_' is shut down while its write buffer 'write_buf_' may still hold data [drain-shutdown-before-flush]
    // CHECK-NOTES: :[[@LINE-38]]:15: note: 'write_buf_' may hold data when 'poll_shutdown' is called; nothing here flushes it
    // CHECK-NOTES: :[[@LINE-3]]:5: note: flush the buffer and confirm it finished, or check that it is empty, before completing
    return IoResult::ready();
  }

private:
  std::unique_ptr<Buffered> io_;
};

// negatives

// After hyper#4018: flush through Buffered and yield while pending, then end the io.
class ConnFlushesFirst {
public:
  explicit ConnFlushesFirst(int Fd) : io_(Fd) {}
  IoResult poll_shutdown(Context &Cx) {
    if (TRY(io_.poll_flush(Cx)) == Poll::Pending)
      return IoResult::pending();
    if (::shutdown(io_.fd(), SHUT_WR) != 0)
      return IoResult::fail(errno);
    return IoResult::ready();
  }
  IoResult poll_close(Context &Cx) {
    IoResult F = io_.poll_flush(Cx);
    if (F.failed)
      return F;
    if (F.state != Poll::Ready)
      return IoResult::pending();
    ::close(io_.raw_fd());
    return IoResult::ready();
  }

private:
  Buffered io_;
};

class ConnFlushesFirstPtr {
public:
  explicit ConnFlushesFirstPtr(int Fd) : io_(std::make_unique<Buffered>(Fd)) {}
  IoResult poll_shutdown(Context &Cx) {
    if (TRY(io_->poll_flush(Cx)) != Poll::Ready)
      return IoResult::pending();
    ::shutdown(io_->fd(), SHUT_WR);
    return IoResult::ready();
  }
  // Writing into the buffer ends nothing.
  void queue(const char *Data, size_t Len) { io_->buffer(Data, Len); }

private:
  std::unique_ptr<Buffered> io_;
};

// A member that is no connection (no buffer of its own): a plain socket wrapper.
class PlainSocket {
public:
  explicit PlainSocket(int Fd) : fd_(Fd) {}
  int fd() const { return fd_; }

private:
  int fd_;
};

class OwnsPlainSocket {
public:
  explicit OwnsPlainSocket(int Fd) : sock_(Fd) {}
  void stop() { ::shutdown(sock_.fd(), SHUT_WR); }

private:
  PlainSocket sock_;
};
