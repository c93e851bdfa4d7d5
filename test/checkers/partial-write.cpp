// RUN: %check_drain -std=c++17,c++20 %s drain-partial-write %t

#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <gnutls/gnutls.h>
#include <errno.h>
#include <stdio.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

void log_count(ssize_t);
void account_sent(ssize_t);

// positives

int send_checked_only_for_negative(int fd, const char *buf, size_t len) {
  if (send(fd, buf, len, 0) < 0)
    // CHECK-NOTES: :[[@LINE-1]]:7: warning: result of 'send' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    // CHECK-NOTES: :[[@LINE-2]]:21: note: the count is never compared with 'len'; loop until all bytes are written
    // CHECK-NOTES: :[[@LINE-3]]:29: note: the count is only tested for failure here
    return -1;
  return 0;
}

int write_result_equals_minus_one(int fd, const char *buf, size_t len) {
  ssize_t n = write(fd, buf, len);
  // CHECK-NOTES: :[[@LINE-1]]:15: warning: result of 'write' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
  // CHECK-NOTES: :[[@LINE-2]]:30: note: the count is never compared with 'len'; loop until all bytes are written
  if (n == -1) {
    // CHECK-NOTES: :[[@LINE-1]]:9: note: the count is only tested for failure here
    perror("write");
    return -1;
  }
  return 0;
}

void write_retried_on_eintr_only(int fd, const char *p, size_t left) {
  while (write(fd, p, left) < 0 && errno == EINTR) {
    // CHECK-NOTES: :[[@LINE-1]]:10: warning: result of 'write' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    // CHECK-NOTES: :[[@LINE-2]]:23: note: the count is never compared with 'left'; loop until all bytes are written
    // CHECK-NOTES: :[[@LINE-3]]:29: note: the count is only tested for failure here
  }
}

int writev_checked_with_not(int fd, const iovec *iov, int cnt) {
  ssize_t n;
  n = writev(fd, iov, cnt);
  // CHECK-NOTES: :[[@LINE-1]]:7: warning: result of 'writev' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
  // CHECK-NOTES: :[[@LINE-2]]:7: note: the count is never compared with the requested length; loop until all bytes are written
  if (!n)
    // CHECK-NOTES: :[[@LINE-1]]:8: note: the count is only tested for failure here
    return -1;
  return 0;
}

int sendto_without_address_is_a_stream_send(int fd, const char *buf, size_t len) {
  if (sendto(fd, buf, len, 0, nullptr, 0) == -1)
    // CHECK-NOTES: :[[@LINE-1]]:7: warning: result of 'sendto' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    // CHECK-NOTES: :[[@LINE-2]]:23: note: the count is never compared with 'len'; loop until all bytes are written
    // CHECK-NOTES: :[[@LINE-3]]:43: note: the count is only tested for failure here
    return -1;
  return 0;
}

int sendmsg_checked_le_zero(int fd, const msghdr *msg) {
  if (sendmsg(fd, msg, 0) <= 0)
    // CHECK-NOTES: :[[@LINE-1]]:7: warning: result of 'sendmsg' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    // CHECK-NOTES: :[[@LINE-2]]:7: note: the count is never compared with the requested length; loop until all bytes are written
    // CHECK-NOTES: :[[@LINE-3]]:27: note: the count is only tested for failure here
    return -1;
  return 0;
}

int bio_write_le_zero(BIO *b, const char *p, int n) {
  if (BIO_write(b, p, n) <= 0)
    // CHECK-NOTES: :[[@LINE-1]]:7: warning: result of 'BIO_write' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    // CHECK-NOTES: :[[@LINE-2]]:23: note: the count is never compared with 'n'; loop until all bytes are written
    // CHECK-NOTES: :[[@LINE-3]]:26: note: the count is only tested for failure here
    return BIO_should_retry(b) ? 0 : -1;
  return 0;
}

int gnutls_record_send_lt_zero(gnutls_session_t s, const char *p, size_t n) {
  ssize_t r = gnutls_record_send(s, p, n);
  // CHECK-NOTES: :[[@LINE-1]]:15: warning: result of 'gnutls_record_send' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
  // CHECK-NOTES: :[[@LINE-2]]:40: note: the count is never compared with 'n'; loop until all bytes are written
  if (r < 0 && r != GNUTLS_E_AGAIN)
    // CHECK-NOTES: :[[@LINE-1]]:9: note: the count is only tested for failure here
    return -1;
  return 0;
}

int fwrite_checked_for_zero(FILE *f, const char *p, size_t n) {
  if (fwrite(p, 1, n, f) == 0)
    // CHECK-NOTES: :[[@LINE-1]]:7: warning: result of 'fwrite' is only checked for errors; a short write drops the remaining items unnoticed [drain-partial-write]
    // CHECK-NOTES: :[[@LINE-2]]:20: note: the count is never compared with 'n'; loop until all items are written
    // CHECK-NOTES: :[[@LINE-3]]:26: note: the count is only tested for failure here
    return -1;
  return 0;
}

#define SEND_OR_FAIL(fd, b, n)                                                                 \
  if (send(fd, b, n, MSG_NOSIGNAL) < 0)                                                        \
  return -1
int send_in_user_macro(int fd, const char *buf, size_t len) {
  SEND_OR_FAIL(fd, buf, len);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: result of 'send' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
  // CHECK-NOTES: :[[@LINE-2]]:25: note: the count is never compared with 'len'; loop until all bytes are written
  // CHECK-NOTES: :[[@LINE-3]]:3: note: the count is only tested for failure here
  return 0;
}

template <class Sock> int send_in_template(Sock fd, const char *buf, size_t len) {
  if (send(fd, buf, len, 0) < 0)
    // CHECK-NOTES: :[[@LINE-1]]:7: warning: result of 'send' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    // CHECK-NOTES: :[[@LINE-2]]:21: note: the count is never compared with 'len'; loop until all bytes are written
    // CHECK-NOTES: :[[@LINE-3]]:29: note: the count is only tested for failure here
    return -1;
  return 0;
}
int send_in_template_instances(const char *buf, size_t len) {
  return send_in_template(3, buf, len) + send_in_template(4L, buf, len);
}

// curl's telnet option reply: three bytes, but a stream socket with less room takes part of
// them; the pipe rule for small constant writes does not apply to send.
int telnet_reply_checked_only_for_errors(int sock, const unsigned char *buf) {
  ssize_t n = send(sock, buf, 3, 0);
  // CHECK-NOTES: :[[@LINE-1]]:15: warning: result of 'send' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
  // CHECK-NOTES: :[[@LINE-2]]:31: note: the count is never compared with '3'; loop until all bytes are written
  if (n < 0)
    // CHECK-NOTES: :[[@LINE-1]]:9: note: the count is only tested for failure here
    return -1;
  return 0;
}

// One `n` for two writes: the second write's loop advances by its own count, which says
// nothing about the first (libarchive's archive_write_client_write before 55aec9a).
int reused_count_first_write_unchecked(int fd, const char *head, size_t hlen, const char *body,
                                       size_t blen) {
  ssize_t n;
  n = write(fd, head, hlen);
  // CHECK-NOTES: :[[@LINE-1]]:7: warning: result of 'write' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
  // CHECK-NOTES: :[[@LINE-2]]:23: note: the count is never compared with 'hlen'; loop until all bytes are written
  if (n <= 0)
    // CHECK-NOTES: :[[@LINE-1]]:9: note: the count is only tested for failure here
    return -1;
  while (blen > 0) {
    n = write(fd, body, blen);
    if (n <= 0)
      return -1;
    body += n;
    blen -= static_cast<size_t>(n);
  }
  return 0;
}

// Asking the library about the failure is a test for failure: a record layer sends one
// record at a time, and the short count falls through to success.
int gnutls_error_asked_only(gnutls_session_t s, const char *p, size_t n) {
  ssize_t r = gnutls_record_send(s, p, n);
  // CHECK-NOTES: :[[@LINE-1]]:15: warning: result of 'gnutls_record_send' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
  // CHECK-NOTES: :[[@LINE-2]]:40: note: the count is never compared with 'n'; loop until all bytes are written
  if (r < 0 && gnutls_error_is_fatal(static_cast<int>(r)))
    // CHECK-NOTES: :[[@LINE-1]]:9: note: the count is only tested for failure here
    return -1;
  return 0;
}

// negatives

int write_all_loop_advances_buffer(int fd, const char *p, size_t left) {
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return 0;
}

int send_compared_with_len(int fd, const char *buf, size_t len) {
  ssize_t n = send(fd, buf, len, 0);
  if (n < 0 || static_cast<size_t>(n) != len)
    return -1;
  return 0;
}

int send_less_than_len(int fd, const char *buf, size_t len) {
  if ((size_t)send(fd, buf, len, 0) < len)
    return -1;
  return 0;
}

ssize_t write_result_returned(int fd, const char *buf, size_t len) {
  return write(fd, buf, len);
}

void write_result_passed_on(int fd, const char *buf, size_t len) {
  ssize_t n = write(fd, buf, len);
  if (n < 0)
    return;
  account_sent(n);
}

int single_byte_wakeup_write(int pipe_fd) {
  char c = 1;
  if (write(pipe_fd, &c, 1) < 0 && errno != EAGAIN)
    return -1;
  return 0;
}

int fwrite_one_item_compared(FILE *f, const char *p, size_t n) {
  return fwrite(p, n, 1, f) == 1 ? 0 : -1;
}

int ssl_write_is_all_or_nothing_by_default(SSL *ssl, const char *p, int n) {
  int r = SSL_write(ssl, p, n);
  if (r <= 0)
    return SSL_get_error(ssl, r);
  return 0;
}

void write_result_dropped_is_another_checks_business(int fd, const char *buf, size_t len) {
  write(fd, buf, len);
}

ssize_t counts_accumulated(int fd, const iovec *iov, int cnt) {
  ssize_t total = 0;
  ssize_t n = writev(fd, iov, cnt);
  if (n > 0)
    total += n;
  return total;
}

int gnutls_send_loop(gnutls_session_t s, const char *p, size_t n) {
  size_t off = 0;
  while (off < n) {
    ssize_t r = gnutls_record_send(s, p + off, n - off);
    if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED)
      continue;
    if (r < 0)
      return -1;
    off += static_cast<size_t>(r);
  }
  return 0;
}

struct Writer {
  ssize_t sent = 0;
  int count_kept_in_member(int fd, const char *buf, size_t len) {
    sent = send(fd, buf, len, 0);
    return sent < 0 ? -1 : 0;
  }
};

int eventfd_write_compared_with_sizeof(int efd) {
  unsigned long long one = 1;
  return write(efd, &one, sizeof one) != sizeof one ? -1 : 0;
}

int short_write_reported_to_caller(int fd, const char *buf, size_t len, size_t *written) {
  ssize_t n = send(fd, buf, len, 0);
  if (n < 0)
    return -1;
  *written = static_cast<size_t>(n);
  return 0;
}

// The same, looping until the whole buffer is sent.
int gnutls_error_asked_then_looped(gnutls_session_t s, const char *p, size_t n) {
  while (n > 0) {
    ssize_t r = gnutls_record_send(s, p, n);
    if (r < 0) {
      if (gnutls_error_is_fatal(static_cast<int>(r)))
        return -1;
      continue;
    }
    p += r;
    n -= static_cast<size_t>(r);
  }
  return 0;
}

// libevent, libuv: eventfd and self-pipe wakeups write a few bytes of constant size; writes up
// to PIPE_BUF (512 bytes at least) are atomic on pipes and eventfd takes 8 bytes or nothing.
int eventfd_wakeup_checked_for_errors(int efd) {
  unsigned long long msg = 1;
  int r;
  do
    r = static_cast<int>(write(efd, &msg, sizeof(msg)));
  while (r < 0 && errno == EAGAIN);
  return r < 0 ? -1 : 0;
}

struct SignalMsg {
  int signum;
  void *handle;
};
void signal_pipe_message(int pipe_fd, int signum) {
  SignalMsg msg = {signum, nullptr};
  ssize_t r;
  do
    r = write(pipe_fd, &msg, sizeof msg);
  while (r == -1 && errno == EINTR);
}

// libevent's evdns: a datagram goes out whole or not at all.
int sendto_datagram_checked_for_errors(int fd, const char *reply, size_t len,
                                       const sockaddr *to, socklen_t tl) {
  if (sendto(fd, reply, len, 0, to, tl) < 0)
    return -1;
  return 0;
}

// lighttpd's mod_webdav: sendfile advances the offset it is given; the loop follows it.
int sendfile_offset_tracks_progress(int out, int in, off_t size) {
  off_t offset = 0;
  while (offset < size && sendfile(out, in, &offset, static_cast<size_t>(size - offset)) >= 0)
    ;
  return offset == size ? 0 : -1;
}

// One byte cannot be split, on a socket either (a wake-up byte on a socketpair).
int one_byte_socket_wakeup(int sock) {
  char c = 'x';
  if (send(sock, &c, 1, 0) < 0)
    return -1;
  return 0;
}

// The same `n` for two writes, each one followed until it is all written.
int reused_count_both_writes_looped(int fd, const char *head, size_t hlen, const char *body,
                                    size_t blen) {
  ssize_t n;
  while (hlen > 0) {
    n = write(fd, head, hlen);
    if (n <= 0)
      return -1;
    head += n;
    hlen -= static_cast<size_t>(n);
  }
  while (blen > 0) {
    n = write(fd, body, blen);
    if (n <= 0)
      return -1;
    body += n;
    blen -= static_cast<size_t>(n);
  }
  return 0;
}

// One `n` that either write may have set: its comparison with the length covers both.
int reused_count_compared_after_either(int fd, bool first, const char *a, const char *b,
                                       size_t len) {
  ssize_t n;
  if (first)
    n = write(fd, a, len);
  else
    n = write(fd, b, len);
  return n == static_cast<ssize_t>(len) ? 0 : -1;
}
