// Remainder accounting: a failed write's -1 is no count of bytes written. Code that tests the
// count and then, on a path a failure takes, updates its progress with it (skips written iovecs,
// adds it to an offset) moves backwards, walks off an iovec array, or aborts, instead of
// retrying or failing.
// RUN: %check_drain -std=c11 %s drain-partial-write %t

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

void fatal(const char *msg, int code);
int wait_writable(int fd);

// positives

// A write-everything helper for iovecs whose retry first skips what the previous pass wrote
// (cyrus-imapd's retry_writev before d6002c5): the EINTR retry jumps to the skipping with the
// failed call's -1, which walks off the array.
ssize_t retry_writev(int fd, struct iovec *iov, int iovcnt, size_t len) {
  ssize_t n = 0;
  size_t written = 0;
  for (;;) {
    for (int i = 0; i < iovcnt; i++) {
      if (iov[i].iov_len > (size_t)n) {
        iov[i].iov_base = (char *)iov[i].iov_base + n;
        iov[i].iov_len -= n;
        break;
      }
      n -= iov[i].iov_len;
      iov++;
      iovcnt--;
      if (!iovcnt)
        fatal("ran out of iov", 70);
    }
    n = writev(fd, iov, iovcnt);
    // CHECK-NOTES: :[[@LINE-1]]:9: warning: a failure of 'writev' is counted as bytes written: its -1 reaches an update of the progress [drain-partial-write]
    // CHECK-NOTES: :[[@LINE-8]]:9: note: the count of a failed write is used up as bytes written here; handle the failure before using the count
    if (n == -1) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    written += n;
    if (written == len)
      break;
  }
  return written;
}

// A send loop that adds the previous pass's count at the top, and waits and retries when the
// socket is full.
int send_all_wait(int fd, const char *buf, size_t len) {
  size_t off = 0;
  ssize_t n = 0;
  for (;;) {
    off += n;
    if (off >= len)
      return 0;
    n = send(fd, buf + off, len - off, 0);
    // CHECK-NOTES: :[[@LINE-1]]:9: warning: a failure of 'send' is counted as bytes written: its -1 reaches an update of the progress [drain-partial-write]
    // CHECK-NOTES: :[[@LINE-5]]:9: note: the count of a failed write updates 'off' here; handle the failure before using the count
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) {
        wait_writable(fd);
        continue;
      }
      return -1;
    }
  }
}

// The count compared only with what was asked for: -1 is "short" too.
int write_rest(int fd, const char *p, int left) {
  while (left > 0) {
    int n = (int)write(fd, p, (size_t)left);
    // CHECK-NOTES: :[[@LINE-1]]:18: warning: a failure of 'write' is counted as bytes written: its -1 reaches an update of the progress [drain-partial-write]
    if (n == left)
      return 0;
    p += n;
    // CHECK-NOTES: :[[@LINE-1]]:7: note: the count of a failed write updates 'p' here; handle the failure before using the count
    left -= n;
  }
  return 0;
}

// negatives

// The write at the top of the loop, its failure handled before anything uses the count.
ssize_t retry_writev_fixed(int fd, struct iovec *iov, int iovcnt, size_t len) {
  size_t written = 0;
  for (;;) {
    ssize_t n = writev(fd, iov, iovcnt);
    if (n == -1) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    written += n;
    if (written == len)
      break;
    while ((size_t)n >= iov->iov_len) {
      n -= iov->iov_len;
      iov++;
      iovcnt--;
    }
    iov->iov_base = (char *)iov->iov_base + n;
    iov->iov_len -= n;
  }
  return written;
}

// A would-block counts as nothing written.
int send_all_wait_fixed(int fd, const char *buf, size_t len) {
  size_t off = 0;
  ssize_t n = 0;
  for (;;) {
    off += n;
    if (off >= len)
      return 0;
    n = send(fd, buf + off, len - off, 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) {
        wait_writable(fd);
        n = 0;
        continue;
      }
      return -1;
    }
  }
}

int write_rest_fixed(int fd, const char *p, int left) {
  while (left > 0) {
    int n = (int)write(fd, p, (size_t)left);
    if (n < 0)
      return -1;
    if (n == left)
      return 0;
    p += n;
    left -= n;
  }
  return 0;
}

// The classic loop: EINTR retries the write itself.
int write_all(int fd, const char *p, size_t left) {
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    p += n;
    left -= (size_t)n;
  }
  return 0;
}

// Retried in a do-while until it is not interrupted, then checked.
int write_once_more(int fd, const char *p, size_t len, size_t *done) {
  ssize_t n;
  do
    n = write(fd, p, len);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return -1;
  *done += (size_t)n;
  return 0;
}
