// drain-discarded-io-result on close() of a file descriptor. close() of a socket may be
// dropped (the kernel keeps sending), but close() of a file that was written is where NFS, a
// quota or delayed allocation report a write they could not store: dropping it reports a
// truncated file as saved (rsync's copy_file and receiver, lighttpd's upload temp files and
// WebDAV copies). Reported when the descriptor provably comes from a file-opening call
// (open/openat/creat/mkstemp, a project's `do_open(path, O_WRONLY|...)` or `do_mkstemp`) and
// was written on the path to the close. Sockets, read-only files, descriptors of unknown
// origin, closes without a write, after a checked fsync, or on the path where a write failed
// stay silent.
// RUN: %check_drain -std=c11 %s drain-discarded-io-result %t

#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

int do_open(const char *path, int flags, int mode); // defined in another file
int do_mkstemp(char *tmpl, int perms);              // defined in another file
int write_file(int fd, const char *buf, size_t len); // defined in another file
int get_fd(void);

struct tmpfile_chunk {
  int fd;
  long length;
};

/* positives */

int copy_file(const char *src, const char *dst) {
  char buf[8192];
  ssize_t len;
  int ifd = open(src, O_RDONLY);
  if (ifd == -1)
    return -1;
  int ofd = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (ofd == -1) {
    close(ifd);
    return -1;
  }
  while ((len = read(ifd, buf, sizeof buf)) > 0) {
    if (write(ofd, buf, (size_t)len) != len) {
      close(ifd);
      close(ofd);
      return -1;
    }
  }
  close(ifd);
  close(ofd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'close' is discarded; 'ofd' is a file opened with 'open' for writing and written by 'write', and a write error reported only at close (NFS, quota, a full disk) goes unnoticed [drain-discarded-io-result]
  return len < 0 ? -1 : 0;
}

int save_with_creat(const char *path, const char *text, size_t n) {
  int fd = creat(path, 0644);
  if (fd < 0)
    return -1;
  if (write(fd, text, n) < 0) {
    close(fd);
    return -1;
  }
  close(fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'close' is discarded; 'fd' is a file opened with 'creat' for writing and written by 'write', and a write error reported only at close (NFS, quota, a full disk) goes unnoticed [drain-discarded-io-result]
  return 0;
}

int spool_to_temp(char *tmpl, const char *data, size_t n) {
  int fd = mkstemp(tmpl);
  if (fd == -1)
    return -1;
  pwrite(fd, data, n, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'pwrite' is discarded; a failed or short write goes unnoticed [drain-discarded-io-result]
  close(fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'close' is discarded; 'fd' is a file opened with 'mkstemp' for writing and written by 'pwrite', and a write error reported only at close (NFS, quota, a full disk) goes unnoticed [drain-discarded-io-result]
  return 0;
}

// A project's own openers, named after open and mkstemp; the write goes through a helper of
// another file whose name says it writes.
int receive_to_temp(char *tmpl, const char *data, size_t n) {
  int fd = do_mkstemp(tmpl, 0600);
  if (fd == -1)
    return -1;
  write_file(fd, data, n);
  close(fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'close' is discarded; 'fd' is a file opened with 'do_mkstemp' for writing and written by 'write_file', and a write error reported only at close (NFS, quota, a full disk) goes unnoticed [drain-discarded-io-result]
  return 0;
}

static int full_write(int desc, const char *p, size_t len) {
  while (len > 0) {
    ssize_t r = write(desc, p, len);
    if (r < 0)
      return -1;
    p += r;
    len -= (size_t)r;
  }
  return 0;
}

int store_blob(const char *path, const char *blob, size_t n) {
  int fd = do_open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd == -1)
    return -1;
  if (full_write(fd, blob, n) < 0) {
    close(fd);
    return -1;
  }
  (void)close(fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: result of 'close' is discarded; 'fd' is a file opened with 'do_open' for writing and written by 'full_write', and a write error reported only at close (NFS, quota, a full disk) goes unnoticed [drain-discarded-io-result]
  return 0;
}

// Written through a function of this file that hands the descriptor on.
static int put_record(int out, const char *rec, size_t n) { return full_write(out, rec, n); }

int append_record(const char *path, const char *rec, size_t n) {
  int fd = openat(AT_FDCWD, path, O_WRONLY | O_APPEND);
  if (fd < 0)
    return -1;
  int rc = put_record(fd, rec, n);
  close(fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'close' is discarded; 'fd' is a file opened with 'openat' for writing and written by 'put_record', and a write error reported only at close (NFS, quota, a full disk) goes unnoticed [drain-discarded-io-result]
  return rc;
}

// Flags drain cannot read: open() still never returns a socket, and the file was written.
int save_with_flags(const char *path, int flags, const char *text, size_t n) {
  int fd = open(path, flags, 0644);
  if (fd < 0)
    return -1;
  if (write(fd, text, n) < 0)
    perror("write");
  close(fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'close' is discarded; 'fd' is a file opened with 'open' and written by 'write', and a write error reported only at close (NFS, quota, a full disk) goes unnoticed [drain-discarded-io-result]
  return 0;
}

// A descriptor in a struct field, opened and written in the same function.
int chunk_spool(struct tmpfile_chunk *c, char *tmpl, const char *data, size_t n) {
  c->fd = mkstemp(tmpl);
  if (c->fd < 0)
    return -1;
  if (write(c->fd, data, n) < 0)
    return -1;
  c->length += (long)n;
  close(c->fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'close' is discarded; 'fd' holds a file this code opens with 'mkstemp' for writing and writes with 'write', and a write error reported only at close (NFS, quota, a full disk) goes unnoticed [drain-discarded-io-result]
  c->fd = -1;
  return 0;
}

// The loop writes on one pass and closes on the next.
int write_records(const char *path, const char **recs, int n) {
  int fd = open(path, O_WRONLY | O_CREAT, 0600);
  if (fd < 0)
    return -1;
  for (int i = 0; i < n; i++) {
    if (recs[i] == NULL) {
      close(fd);
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: result of 'close' is discarded; 'fd' is a file opened with 'open' for writing and written by 'write', and a write error reported only at close (NFS, quota, a full disk) goes unnoticed [drain-discarded-io-result]
      return i;
    }
    write(fd, recs[i], 8);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: result of 'write' is discarded; a failed or short write goes unnoticed [drain-discarded-io-result]
  }
  return n;
}

/* negatives */

// The nearest correct code: the close is checked.
int copy_file_checked(const char *src, const char *dst) {
  char buf[8192];
  ssize_t len;
  int ifd = open(src, O_RDONLY);
  if (ifd == -1)
    return -1;
  int ofd = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (ofd == -1) {
    close(ifd);
    return -1;
  }
  while ((len = read(ifd, buf, sizeof buf)) > 0) {
    if (write(ofd, buf, (size_t)len) != len) {
      close(ifd);
      close(ofd);
      return -1;
    }
  }
  close(ifd);
  if (close(ofd) < 0) {
    perror(dst);
    return -1;
  }
  return len < 0 ? -1 : 0;
}

// Checked through a local.
int save_checked_local(const char *path, const char *text, size_t n) {
  int fd = creat(path, 0644);
  if (fd < 0)
    return -1;
  ssize_t w = write(fd, text, n);
  int rc = close(fd);
  return (w == (ssize_t)n && rc == 0) ? 0 : -1;
}

// A socket: close loses nothing the kernel was given.
int send_greeting(const char *host_msg, size_t n) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (s < 0)
    return -1;
  send(s, host_msg, n, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'send' is discarded; a failed or short write goes unnoticed [drain-discarded-io-result]
  close(s);
  return 0;
}

// Opened for reading only.
int checksum_file(const char *path) {
  char buf[512];
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  int sum = 0;
  while (read(fd, buf, sizeof buf) > 0)
    sum += buf[0];
  close(fd);
  return sum;
}

// Created, never written: nothing deferred to report.
int touch_file(const char *path) {
  int fd = open(path, O_WRONLY | O_CREAT, 0644);
  if (fd < 0)
    return -1;
  close(fd);
  return 0;
}

// A descriptor of unknown origin: a parameter, a value from an unknown call.
void put_and_close(int fd, const char *text, size_t n) {
  if (write(fd, text, n) < 0)
    perror("write");
  close(fd);
}

int relay(const char *text, size_t n) {
  int fd = get_fd();
  if (write(fd, text, n) < 0)
    return -1;
  close(fd);
  return 0;
}

// On the way out after a failed write: the failure is being reported already.
int spool_failing(char *tmpl, const char *data, size_t n) {
  int fd = mkstemp(tmpl);
  if (fd == -1)
    return -1;
  ssize_t w = write(fd, data, n);
  if (w >= 0) {
    return fd;
  } else {
    fprintf(stderr, "spooling to %s failed\n", tmpl);
    close(fd);
    unlink(tmpl);
  }
  return -2;
}

int save_or_give_up(const char *path, const char *text, size_t n) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0)
    return -1;
  if (write(fd, text, n) != (ssize_t)n) {
    close(fd);
    unlink(path);
    return -1;
  }
  return fd;
}

// Made durable by a checked fsync after the last write: close has nothing deferred left.
int save_durably(const char *path, const char *text, size_t n) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0)
    return -1;
  if (write(fd, text, n) != (ssize_t)n || fsync(fd) != 0) {
    close(fd);
    return -1;
  }
  close(fd);
  return 0;
}

// Only sized and mapped: ftruncate reports its own errors, and the mapping's write-back is not
// the close's to report.
void *map_backing_file(const char *path, size_t size) {
  int fd = open(path, O_RDWR | O_CREAT, 0600);
  if (fd < 0)
    return NULL;
  if (ftruncate(fd, (off_t)size) != 0) {
    close(fd);
    return NULL;
  }
  void *area = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  return area == MAP_FAILED ? NULL : area;
}

// The descriptor is either a file or a socket: not provably a file.
int emit(const char *path, int use_net, const char *text, size_t n) {
  int fd = use_net ? socket(AF_UNIX, SOCK_STREAM, 0) : open(path, O_WRONLY | O_CREAT, 0600);
  if (fd < 0)
    return -1;
  if (write(fd, text, n) < 0)
    return -1;
  close(fd);
  return 0;
}

/* a failure message in a branch that returns on its own does not make the close after the
   loop a failure exit (lighttpd's WebDAV PUT) */

enum handler { HANDLER_FINISHED = 1, HANDLER_ERROR = 2 };
void log_error_write(const char *fmt, const char *m);

enum handler put_chunks(const char *path, const char **chunks, int n) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd == -1)
    return HANDLER_FINISHED;
  for (int i = 0; i < n; i++) {
    if (chunks[i] == NULL) {
      log_error_write("ss", "open failed: ");
      close(fd);
      return HANDLER_ERROR;
    }
    if (write(fd, chunks[i], 4) < 0)
      break;
  }
  close(fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'close' is discarded; 'fd' is a file opened with 'open' for writing and written by 'write', and a write error reported only at close (NFS, quota, a full disk) goes unnoticed [drain-discarded-io-result]
  return HANDLER_FINISHED;
}

// The failure message is on the way to the close: a failure exit.
enum handler put_chunks_failing(const char *path, const char **chunks, int n) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd == -1)
    return HANDLER_FINISHED;
  for (int i = 0; i < n; i++)
    if (chunks[i] != NULL)
      write(fd, chunks[i], 4);
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: result of 'write' is discarded; a failed or short write goes unnoticed [drain-discarded-io-result]
  if (n == 0)
    log_error_write("ss", "PUT failed: empty body");
  close(fd);
  return HANDLER_ERROR;
}

/* the file is removed: abandoned, or an anonymous temporary file */

struct cache_ctx {
  char *cache_fn;
  int cache_fd;
};

int cache_open(struct cache_ctx *h) {
  h->cache_fd = open(h->cache_fn, O_RDWR | O_CREAT, 0600);
  return h->cache_fd;
}

ssize_t cache_put(struct cache_ctx *h, const char *d, size_t n) {
  return write(h->cache_fd, d, n);
}

// Not renamed into place: the half-written cache file is removed, then closed.
void cache_free(struct cache_ctx *h) {
  if (h->cache_fn) {
    unlink(h->cache_fn);
    free(h->cache_fn);
  }
  if (-1 != h->cache_fd)
    close(h->cache_fd);
}

// Unlinked right after it was made: nothing outlives the close.
int scratch_sum(char *tmpl, const char *d, size_t n) {
  int fd = mkstemp(tmpl);
  if (fd < 0)
    return -1;
  unlink(tmpl);
  if (write(fd, d, n) < 0)
    perror("write");
  close(fd);
  return 0;
}

// Removed unconditionally right after the close.
void write_then_discard(const char *path, const char *d, size_t n) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0)
    return;
  if (write(fd, d, n) < 0)
    perror("write");
  close(fd);
  unlink(path);
}

// Removed only when the copy failed: on success the file is kept, so its close counts.
int copy_or_remove(const char *path, const char *d, size_t n) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0)
    return -1;
  ssize_t w = write(fd, d, n);
  close(fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'close' is discarded; 'fd' is a file opened with 'open' for writing and written by 'write', and a write error reported only at close (NFS, quota, a full disk) goes unnoticed [drain-discarded-io-result]
  if (w != (ssize_t)n) {
    unlink(path);
    return -1;
  }
  return 0;
}

/* the write's failure, tested through likely()/unlikely() or a bool helper */

#define unlikely(x) __builtin_expect(!!(x), 0)
int write_all(int fd, const char *b, size_t n);
_Bool write_block(int fd, const char *b, size_t n);

void append_or_stop(const char *path, const char *b, size_t n, int *cache_fd) {
  int fd = open(path, O_WRONLY | O_APPEND);
  if (fd < 0)
    return;
  if (unlikely(write_all(fd, b, n) < 0)) {
    close(fd);
    fd = -1;
  }
  *cache_fd = fd;
}

void put_or_stop(const char *path, const char *b, size_t n) {
  int fd = open(path, O_WRONLY | O_APPEND);
  if (fd < 0)
    return;
  if (!write_block(fd, b, n)) {
    close(fd);
    return;
  }
  fsync(fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fsync' is discarded; a failed sync goes unnoticed and the data may not be on disk [drain-discarded-io-result]
  close(fd);
}

/* the object's own file name is removed before its descriptor is closed */

struct listing_ctx {
  char *jfn;
  int jfd;
};

void listing_start(struct listing_ctx *h, char *tmpl) {
  int fd = mkstemp(tmpl);
  h->jfd = fd;
  h->jfn = tmpl;
}

void listing_emit(struct listing_ctx *h, const char *b, size_t n) {
  if (write_all(h->jfd, b, n) < 0)
    perror("write");
}

void listing_free(struct listing_ctx *h) {
  if (h->jfn) {
    unlink(h->jfn);
    free(h->jfn);
  }
  if (-1 != h->jfd)
    close(h->jfd);
}

// The same object, finished: its file is kept, the close counts.
void listing_finish(struct listing_ctx *h, const char *b, size_t n) {
  if (write_all(h->jfd, b, n) < 0)
    perror("write");
  close(h->jfd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'close' is discarded; 'jfd' holds a file this code opens with 'mkstemp' for writing and writes with 'write_all', and a write error reported only at close (NFS, quota, a full disk) goes unnoticed [drain-discarded-io-result]
  h->jfd = -1;
}
