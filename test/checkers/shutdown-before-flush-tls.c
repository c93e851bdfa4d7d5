// A TLS session's close_notify goes out over its socket: SSL_shutdown (gnutls_bye,
// mbedtls_ssl_close_notify, wolfSSL_shutdown) must come before the socket is shut down or
// closed. Called after the close, it writes the alert to a closed descriptor, or to whatever
// connection the number was given to since. The session and the socket are tied by
// SSL_set_fd(ssl, fd) or by being members of one object (`c->ssl`, `c->fd`).
// RUN: %check_drain -std=c11 %s drain-shutdown-before-flush %t
// The same against the system's <openssl/ssl.h> (the mock's directory is not searched):
// RUN: %drain_clang_tidy %s -checks='-*,drain-shutdown-before-flush' --quiet -- -std=c11 2>&1 | %FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error}}:'

#include <openssl/ssl.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <unistd.h>

int SSL_set_fd(SSL *s, int fd);
void SSL_set_quiet_shutdown(SSL *ssl, int mode);

struct conn {
  SSL *ssl;
  int fd;
  bool open;
};

struct client {
  int sock;
};

struct server_conn {
  struct client client;
  SSL *ssl;
  int must_close;
};

void log_peer_gone(int fd);

// positives

void close_then_notify(SSL *ssl, int fd) {
  SSL_set_fd(ssl, fd);
  close(fd);
  SSL_shutdown(ssl);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the close_notify of 'ssl' is sent after its socket 'fd' was closed; the alert goes to a closed descriptor, or to the connection that reuses it [drain-shutdown-before-flush]
  SSL_free(ssl);
}

void conn_teardown_socket_first(struct conn *c) {
  shutdown(c->fd, SHUT_RDWR);
  SSL_shutdown(c->ssl);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the close_notify of 'c->ssl' is sent after its socket 'c->fd' was shut down; the alert goes to a closed descriptor, or to the connection that reuses it [drain-shutdown-before-flush]
  SSL_free(c->ssl);
  close(c->fd);
}

void close_on_peer_reset(struct server_conn *conn, bool reset) {
  if (reset)
    close(conn->client.sock);
  if (conn->ssl != NULL) {
    SSL_shutdown(conn->ssl);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the close_notify of 'conn->ssl' is sent after its socket 'conn->client.sock' was closed; the alert goes to a closed descriptor, or to the connection that reuses it [drain-shutdown-before-flush]
    SSL_free(conn->ssl);
    conn->ssl = NULL;
  }
}

// negatives

void notify_then_close(SSL *ssl, int fd) {
  SSL_set_fd(ssl, fd);
  SSL_shutdown(ssl);
  SSL_free(ssl);
  close(fd);
}

void conn_teardown(struct conn *c) {
  SSL_shutdown(c->ssl);
  SSL_free(c->ssl);
  shutdown(c->fd, SHUT_RDWR);
  close(c->fd);
}

void abort_without_notify(struct conn *c) {
  close(c->fd);
  SSL_free(c->ssl);
  c->ssl = NULL;
}

void close_other_then_notify(struct conn *backend, struct conn *client) {
  close(backend->fd);
  SSL_shutdown(client->ssl);
  close(client->fd);
}

void quiet_after_reset(struct conn *c) {
  SSL_set_quiet_shutdown(c->ssl, 1);
  close(c->fd);
  SSL_shutdown(c->ssl);
  SSL_free(c->ssl);
}

void close_on_reset_then_notify_if_open(struct conn *c, bool reset) {
  if (reset) {
    log_peer_gone(c->fd);
    close(c->fd);
    c->fd = -1;
  }
  if (c->fd >= 0) {
    SSL_shutdown(c->ssl);
    close(c->fd);
  }
  SSL_free(c->ssl);
}

void close_on_reset_then_notify_if_flag(struct conn *c, bool reset) {
  if (reset) {
    close(c->fd);
    c->open = false;
  }
  if (c->open)
    SSL_shutdown(c->ssl);
  SSL_free(c->ssl);
}

void read_side_shut_then_notify(struct conn *c) {
  shutdown(c->fd, SHUT_RD);
  SSL_shutdown(c->ssl);
  close(c->fd);
}

void close_all(struct conn *conns, int n) {
  for (int i = 0; i < n; i++) {
    struct conn *c = &conns[i];
    SSL_shutdown(c->ssl);
    close(c->fd);
  }
}
