// A function learnt as a close of its argument (docs/model-file.md, inferred roles) must end
// the connection on the way it ends normally. One that tears the socket down only when it
// fails (a bind or setup step: `error: close(fd); return 0;`) or only when the last reference
// goes (`if (--c->ref == 0) close(c->fd);`) closes nothing its callers still use.
// RUN: %check_drain -std=c11 %s drain-shutdown-before-flush %t

#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

struct conn {
  int fd;
  int ref;
};

static void conn_close(struct conn *c) {
  close(c->fd);
  c->fd = -1;
}

static void sock_close(int fd) { close(fd); }

// positives

void reply_then_close(int fd, const char *m, size_t n) {
  if (send(fd, m, n, 0) < 0)
    return;
  sock_close(fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: {{.*}}after a write that may not have sent everything [drain-shutdown-before-flush]
}

// A close guarded by the descriptor's state, not by a failure: still a close.
static int sock_close_if_open(int fd) {
  if (fd >= 0) {
    close(fd);
    return 0;
  }
  return -1;
}

void reply_then_close_if_open(int fd, const char *m, size_t n) {
  if (send(fd, m, n, 0) < 0)
    return;
  sock_close_if_open(fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: {{.*}}after a write that may not have sent everything [drain-shutdown-before-flush]
}

// negatives

// Closes only when binding fails.
static int conn_bind(struct conn *c, const struct sockaddr_in *a) {
  if (bind(c->fd, (const struct sockaddr *)a, sizeof *a) < 0)
    goto error;
  return 1;
error:
  close(c->fd);
  return 0;
}

// Closes only when an option cannot be set, then answers failure.
static int conn_setup(struct conn *c) {
  int one = 1;
  if (setsockopt(c->fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one) < 0) {
    close(c->fd);
    return -1;
  }
  return 0;
}

// Drops one reference; the last one closes.
static void conn_release(struct conn *c) {
  if (--c->ref == 0)
    conn_close(c);
}

static void conn_unref(struct conn *c) {
  c->ref--;
  if (c->ref == 0 && c->fd >= 0)
    close(c->fd);
}

void reply_then_bind(struct conn *c, const char *m, size_t n, const struct sockaddr_in *a) {
  if (send(c->fd, m, n, 0) < 0)
    return;
  conn_bind(c, a);
}

void reply_then_setup(struct conn *c, const char *m, size_t n) {
  if (send(c->fd, m, n, 0) < 0)
    return;
  conn_setup(c);
}

void reply_then_release(struct conn *c, const char *m, size_t n) {
  if (send(c->fd, m, n, 0) < 0)
    return;
  conn_release(c);
}

void reply_then_unref(struct conn *c, const char *m, size_t n) {
  if (send(c->fd, m, n, 0) < 0)
    return;
  conn_unref(c);
}

// The same on a bare descriptor: a step that closes it only when it fails.
static int sock_nodelay(int fd) {
  int one = 1;
  if (setsockopt(fd, IPPROTO_TCP, 1, &one, sizeof one) < 0) {
    close(fd);
    return -1;
  }
  return 0;
}

void reply_then_nodelay(int fd, const char *m, size_t n) {
  if (send(fd, m, n, 0) < 0)
    return;
  sock_nodelay(fd);
}
