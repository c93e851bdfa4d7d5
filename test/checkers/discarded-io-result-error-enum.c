// An error-code enum with one AGAIN among many codes (curl's CURLcode: CURLE_OK, ~100 errors,
// CURLE_AGAIN) is not a pending state: a function returning it is not an unfinished write
// unless the model says it writes. A small enum of states still is.
// RUN: %check_drain -std=c11 %s drain-discarded-io-result %t

typedef enum {
  E_OK = 0,
  E_UNSUPPORTED_PROTOCOL,
  E_FAILED_INIT,
  E_URL_MALFORMAT,
  E_OUT_OF_MEMORY,
  E_SEND_ERROR = 55,
  E_AGAIN = 81
} code_t;
code_t md5_update(void *ctx, const unsigned char *p, unsigned n);
code_t easy_getinfo(void *h, int what, long *out);

enum io_state { IO_READY, IO_WOULDBLOCK, IO_EOF, IO_ERROR };
enum io_state conn_pump(void *conn);

// positives

void state_enum_result_dropped(void *conn) {
  conn_pump(conn);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'conn_pump' is discarded; an IO_WOULDBLOCK here means the operation has not finished [drain-discarded-io-result]
}

// negatives

void error_code_enum_result_dropped(void *ctx) {
  md5_update(ctx, (const unsigned char *)":", 1);
}

void error_code_enum_result_unread(void *h) {
  long v;
  code_t result = easy_getinfo(h, 1, &v);
  result = easy_getinfo(h, 2, &v);
  (void)v;
}

int error_code_enum_result_checked(void *ctx) {
  return md5_update(ctx, (const unsigned char *)"x", 1) == E_OK ? 0 : -1;
}
