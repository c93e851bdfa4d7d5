// Writes through function pointers: the operations tables C libraries send their bytes
// through (`conn->conn_write`, `ssl_ops->write`, an archive's client writer). No body is
// reachable from the call; the pointer's name and the signature it points to say "a write
// that returns a count", and the caller's own sign test says it takes the result for one.
// RUN: %check_drain -std=c11 %s drain-partial-write %t

#include <stddef.h>
#include <sys/types.h>

typedef ssize_t archive_write_callback(void *archive, void *client_data, const void *buffer,
                                       size_t length);

struct archive_writer {
  archive_write_callback *client_writer;
  void *client_data;
  char *buffer;
  size_t buffer_size;
};

struct ssl_ops {
  int (*write)(void *ssl, const unsigned char *buf, size_t len);
  int (*read)(void *ssl, unsigned char *buf, size_t len);
  int (*get_error)(void *ssl, int ret);
  int (*err_is_want_write)(int err);
};

struct iov {
  const void *base;
  size_t len;
};

struct connection {
  int fd;
  int (*conn_write)(struct connection *conn, const char *buf, size_t count);
  void *ssl;
  const struct ssl_ops *ops;
};

// The ones that are not count-returning writes, by name or by signature.
struct other_ops {
  int (*write_all)(void *h, const void *buf, size_t len);      // loops by itself
  int (*log_write)(void *h, const char *line, size_t len);      // a log sink
  _Bool (*send)(void *h, const void *buf, size_t len);          // true or false
  int (*write_done)(void *req, int status);                    // a completion callback
  int (*xWrite)(void *file, const void *buf, int amount, long long offset); // 0 or an error
  unsigned (*sendq)(void *h, const void *buf, size_t len);      // unsigned: no error
  int (*send_tracked)(void *h, const void *buf, size_t len, size_t *sent);
};

// An embedded network layer: one lower-case word ending in the write word, a writable buffer
// for both directions (paho.mqtt.embedded-c's Network).
typedef struct Network Network;
struct Network {
  int my_socket;
  int (*mqttread)(Network *, unsigned char *read_buffer, int, int);
  int (*mqttwrite)(Network *, unsigned char *send_buffer, int, int);
  int (*sockwrite)(Network *, const unsigned char *buf, int len);
  int (*rewrite)(Network *, unsigned char *buf, int len);       // edits: not a write
  int (*overwrite)(Network *, const unsigned char *buf, int len); // clobbers: not a write
  int (*write_into)(Network *, unsigned char *buf, int len);    // fills the buffer
};
typedef struct {
  Network *ipstack;
  unsigned char *buf;
} MQTTClient;

// A socket class behind a wrapper that returns what its send pointer answered
// (rabbitmq-c's amqp_socket_send).
typedef ssize_t (*socket_send_fn)(void *, const void *, size_t);
struct socket_class {
  socket_send_fn send;
};
struct amqp_socket {
  const struct socket_class *klass;
};
ssize_t amqp_socket_send(struct amqp_socket *self, const void *buf, size_t len) {
  return self->klass->send(self, buf, len);
}

enum { ARCHIVE_OK = 0, ARCHIVE_FATAL = -30 };
int TimerLeftMS(void *timer);

void conn_closed(struct connection *c, int err, int ret);
void drain_output(struct connection *c, int n);
void advance_chunks(struct iov *chunks, int *i, int n);

// positives

// libarchive before 55aec9a: the full block is handed over once, a short count is ignored
// and the block buffer is reused.
int archive_flush_block(struct archive_writer *a) {
  ssize_t written = (a->client_writer)(a, a->client_data, a->buffer, a->buffer_size);
  // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: result of 'client_writer' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
  if (written <= 0)
    return ARCHIVE_FATAL;
  return ARCHIVE_OK;
}

// The same at close, in the conditional-operator spelling.
int archive_close_block(struct archive_writer *a, size_t block_length) {
  int ret = ARCHIVE_OK;
  ssize_t written = (*a->client_writer)(a, a->client_data, a->buffer, block_length);
  // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: result of 'client_writer' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
  ret = written <= 0 ? ARCHIVE_FATAL : ARCHIVE_OK;
  return ret;
}

// libevent before fc568ff: after a partial TLS write the loop moves on to the next chunk;
// the tail of the current one is skipped and the peer gets a stream with a hole in it.
int ssl_write_chunks(struct connection *c, const struct iov *chunks, int n) {
  int total = 0;
  for (int i = 0; i < n; ++i) {
    int r = c->ops->write(c->ssl, chunks[i].base, chunks[i].len);
    // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: the count of 'write' only grows 'total' while the loop moves on; a short write's remainder is never written [drain-partial-write]
    if (r > 0)
      total += r;
    else
      return -1;
  }
  return total;
}

// mutt before 3ca3bcc: one write through the connection's method, checked for errors only.
int socket_write(struct connection *conn, const char *buf, size_t len) {
  int rc;
  if ((rc = conn->conn_write(conn, buf, len)) < 0)
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: result of 'conn_write' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    return -1;
  return 0;
}

// A writer handed in as a parameter.
int emit(int (*send_fn)(void *ctx, const char *buf, size_t len), void *ctx, const char *buf,
         size_t len) {
  if (send_fn(ctx, buf, len) < 0)
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: result of 'send_fn' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    return -1;
  return 0;
}

// libevent's exact shape: the failure branch asks the TLS library what went wrong.
int ssl_write_chunks_asks_error(struct connection *c, const struct iov *chunks, int n) {
  int n_written = 0;
  for (int i = 0; i < n; ++i) {
    int r = c->ops->write(c->ssl, chunks[i].base, chunks[i].len);
    // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: the count of 'write' only grows 'n_written' while the loop moves on; a short write's remainder is never written [drain-partial-write]
    if (r > 0) {
      n_written += r;
    } else {
      int err = c->ops->get_error(c->ssl, r);
      if (c->ops->err_is_want_write(err))
        break;
      conn_closed(c, err, r);
      return -1;
    }
  }
  // The total goes to the output buffer, holes included.
  if (n_written)
    drain_output(c, n_written);
  return n_written;
}

// paho.mqtt.embedded-c before a9d4639: the next write starts at the advanced offset but asks
// for the whole packet again.
int sendPacket(MQTTClient *c, int length, void *timer) {
  int rc = -1, sent = 0;
  while (sent < length) {
    rc = c->ipstack->mqttwrite(c->ipstack, &c->buf[sent], length, TimerLeftMS(timer));
    // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: a retry of 'mqttwrite' starts further into the buffer but asks for the full length again: 'sent' grows by the count, 'length' never shrinks, and the write reads past the end of the data [drain-partial-write]
    if (rc < 0)
      break;
    sent += rc;
  }
  if (sent == length)
    rc = 0;
  else
    rc = -1;
  return rc;
}

// A transport prefix on the write word, checked for errors only.
int net_send_once(Network *n, const unsigned char *buf, int len) {
  if (n->sockwrite(n, buf, len) < 0)
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: result of 'sockwrite' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    return -1;
  return 0;
}

// The wrapper of a guessed pointer is a guess too: a sign test makes it a count.
int amqp_send_once(struct amqp_socket *s, const void *buf, size_t len) {
  if (amqp_socket_send(s, buf, len) < 0)
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: result of 'amqp_socket_send' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    return -1;
  return 0;
}

// negatives

// paho after the fix: what is left of the packet.
int sendPacket_fixed(MQTTClient *c, int length, void *timer) {
  int rc = -1, sent = 0;
  while (sent < length) {
    rc = c->ipstack->mqttwrite(c->ipstack, &c->buf[sent], length - sent, TimerLeftMS(timer));
    if (rc < 0)
      break;
    sent += rc;
  }
  if (sent == length)
    rc = 0;
  else
    rc = -1;
  return rc;
}

// Reads through the same layer, and names that are not writes.
int network_other_calls(Network *n, unsigned char *buf, int len) {
  if (n->mqttread(n, buf, len, 100) < 0)
    return -1;
  if (n->rewrite(n, buf, len) < 0)
    return -1;
  if (n->overwrite(n, buf, len) < 0)
    return -1;
  if (n->write_into(n, buf, len) < 0)
    return -1;
  return 0;
}

// The wrapper's result tested for equality only: a status, as for the pointer itself.
int amqp_send_status(struct amqp_socket *s, const void *buf, size_t len) {
  ssize_t rc = amqp_socket_send(s, buf, len);
  if (rc != 0)
    return -1;
  return 0;
}

// libarchive after the fix: the block is written in a loop, advancing past what each call took.
int archive_flush_block_loop(struct archive_writer *a) {
  const char *p = a->buffer;
  size_t remaining = a->buffer_size;
  while (remaining > 0) {
    ssize_t written = (a->client_writer)(a, a->client_data, p, remaining);
    if (written <= 0)
      return ARCHIVE_FATAL;
    if ((size_t)written > remaining)
      return ARCHIVE_FATAL;
    p += written;
    remaining -= (size_t)written;
  }
  return ARCHIVE_OK;
}

// libevent after the fix: the chunk's pointer and length advance by what was written.
int ssl_write_chunks_fixed(struct connection *c, struct iov *chunks, int n) {
  int total = 0;
  for (int i = 0; i < n;) {
    int r = c->ops->write(c->ssl, chunks[i].base, chunks[i].len);
    if (r <= 0)
      return -1;
    total += r;
    chunks[i].base = (const char *)chunks[i].base + r;
    chunks[i].len -= (size_t)r;
    if (chunks[i].len == 0)
      ++i;
  }
  return total;
}

// mutt after the fix: loops until the whole buffer is sent.
int socket_write_all(struct connection *conn, const char *buf, size_t len) {
  size_t sent = 0;
  while (sent < len) {
    int rc = conn->conn_write(conn, buf + sent, len - sent);
    if (rc < 0)
      return -1;
    sent += (size_t)rc;
  }
  return 0;
}

// The count is compared with the length.
int socket_write_exact(struct connection *conn, const char *buf, size_t len) {
  int rc = conn->conn_write(conn, buf, len);
  if (rc < 0 || (size_t)rc != len)
    return -1;
  return 0;
}

// The count goes back to the caller, who decides.
int socket_write_passthrough(struct connection *conn, const char *buf, size_t len) {
  return conn->conn_write(conn, buf, len);
}

// Two bytes are written whole or not at all, as for write().
int socket_write_crlf(struct connection *conn) {
  if (conn->conn_write(conn, "\r\n", 2) < 0)
    return -1;
  return 0;
}

// A read through the same table.
int ssl_read_some(struct connection *c, unsigned char *buf, size_t len) {
  int r = c->ops->read(c->ssl, buf, len);
  if (r <= 0)
    return -1;
  return 0;
}

// Names and signatures that are not count-returning writes.
int other_calls(struct other_ops *o, void *h, const char *buf, size_t len) {
  if (o->write_all(h, buf, len) < 0)
    return -1;
  if (o->log_write(h, buf, len) < 0)
    return -1;
  if (!o->send(h, buf, len))
    return -1;
  if (o->write_done(h, -1) < 0)
    return -1;
  if (o->sendq(h, buf, len) == 0)
    return -1;
  size_t sent = 0;
  if (o->send_tracked(h, buf, len, &sent) < 0)
    return -1;
  return 0;
}

// A status-returning write (sqlite's xWrite answers SQLITE_OK or an error code): tested for
// equality, never for its sign.
int vfs_write(struct other_ops *o, void *file, const void *buf, int amount, long long offset) {
  int rc = o->xWrite(file, buf, amount, offset);
  if (rc != 0)
    return rc;
  return 0;
}

// The result is dropped: a guess from a name is not enough to call that a bug (the
// discarded-result check needs a row, an annotation or a body).
void socket_write_fire_and_forget(struct connection *conn, const char *buf, size_t len) {
  conn->conn_write(conn, buf, len);
}

// The progress handed to a call inside the loop, which moves through the chunks.
int ssl_write_chunks_advanced_by_call(struct connection *c, struct iov *chunks, int n) {
  int n_written = 0;
  for (int i = 0; i < n;) {
    int r = c->ops->write(c->ssl, chunks[i].base, chunks[i].len);
    if (r <= 0)
      return -1;
    n_written += r;
    advance_chunks(chunks, &i, r);
  }
  return n_written;
}

// libevent after the fix: the same loop, advancing inside the chunk.
int ssl_write_chunks_asks_error_fixed(struct connection *c, struct iov *chunks, int n) {
  int n_written = 0;
  for (int i = 0; i < n;) {
    int r = c->ops->write(c->ssl, chunks[i].base, chunks[i].len);
    if (r > 0) {
      n_written += r;
      chunks[i].base = (const unsigned char *)chunks[i].base + r;
      chunks[i].len -= (size_t)r;
      if (chunks[i].len == 0)
        ++i;
    } else {
      int err = c->ops->get_error(c->ssl, r);
      if (c->ops->err_is_want_write(err))
        break;
      return -1;
    }
  }
  return n_written;
}
