// RUN: %check_drain -std=c++17 %s drain-shutdown-before-flush %t

// A flush answering a std::variant whose alternatives are named as states
// (`std::variant<Done, WouldBlock, IoError>`): `return WouldBlock{};` is a pending answer,
// and `std::holds_alternative<Done>(r)` / `std::get_if<WouldBlock>(&r)` test which state it
// holds. Testing only for the error alternative leaves a pending flush on the way to the close.

#include <cstddef>
#include <string>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>
#include <variant>

struct Done {};
struct WouldBlock {};
struct IoError {
  int code;
};
using FlushResult = std::variant<Done, WouldBlock, IoError>;

class Conn {
public:
  void queue(const std::string &s) { out_ += s; }

  FlushResult Flush() {
    while (!out_.empty()) {
      ssize_t n = ::send(fd_, out_.data(), out_.size(), MSG_DONTWAIT);
      if (n < 0)
        return WouldBlock{};
      out_.erase(0, static_cast<size_t>(n));
    }
    return Done{};
  }

  // positives

  void close_after_error_check() {
    FlushResult r = Flush();
    if (std::holds_alternative<IoError>(r))
      return;
    ::close(fd_);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the connection is closed while its write buffer 'out_' may still hold data [drain-shutdown-before-flush]
  }

  void close_after_get_if_error() {
    auto r = Flush();
    if (std::get_if<IoError>(&r))
      return;
    ::shutdown(fd_, SHUT_WR);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the connection is shut down while its write buffer 'out_' may still hold data [drain-shutdown-before-flush]
  }

  // negatives

  void close_when_done() {
    FlushResult r = Flush();
    if (!std::holds_alternative<Done>(r))
      return;
    ::close(fd_);
  }

  bool close_unless_would_block() {
    auto r = Flush();
    if (std::holds_alternative<IoError>(r))
      return false;
    if (std::get_if<WouldBlock>(&r))
      return true; // wait until writable
    ::shutdown(fd_, SHUT_WR);
    return true;
  }

  void close_when_done_positive_test() {
    auto r = Flush();
    if (std::holds_alternative<Done>(r))
      ::close(fd_);
  }

private:
  int fd_ = -1;
  std::string out_;
};
