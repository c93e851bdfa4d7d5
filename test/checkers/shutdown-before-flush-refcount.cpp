// RUN: %check_drain -std=c++17,c++20 %s drain-shutdown-before-flush %t

// A connection object that deletes itself. Deleting it while its write buffer may hold data
// loses that data, unless the delete only releases the last reference of a reference-counted
// object: every operation still in flight holds a reference of its own, so when the count
// reaches zero nothing is in flight or buffered on the object's behalf (cpprest's
// asio_server_connection::deref, `if (--m_refs == 0) delete this;`).

#include <atomic>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

class Conn {
public:
  void queue(const char *S) { out_buf_.append(S); }
  bool flush() {
    ssize_t N = ::send(fd_, out_buf_.data(), out_buf_.size(), 0);
    if (N < 0)
      return false;
    out_buf_.erase(0, static_cast<size_t>(N));
    return out_buf_.empty();
  }
  void ref() { ++refs_; }

  //===--- negatives: the last reference released ----------------------------===//

  void deref() {
    if (--refs_ == 0)
      delete this;
  }
  void release() {
    if (--count_ != 0)
      return;
    delete this;
  }
  void unref() {
    if (!--refs_)
      delete this;
  }

  //===--- positives ---------------------------------------------------------===//

  void abandon() {
    delete this;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the connection is closed by destroying 'this' while its write buffer 'out_buf_' may still hold data [drain-shutdown-before-flush]
  }
  // A flag, not a count: nothing says the buffer is empty.
  void close_if_closing() {
    if (closing_)
      delete this;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: the connection is closed by destroying 'this' while its write buffer 'out_buf_' may still hold data [drain-shutdown-before-flush]
  }
  // The count is decremented, but the delete does not wait for zero.
  void drop_all() {
    --refs_;
    delete this;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the connection is closed by destroying 'this' while its write buffer 'out_buf_' may still hold data [drain-shutdown-before-flush]
  }

private:
  int fd_ = -1;
  int refs_ = 1;
  std::atomic<int> count_{1};
  bool closing_ = false;
  std::string out_buf_;
};

// Callers: dropping a reference ends nothing in flight; abandoning the object does.

void reply_and_deref(Conn *C) {
  C->queue("HTTP/1.1 204 No Content\r\n\r\n");
  C->deref();
}

void reply_then_abandon(Conn *C) {
  C->queue("HTTP/1.1 204 No Content\r\n\r\n");
  C->abandon();
  // CHECK-MESSAGES: :[[@LINE-1]]:6: warning: 'C' is closed by 'abandon' while its write buffer may still hold data [drain-shutdown-before-flush]
}

void reply_flush_and_release(Conn *C) {
  C->queue("HTTP/1.1 204 No Content\r\n\r\n");
  if (!C->flush())
    return;
  C->release();
}
