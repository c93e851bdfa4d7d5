// The socket of a TLS session closed by a helper of the file, and the close_notify sent after
// it. sofia-sip's ws_destroy called ws_close (which closed wsh->sock) and only then
// SSL_shutdown(wsh->ssl): the alert went to a closed descriptor, or into whichever connection
// had been handed the number since. The helper's close counts at its call, with the socket
// named as the caller names it. A helper that sends the close_notify itself orders its own
// end and is judged on its own.
// RUN: %check_drain -std=c++17 %s drain-shutdown-before-flush %t

#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

struct wsh_t {
  int sock;
  SSL *ssl;
  int down;
  int close_sock;
};

// sofia-sip before the fix: closes the socket, leaves the session to ws_destroy.
static long ws_close(wsh_t *wsh, short reason) {
  if (wsh->down)
    return -1;
  wsh->down = 1;
  if (wsh->close_sock && wsh->sock != -1)
    close(wsh->sock);
  wsh->sock = -1;
  return reason * -1;
}

// sofia-sip after the fix: the close_notify first, then the socket.
static long ws_close_fixed(wsh_t *wsh) {
  if (wsh->ssl) {
    SSL_shutdown(wsh->ssl);
    SSL_free(wsh->ssl);
    wsh->ssl = nullptr;
  }
  close(wsh->sock);
  wsh->sock = -1;
  return 0;
}

static void sock_close(int fd) { ::shutdown(fd, SHUT_RDWR); }

static void close_listener(wsh_t *listener) { close(listener->sock); }

class TlsConn {
public:
  void stop() {
    close_socket();
    SSL_shutdown(ssl_);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the close_notify of 'ssl_' is sent after its socket 'fd_' was closed; the alert goes to a closed descriptor, or to the connection that reuses it [drain-shutdown-before-flush]
  }
  void stop_in_order() {
    SSL_shutdown(ssl_);
    close_socket();
  }

private:
  void close_socket() { ::close(fd_); }
  int fd_ = -1;
  SSL *ssl_ = nullptr;
};

// positives

void ws_destroy(wsh_t *wsh) {
  if (!wsh->down)
    ws_close(wsh, 0);
  if (wsh->down > 1)
    return;
  wsh->down = 2;
  if (wsh->ssl) {
    int code;
    do {
      code = SSL_shutdown(wsh->ssl);
      // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: the close_notify of 'wsh->ssl' is sent after its socket 'wsh->sock' was closed; the alert goes to a closed descriptor, or to the connection that reuses it [drain-shutdown-before-flush]
    } while (code == -1);
    SSL_free(wsh->ssl);
    wsh->ssl = nullptr;
  }
}

void drop(wsh_t *wsh) {
  sock_close(wsh->sock);
  SSL_shutdown(wsh->ssl);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the close_notify of 'wsh->ssl' is sent after its socket 'wsh->sock' was shut down; the alert goes to a closed descriptor, or to the connection that reuses it [drain-shutdown-before-flush]
}

// negatives

void ws_destroy_fixed(wsh_t *wsh) {
  if (!wsh->down)
    ws_close_fixed(wsh);
  if (wsh->ssl) {
    SSL_free(wsh->ssl);
    wsh->ssl = nullptr;
  }
}

void notify_then_close(wsh_t *wsh) {
  SSL_shutdown(wsh->ssl);
  ws_close(wsh, 0);
}

void other_socket(wsh_t *listener, wsh_t *wsh) {
  close_listener(listener);
  SSL_shutdown(wsh->ssl);
}

void quiet(wsh_t *wsh) {
  ws_close(wsh, 0);
  SSL_set_quiet_shutdown(wsh->ssl, 1);
  SSL_shutdown(wsh->ssl);
}

void reopened(wsh_t *wsh, int fd) {
  ws_close(wsh, 0);
  wsh->sock = fd;
  SSL_set_fd(wsh->ssl, fd);
  SSL_shutdown(wsh->ssl);
}
