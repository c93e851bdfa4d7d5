/* drain-shutdown-before-flush: a close on the path where the short write was detected and
 * reported as an error is reported as "closed after a write that may not have sent
 * everything" (curl lib/file.c:389, lighttpd chunk.c:910, mod_deflate.c:2172). */
#include <unistd.h>

int save(int fd, const char *buf, size_t len) {
  int rc = 0;
  ssize_t n = write(fd, buf, len);
  if (n < 0 || (size_t)n != len)
    rc = -1; /* short or failed: the caller is told */
  close(fd); /* reported */
  return rc;
}
