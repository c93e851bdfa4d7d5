// drain-shutdown-before-flush uses drain-partial-write's table of writes that cannot be
// short (WholeWrites.h): a datagram sent with a destination address, a small constant-size
// wake-up to an eventfd or a self-pipe. Closing after such a write with its error checked
// loses nothing; a stream socket's send of the same size, or a write of a computed length,
// still can (curl's tftp, libuv's async wake-up, libevent's notify pipe).
// RUN: %check_drain -std=c11 %s drain-shutdown-before-flush %t

#define _GNU_SOURCE
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

// positives

// A stream socket with less room than the message takes part of it, whatever its size.
int send_error_reply_then_close(int fd, const char reply[16]) {
  if (send(fd, reply, 16, 0) < 0)
    return -1;
  close(fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'fd' is closed after a write that may not have sent everything [drain-shutdown-before-flush]
  return 0;
}

// No destination address: sendto on a connected socket, which may be a stream.
int sendto_connected_then_close(int fd, const char *msg, size_t len) {
  if (sendto(fd, msg, len, 0, NULL, 0) < 0)
    return -1;
  close(fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'fd' is closed after a write that may not have sent everything [drain-shutdown-before-flush]
  return 0;
}

// A length computed at run time can exceed what a pipe takes at once.
int write_message_then_close(int fd, const char *msg) {
  if (write(fd, msg, strlen(msg)) < 0)
    return -1;
  close(fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'fd' is closed after a write that may not have sent everything [drain-shutdown-before-flush]
  return 0;
}

// negatives

int send_error_datagram_then_close(int fd, const struct sockaddr *to, socklen_t tolen,
                                   const char pkt[4]) {
  if (sendto(fd, pkt, 4, 0, to, tolen) < 0)
    return -1;
  close(fd);
  return 0;
}

void send_error_datagram_unchecked_then_close(int fd, const struct sockaddr *to,
                                              socklen_t tolen, const char *msg, size_t len) {
  (void)sendto(fd, msg, len, 0, to, tolen);
  close(fd);
}

int wake_eventfd_then_close(int efd) {
  uint64_t one = 1;
  ssize_t r;
  do
    r = write(efd, &one, sizeof one);
  while (r == -1 && 0);
  if (r < 0)
    return -1;
  close(efd);
  return 0;
}

int notify_self_pipe_then_close(int pipe_wr) {
  if (write(pipe_wr, "x", 1) < 0)
    return -1;
  close(pipe_wr);
  return 0;
}
