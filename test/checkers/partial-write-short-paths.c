// What the path of a short count (0 < n < len) does with it, when the count is compared: an
// offset advanced by the requested length instead of the count, a retry from the advanced
// pointer that asks for the full length again. Also the writes whose count hides in a
// library's return or request (libssh2's channel writes, libuv's synchronous fs requests).
// RUN: %check_drain -std=c11 %s drain-partial-write %t -- -- -I%S/Inputs/packs

#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>
#include "uv-fs.h"

#include "libssh2.h"

struct packet {
  unsigned char *outbuf;
  size_t total;
  size_t osent;
};

struct out {
  int fd;
  const char *buf;
  size_t len;
  size_t off;
  int want_write;
};

// positives

// libssh2's send_existing before dd38d0a: the rest of a packet is resent, and a partial send
// moves the offset past bytes the socket never took.
int send_existing(int fd, struct packet *p) {
  ssize_t length = (ssize_t)(p->total - p->osent);
  ssize_t rc = send(fd, &p->outbuf[p->osent], (size_t)length, 0);
  // CHECK-NOTES: :[[@LINE-1]]:16: warning: after a short write by 'send', 'osent' is advanced by the requested length 'length', not by the count; the rest of the data is never written [drain-partial-write]
  if (rc == length) {
    free(p->outbuf);
    p->outbuf = NULL;
    return 0;
  } else if (rc < 0) {
    if (errno != EAGAIN)
      return -1;
    return 1;
  }
  p->osent += (size_t)length;
  // CHECK-NOTES: :[[@LINE-1]]:12: note: 'osent' is advanced by 'length' here, where the count may be short; advance it by the count
  return 1;
}

int flush_noting_short_then_skipping(struct out *o) {
  size_t len = o->len - o->off;
  ssize_t n = write(o->fd, o->buf + o->off, len);
  // CHECK-NOTES: :[[@LINE-1]]:15: warning: after a short write by 'write', 'off' is advanced by the requested length 'len', not by the count; the rest of the data is never written [drain-partial-write]
  if (n < 0)
    return -1;
  if ((size_t)n < len)
    o->want_write = 1;
  o->off = o->off + len;
  // CHECK-NOTES: :[[@LINE-1]]:10: note: 'off' is advanced by 'len' here, where the count may be short; advance it by the count
  return 0;
}

// rsyslog's omprog writePipe before 196870d: the offset grows, the length stays the message's.
int write_pipe(int fd, const char *msg, int len) {
  int written;
  int off = 0;
  do {
    written = (int)write(fd, msg + off, (size_t)len);
    // CHECK-NOTES: :[[@LINE-1]]:20: warning: a retry of 'write' starts further into the buffer but asks for the full length again: 'off' grows by the count, 'len' never shrinks, and the write reads past the end of the data [drain-partial-write]
    // CHECK-NOTES: :[[@LINE-2]]:41: note: the length is the same on every retry; pass what is left
    if (written == -1)
      return -1;
    off += written;
    // CHECK-NOTES: :[[@LINE-1]]:9: note: 'off' grows by the count here
  } while (written != len);
  return 0;
}

int send_pointer_advances_length_stays(int s, const char *p, size_t len) {
  size_t sent = 0;
  while (sent < len) {
    ssize_t n = send(s, p, len, MSG_NOSIGNAL);
    // CHECK-NOTES: :[[@LINE-1]]:17: warning: a retry of 'send' starts further into the buffer but asks for the full length again: 'p' grows by the count, 'len' never shrinks, and the write reads past the end of the data [drain-partial-write]
    // CHECK-NOTES: :[[@LINE-2]]:28: note: the length is the same on every retry; pass what is left
    if (n < 0)
      return -1;
    p += n;
    // CHECK-NOTES: :[[@LINE-1]]:7: note: 'p' grows by the count here
    sent += (size_t)n;
  }
  return 0;
}

// libssh2's direct_tcpip example before a1e744b: every retry writes the buffer's start.
int forward_to_channel(LIBSSH2_CHANNEL *channel, const char *buf, ssize_t len) {
  ssize_t wr = 0, i;
  do {
    i = libssh2_channel_write(channel, buf, len);
    // CHECK-NOTES: :[[@LINE-1]]:9: warning: a retry of 'libssh2_channel_write_ex' resends the original buffer: the count only grows 'wr' [drain-partial-write]
    // CHECK-NOTES: :[[@LINE-2]]:9: note: the next write starts from the same pointer; advance it and the length by the count
    if (i < 0)
      return -1;
    wr += i;
    // CHECK-NOTES: :[[@LINE-1]]:8: note: 'wr' grows by the count here
  } while (i > 0 && wr < len);
  return 0;
}

// The count's local was a loop counter before the write: that loop never sees the count.
int announce_then_send(int s, const unsigned char *key, const char *msg, int len) {
  int i, sent = 0;
  for (i = 0; i < 4; i++)
    if (key[i] == 0)
      return -1;
  do {
    i = (int)send(s, msg, (size_t)len, 0);
    // CHECK-NOTES: :[[@LINE-1]]:14: warning: a retry of 'send' resends the original buffer: the count only grows 'sent' [drain-partial-write]
    // CHECK-NOTES: :[[@LINE-2]]:22: note: the next write starts from the same pointer; advance it and the length by the count
    if (i < 0)
      return -1;
    sent += i;
    // CHECK-NOTES: :[[@LINE-1]]:10: note: 'sent' grows by the count here
  } while (sent < len);
  return 0;
}

int sftp_upload_block(LIBSSH2_SFTP_HANDLE *h, const char *block, size_t n) {
  if (libssh2_sftp_write(h, block, n) < 0)
    // CHECK-NOTES: :[[@LINE-1]]:7: warning: result of 'libssh2_sftp_write' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    // CHECK-NOTES: :[[@LINE-2]]:36: note: the count is never compared with 'n'; loop until all bytes are written
    // CHECK-NOTES: :[[@LINE-3]]:39: note: the count is only tested for failure here
    return -1;
  return 0;
}

// libuv's uv__fs_copyfile before dff7ebe: one synchronous sendfile for the whole size.
int copy_with_one_sendfile(uv_file dst, uv_file src, size_t size) {
  uv_fs_t req;
  int result;
  int err = uv_fs_sendfile(NULL, &req, dst, src, 0, size, NULL);
  // CHECK-NOTES: :[[@LINE-1]]:13: warning: result of 'uv_fs_sendfile' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
  // CHECK-NOTES: :[[@LINE-2]]:53: note: the count is never compared with 'size'; loop until all bytes are written
  uv_fs_req_cleanup(&req);
  if (err < 0)
    // CHECK-NOTES: :[[@LINE-1]]:11: note: the count is only tested for failure here
    result = err;
  else
    result = 0;
  return result;
}

// negatives

int send_existing_fixed(int fd, struct packet *p) {
  ssize_t length = (ssize_t)(p->total - p->osent);
  ssize_t rc = send(fd, &p->outbuf[p->osent], (size_t)length, 0);
  if (rc == length) {
    free(p->outbuf);
    p->outbuf = NULL;
    return 0;
  } else if (rc < 0) {
    if (errno != EAGAIN)
      return -1;
    return 1;
  }
  p->osent += (size_t)rc;
  return 1;
}

int advanced_by_length_only_when_all_was_taken(int fd, struct packet *p) {
  size_t length = p->total - p->osent;
  ssize_t rc = send(fd, p->outbuf + p->osent, length, 0);
  if (rc < 0)
    return errno == EAGAIN ? 1 : -1;
  if ((size_t)rc != length) {
    p->osent += (size_t)rc;
    return 1;
  }
  p->osent += length;
  return 0;
}

int short_count_leaves_early(struct out *o) {
  size_t len = o->len - o->off;
  ssize_t n = write(o->fd, o->buf + o->off, len);
  if (n < 0)
    return -1;
  if ((size_t)n < len) {
    o->off += (size_t)n;
    o->want_write = 1;
    return 1;
  }
  o->off = o->off + len;
  return 0;
}

int write_pipe_fixed(int fd, const char *msg, ssize_t len) {
  ssize_t written;
  ssize_t off = 0;
  do {
    written = write(fd, msg + off, (size_t)(len - off));
    if (written == -1)
      return -1;
    off += written;
  } while (off < len);
  return 0;
}

int send_pointer_and_length_move_together(int s, const char *p, size_t left) {
  while (left > 0) {
    ssize_t n = send(s, p, left, MSG_NOSIGNAL);
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

int write_records(int fd, const char *rec, int count, size_t recsz) {
  for (int i = 0; i < count; i++) {
    ssize_t n = write(fd, rec, recsz);
    if (n < 0 || (size_t)n != recsz)
      return -1;
    rec += n;
  }
  return 0;
}

int write_chunks_of_at_most(int fd, const char *p, size_t left) {
  while (left > 0) {
    size_t chunk = left < 4096 ? left : 4096;
    ssize_t n = write(fd, p, chunk);
    if (n <= 0)
      return -1;
    p += n;
    left -= (size_t)n;
  }
  return 0;
}

int forward_to_channel_fixed(LIBSSH2_CHANNEL *channel, const char *buf, ssize_t len) {
  ssize_t wr = 0;
  while (wr < len) {
    ssize_t i = libssh2_channel_write(channel, buf + wr, (size_t)(len - wr));
    if (i == LIBSSH2_ERROR_EAGAIN)
      continue;
    if (i < 0)
      return -1;
    wr += i;
  }
  return 0;
}

int copy_with_sendfile_loop(uv_file dst, uv_file src, size_t size) {
  uv_fs_t req;
  int err = 0;
  size_t left = size;
  int64_t in_offset = 0;
  while (left != 0) {
    err = uv_fs_sendfile(NULL, &req, dst, src, in_offset, left, NULL);
    uv_fs_req_cleanup(&req);
    if (err < 0)
      break;
    left -= (size_t)req.result;
    in_offset += req.result;
  }
  return err < 0 ? err : 0;
}

void on_sent(uv_fs_t *req);
int queue_sendfile(uv_loop_t *loop, uv_fs_t *req, uv_file dst, uv_file src, size_t size) {
  if (uv_fs_sendfile(loop, req, dst, src, 0, size, on_sent) < 0)
    return -1;
  return 0;
}

int write_error_kept_count_compared(int fd, const char *b, size_t len) {
  int ret;
  ssize_t n = write(fd, b, len);
  if (n < 0)
    ret = (int)n;
  else if ((size_t)n != len)
    ret = -EIO;
  else
    ret = 0;
  return ret;
}

int announce_then_send_all(int s, const unsigned char *key, const char *msg, int len) {
  int i, sent = 0;
  for (i = 0; i < 4; i++)
    if (key[i] == 0)
      return -1;
  do {
    i = (int)send(s, msg + sent, (size_t)(len - sent), 0);
    if (i < 0)
      return -1;
    sent += i;
  } while (sent < len);
  return 0;
}
