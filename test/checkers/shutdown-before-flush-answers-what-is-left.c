// RUN: %check_drain -std=c11 %s drain-shutdown-before-flush %t

// A C flush that answers how much is still buffered (0 once drained, -1 on failure), the
// way many event loops write it: `return c->outlen;` after a loop that lowers `c->outlen` by
// each send's count. Zero is drained, more is pending: a caller that only tests for failure
// and closes loses the rest.

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

struct conn {
  int fd;
  char outbuf[4096];
  size_t outlen;
};

ssize_t conn_flush(struct conn *c) {
  while (c->outlen > 0) {
    ssize_t n = send(c->fd, c->outbuf, c->outlen, MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EAGAIN)
        break;
      return -1;
    }
    memmove(c->outbuf, c->outbuf + n, c->outlen - (size_t)n);
    c->outlen -= (size_t)n;
  }
  return (ssize_t)c->outlen;
}

// positives

int finish_after_error_check(struct conn *c) {
  if (conn_flush(c) < 0)
    return -1;
  close(c->fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'c' is closed while its write buffer may still hold data [drain-shutdown-before-flush]
  return 0;
}

void finish_ignoring_the_answer(struct conn *c) {
  conn_flush(c);
  shutdown(c->fd, SHUT_WR);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'c' is shut down while its write buffer may still hold data [drain-shutdown-before-flush]
}

// negatives

int finish_when_drained(struct conn *c) {
  ssize_t left = conn_flush(c);
  if (left < 0)
    return -1;
  if (left > 0)
    return 1;
  close(c->fd);
  return 0;
}

int finish_if_zero(struct conn *c) {
  if (conn_flush(c) == 0)
    close(c->fd);
  return 0;
}

int finish_unless_left(struct conn *c) {
  if (conn_flush(c) != 0)
    return 1;
  shutdown(c->fd, SHUT_WR);
  return 0;
}

void abort_dropping(struct conn *c) {
  c->outlen = 0;
  close(c->fd);
}
