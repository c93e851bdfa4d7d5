// Callers that drop the result.
#include "sock.h"

void pop_quit(struct connection *conn) { sock_write_quiet(conn, "QUIT\r\n", 6); }

void pop_noop(struct connection *conn) { (void)sock_write_quiet(conn, "NOOP\r\n", 6); }

void pop_stat(struct connection *conn) { sock_write_stale(conn, "STAT\r\n", 6); }
