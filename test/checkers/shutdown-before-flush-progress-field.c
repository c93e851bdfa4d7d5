// A write-all loop whose progress lives in a field of the connection (`c->out.len -= n`,
// `c->sent += n`) rather than in a local: leaving the loop because that field says
// everything went out confirms the writes in it, here and in the summary of the function
// that runs the loop. A count that only grows a field, with no loop testing it, is still a
// write that may have come short. A counter is its path: `a->out.len` and `b->out.len` are
// two counters, and draining one says nothing of the other.
// RUN: %check_drain -std=c11 %s drain-shutdown-before-flush %t

#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

struct outq {
  char buf[4096];
  size_t len;
};
struct conn {
  int fd;
  struct outq out;
  const char *msg;
  size_t msg_len;
  size_t sent;
  unsigned long stats_bytes;
  int closing;
};

// 1 drained, 0 pending (try again when writable), -1 error.
static int outq_flush(struct conn *c) {
  while (c->out.len) {
    ssize_t n = send(c->fd, c->out.buf, c->out.len, MSG_NOSIGNAL);
    if (n < 0)
      return errno == EAGAIN ? 0 : -1;
    memmove(c->out.buf, c->out.buf + n, c->out.len - (size_t)n);
    c->out.len -= (size_t)n;
  }
  return 1;
}

// positives

// One send, its count added to the progress field and never tested.
int send_once_then_close(struct conn *c) {
  ssize_t n = send(c->fd, c->msg + c->sent, c->msg_len - c->sent, 0);
  if (n < 0)
    return -1;
  c->sent += (size_t)n;
  close(c->fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'c' is closed after a write that may not have sent everything [drain-shutdown-before-flush]
  return 0;
}

// The count grows a statistics field while the loop moves on to the next chunk.
int send_chunks_then_close(struct conn *c, const char **chunks, int count) {
  for (int i = 0; i < count; i++) {
    ssize_t n = send(c->fd, chunks[i], strlen(chunks[i]), 0);
    if (n < 0)
      return -1;
    c->stats_bytes += (unsigned long)n;
  }
  close(c->fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'c' is closed after a write that may not have sent everything [drain-shutdown-before-flush]
  return 0;
}

// `a`'s loop drains a; `b` got one send whose count only shrank b's counter.
int close_other_after_drain(struct conn *a, struct conn *b) {
  while (a->out.len > 0) {
    ssize_t n = send(a->fd, a->out.buf, a->out.len, 0);
    if (n < 0)
      return -1;
    memmove(a->out.buf, a->out.buf + n, a->out.len - (size_t)n);
    a->out.len -= (size_t)n;
  }
  ssize_t n = send(b->fd, b->out.buf, b->out.len, 0);
  if (n < 0)
    return -1;
  b->out.len -= (size_t)n;
  if (a->out.len == 0)
    close(b->fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'b' is closed after a write that may not have sent everything [drain-shutdown-before-flush]
  return 0;
}

// negatives

// The loop's own field says everything went out: outq_flush answers 1 only then.
int finish_when_drained(struct conn *c) {
  int r = outq_flush(c);
  if (r < 0) {
    close(c->fd);
    return -1;
  }
  if (r == 0) {
    c->closing = 1;
    return 0;
  }
  close(c->fd);
  return 0;
}

// Progress counted up in a field, compared with the length in the loop condition.
int send_all_then_close(struct conn *c) {
  while (c->sent < c->msg_len) {
    ssize_t n = send(c->fd, c->msg + c->sent, c->msg_len - c->sent, 0);
    if (n < 0)
      return -1;
    c->sent += (size_t)n;
  }
  close(c->fd);
  return 0;
}

// The same with `c->sent = c->sent + n`.
int send_all_assign_then_close(struct conn *c) {
  while (c->sent != c->msg_len) {
    ssize_t n = send(c->fd, c->msg + c->sent, c->msg_len - c->sent, 0);
    if (n < 0)
      return -1;
    c->sent = c->sent + (size_t)n;
  }
  close(c->fd);
  return 0;
}

// Progress counted down in a nested field.
int drain_then_shutdown(struct conn *c) {
  while (c->out.len > 0) {
    ssize_t n = write(c->fd, c->out.buf, c->out.len);
    if (n < 0)
      return -1;
    memmove(c->out.buf, c->out.buf + n, c->out.len - (size_t)n);
    c->out.len -= (size_t)n;
  }
  shutdown(c->fd, SHUT_WR);
  return 0;
}

// Two connections, each drained by its own loop over its own counter.
int drain_both_then_close(struct conn *a, struct conn *b) {
  while (a->out.len > 0) {
    ssize_t n = send(a->fd, a->out.buf, a->out.len, 0);
    if (n < 0)
      return -1;
    memmove(a->out.buf, a->out.buf + n, a->out.len - (size_t)n);
    a->out.len -= (size_t)n;
  }
  while (b->out.len > 0) {
    ssize_t n = send(b->fd, b->out.buf, b->out.len, 0);
    if (n < 0)
      return -1;
    memmove(b->out.buf, b->out.buf + n, b->out.len - (size_t)n);
    b->out.len -= (size_t)n;
  }
  close(a->fd);
  close(b->fd);
  return 0;
}

// A struct's output held through a pointer member.
struct pconn {
  int fd;
  struct outq *out;
};

int drain_pointer_then_close(struct pconn *c) {
  while (c->out->len != 0) {
    ssize_t n = send(c->fd, c->out->buf, c->out->len, 0);
    if (n < 0)
      return -1;
    memmove(c->out->buf, c->out->buf + n, c->out->len - (size_t)n);
    c->out->len = c->out->len - (size_t)n;
  }
  close(c->fd);
  return 0;
}
