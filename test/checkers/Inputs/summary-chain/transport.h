#include <stddef.h>
#include <sys/types.h>

struct session {
  int fd;
};

/* transport.c */
ssize_t tx_write(int fd, const void *buf, size_t len);
/* session.c: calls tx_write, defined in transport.c */
ssize_t session_send(struct session *s, const void *buf, size_t len);
int session_send_all(struct session *s, const char *buf, size_t len);
