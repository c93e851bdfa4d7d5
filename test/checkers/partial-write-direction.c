// Remainder accounting: the count must move the data forwards. A pointer moved backwards by
// the count (`p -= n`), or an offset that grows by the count but is subtracted from the
// pointer (`base - off`), makes the next write send bytes from before the data instead of its
// rest, whatever else the count is compared with. `end - left` with `left -= n` moves forwards.
// RUN: %check_drain -std=c11 %s drain-partial-write %t

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

typedef ssize_t (*socket_send_fn)(void *, const void *, size_t);
struct socket_class {
  socket_send_fn send;
};
struct amqp_socket {
  const struct socket_class *klass;
};

struct pdu {
  uint8_t *token;
  size_t hdr_size;
  size_t used_size;
};
struct session {
  int fd;
  size_t partial_write;
  struct pdu *head;
};

int poll_write(struct amqp_socket *s);

// positives

// rabbitmq-c before bc2aee0: a goto retry whose pointer moves back by the count.
ssize_t amqp_try_send(struct amqp_socket *s, const void *buf, size_t len) {
  ssize_t res;
  void *buf_left = (void *)buf;
  ssize_t len_left = (ssize_t)len;
start_send:
  res = s->klass->send(s, buf_left, (size_t)len_left);
  // CHECK-NOTES: :[[@LINE-1]]:19: warning: after a short write by 'send' the data pointer moves backwards: 'buf_left' is decreased by the count, so the next write sends bytes from before the data instead of its rest [drain-partial-write]
  if (res > 0) {
    len_left -= res;
    buf_left = (char *)buf_left - res;
    // CHECK-NOTES: :[[@LINE-1]]:14: note: 'buf_left' moves back by the count here; advance it by the count
    if (0 == len_left)
      return 0;
    goto start_send;
  }
  switch (res) {
  default:
    return res;
  case -2:
    res = poll_write(s);
    break;
  }
  if (0 == res)
    goto start_send;
  return res;
}

// libcoap before bdf7686: the bytes already written are kept in the session, and the next
// call subtracts them from the start of the PDU instead of adding them.
void write_session(struct session *session) {
  while (session->head) {
    struct pdu *q = session->head;
    ssize_t bytes_written =
        send(session->fd, q->token - q->hdr_size - session->partial_write,
        // CHECK-NOTES: :[[@LINE-1]]:9: warning: after a short write by 'send' the data pointer moves backwards: 'partial_write' grows by the count but is subtracted from the pointer, so the next write sends bytes from before the data instead of its rest [drain-partial-write]
        // CHECK-NOTES: :[[@LINE-2]]:52: note: 'partial_write' is subtracted from the data pointer here; add it
             q->used_size + q->hdr_size - session->partial_write, 0);
    if (bytes_written <= 0 ||
        (size_t)bytes_written < q->used_size + q->hdr_size - session->partial_write) {
      if (bytes_written > 0)
        session->partial_write += (size_t)bytes_written;
        // CHECK-NOTES: :[[@LINE-1]]:32: note: 'partial_write' grows by the count here
      break;
    }
    session->head = NULL;
    session->partial_write = 0;
  }
}

// The same through the project's own wrapper, handed the session that keeps the progress
// (libcoap's coap_session_write(session, ...)): the member is still the caller's progress.
static ssize_t session_write(struct session *s, const uint8_t *data, size_t len) {
  return send(s->fd, data, len, 0);
}

void write_session_wrapped(struct session *session) {
  while (session->head) {
    struct pdu *q = session->head;
    ssize_t bytes_written =
        session_write(session, q->token - q->hdr_size - session->partial_write,
        // CHECK-NOTES: :[[@LINE-1]]:9: warning: after a short write by 'session_write' the data pointer moves backwards: 'partial_write' grows by the count but is subtracted from the pointer, so the next write sends bytes from before the data instead of its rest [drain-partial-write]
        // CHECK-NOTES: :[[@LINE-2]]:57: note: 'partial_write' is subtracted from the data pointer here; add it
                      q->used_size + q->hdr_size - session->partial_write);
    if (bytes_written <= 0 ||
        (size_t)bytes_written < q->used_size + q->hdr_size - session->partial_write) {
      if (bytes_written > 0)
        session->partial_write += (size_t)bytes_written;
        // CHECK-NOTES: :[[@LINE-1]]:32: note: 'partial_write' grows by the count here
      break;
    }
    session->head = NULL;
    session->partial_write = 0;
  }
}

// `p -= n` in a write-all loop.
int write_all_backwards(int fd, const char *p, size_t left) {
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    // CHECK-NOTES: :[[@LINE-1]]:17: warning: after a short write by 'write' the data pointer moves backwards: 'p' is decreased by the count, so the next write sends bytes from before the data instead of its rest [drain-partial-write]
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    p -= n;
    // CHECK-NOTES: :[[@LINE-1]]:7: note: 'p' moves back by the count here; advance it by the count
    left -= (size_t)n;
  }
  return 0;
}

// The same through a byte pointer cast, in a do-while loop.
int send_all_uint8(int fd, const void *data, size_t len) {
  const void *p = data;
  ssize_t n;
  do {
    n = send(fd, p, len, MSG_NOSIGNAL);
    // CHECK-NOTES: :[[@LINE-1]]:9: warning: after a short write by 'send' the data pointer moves backwards: 'p' is decreased by the count, so the next write sends bytes from before the data instead of its rest [drain-partial-write]
    if (n < 0)
      return -1;
    p = (const uint8_t *)p - n;
    // CHECK-NOTES: :[[@LINE-1]]:7: note: 'p' moves back by the count here; advance it by the count
    len -= (size_t)n;
  } while (len > 0);
  return 0;
}

// An offset into the buffer that shrinks by the count (`&buf[off]`).
int write_from_offset_backwards(int fd, const char *buf, size_t len) {
  size_t off = 0, left = len;
  while (left > 0) {
    ssize_t n = write(fd, &buf[off], left);
    // CHECK-NOTES: :[[@LINE-1]]:17: warning: after a short write by 'write' the data pointer moves backwards: 'off' is decreased by the count, so the next write sends bytes from before the data instead of its rest [drain-partial-write]
    if (n <= 0)
      return -1;
    off = off - (size_t)n;
    // CHECK-NOTES: :[[@LINE-1]]:9: note: 'off' moves back by the count here; advance it by the count
    left -= (size_t)n;
  }
  return 0;
}

// An iovec whose base moves back by the count.
int writev_one_backwards(int fd, struct iovec *iov) {
  while (iov->iov_len > 0) {
    ssize_t n = writev(fd, iov, 1);
    // CHECK-NOTES: :[[@LINE-1]]:17: warning: after a short write by 'writev' the data pointer moves backwards: 'iov_base' is decreased by the count, so the next write sends bytes from before the data instead of its rest [drain-partial-write]
    if (n < 0)
      return -1;
    iov->iov_base = (char *)iov->iov_base - n;
    // CHECK-NOTES: :[[@LINE-1]]:19: note: 'iov_base' moves back by the count here; advance it by the count
    iov->iov_len -= (size_t)n;
  }
  return 0;
}

// A goto retry from the advanced pointer with the full length again: a goto back to the write
// is a loop for the short-path shapes too.
int write_goto_full_length(int fd, const char *msg, size_t len) {
  size_t off = 0;
  ssize_t n;
again:
  n = write(fd, msg + off, len);
  // CHECK-NOTES: :[[@LINE-1]]:7: warning: a retry of 'write' starts further into the buffer but asks for the full length again: 'off' grows by the count, 'len' never shrinks, and the write reads past the end of the data [drain-partial-write]
  // CHECK-NOTES: :[[@LINE-2]]:28: note: the length is the same on every retry; pass what is left
  if (n < 0)
    return -1;
  off += (size_t)n;
  // CHECK-NOTES: :[[@LINE-1]]:7: note: 'off' grows by the count here
  if (off < len)
    goto again;
  return 0;
}

// negatives

int write_goto_rest(int fd, const char *msg, size_t len) {
  size_t off = 0;
  ssize_t n;
again:
  n = write(fd, msg + off, len - off);
  if (n < 0)
    return -1;
  off += (size_t)n;
  if (off < len)
    goto again;
  return 0;
}

// Written once, no way back to the write: the offset is only a report.
int write_once_offset(int fd, const char *msg, size_t len, size_t *done) {
  size_t off = 0;
  ssize_t n = write(fd, msg + off, len);
  if (n < 0)
    return -1;
  off += (size_t)n;
  *done = off;
  return 0;
}

// rabbitmq-c after the fix.
ssize_t amqp_try_send_fixed(struct amqp_socket *s, const void *buf, size_t len) {
  ssize_t res;
  void *buf_left = (void *)buf;
  ssize_t len_left = (ssize_t)len;
start_send:
  res = s->klass->send(s, buf_left, (size_t)len_left);
  if (res > 0) {
    len_left -= res;
    buf_left = (char *)buf_left + res;
    if (0 == len_left)
      return 0;
    goto start_send;
  }
  switch (res) {
  default:
    return res;
  case -2:
    res = poll_write(s);
    break;
  }
  if (0 == res)
    goto start_send;
  return res;
}

// libcoap after the fix: the offset is added to the start of the PDU.
void write_session_fixed(struct session *session) {
  while (session->head) {
    struct pdu *q = session->head;
    ssize_t bytes_written =
        send(session->fd, q->token - q->hdr_size + session->partial_write,
             q->used_size + q->hdr_size - session->partial_write, 0);
    if (bytes_written <= 0 ||
        (size_t)bytes_written < q->used_size + q->hdr_size - session->partial_write) {
      if (bytes_written > 0)
        session->partial_write += (size_t)bytes_written;
      break;
    }
    session->head = NULL;
    session->partial_write = 0;
  }
}

// The header in front of the token is a constant adjustment, not progress.
int send_pdu_whole(struct session *session, struct pdu *q) {
  ssize_t n = send(session->fd, q->token - q->hdr_size, q->used_size + q->hdr_size, 0);
  if (n < 0 || (size_t)n != q->used_size + q->hdr_size)
    return -1;
  return 0;
}

int write_all_forwards(int fd, const char *p, size_t left) {
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

int send_all_uint8_forwards(int fd, const void *data, size_t len) {
  const void *p = data;
  ssize_t n;
  do {
    n = send(fd, p, len, MSG_NOSIGNAL);
    if (n < 0)
      return -1;
    p = (const uint8_t *)p + n;
    len -= (size_t)n;
  } while (len > 0);
  return 0;
}

// The pointer is the end minus what is left: `left` shrinks, so the pointer moves forwards.
int write_from_end_minus_left(int fd, const char *buf, size_t len) {
  size_t left = len;
  while (left > 0) {
    ssize_t n = write(fd, buf + len - left, left);
    if (n <= 0)
      return -1;
    left -= (size_t)n;
  }
  return 0;
}

int write_from_end_pointer(int fd, const char *end, size_t left) {
  while (left > 0) {
    ssize_t n = write(fd, end - left, left);
    if (n <= 0)
      return -1;
    left = left - (size_t)n;
  }
  return 0;
}

int write_from_offset_forwards(int fd, const char *buf, size_t len) {
  size_t off = 0;
  while (off < len) {
    ssize_t n = write(fd, &buf[off], len - off);
    if (n <= 0)
      return -1;
    off = off + (size_t)n;
  }
  return 0;
}

int writev_one_forwards(int fd, struct iovec *iov) {
  while (iov->iov_len > 0) {
    ssize_t n = writev(fd, iov, 1);
    if (n < 0)
      return -1;
    iov->iov_base = (char *)iov->iov_base + n;
    iov->iov_len -= (size_t)n;
  }
  return 0;
}

int is_bad(const char *p);

// The pointer advances by the count and is put back when the bytes turn out to be unwanted:
// an undo, not a pointer moving the wrong way.
int write_with_undo(int fd, const char *p, size_t left) {
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n <= 0)
      return -1;
    p += n;
    if (is_bad(p)) {
      p -= n;
      return -1;
    }
    left -= (size_t)n;
  }
  return 0;
}

// The length, not the pointer, shrinks by the count.
int write_left_shrinks(int fd, const char *buf, size_t len) {
  size_t left = len;
  const char *p = buf;
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n <= 0)
      return -1;
    left -= (size_t)n;
    p = buf + (len - left);
  }
  return 0;
}

// libcoap after the fix, through the wrapper handed the session: the offset is added.
void write_session_wrapped_fixed(struct session *session) {
  while (session->head) {
    struct pdu *q = session->head;
    ssize_t bytes_written =
        session_write(session, q->token - q->hdr_size + session->partial_write,
                      q->used_size + q->hdr_size - session->partial_write);
    if (bytes_written <= 0 ||
        (size_t)bytes_written < q->used_size + q->hdr_size - session->partial_write) {
      if (bytes_written > 0)
        session->partial_write += (size_t)bytes_written;
      break;
    }
    session->head = NULL;
    session->partial_write = 0;
  }
}
