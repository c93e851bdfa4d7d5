// The hyper bug in a few lines: poll_flush()'s Poll::Pending is thrown away, the message is
// reported done and the socket is shut down with the write buffer still full.
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
    ::shutdown(fd_, SHUT_WR);
    return Poll::Ready;
  }

private:
  int fd_;
  std::string out_;
};

Poll finish(Conn &C) {
  (void)C.poll_flush();
  return C.poll_shutdown();
}
