// RUN: %check_drain -std=c++17 %s drain-ignored-completion-error %t
// A write's failure, told apart from "again", that is then told to no one (evpp's
// TCPConn::SendInLoop before cf22e86: a failed ::send() set a local `write_error` that only
// skipped queueing the rest; the function returned, the connection stayed open and neither
// the caller nor the connection's callbacks learned the data was never sent). Silent: a
// failure that closes, records the error in the connection, hands it to a handler or a
// callback, throws, answers a failure, queues the data again or shuts the socket down so the
// read side sees the end; a blocking write whose failure is not told apart from "again"; a
// best-effort wake-up.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#define LOG_ERROR std::fprintf(stderr, "error: ")
#define ERR_RW_RETRIABLE(e) ((e) == EINTR || (e) == EAGAIN)

struct Buffer {
  void Append(const char *p, size_t n) { data.append(p, n); }
  size_t length() const { return data.size(); }
  std::string data;
};

class Conn {
public:
  enum Status { kConnected, kError, kDisconnected };
  void SendInLoop(const char *data, size_t len);
  void SendFixed(const char *data, size_t len);
  void SendQuiet(const char *data, size_t len);
  bool SendReport(const char *data, size_t len);
  int SendAnswer(const char *data, size_t len);
  void SendMarked(const char *data, size_t len);
  void SendRequeued(const char *data, size_t len);
  void SendThrowing(const char *data, size_t len);
  void SendToHandler(const char *data, size_t len);
  void SendCallback(const char *data, size_t len);
  void SendShutdown(const char *data, size_t len);
  int SendFailing(const char *data, size_t len);
  void SendBlocking(const char *data, size_t len);
  void Wakeup();
  void SendErrorReply(int code);
  ~Conn();
  void HandleClose();
  void HandleError(int err);

private:
  int fd_ = -1;
  int wakeup_fd_ = -1;
  Status status_ = kConnected;
  Buffer output_buffer_;
  bool writing_ = false;
  std::function<void(int)> error_fn_;
};

//===--- positives --------------------------------------------------------===//

// evpp's shape: the failure is kept in a local flag that only skips queueing the rest.
void Conn::SendInLoop(const char *data, size_t len) {
  ssize_t nwritten = 0;
  size_t remaining = len;
  bool write_error = false;
  if (output_buffer_.length() == 0) {
    nwritten = ::send(fd_, data, len, 0);
    if (nwritten >= 0) {
      remaining = len - nwritten;
    } else {
      int serrno = errno;
      nwritten = 0;
      if (!ERR_RW_RETRIABLE(serrno)) {
        LOG_ERROR;
        if (serrno == EPIPE || serrno == ECONNRESET) {
          write_error = true;
          // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: 'SendInLoop' notices that 'send' failed and tells no one: it returns normally, and no path after the failure closes the connection, records the error or returns it [drain-ignored-completion-error]
        }
      }
    }
  }
  if (!write_error && remaining > 0)
    output_buffer_.Append(data + nwritten, remaining);
}

// The failure is logged and the function goes on as if the data had been sent.
void Conn::SendQuiet(const char *data, size_t len) {
  ssize_t n = ::send(fd_, data, len, MSG_NOSIGNAL);
  if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'SendQuiet' notices that 'send' failed and tells no one: it returns normally, and no path after the failure closes the connection, records the error or returns it [drain-ignored-completion-error]
    std::perror("send");
    return;
  }
  if (n >= 0 && size_t(n) < len)
    output_buffer_.Append(data + n, len - size_t(n));
}

// The failure answers what the success answers.
bool Conn::SendReport(const char *data, size_t len) {
  ssize_t n = ::write(fd_, data, len);
  if (n == -1) {
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'SendReport' notices that 'write' failed and tells no one: it returns normally, and no path after the failure closes the connection, records the error or returns it [drain-ignored-completion-error]
    if (errno == EAGAIN)
      output_buffer_.Append(data, len);
    return true;
  }
  if (size_t(n) < len)
    output_buffer_.Append(data + n, len - size_t(n));
  return true;
}

//===--- negatives --------------------------------------------------------===//

// evpp's fix: the failure closes the connection through its close handler.
void Conn::SendFixed(const char *data, size_t len) {
  ssize_t nwritten = 0;
  size_t remaining = len;
  bool write_error = false;
  if (output_buffer_.length() == 0) {
    nwritten = ::send(fd_, data, len, 0);
    if (nwritten >= 0) {
      remaining = len - nwritten;
    } else {
      int serrno = errno;
      nwritten = 0;
      if (!ERR_RW_RETRIABLE(serrno)) {
        LOG_ERROR;
        if (serrno == EPIPE || serrno == ECONNRESET)
          write_error = true;
      }
    }
  }
  if (write_error) {
    HandleClose();
    return;
  }
  if (remaining > 0)
    output_buffer_.Append(data + nwritten, remaining);
}

// The failure answers the caller.
int Conn::SendAnswer(const char *data, size_t len) {
  ssize_t n = ::send(fd_, data, len, MSG_NOSIGNAL);
  if (n < 0) {
    if (errno == EAGAIN || errno == EINTR)
      return 0;
    std::perror("send");
    return -1;
  }
  return int(n);
}

// The failure is recorded in the connection; its event loop closes it.
void Conn::SendMarked(const char *data, size_t len) {
  ssize_t n = ::send(fd_, data, len, MSG_NOSIGNAL);
  if (n < 0 && errno != EAGAIN) {
    std::perror("send");
    status_ = kError;
    return;
  }
  writing_ = n >= 0 && size_t(n) < len;
}

// Another error keeps the data for the writable event, which sees the error again.
void Conn::SendRequeued(const char *data, size_t len) {
  ssize_t n = ::send(fd_, data, len, MSG_NOSIGNAL);
  if (n < 0) {
    if (errno != EAGAIN)
      std::perror("send");
    n = 0;
  }
  output_buffer_.Append(data + n, len - size_t(n));
}

// The failure throws.
void Conn::SendThrowing(const char *data, size_t len) {
  ssize_t n = ::send(fd_, data, len, MSG_NOSIGNAL);
  if (n < 0 && errno != EWOULDBLOCK)
    throw std::runtime_error(std::strerror(errno));
}

// The failure goes to the error handler.
void Conn::SendToHandler(const char *data, size_t len) {
  ssize_t n = ::send(fd_, data, len, MSG_NOSIGNAL);
  if (n < 0 && errno != EAGAIN) {
    int err = errno;
    std::perror("send");
    HandleError(err);
  }
}

// The failure goes to the owner's callback.
void Conn::SendCallback(const char *data, size_t len) {
  ssize_t n = ::send(fd_, data, len, MSG_NOSIGNAL);
  if (n < 0 && errno != EAGAIN && error_fn_)
    error_fn_(errno);
}

// The socket is shut down, so the read side sees the end and closes the connection.
void Conn::SendShutdown(const char *data, size_t len) {
  ssize_t n = ::send(fd_, data, len, MSG_NOSIGNAL);
  if (n < 0 && errno != EAGAIN) {
    std::perror("send");
    ::shutdown(fd_, SHUT_RDWR);
  }
}

// A goto to the label that answers the failure.
int Conn::SendFailing(const char *data, size_t len) {
  ssize_t n = ::send(fd_, data, len, MSG_NOSIGNAL);
  if (n < 0) {
    if (errno == EAGAIN)
      return 0;
    goto fail;
  }
  return 1;
fail:
  std::perror("send");
  return -1;
}

// A blocking write: its failure is not told apart from "again", the caller's next read sees
// the end of the connection.
void Conn::SendBlocking(const char *data, size_t len) {
  if (::write(fd_, data, len) < 0)
    std::perror("write");
}

// A best-effort wake-up of the loop through a pipe: a full pipe or a failure loses nothing.
void Conn::Wakeup() {
  char c = 1;
  ssize_t n = ::write(wakeup_fd_, &c, 1);
  if (n < 0 && errno != EAGAIN)
    std::perror("wakeup");
}

// A reply sent while an error is reported: the caller closes the connection after it.
void Conn::SendErrorReply(int code) {
  char reply[32];
  int len = std::snprintf(reply, sizeof reply, "ERR %d\r\n", code);
  ssize_t n = ::send(fd_, reply, size_t(len), MSG_NOSIGNAL);
  if (n < 0 && errno != EAGAIN)
    std::perror("send");
}

// A goodbye from the destructor: the connection ends with it.
Conn::~Conn() {
  ssize_t n = ::send(fd_, "BYE\r\n", 5, MSG_NOSIGNAL);
  if (n < 0 && errno != EAGAIN)
    std::perror("send");
}
