/* Mock of <openssl/ssl.h> (OpenSSL 3) for drain's lit tests: declarations only, with
 * OpenSSL's names and argument orders. C and C++. */
#ifndef DRAIN_MOCK_OPENSSL_SSL_H
#define DRAIN_MOCK_OPENSSL_SSL_H
#include <stddef.h>
#include <openssl/bio.h>
#ifdef __cplusplus
extern "C" {
#endif
typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;
#define SSL_ERROR_NONE 0
#define SSL_ERROR_SSL 1
#define SSL_ERROR_WANT_READ 2
#define SSL_ERROR_WANT_WRITE 3
#define SSL_ERROR_SYSCALL 5
#define SSL_ERROR_ZERO_RETURN 6
#define SSL_MODE_ENABLE_PARTIAL_WRITE 0x00000001U
int SSL_write(SSL *ssl, const void *buf, int num);
int SSL_write_ex(SSL *s, const void *buf, size_t num, size_t *written);
int SSL_read(SSL *ssl, void *buf, int num);
int SSL_shutdown(SSL *ssl);
int SSL_get_error(const SSL *s, int ret_code);
void SSL_free(SSL *ssl);
int SSL_set_fd(SSL *s, int fd);
void SSL_set_quiet_shutdown(SSL *ssl, int mode);
long SSL_CTX_set_mode(SSL_CTX *ctx, long mode);
#ifdef __cplusplus
}
#endif
#endif
