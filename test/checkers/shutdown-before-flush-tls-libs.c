// The close_notify of GnuTLS (gnutls_bye), mbedTLS (mbedtls_ssl_close_notify) and wolfSSL
// (wolfSSL_shutdown) after the session's socket was closed: the session is bound to it by
// gnutls_transport_set_int, by mbedtls_ssl_set_bio with a net context whose fd is closed
// (close(net.fd), mbedtls_net_free(&net)), or by wolfSSL_set_fd.
// RUN: %check_drain -std=c11 %s drain-shutdown-before-flush %t

#include <gnutls/gnutls.h>
#include <stddef.h>
#include <unistd.h>

void gnutls_transport_set_int2(gnutls_session_t session, int r, int s);
#define gnutls_transport_set_int(s, i) gnutls_transport_set_int2(s, i, i)

typedef struct mbedtls_ssl_context {
  int state;
} mbedtls_ssl_context;
typedef struct mbedtls_net_context {
  int fd;
} mbedtls_net_context;
typedef int mbedtls_ssl_send_t(void *ctx, const unsigned char *buf, size_t len);
typedef int mbedtls_ssl_recv_t(void *ctx, unsigned char *buf, size_t len);
int mbedtls_net_send(void *ctx, const unsigned char *buf, size_t len);
int mbedtls_net_recv(void *ctx, unsigned char *buf, size_t len);
void mbedtls_ssl_set_bio(mbedtls_ssl_context *ssl, void *p_bio, mbedtls_ssl_send_t *f_send,
                         mbedtls_ssl_recv_t *f_recv, void *f_recv_timeout);
int mbedtls_ssl_close_notify(mbedtls_ssl_context *ssl);
void mbedtls_ssl_free(mbedtls_ssl_context *ssl);
void mbedtls_net_free(mbedtls_net_context *ctx);

typedef struct WOLFSSL WOLFSSL;
int wolfSSL_set_fd(WOLFSSL *ssl, int fd);
int wolfSSL_shutdown(WOLFSSL *ssl);
void wolfSSL_free(WOLFSSL *ssl);

struct gtls_conn {
  gnutls_session_t tls;
  int sock;
};

// positives

void gnutls_close_then_bye(gnutls_session_t s, int fd) {
  gnutls_transport_set_int(s, fd);
  close(fd);
  gnutls_bye(s, GNUTLS_SHUT_WR);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the close_notify of 's' is sent after its socket 'fd' was closed; the alert goes to a closed descriptor, or to the connection that reuses it [drain-shutdown-before-flush]
  gnutls_deinit(s);
}

void gnutls_conn_free(struct gtls_conn *conn) {
  close(conn->sock);
  gnutls_bye(conn->tls, GNUTLS_SHUT_WR);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the close_notify of 'conn->tls' is sent after its socket 'conn->sock' was closed; the alert goes to a closed descriptor, or to the connection that reuses it [drain-shutdown-before-flush]
  gnutls_deinit(conn->tls);
}

void mbed_session_end(mbedtls_ssl_context *ssl, mbedtls_net_context *net) {
  mbedtls_ssl_set_bio(ssl, net, mbedtls_net_send, mbedtls_net_recv, NULL);
  mbedtls_net_free(net);
  mbedtls_ssl_close_notify(ssl);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the close_notify of 'ssl' is sent after its socket 'net' was closed; the alert goes to a closed descriptor, or to the connection that reuses it [drain-shutdown-before-flush]
  mbedtls_ssl_free(ssl);
}

void wolf_end(WOLFSSL *ssl, int fd) {
  wolfSSL_set_fd(ssl, fd);
  close(fd);
  wolfSSL_shutdown(ssl);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the close_notify of 'ssl' is sent after its socket 'fd' was closed; the alert goes to a closed descriptor, or to the connection that reuses it [drain-shutdown-before-flush]
  wolfSSL_free(ssl);
}

// negatives

void gnutls_bye_then_close(gnutls_session_t s, int fd) {
  gnutls_transport_set_int(s, fd);
  gnutls_bye(s, GNUTLS_SHUT_WR);
  close(fd);
  gnutls_deinit(s);
}

void gnutls_conn_drop(struct gtls_conn *conn) {
  close(conn->sock);
  gnutls_deinit(conn->tls);
}

void mbed_session_close(mbedtls_ssl_context *ssl, mbedtls_net_context *net) {
  mbedtls_ssl_set_bio(ssl, net, mbedtls_net_send, mbedtls_net_recv, NULL);
  mbedtls_ssl_close_notify(ssl);
  mbedtls_net_free(net);
  mbedtls_ssl_free(ssl);
}

void mbed_session_abort(mbedtls_ssl_context *ssl, mbedtls_net_context *net) {
  close(net->fd);
  mbedtls_ssl_free(ssl);
}

void wolf_close(WOLFSSL *ssl, int fd) {
  wolfSSL_set_fd(ssl, fd);
  wolfSSL_shutdown(ssl);
  wolfSSL_free(ssl);
  close(fd);
}

void wolf_close_other(WOLFSSL *ssl, int fd, int listen_fd) {
  wolfSSL_set_fd(ssl, fd);
  close(listen_fd);
  wolfSSL_shutdown(ssl);
  close(fd);
}
