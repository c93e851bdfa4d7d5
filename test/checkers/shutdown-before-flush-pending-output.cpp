// A class whose output waits in plain members: ZeroMQ's stream engine writes `write(outpos,
// outsize)` and advances the pair, refilling it from its encoder. Its terminate() unplugged and
// deleted the engine at once, dropping encoder output not yet written (a truncated message);
// the fix defers termination while `encoder->has_data()` and finishes it from out_event()
// once `outsize == 0`. A connection with a byte array and a fill count is the same record in
// another shape. The twins consult the pending output first, are failure handlers, or are
// classes that are buffers themselves (they owe nothing to a peer of their own).
// RUN: %check_drain -std=c++17 %s drain-shutdown-before-flush %t
// RUN: %check_drain -std=c++17 -check-suffix=DTOR %s drain-shutdown-before-flush %t \
// RUN:   -config='{CheckOptions: [{key: drain-shutdown-before-flush.CheckDestructors, value: true}]}'

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <vector>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

struct encoder_t {
  void get_data(unsigned char **data, size_t *size);
  bool has_data() const;
};

// positives

class engine_t {
public:
  // ZeroMQ before its fix.
  void terminate() {
    unplug();
    delete this;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the object is deleted while its output in 'outpos' may not have been sent [drain-shutdown-before-flush]
    // CHECK-MESSAGES-DTOR: :[[@LINE-2]]:5: warning: the object is deleted while its output in 'outpos' may not have been sent [drain-shutdown-before-flush]
  }

  void out_event() {
    if (!outsize) {
      outpos = nullptr;
      encoder->get_data(&outpos, &outsize);
      if (outsize == 0)
        return;
    }
    int nbytes = write(outpos, outsize);
    if (nbytes == -1)
      return;
    outpos += nbytes;
    outsize -= nbytes;
  }

  // A failure handler: the peer is gone, so is what it was owed.
  void error() {
    unplug();
    delete this;
  }

private:
  void unplug();
  int write(const void *data, size_t size) {
    ssize_t n = ::send(s, data, size, 0);
    return n < 0 ? -1 : static_cast<int>(n);
  }

  int s = -1;
  unsigned char *outpos = nullptr;
  size_t outsize = 0;
  encoder_t *encoder = nullptr;
};

/// A connection batching its output in a byte array.
class batch_conn {
public:
  void queue(const char *p, size_t n) {
    if (wlen_ + n > sizeof(wbuf_))
      flush();
    std::memcpy(wbuf_ + wlen_, p, n);
    wlen_ += n;
  }

  void flush() {
    size_t off = 0;
    while (off < wlen_) {
      ssize_t n = ::send(fd_, wbuf_ + off, wlen_ - off, 0);
      if (n <= 0)
        break;
      off += static_cast<size_t>(n);
    }
    wlen_ = 0;
  }

  void close() {
    ::close(fd_);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the record is ended by 'close' while its output in 'wbuf_' may not have been sent [drain-shutdown-before-flush]
    // CHECK-MESSAGES-DTOR: :[[@LINE-2]]:5: warning: the record is ended by 'close' while its output in 'wbuf_' may not have been sent [drain-shutdown-before-flush]
    fd_ = -1;
  }

  void finish() {
    if (wlen_ != 0)
      flush();
    ::close(fd_);
    fd_ = -1;
  }

  void hangup() {
    flush();
    ::close(fd_);
  }

  // The peer reset the connection: nothing more can be delivered (a failure handler).
  void close_on_reset(bool peer_reset) {
    if (peer_reset) {
      ::close(fd_);
      return;
    }
    finish();
  }

private:
  int fd_ = -1;
  size_t wlen_ = 0;
  char wbuf_[8192];
};

// negatives

// ZeroMQ after its fix: termination waits while the encoder has data, and the writer finishes
// it once everything is written.
class engine_fixed_t {
public:
  void terminate() {
    if (!terminating && encoder && encoder->has_data()) {
      terminating = true;
      return;
    }
    unplug();
    delete this;
  }

  void out_event() {
    if (!outsize) {
      outpos = nullptr;
      encoder->get_data(&outpos, &outsize);
      if (outsize == 0)
        return;
    }
    int nbytes = write(outpos, outsize);
    if (nbytes == -1) {
      if (terminating)
        terminate();
      return;
    }
    outpos += nbytes;
    outsize -= nbytes;
    if (terminating)
      if (outsize == 0)
        terminate();
  }

private:
  void unplug();
  int write(const void *data, size_t size) {
    ssize_t n = ::send(s, data, size, 0);
    return n < 0 ? -1 : static_cast<int>(n);
  }

  int s = -1;
  bool terminating = false;
  unsigned char *outpos = nullptr;
  size_t outsize = 0;
  encoder_t *encoder = nullptr;
};

// A terminate that tests what is left before deleting, and keeps it otherwise.
class engine_checked_t {
public:
  void terminate() {
    if (outsize > 0) {
      pending_close = true;
      return;
    }
    delete this;
  }

  void out_event() {
    int nbytes = write(outpos, outsize);
    if (nbytes <= 0)
      return;
    outpos += nbytes;
    outsize -= nbytes;
  }

  void fill(unsigned char *p, size_t n) {
    outpos = p;
    outsize += n;
  }

private:
  int write(const void *data, size_t size) {
    ssize_t n = ::send(s, data, size, 0);
    return n < 0 ? -1 : static_cast<int>(n);
  }

  int s = -1;
  bool pending_close = false;
  unsigned char *outpos = nullptr;
  size_t outsize = 0;
};

// A growable byte buffer written to a descriptor it is handed: the buffer is the data, not a
// connection; its owner decides when it is written.
class byte_buffer {
public:
  void append(const char *p, size_t n) {
    std::memcpy(data_ + len_, p, n);
    len_ += n;
  }
  ssize_t write_to(int fd) { return ::write(fd, data_, len_); }
  void release() {
    ::free(data_);
    data_ = nullptr;
  }

private:
  char *data_ = nullptr;
  size_t len_ = 0;
};

// A destructor cannot wait for the writer: judged only with CheckDestructors.
class closing_conn {
public:
  ~closing_conn() {
    ::close(fd_);
    // CHECK-MESSAGES-DTOR: :[[@LINE-1]]:5: warning: the record is ended by 'close' while its output in 'out_' may not have been sent [drain-shutdown-before-flush]
  }
  void queue(const char *p, size_t n) {
    std::memcpy(out_ + outlen_, p, n);
    outlen_ += n;
  }
  void flush() { (void)::send(fd_, out_, outlen_, 0); }

private:
  int fd_ = -1;
  size_t outlen_ = 0;
  char out_[1024];
};

// An Asio-style session: the write handler closes on an error, which loses nothing more.
namespace net {
struct error_code {
  explicit operator bool() const;
};
struct socket {
  void close();
};
struct const_buffer {};
const_buffer buffer(const void *p, size_t n);
template <typename Handler> void async_write(socket &s, const_buffer b, Handler h);
} // namespace net

class session {
public:
  void deliver(const char *p, size_t n) {
    out_.resize(used_ + n);
    std::memcpy(out_.data() + used_, p, n);
    used_ += n;
    if (!writing_)
      do_write();
  }

private:
  void do_write() {
    writing_ = true;
    net::async_write(socket_, net::buffer(out_.data(), used_), [this](net::error_code ec, size_t) {
      writing_ = false;
      if (ec) {
        do_close();
        return;
      }
      used_ = 0;
    });
  }
  void do_close() { socket_.close(); }

  net::socket socket_;
  std::vector<char> out_;
  size_t used_ = 0;
  bool writing_ = false;
};
