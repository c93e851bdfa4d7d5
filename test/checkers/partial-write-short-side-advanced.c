// Remainder accounting: a short count that is compared with the length, and whose short side
// moves the pointer and the length as a retry would, but nothing ever writes from them again.
// The remainder is lost exactly as if the count had not been looked at.
// RUN: %check_drain -std=c11 %s drain-partial-write %t

#include <errno.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

struct conn {
  int fd;
  size_t off;
};

// positives

int advance_and_return(int fd, const char *buf, size_t len) {
  ssize_t n = write(fd, buf, len);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: a short write by 'write' is noticed but never made good; the rest of the buffer is never written and the caller is not told [drain-partial-write]
  if (n < 0)
    return -1;
  if ((size_t)n != len) {
    // CHECK-MESSAGES: :[[@LINE-1]]:17: note: the count is compared with the length here, but the short side only moves 'buf', which nothing reads afterwards; write the rest, or fail
    buf += n;
    len -= (size_t)n;
  }
  return 0;
}

int advance_in_else(int fd, const char *p, size_t left) {
  ssize_t n = send(fd, p, left, MSG_NOSIGNAL);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: a short write by 'send' is noticed but never made good; the rest of the buffer is never written and the caller is not told [drain-partial-write]
  if (n == -1)
    return -1;
  if ((size_t)n == left)
    left = 0;
  // CHECK-MESSAGES: :[[@LINE-2]]:17: note: the count is compared with the length here, but the short side only moves 'left', which nothing reads afterwards; write the rest, or fail
  else
    left -= (size_t)n;
  close(fd);
  return 0;
}

// negatives

// The advanced pointer and length are written from again.
int advance_then_write_again(int fd, const char *buf, size_t len) {
  ssize_t n = write(fd, buf, len);
  if (n < 0)
    return -1;
  if ((size_t)n < len) {
    buf += n;
    len -= (size_t)n;
    if (write(fd, buf, len) != (ssize_t)len)
      return -1;
  }
  return 0;
}

int advance_then_write_after(int fd, const char *buf, size_t len) {
  ssize_t n = write(fd, buf, len);
  if (n < 0)
    return -1;
  if ((size_t)n < len) {
    buf += n;
    len -= (size_t)n;
  }
  return len == 0 ? 0 : (int)write(fd, buf, len);
}

// A retry loop: the back edge reads what the short side moved.
int advance_in_loop(int fd, const char *buf, size_t len) {
  for (;;) {
    ssize_t n = write(fd, buf, len);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    if ((size_t)n == len)
      return 0;
    buf += n;
    len -= (size_t)n;
  }
}

int advance_and_goto(int fd, const char *buf, size_t len) {
again:;
  ssize_t n = write(fd, buf, len);
  if (n < 0)
    return -1;
  if ((size_t)n != len) {
    buf += n;
    len -= (size_t)n;
    goto again;
  }
  return 0;
}

// Progress kept in the connection: its owner resumes from it.
int advance_member(struct conn *c, const char *buf, size_t len) {
  ssize_t n = send(c->fd, buf + c->off, len - c->off, MSG_DONTWAIT);
  if (n < 0)
    return errno == EAGAIN ? 0 : -1;
  if ((size_t)n != len - c->off)
    c->off += (size_t)n;
  else
    c->off = 0;
  return 0;
}

// The count is handed back to the caller, which resumes from it.
ssize_t advance_and_return_count(int fd, const char *buf, size_t len) {
  ssize_t n = write(fd, buf, len);
  if (n < 0)
    return -1;
  if ((size_t)n != len)
    buf += n;
  return n;
}
