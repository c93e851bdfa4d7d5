// OpenSSL's SSL_get_error reads the calling thread's error queue before the result it is
// handed: an error that an earlier call left there (another library in the thread, a failed
// certificate load) makes it answer SSL_ERROR_SSL for a would-block. The manual asks for an
// empty queue before the I/O call whose result SSL_get_error classifies; code that tells
// "not yet" apart from failures without clearing it drops a connection whose socket was only
// full (mosquitto's net__write, fixed by ERR_clear_error() before SSL_write).
// RUN: %check_drain -std=c11 %s drain-partial-write %t
// The same against the system's OpenSSL headers (the mock's directory is not searched):
// RUN: %drain_clang_tidy %s -checks='-*,drain-partial-write' --quiet -- -std=c11 2>&1 | %FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error}}:'

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdbool.h>
#include <stddef.h>

struct client {
  SSL *ssl;
  bool want_write;
};

void log_tls(const char *what, int err);

// positives

int tls_send(SSL *ssl, const void *buf, int len) {
  int n = SSL_write(ssl, buf, len);
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: 'SSL_get_error' classifies the result of 'SSL_write' from the thread's error queue, which is not cleared before the write: an error an earlier call left there turns a would-block into a failure, and the connection is dropped with its data unsent [drain-partial-write]
  if (n <= 0) {
    int err = SSL_get_error(ssl, n);
    if (err == SSL_ERROR_WANT_WRITE || err == SSL_ERROR_WANT_READ)
      return 0;
    return -1;
  }
  return n;
}

// The classification in a helper of the same file, handed the count (mosquitto's shape).
static int handle_tls_result(struct client *c, int ret) {
  int err = SSL_get_error(c->ssl, ret);
  if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
    c->want_write = err == SSL_ERROR_WANT_WRITE;
    return 0;
  }
  log_tls("SSL_write", err);
  return -1;
}

long client_write(struct client *c, const void *buf, size_t count) {
  c->want_write = false;
  int ret = SSL_write(c->ssl, buf, (int)count);
  // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: 'SSL_get_error' classifies the result of 'SSL_write' from the thread's error queue
  if (ret < 0)
    ret = handle_tls_result(c, ret);
  return ret;
}

// SSL_write_ex answers a bool: the reader is tied to it by the session.
int tls_send_ex(SSL *ssl, const void *buf, size_t len, size_t *sent) {
  if (!SSL_write_ex(ssl, buf, len, sent)) {
    // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'SSL_get_error' classifies the result of 'SSL_write_ex' from the thread's error queue
    switch (SSL_get_error(ssl, 0)) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
      return 0;
    default:
      return -1;
    }
  }
  return 1;
}

// The helper that classifies clears the queue once it has asked (mosquitto's
// net__handle_ssl before the fix): what other code leaves there until the next write stays.
static int classify_and_clear(struct client *c, int ret) {
  int err = SSL_get_error(c->ssl, ret);
  ERR_clear_error();
  return err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE ? 0 : -1;
}

long client_write_helper_clears(struct client *c, const void *buf, size_t count) {
  int ret = SSL_write(c->ssl, buf, (int)count);
  // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: 'SSL_get_error' classifies the result of 'SSL_write' from the thread's error queue
  if (ret <= 0)
    ret = classify_and_clear(c, ret);
  return ret;
}

// A caller that clears does not cover a wrapper that another caller calls without.
static int wrapped_tls_write(struct client *c, const void *buf, int len) {
  int ret = SSL_write(c->ssl, buf, len);
  // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: 'SSL_get_error' classifies the result of 'SSL_write' from the thread's error queue
  if (ret <= 0) {
    int err = SSL_get_error(c->ssl, ret);
    return err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE ? 0 : -1;
  }
  return ret;
}

int client_send_cleared(struct client *c, const void *buf, int len) {
  ERR_clear_error();
  return wrapped_tls_write(c, buf, len);
}

int client_send_uncleared(struct client *c, const void *buf, int len) {
  return wrapped_tls_write(c, buf, len);
}

// A clear in another function that this one does not call protects nothing.
void tls_reset_errors(void) { ERR_clear_error(); }

int tls_send_in_loop(SSL *ssl, const char *buf, int len) {
  int off = 0;
  while (off < len) {
    int n = SSL_write(ssl, buf + off, len - off);
    // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: 'SSL_get_error' classifies the result of 'SSL_write' from the thread's error queue
    if (n <= 0) {
      int err = SSL_get_error(ssl, n);
      return err == SSL_ERROR_WANT_WRITE || err == SSL_ERROR_WANT_READ ? off : -1;
    }
    off += n;
  }
  return off;
}

// negatives

int tls_send_cleared(SSL *ssl, const void *buf, int len) {
  ERR_clear_error();
  int n = SSL_write(ssl, buf, len);
  if (n <= 0) {
    int err = SSL_get_error(ssl, n);
    if (err == SSL_ERROR_WANT_WRITE || err == SSL_ERROR_WANT_READ)
      return 0;
    return -1;
  }
  return n;
}

// A project's own clear, one call deep (nginx's ngx_ssl_clear_error).
static void drop_stale_errors(void) {
  while (ERR_peek_error())
    log_tls("ignoring stale error", 0);
  ERR_clear_error();
}

int tls_send_own_clear(SSL *ssl, const void *buf, int len) {
  drop_stale_errors();
  int n = SSL_write(ssl, buf, len);
  if (n > 0)
    return n;
  switch (SSL_get_error(ssl, n)) {
  case SSL_ERROR_WANT_READ:
  case SSL_ERROR_WANT_WRITE:
    return 0;
  default:
    return -1;
  }
}

// The queue emptied before the write by the caller, the only one in the file.
static int raw_tls_write(struct client *c, const void *buf, int len) {
  int ret = SSL_write(c->ssl, buf, len);
  if (ret <= 0) {
    int err = SSL_get_error(c->ssl, ret);
    return err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE ? 0 : -1;
  }
  return ret;
}

int client_flush_cleared(struct client *c, const void *buf, int len) {
  ERR_clear_error();
  return raw_tls_write(c, buf, len);
}

// The answer is only logged: every failure is fatal, a stale error changes nothing.
int blocking_tls_send(SSL *ssl, const void *buf, int len) {
  int n = SSL_write(ssl, buf, len);
  if (n <= 0) {
    log_tls("SSL_write", SSL_get_error(ssl, n));
    return -1;
  }
  return n;
}

// No query at all.
int tls_send_plain(SSL *ssl, const void *buf, int len) {
  int n = SSL_write(ssl, buf, len);
  return n > 0 ? n : -1;
}

// The reader classifies a read's result, not the write's.
int tls_echo(SSL *ssl, char *buf, int cap) {
  int r = SSL_read(ssl, buf, cap);
  if (r <= 0)
    return SSL_get_error(ssl, r) == SSL_ERROR_WANT_READ ? 0 : -1;
  int n = SSL_write(ssl, buf, r);
  return n == r ? n : -1;
}

// A helper handed something else than the count.
static int count_is_short(struct client *c, int want, int got) {
  (void)c;
  return got < want;
}

long client_write_checked(struct client *c, const void *buf, int len) {
  ERR_clear_error();
  int ret = SSL_write(c->ssl, buf, len);
  if (ret <= 0) {
    int err = SSL_get_error(c->ssl, ret);
    return err == SSL_ERROR_WANT_WRITE || err == SSL_ERROR_WANT_READ ? 0 : -1;
  }
  return count_is_short(c, len, ret) ? -1 : ret;
}
