// A short count noticed and only logged: the comparison with the length is there, but its
// short side prints a message and goes on as if all was sent (rsyslog's omuxsock before
// e4fed00: "how is this message correct, in that we are returning OK still?").
// RUN: %check_drain -std=c11 %s drain-partial-write %t

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <syslog.h>
#include <unistd.h>

extern int Debug;
void dbgprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define DBGPRINTF(...)                                                                       \
  if (Debug) {                                                                               \
    dbgprintf(__VA_ARGS__);                                                                  \
  }
void close_socket(int *sock);
void log_short_write(int fd, size_t sent, size_t len);

// positives

int omuxsock_send(int sock, const char *msg, size_t len) {
  ssize_t sent = send(sock, msg, len, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: a short write by 'send' is noticed but only logged; the rest of the buffer is dropped and the caller is not told [drain-partial-write]
  if ((size_t)sent != len) {
    int eno = errno;
    char err[128];
    DBGPRINTF("send(): socket %d, error: %d = %s\n", sock, eno, strerror_r(eno, err, sizeof err));
  }
  return 0;
}

void write_record(int fd, const char *rec, size_t len) {
  ssize_t n = write(fd, rec, len);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: a short write by 'write' is noticed but only logged; the rest of the buffer is dropped and the caller is not told [drain-partial-write]
  if (n < (ssize_t)len)
    fprintf(stderr, "short write: %zd of %zu\n", n, len);
}

int send_reply(int fd, const char *buf, size_t len) {
  ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: a short write by 'send' is noticed but only logged; the rest of the buffer is dropped and the caller is not told [drain-partial-write]
  if (n == (ssize_t)len) {
    return 0;
  } else {
    syslog(LOG_WARNING, "reply cut short: %zd of %zu", n, len);
    log_short_write(fd, (size_t)n, len);
  }
  return 0;
}

// negatives

// rsyslog after the fix: the socket is closed and the output suspended.
int omuxsock_send_fixed(int *sock, const char *msg, size_t len, int *suspended) {
  ssize_t sent = send(*sock, msg, len, 0);
  if ((size_t)sent != len) {
    DBGPRINTF("send(): socket %d, len %zu, sent %zd\n", *sock, len, sent);
    *suspended = 1;
    close_socket(sock);
  }
  return 0;
}

// Logged, then reported as a failure.
int write_record_or_fail(int fd, const char *rec, size_t len) {
  ssize_t n = write(fd, rec, len);
  if (n != (ssize_t)len) {
    fprintf(stderr, "short write: %zd of %zu\n", n, len);
    return -1;
  }
  return 0;
}

// Logged, then the rest written.
int write_record_retry(int fd, const char *rec, size_t len) {
  ssize_t n = write(fd, rec, len);
  if (n < 0)
    return -1;
  if ((size_t)n < len) {
    perror("short write, retrying");
    size_t off = (size_t)n;
    while (off < len) {
      ssize_t m = write(fd, rec + off, len - off);
      if (m <= 0)
        return -1;
      off += (size_t)m;
    }
  }
  return 0;
}

// The short side is handled in another branch of the same test.
int send_reply_fixed(int fd, const char *buf, size_t len) {
  ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
  if (n == (ssize_t)len)
    syslog(LOG_DEBUG, "reply sent");
  else
    return -1;
  return 0;
}

// Logged, and the count handed back to the caller.
ssize_t write_some_logged(int fd, const char *buf, size_t len) {
  ssize_t n = write(fd, buf, len);
  if (n >= 0 && (size_t)n < len)
    fprintf(stderr, "partial: %zd\n", n);
  return n;
}
