/* drain-shutdown-before-flush: a write-all loop whose progress is in a do-while condition
 * (lighttpd mod_webdav.c:2852) is not recognised; the close after it is reported. */
#include <errno.h>
#include <unistd.h>

int copy_out(int ofd, const char *buf, ssize_t rd) {
  ssize_t wr, off = 0;
  do {
    wr = write(ofd, buf + off, (size_t)(rd - off));
  } while (wr >= 0 ? (off += wr) != rd : errno == EINTR);
  if (wr < 0)
    return -1;
  return close(ofd); /* reported */
}
