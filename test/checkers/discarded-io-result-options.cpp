// Defaults for AllowCastToVoid; CheckStandardStreams on; the model options as check-local keys.
// RUN: %check_drain -check-suffixes=SHARED,CAST %s drain-discarded-io-result %t \
// RUN:   -config="{CheckOptions: [{key: drain-discarded-io-result.CheckStandardStreams, value: true}, {key: drain-discarded-io-result.MayDiscardFunctions, value: 'Conn::poll_flush_hint;::fflush'}, {key: drain-discarded-io-result.FlushFunctions, value: 'net::Channel::push_out'}, {key: drain-discarded-io-result.WriteFunctions, value: 'net::Channel::queue;net::Pipe::queue;net::Pipe::send'}, {key: drain-discarded-io-result.ModelFile, value: '%S/Inputs/discarded-io-result/model.yaml'}]}"
//
// AllowCastToVoid: true; CheckStandardStreams by default (off); ModelFile as the global key
// every drain check reads.
// RUN: %check_drain -check-suffixes=SHARED %s drain-discarded-io-result %t \
// RUN:   -config="{CheckOptions: [{key: drain-discarded-io-result.AllowCastToVoid, value: true}, {key: drain-discarded-io-result.MayDiscardFunctions, value: 'Conn::poll_flush_hint;::fflush'}, {key: drain-discarded-io-result.FlushFunctions, value: 'net::Channel::push_out'}, {key: drain-discarded-io-result.WriteFunctions, value: 'net::Channel::queue;net::Pipe::queue;net::Pipe::send'}, {key: ModelFile, value: '%S/Inputs/discarded-io-result/model.yaml'}]}"
//
// A model file that cannot be read or parsed is a configuration error: clear, and exit 1.
// RUN: not %drain_clang_tidy %s -checks='-*,drain-discarded-io-result' -config="{CheckOptions: [{key: drain-discarded-io-result.ModelFile, value: '%S/Inputs/discarded-io-result/missing.yaml'}]}" -- -std=c++17 2>&1 | %FileCheck %s --check-prefix=MISSING
// RUN: not %clang_tidy_load %s -checks='-*,drain-discarded-io-result' -config="{CheckOptions: [{key: drain-discarded-io-result.ModelFile, value: '%S/Inputs/discarded-io-result/missing.yaml'}]}" -- -std=c++17 2>&1 | %FileCheck %s --check-prefix=MISSING
// MISSING: error: cannot read model file '{{.*}}missing.yaml': {{[Nn]}}o such file or directory [clang-tidy-config]
// RUN: not %drain_clang_tidy %s -checks='-*,drain-discarded-io-result' -config="{CheckOptions: [{key: ModelFile, value: '%S/Inputs/discarded-io-result/unknown-kind.yaml'}]}" -- -std=c++17 2>&1 | %FileCheck %s --check-prefix=KIND
// KIND: error: model file '{{.*}}unknown-kind.yaml': function 'net::Channel::drain_out' has unknown kind 'flsh' (expected write, composed_write, flush, shutdown, close, empty_test, async_write, async_shutdown, cancel, sync or destroy) [clang-tidy-config]
// RUN: not %drain_clang_tidy %s -checks='-*,drain-discarded-io-result' -config="{CheckOptions: [{key: ModelFile, value: '%S/Inputs/discarded-io-result/malformed.yaml'}]}" -- -std=c++17 2>&1 | %FileCheck %s --check-prefix=MALFORMED
// MALFORMED: error: malformed model file '{{.*}}malformed.yaml': {{[0-9]+}}:{{[0-9]+}}: {{.+}} [clang-tidy-config]
//
// A bad option value is reported by clang-tidy and the check runs with the default.
// RUN: %drain_clang_tidy %s -checks='-*,drain-discarded-io-result' -config="{CheckOptions: [{key: drain-discarded-io-result.AllowCastToVoid, value: maybe}]}" -- -std=c++17 2>&1 | %FileCheck %s --check-prefix=BADVALUE
// BADVALUE: warning: invalid configuration value 'maybe' for option 'drain-discarded-io-result.AllowCastToVoid'
// BADVALUE: warning: result of 'poll_flush' is discarded

#include <stdio.h>
#include <tuple>

enum class Poll { Ready, Pending };

struct Conn {
  Poll poll_flush();
  Poll poll_flush_hint();
};

namespace net {
enum class Step { Finished, Later }; // Later is pending through the model file
class Channel {
public:
  int push_out();            // FlushFunctions
  void queue(const char *);  // WriteFunctions, but nothing to look at
  int send_frame(const char *); // model file: write, result status
  int drain_out();           // model file: flush, result from the return type
  int hint_flush();          // model file: flush, may_discard
  Step try_flush_quietly();  // model file: top-level may_discard
  Step step();               // carries Later
};
// A class template: in its own body the calls of its members are typed only in the
// instantiation; a void member still has nothing to drop.
template <class T> class Pipe {
public:
  void queue(const T &);     // WriteFunctions, void
  long send(const T &);      // WriteFunctions, a count
  void relay(const T &m) { queue(m); }
  void forward(const T &m) {
    send(m);
    // CHECK-MESSAGES-SHARED: :[[@LINE-1]]:5: warning: result of 'send' is discarded; a failed or short write goes unnoticed [drain-discarded-io-result]
  }
};
template class Pipe<int>;
} // namespace net

// positives

void cast_to_void_flagged_by_default(Conn &c) {
  (void)c.poll_flush();
  // CHECK-MESSAGES-CAST: :[[@LINE-1]]:11: warning: result of 'poll_flush' is discarded; a Poll::Pending here means the buffer still holds data [drain-discarded-io-result]
}

void std_ignore_flagged_by_default(Conn &c) {
  std::ignore = c.poll_flush();
  // CHECK-MESSAGES-CAST: :[[@LINE-1]]:19: warning: result of 'poll_flush' is discarded; a Poll::Pending here means the buffer still holds data [drain-discarded-io-result]
}

void unread_local_flagged_even_when_casts_are_allowed(Conn &c) {
  Poll p = c.poll_flush();
  // CHECK-MESSAGES-SHARED: :[[@LINE-1]]:14: warning: result of 'poll_flush' is never read; a Poll::Pending here means the buffer still holds data [drain-discarded-io-result]
}

void statement_flagged_even_when_casts_are_allowed(Conn &c) {
  c.poll_flush();
  // CHECK-MESSAGES-SHARED: :[[@LINE-1]]:5: warning: result of 'poll_flush' is discarded; a Poll::Pending here means the buffer still holds data [drain-discarded-io-result]
}

void flush_option_row_dropped(net::Channel &ch) {
  ch.push_out();
  // CHECK-MESSAGES-SHARED: :[[@LINE-1]]:6: warning: result of 'push_out' is discarded; a failed flush leaves data behind unnoticed [drain-discarded-io-result]
}

void model_file_write_dropped(net::Channel &ch) {
  ch.send_frame("x");
  // CHECK-MESSAGES-SHARED: :[[@LINE-1]]:6: warning: result of 'send_frame' is discarded; a failed write goes unnoticed [drain-discarded-io-result]
}

void model_file_flush_dropped(net::Channel &ch) {
  ch.drain_out();
  // CHECK-MESSAGES-SHARED: :[[@LINE-1]]:6: warning: result of 'drain_out' is discarded; a failed flush leaves data behind unnoticed [drain-discarded-io-result]
}

void model_file_pending_state_dropped(net::Channel &ch) {
  ch.step();
  // CHECK-MESSAGES-SHARED: :[[@LINE-1]]:6: warning: result of 'step' is discarded; a Step::Later here means the operation has not finished [drain-discarded-io-result]
}

void standard_stream_closed_when_asked_for() {
  fclose(stdout);
  // CHECK-MESSAGES-CAST: :[[@LINE-1]]:3: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
}

// negatives

void may_discard_option_exempts(Conn &c) {
  c.poll_flush_hint();
  fflush(stdout);
}

void model_file_may_discard_row_exempts(net::Channel &ch) {
  ch.hint_flush();
}

void model_file_may_discard_list_exempts(net::Channel &ch) {
  ch.try_flush_quietly();
}

int option_row_checked(net::Channel &ch) {
  if (ch.push_out() != 0)
    return -1;
  return ch.send_frame("x");
}

bool model_file_pending_state_checked(net::Channel &ch) {
  return ch.step() == net::Step::Later;
}

int model_file_flush_checked(net::Channel &ch) {
  int r = ch.drain_out();
  return r < 0 ? r : 0;
}

void option_row_with_void_result_has_nothing_to_drop(net::Channel &ch) {
  ch.queue("x");
}
