// The C shape of discarded-io-result-outcomes.cpp: a flush answering an enum whose failure is
// named (FLUSH_WRITE_ERROR), kept in a local and tested only for "again".
// RUN: %check_drain -std=c11 %s drain-discarded-io-result %t

enum flush_result { FLUSH_OK, FLUSH_AGAIN, FLUSH_WRITE_ERROR };
enum flush_result conn_flush(void *c);
void conn_free(void *c);

// positives

int conn_drain(void *c) {
  enum flush_result r = conn_flush(c);
  if (r == FLUSH_AGAIN)
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'r' is tested only for 'FLUSH_AGAIN'; 'FLUSH_WRITE_ERROR' takes the path of 'FLUSH_OK', and a failed flush goes unnoticed [drain-discarded-io-result]
    return 1;
  conn_free(c);
  return 0;
}

// negatives

int conn_drain_checked(void *c) {
  enum flush_result r = conn_flush(c);
  if (r == FLUSH_AGAIN)
    return 1;
  if (r != FLUSH_OK)
    return -1;
  conn_free(c);
  return 0;
}

int conn_drain_switch(void *c) {
  switch (conn_flush(c)) {
  case FLUSH_AGAIN:
    return 1;
  case FLUSH_OK:
    conn_free(c);
    return 0;
  case FLUSH_WRITE_ERROR:
    return -1;
  }
  return -1;
}
