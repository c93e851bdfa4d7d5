// Callers that use the count: the write is resumed where the last one stopped.
#include "sock.h"
#include <string.h>

int imap_append(struct connection *conn, const char *msg) {
  int len = (int)strlen(msg);
  int off = 0;
  while (off < len) {
    int n = sock_write_counted(conn, msg + off, len - off);
    if (n < 0)
      return -1;
    off += n;
  }
  return 0;
}

int imap_cmd(struct connection *conn, const char *cmd) {
  int len = (int)strlen(cmd);
  int n = sock_write_mixed(conn, cmd, len);
  if (n != len)
    return -1;
  return 0;
}

int imap_idle(struct connection *conn) {
  const char done[] = "DONE\r\n";
  int n = sock_write_local(conn, done, (int)sizeof done - 1);
  return n == (int)sizeof done - 1 ? 0 : -1;
}
