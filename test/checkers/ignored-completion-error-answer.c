// RUN: %check_drain %s drain-ignored-completion-error %t
// A non-blocking write's failure answered with the function's "not finished yet" answer
// (lighttpd's mod_proxy before 221af3d: `if (-1 == ret) { log(...); return
// HANDLER_WAIT_FOR_EVENT; }` in a handler that answers HANDLER_ERROR on its other failures).
// The caller takes the answer for "write again when the socket is writable" and waits for an
// event that never comes. Silent: a branch that tells "try again" (EAGAIN, EINTR) from a
// failure, a function with no failure answer of its own, a void function, a function whose
// failure and "done" answers are the same, a status that says "again" itself.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

typedef enum {
  HANDLER_GO_ON,
  HANDLER_FINISHED,
  HANDLER_WAIT_FOR_EVENT,
  HANDLER_ERROR
} handler_t;

typedef struct chunkqueue chunkqueue;
typedef struct server server;
struct server {
  int (*network_backend_write)(server *srv, void *con, int fd, chunkqueue *cq);
};
typedef struct {
  int fd;
  chunkqueue *wb;
  long long bytes_out, bytes_in;
} handler_ctx;

void log_error(const char *fmt, ...);
int queue_done(const chunkqueue *cq);
int backend_connect(handler_ctx *hctx);

//===--- positives --------------------------------------------------------===//

static handler_t proxy_write_request(server *srv, handler_ctx *hctx) {
  int ret;
  if (backend_connect(hctx) < 0) {
    log_error("connect failed: %s", strerror(errno));
    return HANDLER_ERROR;
  }
  ret = srv->network_backend_write(srv, 0, hctx->fd, hctx->wb);
  if (-1 == ret) {
    log_error("write failed: %s", strerror(errno));
    return HANDLER_WAIT_FOR_EVENT;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'proxy_write_request' answers 'HANDLER_WAIT_FOR_EVENT' when 'network_backend_write' fails, the answer it gives while the write is not finished, not its failure answer 'HANDLER_ERROR'; the caller waits for a write that failed [drain-ignored-completion-error]
  } else if (-2 == ret) {
    log_error("remote closed the connection");
    return HANDLER_WAIT_FOR_EVENT;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'proxy_write_request' answers 'HANDLER_WAIT_FOR_EVENT' when 'network_backend_write' fails, the answer it gives while the write is not finished, not its failure answer 'HANDLER_ERROR'; the caller waits for a write that failed [drain-ignored-completion-error]
  }
  if (queue_done(hctx->wb))
    return HANDLER_GO_ON;
  return HANDLER_WAIT_FOR_EVENT;
}

// An int answering 1 when done, 0 when the caller must wait, -1 on failure.
static int flush_out(int fd, const char *buf, size_t len, size_t *off) {
  if (fd < 0)
    return -1;
  ssize_t n = write(fd, buf + *off, len - *off);
  if (n < 0) {
    perror("write");
    return 0;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'flush_out' answers '0' when 'write' fails, the answer it gives while the write is not finished, not its failure answer '-1'; the caller waits for a write that failed [drain-ignored-completion-error]
  }
  *off += (size_t)n;
  if (*off < len)
    return 0;
  return 1;
}

//===--- negatives --------------------------------------------------------===//

// The fix.
static handler_t proxy_write_request_fixed(server *srv, handler_ctx *hctx) {
  int ret;
  if (backend_connect(hctx) < 0)
    return HANDLER_ERROR;
  ret = srv->network_backend_write(srv, 0, hctx->fd, hctx->wb);
  if (-1 == ret) {
    log_error("write failed: %s", strerror(errno));
    return HANDLER_ERROR;
  } else if (-2 == ret) {
    log_error("remote closed the connection");
    return HANDLER_ERROR;
  }
  if (queue_done(hctx->wb))
    return HANDLER_GO_ON;
  return HANDLER_WAIT_FOR_EVENT;
}

// "Try again" is told apart from a failure.
static int flush_again(int fd, const char *buf, size_t len, size_t *off) {
  if (fd < 0)
    return -1;
  ssize_t n = write(fd, buf + *off, len - *off);
  if (n < 0) {
    if (errno == EAGAIN || errno == EINTR)
      return 0;
    return -1;
  }
  *off += (size_t)n;
  return *off < len ? 0 : 1;
}

// The failure test is written on errno itself.
static int flush_again_errno(int fd, const char *buf, size_t len) {
  if (fd < 0)
    return -1;
  ssize_t n = write(fd, buf, len);
  if (n < 0 && errno == EAGAIN)
    return 0;
  if (n < 0)
    return -1;
  return 1;
}

// No failure answer of its own: the function only says done / not yet.
static int flush_some(int fd, const char *buf, size_t len) {
  ssize_t n = write(fd, buf, len);
  if (n < 0)
    return 0;
  return (size_t)n == len;
}

// A best-effort notice: a void function has no answer to get wrong.
static void notify(int fd, const char *msg) {
  if (write(fd, msg, strlen(msg)) < 0) {
    perror("notify");
    return;
  }
}

// A failed notice is dropped on purpose; 0 is also the answer once it is sent.
static int notify_peer(int fd, const char *msg) {
  if (fd < 0)
    return -1;
  if (write(fd, msg, strlen(msg)) < 0) {
    perror("notify");
    return 0;
  }
  return 0;
}

#define NET_AGAIN (-2)
#define NET_ERROR (-1)
struct conn {
  int fd;
  ssize_t (*send)(struct conn *c, const char *buf, size_t len);
};

// The write's own answer says "again": waiting is right.
static int send_pending(struct conn *c, const char *buf, size_t len) {
  if (c->fd < 0)
    return NET_ERROR;
  ssize_t n = c->send(c, buf, len);
  if (n == NET_AGAIN)
    return NET_AGAIN;
  if (n == NET_ERROR)
    return NET_ERROR;
  return 0;
}

// A log writer: whatever it answers, nobody waits for its writes.
static int log_write_line(int fd, const char *line, size_t len) {
  if (fd < 0)
    return -1;
  if (write(fd, line, len) < 0)
    return 0;
  if (len == 0)
    return 2;
  return 0;
}

typedef struct ssl_st SSL;
int SSL_write(SSL *ssl, const void *buf, int num);
int SSL_get_error(const SSL *ssl, int ret);

// A TLS write's failure-looking answer may be "want write": the row says so, and waiting is
// the documented answer until SSL_get_error is asked.
static int tls_flush(SSL *ssl, const char *buf, int len, int *off) {
  if (!ssl)
    return -1;
  int n = SSL_write(ssl, buf + *off, len - *off);
  if (n < 0)
    return 0;
  *off += n;
  if (*off < len)
    return 0;
  return 1;
}

int read_reply(int fd);

// The local tested is the reply's, read after the write.
static int exchange(int fd, const char *req, size_t len) {
  if (fd < 0)
    return -1;
  int rc = (int)write(fd, req, len);
  if (rc < 0)
    return -1;
  rc = read_reply(fd);
  if (rc < 0)
    return 0; // no reply yet: the caller asks again
  if (rc == 0)
    return 0;
  return 1;
}
