// A write to the standard error (descriptor 2) is a diagnostic: when it fails there is
// nowhere left to report that, and no peer or file is left incomplete. Its result may be
// dropped, through write() itself or a project's wrapper (nginx's
// `(void) ngx_write_console(ngx_stderr, ...)`). The standard output carries a program's
// product and other descriptors carry data: their writes are still reported.
// RUN: %check_drain -std=c11 %s drain-discarded-io-result %t

#include <stddef.h>
#include <sys/types.h>
#include <unistd.h>

#define console_stderr STDERR_FILENO

static ssize_t write_fd(int fd, const void *buf, size_t n) { return write(fd, buf, n); }
#define write_console write_fd

// positives

void print_result(const char *text, size_t n) {
  write(STDOUT_FILENO, text, n);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'write' is discarded; a failed or short write goes unnoticed [drain-discarded-io-result]
}

void dump_config(const char *text, size_t n) {
  write_fd(1, text, n);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'write_fd' is discarded; a failed or short write goes unnoticed [drain-discarded-io-result]
}

void save_record(int fd, const char *rec, size_t n) {
  write_fd(fd, rec, n);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'write_fd' is discarded; a failed or short write goes unnoticed [drain-discarded-io-result]
}

// negatives

void warn_raw(const char *msg, size_t n) { write(2, msg, n); }

void warn_named(const char *msg, size_t n) { write(STDERR_FILENO, msg, n); }

void warn_console(const char *msg, size_t n) { (void) write_console(console_stderr, msg, n); }

void warn_wrapped(const char *msg, size_t n) { write_fd(STDERR_FILENO, msg, n); }
