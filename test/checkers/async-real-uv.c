// REQUIRES: libuv
// RUN: %check_drain %s drain-close-during-async-write,drain-ignored-completion-error %t -- -- -D_GNU_SOURCE
// The libuv shapes on the real <uv.h> (Debian's libuv1-dev). The mock uv.h in Inputs/ is
// first on the include path, so the real header is named by its full path. <uv/unix.h> needs
// the POSIX types that -std=c17 hides, as in every libuv build: _GNU_SOURCE.
#include "/usr/include/uv.h"
#include <stdio.h>
#include <stdlib.h>

typedef struct {
  uv_tcp_t tcp;
  uv_write_t wreq;
  uv_shutdown_t sreq;
  uv_buf_t out;
} client_t;

static void on_close(uv_handle_t *h) { free(h->data); }

static void on_write_unchecked(uv_write_t *req, int status) { free(req->data); }
// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: callback 'on_write_unchecked' of 'uv_write' ignores the status; a failed write goes unnoticed [drain-ignored-completion-error]
// CHECK-MESSAGES: :[[@LINE+3]]:3: warning: 'c->tcp' is closed while an asynchronous write on it may still be in flight [drain-close-during-async-write]
void reply_and_close(client_t *c) {
  uv_write(&c->wreq, (uv_stream_t *)&c->tcp, &c->out, 1, on_write_unchecked);
  uv_close((uv_handle_t *)&c->tcp, on_close);
}

// negatives: libuv's own echo-server shape: close from the shutdown callback.
static void on_shutdown(uv_shutdown_t *req, int status) {
  uv_close((uv_handle_t *)req->handle, on_close);
}
static void on_write(uv_write_t *req, int status) {
  client_t *c = (client_t *)req->data;
  if (status < 0) {
    fprintf(stderr, "write: %s\n", uv_strerror(status));
    uv_close((uv_handle_t *)&c->tcp, on_close);
    return;
  }
  uv_shutdown(&c->sreq, (uv_stream_t *)&c->tcp, on_shutdown);
}
void reply_then_shutdown(client_t *c) {
  c->wreq.data = c;
  uv_write(&c->wreq, (uv_stream_t *)&c->tcp, &c->out, 1, on_write);
}
