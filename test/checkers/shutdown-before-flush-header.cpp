// RUN: %check_drain -std=c++17,c++20 %s drain-shutdown-before-flush %t -- --header-filter=.* -- -I%S/Inputs/shutdown-before-flush

// The connection class is declared in a project header (Inputs/shutdown-before-flush/conn.h)
// with its methods inline, and misused here. drain-tidy reads the header's bodies as part of
// the translation unit; in the editor, clangd puts the header in its preamble, which skips
// function bodies, and drain-clangd keeps the project's ones (test/tools/clangd-parity.test
// runs this file through both and compares).
//
// --header-filter=.* is explicit because clang-tidy's default changed (empty until LLVM 21,
// '.*' from LLVM 22); with it every version prints the header's own finding. The order in
// which clang-tidy prints header and main-file warnings also differs between versions, so the
// warnings are matched as one unordered group (CHECK-MESSAGES-DAG).

#include "conn.h"

//===--- positives --------------------------------------------------------===//

void reply_then_close(HeaderConn &C) {
  C.queue("HTTP/1.1 200 OK\r\n\r\n");
  C.close_now();
  // CHECK-MESSAGES-DAG: :[[@LINE-1]]:5: warning: 'C' is closed by 'close_now' while its write buffer may still hold data [drain-shutdown-before-flush]
}

void HeaderConn::reply_and_close() {
  queue("HTTP/1.1 204 No Content\r\n\r\n");
  ::close(fd_);
  // CHECK-MESSAGES-DAG: :[[@LINE-1]]:3: warning: the connection is closed while its write buffer may still hold data [drain-shutdown-before-flush]
  // The header's own close_now() closes the socket with out_buf_ unflushed (reported in the
  // header, where the header filter lets it through):
  // CHECK-MESSAGES-DAG: Inputs/shutdown-before-flush/conn.h:29:22: warning: the connection is closed while its write buffer 'out_buf_' may still hold data [drain-shutdown-before-flush]
}

//===--- negatives --------------------------------------------------------===//

Poll reply_flushed_then_close(HeaderConn &C) {
  C.queue("HTTP/1.1 200 OK\r\n\r\n");
  if (C.poll_flush() == Poll::Pending)
    return Poll::Pending;
  C.close_now();
  return Poll::Ready;
}

Poll HeaderConn::reply_flush_and_close() {
  queue("HTTP/1.1 204 No Content\r\n\r\n");
  if (poll_flush() != Poll::Ready)
    return Poll::Pending;
  ::close(fd_);
  return Poll::Ready;
}

// Nothing was queued on this path: closing needs no flush.
void close_unused(HeaderConn &C) { C.close_now(); }

// Waits until the flush reports it finished before closing.
void wait_for_peer();
void reply_drain_then_close(HeaderConn &C) {
  C.queue("HTTP/1.1 200 OK\r\n\r\n");
  while (C.poll_flush() == Poll::Pending)
    wait_for_peer();
  C.close_now();
}
