// A write-all of the project's own that waits out a would-block: it goes round again when
// the socket is full and stops early only on a failure or when its retry budget runs out
// (sofia-sip's ws_raw_write retries SSL_write up to WS_WRITE_SANITY times, sleeping between
// tries). An early answer means it gave up: nothing is left that waiting could still send,
// and closing is all that is left to do, so a close after it is no finding of this check
// (an answer nobody tested is drain-discarded-io-result's). A write-all that stops on the
// first would-block instead leaves the rest pending, and a close after it is reported.
// RUN: %check_drain -std=gnu11 %s drain-shutdown-before-flush %t

#define _GNU_SOURCE
#include <errno.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>
#include <openssl/ssl.h>

struct conn {
  int sock;
  SSL *ssl;
};

#define SANITY 2000
#define WANT_READ_WRITE(err) ((err) == SSL_ERROR_WANT_READ || (err) == SSL_ERROR_WANT_WRITE)

// sofia-sip's shape: a would-block is told apart from a failure and retried.
static ssize_t tls_write(struct conn *c, const void *data, size_t bytes) {
  ssize_t r;
  int sanity = SANITY;
  int err = 0;
  size_t wrote = 0;
  do {
    const void *buf = (const unsigned char *)data + wrote;
    r = SSL_write(c->ssl, buf, (int)(bytes - wrote));
    if (r > 0)
      wrote += (size_t)r;
    if (sanity < SANITY)
      usleep(1000);
    if (r <= 0) {
      err = SSL_get_error(c->ssl, (int)r);
      if (!WANT_READ_WRITE(err))
        break;
      err = 0;
    }
  } while (--sanity > 0 && wrote < bytes);
  if (!sanity)
    err = -56;
  if (err)
    r = err;
  return r < 0 ? r : (ssize_t)wrote;
}

// The same, going round again with `continue`.
static int tls_send_all(SSL *ssl, const char *p, int len) {
  int tries = 100;
  while (len > 0 && tries-- > 0) {
    int n = SSL_write(ssl, p, len);
    if (n <= 0) {
      if (SSL_get_error(ssl, n) == SSL_ERROR_WANT_WRITE)
        continue;
      return -1;
    }
    p += n;
    len -= n;
  }
  return len == 0 ? 0 : -1;
}

// Stops on the first would-block: the rest is still to be sent.
static ssize_t tls_write_some(SSL *ssl, const char *p, size_t len) {
  size_t done = 0;
  while (done < len) {
    int n = SSL_write(ssl, p + done, (int)(len - done));
    if (n <= 0) {
      if (SSL_get_error(ssl, n) == SSL_ERROR_WANT_WRITE)
        break;
      return -1;
    }
    done += (size_t)n;
  }
  return (ssize_t)done;
}

// sofia-sip's ws_close: a close frame through the write-all, then the TLS shutdown.
static void conn_close(struct conn *c, int reason) {
  if (reason)
    tls_write(c, "\x88\x02", 2);
  if (c->ssl) {
    SSL_shutdown(c->ssl);
    SSL_free(c->ssl);
    c->ssl = NULL;
  }
  close(c->sock);
}

// sofia-sip's ws_write_frame: the write-all's answer handed on.
static int write_frame(struct conn *c, const void *data, size_t n) {
  ssize_t r = tls_write(c, data, n);
  if (r <= 0 || r != (ssize_t)n)
    return (int)r;
  return (int)n;
}

// positives

void some_then_shutdown(struct conn *c, const char *p, size_t n) {
  tls_write_some(c->ssl, p, n);
  SSL_shutdown(c->ssl);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'c.ssl' is shut down after a write that may not have sent everything [drain-shutdown-before-flush]
}

void some_then_close(struct conn *c, const char *p, size_t n) {
  if (tls_write_some(c->ssl, p, n) < 0)
    return;
  conn_close(c, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'c.ssl' is shut down by 'conn_close' after a write that may not have sent everything [drain-shutdown-before-flush]
}

// negatives

void reject(struct conn *c) {
  tls_write(c, "HTTP/1.1 400 Bad Request\r\n\r\n", 28);
  conn_close(c, 0);
}

void pong_then_close(struct conn *c) {
  write_frame(c, "pong", 4);
  conn_close(c, 1000);
}

void bye_then_shutdown(struct conn *c) {
  tls_send_all(c->ssl, "bye\r\n", 5);
  SSL_shutdown(c->ssl);
}

void reply_then_shutdown(struct conn *c, const char *p, size_t n) {
  if (tls_write(c, p, n) != (ssize_t)n) {
    close(c->sock);
    return;
  }
  SSL_shutdown(c->ssl);
}

void some_drained_then_shutdown(struct conn *c, const char *p, size_t n) {
  if (tls_write_some(c->ssl, p, n) != (ssize_t)n)
    return; // wait until writable
  SSL_shutdown(c->ssl);
}
