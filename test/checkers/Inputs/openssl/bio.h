/* Mock of <openssl/bio.h> (OpenSSL 3) for drain's lit tests. BIO_flush is a macro over
 * BIO_ctrl, as in OpenSSL. */
#ifndef DRAIN_MOCK_OPENSSL_BIO_H
#define DRAIN_MOCK_OPENSSL_BIO_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif
typedef struct bio_st BIO;
#define BIO_CTRL_FLUSH 11
int BIO_write(BIO *b, const void *data, int dlen);
int BIO_write_ex(BIO *b, const void *data, size_t dlen, size_t *written);
int BIO_read(BIO *b, void *data, int dlen);
long BIO_ctrl(BIO *bp, int cmd, long larg, void *parg);
int BIO_should_retry(BIO *b);
void BIO_free_all(BIO *a);
#define BIO_flush(b) (int)BIO_ctrl(b, BIO_CTRL_FLUSH, 0, NULL)
#ifdef __cplusplus
}
#endif
#endif
