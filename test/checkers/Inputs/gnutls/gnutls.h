/* Mock of <gnutls/gnutls.h> (GnuTLS 3.7) for drain's lit tests: declarations only. */
#ifndef DRAIN_MOCK_GNUTLS_H
#define DRAIN_MOCK_GNUTLS_H
#include <stddef.h>
#include <sys/types.h>
#ifdef __cplusplus
extern "C" {
#endif
typedef struct gnutls_session_int *gnutls_session_t;
typedef enum { GNUTLS_SHUT_RDWR = 0, GNUTLS_SHUT_WR = 1 } gnutls_close_request_t;
#define GNUTLS_E_SUCCESS 0
#define GNUTLS_E_AGAIN -28
#define GNUTLS_E_INTERRUPTED -52
ssize_t gnutls_record_send(gnutls_session_t session, const void *data, size_t data_size);
ssize_t gnutls_record_recv(gnutls_session_t session, void *data, size_t data_size);
int gnutls_bye(gnutls_session_t session, gnutls_close_request_t how);
int gnutls_error_is_fatal(int error);
void gnutls_deinit(gnutls_session_t session);
#ifdef __cplusplus
}
#endif
#endif
