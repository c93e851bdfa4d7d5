/* drain-shutdown-before-flush: a one-byte write cannot be short; with its error checked, the
 * close after it is still reported (lighttpd server.c:1729). */
#include <unistd.h>

int notify_parent(int fd) {
  if (0 > write(fd, "", 1))
    return -1;
  close(fd); /* reported */
  return 0;
}
