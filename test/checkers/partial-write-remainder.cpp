// Remainder accounting: a count that is compared is still lost when it only feeds a running
// total, when a retry resends the start of the buffer, or when a would-block exit drops the
// progress the loop made.
// RUN: %check_drain -std=c++17,c++20 %s drain-partial-write %t

#include <assert.h>
#include <errno.h>
#include <string>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>
#include <vector>

// positives

ssize_t running_total_over_iovecs(int fd, const iovec *iov, int cnt) {
  ssize_t total = 0;
  for (int i = 0; i < cnt; i++) {
    ssize_t n = write(fd, iov[i].iov_base, iov[i].iov_len);
    // CHECK-NOTES: :[[@LINE-1]]:17: warning: the count of 'write' only grows 'total' while the loop moves on; a short write's remainder is never written [drain-partial-write]
    // CHECK-NOTES: :[[@LINE-2]]:27: note: the next iteration writes other data; compare the count with the requested length or write the rest first
    if (n < 0)
      return -1;
    total += n;
    // CHECK-NOTES: :[[@LINE-1]]:11: note: 'total' grows by the count here
  }
  return total;
}

size_t running_total_over_chunks(int sock, const std::vector<std::string> &chunks) {
  size_t delivered = 0;
  for (const std::string &c : chunks) {
    ssize_t n = send(sock, c.data(), c.size(), MSG_NOSIGNAL);
    // CHECK-NOTES: :[[@LINE-1]]:17: warning: the count of 'send' only grows 'delivered' while the loop moves on; a short write's remainder is never written [drain-partial-write]
    // CHECK-NOTES: :[[@LINE-2]]:28: note: the next iteration writes other data; compare the count with the requested length or write the rest first
    if (n <= 0)
      break;
    delivered = delivered + static_cast<size_t>(n);
    // CHECK-NOTES: :[[@LINE-1]]:15: note: 'delivered' grows by the count here
  }
  return delivered;
}

int retry_resends_start_of_buffer(int fd, const char *buf, size_t left) {
  while (left > 0) {
    ssize_t n = write(fd, buf, left);
    // CHECK-NOTES: :[[@LINE-1]]:17: warning: a retry of 'write' resends the start of the buffer: the count shrinks 'left' but the pointer is never advanced [drain-partial-write]
    // CHECK-NOTES: :[[@LINE-2]]:27: note: the same pointer is written from on every retry; advance it by the count
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    left -= static_cast<size_t>(n);
    // CHECK-NOTES: :[[@LINE-1]]:10: note: 'left' shrinks by the count here
  }
  return 0;
}

int retry_resends_original_buffer(int sock, const char *msg, size_t len) {
  size_t sent = 0;
  while (sent < len) {
    ssize_t n = send(sock, msg, len, 0);
    // CHECK-NOTES: :[[@LINE-1]]:17: warning: a retry of 'send' resends the original buffer: the count only grows 'sent' [drain-partial-write]
    // CHECK-NOTES: :[[@LINE-2]]:28: note: the next write starts from the same pointer; advance it and the length by the count
    if (n < 0)
      return -1;
    sent += static_cast<size_t>(n);
    // CHECK-NOTES: :[[@LINE-1]]:10: note: 'sent' grows by the count here
  }
  return 0;
}

int would_block_exit_drops_progress(int sock, const char *buf, size_t len) {
  size_t off = 0;
  while (off < len) {
    ssize_t n = send(sock, buf + off, len - off, MSG_NOSIGNAL);
    // CHECK-NOTES: :[[@LINE-1]]:17: warning: bytes already written by 'send' are lost when the loop returns on would-block: 'off' is neither returned nor stored, so the caller writes them again [drain-partial-write]
    if (n < 0) {
      if (errno == EINTR)
        continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        return -EAGAIN;
      // CHECK-NOTES: :[[@LINE-1]]:9: note: returns on would-block here without 'off'; return the count or keep the offset for the retry
      return -1;
    }
    off += static_cast<size_t>(n);
    // CHECK-NOTES: :[[@LINE-1]]:9: note: 'off' counts the bytes written here
  }
  return 0;
}

int count_checked_only_in_assert(int fd, const char *buf, size_t len) {
  ssize_t n = write(fd, buf, len);
  // CHECK-NOTES: :[[@LINE-1]]:15: warning: result of 'write' is compared only inside an assertion; without it (NDEBUG) a short write drops the rest of the buffer unnoticed [drain-partial-write]
  if (n < 0)
    return -1;
  assert(static_cast<size_t>(n) == len);
  // CHECK-NOTES: :[[@LINE-1]]:3: note: the assertion compiled out by NDEBUG is the only check of the count; loop until all bytes are written
  return 0;
}

// negatives

// The shape of nginx's ngx_unix_send: one send, the count goes back to the caller, would-block
// is told apart and returned before any progress.
enum { SEND_AGAIN = -2, SEND_ERROR = -1 };
struct Event {
  bool ready;
};
struct NgxConnection {
  int fd;
  Event *write;
  off_t sent;
};
ssize_t unix_send(NgxConnection *c, const unsigned char *buf, size_t size) {
  for (;;) {
    ssize_t n = send(c->fd, buf, size, 0);
    if (n > 0) {
      if (static_cast<size_t>(n) < size)
        c->write->ready = false;
      c->sent += n;
      return n;
    }
    int err = errno;
    if (n == 0) {
      c->write->ready = false;
      return n;
    }
    if (err == EAGAIN || err == EINTR) {
      c->write->ready = false;
      if (err == EAGAIN)
        return SEND_AGAIN;
    } else {
      return SEND_ERROR;
    }
  }
}

// The shape of libuv's uv__write: the count goes to a helper that advances the request's
// buffers within the current iovec.
struct WriteReq {
  iovec *bufs;
  unsigned nbufs;
  unsigned write_index;
};
bool write_req_update(WriteReq *req, size_t n) {
  iovec *buf = req->bufs + req->write_index;
  do {
    size_t len = n < buf->iov_len ? n : buf->iov_len;
    buf->iov_base = static_cast<char *>(buf->iov_base) + len;
    buf->iov_len -= len;
    buf += (buf->iov_len == 0);
    n -= len;
  } while (n > 0);
  req->write_index = static_cast<unsigned>(buf - req->bufs);
  return req->write_index == req->nbufs;
}
int stream_write(int fd, WriteReq *req) {
  for (;;) {
    ssize_t n = writev(fd, req->bufs + req->write_index,
                       static_cast<int>(req->nbufs - req->write_index));
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return errno == EAGAIN ? 0 : -errno;
    }
    if (write_req_update(req, static_cast<size_t>(n)))
      return 1;
  }
}

// The shape of redis's writeToClient: the offset into the reply buffer lives in the client, the
// running total only limits how much one event writes.
struct Client {
  int fd;
  char buf[16 * 1024];
  size_t bufpos;
  size_t sentlen;
};
int write_to_client(Client *c) {
  size_t totwritten = 0;
  while (c->bufpos > 0) {
    ssize_t nwritten = write(c->fd, c->buf + c->sentlen, c->bufpos - c->sentlen);
    if (nwritten <= 0)
      break;
    c->sentlen += static_cast<size_t>(nwritten);
    totwritten += static_cast<size_t>(nwritten);
    if (c->sentlen == c->bufpos) {
      c->bufpos = 0;
      c->sentlen = 0;
    }
    if (totwritten > 64 * 1024)
      break;
  }
  if (totwritten == 0 && errno != EAGAIN)
    return -1;
  return 0;
}

// The shape of curl's Curl_write over a socket: the count reaches the caller through *written,
// would-block is reported before anything was written.
enum Code { CODE_OK, CODE_AGAIN, CODE_SEND_ERROR };
Code socket_write(int sock, const void *mem, size_t len, ssize_t *written) {
  ssize_t bytes = send(sock, mem, len, MSG_NOSIGNAL);
  *written = 0;
  if (bytes < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
      return CODE_AGAIN;
    return CODE_SEND_ERROR;
  }
  *written = bytes;
  return CODE_OK;
}

ssize_t would_block_exit_returns_progress(int sock, const char *buf, size_t len) {
  size_t off = 0;
  while (off < len) {
    ssize_t n = send(sock, buf + off, len - off, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      if (errno == EAGAIN)
        return off > 0 ? static_cast<ssize_t>(off) : -1;
      return -1;
    }
    off += static_cast<size_t>(n);
  }
  return static_cast<ssize_t>(off);
}

struct OutQueue {
  int fd;
  const char *data;
  size_t len;
  size_t off;
};
int would_block_exit_stores_progress(OutQueue *q) {
  size_t off = q->off;
  while (off < q->len) {
    ssize_t n = write(q->fd, q->data + off, q->len - off);
    if (n < 0) {
      if (errno == EAGAIN) {
        q->off = off;
        return 0;
      }
      return -1;
    }
    off += static_cast<size_t>(n);
  }
  q->off = off;
  return 1;
}

ssize_t stops_at_the_first_short_iovec(int fd, const iovec *iov, int cnt) {
  ssize_t total = 0;
  for (int i = 0; i < cnt; i++) {
    ssize_t n = write(fd, iov[i].iov_base, iov[i].iov_len);
    if (n < 0)
      return total > 0 ? total : -1;
    total += n;
    if (static_cast<size_t>(n) < iov[i].iov_len)
      break;
  }
  return total;
}

ssize_t eintr_retry_then_counted_once(int fd, const char *buf, size_t len, ssize_t total) {
  ssize_t n;
  do
    n = write(fd, buf, len);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return -1;
  total += n;
  return total;
}

long long same_block_written_for_throughput(int fd, int rounds) {
  static char block[64 * 1024];
  long long total = 0;
  for (int i = 0; i < rounds; i++) {
    ssize_t n = write(fd, block, sizeof block);
    if (n < 0)
      return -1;
    total += n;
  }
  return total;
}

int assert_next_to_a_real_check(int fd, const char *buf, size_t len) {
  ssize_t n = write(fd, buf, len);
  assert(n != 0);
  if (n < 0 || static_cast<size_t>(n) != len)
    return -1;
  return 0;
}

int write_all_with_index(int fd, const std::vector<char> &out) {
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = write(fd, &out[done], out.size() - done);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    done += static_cast<size_t>(n);
  }
  return 0;
}
