// A project's own connection class in a project header (not a system header: the test adds
// this directory with -I), its methods defined inline. What drain knows of it comes from
// here: it owns a write buffer and a socket, queue() writes to it, poll_flush() drains it and
// says whether it finished, close_now() ends it without flushing.
#ifndef DRAIN_TEST_SBF_CONN_H
#define DRAIN_TEST_SBF_CONN_H

#include <cstddef>
#include <string>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

enum class Poll { Ready, Pending };

class HeaderConn {
public:
  explicit HeaderConn(int Fd) : fd_(Fd) {}
  void queue(const char *S) { out_buf_.append(S); }
  Poll poll_flush() {
    while (!out_buf_.empty()) {
      ssize_t N = ::send(fd_, out_buf_.data(), out_buf_.size(), MSG_NOSIGNAL);
      if (N < 0)
        return Poll::Pending;
      out_buf_.erase(0, static_cast<size_t>(N));
    }
    return Poll::Ready;
  }
  void close_now() { ::close(fd_); }
  // Defined in the file that includes this header.
  void reply_and_close();
  Poll reply_flush_and_close();

private:
  int fd_;
  std::string out_buf_;
};

#endif
