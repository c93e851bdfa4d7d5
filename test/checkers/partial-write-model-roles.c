// RUN: %check_drain -std=gnu11 %s drain-partial-write %t -config="{CheckOptions: [{key: ModelFile, value: '%S/Inputs/partial-write/datagram-roles.yaml'}]}"
// The sends and socket makers that make a write whole are roles of the model, so a project's
// own layer gets them from its model file: a send to a destination address is a datagram
// (whole or nothing), a socket-only send of a small message is whole only on a Unix socket
// its function makes, through the project's own socket maker.
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

ssize_t net_sendto(int fd, const void *p, size_t n, const struct sockaddr *to);
ssize_t net_send(int fd, const void *p, size_t n);
int net_socket(int domain, int type);

//===--- positives --------------------------------------------------------===//

int stream_reply(int fd, const char *msg, size_t n) {
  if (net_sendto(fd, msg, n, NULL) < 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: result of 'net_sendto' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    return -1;
  return 0;
}

int tcp_ping(int fd) {
  if (net_send(fd, "PING\r\n", 6) < 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: result of 'net_send' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    return -1;
  return 0;
}

//===--- negatives --------------------------------------------------------===//

int datagram_reply(int fd, const char *msg, size_t n, const struct sockaddr *peer) {
  if (net_sendto(fd, msg, n, peer) < 0)
    return -1;
  return 0;
}

int local_ping(void) {
  int fd = net_socket(AF_UNIX, SOCK_STREAM);
  if (fd < 0)
    return -1;
  if (net_send(fd, "PING\r\n", 6) < 0)
    return -1;
  return 0;
}

int one_byte(int fd) {
  if (net_send(fd, "\n", 1) < 0)
    return -1;
  return 0;
}
