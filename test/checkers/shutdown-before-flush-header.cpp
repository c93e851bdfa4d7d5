// RUN: %check_drain -std=c++17,c++20 %s drain-shutdown-before-flush %t -- -- -I%S/Inputs/shutdown-before-flush

// The connection class is declared in a project header (Inputs/shutdown-before-flush/conn.h)
// with its methods inline, and misused here. drain-tidy reads the header's bodies as part of
// the translation unit; in the editor, clangd puts the header in its preamble, which skips
// function bodies, and drain-clangd keeps the project's ones (test/tools/clangd-parity.test
// runs this file through both and compares).

#include "conn.h"

//===--- positives --------------------------------------------------------===//

void reply_then_close(HeaderConn &C) {
  C.queue("HTTP/1.1 200 OK\r\n\r\n");
  C.close_now();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'C' is closed by 'close_now' while its write buffer may still hold data [drain-shutdown-before-flush]
}

void HeaderConn::reply_and_close() {
  queue("HTTP/1.1 204 No Content\r\n\r\n");
  ::close(fd_);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the connection is closed while its write buffer may still hold data [drain-shutdown-before-flush]
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
