// DELIBERATELY WRONG CODE - see twin_connection.h. The bug is in poll_loop()
// and shutdown_and_close(); everything else mirrors drainref::Connection.
#include "twin_connection.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <utility>

namespace drainref::twin {

TwinConnection::TwinConnection(int fd, Handler handler) : fd_(fd), handler_(std::move(handler)) {}

TwinConnection::~TwinConnection() {
  if (fd_ >= 0) ::close(fd_);
}

// ---------------------------------------------------------------------------
// THE BUG. Compare drainref::Connection::poll(), which returns Pending when
// poll_flush() is Pending and only shuts down after it returned Ready.
// ---------------------------------------------------------------------------
Poll TwinConnection::poll_loop() {
  for (;;) {
    (void)poll_read();
    (void)poll_write();
    (void)poll_flush();  // BUG: Poll::Pending (data still buffered) is discarded
    if (!wants_read_again()) return Poll::Ready;
  }
}

bool TwinConnection::is_done() const noexcept {
  return (message_done_ && (close_after_ || read_closed_)) || (read_closed_ && !have_request_);
}

void TwinConnection::shutdown_and_close() {
  // BUG: no flush. out_buf_ may still hold megabytes; they are never sent.
  ::shutdown(fd_, SHUT_WR);
  ::close(fd_);
  fd_ = -1;
}

Interest TwinConnection::interest() const noexcept {
  Interest i;
  i.read = !have_request_ && !read_closed_;
  i.write = out_pos_ < out_buf_.size();
  return i;
}

Poll TwinConnection::poll_read() {
  read_again_ = false;
  if (message_done_ && !close_after_ && out_pos_ == out_buf_.size()) {
    // keep-alive: the previous response is flushed, accept the next request
    have_request_ = false;
    message_done_ = false;
  }
  if (have_request_ || read_closed_) return Poll::Ready;
  char buf[16 * 1024];
  const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
  if (n == 0) {
    read_closed_ = true;
    return Poll::Ready;
  }
  if (n < 0) {
    return (errno == EAGAIN || errno == EWOULDBLOCK) ? Poll::Pending : Poll::Error;
  }
  in_buf_.append(buf, static_cast<std::size_t>(n));
  const ParseResult pr = parse_request_head(in_buf_, req_);
  if (pr.status == ParseStatus::Incomplete) {
    read_again_ = true;  // more of the head may be waiting
    return Poll::Pending;
  }
  have_request_ = true;
  if (pr.status == ParseStatus::Error) {
    close_after_ = true;
    resp_ = Response::simple(pr.error_status, std::string(reason_phrase(pr.error_status)) + "\n");
  } else {
    in_buf_.erase(0, pr.consumed);  // request bodies are not supported by the twin
    close_after_ = !req_.keep_alive || req_.content_length > 0 || req_.chunked;
    resp_ = handler_(req_);
  }
  return Poll::Ready;
}

Poll TwinConnection::poll_write() {
  if (!have_request_ || message_done_) return Poll::Ready;
  // Like hyper, the whole response is copied into the write buffer; from here
  // on the message counts as written.
  const bool head_only = req_.method == Method::Head;
  if (resp_.body.kind() == Body::Kind::Stream || resp_.body.kind() == Body::Kind::File) {
    return Poll::Error;  // not needed by the twin's tests
  }
  out_buf_ += "HTTP/1.1 " + std::to_string(resp_.status) + " " + reason_phrase(resp_.status) + "\r\n";
  for (const Header& h : resp_.headers) out_buf_ += h.name + ": " + h.value + "\r\n";
  out_buf_ += "Content-Length: " + std::to_string(resp_.body.size()) + "\r\n";
  if (close_after_) out_buf_ += "Connection: close\r\n";
  out_buf_ += "\r\n";
  if (!head_only && resp_.body.kind() == Body::Kind::Memory) out_buf_ += *resp_.body.memory();
  resp_ = Response{};
  message_done_ = true;
  return Poll::Ready;
}

Poll TwinConnection::poll_flush() {
  while (out_pos_ < out_buf_.size()) {
    const ssize_t n = ::send(fd_, out_buf_.data() + out_pos_, out_buf_.size() - out_pos_, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return (errno == EAGAIN || errno == EWOULDBLOCK) ? Poll::Pending : Poll::Error;
    }
    out_pos_ += static_cast<std::size_t>(n);
  }
  out_buf_.clear();
  out_pos_ = 0;
  return Poll::Ready;
}

}  // namespace drainref::twin
