/* drain-discarded-io-result: an error-code enum with one AGAIN member among many is taken for
 * a pending state, so every dropped result of a function returning it is reported, even when
 * the function does no I/O (curl: 366 of 409 findings, e.g. Curl_MD5_update, tool_setopt). */
typedef enum { E_OK = 0, E_UNSUPPORTED, E_OUT_OF_MEMORY, E_AGAIN = 81 } code_t;
code_t md5_update(void *ctx, const unsigned char *p, unsigned n);

void digest(void *ctx) {
  md5_update(ctx, (const unsigned char *)":", 1); /* reported: "a E_AGAIN here means ..." */
}
