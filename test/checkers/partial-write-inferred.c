// The project's own write wrappers, defined in this file: drain reads a wrapper's body and
// checks its callers as it checks send() itself (docs/model-file.md, inferred roles).
// RUN: %check_drain -std=c11 %s drain-partial-write %t

#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

struct conn {
  int fd;
};

// The wrappers, as projects write them.
static ssize_t sock_send(int fd, const void *buf, size_t len) {
  return send(fd, buf, len, MSG_NOSIGNAL);
}

static ssize_t sock_send_retry(int fd, const void *buf, size_t len) {
  ssize_t n;
  do {
    n = send(fd, buf, len, 0);
  } while (n < 0 && errno == EINTR);
  return n;
}

static ssize_t conn_write(struct conn *c, const void *buf, size_t len) {
  if (c->fd < 0)
    return -1;
  ssize_t n = write(c->fd, buf, len);
  return n < 0 ? -errno : n;
}

// A wrapper of a wrapper.
static ssize_t conn_puts(struct conn *c, const char *s) {
  return sock_send_retry(c->fd, s, strlen(s));
}

// Loops until everything is sent: callers get success or failure, never a short count.
static int send_all(int fd, const char *buf, size_t len) {
  while (len > 0) {
    ssize_t n = send(fd, buf, len, 0);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    buf += n;
    len -= (size_t)n;
  }
  return 0;
}

// Answers "all sent" as 0, anything else as -1: no count left to compare.
static int sock_send_exact(int fd, const void *buf, size_t len) {
  return send(fd, buf, len, 0) == (ssize_t)len ? 0 : -1;
}

// Reads, not writes.
static ssize_t sock_recv(int fd, void *buf, size_t len) {
  return recv(fd, buf, len, 0);
}

// positives

int reply_through_wrapper(int fd, const char *msg, size_t len) {
  if (sock_send(fd, msg, len) < 0)
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: result of 'sock_send' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    return -1;
  return 0;
}

int reply_through_eintr_loop(int fd, const char *msg, size_t len) {
  ssize_t n = sock_send_retry(fd, msg, len);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: result of 'sock_send_retry' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
  if (n == -1)
    return -1;
  return 0;
}

int reply_through_conn(struct conn *c, const char *msg, size_t len) {
  if (conn_write(c, msg, len) < 0)
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: result of 'conn_write' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    return -1;
  return 0;
}

int greet_through_two_wrappers(struct conn *c) {
  if (conn_puts(c, "220 ready\r\n") < 0)
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: result of 'conn_puts' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    return -1;
  return 0;
}

// negatives

int reply_through_wrapper_until_sent(int fd, const char *msg, size_t len) {
  size_t off = 0;
  while (off < len) {
    ssize_t n = sock_send(fd, msg + off, len - off);
    if (n < 0)
      return -1;
    off += (size_t)n;
  }
  return 0;
}

int reply_through_eintr_loop_compared(int fd, const char *msg, size_t len) {
  ssize_t n = sock_send_retry(fd, msg, len);
  if (n < 0 || (size_t)n != len)
    return -1;
  return 0;
}

int reply_through_send_all(int fd, const char *msg, size_t len) {
  if (send_all(fd, msg, len) < 0)
    return -1;
  return 0;
}

int reply_through_exact(int fd, const char *msg, size_t len) {
  if (sock_send_exact(fd, msg, len) < 0)
    return -1;
  return 0;
}

int wake_through_wrapper(int fd) {
  if (sock_send(fd, "x", 1) < 0) // one byte goes whole or not at all
    return -1;
  return 0;
}

int read_through_wrapper(int fd, char *buf, size_t len) {
  if (sock_recv(fd, buf, len) < 0)
    return -1;
  return 0;
}
