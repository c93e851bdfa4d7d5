// drainref/connection.h - the reference HTTP/1.1 server connection.
//
// An explicit state machine over one non-blocking stream socket:
//
//   ReadHead -> ReadBody -> Respond -> (keep-alive) ReadHead ...
//                              |
//                              +--> (close) Shutdown -> Linger -> Closed
//
// The rule this class exists to demonstrate: the write side is shut down only
// after poll_flush() returned Poll::Ready, i.e. after the kernel accepted
// every byte of every response. While a flush is Pending the connection
// waits for writability (interest().write) and never reports itself done.
// Compare with reference/twin/, which reproduces hyper's pre-fix dispatcher.
//
// The process must ignore SIGPIPE (writev and sendfile raise it on a reset
// peer); drain-refserver and the tests do.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "drainref/http_parser.h"
#include "drainref/poll.h"
#include "drainref/response.h"

namespace drainref {

enum class ConnState : std::uint8_t {
  ReadHead,  // waiting for (the rest of) a request head
  ReadBody,  // reading a request body (Content-Length or chunked)
  Respond,   // a response is being produced and flushed
  Shutdown,  // no more responses: flush, then shutdown(SHUT_WR)
  Linger,    // write side shut down; read and discard until the peer's EOF
  Closed,    // fd closed
};

const char* to_string(ConnState s) noexcept;

struct ConnectionOptions {
  ParserLimits limits;
  // A connection waiting for a request (keep-alive idle or a slow head/body)
  // is ended after this long without incoming bytes.
  std::chrono::milliseconds idle_timeout{30000};
  // A connection with unsent output is aborted after this long without the
  // kernel accepting a single byte (a reader that never reads).
  std::chrono::milliseconds write_timeout{30000};
  // After shutdown(SHUT_WR), wait at most this long for the peer's EOF before
  // closing (closing with unread input would send RST and could destroy the
  // tail of the response in the peer's receive queue).
  std::chrono::milliseconds linger_timeout{2000};
  // Memory bodies up to this size are copied into the write buffer so that
  // pipelined small responses go out in one send; larger ones are sent from
  // their own storage with writev.
  std::size_t copy_threshold = 16 * 1024;
  // Do not dispatch the next pipelined request, nor pull more of a streamed
  // body, while this many bytes wait in the write buffer.
  std::size_t high_water = 64 * 1024;
  // Maximum chunk size requested from a Stream producer per call is up to the
  // producer; bytes read per read() call:
  std::size_t read_chunk = 16 * 1024;
};

class Connection {
 public:
  using Clock = std::chrono::steady_clock;

  // Takes ownership of `fd` (a connected stream socket). The fd is switched
  // to non-blocking mode.
  Connection(int fd, Handler handler, ConnectionOptions options = {},
             Clock::time_point now = Clock::now());
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Drives the connection as far as it can go without blocking.
  //   Ready   - the connection ended cleanly: every response byte was
  //             flushed, the write side was shut down, the fd is closed.
  //   Pending - wait until interest() is satisfied or deadline() passes,
  //             then call poll() again.
  //   Error   - the connection was aborted (peer reset, write stall, ...);
  //             the fd is closed. error_reason() says why.
  [[nodiscard]] Poll poll(Clock::time_point now = Clock::now());

  [[nodiscard]] Interest interest() const noexcept;
  // poll() must be called again no later than this (timeouts).
  [[nodiscard]] Clock::time_point deadline() const noexcept;

  // Stop serving further requests: the response in flight (if any) is
  // completed and flushed, then the connection shuts down. Call poll() after.
  void begin_graceful_shutdown() noexcept;

  // The steps poll() is made of; public so that tests can drive them one by
  // one. Each returns Ready when its step finished, Pending when it needs
  // socket readiness, Error on a fatal error.
  [[nodiscard]] Poll poll_read();      // read into in_buf_, parse, dispatch
  [[nodiscard]] Poll poll_write();     // encode response bytes into out_buf_
  [[nodiscard]] Poll poll_flush();     // send out_buf_ + body; Ready == all sent
  [[nodiscard]] Poll poll_shutdown();  // poll_flush(), then ::shutdown(SHUT_WR)

  [[nodiscard]] ConnState state() const noexcept { return state_; }
  [[nodiscard]] int fd() const noexcept { return fd_; }
  // Bytes accepted by poll_write() but not yet by the kernel.
  [[nodiscard]] std::uint64_t buffered_bytes() const noexcept;
  [[nodiscard]] std::uint64_t bytes_sent() const noexcept { return bytes_sent_; }
  [[nodiscard]] std::uint64_t responses_completed() const noexcept { return responses_; }
  [[nodiscard]] std::string_view error_reason() const noexcept { return error_reason_; }
  [[nodiscard]] bool write_shut_down() const noexcept { return write_shut_down_; }

 private:
  enum class BodyStep : std::uint8_t { None, Memory, File, Stream, StreamRaw };

  [[nodiscard]] Poll read_some();
  [[nodiscard]] Poll poll_body();
  [[nodiscard]] Poll poll_linger();
  [[nodiscard]] Poll handle_timeouts();
  void dispatch();
  void start_response(Response&& resp, bool head_only);
  void respond_error(int status, std::string_view why);
  void finish_response();
  [[nodiscard]] bool copy_small_file(Body& body);
  [[nodiscard]] bool body_in_flight() const noexcept;
  [[nodiscard]] bool accepting_requests() const noexcept;
  [[nodiscard]] Poll close_clean();
  [[nodiscard]] Poll abort_connection(std::string_view why);
  void abort_fd() noexcept;
  void advance(std::size_t n) noexcept;

  int fd_;
  Handler handler_;
  ConnectionOptions opt_;
  ConnState state_ = ConnState::ReadHead;
  Poll final_ = Poll::Pending;

  // Input.
  std::string in_buf_;
  bool read_closed_ = false;  // peer sent FIN
  Request req_;
  std::optional<ChunkedDecoder> chunked_;

  // Output: response heads, small bodies and chunk framing go through
  // out_buf_; large bodies are sent from body_ without copying.
  std::string out_buf_;
  std::size_t out_pos_ = 0;  // bytes of out_buf_ already sent
  BodyStep body_step_ = BodyStep::None;
  std::shared_ptr<const std::string> body_data_;
  std::size_t body_pos_ = 0;
  UniqueFd file_;
  std::int64_t file_off_ = 0;
  std::uint64_t file_remaining_ = 0;
  Body::Producer producer_;
  bool close_after_ = false;  // this response is the last one
  bool graceful_ = false;
  bool write_shut_down_ = false;
  bool flush_pending_ = false;  // last poll_flush() returned Pending

  // Progress, timers.
  bool progress_ = false;
  Clock::time_point now_;
  Clock::time_point last_read_;
  Clock::time_point last_write_;
  Clock::time_point linger_since_;
  std::uint64_t bytes_sent_ = 0;
  std::uint64_t responses_ = 0;
  std::uint64_t lingered_bytes_ = 0;
  std::string error_reason_;
};

}  // namespace drainref
