// Callers that treat the result as a status: -1 is failure, anything else is done.
#include "sock.h"
#include <string.h>

int smtp_helo(struct connection *conn, const char *buf) {
  if (sock_write(conn, buf, (int)strlen(buf)) == -1)
    return -1;
  return 0;
}

int smtp_data(struct connection *conn, const char *buf) {
  int rc = sock_write(conn, buf, (int)strlen(buf));
  return rc < 0 ? -1 : 0;
}

int smtp_rset(struct connection *conn) {
  if (sock_write_mixed(conn, "RSET\r\n", 6) == -1)
    return -1;
  return 0;
}

int smtp_noop(struct connection *conn) {
  if (sock_write_local(conn, "NOOP\r\n", 6) < 0)
    return -1;
  return 0;
}

int smtp_vrfy(struct connection *conn, const char *buf) {
  if (sock_write_here(conn, buf, (int)strlen(buf)) < 0)
    return -1;
  return 0;
}

int smtp_quit(struct connection *conn) {
  if (sock_write_all(conn, "QUIT\r\n", 6) == -1)
    return -1;
  return 0;
}
