#include "transport.h"
#include <errno.h>
#include <sys/socket.h>

ssize_t tx_write(int fd, const void *buf, size_t len) {
  ssize_t n;
  do
    n = send(fd, buf, len, 0);
  while (n < 0 && errno == EINTR);
  return n;
}
