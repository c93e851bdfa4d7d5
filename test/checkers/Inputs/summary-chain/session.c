#include "transport.h"

ssize_t session_send(struct session *s, const void *buf, size_t len) {
  return tx_write(s->fd, buf, len);
}

int session_send_all(struct session *s, const char *buf, size_t len) {
  while (len > 0) {
    ssize_t n = tx_write(s->fd, buf, len);
    if (n < 0)
      return -1;
    buf += n;
    len -= (size_t)n;
  }
  return 0;
}
