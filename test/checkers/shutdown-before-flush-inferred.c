// The project's own flush and close, defined in this file: an outq_flush() answering
// 0 (drained), 1 (data left, try again when writable) or -1 (error) is a flush, and
// sock_close() a close, learned from their bodies (docs/model-file.md, inferred roles).
// RUN: %check_drain -std=c11 %s drain-shutdown-before-flush %t

#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

struct outq {
  int fd;
  char buf[4096];
  size_t len;
};

static int outq_flush(struct outq *q) {
  while (q->len > 0) {
    ssize_t n = send(q->fd, q->buf, q->len, 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        return 1;
      return -1;
    }
    memmove(q->buf, q->buf + n, q->len - (size_t)n);
    q->len -= (size_t)n;
  }
  return 0;
}

// The same answer spelled as a bool: true when everything went out.
static bool outq_drain(struct outq *q) {
  while (q->len > 0) {
    ssize_t n = write(q->fd, q->buf, q->len);
    if (n <= 0)
      return false;
    memmove(q->buf, q->buf + n, q->len - (size_t)n);
    q->len -= (size_t)n;
  }
  return true;
}

static void sock_close(struct outq *q) {
  close(q->fd);
  q->fd = -1;
}

// The other convention, answered through a ternary: 1 drained, 0 data left (EAGAIN), -1 error.
static int outq_send_pending(struct outq *q) {
  while (q->len) {
    ssize_t n = send(q->fd, q->buf, q->len, MSG_NOSIGNAL);
    if (n < 0)
      return errno == EAGAIN ? 0 : -1;
    memmove(q->buf, q->buf + n, q->len - (size_t)n);
    q->len -= (size_t)n;
  }
  return 1;
}

// positives

void finish_after_ternary_error_check(struct outq *q) {
  if (outq_send_pending(q) < 0)
    return;
  sock_close(q);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'q' is closed while its write buffer may still hold data [drain-shutdown-before-flush]
}

void finish_after_error_check(struct outq *q) {
  if (outq_flush(q) < 0)
    return;
  sock_close(q);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'q' is closed while its write buffer may still hold data [drain-shutdown-before-flush]
}

void finish_after_discarded_flush(struct outq *q) {
  outq_flush(q);
  sock_close(q);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'q' is closed while its write buffer may still hold data [drain-shutdown-before-flush]
}

void finish_after_ignored_drain(struct outq *q) {
  (void)outq_drain(q);
  sock_close(q);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'q' is closed while its write buffer may still hold data [drain-shutdown-before-flush]
}

// negatives

int finish_when_drained(struct outq *q) {
  int r = outq_flush(q);
  if (r < 0) {
    sock_close(q);
    return -1;
  }
  if (r > 0)
    return 1; // wait until writable, then flush again
  sock_close(q);
  return 0;
}

int finish_when_flush_answers_zero(struct outq *q) {
  if (outq_flush(q) != 0)
    return -1;
  sock_close(q);
  return 0;
}

int finish_when_drain_succeeds(struct outq *q) {
  if (!outq_drain(q))
    return -1;
  sock_close(q);
  return 0;
}

void abort_connection(struct outq *q) {
  q->len = 0; // the peer is gone: drop what is queued on purpose
  sock_close(q);
}

int finish_when_ternary_flush_drained(struct outq *q) {
  int r = outq_send_pending(q);
  if (r < 0) {
    sock_close(q);
    return -1;
  }
  if (r == 0)
    return 1; // wait until writable
  sock_close(q);
  return 0;
}

int finish_when_ternary_flush_positive(struct outq *q) {
  if (outq_send_pending(q) <= 0)
    return -1;
  sock_close(q);
  return 0;
}
