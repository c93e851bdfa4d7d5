// A two-file project: the wrappers are defined in Inputs/summary-store/net.c, their callers
// here. A first run writes net.c's inferred roles into a summary store; a second run over this
// file reads them. A missing, corrupt, stale or other-version store is said once and ignored;
// the roles emitted as a model file and fed back give the same findings.
// RUN: rm -rf %t && mkdir -p %t && cp %S/Inputs/summary-store/net.c %S/Inputs/summary-store/net.h %t/
// RUN: %drain_clang_tidy %t/net.c -checks='-*,drain-*' --config="{CheckOptions: [{key: drain.SummaryStore, value: '%t/s.db'}, {key: drain.SummaryStoreMode, value: write}]}" -- -std=c11 -I%t 2>&1 | %FileCheck %s --check-prefix=WRITE --allow-empty --implicit-check-not=warning:
// RUN: %drain_clang_tidy %s -checks='-*,drain-*' --config="{CheckOptions: [{key: drain.SummaryStore, value: '%t/s.db'}, {key: drain.EmitModel, value: '%t/model.yaml'}]}" -- -std=c11 -I%t 2>&1 | %FileCheck %s --implicit-check-not=warning:
// RUN: %FileCheck %s --check-prefix=MODEL --input-file=%t/model.yaml
// RUN: %drain_clang_tidy %s -checks='-*,drain-*' --config="{CheckOptions: [{key: ModelFile, value: '%t/model.yaml'}, {key: InferRoles, value: false}]}" -- -std=c11 -I%t 2>&1 | %FileCheck %s --implicit-check-not=warning:
// Without a store, conn.c knows nothing about net.c.
// RUN: %drain_clang_tidy %s -checks='-*,drain-*' -- -std=c11 -I%t 2>&1 | %FileCheck %s --check-prefix=NONE --allow-empty --implicit-check-not=warning:
// RUN: %drain_clang_tidy %s -checks='-*,drain-*' --config="{CheckOptions: [{key: drain.SummaryStore, value: '%t/missing.db'}]}" -- -std=c11 -I%t 2>&1 | %FileCheck %s --check-prefix=MISSING --implicit-check-not=warning:
// RUN: %python -c "open(r'%t/garbage.db', 'wb').write(bytes(range(256)) * 16)"
// RUN: %drain_clang_tidy %s -checks='-*,drain-*' --config="{CheckOptions: [{key: drain.SummaryStore, value: '%t/garbage.db'}]}" -- -std=c11 -I%t 2>&1 | %FileCheck %s --check-prefix=CORRUPT --implicit-check-not=warning:
// RUN: cp %t/s.db %t/old.db && %python -c "import sqlite3; c = sqlite3.connect(r'%t/old.db'); c.execute(\"UPDATE summaries SET drain_version = '0.0.1/roles-0'\"); c.commit()"
// RUN: %drain_clang_tidy %s -checks='-*,drain-*' --config="{CheckOptions: [{key: drain.SummaryStore, value: '%t/old.db'}]}" -- -std=c11 -I%t 2>&1 | %FileCheck %s --check-prefix=VERSION --implicit-check-not=warning:
// RUN: echo '// edited after the store was written' >> %t/net.c
// RUN: %drain_clang_tidy %s -checks='-*,drain-*' --config="{CheckOptions: [{key: drain.SummaryStore, value: '%t/s.db'}]}" -- -std=c11 -I%t 2>&1 | %FileCheck %s --check-prefix=STALE --implicit-check-not=warning:

// WRITE-NOT: warning:
// NONE-NOT: warning:
// MISSING: warning: summary store '{{.*}}missing.db' does not exist; cross-file roles are not used
// CORRUPT: warning: summary store '{{.*}}garbage.db' cannot be read (file is not a database); it is ignored
// VERSION: warning: summary store '{{.*}}old.db' holds entries written by drain 0.0.1/roles-0 (this is {{.*}}); they are ignored: write the store again
// STALE: warning: summary store '{{.*}}s.db' is out of date for '{{.*}}net.c' (the file changed since the store was written)
// MODEL: name: '::outq_flush'
// MODEL-NEXT: kind: flush
// MODEL-NEXT: result: signed_state
// MODEL: name: '::send_all'
// MODEL-NEXT: kind: composed_write
// MODEL: name: '::sock_close'
// MODEL-NEXT: kind: close
// MODEL: name: '::sock_send'
// MODEL-NEXT: kind: write
// MODEL-NEXT: result: byte_count

#include "net.h"

// positives

int reply(int fd, const char *msg, size_t len) {
  if (sock_send(fd, msg, len) < 0)
    // CHECK: summary-store.c:[[@LINE-1]]:7: warning: result of 'sock_send' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    return -1;
  return 0;
}

void finish(struct outq *q) {
  if (outq_flush(q) < 0)
    return;
  sock_close(q);
  // CHECK: summary-store.c:[[@LINE-1]]:3: warning: 'q' is closed while its write buffer may still hold data [drain-shutdown-before-flush]
}

// negatives

int reply_whole(int fd, const char *msg, size_t len) {
  if (send_all(fd, msg, len) < 0)
    return -1;
  return 0;
}

int reply_until_sent(int fd, const char *msg, size_t len) {
  size_t off = 0;
  while (off < len) {
    ssize_t n = sock_send(fd, msg + off, len - off);
    if (n < 0)
      return -1;
    off += (size_t)n;
  }
  return 0;
}

int finish_when_drained(struct outq *q) {
  int r = outq_flush(q);
  if (r < 0) {
    sock_close(q);
    return -1;
  }
  if (r > 0)
    return 1; // wait until writable, then flush again
  sock_close(q);
  return 0;
}

int finish_when_flush_answers_zero(struct outq *q) {
  if (outq_flush(q) != 0)
    return -1;
  sock_close(q);
  return 0;
}

// After every run above, the last reader to close leaves no WAL files next to the store.
// RUN: not ls %t/s.db-wal
// RUN: not ls %t/s.db-shm
