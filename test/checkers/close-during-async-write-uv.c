// RUN: %check_drain %s drain-close-during-async-write %t
// libuv in C: uv_close cancels the writes still queued on the handle (their callbacks get
// UV_ECANCELED), so closing right after uv_write loses the data; uv_shutdown waits for them.
#include <stdlib.h>
#include <uv.h>

typedef struct {
  uv_tcp_t tcp;
  uv_write_t wreq;
  uv_shutdown_t sreq;
  uv_buf_t out;
  int writing;
} conn_t;

static void on_close(uv_handle_t *h) { free(h->data); }
static void on_written(uv_write_t *req, int status) {
  if (status < 0)
    uv_close((uv_handle_t *)req->handle, on_close);
}

//===--- positives --------------------------------------------------------===//

void reply_and_close(uv_stream_t *client, uv_write_t *req, uv_buf_t *buf) {
  uv_write(req, client, buf, 1, on_written);
  uv_close((uv_handle_t *)client, on_close);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'client' is closed while an asynchronous write on it may still be in flight [drain-close-during-async-write]
}

void reply_and_close_member(conn_t *c) {
  uv_write(&c->wreq, (uv_stream_t *)&c->tcp, &c->out, 1, on_written);
  uv_close((uv_handle_t *)&c->tcp, on_close);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'c->tcp' is closed while an asynchronous write on it may still be in flight [drain-close-during-async-write]
}

void shutdown_then_close_at_once(conn_t *c) {
  uv_write(&c->wreq, (uv_stream_t *)&c->tcp, &c->out, 1, on_written);
  uv_shutdown(&c->sreq, (uv_stream_t *)&c->tcp, NULL);
  uv_close((uv_handle_t *)&c->tcp, on_close);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'c->tcp' is closed while an asynchronous write on it may still be in flight [drain-close-during-async-write]
}

// The handle is the connection's first member: closing the connection closes it.
void reply_and_close_connection(conn_t *c) {
  uv_write(&c->wreq, (uv_stream_t *)&c->tcp, &c->out, 1, on_written);
  uv_close((uv_handle_t *)c, on_close);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'c' is closed while an asynchronous write on it may still be in flight [drain-close-during-async-write]
}

// The class-level rule in C: `writing` marks the write in flight, the read callback closes
// without looking at it.
static void on_conn_written(uv_write_t *req, int status) {
  conn_t *c = (conn_t *)req->data;
  c->writing = 0;
}
static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf) {
  conn_t *c = (conn_t *)stream->data;
  if (nread < 0)
    uv_close((uv_handle_t *)&c->tcp, on_close);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'c->tcp' is closed in a read handler while an asynchronous write on it may still be in flight [drain-close-during-async-write]
}
static void alloc_cb(uv_handle_t *h, size_t n, uv_buf_t *buf) { *buf = uv_buf_init(malloc(n), n); }
void start(conn_t *c) {
  uv_read_start((uv_stream_t *)&c->tcp, alloc_cb, on_read);
}
void send_reply(conn_t *c) {
  c->writing = 1;
  c->wreq.data = c;
  uv_write(&c->wreq, (uv_stream_t *)&c->tcp, &c->out, 1, on_conn_written);
}

//===--- negatives --------------------------------------------------------===//

static void on_shutdown(uv_shutdown_t *req, int status) {
  uv_close((uv_handle_t *)req->handle, on_close);
}

void reply_then_shutdown(conn_t *c) {
  uv_write(&c->wreq, (uv_stream_t *)&c->tcp, &c->out, 1, on_written);
  uv_shutdown(&c->sreq, (uv_stream_t *)&c->tcp, on_shutdown);
}

void close_in_write_callback(uv_write_t *req, int status) {
  uv_close((uv_handle_t *)req->handle, on_close);
}

void reply_close_other_handle(conn_t *c, uv_timer_t *timer) {
  uv_write(&c->wreq, (uv_stream_t *)&c->tcp, &c->out, 1, on_written);
  uv_close((uv_handle_t *)timer, NULL);
}

void reply_run_loop_then_close(uv_loop_t *loop, conn_t *c) {
  uv_write(&c->wreq, (uv_stream_t *)&c->tcp, &c->out, 1, on_written);
  uv_run(loop, UV_RUN_DEFAULT);
  uv_close((uv_handle_t *)&c->tcp, on_close);
}

void try_write_then_close(conn_t *c) {
  uv_try_write((uv_stream_t *)&c->tcp, &c->out, 1);
  uv_close((uv_handle_t *)&c->tcp, on_close);
}

void close_only_if_not_writing(conn_t *c) {
  if (!c->writing)
    uv_close((uv_handle_t *)&c->tcp, on_close);
}

static void on_read_guarded(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf) {
  conn_t *c = (conn_t *)stream->data;
  if (nread < 0 && !c->writing)
    uv_close((uv_handle_t *)&c->tcp, on_close);
}
void start_guarded(conn_t *c) {
  uv_read_start((uv_stream_t *)&c->tcp, alloc_cb, on_read_guarded);
}

// Nothing is in flight when uv_write itself failed (libuv's test-tcp-bind-error).
void close_when_write_failed(conn_t *c) {
  if (uv_write(&c->wreq, (uv_stream_t *)&c->tcp, &c->out, 1, on_written) != 0)
    uv_close((uv_handle_t *)&c->tcp, on_close);
}
void close_when_write_status_negative(conn_t *c) {
  int r = uv_write(&c->wreq, (uv_stream_t *)&c->tcp, &c->out, 1, on_written);
  if (r < 0) {
    uv_close((uv_handle_t *)&c->tcp, on_close);
    return;
  }
}
#define ASSERT(expr) do { if (!(expr)) abort(); } while (0)
void asserted_failure_then_close(conn_t *c) {
  int r;
  r = uv_write(&c->wreq, (uv_stream_t *)&c->tcp, &c->out, 1, NULL);
  ASSERT(r == UV_EAGAIN);
  uv_close((uv_handle_t *)&c->tcp, on_close);
}

// ...but it is when the write was queued.
void close_after_successful_write(conn_t *c) {
  if (uv_write(&c->wreq, (uv_stream_t *)&c->tcp, &c->out, 1, on_written) == 0)
    uv_close((uv_handle_t *)&c->tcp, on_close);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'c->tcp' is closed while an asynchronous write on it may still be in flight [drain-close-during-async-write]
}
