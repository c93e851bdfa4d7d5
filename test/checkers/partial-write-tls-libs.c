// GnuTLS and mbedTLS answer a write that cannot go on yet with codes of their own:
// GNUTLS_E_AGAIN and GNUTLS_E_INTERRUPTED ("call gnutls_record_send again"),
// MBEDTLS_ERR_SSL_WANT_READ and MBEDTLS_ERR_SSL_WANT_WRITE. Retrying on one and failing on
// the other drops the connection when the other comes (curl 7.88's mbedtls_send
// answered CURLE_SEND_ERROR to WANT_READ).
// RUN: %check_drain -std=c11 %s drain-partial-write %t

#include <gnutls/gnutls.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct mbedtls_ssl_context {
  int state;
} mbedtls_ssl_context;
#define MBEDTLS_ERR_SSL_WANT_READ -0x6900
#define MBEDTLS_ERR_SSL_WANT_WRITE -0x6880
int mbedtls_ssl_write(mbedtls_ssl_context *ssl, const unsigned char *buf, size_t len);

typedef enum { CODE_OK, CODE_AGAIN, CODE_SEND_ERROR } code_t;

// positives

ssize_t mbed_send(mbedtls_ssl_context *ssl, const void *mem, size_t len, code_t *code) {
  int ret = mbedtls_ssl_write(ssl, (const unsigned char *)mem, len);
  if (ret < 0) {
    *code = (ret == MBEDTLS_ERR_SSL_WANT_WRITE) ? CODE_AGAIN : CODE_SEND_ERROR;
    // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: after 'mbedtls_ssl_write', 'MBEDTLS_ERR_SSL_WANT_READ' is handled as a failure while 'MBEDTLS_ERR_SSL_WANT_WRITE' waits to try again; both mean "not yet", and the connection is dropped with its data unsent [drain-partial-write]
    ret = -1;
  }
  return ret;
}

ssize_t gtls_send(gnutls_session_t s, const void *mem, size_t len, code_t *code) {
  ssize_t rc = gnutls_record_send(s, mem, len);
  if (rc < 0) {
    *code = (rc == GNUTLS_E_AGAIN) ? CODE_AGAIN : CODE_SEND_ERROR;
    // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: after 'gnutls_record_send', 'GNUTLS_E_INTERRUPTED' is handled as a failure while 'GNUTLS_E_AGAIN' waits to try again; both mean "not yet", and the connection is dropped with its data unsent [drain-partial-write]
    rc = -1;
  }
  return rc;
}

int mbed_write_all(mbedtls_ssl_context *ssl, const unsigned char *buf, size_t len) {
  int ret;
  while ((ret = mbedtls_ssl_write(ssl, buf, len)) <= 0) {
    if (ret != MBEDTLS_ERR_SSL_WANT_WRITE)
      // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: after 'mbedtls_ssl_write', 'MBEDTLS_ERR_SSL_WANT_READ' is handled as a failure while 'MBEDTLS_ERR_SSL_WANT_WRITE' waits to try again; both mean "not yet", and the connection is dropped with its data unsent [drain-partial-write]
      return -1;
  }
  return ret;
}

// negatives

ssize_t mbed_send_both(mbedtls_ssl_context *ssl, const void *mem, size_t len, code_t *code) {
  int ret = mbedtls_ssl_write(ssl, (const unsigned char *)mem, len);
  if (ret < 0) {
    *code = (ret == MBEDTLS_ERR_SSL_WANT_WRITE || ret == MBEDTLS_ERR_SSL_WANT_READ)
                ? CODE_AGAIN
                : CODE_SEND_ERROR;
    ret = -1;
  }
  return ret;
}

ssize_t gtls_send_switch(gnutls_session_t s, const void *mem, size_t len, int *want_io) {
  ssize_t rc = gnutls_record_send(s, mem, len);
  if (rc >= 0)
    return rc;
  switch (rc) {
  case GNUTLS_E_AGAIN:
  case GNUTLS_E_INTERRUPTED:
    *want_io = 1;
    return 0;
  default:
    return -1;
  }
}

ssize_t gtls_send_retry(gnutls_session_t s, const char *mem, size_t len) {
  ssize_t rc;
  do {
    rc = gnutls_record_send(s, mem, len);
  } while (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED);
  return rc;
}

int mbed_write_all_both(mbedtls_ssl_context *ssl, const unsigned char *buf, size_t len) {
  int ret;
  while ((ret = mbedtls_ssl_write(ssl, buf, len)) <= 0) {
    if (ret != MBEDTLS_ERR_SSL_WANT_READ && ret != MBEDTLS_ERR_SSL_WANT_WRITE)
      return -1;
  }
  return ret;
}

int mbed_write_blocking(mbedtls_ssl_context *ssl, const unsigned char *buf, size_t len) {
  int ret = mbedtls_ssl_write(ssl, buf, len);
  if (ret < 0)
    return -1;
  return ret;
}
