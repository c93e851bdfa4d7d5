// A project's own write-all helpers and buffer flushes, learned from their bodies: dropping
// the answer of one loses a failed write exactly as dropping write()'s count does.
//  - rsync's flush_write_file drains a file-scope static buffer onto the descriptor it is
//    handed and answers the write's failure (receiver.c dropped it, 85f14172);
//  - tinyproxy's safe_write loops until everything is sent and answers the count or -errno,
//    and write_message formats into a buffer of its own and answers 0/-1 from safe_write's
//    answer (utils.c dropped it, 3284f365).
// A helper that exits on failure, a void one, a constant message and a write to a log or a
// standard descriptor are no findings.
// RUN: %check_drain %s drain-discarded-io-result %t -- -- -std=gnu99

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static char *wf_writeBuf;
static size_t wf_writeBufCnt;

int flush_write_file(int f) {
  int ret = 0;
  char *bp = wf_writeBuf;
  while (wf_writeBufCnt > 0) {
    if ((ret = write(f, bp, wf_writeBufCnt)) < 0) {
      if (errno == EINTR)
        continue;
      return ret;
    }
    wf_writeBufCnt -= ret;
    bp += ret;
  }
  return ret;
}

ssize_t safe_write(int fd, const char *buffer, size_t count) {
  ssize_t len;
  size_t bytestosend = count;
  while (1) {
    len = send(fd, buffer, bytestosend, MSG_NOSIGNAL);
    if (len < 0) {
      if (errno == EINTR)
        continue;
      return -errno;
    }
    if (len == bytestosend)
      break;
    buffer += len;
    bytestosend -= len;
  }
  return count;
}

int write_message(int fd, const char *fmt, ...) {
  char *buf = malloc(8192);
  va_list ap;
  int n;
  if (!buf)
    return -1;
  va_start(ap, fmt);
  n = vsnprintf(buf, 8192, fmt, ap);
  va_end(ap);
  if (safe_write(fd, buf, n) < 0) {
    free(buf);
    return -1;
  }
  free(buf);
  return 0;
}

// The same answer through a local.
int send_line(int fd, const char *line, size_t n) {
  int ret = 0;
  if (safe_write(fd, line, n) < 0)
    ret = -1;
  return ret;
}

// positives

int receive_data(int fd, const char *data, int len) {
  if (len > 0)
    return 1;
  flush_write_file(fd);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: result of 'flush_write_file' is discarded; a failed flush leaves data behind unnoticed [drain-discarded-io-result]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: check the result and handle the error
  return 1;
}

int send_http_message(int fd, int code, const char *body, size_t n) {
  write_message(fd, "HTTP/1.0 %d\r\n\r\n", code);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: result of 'write_message' is discarded; a failed write goes unnoticed [drain-discarded-io-result]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: check the result and handle the error
  return safe_write(fd, body, n);
}

void send_banner(int fd, const char *host) {
  safe_write(fd, host, 4);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: result of 'safe_write' is discarded; a failed write goes unnoticed [drain-discarded-io-result]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: check the result and handle the error
  send_line(fd, "\r\n", 2);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: result of 'send_line' is discarded; a failed write goes unnoticed [drain-discarded-io-result]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: check the result and handle the error
}

// A failure message in a branch that ends the program (exit_cleanup has no noreturn attribute
// here) says nothing about the statements after it: `return 1` is this function's success.
void exit_cleanup(int code);

int finish_file(int fd, int bad) {
  if (bad) {
    fprintf(stderr, "write failed on %d\n", fd);
    exit_cleanup(11);
  }
  flush_write_file(fd);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: result of 'flush_write_file' is discarded; a failed flush leaves data behind unnoticed [drain-discarded-io-result]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: check the result and handle the error
  return 1;
}

// negatives

int receive_data_fixed(int fd) {
  if (flush_write_file(fd) < 0)
    return -1;
  return 1;
}

int send_http_message_fixed(int fd, int code, const char *body, size_t n) {
  if (write_message(fd, "HTTP/1.0 %d\r\n\r\n", code) < 0)
    return -1;
  return safe_write(fd, body, n);
}

int forward_answer(int fd, const char *line, size_t n) { return send_line(fd, line, n); }

// A write-all that exits on failure handles the failure itself.
int xwrite(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      perror("write");
      exit(1);
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

// A void write-all answers nothing.
void write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w <= 0)
      return;
    p += w;
    n -= (size_t)w;
  }
}

// A constant message in a static array is not a buffer being drained.
static const char banner[] = "hello\r\n";
int write_banner(int fd) {
  size_t off = 0;
  while (off < sizeof banner - 1) {
    ssize_t w = write(fd, banner + off, sizeof banner - 1 - off);
    if (w < 0)
      return -1;
    off += w;
  }
  return 0;
}

// A static buffer this function never empties: no flush.
static char scratch[64];
int write_scratch(int fd) {
  ssize_t w = write(fd, scratch, sizeof scratch);
  return w < 0 ? -1 : 0;
}

// A helper answering a positive count: not a success/failure answer.
int send_counted(int fd, const char *line, size_t n) {
  if (safe_write(fd, line, n) < 0)
    return -1;
  return 2;
}

void callers(int fd) {
  xwrite(fd, "x", 1);
  write_all(fd, "x", 1);
  write_banner(fd);
  write_scratch(fd);
  send_counted(fd, "ab", 2);
}

// A write-all to a log or a standard descriptor has nowhere to report its own failure
// (lighttpd's log_error_write; a version banner on stdout, as fflush(stdout) is exempt).
struct log_error_st { int fd; };
void log_error_write(struct log_error_st *errh, const char *b, size_t n) {
  safe_write(errh->fd, b, n);
}
void report(struct log_error_st *errh, int access_log_fd, const char *b, size_t n) {
  safe_write(errh->fd, b, n);
  safe_write(access_log_fd, b, n);
  safe_write(STDOUT_FILENO, b, n);
  safe_write(2, b, n);
  safe_write(fileno(stderr), b, n);
}
// A name that only ends like a log is no log.
void send_catalog(int catalog, const char *b, size_t n) {
  safe_write(catalog, b, n);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: result of 'safe_write' is discarded; a failed write goes unnoticed [drain-discarded-io-result]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: check the result and handle the error
}

// A flush dropped on a failure exit: the caller is told the output was abandoned.
int abandon(int fd, int bad) {
  if (bad) {
    flush_write_file(fd);
    return -1;
  }
  return flush_write_file(fd);
}

// The same message branch without an end of the program: a failure exit, as before.
int give_up(int fd, int bad) {
  if (bad)
    fprintf(stderr, "write failed on %d\n", fd);
  flush_write_file(fd);
  return 1;
}
