// A write helper of the project that loops over the caller's data until the socket would
// block, then answers how much went (`if (errno == EAGAIN) break; ... return done;`), is a
// write whose count may be short, as write()'s is: a caller that tests it only for failure
// loses the rest. A helper that goes round again on would-block (sofia-sip's ws_raw_write,
// with a retry budget) writes everything or gives up, and its callers owe no remainder.
// RUN: %check_drain -std=gnu11 %s drain-partial-write %t

#define _GNU_SOURCE
#include <errno.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

// Stops on would-block and answers the total so far.
static ssize_t write_some(int fd, const char *p, size_t n) {
  size_t done = 0;
  while (done < n) {
    ssize_t r = write(fd, p + done, n - done);
    if (r < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        break;
      return -1;
    }
    done += (size_t)r;
  }
  return (ssize_t)done;
}

// The TLS spelling.
static int tls_write_some(SSL *ssl, const char *p, int len) {
  int sent = 0;
  while (sent < len) {
    ERR_clear_error();
    int n = SSL_write(ssl, p + sent, len - sent);
    if (n <= 0) {
      if (SSL_get_error(ssl, n) == SSL_ERROR_WANT_WRITE)
        break;
      return -1;
    }
    sent += n;
  }
  return sent;
}

// Goes round again on would-block, a bounded number of times.
static ssize_t write_patiently(int fd, const char *p, size_t n) {
  size_t done = 0;
  int tries = 1000;
  ssize_t r = 0;
  while (done < n && tries-- > 0) {
    r = send(fd, p + done, n - done, MSG_NOSIGNAL);
    if (r < 0 && errno != EAGAIN)
      break;
    if (r > 0)
      done += (size_t)r;
  }
  return r < 0 ? r : (ssize_t)done;
}

// positives

int reply(int fd, const char *p, size_t n) {
  if (write_some(fd, p, n) < 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: result of 'write_some' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    return -1;
  return 0;
}

int reply_tls(SSL *ssl, const char *p, int n) {
  int r = tls_write_some(ssl, p, n);
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: result of 'tls_write_some' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
  if (r < 0)
    return -1;
  return 0;
}

// negatives

int reply_whole(int fd, const char *p, size_t n) {
  ssize_t w = write_some(fd, p, n);
  if (w < 0 || (size_t)w != n)
    return -1;
  return 0;
}

int reply_rest(int fd, const char *p, size_t n) {
  size_t off = 0;
  while (off < n) {
    ssize_t w = write_some(fd, p + off, n - off);
    if (w < 0)
      return -1;
    off += (size_t)w;
  }
  return 0;
}

int reply_tls_whole(SSL *ssl, const char *p, int n) {
  if (tls_write_some(ssl, p, n) != n)
    return -1;
  return 0;
}

int reply_patiently(int fd, const char *p, size_t n) {
  if (write_patiently(fd, p, n) < 0)
    return -1;
  return 0;
}
