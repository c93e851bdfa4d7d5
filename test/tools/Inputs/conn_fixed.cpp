// The fix: a Pending flush is propagated and the socket is shut down only once the write
// buffer is empty.
#include <cerrno>
#include <string>
#include <sys/socket.h>
#include <sys/types.h>

enum class Poll { Ready, Pending, Error };

class Conn {
public:
  explicit Conn(int Fd) : fd_(Fd) {}
  Poll poll_flush() {
    while (!out_.empty()) {
      ssize_t N = ::send(fd_, out_.data(), out_.size(), MSG_NOSIGNAL);
      if (N < 0)
        return errno == EAGAIN ? Poll::Pending : Poll::Error;
      out_.erase(0, static_cast<size_t>(N));
    }
    return Poll::Ready;
  }
  Poll poll_shutdown() {
    if (!out_.empty())
      return Poll::Pending;
    if (::shutdown(fd_, SHUT_WR) != 0)
      return Poll::Error;
    return Poll::Ready;
  }

private:
  int fd_;
  std::string out_;
};

Poll finish(Conn &C) {
  Poll P = C.poll_flush();
  if (P != Poll::Ready)
    return P;
  return C.poll_shutdown();
}
