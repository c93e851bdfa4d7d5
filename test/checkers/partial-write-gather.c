// Gather writes (writev, sendmsg) take a vector of {pointer, length} entries, and a short
// count may end inside one of them. Code that spends the count skipping the entries written
// whole must also advance the entry it ended in; otherwise the next write sends that entry
// again from its start and the peer gets duplicate bytes.
// RUN: %check_drain -std=c11 %s drain-partial-write %t

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

struct out_queue {
  struct iovec *iov;
  int iovcnt;
};

// positives

int writev_all_skips_whole_entries_only(int fd, struct iovec *iov, int iovcnt) {
  while (iovcnt > 0) {
    ssize_t n = writev(fd, iov, iovcnt);
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: a short 'writev' that ends inside an entry of its vector resends that entry from its start: the count skips the entries written whole, but the one it ended in is never advanced [drain-partial-write]
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    while (iovcnt > 0 && (size_t)n >= iov->iov_len) {
      n -= (ssize_t)iov->iov_len;
      // CHECK-MESSAGES: :[[@LINE-1]]:9: note: whole entries are skipped by the count here; then advance the next entry's pointer and shorten its length by what is left
      iov++;
      iovcnt--;
    }
  }
  return 0;
}

int sendmsg_all_skips_whole_entries_only(int fd, struct msghdr *msg) {
  while (msg->msg_iovlen > 0) {
    ssize_t sent = sendmsg(fd, msg, MSG_NOSIGNAL);
    // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: a short 'sendmsg' that ends inside an entry of its vector resends that entry from its start: the count skips the entries written whole, but the one it ended in is never advanced [drain-partial-write]
    if (sent < 0)
      return errno == EINTR ? 0 : -1;
    for (size_t i = 0; i < msg->msg_iovlen; i++) {
      if (sent < (ssize_t)msg->msg_iov[i].iov_len) {
        msg->msg_iov += i;
        msg->msg_iovlen -= i;
        break;
      }
      sent -= (ssize_t)msg->msg_iov[i].iov_len;
      // CHECK-MESSAGES: :[[@LINE-1]]:12: note: whole entries are skipped by the count here; then advance the next entry's pointer and shorten its length by what is left
    }
  }
  return 0;
}

int queue_flush_keeps_position_not_offset(int fd, struct out_queue *q) {
  ssize_t n = writev(fd, q->iov, q->iovcnt);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: a short 'writev' that ends inside an entry of its vector resends that entry from its start: the count skips the entries written whole, but the one it ended in is never advanced [drain-partial-write]
  if (n < 0)
    return errno == EAGAIN ? 0 : -1;
  while (q->iovcnt > 0 && (size_t)n >= q->iov[0].iov_len) {
    n -= (ssize_t)q->iov[0].iov_len;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: note: whole entries are skipped by the count here; then advance the next entry's pointer and shorten its length by what is left
    q->iov++;
    q->iovcnt--;
  }
  return q->iovcnt == 0;
}

// negatives

int writev_all_advances_inside_entry(int fd, struct iovec *iov, int iovcnt) {
  while (iovcnt > 0) {
    ssize_t n = writev(fd, iov, iovcnt);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    while (iovcnt > 0 && (size_t)n >= iov->iov_len) {
      n -= (ssize_t)iov->iov_len;
      iov++;
      iovcnt--;
    }
    if (iovcnt > 0) {
      iov->iov_base = (char *)iov->iov_base + n;
      iov->iov_len -= (size_t)n;
    }
  }
  return 0;
}

static void iov_consume(struct iovec **iov, int *iovcnt, size_t n) {
  while (*iovcnt > 0 && n >= (*iov)->iov_len) {
    n -= (*iov)->iov_len;
    (*iov)++;
    (*iovcnt)--;
  }
  if (*iovcnt > 0) {
    (*iov)->iov_base = (char *)(*iov)->iov_base + n;
    (*iov)->iov_len -= n;
  }
}

int writev_all_through_helper(int fd, struct iovec *iov, int iovcnt) {
  while (iovcnt > 0) {
    ssize_t n = writev(fd, iov, iovcnt);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    iov_consume(&iov, &iovcnt, (size_t)n);
  }
  return 0;
}

int sendmsg_keeps_tail_in_buffer(int fd, struct msghdr *msg, char *rest, size_t *rest_len) {
  ssize_t sent = sendmsg(fd, msg, MSG_NOSIGNAL);
  if (sent < 0)
    return -1;
  *rest_len = 0;
  for (size_t i = 0; i < msg->msg_iovlen; i++) {
    const struct iovec *v = &msg->msg_iov[i];
    if ((size_t)sent >= v->iov_len) {
      sent -= (ssize_t)v->iov_len;
      continue;
    }
    memcpy(rest + *rest_len, (const char *)v->iov_base + sent, v->iov_len - (size_t)sent);
    *rest_len += v->iov_len - (size_t)sent;
    sent = 0;
  }
  return 0;
}

int writev_whole_or_fail(int fd, struct iovec *iov, int iovcnt, size_t total) {
  ssize_t n = writev(fd, iov, iovcnt);
  if (n < 0 || (size_t)n != total)
    return -1;
  return 0;
}

int writev_header_checked(int fd, struct iovec *iov, int iovcnt) {
  ssize_t n = writev(fd, iov, iovcnt);
  if (n < 0)
    return -1;
  if ((size_t)n < iov[0].iov_len)
    return -1;
  return (size_t)n == iov[0].iov_len + iov[1].iov_len ? 0 : -1;
}
