// The I/O layer of a small server: its callers live in another file (summary-store.c).
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include "net.h"

ssize_t sock_send(int fd, const void *buf, size_t len) {
  ssize_t n;
  do {
    n = send(fd, buf, len, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  return n;
}

int send_all(int fd, const char *buf, size_t len) {
  while (len > 0) {
    ssize_t n = sock_send(fd, buf, len);
    if (n < 0)
      return -1;
    buf += n;
    len -= (size_t)n;
  }
  return 0;
}

// 0: drained, 1: data left (wait until writable), -1: error.
int outq_flush(struct outq *q) {
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

void sock_close(struct outq *q) {
  close(q->fd);
  q->fd = -1;
}
