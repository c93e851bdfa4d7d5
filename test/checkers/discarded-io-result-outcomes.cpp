// An enum result with a success and an answer that says a write or flush failed, tested only
// for other outcomes: the failed write takes the success path. The result of a call, the
// local it is kept in, or a parameter of that type that the function tests; a failure is
// known by its name (CannotFlushSendBuffer) or by a producer of this file that returns it
// where a write it tested failed.
// RUN: %check_drain -std=c++17 %s drain-discarded-io-result %t

#include <cstddef>
#include <sys/socket.h>

class Transport {
public:
  enum class PollResult { Succeeded, AbnormalClose, CannotFlushSendBuffer };
  PollResult poll();
  void dispatch(PollResult pollResult);
  void dispatch_checked(PollResult pollResult);
  void dispatch_switch(PollResult pollResult);
  void dispatch_both(PollResult pollResult);
  void close();
};

enum class FlushStatus { Done, WouldBlock, Closed };

FlushStatus flush_out(int fd, const char *p, size_t n) {
  if (n == 0)
    return FlushStatus::Done;
  ssize_t w = send(fd, p, n, MSG_DONTWAIT);
  if (w < 0)
    return FlushStatus::Closed;
  return static_cast<size_t>(w) == n ? FlushStatus::Done : FlushStatus::WouldBlock;
}

enum class ConnectResult { Ok, Refused, Timeout };
ConnectResult connect_peer(int fd);

enum class TxState { Idle, Sending, Done, SendFailed };
TxState tx_state(int fd);
void start_tx(int fd);

// positives

void Transport::dispatch(PollResult pollResult) {
  if (pollResult == PollResult::AbnormalClose)
    // CHECK-NOTES: :[[@LINE-1]]:7: warning: 'pollResult' is tested only for 'AbnormalClose'; 'CannotFlushSendBuffer' takes the path of 'Succeeded', and a failed flush goes unnoticed [drain-discarded-io-result]
    // CHECK-NOTES: :13:53: note: 'CannotFlushSendBuffer' says the flush failed
    // CHECK-NOTES: :[[@LINE-3]]:7: note: compare with 'Succeeded' so that every other result is handled as a failure, or handle 'CannotFlushSendBuffer' too
    close();
}

void poll_once(Transport &t) {
  Transport::PollResult r = t.poll();
  if (r == Transport::PollResult::AbnormalClose) {
    // CHECK-NOTES: :[[@LINE-1]]:7: warning: 'r' is tested only for 'AbnormalClose'; 'CannotFlushSendBuffer' takes the path of 'Succeeded', and a failed flush goes unnoticed [drain-discarded-io-result]
    // CHECK-NOTES: :13:53: note: 'CannotFlushSendBuffer' says the flush failed
    // CHECK-NOTES: :[[@LINE-3]]:7: note: compare with 'Succeeded' so that every other result is handled as a failure, or handle 'CannotFlushSendBuffer' too
    t.close();
    return;
  }
}

void poll_direct(Transport &t) {
  if (t.poll() == Transport::PollResult::AbnormalClose)
    // CHECK-NOTES: :[[@LINE-1]]:9: warning: result of 'poll' is tested only for 'AbnormalClose'; 'CannotFlushSendBuffer' takes the path of 'Succeeded', and a failed flush goes unnoticed [drain-discarded-io-result]
    // CHECK-NOTES: :13:53: note: 'CannotFlushSendBuffer' says the flush failed
    // CHECK-NOTES: :[[@LINE-3]]:9: note: compare with 'Succeeded' so that every other result is handled as a failure, or handle 'CannotFlushSendBuffer' too
    t.close();
}

void Transport::dispatch_switch(PollResult pollResult) {
  switch (pollResult) {
    // CHECK-NOTES: :[[@LINE-1]]:11: warning: 'pollResult' is tested only for 'AbnormalClose'; 'CannotFlushSendBuffer' takes the path of 'Succeeded', and a failed flush goes unnoticed [drain-discarded-io-result]
    // CHECK-NOTES: :13:53: note: 'CannotFlushSendBuffer' says the flush failed
    // CHECK-NOTES: :[[@LINE-3]]:11: note: compare with 'Succeeded' so that every other result is handled as a failure, or handle 'CannotFlushSendBuffer' too
  case PollResult::AbnormalClose:
    close();
    break;
  }
}

int pump(int fd, const char *p, size_t n) {
  FlushStatus s = flush_out(fd, p, n);
  if (s == FlushStatus::WouldBlock)
    // CHECK-NOTES: :[[@LINE-1]]:7: warning: 's' is tested only for 'WouldBlock'; 'Closed' takes the path of 'Done', and a failed write goes unnoticed [drain-discarded-io-result]
    // CHECK-NOTES: :29:5: note: 'flush_out' answers 'Closed' here, when the write fails
    // CHECK-NOTES: :[[@LINE-3]]:7: note: compare with 'Done' so that every other result is handled as a failure, or handle 'Closed' too
    return 1;
  return 0;
}

// negatives

void Transport::dispatch_checked(PollResult pollResult) {
  if (pollResult != PollResult::Succeeded)
    close();
}

void Transport::dispatch_both(PollResult pollResult) {
  if (pollResult == PollResult::AbnormalClose || pollResult == PollResult::CannotFlushSendBuffer)
    close();
}

void poll_switch_all(Transport &t) {
  switch (t.poll()) {
  case Transport::PollResult::Succeeded:
    break;
  case Transport::PollResult::AbnormalClose:
  case Transport::PollResult::CannotFlushSendBuffer:
    t.close();
    break;
  }
}

void poll_switch_default(Transport &t) {
  switch (t.poll()) {
  case Transport::PollResult::AbnormalClose:
    t.close();
    break;
  default:
    t.close();
    break;
  }
}

void poll_handed_on(Transport &t) {
  Transport::PollResult r = t.poll();
  t.dispatch_checked(r);
}

int pump_checked(int fd, const char *p, size_t n) {
  FlushStatus s = flush_out(fd, p, n);
  if (s == FlushStatus::WouldBlock)
    return 1;
  return s == FlushStatus::Done ? 0 : -1;
}

void reconnect_on_timeout(int fd) {
  if (connect_peer(fd) == ConnectResult::Timeout)
    connect_peer(fd);
}

void kick(int fd) {
  if (tx_state(fd) == TxState::Idle)
    start_tx(fd);
}

void answer_poll(Transport::PollResult &out, Transport &t) {
  if (out == Transport::PollResult::AbnormalClose)
    t.close();
  out = t.poll();
}
