// A short count that is noticed, only logged, and returned is handed to the callers: a
// function returning what its write took is a partial write itself, and its callers must
// write the rest. It is reported only where every caller in the file tests the result for
// failure alone or drops it: then nobody writes the rest.
// RUN: %check_drain -std=c11 %s drain-partial-write %t

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/types.h>

struct connection {
  int fd;
  int (*conn_write)(struct connection *conn, const char *buf, size_t count);
};
void debug_print(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void socket_close(struct connection *conn);

// positives

// neomutt's mutt_socket_write_d before 3ca3bcc, with its callers (SMTP, POP) in one file.
int socket_write(struct connection *conn, const char *buf, int len) {
  int rc;
  if (len < 0)
    len = (int)strlen(buf);
  if ((rc = conn->conn_write(conn, buf, (size_t)len)) < 0) {
    // CHECK-NOTES: :[[@LINE-1]]:19: warning: a short write by 'conn_write' is noticed but only logged; 'socket_write' returns the short count to callers that test it only for failure, so the rest of the buffer is dropped [drain-partial-write]
    debug_print(1, "socket_write: error writing, closing socket\n");
    socket_close(conn);
    return -1;
  }
  if (rc < len) {
    // CHECK-NOTES: :[[@LINE-1]]:10: note: the count is compared with the length here, but the short side only logs and goes on; write the rest, or fail
    debug_print(1, "socket_write: ERROR: wrote %d of %d bytes!\n", rc, len);
  }
  return rc;
}

int smtp_helo(struct connection *conn, const char *buf) {
  if (socket_write(conn, buf, -1) == -1)
  // CHECK-NOTES: :[[@LINE-1]]:7: note: a caller tests the result of 'socket_write' only for failure here
    return -1;
  return 0;
}

void smtp_quit(struct connection *conn) { socket_write(conn, "QUIT\r\n", -1); }

// negatives

// The same wrapper writing until all is sent, for the same callers.
int socket_write_all(struct connection *conn, const char *buf, int len) {
  int rc;
  int sent = 0;
  if (len < 0)
    len = (int)strlen(buf);
  while (sent < len) {
    if ((rc = conn->conn_write(conn, buf + sent, (size_t)(len - sent))) < 0) {
      debug_print(1, "socket_write: error writing, closing socket\n");
      socket_close(conn);
      return -1;
    }
    if (rc < len - sent)
      debug_print(3, "socket_write: short write (%d of %d bytes)\n", rc, len - sent);
    sent += rc;
  }
  return sent;
}

int pop_user(struct connection *conn, const char *buf) {
  if (socket_write_all(conn, buf, -1) == -1)
    return -1;
  return 0;
}

void pop_quit(struct connection *conn) { socket_write_all(conn, "QUIT\r\n", -1); }

// A non-blocking send that traces short writes; its caller writes the rest.
int conn_send(struct connection *conn, const char *buf, int len) {
  int rc = conn->conn_write(conn, buf, (size_t)len);
  if (rc < 0)
    return errno == EAGAIN ? 0 : -1;
  if (rc < len)
    debug_print(5, "conn_send: partial write (%d of %d bytes)\n", rc, len);
  return rc;
}

int conn_flush(struct connection *conn, const char *buf, int len) {
  int off = 0;
  while (off < len) {
    int n = conn_send(conn, buf + off, len - off);
    if (n < 0)
      return -1;
    off += n;
  }
  return 0;
}

// A traced write whose callers are in other files: the count is theirs to look at.
int conn_write_traced(struct connection *conn, const char *buf, int len) {
  int rc = conn->conn_write(conn, buf, (size_t)len);
  if (rc < 0)
    return -1;
  if (rc < len)
    debug_print(5, "conn_write_traced: wrote %d of %d bytes\n", rc, len);
  return rc;
}
