// Calls through function pointers (an operations table's field, a parameter) are checked when
// the pointer is named by the user's rows or annotated; a pointer drain only guesses at from
// its name is not enough to report a dropped result.
// RUN: %check_drain -std=c11 %s drain-discarded-io-result %t -- \
// RUN:   -config="{CheckOptions: [{key: WriteFunctions, value: 'conn_ops::send_frame'}]}" \
// RUN:   -- -I%drain_src/integrations/annotations

#include <drain/annotations.h>
#include <stddef.h>
#include <sys/types.h>

typedef enum { POLL_READY, POLL_PENDING } poll_state;

struct conn_ops {
  ssize_t (*send_frame)(void *c, const void *buf, size_t len); // named in WriteFunctions
  DRAIN_FLUSH int (*flush)(void *c);                             // annotated
  poll_state (*poll_flush)(void *c);                             // a pending state, by type
  ssize_t (*write)(void *c, const void *buf, size_t len);        // only guessed from its name
  ssize_t (*send_status)(void *c, const void *buf, size_t len);  // not named anywhere
};

struct conn {
  const struct conn_ops *ops;
};

// positives

void frame_dropped(struct conn *c, const char *frame, size_t len) {
  c->ops->send_frame(c, frame, len);
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: result of 'send_frame' is discarded; a failed or short write goes unnoticed [drain-discarded-io-result]
}

void flush_dropped(struct conn *c) {
  c->ops->flush(c);
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: result of 'flush' is discarded; a failed flush leaves data behind unnoticed [drain-discarded-io-result]
}

void poll_flush_dropped(struct conn *c) {
  (*c->ops->poll_flush)(c);
  // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: result of 'poll_flush' is discarded; a POLL_PENDING here means the operation has not finished [drain-discarded-io-result]
}

// negatives

int frame_checked(struct conn *c, const char *frame, size_t len) {
  return c->ops->send_frame(c, frame, len) == (ssize_t)len ? 0 : -1;
}

int flush_checked(struct conn *c) {
  if (c->ops->flush(c) != 0)
    return -1;
  return 0;
}

int poll_flush_checked(struct conn *c) {
  return c->ops->poll_flush(c) == POLL_READY;
}

// A guess from the name alone: drain-partial-write's, when the count is tested.
void guessed_write_dropped(struct conn *c, const char *buf, size_t len) {
  c->ops->write(c, buf, len);
}

// Not named, not annotated, no pending state in its type.
void unnamed_pointer_dropped(struct conn *c, const char *buf, size_t len) {
  c->ops->send_status(c, buf, len);
}

// A parameter named by nothing.
void callback_dropped(int (*cb)(void *), void *arg) { cb(arg); }
