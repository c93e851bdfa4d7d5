// RUN: %check_drain -std=c++17,c++20 %s drain-discarded-io-result %t

#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <gnutls/gnutls.h>
#include <event2/bufferevent.h>
#include <uv.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>
#include <tuple>

enum class Poll { Ready, Pending, Error };

struct Conn {
  Poll poll_write(const char *data, size_t len);
  Poll poll_flush();
  Poll poll_shutdown();
  Poll poll_read();
  bool flush();
  bool has_buffered_write() const;
};

struct Stream {
  Stream &flush(); // ostream-like: returns the stream, not a state
  Stream &write(const char *, long);
};

namespace mine {
long send(int, const void *, unsigned long, int); // not POSIX send
}

void log_count(ssize_t);

// positives

void send_result_dropped(int fd, const char *buf, size_t len) {
  send(fd, buf, len, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'send' is discarded; a failed or short write goes unnoticed [drain-discarded-io-result]
}

void write_result_dropped_in_if_body(int fd, const char *buf, size_t len, bool ready) {
  if (ready)
    write(fd, buf, len);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: result of 'write' is discarded; a failed or short write goes unnoticed [drain-discarded-io-result]
}

// The hyper bug: the Pending of poll_flush is thrown away and the loop reports the message done.
Poll poll_flush_cast_to_void(Conn &conn) {
  (void)conn.poll_flush();
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: result of 'poll_flush' is discarded; a Poll::Pending here means the buffer still holds data [drain-discarded-io-result]
  return Poll::Ready;
}

Poll poll_flush_static_cast_to_void(Conn &conn) {
  static_cast<void>(conn.poll_flush());
  // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: result of 'poll_flush' is discarded; a Poll::Pending here means the buffer still holds data [drain-discarded-io-result]
  return Poll::Ready;
}

Poll poll_flush_into_std_ignore(Conn &conn) {
  std::ignore = conn.poll_flush();
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: result of 'poll_flush' is discarded; a Poll::Pending here means the buffer still holds data [drain-discarded-io-result]
  return Poll::Ready;
}

Poll poll_flush_into_unread_local(Conn &conn) {
  Poll p = conn.poll_flush();
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: result of 'poll_flush' is never read; a Poll::Pending here means the buffer still holds data [drain-discarded-io-result]
  return Poll::Ready;
}

Poll poll_flush_into_maybe_unused_local(Conn &conn) {
  [[maybe_unused]] Poll p = conn.poll_flush();
  // CHECK-MESSAGES: :[[@LINE-1]]:34: warning: result of 'poll_flush' is never read; a Poll::Pending here means the buffer still holds data [drain-discarded-io-result]
  return Poll::Ready;
}

Poll poll_flush_overwritten_before_read(Conn &conn) {
  Poll p = conn.poll_flush();
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: result of 'poll_flush' is never read; a Poll::Pending here means the buffer still holds data [drain-discarded-io-result]
  p = conn.poll_shutdown();
  return p;
}

int poll_flush_comma_operand(Conn &conn) {
  return (conn.poll_flush(), 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: result of 'poll_flush' is discarded; a Poll::Pending here means the buffer still holds data [drain-discarded-io-result]
}

void poll_write_dropped_in_loop(Conn &conn, const char *data, size_t len) {
  for (int i = 0; i < 3; ++i)
    conn.poll_write(data, len);
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: result of 'poll_write' is discarded; a Poll::Pending here means the data was not taken [drain-discarded-io-result]
}

void poll_shutdown_dropped_in_lambda(Conn &conn) {
  auto done = [&conn] { conn.poll_shutdown(); };
  // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: result of 'poll_shutdown' is discarded; a Poll::Pending here means the shutdown has not finished [drain-discarded-io-result]
  done();
}

// No row names poll_read, but its result carries Poll::Pending all the same.
void poll_read_dropped(Conn &conn) {
  conn.poll_read();
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: result of 'poll_read' is discarded; a Poll::Pending here means the operation has not finished [drain-discarded-io-result]
}

void bool_flush_dropped(Conn &conn) {
  conn.flush();
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: result of 'flush' is discarded; 'false' here means the flush did not finish [drain-discarded-io-result]
}

void fflush_dropped_in_switch_case(FILE *f, int mode) {
  switch (mode) {
  case 1:
    fflush(f);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: result of 'fflush' is discarded; a failed flush leaves data behind unnoticed [drain-discarded-io-result]
    break;
  default:
    break;
  }
}

void fclose_dropped(FILE *f) {
  fclose(f);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
}

void fclose_of_written_stream_dropped(const char *path, const char *text) {
  FILE *out = fopen(path, "w");
  if (!out)
    return;
  fputs(text, out);
  fclose(out);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
}

FILE *open_for_writing_via(const char *name, const char *mode);
FILE *project_fopen(const char *path, const char *mode, bool restrict_read);
void fclose_of_stream_opened_wb_through_wrapper(const char *name) {
  FILE *out = open_for_writing_via(name, "wb");
  if (!out)
    return;
  fputs("x", out);
  fclose(out);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
}

void fclose_of_stream_from_external_opener_for_writing(const char *path) {
  FILE *fptr = project_fopen(path, "wb", false);
  if (!fptr)
    return;
  fputs("x", fptr);
  fclose(fptr);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
}

void fclose_of_update_stream_dropped(const char *path, const char *text) {
  FILE *f = fopen(path, "r+");
  if (!f)
    return;
  fputs(text, f);
  fclose(f);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
}

void ssl_write_dropped(SSL *ssl, const char *buf, int n) {
  SSL_write(ssl, buf, n);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'SSL_write' is discarded; a failed write or SSL_ERROR_WANT_WRITE goes unnoticed [drain-discarded-io-result]
}

void gnutls_record_send_dropped(gnutls_session_t s, const char *buf, size_t n) {
  gnutls_record_send(s, buf, n);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'gnutls_record_send' is discarded; a failed or short write goes unnoticed [drain-discarded-io-result]
}

void bufferevent_write_dropped(struct bufferevent *bev, const char *buf, size_t n) {
  bufferevent_write(bev, buf, n);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'bufferevent_write' is discarded; a failed write goes unnoticed [drain-discarded-io-result]
}

void uv_try_write_dropped(uv_stream_t *s, const uv_buf_t *bufs) {
  uv_try_write(s, bufs, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'uv_try_write' is discarded; a failed or short write goes unnoticed [drain-discarded-io-result]
}

void sendto_dropped_in_statement_expression(int fd, const char *buf, size_t len) {
  int done = ({ sendto(fd, buf, len, 0, nullptr, 0); 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: result of 'sendto' is discarded; a failed or short write goes unnoticed [drain-discarded-io-result]
  log_count(done);
}

// Reported once at the template's text, not once per instantiation.
template <class C> void template_flush_dropped(C &c) {
  c.poll_flush();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: result of 'poll_flush' is discarded; a Poll::Pending here means the buffer still holds data [drain-discarded-io-result]
}
struct OtherConn {
  Poll poll_flush();
};
void template_instantiations(Conn &a, OtherConn &b) {
  template_flush_dropped(a);
  template_flush_dropped(b);
}

// A call inside a macro is reported where the macro is used.
#define FLUSH_AND_FORGET(c) (void)(c).poll_flush()
void macro_flush_dropped(Conn &conn) {
  FLUSH_AND_FORGET(conn);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'poll_flush' is discarded; a Poll::Pending here means the buffer still holds data [drain-discarded-io-result]
}

// A store inside a try block that nothing reads, not even the handler, is still unread.
void may_throw();
int stored_in_try_never_read(Conn &c) {
  try {
    Poll p = c.poll_flush();
    // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: result of 'poll_flush' is never read; a Poll::Pending here means the buffer still holds data [drain-discarded-io-result]
    may_throw();
    p = Poll::Ready;
    return 0;
  } catch (...) {
  }
  return 0;
}

// A BIO over a socket sends what is written: its BIO_write result matters.
int bio_write_to_socket_bio_dropped(int fd, const char *msg, int n) {
  BIO *sock = BIO_new_socket(fd, 0);
  BIO_write(sock, msg, n);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'BIO_write' is discarded; a failed or short write goes unnoticed [drain-discarded-io-result]
  BIO_free_all(sock);
  return 0;
}

// A base64 filter pushed onto a socket BIO sends too.
void bio_write_base64_over_socket_dropped(int fd, const char *msg, int n) {
  BIO *b64 = BIO_new(BIO_f_base64());
  BIO *sock = BIO_new_socket(fd, 0);
  b64 = BIO_push(b64, sock);
  BIO_write(b64, msg, n);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'BIO_write' is discarded; a failed or short write goes unnoticed [drain-discarded-io-result]
  BIO_free_all(b64);
}

// negatives

ssize_t send_result_checked(int fd, const char *buf, size_t len) {
  ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
  if (n < 0)
    return -1;
  return n;
}

ssize_t write_result_returned(int fd, const char *buf, size_t len) {
  return write(fd, buf, len);
}

void write_result_passed_on(int fd, const char *buf, size_t len) {
  log_count(write(fd, buf, len));
}

Poll poll_flush_checked(Conn &conn) {
  if (conn.poll_flush() == Poll::Pending)
    return Poll::Pending;
  return conn.poll_shutdown();
}

Poll poll_flush_in_local_read_later(Conn &conn) {
  Poll p = conn.poll_flush();
  if (p != Poll::Ready)
    return p;
  return Poll::Ready;
}

Poll poll_flush_switched_on(Conn &conn) {
  switch (conn.poll_flush()) {
  case Poll::Ready:
    return conn.poll_shutdown();
  default:
    return Poll::Pending;
  }
}

// Kicking the flush and yielding: the caller polls again, the flush is retried.
Poll poll_flush_dropped_then_yield_pending(Conn &conn) {
  (void)conn.poll_flush();
  return Poll::Pending;
}

struct Dispatcher {
  Conn conn;
  Poll last;
  void poll_flush_stored_in_member() { last = conn.poll_flush(); }
};

Poll poll_flush_read_on_next_iteration(Conn &conn) {
  Poll p = Poll::Ready;
  for (int i = 0; i < 3; ++i) {
    if (p == Poll::Pending)
      return p;
    p = conn.poll_flush();
  }
  return Poll::Ready;
}

void ostream_like_flush_is_not_a_flush(Stream &s) {
  s.flush();
  s.write("x", 1).flush();
}

void close_and_shutdown_results_may_be_dropped(int fd) {
  shutdown(fd, SHUT_WR);
  close(fd);
}

void stdio_writes_keep_their_error(FILE *f, const char *s) {
  fputs(s, f);
  fwrite(s, 1, 1, f);
  if (ferror(f) || fclose(f) != 0)
    perror("write");
}

// Lighttpd, libuv: /proc files and configuration read with stdio; nothing was written.
int fclose_of_read_only_stream(const char *path) {
  FILE *f = fopen(path, "re");
  if (f == nullptr)
    return -1;
  char line[64];
  int found = fgets(line, sizeof line, f) != nullptr;
  fclose(f);
  return found;
}

void pclose_like_read_only_popen(const char *cmd) {
  FILE *p;
  p = popen(cmd, "r");
  if (p)
    fclose(p);
}

// The standard streams report errors at exit (close_stdout); a CLI's fflush(stdout) is not a
// lost network write. CheckStandardStreams turns this on.
void fflush_of_standard_streams(void) {
  printf("progress\n");
  fflush(stdout);
  fflush(stderr);
}

void empty_test_may_be_dropped(Conn &conn) {
  conn.has_buffered_write();
}

void namespaced_send_is_not_posix_send(int fd) {
  mine::send(fd, "x", 1, 0);
}

int ssl_write_checked(SSL *ssl, const char *buf, int n) {
  int r = SSL_write(ssl, buf, n);
  if (r <= 0)
    return SSL_get_error(ssl, r);
  return 0;
}

bool flush_result_compared(Conn &conn) {
  return conn.flush() && conn.poll_shutdown() == Poll::Ready;
}

void uv_close_has_no_result(uv_handle_t *h) {
  uv_close(h, nullptr);
}

Poll poll_flush_checked_in_lambda(Conn &conn) {
  auto step = [&conn] { return conn.poll_flush(); };
  return step();
}

void wait_writable(Conn &);
void report(Poll);

void poll_flush_in_while_condition(Conn &conn) {
  while (conn.poll_flush() == Poll::Pending)
    wait_writable(conn);
}

void poll_flush_passed_to_function(Conn &conn) {
  report(conn.poll_flush());
}

Poll poll_flush_returned_from_conditional(Conn &conn, bool closing) {
  return closing ? conn.poll_flush() : Poll::Ready;
}

void poll_flush_into_out_parameter(Conn &conn, Poll &out) {
  out = conn.poll_flush();
}

Poll poll_flush_read_by_lambda(Conn &conn) {
  Poll p = conn.poll_flush();
  auto get = [&] { return p; };
  return get();
}

void ssl_shutdown_retried_until_done(SSL *ssl) {
  while (SSL_shutdown(ssl) == 0) {
  }
}

int gnutls_bye_retried_on_again(gnutls_session_t s) {
  int r;
  do
    r = gnutls_bye(s, GNUTLS_SHUT_WR);
  while (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED);
  return r;
}

int fflush_checked(FILE *f) {
  if (fflush(f) != 0)
    return -1;
  return 0;
}

int write_result_in_if_init(int fd, const char *buf, size_t len) {
  if (ssize_t n = write(fd, buf, len); n < 0)
    return -1;
  return 0;
}

ssize_t write_counts_accumulated(int fd, const char *buf, size_t len) {
  ssize_t total = 0;
  total += write(fd, buf, len);
  return total;
}

int bufferevent_write_checked(struct bufferevent *bev, const char *buf, size_t n) {
  return bufferevent_write(bev, buf, n) == 0 ? 0 : -1;
}

// cpp-httplib: a one-way close_notify is best effort by design (OpenSSL: "it is acceptable for
// an application to only send its shutdown alert and then close"); nothing written is lost.
void ssl_shutdown_best_effort_then_free(SSL *ssl) {
  SSL_shutdown(ssl);
  SSL_free(ssl);
}

void gnutls_bye_best_effort(gnutls_session_t s) {
  gnutls_bye(s, GNUTLS_SHUT_WR);
}

// libuv: /proc files read through a wrapper around fdopen(fd, "r").
FILE *open_for_reading(const char *path) {
  return fopen(path, "re");
}
int fclose_of_stream_from_read_only_wrapper(const char *path) {
  FILE *fp = open_for_reading(path);
  if (fp == nullptr)
    return -1;
  int c = fgetc(fp);
  fclose(fp);
  return c;
}

// lemon (in lighttpd): a wrapper that passes the caller's mode through to fopen.
FILE *open_with_mode(const char *name, const char *mode) {
  FILE *fp = fopen(name, mode);
  return fp;
}
int fclose_of_stream_opened_rb_through_wrapper(const char *name) {
  FILE *in = open_with_mode(name, "rb");
  if (!in)
    return -1;
  int c = fgetc(in);
  fclose(in);
  return c;
}

// mosquitto: the wrapper lives in another file; a literal read mode passed to an opener is
// taken at its word.
FILE *project_fopen(const char *path, const char *mode, bool restrict_read);
int fclose_of_stream_from_external_opener(const char *path) {
  FILE *fptr = project_fopen(path, "rb", false);
  if (fptr == nullptr)
    return 0;
  int c = fgetc(fptr);
  fclose(fptr);
  return c;
}

// A call that throws leaves through the handler: a result read only there is read.
int status_read_only_in_catch_handler(Conn &c) {
  Poll p = c.poll_flush();
  try {
    may_throw();
  } catch (...) {
    return p == Poll::Pending ? 1 : 0;
  }
  return 0;
}

// libwebsockets' lws_x509_parse_from_pem: a memory BIO keeps what is written; the write fails
// only when memory runs out, and the parse that follows reports that.
int pem_into_memory_bio(const char *pem, int len) {
  BIO *bio = BIO_new(BIO_s_mem());
  BIO_write(bio, pem, len);
  int c = BIO_read(bio, nullptr, 0);
  BIO_free_all(bio);
  return c;
}

// mosquitto's base64__encode: a base64 filter pushed onto a memory BIO, flushed and checked.
int base64_into_memory_bio(const char *in, int len) {
  BIO *b64 = BIO_new(BIO_f_base64());
  BIO *bmem = BIO_new(BIO_s_mem());
  b64 = BIO_push(b64, bmem);
  BIO_write(b64, in, len);
  if (BIO_flush(b64) != 1) {
    BIO_free_all(b64);
    return 1;
  }
  BIO_free_all(b64);
  return 0;
}
