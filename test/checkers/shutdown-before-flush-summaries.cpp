// RUN: %check_drain -std=c++17,c++20 %s drain-shutdown-before-flush %t

// Flows across functions of one translation unit, connected by summaries. Every note is
// checked: the notes tell the path.

#include <cerrno>
#include <string>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

enum class Poll { Ready, Pending, Error };

// positives

// hyper's HTTP/1 dispatcher before the 2026 fix.
namespace hyper_before_fix {
class Conn {
public:
  Poll poll_write() {
    out_buf_.append("HTTP/1.1 200 OK\r\nContent-Length: 14991808\r\n\r\n");
    return Poll::Ready;
  }
  Poll poll_flush() {
    while (!out_buf_.empty()) {
      ssize_t N = ::send(fd_, out_buf_.data(), out_buf_.size(), MSG_NOSIGNAL);
      if (N < 0)
        return errno == EAGAIN ? Poll::Pending : Poll::Error;
      out_buf_.erase(0, static_cast<size_t>(N));
    }
    return Poll::Ready;
  }
  bool wants_read_again() const { return false; }
  Poll poll_shutdown() {
    ::shutdown(fd_, SHUT_WR);
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: the connection is shut down while its write buffer 'out_buf_' may still hold data [drain-shutdown-before-flush]
    // CHECK-NOTES: :[[@LINE+6]]:15: note: 'out_buf_' may hold data when 'poll_shutdown' is called; nothing here flushes it
    // CHECK-NOTES: :[[@LINE-3]]:5: note: flush the buffer and confirm it finished, or check that it is empty, before completing
    return Poll::Ready;
  }

private:
  std::string out_buf_;
  int fd_ = -1;
};

class Dispatcher {
public:
  Poll poll_loop() {
    for (;;) {
      (void)conn_.poll_write();
      (void)conn_.poll_flush(); // hyper: `let _ = self.poll_flush(cx)?;`
      if (!conn_.wants_read_again())
        return Poll::Ready;
    }
  }
  Poll poll_inner() {
    if (poll_loop() == Poll::Pending)
      return Poll::Pending;
    return conn_.poll_shutdown();
    // CHECK-NOTES: :[[@LINE-1]]:18: warning: 'conn_' is shut down by 'poll_shutdown' while its write buffer may still hold data [drain-shutdown-before-flush]
    // CHECK-NOTES: :[[@LINE-11]]:19: note: data written here
    // CHECK-NOTES: :[[@LINE-11]]:19: note: flush result discarded here; the buffer may still hold data
    // CHECK-NOTES: :[[@LINE-10]]:9: note: 'poll_loop' returns Poll::Ready here while the buffer may still hold data
    // CHECK-NOTES: :[[@LINE-7]]:9: note: 'poll_loop' can return here with data not yet sent
    // CHECK-NOTES: :[[@LINE-31]]:5: note: 'poll_shutdown' shuts it down here without flushing first
    // CHECK-NOTES: :[[@LINE-7]]:18: note: flush first and complete only once the flush reports it finished; while it is pending, return and wait to be polled again
  }

private:
  Conn conn_;
};
} // namespace hyper_before_fix

// The same dispatcher over a stream known only by its declarations: the finding is the
// dispatcher's own.
namespace loop_bug_over_declared_stream {
struct Io {
  Poll poll_write();
  Poll poll_flush();
  Poll poll_shutdown();
};
struct Dispatcher {
  Io io;
  Poll poll_loop() {
    (void)io.poll_write();
    (void)io.poll_flush();
    return Poll::Ready;
  }
  Poll poll_inner() {
    if (poll_loop() == Poll::Pending)
      return Poll::Pending;
    return io.poll_shutdown();
    // CHECK-NOTES: :[[@LINE-1]]:15: warning: 'io' is shut down while its write buffer may still hold data [drain-shutdown-before-flush]
    // CHECK-NOTES: :[[@LINE-9]]:14: note: data written here
    // CHECK-NOTES: :[[@LINE-9]]:14: note: flush result discarded here; the buffer may still hold data
    // CHECK-NOTES: :[[@LINE-9]]:5: note: 'poll_loop' returns Poll::Ready here while the buffer may still hold data
    // CHECK-NOTES: :[[@LINE-7]]:9: note: 'poll_loop' can return here with data not yet sent
    // CHECK-NOTES: :[[@LINE-6]]:15: note: flush first and complete only once the flush reports it finished; while it is pending, return and wait to be polled again
  }
};
} // namespace loop_bug_over_declared_stream

static void reply_ignoring_count(int Fd, const char *Buf, size_t Len) {
  send(Fd, Buf, Len, 0);
}

void helper_writes_then_caller_closes(int Fd) {
  reply_ignoring_count(Fd, "HTTP/1.1 200 OK\r\n\r\n", 19);
  close(Fd);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'Fd' is closed after a write that may not have sent everything [drain-shutdown-before-flush]
  // CHECK-NOTES: :[[@LINE-7]]:3: note: the count 'send' returns is discarded here; a short write leaves the rest unsent
  // CHECK-NOTES: :[[@LINE-4]]:3: note: 'reply_ignoring_count' can return here with data not yet sent
  // CHECK-NOTES: :[[@LINE-4]]:3: note: write the rest in a loop until everything is sent (or handle the error) before completing
}

static void hang_up(int Fd) { shutdown(Fd, SHUT_WR); }

void caller_writes_then_helper_shuts_down(int Fd, const char *Buf, size_t Len) {
  if (send(Fd, Buf, Len, 0) < 0)
    return;
  hang_up(Fd);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'Fd' is shut down by 'hang_up' after a write that may not have sent everything [drain-shutdown-before-flush]
  // CHECK-NOTES: :[[@LINE-4]]:7: note: 'send' may write less than asked; this path does not check that it wrote everything
  // CHECK-NOTES: :[[@LINE-8]]:31: note: 'hang_up' shuts it down here without flushing first
  // CHECK-NOTES: :[[@LINE-4]]:3: note: write the rest in a loop until everything is sent (or handle the error) before completing
}

static ssize_t send_some(int Fd, const char *Buf, size_t Len) {
  return send(Fd, Buf, Len, 0);
}

void wrapper_count_ignored_then_close(int Fd) {
  send_some(Fd, "bye\r\n", 5);
  close(Fd);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'Fd' is closed after a write that may not have sent everything [drain-shutdown-before-flush]
  // CHECK-NOTES: :[[@LINE-7]]:10: note: 'send' may write less than asked; this path does not check that it wrote everything
  // CHECK-NOTES: :[[@LINE-8]]:3: note: 'send_some' returns send(Fd, Buf, Len, 0) here while the buffer may still hold data
  // CHECK-NOTES: :[[@LINE-5]]:3: note: 'send_some' can return here with data not yet sent
  // CHECK-NOTES: :[[@LINE-5]]:3: note: write the rest in a loop until everything is sent (or handle the error) before completing
}

// negatives

// hyper after the fix: the connection's shutdown flushes first and yields while the flush is
// pending, so the dispatcher's discarded flush loses nothing.
namespace hyper_after_fix {
class Conn {
public:
  Poll poll_write() {
    out_buf_.append("HTTP/1.1 200 OK\r\n\r\n");
    return Poll::Ready;
  }
  Poll poll_flush() {
    while (!out_buf_.empty()) {
      ssize_t N = ::send(fd_, out_buf_.data(), out_buf_.size(), MSG_NOSIGNAL);
      if (N < 0)
        return errno == EAGAIN ? Poll::Pending : Poll::Error;
      out_buf_.erase(0, static_cast<size_t>(N));
    }
    return Poll::Ready;
  }
  bool wants_read_again() const { return false; }
  Poll poll_shutdown() {
    if (poll_flush() == Poll::Pending)
      return Poll::Pending;
    ::shutdown(fd_, SHUT_WR);
    return Poll::Ready;
  }

private:
  std::string out_buf_;
  int fd_ = -1;
};

class Dispatcher {
public:
  Poll poll_loop() {
    for (;;) {
      (void)conn_.poll_write();
      (void)conn_.poll_flush();
      if (!conn_.wants_read_again())
        return Poll::Ready;
    }
  }
  Poll poll_inner() {
    if (poll_loop() == Poll::Pending)
      return Poll::Pending;
    return conn_.poll_shutdown();
  }

private:
  Conn conn_;
};
} // namespace hyper_after_fix

// The other fix: the loop yields while the flush is pending.
namespace loop_yields_while_pending {
struct Io {
  Poll poll_write();
  Poll poll_flush();
  Poll poll_shutdown();
};
struct Dispatcher {
  Io io;
  Poll poll_loop() {
    (void)io.poll_write();
    if (io.poll_flush() == Poll::Pending)
      return Poll::Pending;
    return Poll::Ready;
  }
  Poll poll_inner() {
    if (poll_loop() == Poll::Pending)
      return Poll::Pending;
    return io.poll_shutdown();
  }
  Poll poll_inner_through_variable() {
    Poll R = poll_loop();
    if (R != Poll::Ready)
      return R;
    return io.poll_shutdown();
  }
};
} // namespace loop_yields_while_pending

static void reply_all(int Fd, const char *Buf, size_t Len) {
  size_t Off = 0;
  while (Off < Len) {
    ssize_t N = send(Fd, Buf + Off, Len - Off, 0);
    if (N < 0)
      return;
    Off += static_cast<size_t>(N);
  }
}

void helper_writes_all_then_caller_closes(int Fd) {
  reply_all(Fd, "HTTP/1.1 204 No Content\r\n\r\n", 27);
  close(Fd);
}

struct Peer {
  std::string out_buf;
  int fd;
};

static bool flush_all(Peer &P) {
  while (!P.out_buf.empty()) {
    ssize_t N = send(P.fd, P.out_buf.data(), P.out_buf.size(), 0);
    if (N <= 0)
      return false;
    P.out_buf.erase(0, static_cast<size_t>(N));
  }
  return true;
}

void helper_flush_confirmed_then_close(Peer &P) {
  P.out_buf.append("bye");
  if (!flush_all(P))
    return;
  ::close(P.fd);
}

void caller_confirms_then_helper_shuts_down(int Fd, const char *Buf, size_t Len) {
  ssize_t N = send(Fd, Buf, Len, 0);
  if (N != static_cast<ssize_t>(Len))
    return;
  hang_up(Fd);
}

static void recurse(int Fd, int Depth) {
  if (Depth > 0)
    recurse(Fd, Depth - 1);
}

void recursion_is_opaque(int Fd) {
  recurse(Fd, 3);
  shutdown(Fd, SHUT_WR);
}

void wrapper_count_checked_then_close(int Fd) {
  if (send_some(Fd, "bye\r\n", 5) != 5)
    return;
  close(Fd);
}

// civetweb's push_inner/push_all: the inner write retries EAGAIN and gives up (-2) when the
// server stops; the outer loop writes until nothing is left, or an error or a stop.
static int stopping;
static int push_inner(int Fd, const char *Buf, int Len) {
  for (;;) {
    int N = static_cast<int>(send(Fd, Buf, static_cast<size_t>(Len), MSG_NOSIGNAL));
    int Err = N < 0 ? errno : 0;
    if (Err == EAGAIN)
      N = 0;
    else if (N < 0)
      return -2;
    if (stopping)
      return -2;
    if (N > 0 || (N == 0 && Len == 0))
      return N;
  }
}
static int push_all(int Fd, const char *Buf, int Len) {
  int Written = 0;
  while (Len > 0 && !stopping) {
    int N = push_inner(Fd, Buf + Written, Len);
    if (N < 0) {
      if (Written == 0)
        Written = -1;
      break;
    }
    if (N == 0)
      break;
    Written += N;
    Len -= N;
  }
  return Written;
}

void write_all_wrapper_then_close(int Fd) {
  push_all(Fd, "HTTP/1.1 204 No Content\r\n\r\n", 27);
  close(Fd);
}
