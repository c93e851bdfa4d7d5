// A C connection struct: a socket member and a write buffer member holding bytes, directly
// (`char outbuf[...]`) or as a struct of its own (`struct outq out`, or behind a pointer). As
// in a C++ connection class, the buffer and the socket are one channel, the struct. A function of the file that
// copies the caller's bytes into the record's buffer and grows its count is a buffered write
// (an append), so a close right after it loses what the buffer holds; a flush that reports
// it finished, or a test that the buffer's count is zero, makes the close safe. A count grown
// without a copy (a statistic), an input buffer, and a string builder with no socket owe
// nobody anything. A function answering what the buffer holds (`return c->out.len == 0;`)
// is a test of it at its call.
// RUN: %check_drain -std=gnu11 %s drain-shutdown-before-flush %t

#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

struct outq {
  char buf[65536];
  size_t len;
};
struct inq {
  char buf[4096];
  size_t len;
};
struct conn {
  int fd;
  struct outq out;
  struct inq in;
};

struct client {
  int sock;
  char wbuf[4096];
  size_t wbuf_len;
};

static void outq_append(struct outq *q, const char *p, size_t n) {
  memcpy(q->buf + q->len, p, n);
  q->len += n;
}

static void inq_append(struct inq *q, const char *p, size_t n) {
  memcpy(q->buf + q->len, p, n);
  q->len += n;
}

static void client_queue(struct client *c, const char *p, size_t n) {
  memcpy(c->wbuf + c->wbuf_len, p, n);
  c->wbuf_len += n;
}

// A connection struct of its own, whose buffer nothing here fills or writes.
struct counted {
  int fd;
  struct outq out;
  unsigned long sent_bytes;
};
static void stats_add(struct counted *c, size_t n) { c->sent_bytes += n; }

// Writes what the socket takes now and keeps the rest for later.
static int conn_send(struct conn *c, const char *p, size_t n) {
  ssize_t w = 0;
  if (c->out.len == 0) {
    w = send(c->fd, p, n, MSG_NOSIGNAL);
    if (w < 0) {
      if (errno != EAGAIN)
        return -1;
      w = 0;
    }
  }
  if ((size_t)w < n)
    outq_append(&c->out, p + w, n - (size_t)w);
  return 0;
}

// 0 drained, 1 data left, -1 failed.
static int conn_flush(struct conn *c) {
  while (c->out.len > 0) {
    ssize_t w = send(c->fd, c->out.buf, c->out.len, MSG_NOSIGNAL);
    if (w < 0)
      return errno == EAGAIN ? 1 : -1;
    memmove(c->out.buf, c->out.buf + w, c->out.len - (size_t)w);
    c->out.len -= (size_t)w;
  }
  return 0;
}

// Emptiness behind a function of the file: one `return` of what the buffer holds.
static bool conn_idle(const struct conn *c) { return c->out.len == 0; }
static size_t conn_pending(const struct conn *c) { return c->out.len; }

// The buffer behind a pointer: `struct outq *out`.
struct peer {
  int sock;
  struct outq *out;
};
static bool peer_idle(const struct peer *p) { return p->out->len == 0; }

// positives

void peer_bye(struct peer *p) {
  outq_append(p->out, "BYE\r\n", 5);
  close(p->sock);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'p' is closed while its write buffer may still hold data [drain-shutdown-before-flush]
}

void bye_then_close(struct conn *c) {
  if (conn_send(c, "BYE\r\n", 5) < 0)
    return;
  close(c->fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'c' is closed while its write buffer may still hold data [drain-shutdown-before-flush]
}

void queue_then_close(struct conn *c) {
  outq_append(&c->out, "BYE\r\n", 5);
  close(c->fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'c' is closed while its write buffer may still hold data [drain-shutdown-before-flush]
}

void client_bye(struct client *c) {
  client_queue(c, "BYE\r\n", 5);
  shutdown(c->sock, SHUT_WR);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'c' is shut down while its write buffer may still hold data [drain-shutdown-before-flush]
}

void close_unless_idle(struct conn *c) {
  outq_append(&c->out, "BYE\r\n", 5);
  if (!conn_idle(c))
    close(c->fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'c' is closed while its write buffer may still hold data [drain-shutdown-before-flush]
}

void close_while_pending(struct conn *c) {
  outq_append(&c->out, "BYE\r\n", 5);
  if (conn_pending(c) > 0)
    close(c->fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'c' is closed while its write buffer may still hold data [drain-shutdown-before-flush]
}

// negatives

void peer_bye_when_idle(struct peer *p) {
  outq_append(p->out, "BYE\r\n", 5);
  if (peer_idle(p))
    close(p->sock);
}

void peer_bye_when_empty(struct peer *p) {
  outq_append(p->out, "BYE\r\n", 5);
  if (p->out->len > 0)
    return;
  close(p->sock);
}

void close_when_idle(struct conn *c) {
  outq_append(&c->out, "BYE\r\n", 5);
  if (conn_idle(c))
    close(c->fd);
}

void close_when_nothing_pending(struct conn *c) {
  outq_append(&c->out, "BYE\r\n", 5);
  if (conn_pending(c) > 0)
    return;
  close(c->fd);
}

void bye_flush_close(struct conn *c) {
  if (conn_send(c, "BYE\r\n", 5) < 0)
    return;
  if (conn_flush(c) != 0)
    return; // wait until writable
  close(c->fd);
}

void close_when_empty(struct conn *c) {
  outq_append(&c->out, "BYE\r\n", 5);
  if (c->out.len == 0)
    close(c->fd);
}

void client_close_when_empty(struct client *c) {
  client_queue(c, "BYE\r\n", 5);
  if (c->wbuf_len > 0)
    return;
  close(c->sock);
}

void send_failed(struct conn *c) {
  if (conn_send(c, "BYE\r\n", 5) < 0)
    close(c->fd);
}

void count_then_close(struct counted *c, size_t n) {
  stats_add(c, n);
  close(c->fd);
}

struct reader {
  int fd;
  struct inq in;
};
void received_then_close(struct reader *r, const char *p, size_t n) {
  inq_append(&r->in, p, n);
  close(r->fd);
}

struct strbuf {
  char *data;
  size_t len;
};
static void sb_add(struct strbuf *b, const char *p, size_t n) {
  memcpy(b->data + b->len, p, n);
  b->len += n;
}
char *build(void) {
  struct strbuf b = {malloc(64), 0};
  sb_add(&b, "abc", 3);
  char *r = strndup(b.data, b.len);
  free(b.data);
  return r;
}
