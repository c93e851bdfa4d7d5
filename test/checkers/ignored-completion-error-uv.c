// RUN: %check_drain %s drain-ignored-completion-error %t
// libuv callbacks: the status argument of a write callback is the only report of a failed
// write.
#include <stdio.h>
#include <stdlib.h>
#include <uv.h>

//===--- positives --------------------------------------------------------===//

// A callback defined in this file is reported at its definition, where the fix goes.
static void free_req(uv_write_t *req, int status) { free(req); }
// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: callback 'free_req' of 'uv_write' ignores the status; a failed write goes unnoticed [drain-ignored-completion-error]
// CHECK-MESSAGES: :[[@LINE-2]]:43: note: 'status' is never read in the handler
void write_status_unread(uv_stream_t *s, uv_write_t *req, uv_buf_t *buf) {
  uv_write(req, s, buf, 1, free_req);
  // CHECK-MESSAGES: :[[@LINE-1]]:28: note: passed as the callback of this 'uv_write'
}

void write_without_callback(uv_stream_t *s, uv_write_t *req, uv_buf_t *buf) {
  uv_write(req, s, buf, 1, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'uv_write' has no callback, so a failed write goes unnoticed [drain-ignored-completion-error]
}

static void unnamed_status(uv_write_t *req, int) { free(req); }
// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: callback 'unnamed_status' of 'uv_write2' ignores the status; a failed write goes unnoticed [drain-ignored-completion-error]
void write_status_unnamed(uv_stream_t *s, uv_write_t *req, uv_buf_t *buf) {
  uv_write2(req, s, buf, 1, NULL, unnamed_status);
}

// Either arm of a conditional may be the callback: each is judged.
static void more_checked(uv_write_t *req, int status) {
  if (status == 0)
    free(req);
}
static void last_unchecked(uv_write_t *req, int status) { free(req); }
// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: callback 'last_unchecked' of 'uv_write' ignores the status; a failed write goes unnoticed [drain-ignored-completion-error]
void write_conditional_callback(uv_stream_t *s, uv_write_t *req, uv_buf_t *buf, int more) {
  uv_write(req, s, buf, 1, more ? more_checked : last_unchecked);
}

// A local function pointer given a value once.
static void release_req(uv_write_t *req, int status) { free(req); }
// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: callback 'release_req' of 'uv_write' ignores the status; a failed write goes unnoticed [drain-ignored-completion-error]
void write_through_local_pointer(uv_stream_t *s, uv_write_t *req, uv_buf_t *buf, int more) {
  uv_write_cb cb;
  cb = more ? more_checked : release_req;
  uv_write(req, s, buf, 1, cb);
  // CHECK-MESSAGES: :[[@LINE-1]]:28: note: passed as the callback of this 'uv_write'
}

//===--- negatives --------------------------------------------------------===//

static void on_close(uv_handle_t *h) { free(h); }
static void checked(uv_write_t *req, int status) {
  if (status < 0) {
    fprintf(stderr, "write: %s\n", uv_strerror(status));
    uv_close((uv_handle_t *)req->handle, on_close);
  }
  free(req);
}
void write_status_checked(uv_stream_t *s, uv_write_t *req, uv_buf_t *buf) {
  uv_write(req, s, buf, 1, checked);
}

static void shutdown_done(uv_shutdown_t *req, int status) { free(req); }
void shutdown_is_not_a_write(uv_stream_t *s, uv_shutdown_t *req) {
  uv_shutdown(req, s, shutdown_done);
}

void defined_elsewhere(uv_write_t *req, int status);
void callback_body_not_visible(uv_stream_t *s, uv_write_t *req, uv_buf_t *buf) {
  uv_write(req, s, buf, 1, defined_elsewhere);
}

void try_write_has_no_callback(uv_stream_t *s, uv_buf_t *buf) {
  if (uv_try_write(s, buf, 1) < 0)
    return;
}

static uv_write_cb pick(int);
void callback_through_a_pointer(uv_stream_t *s, uv_write_t *req, uv_buf_t *buf) {
  uv_write(req, s, buf, 1, pick(1));
}

void conditional_both_checked(uv_stream_t *s, uv_write_t *req, uv_buf_t *buf, int more) {
  uv_write(req, s, buf, 1, more ? more_checked : checked);
}

void conditional_with_null(uv_stream_t *s, uv_write_t *req, uv_buf_t *buf, int more) {
  uv_write(req, s, buf, 1, more ? checked : NULL);
}

// Given a value twice: which one runs is not known here.
void local_pointer_assigned_twice(uv_stream_t *s, uv_write_t *req, uv_buf_t *buf, int more) {
  uv_write_cb cb = checked;
  if (more)
    cb = last_unchecked;
  uv_write(req, s, buf, 1, cb);
}
