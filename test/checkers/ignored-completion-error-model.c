// RUN: %check_drain %s drain-ignored-completion-error %t -config="{CheckOptions: [{key: ModelFile, value: '%S/Inputs/ignored-completion-error/model.yaml'}]}"
// RUN: not %drain_clang_tidy %s -checks='-*,drain-ignored-completion-error' -config="{CheckOptions: [{key: ModelFile, value: '%S/Inputs/ignored-completion-error/no-handler.yaml'}]}" -- 2>&1 | %FileCheck %s --check-prefix=NOHANDLER
// NOHANDLER: error: model file '{{.*}}no-handler.yaml': function '::net_send' has callback_error but no handler [clang-tidy-config]
// A model file names the callback's error parameter (callback_error): here a pointer to an
// error object, NULL on success, after a user-data pointer.
#include <stddef.h>

struct net_conn;
struct net_error {
  int code;
};
typedef void (*net_done_cb)(struct net_conn *c, void *user, struct net_error *error);
void net_send(struct net_conn *c, const void *buf, size_t len, net_done_cb cb, void *user);
void release(void *user);
void report(const struct net_error *e);

//===--- positives --------------------------------------------------------===//

// The user pointer is read, the error is not.
static void sent_unchecked(struct net_conn *c, void *user, struct net_error *error) {
// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: callback 'sent_unchecked' of 'net_send' ignores the error; a failed write goes unnoticed [drain-ignored-completion-error]
  release(user);
}
void send_unchecked(struct net_conn *c, const char *msg, size_t n, void *user) {
  net_send(c, msg, n, sent_unchecked, user);
}

//===--- negatives --------------------------------------------------------===//

static void sent_checked(struct net_conn *c, void *user, struct net_error *error) {
  if (error)
    report(error);
  release(user);
}
void send_checked(struct net_conn *c, const char *msg, size_t n, void *user) {
  net_send(c, msg, n, sent_checked, user);
}

// Only the error is read: the user pointer is none of the check's business.
static void sent_error_only(struct net_conn *c, void *user, struct net_error *error) {
  report(error);
}
void send_error_only(struct net_conn *c, const char *msg, size_t n, void *user) {
  net_send(c, msg, n, sent_error_only, user);
}
