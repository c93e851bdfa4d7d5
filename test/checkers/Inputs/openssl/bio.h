/* Mock of <openssl/bio.h> (OpenSSL 3) for drain's lit tests. BIO_flush is a macro over
 * BIO_ctrl, as in OpenSSL. */
#ifndef DRAIN_MOCK_OPENSSL_BIO_H
#define DRAIN_MOCK_OPENSSL_BIO_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif
typedef struct bio_st BIO;
typedef struct bio_method_st BIO_METHOD;
const BIO_METHOD *BIO_s_mem(void);
const BIO_METHOD *BIO_f_base64(void);
BIO *BIO_new(const BIO_METHOD *type);
BIO *BIO_new_mem_buf(const void *buf, int len);
BIO *BIO_new_socket(int sock, int close_flag);
BIO *BIO_push(BIO *b, BIO *append);
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
