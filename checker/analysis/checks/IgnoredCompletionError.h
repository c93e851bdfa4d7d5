//===--- IgnoredCompletionError.h - completion errors nobody reads ----*- C++ -*-===//
//
// The analysis behind drain-ignored-completion-error. An asynchronous write reports its
// outcome once, to its completion: the error (error_code, libuv's status) and, for the
// write-some operations, how many bytes went out. When that completion ignores the error the
// program carries on as if the data had been sent; when a write-some completion ignores the
// count, the rest of the buffer is silently dropped.
//
// Where the error can land, and what "ignored" means there:
//  * a handler's parameter (lambda, function, member function through bind_front_handler,
//    std::bind or bind_executor, a handler object's operator(), a libuv callback): the
//    parameter is unnamed or never read in the handler's body; std::bind without a
//    placeholder for it drops it outright;
//  * a variable: redirect_error(token, ec) or yield[ec]: ec is never read after the write
//    (before it is redirected into again);
//  * a structured binding of an as_tuple result: `auto [ec, n] = co_await ...` with ec unread;
//  * nowhere: the detached token, or uv_write with a null callback.
// For AF_PartialCompletion rows (async_write_some, async_send) the byte count is checked the
// same way, including `co_await s.async_write_some(b, use_awaitable);` dropping it.
//
// Not here: an awaitable that is never awaited (drain-discarded-awaitable) and the result of
// `co_await` on an operation dropped as a whole while it carries an error code
// (drain-discarded-io-result).
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CHECKS_IGNOREDCOMPLETIONERROR_H
#define DRAIN_ANALYSIS_CHECKS_IGNOREDCOMPLETIONERROR_H

#include "analysis/core/AsyncOps.h"
// A non-blocking write's failure answered as "not finished yet", or noticed and then told to
// no one, is this check's too: the function's answer is the completion its caller gets
// (FailureAnswers.h).
#include "analysis/core/FailureAnswers.h"
#include <optional>

namespace clang {
class ASTContext;
class CallExpr;
} // namespace clang

namespace drain {

class DiscardClassifier;
class InstantiatedPatterns;

struct CompletionErrorOptions {
  /// Check the byte count of write-some completions (AF_PartialCompletion rows).
  bool CheckByteCount = true;
  /// Report writes whose completion goes nowhere (detached, uv_write without a callback).
  bool ReportNoHandler = true;
};

/// The finding for one call, if its completion ignores the error (or the byte count).
std::optional<Finding> findIgnoredCompletionError(const clang::CallExpr *Call,
                                                       clang::ASTContext &Ctx,
                                                       const ApiModel &Model,
                                                       DiscardClassifier &Classifier,
                                                       const CompletionErrorOptions &Opts);

/// The same for a call in a template pattern whose callee is still a name
/// (matchDependentAsyncCall), when nothing around it has been instantiated in the translation
/// unit: a header-only server's class template that only its users instantiate. Handlers and
/// `detached` are judged; a handler parameter whose type depends on the template's
/// arguments is not.
std::optional<Finding> findIgnoredCompletionErrorInTemplate(const clang::CallExpr *Call,
                                                            clang::ASTContext &Ctx,
                                                            const ApiModel &Model,
                                                            InstantiatedPatterns &Instantiated,
                                                            const CompletionErrorOptions &Opts);

} // namespace drain

#endif // DRAIN_ANALYSIS_CHECKS_IGNOREDCOMPLETIONERROR_H
