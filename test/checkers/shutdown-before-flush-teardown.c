// A C connection struct whose output waits in a buffer member (a ring buffer, a malloc'd
// block) beside its descriptor. One poll-and-write step may leave part of it; releasing the
// connection then frees the buffer (`bipbuf_free(c->buf)`, `free(c->wbuf)`) with that part
// still in it (memcached's metadump client). A loop that keeps writing while the buffer is
// not empty (`bipbuf_used(c->buf)`, `c->wbuf_len > 0`), whichever conjunct ends it, a full
// write, or a failure the step reports, is the correct twin.
// RUN: %check_drain -std=c11 %s drain-shutdown-before-flush %t

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

typedef struct ringbuf ringbuf_t;
unsigned char *ringbuf_peek_all(ringbuf_t *, unsigned int *);
unsigned char *ringbuf_poll(ringbuf_t *, unsigned int);
int ringbuf_used(const ringbuf_t *);
void ringbuf_free(ringbuf_t *);
void hand_back(void *);

typedef struct {
  void *owner;
  ringbuf_t *buf;
  int sfd;
} client_t;

static void client_close(client_t *c) {
  close(c->sfd);
  c->owner = NULL;
  ringbuf_free(c->buf);
  c->buf = NULL;
}

static void client_release(client_t *c) {
  hand_back(c->owner);
  c->owner = NULL;
  ringbuf_free(c->buf);
  c->buf = NULL;
}

/// One write step: whatever the socket takes now.
static int client_poll(client_t *c) {
  unsigned int size = 0;
  unsigned char *data = ringbuf_peek_all(c->buf, &size);
  if (data == NULL)
    return 0;
  ssize_t n = write(c->sfd, data, size);
  if (n == -1) {
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      client_close(c);
      return -1;
    }
  } else if (n == 0) {
    client_close(c);
    return -1;
  } else {
    ringbuf_poll(c->buf, (unsigned int)n);
  }
  return 0;
}

struct crawl {
  client_t c;
  int running;
};

/// A plain struct of output: a malloc'd block and its length.
struct conn {
  int fd;
  char *wbuf;
  size_t wbuf_len;
};

// positives

void finish_after_one_step(struct crawl *cr) {
  if (cr->c.owner != NULL) {
    client_poll(&cr->c);
    if (cr->c.owner != NULL)
      client_release(&cr->c);
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'cr.c' is closed by 'client_release' after a write that may not have sent everything [drain-shutdown-before-flush]
  }
}

void conn_free_after_short_write(struct conn *c) {
  ssize_t n = write(c->fd, c->wbuf, c->wbuf_len);
  if (n < 0)
    return;
  free(c->wbuf);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'c' is closed by destroying 'c->wbuf' after a write that may not have sent everything [drain-shutdown-before-flush]
  c->wbuf = NULL;
}

// negatives

// memcached after the fix: poll while the client is attached and the buffer is not empty.
void finish_when_drained(struct crawl *cr) {
  while (cr->c.owner != NULL && ringbuf_used(cr->c.buf))
    client_poll(&cr->c);
  if (cr->c.owner != NULL)
    client_release(&cr->c);
}

// The same loop with the emptiness test first.
void finish_when_drained_test_first(struct crawl *cr) {
  while (ringbuf_used(cr->c.buf) > 0 && cr->running)
    client_poll(&cr->c);
  client_release(&cr->c);
}

// Released only once the buffer is found empty.
void finish_if_empty(struct crawl *cr) {
  client_poll(&cr->c);
  if (ringbuf_used(cr->c.buf) == 0)
    client_release(&cr->c);
}

// Nothing written here: what the buffer holds on entry is the caller's business.
void release_only(struct crawl *cr) { client_release(&cr->c); }

// The count is compared with the length: a short write is seen.
void conn_free_after_full_write(struct conn *c) {
  ssize_t n = write(c->fd, c->wbuf, c->wbuf_len);
  if (n != (ssize_t)c->wbuf_len)
    return;
  free(c->wbuf);
  c->wbuf = NULL;
}

// A write-all loop over the length member.
void conn_free_after_drain(struct conn *c) {
  size_t off = 0;
  while (c->wbuf_len > 0) {
    ssize_t n = write(c->fd, c->wbuf + off, c->wbuf_len);
    if (n < 0)
      break;
    off += (size_t)n;
    c->wbuf_len -= (size_t)n;
  }
  free(c->wbuf);
  c->wbuf = NULL;
}

// The read buffer is not owed to anyone.
struct reader {
  int fd;
  char *rbuf;
  size_t rlen;
};
void reader_free(struct reader *r, const char *ack) {
  ssize_t n = write(r->fd, ack, strlen(ack));
  (void)n;
  free(r->rbuf);
}
