// A C record that holds its output in plain members, a byte array and a fill count, appended
// to by one function and sent by another: rsyslog's omfwd batches frames in `sndBuf` /
// `offsSndBuf` and sends them with TCPSendBuf(). Its DestructTargetData() ended the network
// stream without sending what the buffer still held, so the last messages were lost at
// shutdown; the fix sends them first when `offsSndBuf != 0`. The correct twins are written
// the way real C servers tear down: after testing or sending what is left, on failure paths
// only, behind callers that flushed, or through the writer's own close-after-reply.
// RUN: %check_drain -std=c11 %s drain-shutdown-before-flush %t

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

typedef struct netstream netstream_t;
/// A stream module called through its interface table, as rsyslog's netstrm.
struct netstream_if {
  int (*Send)(netstream_t *, const unsigned char *, size_t *);
  int (*Destruct)(netstream_t **);
};
extern struct netstream_if netstream;

typedef struct {
  netstream_t *stream;
  int connected;
  size_t sndlen;
  unsigned char sndbuf[16384];
} target_t;

static int target_send(target_t *t, const unsigned char *buf, size_t len) {
  size_t n = len;
  return netstream.Send(t->stream, buf, &n);
}

/// Appends a frame; sends the batch when it is full.
static int target_frame(target_t *t, const char *msg, size_t len) {
  if (t->sndlen + len > sizeof(t->sndbuf)) {
    if (target_send(t, t->sndbuf, t->sndlen) != 0)
      return -1;
    t->sndlen = 0;
  }
  memcpy(t->sndbuf + t->sndlen, msg, len);
  t->sndlen += len;
  return 0;
}

static int target_flush(target_t *t) {
  if (t->sndlen == 0)
    return 0;
  if (target_send(t, t->sndbuf, t->sndlen) != 0)
    return -1;
  t->sndlen = 0;
  return 0;
}

// positives

// omfwd before its fix: the pool is torn down at shutdown with the batch still unsent.
static void target_destruct(target_t *t) {
  if (t->stream != NULL)
    netstream.Destruct(&t->stream);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the record is ended by 'Destruct' while its output in 'sndbuf' may not have been sent [drain-shutdown-before-flush]
  t->connected = 0;
}

void pool_destruct(target_t *targets, int n) {
  for (int i = 0; i < n; ++i)
    target_destruct(&targets[i]);
}

// negatives

// omfwd after its fix: what is left is sent first.
static void target_destruct_sending(target_t *t) {
  if (t->connected && t->sndlen != 0) {
    if (target_send(t, t->sndbuf, t->sndlen) == 0)
      t->sndlen = 0;
  }
  if (t->stream != NULL)
    netstream.Destruct(&t->stream);
  t->connected = 0;
}

void pool_destruct_sending(target_t *targets, int n) {
  for (int i = 0; i < n; ++i)
    target_destruct_sending(&targets[i]);
}

// Flushed through the function that drains it.
void target_close(target_t *t) {
  (void)target_flush(t);
  netstream.Destruct(&t->stream);
}

// A release its callers guard: called after a flush, or when the target failed.
static void target_release(target_t *t) {
  netstream.Destruct(&t->stream);
  t->connected = 0;
}

int target_finish(target_t *t) {
  if (target_flush(t) != 0) {
    target_release(t);
    return -1;
  }
  target_release(t);
  return 0;
}

int target_log(target_t *t, const char *msg) {
  if (target_frame(t, msg, strlen(msg)) != 0) {
    target_release(t);
    return -1;
  }
  return 0;
}

// Given up on: a failure handler drops what is left.
void target_abort(target_t *t) { netstream.Destruct(&t->stream); }

// Dropped on purpose before the close.
void target_discard(target_t *t) {
  t->sndlen = 0;
  netstream.Destruct(&t->stream);
}

// Torn down only on the way out of a failure.
int target_reconnect(target_t *t, int up) {
  if (!up) {
    netstream.Destruct(&t->stream);
    return -1;
  }
  t->connected = 1;
  return 0;
}

// A redis-like client: replies wait in `buf` up to `bufpos`; the write handler sends them and
// closes the client once all is sent when it was asked to close after the reply. freeClient()
// is the immediate drop the rest of the server uses for killed and failed clients.
#define CLOSE_AFTER_REPLY 1

typedef struct client {
  int fd;
  int flags;
  size_t bufpos;
  size_t sentlen;
  char buf[16 * 1024];
} client;

void add_reply(client *c, const char *s, size_t len) {
  memcpy(c->buf + c->bufpos, s, len);
  c->bufpos += len;
}

static void free_client(client *c) {
  close(c->fd);
  free(c);
}

void send_reply_to_client(client *c) {
  while (c->bufpos > 0) {
    ssize_t n = write(c->fd, c->buf + c->sentlen, c->bufpos - c->sentlen);
    if (n <= 0) {
      if (n < 0 && errno == EAGAIN)
        return;
      free_client(c);
      return;
    }
    c->sentlen += (size_t)n;
    if (c->sentlen == c->bufpos) {
      c->bufpos = 0;
      c->sentlen = 0;
    }
  }
  if (c->bufpos == 0) {
    if (c->flags & CLOSE_AFTER_REPLY)
      free_client(c);
  }
}

void kill_client(client *c) { free_client(c); }

// Evicting an idle client drops it at once; a client asked to close after its reply is closed
// by the writer.
void evict_idle_client(client *c) { free_client(c); }

// The read side: what is buffered there was received, not owed to anyone.
struct reader {
  int fd;
  size_t rlen;
  char rbuf[4096];
};

int reader_fill(struct reader *r) {
  ssize_t n = read(r->fd, r->rbuf + r->rlen, sizeof(r->rbuf) - r->rlen);
  if (n <= 0)
    return -1;
  r->rlen += (size_t)n;
  return 0;
}

void reader_close(struct reader *r) { close(r->fd); }

// A log line buffer printed to a stream: a logger owes nothing to a peer.
struct linebuf {
  FILE *out;
  size_t len;
  char line[512];
};

void linebuf_add(struct linebuf *l, const char *s, size_t n) {
  memcpy(l->line + l->len, s, n);
  l->len += n;
}

void linebuf_emit(struct linebuf *l) {
  fprintf(l->out, "%.*s\n", (int)l->len, l->line);
  l->len = 0;
}

void linebuf_close(struct linebuf *l) { fclose(l->out); }

// A packet written through the connection it is handed (mosquitto's packet__write): the
// packet's bytes are the connection's business, and freeing a finished packet drops nothing.
struct mqtt_conn;
ssize_t net_write(struct mqtt_conn *conn, const void *buf, size_t count);

struct packet {
  unsigned char *payload;
  size_t pos;
  size_t to_process;
};

int packet_write(struct mqtt_conn *conn, struct packet *p) {
  while (p->to_process > 0) {
    ssize_t n = net_write(conn, &p->payload[p->pos], p->to_process);
    if (n <= 0)
      return -1;
    p->to_process -= (size_t)n;
    p->pos += (size_t)n;
  }
  return 0;
}

void packet_cleanup(struct packet *p) {
  free(p->payload);
  p->payload = NULL;
  p->pos = 0;
}

// A helper that ends the stream is judged at each call, with what its caller consulted.
static void target_end_stream(target_t *t) { netstream.Destruct(&t->stream); }

// positive: nothing sent or tested before the helper ends the stream.
void target_shutdown(target_t *t) {
  t->connected = 0;
  target_end_stream(t);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the record is ended by 'target_end_stream' while its output in 'sndbuf' may not have been sent [drain-shutdown-before-flush]
}

// negatives: sent first; and omfwd's `finalize_it:` block, run when the status is not its
// success value (a failure path).
void target_shutdown_flushed(target_t *t) {
  if (target_flush(t) == 0)
    target_end_stream(t);
}

typedef enum { RS_RET_OK = 0, RS_RET_SUSPENDED = -2007 } rsRetVal;

rsRetVal target_check(target_t *t) {
  rsRetVal iRet = RS_RET_OK;
  if (!t->connected)
    iRet = RS_RET_SUSPENDED;
  if (iRet != RS_RET_OK)
    target_end_stream(t);
  return iRet;
}

rsRetVal target_check_else(target_t *t) {
  rsRetVal iRet = t->connected ? RS_RET_OK : RS_RET_SUSPENDED;
  if (iRet == RS_RET_OK)
    return iRet;
  else
    target_end_stream(t);
  return iRet;
}

// The peer is gone: a read found the end of its input, or the read side is marked closed
// (libmicrohttpd's `if (0 == bytes_read)` and `if (connection->read_closed)`): what is still
// batched has nowhere to go. After a read that returned data it has.
extern ssize_t stream_recv(netstream_t *, void *, size_t);

void target_poll(target_t *t) {
  char b[64];
  ssize_t got = stream_recv(t->stream, b, sizeof b);
  if (0 == got)
    target_end_stream(t);
}

void target_poll_closed(target_t *t, bool read_closed) {
  if (read_closed)
    target_end_stream(t);
}

void target_poll_answered(target_t *t) {
  char b[64];
  ssize_t got;
  got = stream_recv(t->stream, b, sizeof b);
  if (got > 0)
    target_end_stream(t);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the record is ended by 'target_end_stream' while its output in 'sndbuf' may not have been sent [drain-shutdown-before-flush]
}

// negatives: a received payload echoed back. sofia-sip's WebSocket record reads a frame into
// `body`, growing `rplen` by what ws_raw_read answered, and writes it back as a PONG; the
// record then ends with nothing of its own output waiting. An amount grown by a read's answer
// counts input, not output.
typedef struct {
  int sock;
  char *body;
  long rplen;
  char *write_buffer;
} ws_t;
long ws_raw_read(ws_t *w, void *data, size_t bytes);
long ws_write_frame(ws_t *w, int op, void *data, size_t bytes);

void ws_read_frame(ws_t *w, size_t need) {
  long r = ws_raw_read(w, w->body + w->rplen, need);
  if (r > 0)
    w->rplen += r;
  ws_write_frame(w, 0xA, w->body, (size_t)w->rplen);
}

void ws_destroy(ws_t *w) {
  free(w->write_buffer);
  w->write_buffer = NULL;
}
