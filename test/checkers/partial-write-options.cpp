// AtomicWriteSize 0 checks small constant writes as well.
// SSL_write only writes part of the buffer under SSL_MODE_ENABLE_PARTIAL_WRITE; the project's
// own writes come from WriteFunctions, the ModelFile (with the length argument) and
// annotations (DRAIN_LENGTH).
// RUN: %check_drain -check-suffixes=TLS %s drain-partial-write %t \
// RUN:   -config="{CheckOptions: [{key: drain-partial-write.TlsPartialWrites, value: true}, {key: drain-partial-write.AtomicWriteSize, value: 0}, {key: drain-partial-write.WriteFunctions, value: '::raw_send'}, {key: drain-partial-write.ModelFile, value: '%S/Inputs/partial-write/model.yaml'}]}" \
// RUN:   -- -- -I%drain_src/integrations/annotations
// RUN: %check_drain -check-suffixes=DEFAULT %s drain-partial-write %t \
// RUN:   -config="{CheckOptions: [{key: drain-partial-write.WriteFunctions, value: '::raw_send'}, {key: drain-partial-write.ModelFile, value: '%S/Inputs/partial-write/model.yaml'}]}" \
// RUN:   -- -- -I%drain_src/integrations/annotations

#include <drain/annotations.h>
#include <openssl/ssl.h>
#include <sys/types.h>

extern "C" ssize_t raw_send(int fd, const void *p, size_t n); // WriteFunctions

namespace net {
class Socket {
public:
  long push(const char *p, size_t n); // ModelFile: write, length is argument 1
};
long write_fully(Socket &s, const char *p, size_t n); // ModelFile: composed_write
} // namespace net

class Pipe {
public:
  DRAIN_WRITE ssize_t put(const char *p, DRAIN_LENGTH size_t n);
};

// positives

int ssl_write_partial_mode(SSL *ssl, const char *p, int n) {
  if (SSL_write(ssl, p, n) <= 0)
    // CHECK-MESSAGES-TLS: :[[@LINE-1]]:7: warning: result of 'SSL_write' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    return -1;
  return 0;
}

int option_write_checked_for_errors(int fd, const char *p, size_t n) {
  if (raw_send(fd, p, n) < 0)
    // CHECK-MESSAGES-TLS: :[[@LINE-1]]:7: warning: result of 'raw_send' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    // CHECK-MESSAGES-DEFAULT: :[[@LINE-2]]:7: warning: result of 'raw_send' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    return -1;
  return 0;
}

int model_file_write_checked_for_errors(net::Socket &s, const char *p, size_t n) {
  long r = s.push(p, n);
  // CHECK-MESSAGES-TLS: :[[@LINE-1]]:14: warning: result of 'push' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-2]]:14: warning: result of 'push' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
  return r < 0 ? -1 : 0;
}

int annotated_write_checked_for_errors(Pipe &pp, const char *p, size_t n) {
  if (pp.put(p, n) == -1)
    // CHECK-MESSAGES-TLS: :[[@LINE-1]]:10: warning: result of 'put' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    // CHECK-MESSAGES-DEFAULT: :[[@LINE-2]]:10: warning: result of 'put' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    return -1;
  return 0;
}

int small_constant_header_checked_for_errors(Pipe &pp) {
  if (pp.put("HTTP/1.1 100 Continue\r\n\r\n", 25) < 0)
    // CHECK-MESSAGES-TLS: :[[@LINE-1]]:10: warning: result of 'put' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    return -1;
  return 0;
}

// negatives

int model_file_composed_write(net::Socket &s, const char *p, size_t n) {
  return net::write_fully(s, p, n) < 0 ? -1 : 0;
}

int ssl_write_loop(SSL *ssl, const char *p, int n) {
  int off = 0;
  while (off < n) {
    int r = SSL_write(ssl, p + off, n - off);
    if (r <= 0)
      return -1;
    off += r;
  }
  return 0;
}

int option_write_compared(int fd, const char *p, size_t n) {
  return raw_send(fd, p, n) != static_cast<ssize_t>(n) ? -1 : 0;
}

int annotated_write_advanced(Pipe &pp, const char *p, size_t n) {
  while (n > 0) {
    ssize_t r = pp.put(p, n);
    if (r < 0)
      return -1;
    p += r;
    n -= static_cast<size_t>(r);
  }
  return 0;
}

int model_file_write_compared(net::Socket &s, const char *p, size_t n) {
  return s.push(p, n) == static_cast<long>(n) ? 0 : -1;
}
