// A call through a virtual method runs whichever override the object has. When the overrides
// answer differently (a socket stream answers send()'s count, a buffer stream appends and
// answers the length it was handed), the method has no row of its own, yet an answer some
// override gives from a write that may fail must still be looked at. When every override
// answers something nobody needs to check, dropping it stays fine.
// RUN: %check_drain -std=c++17 %s drain-discarded-io-result %t

#include <cstddef>
#include <cstdio>
#include <cstring>
#include <string>
#include <sys/socket.h>

class Stream {
public:
  virtual ~Stream() {}
  virtual int write(const char *ptr, size_t size) = 0;
  virtual int write(const char *ptr) = 0;

  template <typename... Args> void write_format(const char *fmt, const Args &...args);
  template <typename... Args> int write_format_checked(const char *fmt, const Args &...args);
};

class SocketStream : public Stream {
public:
  explicit SocketStream(int fd) : fd_(fd) {}
  int write(const char *ptr, size_t size) override { return send(fd_, ptr, size, 0); }
  int write(const char *ptr) override { return write(ptr, strlen(ptr)); }

private:
  int fd_;
};

class BufferStream : public Stream {
public:
  int write(const char *ptr, size_t size) override {
    buffer_.append(ptr, size);
    return static_cast<int>(size);
  }
  int write(const char *ptr) override { return write(ptr, strlen(ptr)); }
  const std::string &buffer() const { return buffer_; }

private:
  std::string buffer_;
};

template <typename... Args>
void Stream::write_format(const char *fmt, const Args &...args) {
  char buf[256];
  int n = snprintf(buf, sizeof buf, fmt, args...);
  if (n > 0 && n < static_cast<int>(sizeof buf))
    write(buf, static_cast<size_t>(n));
  // CHECK-NOTES: :[[@LINE-1]]:5: warning: result of 'write' is discarded; a failed or short write goes unnoticed [drain-discarded-io-result]
  // CHECK-NOTES: :[[@LINE-2]]:5: note: compare the count with the requested length and write the rest
  // CHECK-NOTES: :27:7: note: the call may run 'SocketStream::write', whose result reports a failed write
}

template <typename... Args>
int Stream::write_format_checked(const char *fmt, const Args &...args) {
  char buf[256];
  int n = snprintf(buf, sizeof buf, fmt, args...);
  if (n <= 0 || n >= static_cast<int>(sizeof buf))
    return -1;
  return write(buf, static_cast<size_t>(n));
}

// Sinks whose every override answers without failing: a buffer and a counter.
class Sink {
public:
  virtual ~Sink() {}
  virtual int put(const char *p, size_t n) = 0;
};
class StringSink : public Sink {
public:
  int put(const char *p, size_t n) override {
    out_.append(p, n);
    return static_cast<int>(n);
  }

private:
  std::string out_;
};
class CountingSink : public Sink {
public:
  int put(const char *, size_t n) override {
    total_ += n;
    return 0;
  }

private:
  size_t total_ = 0;
};

// positives

void write_body(Stream &strm, const std::string &body) {
  strm.write(body.c_str(), body.size());
  // CHECK-NOTES: :[[@LINE-1]]:8: warning: result of 'write' is discarded; a failed or short write goes unnoticed [drain-discarded-io-result]
  // CHECK-NOTES: :[[@LINE-2]]:8: note: compare the count with the requested length and write the rest
  // CHECK-NOTES: :27:7: note: the call may run 'SocketStream::write', whose result reports a failed write
}

void end_headers(Stream *strm) {
  strm->write("\r\n");
  // CHECK-NOTES: :[[@LINE-1]]:9: warning: result of 'write' is discarded; a failed or short write goes unnoticed [drain-discarded-io-result]
  // CHECK-NOTES: :[[@LINE-2]]:9: note: compare the count with the requested length and write the rest
  // CHECK-NOTES: :28:7: note: the call may run 'SocketStream::write', whose result reports a failed write
}

void write_status_line(Stream &strm, int status) {
  strm.write_format("HTTP/1.1 %d\r\n", status);
}

// negatives

bool write_body_checked(Stream &strm, const std::string &body) {
  int n = strm.write(body.c_str(), body.size());
  return n >= 0 && static_cast<size_t>(n) == body.size();
}

int end_headers_checked(Stream &strm) { return strm.write("\r\n"); }

int write_status_line_checked(Stream &strm, int status) {
  return strm.write_format_checked("HTTP/1.1 %d\r\n", status);
}

void fill_buffer(const std::string &body) {
  BufferStream b;
  b.write(body.c_str(), body.size());
  b.write("\r\n");
}

void fill_sink(Sink &sink, const std::string &s) { sink.put(s.data(), s.size()); }

std::string render(int status) {
  BufferStream b;
  write_status_line(b, status);
  return b.buffer();
}
