// A short count noticed, only logged and returned is lost when the callers treat the result as
// a status; here the callers are in other files (Inputs/partial-write-callers/smtp.c, pop.c,
// imap.c). A write pass over them records in the summary store how each call uses the result;
// the run over this file adds those calls to the ones it sees. Without a store, only this
// file's callers count; an unreadable, old or stale caller entry is said once and makes those
// callers unknown (silent).
// RUN: rm -rf %t && mkdir -p %t && cp %S/Inputs/partial-write-callers/*.c %S/Inputs/partial-write-callers/sock.h %t/
// RUN: %drain_clang_tidy %t/smtp.c %t/pop.c %t/imap.c -checks='-*,drain-*' --config="{CheckOptions: [{key: drain.SummaryStore, value: '%t/s.db'}, {key: drain.SummaryStoreMode, value: write}]}" -- -std=c11 -I%t 2>&1 | %FileCheck %s --check-prefix=WRITE --allow-empty --implicit-check-not=warning:
// RUN: %drain_clang_tidy %s -checks='-*,drain-partial-write' --config="{CheckOptions: [{key: drain.SummaryStore, value: '%t/s.db'}]}" -- -std=c11 -I%t 2>&1 | %FileCheck %s --check-prefixes=CHECK,BOTH --implicit-check-not=warning: --implicit-check-not=note:
// Without a store, this file's own callers decide, as before.
// RUN: %drain_clang_tidy %s -checks='-*,drain-partial-write' -- -std=c11 -I%t 2>&1 | %FileCheck %s --check-prefixes=NONE,BOTH --implicit-check-not=warning: --implicit-check-not=note:
// A caller entry drain cannot read: said once, and the callers it stands for are unknown.
// RUN: cp %t/s.db %t/bad.db && %python -c "import sqlite3; c = sqlite3.connect(r'%t/bad.db'); c.execute(\"UPDATE callers SET data = 'not json' WHERE caller_file LIKE '%%pop.c'\"); c.commit()"
// RUN: %drain_clang_tidy %s -checks='-*,drain-partial-write' --config="{CheckOptions: [{key: drain.SummaryStore, value: '%t/bad.db'}]}" -- -std=c11 -I%t 2>&1 | %FileCheck %s --check-prefixes=BAD,BOTH --implicit-check-not=warning: --implicit-check-not=note:
// A store of the older format, with no caller facts: said, and the store's roles are ignored.
// RUN: cp %t/s.db %t/old.db && %python -c "import sqlite3; c = sqlite3.connect(r'%t/old.db'); c.execute('DROP TABLE callers'); c.execute(\"UPDATE summaries SET drain_version = '0.0.1/roles-1'\"); c.commit()"
// RUN: %drain_clang_tidy %s -checks='-*,drain-partial-write' --config="{CheckOptions: [{key: drain.SummaryStore, value: '%t/old.db'}]}" -- -std=c11 -I%t 2>&1 | %FileCheck %s --check-prefixes=OLD,NONE,BOTH --implicit-check-not=warning: --implicit-check-not=note:
// A caller's file edited since the store was written: its calls are unknown.
// RUN: echo '// edited after the store was written' >> %t/pop.c
// RUN: %drain_clang_tidy %s -checks='-*,drain-partial-write' --config="{CheckOptions: [{key: drain.SummaryStore, value: '%t/s.db'}]}" -- -std=c11 -I%t 2>&1 | %FileCheck %s --check-prefixes=STALE,BOTH --implicit-check-not=warning: --implicit-check-not=note:

// WRITE-NOT: warning:
// BAD: warning: summary store '{{.*}}bad.db' has a caller-facts entry drain cannot read (from '{{.*}}pop.c'); the callers it stands for are taken as unknown
// OLD: warning: summary store '{{.*}}old.db' holds no caller facts (no such table: callers; an older store format); callers in other files are not known: write the store again
// STALE: warning: summary store '{{.*}}s.db' is out of date for '{{.*}}pop.c' (the file changed since the store was written)

#include "sock.h"

void debug_print(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void socket_close(struct connection *conn);

// positives

// Every caller (smtp.c) tests the result for -1 or < 0 only.
int sock_write(struct connection *conn, const char *buf, int len) {
  int rc;
  if ((rc = conn->conn_write(conn, buf, (size_t)len)) < 0) {
    // CHECK: :[[@LINE-1]]:19: warning: a short write by 'conn_write' is noticed but only logged; 'sock_write' returns the short count to callers that test it only for failure, so the rest of the buffer is dropped [drain-partial-write]
    // BAD: :[[@LINE-2]]:19: warning: a short write by 'conn_write'
    // STALE: :[[@LINE-3]]:19: warning: a short write by 'conn_write'
    debug_print(1, "sock_write: error writing, closing socket\n");
    socket_close(conn);
    return -1;
  }
  if (rc < len)
    // CHECK: :[[@LINE-1]]:10: note: the count is compared with the length here
    // BAD: :[[@LINE-2]]:10: note: the count is compared with the length here
    // STALE: :[[@LINE-3]]:10: note: the count is compared with the length here
    debug_print(1, "sock_write: wrote %d of %d bytes\n", rc, len);
  return rc;
  // CHECK: :[[@LINE-1]]:3: note: 2 calls of 'sock_write' in other files test the result only for failure (one in {{.*}}smtp.c:6)
  // BAD: :[[@LINE-2]]:3: note: 2 calls of 'sock_write' in other files test the result only for failure (one in {{.*}}smtp.c:6)
  // STALE: :[[@LINE-3]]:3: note: 2 calls of 'sock_write' in other files test the result only for failure (one in {{.*}}smtp.c:6)
}

// Every caller (pop.c) drops the result.
int sock_write_quiet(struct connection *conn, const char *buf, int len) {
  int rc;
  if ((rc = conn->conn_write(conn, buf, (size_t)len)) < 0) {
    // CHECK: :[[@LINE-1]]:19: warning: a short write by 'conn_write' is noticed but only logged; 'sock_write_quiet' returns the short count to callers that test it only for failure, so the rest of the buffer is dropped [drain-partial-write]
    socket_close(conn);
    return -1;
  }
  if (rc < len)
    // CHECK: :[[@LINE-1]]:10: note: the count is compared with the length here
    debug_print(1, "sock_write_quiet: wrote %d of %d bytes\n", rc, len);
  return rc;
  // CHECK: :[[@LINE-1]]:3: note: 2 calls of 'sock_write_quiet' in other files drop the result (one in {{.*}}pop.c:4)
}

// Its callers here and in smtp.c test only for failure.
int sock_write_here(struct connection *conn, const char *buf, int len) {
  int rc = conn->conn_write(conn, buf, (size_t)len);
  // BOTH: :[[@LINE-1]]:18: warning: a short write by 'conn_write' is noticed but only logged; 'sock_write_here' returns the short count to callers that test it only for failure, so the rest of the buffer is dropped [drain-partial-write]
  if (rc < 0)
    return -1;
  if (rc != len)
    // BOTH: :[[@LINE-1]]:10: note: the count is compared with the length here
    debug_print(1, "sock_write_here: wrote %d of %d bytes\n", rc, len);
  return rc;
  // CHECK: :[[@LINE-1]]:3: note: 1 call of 'sock_write_here' in other files tests the result only for failure (one in {{.*}}smtp.c:29)
  // BAD: :[[@LINE-2]]:3: note: 1 call of 'sock_write_here' in other files tests the result only for failure (one in {{.*}}smtp.c:29)
  // STALE: :[[@LINE-3]]:3: note: 1 call of 'sock_write_here' in other files tests the result only for failure (one in {{.*}}smtp.c:29)
}

int vrfy_all(struct connection *conn, const char *const *names, int n) {
  for (int i = 0; i < n; ++i)
    if (sock_write_here(conn, names[i], 8) == -1)
      // BOTH: :[[@LINE-1]]:9: note: a caller tests the result of 'sock_write_here' only for failure here
      return -1;
  return 0;
}

// Its caller (pop.c) drops the result; its file is edited in the last run.
int sock_write_stale(struct connection *conn, const char *buf, int len) {
  int rc;
  if ((rc = conn->conn_write(conn, buf, (size_t)len)) < 0) {
    // CHECK: :[[@LINE-1]]:19: warning: a short write by 'conn_write' is noticed but only logged; 'sock_write_stale' returns the short count to callers that test it only for failure, so the rest of the buffer is dropped [drain-partial-write]
    socket_close(conn);
    return -1;
  }
  if (rc < len)
    // CHECK: :[[@LINE-1]]:10: note: the count is compared with the length here
    debug_print(1, "sock_write_stale: wrote %d of %d bytes\n", rc, len);
  return rc;
  // CHECK: :[[@LINE-1]]:3: note: 1 call of 'sock_write_stale' in other files drops the result (one in {{.*}}pop.c:8)
}

// negatives

// Its caller (imap.c) writes the rest from where the count says the write stopped.
int sock_write_counted(struct connection *conn, const char *buf, int len) {
  int rc;
  if ((rc = conn->conn_write(conn, buf, (size_t)len)) < 0) {
    socket_close(conn);
    return -1;
  }
  if (rc < len)
    debug_print(5, "sock_write_counted: short write (%d of %d bytes)\n", rc, len);
  return rc;
}

// One caller (smtp.c) tests for -1, the other (imap.c) compares the count with the length.
int sock_write_mixed(struct connection *conn, const char *buf, int len) {
  int rc;
  if ((rc = conn->conn_write(conn, buf, (size_t)len)) < 0) {
    socket_close(conn);
    return -1;
  }
  if (rc < len)
    debug_print(1, "sock_write_mixed: wrote %d of %d bytes\n", rc, len);
  return rc;
}

// Its caller here tests only for failure; the ones in smtp.c and imap.c tell the two apart
// (NOOP may be retried; IDLE's DONE must go out whole).
int sock_write_local(struct connection *conn, const char *buf, int len) {
  int rc;
  if ((rc = conn->conn_write(conn, buf, (size_t)len)) < 0) {
    // NONE: :[[@LINE-1]]:19: warning: a short write by 'conn_write' is noticed but only logged; 'sock_write_local' returns the short count to callers that test it only for failure, so the rest of the buffer is dropped [drain-partial-write]
    socket_close(conn);
    return -1;
  }
  if (rc < len)
    // NONE: :[[@LINE-1]]:10: note: the count is compared with the length here
    debug_print(1, "sock_write_local: wrote %d of %d bytes\n", rc, len);
  return rc;
}

int keepalive(struct connection *conn) {
  if (sock_write_local(conn, "NOOP\r\n", 6) == -1)
    // NONE: :[[@LINE-1]]:7: note: a caller tests the result of 'sock_write_local' only for failure here
    return -1;
  return 0;
}

// No caller anywhere: the count is whoever calls it later's to look at.
int sock_write_unused(struct connection *conn, const char *buf, int len) {
  int rc;
  if ((rc = conn->conn_write(conn, buf, (size_t)len)) < 0)
    return -1;
  if (rc < len)
    debug_print(1, "sock_write_unused: wrote %d of %d bytes\n", rc, len);
  return rc;
}

// The same callers as sock_write (smtp.c tests for -1), and a write that finishes the buffer.
int sock_write_all(struct connection *conn, const char *buf, int len) {
  int sent = 0;
  while (sent < len) {
    int rc = conn->conn_write(conn, buf + sent, (size_t)(len - sent));
    if (rc < 0) {
      debug_print(1, "sock_write_all: error writing, closing socket\n");
      socket_close(conn);
      return -1;
    }
    sent += rc;
  }
  return sent;
}
