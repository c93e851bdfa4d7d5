// Remainder accounting in retry loops that hand a count back or branch on the error: a loop
// that adds each write's count to its progress has taken the remainder on itself, so
// returning the last write's count to the caller does not excuse a length that never shrinks
// (FreeRDP's transport write); and only the branch of an errno test where the write would
// block is a would-block exit (tcpcopy's send loop closes on the other branch, a hard error).
// RUN: %check_drain -std=c11 %s drain-partial-write %t

#include <errno.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

typedef struct {
  unsigned char *buffer;
  unsigned char *pointer;
  size_t capacity;
} wStream;
#define Stream_Pointer(_s) ((_s)->pointer)
#define Stream_Seek(_s, _n) ((_s)->pointer += (_n))

void log_msg(int level, const char *fmt, ...);

// positives

int transport_write_full_length_each_time(int sockfd, wStream *s, int length) {
  int status = -1;
  int sent = 0;
  while (sent < length) {
    status = (int)send(sockfd, Stream_Pointer(s), (size_t)length, 0);
    // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: a retry of 'send' starts further into the buffer but asks for the full length again: 'pointer' grows by the count, 'length' never shrinks, and the write reads past the end of the data [drain-partial-write]
    // CHECK-MESSAGES: :[[@LINE-2]]:51: note: the length is the same on every retry; pass what is left
    if (status < 0)
      break;
    sent += status;
    Stream_Seek(s, status);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: note: 'pointer' grows by the count here
  }
  return status;
}

int send_message_length_never_shrinks(int fd, const char *msg, int len) {
  ssize_t n, offset = 0, num_bytes = len;
  do {
    n = send(fd, msg + offset, (size_t)num_bytes, 0);
    // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: a retry of 'send' starts further into the buffer but asks for the full length again: 'offset' grows by the count, 'num_bytes' never shrinks, and the write reads past the end of the data [drain-partial-write]
    // CHECK-MESSAGES: :[[@LINE-2]]:32: note: the length is the same on every retry; pass what is left
    if (n == -1) {
      if (errno == EINTR)
        log_msg(5, "send interrupted");
      else if (errno == EAGAIN)
        log_msg(5, "send would block");
      else {
        close(fd);
        return -1;
      }
    } else {
      offset += n;
      // CHECK-MESSAGES: :[[@LINE-1]]:14: note: 'offset' grows by the count here
    }
  } while (offset < len);
  return 0;
}

int flush_returns_again_without_progress(int fd, const char *buf, size_t len) {
  size_t off = 0;
  while (off < len) {
    ssize_t n = write(fd, buf + off, len - off);
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: bytes already written by 'write' are lost when the loop returns on would-block: 'off' is neither returned nor stored, so the caller writes them again [drain-partial-write]
    if (n < 0) {
      if (errno == EAGAIN)
        return 0;
      // CHECK-MESSAGES: :[[@LINE-1]]:9: note: returns on would-block here without 'off'; return the count or keep the offset for the retry
      return -1;
    }
    off += (size_t)n;
    // CHECK-MESSAGES: :[[@LINE-1]]:9: note: 'off' counts the bytes written here
  }
  return 1;
}

// negatives

int transport_write_shrinks_length(int sockfd, wStream *s, int length) {
  int status = -1;
  while (length > 0) {
    status = (int)send(sockfd, Stream_Pointer(s), (size_t)length, 0);
    if (status < 0)
      break;
    length -= status;
    Stream_Seek(s, status);
  }
  return status;
}

int send_message_advances_both(int fd, const char *msg, int len) {
  ssize_t n, offset = 0, num_bytes = len;
  do {
    n = send(fd, msg + offset, (size_t)num_bytes, 0);
    if (n == -1) {
      if (errno == EINTR)
        log_msg(5, "send interrupted");
      else if (errno == EAGAIN)
        log_msg(5, "send would block");
      else {
        close(fd);
        return -1;
      }
    } else {
      offset += n;
      num_bytes -= n;
    }
  } while (offset < len);
  return 0;
}

int write_all_closes_on_hard_error(int fd, const char *buf, size_t len) {
  size_t off = 0;
  while (off < len) {
    ssize_t n = write(fd, buf + off, len - off);
    if (n < 0) {
      if (errno != EAGAIN && errno != EINTR) {
        close(fd);
        return -1;
      }
      continue;
    }
    off += (size_t)n;
  }
  return 0;
}

int write_all_retries_on_again_fails_otherwise(int fd, const char *buf, size_t len) {
  size_t off = 0;
  while (off < len) {
    ssize_t n = write(fd, buf + off, len - off);
    if (n == -1) {
      if (errno == EAGAIN || errno == EINTR)
        continue;
      else
        return -1;
    }
    off += (size_t)n;
  }
  return 0;
}

ssize_t write_all_hands_back_the_error(int fd, const char *buf, size_t len) {
  ssize_t n = 0;
  size_t done = 0;
  while (done < len) {
    n = write(fd, buf + done, len - done);
    if (n <= 0)
      return n;
    done += (size_t)n;
  }
  return n;
}

ssize_t flush_returns_progress_on_again(int fd, const char *buf, size_t len) {
  size_t off = 0;
  while (off < len) {
    ssize_t n = write(fd, buf + off, len - off);
    if (n < 0) {
      if (errno == EAGAIN)
        return (ssize_t)off;
      return -1;
    }
    off += (size_t)n;
  }
  return (ssize_t)off;
}
