//===--- TlsErrorQueue.h - a TLS write classified through a stale error queue -*- C++ -*-===//
//
// Part of drain-partial-write, which owns how a TLS write's result is handled. OpenSSL's
// SSL_get_error looks at the calling thread's error queue before it looks at the result it
// is handed: an error that an earlier call left there (another library in the same thread, a
// failed certificate load, a read whose failure was never cleared) makes it answer
// SSL_ERROR_SSL for what was a would-block. OpenSSL's manual says the queue must be empty
// before the I/O call whose result SSL_get_error classifies. The code then takes a full
// socket buffer for a fatal TLS error and drops the connection with its output unsent.
//
// The rule, over a write of the model whose result (the count, or the session for a write
// answering a bool) reaches an error-queue reader (a role row: SSL_get_error), in the
// function holding the write or in a function of the same file the count is handed to, and
// where the function asking tells the "not yet" codes apart (it names SSL_ERROR_WANT_WRITE
// or _WANT_READ): reported when the function holding the write calls no error-queue clear (a
// role row: ERR_clear_error), directly or one call deep (nginx's ngx_ssl_clear_error), before
// the write in the source, and its callers in the file do not all clear before calling it.
// A clear after the write (mosquitto's classifier cleared once it had asked) does not count:
// what other code leaves in the queue until the next write is still there.
//
// Silent: a write whose result is only compared with zero (the queue is never asked), a
// query whose answer is not told apart (every failure is fatal anyway), a clear before the
// write, a wrapper whose callers in the file all clear before calling it.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CHECKS_PARTIALWRITE_TLSERRORQUEUE_H
#define DRAIN_ANALYSIS_CHECKS_PARTIALWRITE_TLSERRORQUEUE_H

#include "analysis/core/ApiModel.h"
#include "analysis/core/Finding.h"
#include <optional>

namespace clang {
class CallExpr;
} // namespace clang

namespace drain {

class DiscardClassifier;

/// The finding for the TLS write \p Call whose result is classified through the thread's
/// error queue with no clear of the queue. \p Index is focused on the function holding
/// \p Call.
std::optional<Finding> findStaleTlsErrorQueue(const clang::CallExpr *Call, const ApiModel &Model,
                                              DiscardClassifier &Index);

} // namespace drain

#endif // DRAIN_ANALYSIS_CHECKS_PARTIALWRITE_TLSERRORQUEUE_H
