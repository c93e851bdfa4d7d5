// The socket layer of a small mail client: the writes are defined in
// partial-write-callers-store.c, their callers are in smtp.c, pop.c and imap.c.
#include <stddef.h>

struct connection {
  int fd;
  int (*conn_write)(struct connection *conn, const char *buf, size_t count);
};

int sock_write(struct connection *conn, const char *buf, int len);
int sock_write_quiet(struct connection *conn, const char *buf, int len);
int sock_write_counted(struct connection *conn, const char *buf, int len);
int sock_write_mixed(struct connection *conn, const char *buf, int len);
int sock_write_local(struct connection *conn, const char *buf, int len);
int sock_write_here(struct connection *conn, const char *buf, int len);
int sock_write_unused(struct connection *conn, const char *buf, int len);
int sock_write_stale(struct connection *conn, const char *buf, int len);
int sock_write_all(struct connection *conn, const char *buf, int len);
