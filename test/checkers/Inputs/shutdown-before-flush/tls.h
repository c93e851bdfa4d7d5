// A subset of OpenSSL's <openssl/ssl.h> and libevent's bufferevent API, as the tests of
// drain-shutdown-before-flush need them (same names, same macros, same signatures).
#ifndef DRAIN_TEST_SBF_TLS_H
#define DRAIN_TEST_SBF_TLS_H

extern "C" {
typedef struct ssl_st SSL;
int SSL_write(SSL *ssl, const void *buf, int num);
int SSL_shutdown(SSL *ssl);
int SSL_get_error(const SSL *ssl, int ret);
void SSL_free(SSL *ssl);

#define SSL_ERROR_NONE 0
#define SSL_ERROR_SSL 1
#define SSL_ERROR_WANT_READ 2
#define SSL_ERROR_WANT_WRITE 3
#define SSL_ERROR_SYSCALL 5
#define SSL_ERROR_ZERO_RETURN 6

struct bufferevent;
int bufferevent_write(struct bufferevent *bufev, const void *data, unsigned long size);
void bufferevent_free(struct bufferevent *bufev);
}

#endif
