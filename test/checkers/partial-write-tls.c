// After SSL_write (SSL_write_ex, wolfSSL_write) fails, SSL_get_error says why: WANT_WRITE and
// WANT_READ both mean "not yet" (a renegotiation or a TLS 1.3 key update makes a write wait
// for the peer's data): wait until the socket is ready as asked and call the write again.
// Code that retries one of them and sends the other to its failure branch drops the
// connection, and what it still had to send, the first time the other comes.
// RUN: %check_drain -std=c11 %s drain-partial-write %t
// The same against the system's <openssl/ssl.h> (the mock's directory is not searched):
// RUN: %drain_clang_tidy %s -checks='-*,drain-partial-write' --quiet -- -std=c11 2>&1 | %FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error}}:'

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdbool.h>
#include <stddef.h>
#include <unistd.h>

enum io_status { IO_DONE, IO_AGAIN, IO_ERROR };

struct conn {
  SSL *ssl;
  int fd;
  bool want_write;
  bool want_read;
};

void log_ssl_error(const char *what, int err);

// positives

int tls_send(SSL *ssl, const char *buf, int len) {
  int n = SSL_write(ssl, buf, len);
  if (n <= 0) {
    int err = SSL_get_error(ssl, n);
    if (err == SSL_ERROR_WANT_WRITE)
      // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: after 'SSL_write', 'SSL_ERROR_WANT_READ' is handled as a failure while 'SSL_ERROR_WANT_WRITE' waits to try again; both mean "not yet", and the connection is dropped with its data unsent [drain-partial-write]
      return 0;
    return -1;
  }
  return n;
}

enum io_status conn_write(struct conn *c, const void *buf, int len) {
  int n = SSL_write(c->ssl, buf, len);
  if (n > 0)
    return IO_DONE;
  switch (SSL_get_error(c->ssl, n)) {
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: after 'SSL_write', 'SSL_ERROR_WANT_READ' is handled as a failure while 'SSL_ERROR_WANT_WRITE' waits to try again; both mean "not yet", and the connection is dropped with its data unsent [drain-partial-write]
  case SSL_ERROR_WANT_WRITE:
    c->want_write = true;
    return IO_AGAIN;
  case SSL_ERROR_ZERO_RETURN:
  default:
    log_ssl_error("SSL_write", n);
    close(c->fd);
    return IO_ERROR;
  }
}

enum io_status conn_write_ex(struct conn *c, const void *buf, size_t len, size_t *written) {
  if (SSL_write_ex(c->ssl, buf, len, written))
    return IO_DONE;
  int err = SSL_get_error(c->ssl, 0);
  if (err != SSL_ERROR_WANT_READ) {
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: after 'SSL_write_ex', 'SSL_ERROR_WANT_WRITE' is handled as a failure while 'SSL_ERROR_WANT_READ' waits to try again; both mean "not yet", and the connection is dropped with its data unsent [drain-partial-write]
    log_ssl_error("SSL_write_ex", err);
    return IO_ERROR;
  }
  c->want_read = true;
  return IO_AGAIN;
}

// negatives (each clears the thread's error queue before its write, as OpenSSL asks:
// partial-write-tls-error-queue.c)

int tls_send_both(SSL *ssl, const char *buf, int len) {
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

enum io_status conn_write_switch(struct conn *c, const void *buf, int len) {
  ERR_clear_error();
  int n = SSL_write(c->ssl, buf, len);
  if (n > 0)
    return IO_DONE;
  switch (SSL_get_error(c->ssl, n)) {
  case SSL_ERROR_WANT_READ:
    c->want_read = true;
    return IO_AGAIN;
  case SSL_ERROR_WANT_WRITE:
    c->want_write = true;
    return IO_AGAIN;
  default:
    log_ssl_error("SSL_write", n);
    close(c->fd);
    return IO_ERROR;
  }
}

enum io_status conn_write_fallthrough(struct conn *c, const void *buf, int len) {
  ERR_clear_error();
  int n = SSL_write(c->ssl, buf, len);
  if (n > 0)
    return IO_DONE;
  switch (SSL_get_error(c->ssl, n)) {
  case SSL_ERROR_WANT_READ:
  case SSL_ERROR_WANT_WRITE:
    return IO_AGAIN;
  default:
    return IO_ERROR;
  }
}

int blocking_send(SSL *ssl, const char *buf, int len) {
  int n = SSL_write(ssl, buf, len);
  if (n <= 0) {
    log_ssl_error("SSL_write", SSL_get_error(ssl, n));
    return -1;
  }
  return n;
}

int blocking_send_closed_by_peer(SSL *ssl, const char *buf, int len) {
  int n = SSL_write(ssl, buf, len);
  if (n <= 0) {
    int err = SSL_get_error(ssl, n);
    if (err == SSL_ERROR_ZERO_RETURN)
      return 0;
    return -1;
  }
  return n;
}

enum io_status conn_write_in_turn(struct conn *c, const void *buf, int len) {
  ERR_clear_error();
  int n = SSL_write(c->ssl, buf, len);
  if (n > 0)
    return IO_DONE;
  int err = SSL_get_error(c->ssl, n);
  if (err == SSL_ERROR_WANT_WRITE) {
    c->want_write = true;
    return IO_AGAIN;
  }
  if (err == SSL_ERROR_WANT_READ) {
    c->want_read = true;
    return IO_AGAIN;
  }
  log_ssl_error("SSL_write", err);
  return IO_ERROR;
}

int send_retrying(SSL *ssl, const char *buf, int len) {
  for (;;) {
    ERR_clear_error();
    int n = SSL_write(ssl, buf, len);
    if (n > 0)
      return n;
    int err = SSL_get_error(ssl, n);
    if (err == SSL_ERROR_SYSCALL && n == -1)
      return -1;
    if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE)
      return -2;
  }
}
