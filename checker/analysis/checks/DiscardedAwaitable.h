//===--- DiscardedAwaitable.h - awaitables of writes that nobody awaits -*- C++ -*-===//
//
// The analysis behind drain-discarded-awaitable. A coroutine task or awaitable that performs
// a write does nothing until it is awaited or spawned: `async_write(s, buf, use_awaitable);`
// as a statement, or a task<> returned by a write helper and dropped, never sends a byte
// (a lazy task), or sends without anyone seeing the outcome (an eager future).
//
// "Awaitable" is structural (promise_type, await_ready/await_suspend/await_resume, operator
// co_await: drain::isAwaitableType) plus well-known names. "Performs a write": the call is a
// model row that writes, flushes or shuts down (async_write, a drain::flush annotation, ...),
// or it is a function defined in the translation unit whose body does (up to three calls
// deep). Dropped: an expression statement, a cast to void (for a lazy task: a cast cannot
// make it run), std::ignore, the left of a comma, or a local that is never read (all from the
// shared DiscardClassifier). Awaited, spawned (co_spawn, passed anywhere), returned or stored
// is used.
//
// The split with the neighbouring checks: the *result of co_await* dropped as a whole
// (`co_await async_write(s, b, as_tuple(use_awaitable));`) is drain-discarded-io-result's;
// an error delivered to a handler, a redirect_error variable or a structured binding and
// never read is drain-ignored-completion-error's. This check owns the awaitable object.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CHECKS_DISCARDEDAWAITABLE_H
#define DRAIN_ANALYSIS_CHECKS_DISCARDEDAWAITABLE_H

#include "analysis/core/AsyncOps.h"
#include "llvm/ADT/DenseMap.h"
#include <optional>

namespace clang {
class ASTContext;
class CallExpr;
class FunctionDecl;
} // namespace clang

namespace drain {

class DiscardClassifier;

struct DiscardedAwaitableOptions {
  /// Report every discarded awaitable, not only those that write.
  bool AnyAwaitable = false;
  /// Accept `(void)task()` for eager awaitables (std::future, ...); lazy ones are always
  /// reported, since a cast cannot make them run.
  bool AllowCastToVoid = true;
};

/// Answers "does this function write?" for the functions of one translation unit.
class WriteSummaries {
public:
  explicit WriteSummaries(const ApiModel &Model) : Model(Model) {}
  /// The first write-like call \p FD performs (directly or up to three calls deep), or null.
  const clang::CallExpr *writeIn(const clang::FunctionDecl *FD, unsigned Depth = 0);
  /// \p Call itself when the call writes (a model row, or a function that writes), else null.
  const clang::CallExpr *writeOf(const clang::CallExpr *Call);
  /// True if \p Call is a model row that writes, flushes or shuts down.
  bool isModelWrite(const clang::CallExpr *Call) const;

private:
  const ApiModel &Model;
  llvm::DenseMap<const clang::FunctionDecl *, const clang::CallExpr *> Cache;
};

std::optional<Finding> findDiscardedAwaitable(const clang::CallExpr *Call,
                                                   clang::ASTContext &Ctx,
                                                   DiscardClassifier &Classifier,
                                                   WriteSummaries &Writes,
                                                   const DiscardedAwaitableOptions &Opts);

/// True if \p T is an awaitable that starts only when awaited (its promise's
/// initial_suspend() returns suspend_always, or a well-known lazy task such as
/// asio::awaitable); false for eager ones (std::future, suspend_never promises).
bool isLazyAwaitable(clang::QualType T);

} // namespace drain

#endif // DRAIN_ANALYSIS_CHECKS_DISCARDEDAWAITABLE_H
