#include <stddef.h>
#include <sys/types.h>

struct outq {
  int fd;
  char buf[4096];
  size_t len;
};

ssize_t sock_send(int fd, const void *buf, size_t len);
int send_all(int fd, const char *buf, size_t len);
int outq_flush(struct outq *q);
void sock_close(struct outq *q);
