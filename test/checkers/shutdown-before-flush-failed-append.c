// A buffered write that answers with a status (libevent's bufferevent_write: 0, or -1 when
// nothing was queued) leaves the buffer as it was when it fails: freeing the connection on
// that branch loses nothing, while freeing it after a successful append drops the reply.
// RUN: %check_drain -std=c11 %s drain-shutdown-before-flush %t

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <string.h>

// positives

void reply_then_free(struct bufferevent *bev, const char *msg) {
  (void)bufferevent_write(bev, msg, strlen(msg));
  bufferevent_free(bev);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'bev' is closed while its write buffer may still hold data [drain-shutdown-before-flush]
  // CHECK-MESSAGES: :[[@LINE-3]]:9: note: data written here
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: flush first and complete only once the flush reports it finished; while it is pending, return and wait to be polled again
}

void reply_checked_then_free_anyway(struct bufferevent *bev, const char *msg) {
  if (bufferevent_write(bev, msg, strlen(msg)) < 0) {
    bufferevent_free(bev);
    return;
  }
  bufferevent_free(bev);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'bev' is closed while its write buffer may still hold data [drain-shutdown-before-flush]
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: data written here
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: flush first and complete only once the flush reports it finished; while it is pending, return and wait to be polled again
}

// negatives

void free_when_append_fails(struct bufferevent *bev, const char *msg) {
  if (bufferevent_write(bev, msg, strlen(msg)) < 0) {
    bufferevent_free(bev);
    return;
  }
}

void free_when_append_returns_minus_one(struct bufferevent *bev, const char *msg) {
  if (bufferevent_write(bev, msg, strlen(msg)) == -1) {
    bufferevent_free(bev);
    return;
  }
}

void free_when_append_is_nonzero(struct bufferevent *bev, const char *msg) {
  if (bufferevent_write(bev, msg, strlen(msg))) {
    bufferevent_free(bev);
    return;
  }
}

int free_when_saved_status_fails(struct bufferevent *bev, const char *msg) {
  int rc = bufferevent_write(bev, msg, strlen(msg));
  if (rc != 0) {
    bufferevent_free(bev);
    return -1;
  }
  return 0;
}

void free_when_buffer_append_fails(struct bufferevent *bev, struct evbuffer *body) {
  if (bufferevent_write_buffer(bev, body) != 0)
    bufferevent_free(bev);
}

static void free_once_written(struct bufferevent *bev, void *ctx) {
  (void)ctx;
  if (evbuffer_get_length(bufferevent_get_output(bev)) == 0)
    bufferevent_free(bev);
}

void reply_then_free_once_written(struct bufferevent *bev, const char *msg) {
  if (bufferevent_write(bev, msg, strlen(msg)) < 0) {
    bufferevent_free(bev);
    return;
  }
  bufferevent_setcb(bev, NULL, free_once_written, NULL, NULL);
}
