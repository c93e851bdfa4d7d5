// The h2o socket declarations the tests use (include/h2o/socket.h; no h2o -dev package in the
// test environment).
#ifndef TEST_H2O_SOCKET_H
#define TEST_H2O_SOCKET_H
#include <stddef.h>

typedef struct st_h2o_socket_t h2o_socket_t;
struct st_h2o_socket_t {
  void *data;
};
typedef struct st_h2o_iovec_t {
  char *base;
  size_t len;
} h2o_iovec_t;
typedef struct st_h2o_sendvec_t h2o_sendvec_t;

/// err is NULL on success, a message otherwise.
typedef void (*h2o_socket_cb)(h2o_socket_t *sock, const char *err);

void h2o_socket_write(h2o_socket_t *sock, h2o_iovec_t *bufs, size_t bufcnt, h2o_socket_cb cb);
void h2o_socket_sendvec(h2o_socket_t *sock, h2o_sendvec_t *bufs, size_t bufcnt,
                        h2o_socket_cb cb);
void h2o_socket_read_start(h2o_socket_t *sock, h2o_socket_cb cb);
void h2o_socket_close(h2o_socket_t *sock);

#endif
