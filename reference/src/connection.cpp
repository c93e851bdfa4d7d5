// The reference HTTP/1.1 server connection. See connection.h for the state
// machine. Every send result is compared with the length asked for (the
// buffer is advanced by exactly what the kernel accepted), EAGAIN is
// Poll::Pending, and the only ::shutdown() is in poll_shutdown(), behind a
// poll_flush() that returned Poll::Ready.
#include "drainref/connection.h"

#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>
#include <utility>

namespace drainref {
namespace {

constexpr std::size_t kMaxSendfileChunk = std::size_t{1} << 20;
constexpr std::uint64_t kMaxLingerBytes = std::uint64_t{1} << 20;

bool header_is_safe(const Header& h) {
  auto bad = [](char c) { return c == '\r' || c == '\n' || c == '\0'; };
  return !h.name.empty() && std::none_of(h.name.begin(), h.name.end(), bad) &&
         std::none_of(h.value.begin(), h.value.end(), bad);
}

bool framing_header(std::string_view name) {
  return iequals(name, "content-length") || iequals(name, "transfer-encoding") ||
         iequals(name, "connection");
}

std::string errno_text(const char* what, int err) {
  return std::string(what) + ": " + std::strerror(err);
}

}  // namespace

const char* to_string(ConnState s) noexcept {
  switch (s) {
    case ConnState::ReadHead: return "ReadHead";
    case ConnState::ReadBody: return "ReadBody";
    case ConnState::Respond: return "Respond";
    case ConnState::Shutdown: return "Shutdown";
    case ConnState::Linger: return "Linger";
    case ConnState::Closed: return "Closed";
  }
  return "?";
}

Connection::Connection(int fd, Handler handler, ConnectionOptions options, Clock::time_point now)
    : fd_(fd),
      handler_(std::move(handler)),
      opt_(std::move(options)),
      now_(now),
      last_read_(now),
      last_write_(now),
      linger_since_(now) {
  const int flags = ::fcntl(fd_, F_GETFL, 0);
  if (flags < 0 || ::fcntl(fd_, F_SETFL, flags | O_NONBLOCK) != 0) {
    const int err = errno;
    abort_fd();
    throw std::system_error(err, std::generic_category(), "fcntl(O_NONBLOCK)");
  }
}

Connection::~Connection() {
  if (fd_ >= 0) abort_fd();
}

std::uint64_t Connection::buffered_bytes() const noexcept {
  std::uint64_t n = out_buf_.size() - out_pos_;
  if (body_step_ == BodyStep::Memory && body_data_) n += body_data_->size() - body_pos_;
  if (body_step_ == BodyStep::File) n += file_remaining_;
  return n;
}

bool Connection::body_in_flight() const noexcept { return body_step_ != BodyStep::None; }

bool Connection::accepting_requests() const noexcept {
  return !body_in_flight() && out_buf_.size() - out_pos_ <= opt_.high_water;
}

Interest Connection::interest() const noexcept {
  Interest i;
  if (state_ == ConnState::Closed) return i;
  i.write = flush_pending_;
  switch (state_) {
    case ConnState::ReadHead: i.read = !read_closed_ && accepting_requests(); break;
    case ConnState::ReadBody: i.read = !read_closed_; break;
    case ConnState::Linger: i.read = !read_closed_; break;
    case ConnState::Respond:
    case ConnState::Shutdown:
    case ConnState::Closed: break;
  }
  return i;
}

Connection::Clock::time_point Connection::deadline() const noexcept {
  auto tp = Clock::time_point::max();
  if (state_ == ConnState::Closed) return tp;
  if (flush_pending_) tp = std::min(tp, last_write_ + opt_.write_timeout);
  if (state_ == ConnState::Linger) tp = std::min(tp, linger_since_ + opt_.linger_timeout);
  if ((state_ == ConnState::ReadHead || state_ == ConnState::ReadBody) && !flush_pending_) {
    tp = std::min(tp, last_read_ + opt_.idle_timeout);
  }
  return tp;
}

void Connection::begin_graceful_shutdown() noexcept {
  graceful_ = true;
  if (state_ == ConnState::Respond || state_ == ConnState::ReadBody) close_after_ = true;
}

// ---------------------------------------------------------------------------
// The driver. This is hyper's poll_loop, with the flush result honoured.
// ---------------------------------------------------------------------------
Poll Connection::poll(Clock::time_point now) {
  now_ = now;
  if (state_ == ConnState::Closed) return final_;
  const Poll t = handle_timeouts();
  if (t == Poll::Ready || t == Poll::Error) return t;  // the timeout ended the connection

  for (;;) {
    progress_ = false;

    const Poll r = poll_read();
    if (r == Poll::Error) return abort_connection(error_reason_);

    const Poll w = poll_write();
    if (w == Poll::Error) return abort_connection(error_reason_);

    const bool produced = progress_;  // read or write steps moved something
    const Poll f = poll_flush();
    if (f == Poll::Error) return abort_connection(error_reason_);
    // Pending: the socket is full. Nothing new was produced this round, so
    // there is nothing to do but wait for EPOLLOUT (in state Shutdown too:
    // poll_shutdown() would only see the same Pending).
    if (f == Poll::Pending && !produced) return Poll::Pending;

    if (state_ == ConnState::Shutdown) {
      // poll_shutdown() flushes first: Pending means data is still buffered
      // and we wait for EPOLLOUT; the connection is NOT finished.
      const Poll s = poll_shutdown();
      if (s == Poll::Pending) return Poll::Pending;
      if (s == Poll::Error) return abort_connection(error_reason_);
      // Ready: write buffer confirmed empty, SHUT_WR sent, now lingering.
    }

    if (state_ == ConnState::Linger) {
      const Poll l = poll_linger();
      if (l == Poll::Pending) return Poll::Pending;
      return close_clean();  // peer EOF (or reset, or enough discarded)
    }

    if (!progress_) return Poll::Pending;  // f was Pending or nothing to do
  }
}

Poll Connection::handle_timeouts() {
  if (flush_pending_ && now_ - last_write_ >= opt_.write_timeout) {
    return abort_connection("write stall: the peer stopped reading");
  }
  if (state_ == ConnState::Linger && now_ - linger_since_ >= opt_.linger_timeout) {
    return close_clean();
  }
  if ((state_ == ConnState::ReadHead || state_ == ConnState::ReadBody) && !flush_pending_ &&
      now_ - last_read_ >= opt_.idle_timeout) {
    if (state_ == ConnState::ReadHead && in_buf_.empty()) {
      state_ = ConnState::Shutdown;  // idle keep-alive connection: end it cleanly
    } else {
      respond_error(408, "request not received in time");
    }
  }
  return Poll::Pending;
}

// ---------------------------------------------------------------------------
// Reading and parsing.
// ---------------------------------------------------------------------------
Poll Connection::read_some() {
  const std::size_t old = in_buf_.size();
  in_buf_.resize(old + opt_.read_chunk);
  const ssize_t n = ::recv(fd_, in_buf_.data() + old, opt_.read_chunk, 0);
  if (n > 0) {
    in_buf_.resize(old + static_cast<std::size_t>(n));
    last_read_ = now_;
    progress_ = true;
    return Poll::Ready;
  }
  in_buf_.resize(old);
  if (n == 0) {
    read_closed_ = true;
    progress_ = true;
    return Poll::Ready;
  }
  const int err = errno;
  if (err == EINTR) return Poll::Ready;
  if (err == EAGAIN || err == EWOULDBLOCK) return Poll::Pending;
  error_reason_ = errno_text("recv", err);
  return Poll::Error;
}

Poll Connection::poll_read() {
  for (;;) {
    if (state_ == ConnState::ReadHead) {
      if (!accepting_requests()) return Poll::Pending;  // backpressure: flush first
      if (!in_buf_.empty()) {
        const ParseResult pr = parse_request_head(in_buf_, req_, opt_.limits);
        if (pr.status == ParseStatus::Error) {
          respond_error(pr.error_status, pr.error_reason);
          return Poll::Ready;
        }
        if (pr.status == ParseStatus::Complete) {
          in_buf_.erase(0, pr.consumed);
          progress_ = true;
          if (!req_.chunked && req_.content_length == 0) {
            dispatch();
            return Poll::Ready;
          }
          if (req_.chunked) chunked_.emplace(opt_.limits.max_body_bytes);
          state_ = ConnState::ReadBody;
          const auto expect = req_.header("expect");
          if (expect && iequals(*expect, "100-continue") && req_.version_minor == 1 &&
              in_buf_.empty()) {
            out_buf_ += "HTTP/1.1 100 Continue\r\n\r\n";
          }
          continue;
        }
      }
      if (read_closed_) {
        // The peer finished sending; a partial request can never complete.
        in_buf_.clear();
        state_ = ConnState::Shutdown;
        progress_ = true;
        return Poll::Ready;
      }
      if (graceful_ && in_buf_.empty()) {
        state_ = ConnState::Shutdown;
        progress_ = true;
        return Poll::Ready;
      }
      const Poll r = read_some();
      if (r != Poll::Ready) return r;
      continue;
    }

    if (state_ == ConnState::ReadBody) {
      const Poll b = poll_body();
      if (b != Poll::Pending) return b;
      if (read_closed_) {
        respond_error(400, "request body ended early");
        return Poll::Ready;
      }
      const Poll r = read_some();
      if (r != Poll::Ready) return r;
      continue;
    }

    return Poll::Ready;  // no input wanted in this state
  }
}

// Moves request body bytes from in_buf_ into req_.body. Ready once the body
// is complete and the request dispatched; Pending when more input is needed.
Poll Connection::poll_body() {
  if (chunked_) {
    const ChunkedDecoder::Result res = chunked_->feed(in_buf_, req_.body);
    in_buf_.erase(0, res.consumed);
    if (res.consumed > 0) progress_ = true;
    if (res.status == ParseStatus::Error) {
      respond_error(res.error_status, "malformed chunked request body");
      return Poll::Ready;
    }
    if (res.status == ParseStatus::Incomplete) return Poll::Pending;
    chunked_.reset();
    dispatch();
    return Poll::Ready;
  }
  const std::uint64_t need = req_.content_length - req_.body.size();
  const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(need, in_buf_.size()));
  if (take > 0) {
    req_.body.append(in_buf_, 0, take);
    in_buf_.erase(0, take);
    progress_ = true;
  }
  if (req_.body.size() < req_.content_length) return Poll::Pending;
  dispatch();
  return Poll::Ready;
}

// ---------------------------------------------------------------------------
// Producing responses.
// ---------------------------------------------------------------------------
void Connection::dispatch() {
  Response resp;
  try {
    resp = handler_(req_);
  } catch (const std::exception& e) {
    resp = Response::simple(500, std::string("handler failed: ") + e.what() + "\n");
  }
  start_response(std::move(resp), req_.method == Method::Head);
}

void Connection::respond_error(int status, std::string_view why) {
  // After a protocol error the byte stream cannot be trusted: answer, then
  // close (after flushing the answer), discarding further input.
  in_buf_.clear();
  chunked_.reset();
  close_after_ = true;
  std::string text = std::to_string(status) + " " + reason_phrase(status) + ": ";
  text.append(why);
  text += "\n";
  start_response(Response::simple(status, std::move(text)), false);
}

void Connection::start_response(Response&& resp, bool head_only) {
  if (!req_.keep_alive || graceful_) close_after_ = true;
  const bool no_body_status = resp.status == 204 || resp.status == 304 ||
                              (resp.status >= 100 && resp.status < 200);
  const Body::Kind kind = resp.body.kind();
  const bool chunked = kind == Body::Kind::Stream && req_.version_minor == 1;
  if (kind == Body::Kind::Stream && !chunked) close_after_ = true;  // HTTP/1.0: close-delimited

  if (out_pos_ > 0 && out_pos_ >= out_buf_.size() / 2) {  // compact the write buffer
    out_buf_.erase(0, out_pos_);
    out_pos_ = 0;
  }
  out_buf_ += "HTTP/1.1 ";
  out_buf_ += std::to_string(resp.status);
  out_buf_ += ' ';
  out_buf_ += reason_phrase(resp.status);
  out_buf_ += "\r\n";
  for (const Header& h : resp.headers) {
    if (!header_is_safe(h) || framing_header(h.name)) continue;
    out_buf_ += h.name;
    out_buf_ += ": ";
    out_buf_ += h.value;
    out_buf_ += "\r\n";
  }
  if (!no_body_status) {
    if (chunked) {
      out_buf_ += "Transfer-Encoding: chunked\r\n";
    } else if (kind != Body::Kind::Stream) {
      out_buf_ += "Content-Length: ";
      out_buf_ += std::to_string(resp.body.size());
      out_buf_ += "\r\n";
    }
  }
  if (close_after_) {
    out_buf_ += "Connection: close\r\n";
  } else if (req_.version_minor == 0) {
    out_buf_ += "Connection: keep-alive\r\n";
  }
  out_buf_ += "\r\n";

  body_step_ = BodyStep::None;
  if (!head_only && !no_body_status) {
    switch (kind) {
      case Body::Kind::Empty: break;
      case Body::Kind::Memory:
        if (resp.body.data_->size() <= opt_.copy_threshold) {
          out_buf_ += *resp.body.data_;  // small: batch with the head
        } else {
          body_data_ = std::move(resp.body.data_);  // large: sent from its own storage
          body_pos_ = 0;
          body_step_ = BodyStep::Memory;
        }
        break;
      case Body::Kind::File:
        if (resp.body.file_length_ <= opt_.copy_threshold && copy_small_file(resp.body)) {
          break;  // small file: read into out_buf_ behind its head, one send
        }
        if (resp.body.file_length_ > 0) {
          file_ = std::move(resp.body.file_);
          file_off_ = static_cast<std::int64_t>(resp.body.file_offset_);
          file_remaining_ = resp.body.file_length_;
          body_step_ = BodyStep::File;
        }
        break;
      case Body::Kind::Stream:
        producer_ = std::move(resp.body.producer_);
        body_step_ = chunked ? BodyStep::Stream : BodyStep::StreamRaw;
        break;
    }
  }
  state_ = ConnState::Respond;
  progress_ = true;
}

bool Connection::copy_small_file(Body& body) {
  const std::size_t len = static_cast<std::size_t>(body.file_length_);
  const std::size_t old = out_buf_.size();
  out_buf_.resize(old + len);
  std::size_t got = 0;
  while (got < len) {
    const ssize_t n = ::pread(body.file_.get(), out_buf_.data() + old + got, len - got,
                              static_cast<off_t>(body.file_offset_ + got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  if (got != len) {  // could not read it whole: fall back to sendfile
    out_buf_.resize(old);
    return false;
  }
  body.file_.reset();
  return true;
}

void Connection::finish_response() {
  body_step_ = BodyStep::None;
  body_data_.reset();
  body_pos_ = 0;
  file_.reset();
  producer_ = nullptr;
  req_ = Request{};
  ++responses_;
  last_read_ = now_;  // the idle clock starts when the response is complete
  state_ = (close_after_ || graceful_) ? ConnState::Shutdown : ConnState::ReadHead;
  progress_ = true;
}

Poll Connection::poll_write() {
  if (state_ != ConnState::Respond) return Poll::Ready;
  switch (body_step_) {
    case BodyStep::None:
      finish_response();
      return Poll::Ready;
    case BodyStep::Memory:
      if (body_pos_ == body_data_->size()) finish_response();  // poll_flush sent it all
      return Poll::Ready;
    case BodyStep::File:
      if (file_remaining_ == 0) finish_response();
      return Poll::Ready;
    case BodyStep::Stream:
    case BodyStep::StreamRaw:
      break;
  }
  std::string chunk;
  while (out_buf_.size() - out_pos_ < opt_.high_water) {
    chunk.clear();
    bool more = false;
    try {
      more = producer_(chunk);
    } catch (const std::exception& e) {
      error_reason_ = std::string("body producer failed: ") + e.what();
      return Poll::Error;  // cannot finish the response: abort, never a clean end
    }
    if (!chunk.empty()) {
      if (body_step_ == BodyStep::Stream) {
        char size_line[32];
        const int len = std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
        out_buf_.append(size_line, static_cast<std::size_t>(len));
        out_buf_ += chunk;
        out_buf_ += "\r\n";
      } else {
        out_buf_ += chunk;
      }
      progress_ = true;
    }
    if (more && chunk.empty()) {
      // Producers are synchronous: "more, but nothing now" would spin forever.
      error_reason_ = "body producer returned an empty chunk without ending the body";
      return Poll::Error;
    }
    if (!more) {
      if (body_step_ == BodyStep::Stream) out_buf_ += "0\r\n\r\n";
      finish_response();
      return Poll::Ready;
    }
  }
  return Poll::Pending;  // the buffer is above high water: wait for the flush
}

// ---------------------------------------------------------------------------
// Flushing and shutting down.
// ---------------------------------------------------------------------------
void Connection::advance(std::size_t n) noexcept {
  const std::size_t from_out = std::min(n, out_buf_.size() - out_pos_);
  out_pos_ += from_out;
  body_pos_ += n - from_out;  // only a memory body follows out_buf_ in writev
}

Poll Connection::poll_flush() {
  if (fd_ < 0) return Poll::Error;
  for (;;) {
    const std::size_t out_len = out_buf_.size() - out_pos_;
    const std::size_t body_len =
        body_step_ == BodyStep::Memory ? body_data_->size() - body_pos_ : std::size_t{0};
    if (out_len == 0 && out_pos_ > 0) {
      out_buf_.clear();
      out_pos_ = 0;
    }

    ssize_t n = 0;
    std::size_t asked = 0;
    if (out_len > 0 && body_len > 0) {
      iovec iov[2];
      iov[0].iov_base = out_buf_.data() + out_pos_;
      iov[0].iov_len = out_len;
      iov[1].iov_base = const_cast<char*>(body_data_->data() + body_pos_);
      iov[1].iov_len = body_len;
      asked = out_len + body_len;
      n = ::writev(fd_, iov, 2);
    } else if (out_len > 0) {
      asked = out_len;
      // MSG_MORE: a file body follows, let the head share its first packet
      const int more = body_step_ == BodyStep::File && file_remaining_ > 0 ? MSG_MORE : 0;
      n = ::send(fd_, out_buf_.data() + out_pos_, out_len, MSG_NOSIGNAL | more);
    } else if (body_len > 0) {
      asked = body_len;
      n = ::send(fd_, body_data_->data() + body_pos_, body_len, MSG_NOSIGNAL);
    } else if (body_step_ == BodyStep::File && file_remaining_ > 0) {
      asked = static_cast<std::size_t>(std::min<std::uint64_t>(file_remaining_, kMaxSendfileChunk));
      off_t off = static_cast<off_t>(file_off_);
      n = ::sendfile(fd_, file_.get(), &off, asked);
      if (n == 0) {
        error_reason_ = "file shorter than its Content-Length";
        return Poll::Error;
      }
      if (n > 0) {
        file_off_ = off;
        file_remaining_ -= static_cast<std::uint64_t>(n);
        bytes_sent_ += static_cast<std::uint64_t>(n);
        last_write_ = now_;
        progress_ = true;
        continue;
      }
    } else {
      flush_pending_ = false;
      return Poll::Ready;  // everything written so far is in the kernel
    }

    if (n < 0) {
      const int err = errno;
      if (err == EINTR) continue;
      if (err == EAGAIN || err == EWOULDBLOCK) {
        if (!flush_pending_) last_write_ = now_;  // the write-stall clock starts now
        flush_pending_ = true;
        return Poll::Pending;
      }
      error_reason_ = errno_text("send", err);
      return Poll::Error;
    }
    const auto sent = static_cast<std::size_t>(n);
    // A short write (sent < asked) leaves the rest in the buffer: advance by
    // exactly what the kernel took and loop; the next call reports EAGAIN.
    advance(sent <= asked ? sent : asked);
    bytes_sent_ += sent;
    last_write_ = now_;
    progress_ = true;
  }
}

Poll Connection::poll_shutdown() {
  if (write_shut_down_) return Poll::Ready;
  if (body_step_ == BodyStep::Stream || body_step_ == BodyStep::StreamRaw) {
    error_reason_ = "shutdown requested in the middle of a streamed body";
    return Poll::Error;
  }
  const Poll f = poll_flush();
  if (f == Poll::Pending) return Poll::Pending;  // data still buffered: not yet
  if (f == Poll::Error) return Poll::Error;
  // f == Poll::Ready: out_buf_ is empty and every body byte was sent.
  if (state_ == ConnState::Respond) finish_response();
  if (::shutdown(fd_, SHUT_WR) != 0) {
    error_reason_ = errno_text("shutdown", errno);
    return Poll::Error;
  }
  write_shut_down_ = true;
  state_ = ConnState::Linger;
  linger_since_ = now_;
  progress_ = true;
  return Poll::Ready;
}

Poll Connection::poll_linger() {
  if (read_closed_) return Poll::Ready;
  char scratch[4096];
  for (;;) {
    const ssize_t n = ::recv(fd_, scratch, sizeof scratch, 0);
    if (n > 0) {
      lingered_bytes_ += static_cast<std::uint64_t>(n);
      if (lingered_bytes_ > kMaxLingerBytes) return Poll::Ready;
      continue;
    }
    if (n == 0) {
      read_closed_ = true;
      return Poll::Ready;
    }
    const int err = errno;
    if (err == EINTR) continue;
    if (err == EAGAIN || err == EWOULDBLOCK) return Poll::Pending;
    return Poll::Ready;  // reset by the peer: nothing left to wait for
  }
}

Poll Connection::close_clean() {
  // Reached from Linger only: poll_shutdown() saw poll_flush() == Ready.
  const int fd = std::exchange(fd_, -1);
  state_ = ConnState::Closed;
  final_ = Poll::Ready;
  if (::close(fd) != 0 && errno != EINTR) {
    error_reason_ = errno_text("close", errno);
  }
  return final_;
}

void Connection::abort_fd() noexcept {
  // Deliberate abort: the buffered output is discarded on purpose, and the
  // socket is reset (SO_LINGER 0) so that the peer sees an error rather than
  // an orderly end that could be mistaken for a complete response.
  out_buf_.clear();
  out_pos_ = 0;
  body_data_.reset();
  file_.reset();
  producer_ = nullptr;
  body_step_ = BodyStep::None;
  flush_pending_ = false;
  state_ = ConnState::Closed;
  final_ = Poll::Error;
  if (fd_ < 0) return;
  const linger lg{1, 0};
  if (::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) != 0) {
    // not a socket or not supported (AF_UNIX ignores it); closing anyway
  }
  const int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) {
    // nothing more to do for an aborted connection
  }
}

Poll Connection::abort_connection(std::string_view why) {
  if (why.data() != error_reason_.data()) error_reason_ = std::string(why);
  abort_fd();
  return Poll::Error;
}

}  // namespace drainref
