// The model packs against the real headers: Linux zero-copy and vectored writes, and Poco's
// sendBytes (declared in Inputs/packs/poco-net.h: no -dev package in the test environment).
// RUN: %check_drain -std=c++17 %s drain-partial-write %t -- -- -D_GNU_SOURCE -I%S/Inputs/packs

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "poco-net.h"

// positives

int splice_checked_for_errors(int pipe_rd, int sock, size_t len) {
  if (splice(pipe_rd, nullptr, sock, nullptr, len, SPLICE_F_MOVE) < 0)
    // CHECK-NOTES: :[[@LINE-1]]:7: warning: result of 'splice' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    // CHECK-NOTES: :[[@LINE-2]]:47: note: the count is never compared with 'len'; loop until all bytes are written
    // CHECK-NOTES: :[[@LINE-3]]:67: note: the count is only tested for failure here
    return -1;
  return 0;
}

int pwritev_checked_for_errors(int fd, const iovec *iov, int cnt, off_t at) {
  if (pwritev(fd, iov, cnt, at) == -1)
    // CHECK-NOTES: :[[@LINE-1]]:7: warning: result of 'pwritev' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    // CHECK-NOTES: :[[@LINE-2]]:7: note: the count is never compared with the requested length; loop until all bytes are written
    // CHECK-NOTES: :[[@LINE-3]]:33: note: the count is only tested for failure here
    return -1;
  return 0;
}

int sendmmsg_checked_for_errors(int fd, mmsghdr *msgs, unsigned n) {
  if (sendmmsg(fd, msgs, n, 0) < 0)
    // CHECK-NOTES: :[[@LINE-1]]:7: warning: result of 'sendmmsg' is only checked for errors; a short write drops the remaining items unnoticed [drain-partial-write]
    // CHECK-NOTES: :[[@LINE-2]]:26: note: the count is never compared with 'n'; loop until all items are written
    // CHECK-NOTES: :[[@LINE-3]]:32: note: the count is only tested for failure here
    return -1;
  return 0;
}

int poco_send_bytes_checked_for_errors(Poco::Net::StreamSocket &s, const char *p, int n) {
  if (s.sendBytes(p, n) < 0)
    // CHECK-NOTES: :[[@LINE-1]]:9: warning: result of 'sendBytes' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    // CHECK-NOTES: :[[@LINE-2]]:22: note: the count is never compared with 'n'; loop until all bytes are written
    // CHECK-NOTES: :[[@LINE-3]]:25: note: the count is only tested for failure here
    return -1;
  return 0;
}

// negatives

int splice_all(int pipe_rd, int sock, size_t len) {
  while (len > 0) {
    ssize_t n = splice(pipe_rd, nullptr, sock, nullptr, len, SPLICE_F_MOVE | SPLICE_F_MORE);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    if (n == 0)
      return -1;
    len -= static_cast<size_t>(n);
  }
  return 0;
}

int copy_file_range_follows_offsets(int in, int out, size_t len) {
  loff_t off_in = 0, off_out = 0;
  while (len > 0) {
    ssize_t n = copy_file_range(in, &off_in, out, &off_out, len, 0);
    if (n <= 0)
      return -1;
    len -= static_cast<size_t>(n);
  }
  return 0;
}

ssize_t pwritev_count_returned(int fd, const iovec *iov, int cnt, off_t at) {
  return pwritev(fd, iov, cnt, at);
}

int sendmmsg_all_messages(int fd, mmsghdr *msgs, unsigned n) {
  unsigned done = 0;
  while (done < n) {
    int r = sendmmsg(fd, msgs + done, n - done, 0);
    if (r < 0)
      return -1;
    done += static_cast<unsigned>(r);
  }
  return 0;
}

int poco_send_all(Poco::Net::StreamSocket &s, const char *p, int n) {
  while (n > 0) {
    int sent = s.sendBytes(p, n);
    if (sent <= 0)
      return -1;
    p += sent;
    n -= sent;
  }
  return 0;
}
