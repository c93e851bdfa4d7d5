// The annotations header in C: Clang reads the GNU spelling, GCC sees nothing.
// RUN: %check_drain -std=c11,c17 %s drain-discarded-io-result %t -- -- -I%drain_src/integrations/annotations
// RUN: gcc -std=c11 -fsyntax-only -Wall -Wextra -Wpedantic -Werror -Wno-unused-result -I%drain_src/integrations/annotations %s
// RUN: clang -std=c11 -fsyntax-only -Wall -Wextra -Wpedantic -Werror -Wno-unused-result -I%drain_src/integrations/annotations %s

#include <drain/annotations.h>
#include <stddef.h>

enum DRAIN_PENDING_TYPE push_state { PUSH_DONE DRAIN_READY, PUSH_LATER DRAIN_PENDING };

struct conn;
DRAIN_WRITE long conn_put(DRAIN_CHANNEL struct conn *c, const char *p, DRAIN_LENGTH size_t n);
DRAIN_FLUSH enum push_state conn_push(DRAIN_CHANNEL struct conn *c);
DRAIN_MAY_DISCARD enum push_state conn_push_hint(struct conn *c);
DRAIN_EMPTY_TEST int conn_idle(const struct conn *c);

// positives

void conn_put_dropped(struct conn *c, const char *p, size_t n) {
  conn_put(c, p, n);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'conn_put' is discarded; a failed or short write goes unnoticed [drain-discarded-io-result]
}

void conn_push_dropped(struct conn *c) {
  (void)conn_push(c);
  // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: result of 'conn_push' is discarded; a PUSH_LATER here means the buffer still holds data [drain-discarded-io-result]
}

// negatives

int conn_push_checked(struct conn *c) {
  return conn_push(c) == PUSH_LATER ? -1 : 0;
}

void conn_hint_and_idle_may_be_dropped(struct conn *c) {
  conn_push_hint(c);
  conn_idle(c);
}

long conn_put_returned(struct conn *c, const char *p, size_t n) {
  return conn_put(c, p, n);
}
