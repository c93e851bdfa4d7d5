// RUN: %check_drain -std=c11 %s drain-ignored-completion-error %t
// A write's failure, told apart from "again", then told to no one, in C event loops: the
// function logs and returns as on success, and the connection stays open with its data lost.
// Silent: a failure that sets the connection's state, calls its close, hands the error to a
// function that records it, jumps to a label that closes, answers a failure, or writes to
// the standard error.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

enum conn_state { CONN_READ, CONN_WRITE, CONN_ERROR, CONN_CLOSED };

typedef struct conn {
  int fd;
  enum conn_state state;
  int dead;
  char out[4096];
  size_t out_len, out_off;
} conn;

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void conn_close(conn *c);
void conn_set_state(conn *c, enum conn_state s);

static void mark_dead(conn *c) { c->dead = 1; }

//===--- positives --------------------------------------------------------===//

// Logged, then the function returns as it does when the write went out.
static void conn_write_out(conn *c) {
  ssize_t n = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
  if (n == -1) {
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'conn_write_out' notices that 'write' failed and tells no one: it returns normally, and no path after the failure closes the connection, records the error or returns it [drain-ignored-completion-error]
    if (errno == EAGAIN || errno == EINTR)
      return;
    log_error("write failed: %s", strerror(errno));
    return;
  }
  c->out_off += (size_t)n;
}

// The failure answers 0, the answer of a write that went out.
static int conn_reply(conn *c, const char *msg, size_t len) {
  ssize_t n = send(c->fd, msg, len, MSG_NOSIGNAL);
  if (n < 0 && errno != EWOULDBLOCK) {
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'conn_reply' notices that 'send' failed and tells no one: it returns normally, and no path after the failure closes the connection, records the error or returns it [drain-ignored-completion-error]
    log_error("send: %s", strerror(errno));
    return 0;
  }
  return 0;
}

//===--- negatives --------------------------------------------------------===//

// The connection's state says error; the event loop closes it.
static void conn_write_state(conn *c) {
  ssize_t n = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
  if (n == -1) {
    if (errno == EAGAIN || errno == EINTR)
      return;
    log_error("write failed: %s", strerror(errno));
    c->state = CONN_ERROR;
    return;
  }
  c->out_off += (size_t)n;
}

// The state goes through a setter.
static void conn_write_setter(conn *c) {
  ssize_t n = write(c->fd, c->out, c->out_len);
  if (n < 0 && errno != EAGAIN) {
    conn_set_state(c, CONN_CLOSED);
    return;
  }
}

// The connection is closed.
static void conn_write_close(conn *c) {
  ssize_t n = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL);
  if (n < 0) {
    if (errno == EAGAIN)
      return;
    conn_close(c);
  }
}

// A function of this file records the failure in the connection.
static void conn_write_mark(conn *c) {
  ssize_t n = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL);
  if (n < 0 && errno != EAGAIN) {
    log_error("send: %s", strerror(errno));
    mark_dead(c);
  }
}

// A jump to the label that closes.
static void conn_write_goto(conn *c) {
  ssize_t n = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL);
  if (n < 0) {
    if (errno == EAGAIN || errno == EINTR)
      return;
    goto error;
  }
  c->out_off = (size_t)n;
  return;
error:
  log_error("send: %s", strerror(errno));
  conn_close(c);
}

// The failure answers -1.
static int conn_write_answer(conn *c) {
  ssize_t n = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL);
  if (n < 0 && errno != EAGAIN)
    return -1;
  return 0;
}

// A message to the standard error: a log line of its own.
static void warn_line(const char *msg, size_t len) {
  ssize_t n = write(2, msg, len);
  if (n < 0 && errno != EAGAIN)
    return;
}

// A blocking pipe to the parent: EINTR is tried again and EPIPE means the parent has quit,
// so there is no one left to tell; nothing tells "would block" apart (libuv's
// uv__write_int in the child after fork).
static void write_int_to_parent(int fd, int val) {
  ssize_t n;
  do
    n = write(fd, &val, sizeof(val));
  while (n == -1 && errno == EINTR);
  if (n == -1 && errno == EPIPE)
    return; /* the parent has quit */
}
