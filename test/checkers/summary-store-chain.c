// A chain of wrappers across three files: session_send (Inputs/summary-chain/session.c) returns
// tx_write's count, and tx_write (transport.c) returns send's. A write pass over session.c alone
// cannot tell what session_send is; a pass that reads the store as it writes it learns tx_write
// from transport.c first, and a second pass over session.c then knows session_send too.
// RUN: rm -rf %t && mkdir -p %t && cp %S/Inputs/summary-chain/* %t/
// One pass, session.c first: session_send is unknown to the callers here.
// RUN: %drain_clang_tidy %t/session.c -checks='-*,drain-*' --config="{CheckOptions: [{key: drain.SummaryStore, value: '%t/one.db'}, {key: drain.SummaryStoreMode, value: write}]}" -- -std=c11 -I%t 2>&1 | %FileCheck %s --check-prefix=QUIET --allow-empty
// RUN: %drain_clang_tidy %t/transport.c -checks='-*,drain-*' --config="{CheckOptions: [{key: drain.SummaryStore, value: '%t/one.db'}, {key: drain.SummaryStoreMode, value: write}]}" -- -std=c11 -I%t 2>&1 | %FileCheck %s --check-prefix=QUIET --allow-empty
// RUN: %drain_clang_tidy %s -checks='-*,drain-*' --config="{CheckOptions: [{key: drain.SummaryStore, value: '%t/one.db'}]}" -- -std=c11 -I%t 2>&1 | %FileCheck %s --check-prefix=ONE --allow-empty --implicit-check-not=warning:
// A second pass over session.c, reading what the first wrote: the chain is complete.
// RUN: cp %t/one.db %t/two.db
// RUN: %drain_clang_tidy %t/session.c -checks='-*,drain-*' --config="{CheckOptions: [{key: drain.SummaryStore, value: '%t/two.db'}, {key: drain.SummaryStoreMode, value: write}]}" -- -std=c11 -I%t 2>&1 | %FileCheck %s --check-prefix=QUIET --allow-empty
// RUN: %drain_clang_tidy %s -checks='-*,drain-*' --config="{CheckOptions: [{key: drain.SummaryStore, value: '%t/two.db'}]}" -- -std=c11 -I%t 2>&1 | %FileCheck %s --implicit-check-not=warning:

// QUIET-NOT: warning:
// ONE-NOT: warning:

#include "transport.h"

// positives

int reply(struct session *s, const char *msg, size_t len) {
  if (session_send(s, msg, len) < 0)
    // CHECK: summary-store-chain.c:[[@LINE-1]]:7: warning: result of 'session_send' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    return -1;
  return 0;
}

// negatives

int reply_whole(struct session *s, const char *msg, size_t len) {
  if (session_send_all(s, msg, len) < 0)
    return -1;
  return 0;
}

int reply_until_sent(struct session *s, const char *msg, size_t len) {
  size_t off = 0;
  while (off < len) {
    ssize_t n = session_send(s, msg + off, len - off);
    if (n < 0)
      return -1;
    off += (size_t)n;
  }
  return 0;
}
