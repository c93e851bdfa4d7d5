// RUN: %check_drain -check-suffix=DEFAULT %s drain-shutdown-before-flush %t
// RUN: %check_drain -check-suffix=WORDS %s drain-shutdown-before-flush %t \
// RUN:   -config='{CheckOptions: [{key: drain-shutdown-before-flush.BufferMemberWords, value: spool}, {key: drain-shutdown-before-flush.SocketMemberWords, value: peer}]}'
// RUN: %check_drain -check-suffix=NOENTRY %s drain-shutdown-before-flush %t \
// RUN:   -config='{CheckOptions: [{key: drain-shutdown-before-flush.AssumeBufferDirtyOnEntry, value: false}]}'
// RUN: %check_drain -check-suffix=DTOR %s drain-shutdown-before-flush %t \
// RUN:   -config='{CheckOptions: [{key: drain-shutdown-before-flush.CheckDestructors, value: true}]}'
// RUN: %check_drain -check-suffix=FLUSHFN %s drain-shutdown-before-flush %t \
// RUN:   -config='{CheckOptions: [{key: drain-shutdown-before-flush.FlushFunctions, value: pump_out}]}'
// RUN: %check_drain -check-suffix=BUDGET %s drain-shutdown-before-flush %t \
// RUN:   -config='{CheckOptions: [{key: drain-shutdown-before-flush.MaxBlockVisits, value: 1}]}'
// RUN: %drain_clang_tidy %s -checks='-*,drain-shutdown-before-flush' --quiet \
// RUN:   -config='{CheckOptions: [{key: drain-shutdown-before-flush.PrintStatistics, value: true}]}' \
// RUN:   -- -std=c++17 2>&1 | %FileCheck %s --check-prefix=STATS
// RUN: %drain_clang_tidy %s -checks='-*,drain-shutdown-before-flush' --quiet \
// RUN:   -config='{CheckOptions: [{key: drain-shutdown-before-flush.PrintStatistics, value: true}, {key: drain-shutdown-before-flush.MaxBlockVisits, value: 1}]}' \
// RUN:   -- -std=c++17 2>&1 | %FileCheck %s --check-prefix=STATS-BUDGET

// The BUDGET run expects nothing: past the work budget a function is skipped quietly, and
// counted (STATS-BUDGET).
// STATS: drain-shutdown-before-flush: {{[1-9][0-9]*}} functions analysed, 0 skipped over the budget
// STATS-BUDGET: drain-shutdown-before-flush: 0 functions analysed, {{[1-9][0-9]*}} skipped over the budget

#include <string>
#include <unistd.h>

enum class Poll { Ready, Pending, Error };

// A connection whose buffer and socket are named with words the defaults know.
class Conn {
public:
  void close_now() {
    ::close(fd_);
    // CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:5: warning: the connection is closed while its write buffer 'out_buf_' may still hold data [drain-shutdown-before-flush]
    // CHECK-MESSAGES-DTOR: :[[@LINE-2]]:5: warning: the connection is closed while its write buffer 'out_buf_' may still hold data [drain-shutdown-before-flush]
    // CHECK-MESSAGES-FLUSHFN: :[[@LINE-3]]:5: warning: the connection is closed while its write buffer 'out_buf_' may still hold data [drain-shutdown-before-flush]
  }
  void append_then_close() {
    out_buf_.append("bye");
    ::close(fd_);
    // CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:5: warning: the connection is closed while its write buffer may still hold data [drain-shutdown-before-flush]
    // CHECK-MESSAGES-NOENTRY: :[[@LINE-2]]:5: warning: the connection is closed while its write buffer may still hold data [drain-shutdown-before-flush]
    // CHECK-MESSAGES-DTOR: :[[@LINE-3]]:5: warning: the connection is closed while its write buffer may still hold data [drain-shutdown-before-flush]
    // CHECK-MESSAGES-FLUSHFN: :[[@LINE-4]]:5: warning: the connection is closed while its write buffer may still hold data [drain-shutdown-before-flush]
  }
  ~Conn() {
    ::close(fd_);
    // CHECK-MESSAGES-DTOR: :[[@LINE-1]]:5: warning: the connection is closed while its write buffer 'out_buf_' may still hold data [drain-shutdown-before-flush]
  }

private:
  std::string out_buf_;
  int fd_ = -1;
};

// A connection in words of its own: a spool and a peer. Only BufferMemberWords and
// SocketMemberWords make it one.
class Relay {
public:
  void forward_then_close(const char *S) {
    spool_.append(S);
    ::close(peer_);
    // CHECK-MESSAGES-WORDS: :[[@LINE-1]]:5: warning: the connection is closed while its write buffer may still hold data [drain-shutdown-before-flush]
  }

private:
  std::string spool_;
  int peer_ = -1;
};

// A project's own flush, unknown to the built-in rows: without FlushFunctions the call is
// opaque (it may flush), with it the discarded result is seen.
struct Pump {
  Poll poll_write(const char *);
  Poll pump_out();
  Poll poll_shutdown();
};

Poll own_flush_discarded(Pump &P) {
  P.poll_write("x");
  (void)P.pump_out();
  return P.poll_shutdown();
  // CHECK-MESSAGES-FLUSHFN: :[[@LINE-1]]:12: warning: 'P' is shut down while its write buffer may still hold data [drain-shutdown-before-flush]
}

Poll own_flush_confirmed(Pump &P) {
  P.poll_write("x");
  if (P.pump_out() != Poll::Ready)
    return Poll::Pending;
  return P.poll_shutdown();
}
