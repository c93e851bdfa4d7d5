/* drain-partial-write: sendto on a datagram (UDP) socket sends the datagram whole or not at
 * all, yet a count checked only for errors is reported (curl lib/tftp.c: 6 findings, libevent
 * evdns.c:1454). The same for writes of at most PIPE_BUF bytes to a pipe or an eventfd
 * (libuv process.c:237, signal.c:209, libevent event.c:2529), which are atomic. */
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

int send_ack(int udp_fd, const struct sockaddr *to, socklen_t len, const char pkt[4]) {
  ssize_t n = sendto(udp_fd, pkt, 4, 0, to, len); /* reported */
  return n < 0 ? -1 : 0;
}

int notify(int pipe_fd) {
  uint64_t one = 1;
  ssize_t r;
  do
    r = write(pipe_fd, &one, sizeof one); /* reported */
  while (r < 0 && 0);
  return r < 0 ? -1 : 0;
}
