// Sends that cannot be short: a sendmsg whose header names a destination goes to a datagram
// socket (a datagram is sent whole or not at all), and a small constant-length send on a Unix
// socket the function makes itself is taken whole or not at all. A TCP socket, a socket of
// unknown kind or a long message can still take part of the bytes.
// RUN: %check_drain -std=c11 %s drain-partial-write %t

#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>

// positives

long send_header_without_destination(int fd, const char *buf, size_t len) {
  struct iovec iov = {(void *)buf, len};
  struct msghdr msg;
  memset(&msg, 0, sizeof(msg));
  msg.msg_name = NULL;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  long n = sendmsg(fd, &msg, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: result of 'sendmsg' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
  if (n < 0)
    return -1;
  return 0;
}

int ack_on_unknown_socket(int sock, int got) {
  if (send(sock, &got, sizeof(got), 0) < 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: result of 'send' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    return -1;
  return 0;
}

int ack_on_tcp_socket(const struct sockaddr_in *to, int got) {
  int sock = socket(AF_INET, SOCK_STREAM, 0);
  if (sock < 0 || connect(sock, (const struct sockaddr *)to, sizeof(*to)) < 0)
    return -1;
  if (send(sock, &got, sizeof(got), 0) < 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: result of 'send' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    return -1;
  return 0;
}

int long_message_on_unix_socket(const char (*page)[65536]) {
  int sock = socket(AF_UNIX, SOCK_STREAM, 0);
  if (sock < 0)
    return -1;
  if (send(sock, *page, sizeof(*page), 0) < 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: result of 'send' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    return -1;
  return 0;
}

// negatives

long send_to_syslog(int fd, struct sockaddr_un *addr, const char *line, size_t len) {
  struct iovec iov = {(void *)line, len};
  struct msghdr msg;
  memset(&msg, 0, sizeof(msg));
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_name = (struct sockaddr *)addr;
  msg.msg_namelen = sizeof(*addr);
  long sent = sendmsg(fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
  return sent < 0 ? -1 : 0;
}

long send_datagram_initialized(int fd, struct sockaddr_in *to, const char *buf, size_t len) {
  struct iovec iov = {(void *)buf, len};
  struct msghdr msg = {.msg_name = to, .msg_namelen = sizeof(*to), .msg_iov = &iov,
                       .msg_iovlen = 1};
  return sendmsg(fd, &msg, 0) < 0 ? -1 : 0;
}

int ack_on_unix_socket(int got) {
  int sock = socket(PF_UNIX, SOCK_STREAM, 0);
  if (sock < 0)
    return -1;
  if (send(sock, &got, sizeof(got), 0) < 0)
    return -1;
  return 0;
}

int ack_on_unix_socket_made_later(int got) {
  int sock = -1;
  sock = socket(AF_UNIX, SOCK_STREAM, 0);
  if (sock < 0)
    return -1;
  int ret;
  do {
    ret = send(sock, &got, sizeof(got), 0);
  } while (ret == -1);
  return ret < 0 ? -1 : 0;
}

int one_byte_on_any_socket(int sock) {
  char c = 'x';
  return send(sock, &c, 1, 0) < 0 ? -1 : 0;
}

int ack_on_either_unix_socket(int got, int use_pair) {
  int sock = -1, sv[2];
  if (use_pair) {
    if (socketpair(PF_UNIX, SOCK_STREAM, 0, sv) < 0)
      return -1;
    sock = sv[1];
  } else {
    sock = socket(PF_UNIX, SOCK_STREAM, 0);
  }
  if (sock < 0 || send(sock, &got, sizeof(got), 0) < 0)
    return -1;
  return 0;
}

int ack_on_array_element_of_unknown_kind(int got, int fds[2]) {
  int sock = fds[1];
  if (send(sock, &got, sizeof(got), 0) < 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: result of 'send' is only checked for errors; a short write drops the rest of the buffer unnoticed [drain-partial-write]
    return -1;
  return 0;
}
