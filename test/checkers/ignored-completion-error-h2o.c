// RUN: %check_drain %s drain-ignored-completion-error %t -- -- -I%S/Inputs/packs
// h2o's write callbacks get `const char *err`, NULL on success: the model pack's rows name it
// as the callback's error parameter. The shape of h2o 2.2's lib/http1.c (on_send_complete
// ignored err until 44024715).
#include <stdio.h>
#include "h2o/socket.h"

struct conn {
  h2o_socket_t *sock;
  int persistent;
};
void cleanup_connection(struct conn *c);
void proceed(struct conn *c);
void close_connection(struct conn *c);
void log_error(const char *what, const char *err);
int in_progress(int state);

//===--- positives --------------------------------------------------------===//

static void on_send_complete(h2o_socket_t *sock, const char *err) {
// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: callback 'on_send_complete' of 'h2o_socket_write' ignores the error; a failed write goes unnoticed [drain-ignored-completion-error]
// CHECK-MESSAGES: :[[@LINE-2]]:62: note: 'err' is never read in the handler
  struct conn *c = sock->data;
  cleanup_connection(c);
}

static void on_send_next(h2o_socket_t *sock, const char *err) {
  struct conn *c = sock->data;
  if (err != NULL)
    close_connection(c);
  else
    proceed(c);
}

// The callback is an arm of a conditional, as in h2o's finalostream_send.
void send_response(struct conn *c, h2o_iovec_t *buf, int state) {
  h2o_socket_write(c->sock, buf, 1, in_progress(state) ? on_send_next : on_send_complete);
  // CHECK-MESSAGES: :[[@LINE-1]]:37: note: passed as the callback of this 'h2o_socket_write'
}

static void on_vec_sent(h2o_socket_t *sock, const char *) { proceed(sock->data); }
// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: callback 'on_vec_sent' of 'h2o_socket_sendvec' ignores the error; a failed write goes unnoticed [drain-ignored-completion-error]
void send_vectors(struct conn *c, h2o_sendvec_t *vecs, size_t n) {
  h2o_socket_sendvec(c->sock, vecs, n, on_vec_sent);
}

void send_without_callback(struct conn *c, h2o_iovec_t *buf) {
  h2o_socket_write(c->sock, buf, 1, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'h2o_socket_write' has no callback, so a failed write goes unnoticed [drain-ignored-completion-error]
}

//===--- negatives --------------------------------------------------------===//

// The fix: a failed write ends the persistent connection.
static void on_send_complete_fixed(h2o_socket_t *sock, const char *err) {
  struct conn *c = sock->data;
  if (err != NULL)
    c->persistent = 0;
  cleanup_connection(c);
}
void send_response_fixed(struct conn *c, h2o_iovec_t *buf, int state) {
  h2o_socket_write(c->sock, buf, 1, in_progress(state) ? on_send_next : on_send_complete_fixed);
}

static void on_sent_truthy(h2o_socket_t *sock, const char *err) {
  if (err) {
    close_connection(sock->data);
    return;
  }
  proceed(sock->data);
}
void write_tested_as_truth_value(struct conn *c, h2o_iovec_t *buf) {
  h2o_socket_write(c->sock, buf, 1, on_sent_truthy);
}

static void finish(struct conn *c, const char *err) {
  if (err != NULL)
    close_connection(c);
}
static void on_sent_forwarded(h2o_socket_t *sock, const char *err) { finish(sock->data, err); }
void write_error_forwarded(struct conn *c, h2o_iovec_t *buf) {
  h2o_socket_write(c->sock, buf, 1, on_sent_forwarded);
}

static void on_sent_logged(h2o_socket_t *sock, const char *err) {
  if (err != NULL) {
    log_error("write", err);
    h2o_socket_close(sock);
  }
}
void write_error_closes(struct conn *c, h2o_iovec_t *buf) {
  h2o_socket_write(c->sock, buf, 1, on_sent_logged);
}

static void on_sent_compared_with_zero(h2o_socket_t *sock, const char *err) {
  if (err == 0)
    proceed(sock->data);
}
void write_error_compared_with_zero(struct conn *c, h2o_iovec_t *buf) {
  h2o_socket_write(c->sock, buf, 1, on_sent_compared_with_zero);
}

// A read callback ignoring err is not about a write.
static void on_read(h2o_socket_t *sock, const char *err) { proceed(sock->data); }
void start_reading(struct conn *c) { h2o_socket_read_start(c->sock, on_read); }

static void on_sent_void_cast(h2o_socket_t *sock, const char *err) {
  (void)err;
  proceed(sock->data);
}
void write_error_deliberately_dropped(struct conn *c, h2o_iovec_t *buf) {
  h2o_socket_write(c->sock, buf, 1, on_sent_void_cast);
}

void defined_elsewhere(h2o_socket_t *sock, const char *err);
void write_callback_not_visible(struct conn *c, h2o_iovec_t *buf) {
  h2o_socket_write(c->sock, buf, 1, defined_elsewhere);
}
