//===--- DiscardedIoResult.h - I/O results that nobody looks at ---*- C++ -*-===//
//
// The analysis behind drain-discarded-io-result: a call whose result tells whether a write,
// flush, shutdown or close finished (a row of the API model, or any call returning a type
// with a pending state) and whose value is dropped. For rows that report through an
// error_code& argument, the error code never read after the call is the dropped value; for a
// co_await of such an operation, the awaited result is.
//
// The finding is plain data (locations and texts) so every front door (clang-tidy, clangd,
// drain audit) words it the same way.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CHECKS_DISCARDEDIORESULT_H
#define DRAIN_ANALYSIS_CHECKS_DISCARDEDIORESULT_H

#include "analysis/core/ApiModel.h"
#include "analysis/core/Finding.h"
#include "analysis/core/DiscardClassifier.h"
#include "clang/Basic/SourceLocation.h"
#include <optional>
#include <string>
#include <vector>

namespace clang {
class CallExpr;
class Expr;
class FunctionDecl;
class SourceManager;
} // namespace clang

namespace drain {

struct DiscardedResultOptions {
  /// Accept explicit discards: (void)call(), static_cast<void>(call()), std::ignore = call().
  bool AllowCastToVoid = false;
  /// Report dropped fflush/fclose results of stdin/stdout/stderr too.
  bool CheckStandardStreams = false;
  /// Report a program whose main writes to stdout and reports success without checking that
  /// output (ProgramOutput.h).
  bool CheckProgramOutput = true;
};

/// Decides whether \p Call drops an I/O result and words the finding. \p Classifier must be
/// built over the same ASTContext as \p Call.
std::optional<Finding>
findDiscardedResult(const clang::CallExpr *Call, const ApiModel &Model,
                    DiscardClassifier &Classifier, const DiscardedResultOptions &Opts);

/// The enum parameters of \p FD that the body tests only for outcomes beside a failed write
/// or flush (`void dispatch(PollResult r) { if (r == PollResult::AbnormalClose) close(); }`
/// where PollResult also has CannotFlushSendBuffer): the failure takes the success path.
std::vector<Finding> findHalfCheckedParameters(const clang::FunctionDecl *FD,
                                               const ApiModel &Model,
                                               DiscardClassifier &Classifier);

/// Where a finding about \p Call is reported: the callee's name (`write` in
/// `net::write(...)`, `poll_flush` in `conn.poll_flush()`), moved out of macro bodies to the
/// macro's use in the user's file.
clang::SourceLocation callDiagnosticLoc(const clang::CallExpr *Call,
                                        const clang::SourceManager &SM);

/// True if \p Full (a statement whose value is dropped) is directly followed, in its block,
/// by `return <pending state>`: the function yields and will be polled again, so the flush it
/// just tried is retried and nothing is lost.
bool followedByPendingReturn(const clang::Stmt *Full, DiscardClassifier &Classifier,
                             const ApiModel &Model);

} // namespace drain

#endif // DRAIN_ANALYSIS_CHECKS_DISCARDEDIORESULT_H
