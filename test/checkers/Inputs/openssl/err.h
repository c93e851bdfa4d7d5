/* Mock of <openssl/err.h> (OpenSSL 3) for drain's lit tests: declarations only. C and C++. */
#ifndef DRAIN_MOCK_OPENSSL_ERR_H
#define DRAIN_MOCK_OPENSSL_ERR_H
#ifdef __cplusplus
extern "C" {
#endif
unsigned long ERR_get_error(void);
unsigned long ERR_peek_error(void);
void ERR_clear_error(void);
#ifdef __cplusplus
}
#endif
#endif
