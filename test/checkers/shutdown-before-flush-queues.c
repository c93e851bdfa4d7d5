// A C connection whose output waits one level down: the connection points to a buffer record
// (`struct buf { char *data; size_t len; }`) that publish() appends to and a flusher writes
// to the connection's descriptor. nats.c's natsConn_close() closed the socket and freed the
// buffer without flushing what had been published, so the last messages were lost; the fix
// flushes first while connected. The twins flush, test the count, drop the buffer on purpose,
// close on a failure path, or write a buffer record to a descriptor they are handed (that
// record owes nothing of its own).
// RUN: %check_drain -std=c11 %s drain-shutdown-before-flush %t

#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

struct buf {
  char *data;
  size_t len;
};

struct conn {
  int fd;
  struct buf *bw;
  int connected;
};

int publish(struct conn *nc, const char *m, size_t n) {
  memcpy(nc->bw->data + nc->bw->len, m, n);
  nc->bw->len += n;
  return 0;
}

int flush_timeout(struct conn *nc, long ms) {
  (void)ms;
  ssize_t w = write(nc->fd, nc->bw->data, nc->bw->len);
  if (w < 0 || (size_t)w != nc->bw->len)
    return -1;
  nc->bw->len = 0;
  return 0;
}

// positives

// nats.c before its fix: what was published is never flushed.
void conn_close(struct conn *nc) {
  close(nc->fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the record is ended by 'close' while its output in 'bw' may not have been sent [drain-shutdown-before-flush]
  free(nc->bw);
}

// A test of the buffer's pointer is no test of what it holds.
void conn_destroy(struct conn *nc) {
  if (nc->bw != NULL)
    free(nc->bw);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the record is ended by 'free' while its output in 'bw' may not have been sent [drain-shutdown-before-flush]
  nc->bw = NULL;
}

// negatives

// nats.c after its fix: flushed first while connected.
void conn_close_flushing(struct conn *nc) {
  if (nc->connected)
    flush_timeout(nc, 2000);
  close(nc->fd);
  free(nc->bw);
}

// Ended only once the buffer is found empty.
int conn_close_when_drained(struct conn *nc) {
  if (nc->bw->len != 0)
    return -1;
  close(nc->fd);
  free(nc->bw);
  return 0;
}

// Dropped on purpose: the connection is being reset.
void conn_reconnect(struct conn *nc, int fd) {
  nc->bw->len = 0;
  close(nc->fd);
  nc->fd = fd;
}

// Closed on the way out of a failure.
int conn_connect(struct conn *nc, int fd) {
  char greeting[64];
  if (read(fd, greeting, sizeof greeting) <= 0) {
    close(nc->fd);
    return -1;
  }
  nc->connected = 1;
  return 0;
}

// A buffer record written to a descriptor the caller hands: its holder has no channel, so
// freeing it owes nobody anything.
struct report {
  struct buf *text;
  int lines;
};

void report_add(struct report *r, const char *s, size_t n) {
  memcpy(r->text->data + r->text->len, s, n);
  r->text->len += n;
  r->lines++;
}

int report_dump(struct report *r, int fd) {
  return write(fd, r->text->data, r->text->len) < 0 ? -1 : 0;
}

void report_free(struct report *r) {
  free(r->text);
  free(r);
}
