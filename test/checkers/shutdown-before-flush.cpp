// RUN: %check_drain -std=c++17,c++20 %s drain-shutdown-before-flush %t

// One function per scenario, named after it. Local flows; the cross-function ones (hyper's
// poll_loop / poll_inner / poll_shutdown, helpers that write or flush) are in
// shutdown-before-flush-summaries.cpp.

#include <cerrno>
#include <cstdio>
#include <string>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>
#include <shutdown-before-flush/tls.h>

enum class Poll { Ready, Pending, Error };

// A stream whose methods are known only by their declarations: the API model's rows
// (poll_write, poll_flush, poll_shutdown, has_buffered_write) say what they do.
struct Stream {
  Poll poll_write(const char *Data);
  Poll poll_flush();
  Poll poll_shutdown();
  bool try_flush();
  bool has_buffered_write() const;
};

// A connection class: it owns a write buffer and a socket, so appending to out_buf_ is a
// write to the connection and ::close(fd_) completes it.
class Conn {
public:
  Poll poll_flush();
  void queue(const char *S) { out_buf_.append(S); }
  void close_now();
  void append_then_close();
  Poll close_after_draining();
  void close_if_size_zero();
  void close_after_clear();
  void close_after_opaque_drain();
  ~Conn() { ::close(fd_); }

private:
  void drain_somehow();
  std::string out_buf_;
  int fd_ = -1;
};

// A result class that answers is_pending()/is_ready(), and a stream that returns it.
struct FlushResult {
  bool is_pending() const;
  bool is_ready() const;
};
struct ClassyStream {
  Poll poll_write(const char *Data);
  FlushResult poll_flush();
  Poll poll_shutdown();
};

// The project's own API, named by annotations.
struct Wire;
[[clang::annotate("drain::write")]] long wire_put(Wire *W, const char *Data, unsigned long Len);
[[clang::annotate("drain::flush")]] Poll wire_push(Wire *W);
[[clang::annotate("drain::close")]] void wire_drop(Wire *W);

// A plain aggregate with the same two members.
struct Peer {
  std::string out_buf;
  int fd;
};
void drain_peer(Peer &P);

// libuv's queue: an intrusive list in a C struct, tested with a macro.
typedef void *QUEUE[2];
#define QUEUE_NEXT(q) (*(QUEUE **)&((*(q))[0]))
#define QUEUE_EMPTY(q) ((const QUEUE *)(q) == (const QUEUE *)QUEUE_NEXT(q))
struct uv_like_stream {
  int fd;
  QUEUE write_queue;
  unsigned long write_queue_size;
};
// Sends what it can; leaves the rest queued and waits for POLLOUT.
static void uv_like_write(uv_like_stream *S, const char *Buf, size_t Len) {
  send(S->fd, Buf, Len, 0);
}

#define TRY(e)                                                                             \
  ({                                                                                       \
    Poll _r = (e);                                                                         \
    if (_r == Poll::Error)                                                                 \
      return _r;                                                                           \
    _r;                                                                                    \
  })
#define TRY_READY(e)                                                                       \
  ({                                                                                       \
    Poll _r = (e);                                                                         \
    if (_r != Poll::Ready)                                                                 \
      return _r;                                                                           \
    _r;                                                                                    \
  })

// A gtest-shaped comparison helper: ASSERT_EQ/EXPECT_EQ hand both values to EqHelper::Compare,
// whose AssertionResult is tested (the macros below keep gtest's shape).
struct AssertionResult {
  bool Ok;
  explicit operator bool() const { return Ok; }
};
template <typename A, typename B> AssertionResult compare_eq(const A &L, const B &R) {
  return AssertionResult{L == R};
}
void report_failure();
#define MOCK_ASSERT_EQ(a, b)                                                                  \
  switch (0)                                                                                  \
  case 0:                                                                                     \
  default:                                                                                    \
    if (const AssertionResult ar = compare_eq(a, b))                                          \
      ;                                                                                       \
    else                                                                                      \
      return report_failure()
#define MOCK_EXPECT_EQ(a, b)                                                                  \
  if (const AssertionResult ar = compare_eq(a, b))                                            \
    ;                                                                                         \
  else                                                                                        \
    report_failure()
void log_count(ssize_t N);
int format_count(const char *What, ssize_t N);

// positives

void send_short_count_ignored_then_shutdown(int Fd, const char *Buf, size_t Len) {
  send(Fd, Buf, Len, 0);
  shutdown(Fd, SHUT_WR);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'Fd' is shut down after a write that may not have sent everything [drain-shutdown-before-flush]
}

void send_checked_only_for_errors_then_close(int Fd, const char *Buf, size_t Len) {
  if (send(Fd, Buf, Len, 0) < 0)
    return;
  close(Fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'Fd' is closed after a write that may not have sent everything [drain-shutdown-before-flush]
}

void Conn::close_now() {
  ::close(fd_);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the connection is closed while its write buffer 'out_buf_' may still hold data [drain-shutdown-before-flush]
}

void Conn::append_then_close() {
  out_buf_.append("bye\r\n");
  ::close(fd_);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the connection is closed while its write buffer may still hold data [drain-shutdown-before-flush]
}

// The input buffer is declared first; the message names the write buffer.
class Duplex {
public:
  void hang_up() {
    ::close(fd_);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the connection is closed while its write buffer 'out_buf_' may still hold data [drain-shutdown-before-flush]
  }

private:
  std::string in_buf_;
  std::string out_buf_;
  int fd_ = -1;
};

void ssl_want_write_then_shutdown(SSL *Ssl, const char *Buf, int Len) {
  int N = SSL_write(Ssl, Buf, Len);
  if (N <= 0) {
    int Err = SSL_get_error(Ssl, N);
    if (Err == SSL_ERROR_WANT_WRITE) {
      SSL_shutdown(Ssl);
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'Ssl' is shut down after a write that may not have sent everything [drain-shutdown-before-flush]
      return;
    }
    SSL_shutdown(Ssl); // another failure: the program knows, nothing is lost silently
    return;
  }
  SSL_shutdown(Ssl);
}

void ssl_write_discarded_then_shutdown(SSL *Ssl, const char *Buf, int Len) {
  SSL_write(Ssl, Buf, Len);
  SSL_shutdown(Ssl);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'Ssl' is shut down after a write that may not have sent everything [drain-shutdown-before-flush]
}

void ssl_switch_want_write_then_shutdown(SSL *Ssl, const char *Buf, int Len) {
  int N = SSL_write(Ssl, Buf, Len);
  switch (SSL_get_error(Ssl, N)) {
  case SSL_ERROR_NONE:
    break;
  case SSL_ERROR_WANT_WRITE:
    SSL_shutdown(Ssl);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'Ssl' is shut down after a write that may not have sent everything [drain-shutdown-before-flush]
    return;
  default:
    break;
  }
  SSL_shutdown(Ssl);
}

Poll flush_discarded_then_shutdown(Stream &S) {
  S.poll_write("HTTP/1.1 200 OK\r\n\r\n");
  (void)S.poll_flush();
  return S.poll_shutdown();
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'S' is shut down while its write buffer may still hold data [drain-shutdown-before-flush]
}

Poll flush_checked_only_for_errors_then_shutdown(Stream &S) {
  S.poll_write("body");
  Poll R = S.poll_flush();
  if (R == Poll::Error)
    return R;
  return S.poll_shutdown();
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'S' is shut down while its write buffer may still hold data [drain-shutdown-before-flush]
}

Poll try_macro_checks_only_errors_then_shutdown(Stream &S) {
  S.poll_write("body");
  (void)TRY(S.poll_flush()); // hyper: `let _ = self.poll_flush(cx)?;`
  return S.poll_shutdown();
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'S' is shut down while its write buffer may still hold data [drain-shutdown-before-flush]
}

void shutdown_on_the_pending_branch(Stream &S) {
  S.poll_write("body");
  if (S.poll_flush() == Poll::Pending)
    S.poll_shutdown();
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'S' is shut down while its write buffer may still hold data [drain-shutdown-before-flush]
}

void switch_default_shuts_down(Stream &S) {
  S.poll_write("body");
  switch (S.poll_flush()) {
  case Poll::Ready:
    break;
  default:
    S.poll_shutdown();
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'S' is shut down while its write buffer may still hold data [drain-shutdown-before-flush]
    return;
  }
  S.poll_shutdown();
}

void flush_ignored_by_std_string_write_then_close(Peer &P) {
  P.out_buf.append("late data");
  ::close(P.fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'P' is closed while its write buffer may still hold data [drain-shutdown-before-flush]
}

void bufferevent_write_then_free(bufferevent *Bev, const char *Buf, unsigned long Len) {
  bufferevent_write(Bev, Buf, Len);
  bufferevent_free(Bev);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'Bev' is closed while its write buffer may still hold data [drain-shutdown-before-flush]
}

void lambda_discards_then_shuts_down(Stream &S) {
  auto Finish = [&S] {
    S.poll_write("bye");
    (void)S.poll_flush();
    S.poll_shutdown();
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'S' is shut down while its write buffer may still hold data [drain-shutdown-before-flush]
  };
  Finish();
}

template <typename T> void template_discard_then_shutdown(T &S) {
  S.poll_write("bye");
  (void)S.poll_flush();
  S.poll_shutdown();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'S' is shut down while its write buffer may still hold data [drain-shutdown-before-flush]
}
struct OtherStream : Stream {};
void instantiate_twice(Stream &A, OtherStream &B) {
  template_discard_then_shutdown(A);
  template_discard_then_shutdown(B);
}

void write_after_confirmed_flush_then_shutdown(Stream &S) {
  S.poll_write("head");
  if (S.poll_flush() != Poll::Ready)
    return;
  S.poll_write("tail");
  S.poll_shutdown();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'S' is shut down while its write buffer may still hold data [drain-shutdown-before-flush]
}

void stale_flush_result_then_shutdown(Stream &S) {
  S.poll_write("head");
  Poll R = S.poll_flush();
  S.poll_write("tail"); // written after the flush: R says nothing about it
  if (R == Poll::Ready)
    S.poll_shutdown();
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'S' is shut down while its write buffer may still hold data [drain-shutdown-before-flush]
}

void annotated_write_then_close(Wire *W) {
  wire_put(W, "x", 1);
  wire_drop(W);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'W' is closed after a write that may not have sent everything [drain-shutdown-before-flush]
}

void accessor_says_pending_then_shutdown(ClassyStream &S) {
  S.poll_write("x");
  FlushResult R = S.poll_flush();
  if (R.is_pending())
    S.poll_shutdown();
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'S' is shut down while its write buffer may still hold data [drain-shutdown-before-flush]
}

void uv_like_write_then_shutdown(uv_like_stream *S) {
  uv_like_write(S, "x", 1000);
  shutdown(S->fd, SHUT_WR);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'S.fd' is shut down after a write that may not have sent everything [drain-shutdown-before-flush]
}

int count_stored_but_tested_only_for_errors(int Fd, const char *Buf, int Len) {
  int M = static_cast<int>(write(Fd, Buf, static_cast<size_t>(Len)));
  if (M < 0)
    return -1;
  close(Fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'Fd' is closed after a write that may not have sent everything [drain-shutdown-before-flush]
  return M;
}

// A count handed to a logger is not compared with anything.
void send_count_logged_then_shutdown(int Fd, const char *Buf, size_t Len) {
  log_count(send(Fd, Buf, Len, 0));
  shutdown(Fd, SHUT_WR);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'Fd' is shut down after a write that may not have sent everything [drain-shutdown-before-flush]
}

// Two arguments, but the helper answers with an int, not a verdict.
void send_count_formatted_then_close(int Fd, const char *Buf, size_t Len) {
  ssize_t N = send(Fd, Buf, Len, 0);
  format_count("sent", N);
  close(Fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'Fd' is closed after a write that may not have sent everything [drain-shutdown-before-flush]
}

// negatives

void uv_like_drain_when_queue_empty(uv_like_stream *S) {
  uv_like_write(S, "x", 1000);
  if (QUEUE_EMPTY(&S->write_queue))
    shutdown(S->fd, SHUT_WR);
}

void uv_like_drain_when_size_zero(uv_like_stream *S) {
  uv_like_write(S, "x", 1000);
  if (S->write_queue_size == 0)
    shutdown(S->fd, SHUT_WR);
}

// libwebsockets' lws_plat_write_file: the count is tested after the close and reported.
int count_tested_after_close(int Fd, const char *Buf, int Len) {
  int M = static_cast<int>(write(Fd, Buf, static_cast<size_t>(Len)));
  close(Fd);
  return M != Len;
}

// curl's file.c: a short write is noticed (compared with the length) and becomes an error.
int short_write_noticed_then_close(int Fd, const char *Buf, size_t Len) {
  int Result = 0;
  ssize_t N = write(Fd, Buf, Len);
  if (static_cast<size_t>(N) != Len)
    Result = -1;
  close(Fd);
  return Result;
}

// lighttpd's webdav copy: sendfile advances the offset it is handed.
int sendfile_loop_then_close(int Out, int In, off_t Size) {
  off_t Offset = 0;
  while (Offset < Size && sendfile(Out, In, &Offset, static_cast<size_t>(Size - Offset)) >= 0)
    ;
  close(Out);
  return Offset == Size ? 0 : -1;
}

void self_pipe_wakeup_then_close(int Fd) {
  if (write(Fd, "x", 1) < 0)
    return;
  close(Fd);
}

void write_all_do_while_with_conditional(int Fd, const char *Buf, ssize_t Len) {
  ssize_t Wr, Off = 0;
  do {
    Wr = write(Fd, Buf + Off, static_cast<size_t>(Len - Off));
  } while (Wr >= 0 ? (Off += Wr) != Len : errno == EINTR);
  if (Wr < 0) // after the loop proved everything written, this test brings nothing back
    return;
  close(Fd);
}

Poll accessor_not_pending_then_shutdown(ClassyStream &S) {
  S.poll_write("x");
  FlushResult R = S.poll_flush();
  if (R.is_pending())
    return Poll::Pending;
  return S.poll_shutdown();
}

Poll accessor_ready_then_shutdown(ClassyStream &S) {
  S.poll_write("x");
  if (!S.poll_flush().is_ready())
    return Poll::Pending;
  return S.poll_shutdown();
}

void annotated_write_flushed_then_close(Wire *W) {
  if (wire_put(W, "x", 1) != 1)
    return;
  if (wire_push(W) != Poll::Ready)
    return;
  wire_drop(W);
}

Poll flush_confirmed_ready_then_shutdown(Stream &S) {
  S.poll_write("body");
  if (S.poll_flush() != Poll::Ready)
    return Poll::Pending;
  return S.poll_shutdown();
}

Poll flush_not_pending_then_shutdown(Stream &S) {
  S.poll_write("body");
  Poll R = S.poll_flush();
  if (R == Poll::Pending)
    return Poll::Pending; // yield: polled again later
  return S.poll_shutdown(); // Ready, or an error the caller sees
}

Poll discard_then_yield(Stream &S) {
  S.poll_write("body");
  (void)S.poll_flush();
  return Poll::Pending;
}

void shutdown_that_no_write_reaches(int Fd) { shutdown(Fd, SHUT_WR); }

void close_on_the_error_path(int Fd, const char *Buf, size_t Len) {
  if (send(Fd, Buf, Len, 0) < 0) {
    close(Fd);
    return;
  }
}

void write_all_loop_then_close(int Fd, const char *Buf, size_t Len) {
  size_t Off = 0;
  while (Off < Len) {
    ssize_t N = send(Fd, Buf + Off, Len - Off, 0);
    if (N < 0)
      return;
    Off += static_cast<size_t>(N);
  }
  close(Fd);
}

void write_all_countdown_then_shutdown(int Fd, const char *Buf, size_t Len) {
  while (Len > 0) {
    ssize_t N = write(Fd, Buf, Len);
    if (N < 0)
      return;
    Buf += N;
    Len -= static_cast<size_t>(N);
  }
  shutdown(Fd, SHUT_WR);
}

void send_count_compared_with_length_then_close(int Fd, const char *Buf, size_t Len) {
  ssize_t N = send(Fd, Buf, Len, 0);
  if (N != static_cast<ssize_t>(Len))
    return;
  close(Fd);
}

void ssl_write_succeeded_then_shutdown(SSL *Ssl, const char *Buf, int Len) {
  if (SSL_write(Ssl, Buf, Len) <= 0)
    return;
  SSL_shutdown(Ssl);
}

void ssl_other_error_then_shutdown(SSL *Ssl, const char *Buf, int Len) {
  int N = SSL_write(Ssl, Buf, Len);
  if (N <= 0 && SSL_get_error(Ssl, N) != SSL_ERROR_WANT_WRITE) {
    SSL_shutdown(Ssl);
    SSL_free(Ssl);
  }
}

Poll flush_result_through_local_bool(Stream &S) {
  S.poll_write("body");
  bool Done = S.poll_flush() == Poll::Ready;
  if (!Done)
    return Poll::Pending;
  return S.poll_shutdown();
}

void flush_under_and_condition(Stream &S, bool Stop) {
  S.poll_write("body");
  if (Stop && S.poll_flush() == Poll::Ready)
    S.poll_shutdown();
}

Poll flush_under_or_condition(Stream &S, bool Stop) {
  S.poll_write("body");
  if (S.poll_flush() == Poll::Pending || Stop)
    return Poll::Pending;
  return S.poll_shutdown();
}

Poll switch_on_flush_state(Stream &S) {
  S.poll_write("body");
  switch (S.poll_flush()) {
  case Poll::Ready:
    return S.poll_shutdown();
  case Poll::Pending:
    return Poll::Pending;
  case Poll::Error:
    return S.poll_shutdown();
  }
  return Poll::Error;
}

Poll try_ready_macro_then_shutdown(Stream &S) {
  S.poll_write("body");
  TRY_READY(S.poll_flush());
  return S.poll_shutdown();
}

Poll Conn::close_after_draining() {
  while (!out_buf_.empty()) {
    if (poll_flush() == Poll::Pending)
      return Poll::Pending;
  }
  ::close(fd_);
  return Poll::Ready;
}

void Conn::close_if_size_zero() {
  if (out_buf_.size() == 0)
    ::close(fd_);
}

void Conn::close_after_clear() {
  out_buf_.clear(); // dropped on purpose (an error path)
  ::close(fd_);
}

void Conn::close_after_opaque_drain() {
  out_buf_.append("x");
  drain_somehow(); // cannot see it: it may well flush
  ::close(fd_);
}

void peer_closed_when_empty(Peer &P) {
  P.out_buf.append("data");
  if (P.out_buf.empty())
    ::close(P.fd);
}

void peer_handed_to_unknown_code(Peer &P) {
  P.out_buf.append("data");
  drain_peer(P);
  ::close(P.fd);
}

void bool_flush_confirmed(Stream &S) {
  S.poll_write("x");
  if (!S.try_flush())
    return;
  S.poll_shutdown();
}

void has_buffered_write_tested(Stream &S) {
  S.poll_write("x");
  (void)S.poll_flush();
  if (S.has_buffered_write())
    return;
  S.poll_shutdown();
}

// Bytes read into an input buffer are not owed to the peer: a reader that closes after
// buffering input loses nothing.
class Reader {
public:
  void on_data_then_close(const char *Data) {
    in_buf_.append(Data);
    ::close(fd_);
  }

private:
  std::string in_buf_;
  int fd_ = -1;
};

void same_pending_test_twice(Stream &S) {
  S.poll_write("x");
  Poll R = S.poll_flush();
  if (R == Poll::Pending)
    return;
  if (R == Poll::Pending) // never true here
    S.poll_shutdown();
}

void fputs_then_fclose(FILE *F) {
  fputs("data", F);
  fclose(F); // fclose flushes the FILE's buffer first
}

void lambda_yields_after_discard(Stream &S) {
  auto Step = [&S]() -> Poll {
    S.poll_write("x");
    (void)S.poll_flush();
    return Poll::Pending;
  };
  (void)Step;
}

template <typename T> void template_flush_confirmed(T &S) {
  S.poll_write("bye");
  if (S.poll_flush() == Poll::Ready)
    S.poll_shutdown();
}
void instantiate_confirmed(Stream &A) { template_flush_confirmed(A); }

void two_channels_kept_apart(int A, int B, const char *Buf, size_t Len) {
  send(A, Buf, Len, 0);
  shutdown(B, SHUT_WR); // nothing was written to B
}

void shutdown_read_side_only_after_write_all(int Fd, const char *Buf, size_t Len) {
  ssize_t N = send(Fd, Buf, Len, 0);
  if (N < 0 || static_cast<size_t>(N) != Len)
    return;
  shutdown(Fd, SHUT_WR);
}

// A gtest test: ASSERT_EQ(::send(...), n) compares the count with the length before the
// half-close (reference/test/connection_test.cpp).
void gtest_assert_eq_send_then_shutdown(int Fd, const std::string &S) {
  MOCK_ASSERT_EQ(::send(Fd, S.data(), S.size(), MSG_NOSIGNAL), static_cast<ssize_t>(S.size()));
  MOCK_ASSERT_EQ(::shutdown(Fd, SHUT_WR), 0);
}

// EXPECT_EQ goes on after a failure, but the short count was compared and reported.
void gtest_expect_eq_send_then_shutdown(int Fd, const std::string &S) {
  ssize_t N = ::send(Fd, S.data(), S.size(), MSG_NOSIGNAL);
  MOCK_EXPECT_EQ(N, static_cast<ssize_t>(S.size()));
  ::shutdown(Fd, SHUT_WR);
}

// A project's own check helper answering bool.
bool sent_all(ssize_t N, size_t Len);
int send_checked_by_helper_then_close(int Fd, const char *Buf, size_t Len) {
  if (!sent_all(send(Fd, Buf, Len, 0), Len))
    return -1;
  return close(Fd);
}
