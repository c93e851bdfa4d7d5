// Remainder accounting: a write resumed with its length reduced by the bytes already written
// must start where they ended. A length of `total - done` (or a local clamped to it) with the
// data pointer left at the start of the data sends the opening bytes again and never the
// last ones, whether the write runs again in a loop, after a goto, or on the next call of a
// function that resumes from saved progress (a yield). The callee may be a project's own
// "put up to n bytes" function: its count is added to the progress that shrinks its length,
// and it reads its data through a pointer to const.
// RUN: %check_drain -std=c11 %s drain-partial-write %t

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

struct chunk {
  const char *ptr;
  size_t len;
};
static inline struct chunk chunk2(const void *ptr, size_t len) {
  struct chunk c = {(const char *)ptr, len};
  return c;
}

struct channel;
struct vm;
size_t channel_room(struct channel *chn);
/// Copies the chunk into the channel's buffer: the number of bytes copied, -1 if it does not
/// fit.
int channel_insert(struct channel *chn, struct chunk data);
int channel_closed(struct channel *chn);
const char *vm_check_string(struct vm *L, int idx, size_t *len);
long vm_check_integer(struct vm *L, int idx);
void vm_push_integer(struct vm *L, long v);
void vm_yield(struct vm *L, int (*resume)(struct vm *));

struct ring;
/// Appends up to len bytes of data; the number appended.
size_t ring_put(struct ring *r, const void *data, size_t len);
void ring_wait(struct ring *r);
/// Copies up to n - 1 bytes of src to dst and terminates it; the number copied.
size_t copy_out(char *dst, const char *src, size_t n);
void note_short_write(size_t asked, ssize_t got);

// positives

// A script's send() pushes a string into a channel in several passes, resuming after a yield
// with the bytes already pushed (haproxy's Channel:send() before e85323d): each pass is
// limited to the rest of the string but copies from its start.
int channel_send_resume(struct vm *L) {
  struct channel *chn = 0;
  size_t sz, len;
  const char *str = vm_check_string(L, 2, &sz);
  long l = vm_check_integer(L, 3);
  int ret;

  if (channel_closed(chn)) {
    vm_push_integer(L, -1);
    return 1;
  }
  len = channel_room(chn);
  if (len > sz - l)
    len = sz - l;
  ret = channel_insert(chn, chunk2(str, len));
  // CHECK-NOTES: :[[@LINE-1]]:9: warning: a resumed 'channel_insert' writes the start of the data again: its length shrinks by 'l', the bytes already written, but the data is not advanced by it [drain-partial-write]
  // CHECK-NOTES: :[[@LINE-2]]:36: note: the data starts here on every pass; advance it by 'l'
  if (ret == -1) {
    vm_push_integer(L, -1);
    return 1;
  }
  if (ret) {
    l += ret;
    // CHECK-NOTES: :[[@LINE-1]]:7: note: 'l' counts the bytes already written here
    vm_push_integer(L, l);
  }
  if (l < (long)sz)
    vm_yield(L, channel_send_resume);
  return 1;
}

// A write-all loop that compares each count with what it asked for (a statistic of short
// writes), and writes the rest from the start of the data.
int write_all_counted(int fd, const char *data, size_t total) {
  size_t done = 0;
  while (done < total) {
    ssize_t n = write(fd, data, total - done);
    // CHECK-NOTES: :[[@LINE-1]]:17: warning: a resumed 'write' writes the start of the data again: its length shrinks by 'done', the bytes already written, but the data is not advanced by it [drain-partial-write]
    // CHECK-NOTES: :[[@LINE-2]]:27: note: the data starts here on every pass; advance it by 'done'
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    if ((size_t)n < total - done)
      note_short_write(total - done, n);
    done += (size_t)n;
    // CHECK-NOTES: :[[@LINE-1]]:10: note: 'done' counts the bytes already written here
  }
  return 0;
}

// A goto retry into a ring buffer that waits for room in between.
void ring_put_all(struct ring *r, const char *msg, size_t len) {
  size_t sent = 0;
again:
  sent += ring_put(r, msg, len - sent);
  // CHECK-NOTES: :[[@LINE-1]]:11: warning: a resumed 'ring_put' writes the start of the data again: its length shrinks by 'sent', the bytes already written, but the data is not advanced by it [drain-partial-write]
  // CHECK-NOTES: :[[@LINE-2]]:23: note: the data starts here on every pass; advance it by 'sent'
  // CHECK-NOTES: :[[@LINE-3]]:8: note: 'sent' counts the bytes already written here
  if (sent < len) {
    ring_wait(r);
    goto again;
  }
}

// negatives

// The same resumption from the unsent part of the string.
int channel_send_resume_fixed(struct vm *L) {
  struct channel *chn = 0;
  size_t sz, len;
  const char *str = vm_check_string(L, 2, &sz);
  long l = vm_check_integer(L, 3);
  int ret;

  if (channel_closed(chn)) {
    vm_push_integer(L, -1);
    return 1;
  }
  len = channel_room(chn);
  if (len > sz - l)
    len = sz - l;
  ret = channel_insert(chn, chunk2(str + l, len));
  if (ret == -1) {
    vm_push_integer(L, -1);
    return 1;
  }
  if (ret) {
    l += ret;
    vm_push_integer(L, l);
  }
  if (l < (long)sz)
    vm_yield(L, channel_send_resume_fixed);
  return 1;
}

int write_all_counted_fixed(int fd, const char *data, size_t total) {
  size_t done = 0;
  while (done < total) {
    ssize_t n = write(fd, data + done, total - done);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    if ((size_t)n < total - done)
      note_short_write(total - done, n);
    done += (size_t)n;
  }
  return 0;
}

void ring_put_all_fixed(struct ring *r, const char *msg, size_t len) {
  size_t sent = 0;
again:
  sent += ring_put(r, &msg[sent], len - sent);
  if (sent < len) {
    ring_wait(r);
    goto again;
  }
}

// The cursor is computed from the progress before each write.
int write_all_cursor(int fd, const char *data, size_t total) {
  size_t done = 0;
  while (done < total) {
    const char *p = data + done;
    ssize_t n = write(fd, p, total - done);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    if ((size_t)n < total - done)
      note_short_write(total - done, n);
    done += (size_t)n;
  }
  return 0;
}

// The unsent bytes are moved to the front of the buffer after each write.
int write_all_compacting(int fd, char *buf, size_t total) {
  size_t done = 0;
  while (done < total) {
    ssize_t n = write(fd, buf, total - done);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    if ((size_t)n < total - done)
      note_short_write(total - done, n);
    done += (size_t)n;
    memmove(buf, buf + n, total - done);
  }
  return 0;
}

// Appending pieces to an output buffer: the destination advances, the source is each piece.
size_t join_names(char *out, size_t cap, const char *const *names, size_t count) {
  size_t used = 0;
  for (size_t i = 0; i < count && used + 1 < cap; i++)
    used += copy_out(out + used, names[i], cap - used);
  return used;
}

// The progress starts at zero and the write runs once: the subtraction changes nothing.
size_t ring_put_once(struct ring *r, const char *msg, size_t len) {
  size_t sent = 0;
  sent += ring_put(r, msg, len - sent);
  return sent;
}

// The progress is kept in the connection and the caller hands over the unsent part
// (`conn_flush_from(c, c->out + c->sent)`): the parameter is already advanced.
struct conn {
  int fd;
  size_t sent;
  size_t len;
};
int conn_flush_from(struct conn *c, const char *pending) {
  ssize_t n = write(c->fd, pending, c->len - c->sent);
  if (n < 0)
    return errno == EAGAIN ? 0 : -1;
  c->sent += (size_t)n;
  return c->sent == c->len;
}
