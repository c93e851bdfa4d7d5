// The stale-error-queue rule (partial-write-tls-error-queue.c) in the shape C++ wrappers give
// it: the session behind a smart pointer, the classification in a member of the class handed
// the count (Poco's SecureSocketImpl::sendBytes and handleError), and a clear through a member.
// RUN: %check_drain -std=c++17 %s drain-partial-write %t

#include <memory>
#include <openssl/err.h>
#include <openssl/ssl.h>

struct SslFree {
  void operator()(SSL *s) const { SSL_free(s); }
};

class SecureSocket {
public:
  // positives

  int sendBytes(const void *buf, int len) {
    int rc = SSL_write(ssl_.get(), buf, len);
    // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: 'SSL_get_error' classifies the result of 'SSL_write' from the thread's error queue, which is not cleared before the write: an error an earlier call left there turns a would-block into a failure, and the connection is dropped with its data unsent [drain-partial-write]
    if (rc <= 0)
      rc = handleError(rc);
    return rc;
  }

  int sendBytesClearedAfter(const void *buf, int len) {
    int rc = SSL_write(ssl_.get(), buf, len);
    // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: 'SSL_get_error' classifies the result of 'SSL_write' from the thread's error queue
    if (rc <= 0)
      rc = handleError(rc);
    clearErrors();
    return rc;
  }

  // negatives

  int sendBytesCleared(const void *buf, int len) {
    ERR_clear_error();
    int rc = SSL_write(ssl_.get(), buf, len);
    if (rc <= 0)
      rc = handleError(rc);
    return rc;
  }

  int sendBytesMemberClear(const void *buf, int len) {
    clearErrors();
    int rc = SSL_write(ssl_.get(), buf, len);
    if (rc <= 0)
      rc = handleError(rc);
    return rc;
  }

  int sendBytesLogged(const void *buf, int len) {
    int rc = SSL_write(ssl_.get(), buf, len);
    if (rc <= 0)
      return logError(rc);
    return rc;
  }

private:
  int handleError(int rc) {
    switch (SSL_get_error(ssl_.get(), rc)) {
    case SSL_ERROR_WANT_READ:
      return -2;
    case SSL_ERROR_WANT_WRITE:
      return -3;
    default:
      return -1;
    }
  }
  // Every failure is fatal here: a stale error changes nothing.
  int logError(int rc) {
    lastError_ = SSL_get_error(ssl_.get(), rc);
    return -1;
  }
  void clearErrors() { ERR_clear_error(); }

  std::unique_ptr<SSL, SslFree> ssl_;
  int lastError_ = 0;
};
