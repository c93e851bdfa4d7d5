// C's assert from glibc is `((void) sizeof ((expr) ? 1 : 0), ({ if (expr) ; else
// __assert_fail (...); }))`: the count compared in it is compared in debug builds only.
// RUN: %check_drain -std=c11 %s drain-partial-write %t

#define _POSIX_C_SOURCE 200809L
#include <assert.h>
#include <stddef.h>
#include <sys/types.h>
#include <unistd.h>

// positives

void header_written_with_assert(int fd, const unsigned char *hdr, size_t len) {
  ssize_t n = write(fd, hdr, len);
  // CHECK-NOTES: :[[@LINE-1]]:15: warning: result of 'write' is compared only inside an assertion; without it (NDEBUG) a short write drops the rest of the buffer unnoticed [drain-partial-write]
  assert(n == (ssize_t)len);
  // CHECK-NOTES: :[[@LINE-1]]:3: note: the assertion compiled out by NDEBUG is the only check of the count; loop until all bytes are written
}

// negatives

int header_written_and_checked(int fd, const unsigned char *hdr, size_t len) {
  ssize_t n = write(fd, hdr, len);
  assert(n != 0);
  return n == (ssize_t)len ? 0 : -1;
}

int header_written_in_a_loop(int fd, const unsigned char *hdr, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, hdr, len);
    if (n < 0)
      return -1;
    assert((size_t)n <= len);
    hdr += n;
    len -= (size_t)n;
  }
  return 0;
}
