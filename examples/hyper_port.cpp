// A C++ port of hyper's HTTP/1 dispatcher before the 2026 fix, carrying its bug on purpose.
//
// poll_loop() throws away poll_flush()'s Poll::Pending ("socket full, bytes still buffered"),
// reports the message done, and the caller shuts the socket down while the write buffer still
// holds the rest of the body: a 15 MB response arrives as 219 KB with "200 OK".
//
//   ./dev.sh demo      runs drain-tidy on this file
#include <cerrno>
#include <string>
#include <sys/socket.h>
#include <sys/types.h>

enum class Poll { Ready, Pending, Error };

class Conn {
public:
  explicit Conn(int Fd) : fd_(Fd) {}

  Poll poll_read() { return Poll::Ready; }

  // Encodes the whole response into the write buffer.
  Poll poll_write() {
    out_buf_.append("HTTP/1.1 200 OK\r\nContent-Length: 14991808\r\n\r\n");
    out_buf_.append(14991808, 'x');
    return Poll::Ready;
  }

  // Moves the write buffer into the socket; Pending while the socket is full.
  Poll poll_flush() {
    while (!out_buf_.empty()) {
      ssize_t n = ::send(fd_, out_buf_.data(), out_buf_.size(), MSG_NOSIGNAL);
      if (n < 0)
        return errno == EAGAIN ? Poll::Pending : Poll::Error;
      out_buf_.erase(0, static_cast<size_t>(n));
    }
    return Poll::Ready;
  }

  bool wants_read_again() const { return false; }

  // The completion: ends the write side whatever the buffer still holds.
  Poll poll_shutdown() {
    ::shutdown(fd_, SHUT_WR);
    return Poll::Ready;
  }

private:
  int fd_;
  std::string out_buf_;
};

class Dispatcher {
public:
  explicit Dispatcher(int Fd) : conn_(Fd) {}

  Poll poll_loop() {
    for (;;) {
      (void)conn_.poll_read();
      (void)conn_.poll_write();
      (void)conn_.poll_flush(); // hyper: `let _ = self.poll_flush(cx)?;`
      if (!conn_.wants_read_again())
        return Poll::Ready;
    }
  }

  Poll poll_inner() {
    if (poll_loop() == Poll::Pending)
      return Poll::Pending;
    return conn_.poll_shutdown();
  }

private:
  Conn conn_;
};

int main() {
  Dispatcher D(3);
  return D.poll_inner() == Poll::Ready ? 0 : 1;
}
