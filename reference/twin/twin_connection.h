// ============================================================================
//  DELIBERATELY WRONG CODE - the buggy twin of drainref::Connection.
//  Built only for tests (reference/harness, curl and strace tests, and the
//  drain checker's tests). Never use it to serve anything.
//
//  It is a C++ port of hyper's HTTP/1 dispatcher before the 2026 fix:
//  poll_loop() discards the result of poll_flush() (hyper: `let _ =
//  self.poll_flush(cx)?;`), so Poll::Pending - "the write buffer still holds
//  data" - is lost, the loop reports the message done, and the caller shuts
//  the socket down while out_buf_ still holds most of the response.
// ============================================================================
#pragma once

#include <cstddef>
#include <string>

#include "drainref/http_parser.h"
#include "drainref/poll.h"
#include "drainref/response.h"

namespace drainref::twin {

class TwinConnection {
 public:
  TwinConnection(int fd, Handler handler);
  ~TwinConnection();
  TwinConnection(const TwinConnection&) = delete;
  TwinConnection& operator=(const TwinConnection&) = delete;

  // hyper's poll_loop, with the bug. Returns Ready as soon as there is
  // nothing more to read - whether or not the flush finished.
  Poll poll_loop();

  // True once the response was handed to out_buf_ and the connection should
  // close (Connection: close, HTTP/1.0, an error, or the peer's EOF).
  [[nodiscard]] bool is_done() const noexcept;
  // The completion path: shuts the socket down and closes it, bypassing
  // whatever is left in out_buf_. This is where the bytes are lost.
  void shutdown_and_close();

  [[nodiscard]] Interest interest() const noexcept;
  [[nodiscard]] int fd() const noexcept { return fd_; }
  [[nodiscard]] std::size_t buffered_bytes() const noexcept { return out_buf_.size() - out_pos_; }

  Poll poll_read();
  Poll poll_write();
  Poll poll_flush();
  [[nodiscard]] bool wants_read_again() const noexcept { return read_again_; }

 private:
  int fd_;
  Handler handler_;
  std::string in_buf_;
  std::string out_buf_;
  std::size_t out_pos_ = 0;
  Request req_;
  bool have_request_ = false;
  bool message_done_ = false;
  bool close_after_ = false;
  bool read_closed_ = false;
  bool read_again_ = false;
  Response resp_;
};

}  // namespace drainref::twin
