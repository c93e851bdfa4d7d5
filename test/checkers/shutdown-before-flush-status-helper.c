// A project's own int helper answers its callers by its sign: 0 when everything went and -1
// (or -errno, -SSL_get_error(...)) on failure; or 1 when done and 0 when not. A TLS write-all
// helper gives up with -1 when SSL_write answers <= 0, which may be SSL_ERROR_WANT_WRITE
// (bytes still unsent): a caller that tests for the failure has seen it, and closing then is
// its error handling; a caller that tests for success knows everything went. A caller that
// ignores the answer, or takes "not done" for done, is still reported.
// RUN: %check_drain -std=c11 %s drain-shutdown-before-flush %t

#include <errno.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>
#include <openssl/ssl.h>

// 0 everything went, -1 failed (maybe WANT_WRITE).
static int tls_write_all(SSL *ssl, const char *p, int len) {
  while (len > 0) {
    int n = SSL_write(ssl, p, len);
    if (n <= 0)
      return -1;
    p += n;
    len -= n;
  }
  return 0;
}

// The same with -errno-style codes.
static int tls_write_all_errno(SSL *ssl, const char *p, int len) {
  while (len > 0) {
    int n = SSL_write(ssl, p, len);
    if (n <= 0)
      return -EIO;
    p += n;
    len -= n;
  }
  return 0;
}

static int tls_write_all_code(SSL *ssl, const char *p, int len) {
  while (len > 0) {
    int n = SSL_write(ssl, p, len);
    if (n <= 0)
      return -SSL_get_error(ssl, n);
    p += n;
    len -= n;
  }
  return 0;
}

// 1 done, 0 not.
static int tls_send_ok(SSL *ssl, const char *p, int len) {
  while (len > 0) {
    int n = SSL_write(ssl, p, len);
    if (n <= 0)
      return 0;
    p += n;
    len -= n;
  }
  return 1;
}

// The same as a C bool.
static bool tls_send_ok_bool(SSL *ssl, const char *p, int len) {
  while (len > 0) {
    int n = SSL_write(ssl, p, len);
    if (n <= 0)
      return false;
    p += n;
    len -= n;
  }
  return true;
}

// 1 done, 0 would block (try again), -1 failed.
static int tls_try_send(SSL *ssl, const char *p, int len) {
  int n = SSL_write(ssl, p, len);
  if (n <= 0)
    return SSL_get_error(ssl, n) == SSL_ERROR_WANT_WRITE ? 0 : -1;
  return 1;
}

// The total written, -1 on failure.
static ssize_t tls_write_total(SSL *ssl, const char *p, size_t len) {
  size_t total = 0;
  while (total < len) {
    int n = SSL_write(ssl, p + total, (int)(len - total));
    if (n <= 0)
      return -1;
    total += (size_t)n;
  }
  return (ssize_t)total;
}

// One send: 0 does not mean everything went.
static int send_once(int fd, const char *p, size_t len) {
  ssize_t n = send(fd, p, len, 0);
  if (n < 0)
    return -1;
  return 0;
}

// A wrapper handing the status on.
static int reply(SSL *ssl, const char *p, int len) {
  return tls_write_all(ssl, p, len);
}

// positives

void ignore_status_then_shutdown(SSL *ssl, const char *buf, int len) {
  tls_write_all(ssl, buf, len);
  SSL_shutdown(ssl);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'ssl' is shut down after a write that may not have sent everything [drain-shutdown-before-flush]
}

void ignore_code_then_shutdown(SSL *ssl, const char *buf, int len) {
  tls_write_all_code(ssl, buf, len);
  SSL_shutdown(ssl);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'ssl' is shut down after a write that may not have sent everything [drain-shutdown-before-flush]
}

void ignore_total_then_shutdown(SSL *ssl, const char *buf, size_t len) {
  tls_write_total(ssl, buf, len);
  SSL_shutdown(ssl);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'ssl' is shut down after a write that may not have sent everything [drain-shutdown-before-flush]
}

// 0 of a 1 / 0 helper is "not done", which may be "not yet".
void shutdown_when_not_done(SSL *ssl, const char *buf, int len) {
  if (!tls_send_ok(ssl, buf, len)) {
    SSL_shutdown(ssl);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'ssl' is shut down after a write that may not have sent everything [drain-shutdown-before-flush]
    return;
  }
}

// 0 is "would block" here: `>= 0` lets it through.
void shutdown_unless_failed(SSL *ssl, const char *buf, int len) {
  if (tls_try_send(ssl, buf, len) >= 0)
    SSL_shutdown(ssl);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'ssl' is shut down after a write that may not have sent everything [drain-shutdown-before-flush]
}

// The helper answers 0 after one send whose count it never compared with the length.
void close_after_send_once(int fd, const char *buf, size_t len) {
  if (send_once(fd, buf, len) == 0)
    close(fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'fd' is closed after a write that may not have sent everything [drain-shutdown-before-flush]
}

// negatives

void shutdown_when_done(SSL *ssl, int fd, const char *buf, int len) {
  if (tls_write_all(ssl, buf, len) == 0) {
    SSL_shutdown(ssl);
    close(fd);
  }
}

void close_on_failure(SSL *ssl, int fd, const char *buf, int len) {
  if (tls_write_all(ssl, buf, len) < 0) {
    close(fd);
    return;
  }
  SSL_shutdown(ssl);
}

void shutdown_either_way(SSL *ssl, const char *buf, int len) {
  if (tls_write_all(ssl, buf, len)) {
    SSL_shutdown(ssl); // the failure is this branch's business
    return;
  }
  SSL_shutdown(ssl);
}

void shutdown_when_done_errno(SSL *ssl, const char *buf, int len) {
  if (tls_write_all_errno(ssl, buf, len) == 0)
    SSL_shutdown(ssl);
}

void shutdown_when_done_code(SSL *ssl, const char *buf, int len) {
  int rc = tls_write_all_code(ssl, buf, len);
  if (rc != 0)
    return;
  SSL_shutdown(ssl);
}

void shutdown_when_ok(SSL *ssl, const char *buf, int len) {
  if (tls_send_ok(ssl, buf, len))
    SSL_shutdown(ssl);
}

void shutdown_when_ok_bool(SSL *ssl, const char *buf, int len) {
  if (tls_send_ok_bool(ssl, buf, len))
    SSL_shutdown(ssl);
}

void shutdown_when_sent(SSL *ssl, const char *buf, int len) {
  int r = tls_try_send(ssl, buf, len);
  if (r == 1)
    SSL_shutdown(ssl);
  else if (r < 0)
    SSL_shutdown(ssl); // failed: handled here
}

void shutdown_when_total_sent(SSL *ssl, const char *buf, size_t len) {
  if (tls_write_total(ssl, buf, len) == (ssize_t)len)
    SSL_shutdown(ssl);
}

void shutdown_unless_total_failed(SSL *ssl, const char *buf, size_t len) {
  if (tls_write_total(ssl, buf, len) < 0)
    return;
  SSL_shutdown(ssl);
}

void shutdown_when_reply_done(SSL *ssl, const char *buf, int len) {
  if (reply(ssl, buf, len) != 0)
    return;
  SSL_shutdown(ssl);
}
