//===--- CloseDuringAsyncWriteCheck.h - drain-close-during-async-write -*- C++ -*-===//
#ifndef DRAIN_TIDY_CLOSEDURINGASYNCWRITECHECK_H
#define DRAIN_TIDY_CLOSEDURINGASYNCWRITECHECK_H

#include "DrainCheck.h"
#include "analysis/checks/CloseDuringAsyncWrite.h"
#include "llvm/ADT/DenseSet.h"
#include <memory>
#include <vector>

namespace drain::tidy {

/// Finds streams that are closed, shut down, cancelled or destroyed while an asynchronous
/// write on them may still be in flight, so the rest of the data is never sent.
///
/// Within a function: an async_write/async_write_some/uv_write on a path, then the same
/// stream closed before the write's handler ran. Across a class: a read handler closes the
/// stream while a member flag or pending-write queue says a write is in flight. See
/// docs/checks/close-during-async-write.md.
class CloseDuringAsyncWriteCheck : public DrainCheck {
public:
  CloseDuringAsyncWriteCheck(llvm::StringRef Name, ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;

private:
  void storeCheckOptions(ClangTidyOptions::OptionMap &Opts) override;
  void resetTranslationUnit() override;

  /// Both rules over one function, as matched.
  void analyse(const clang::FunctionDecl *FD, clang::ASTContext &Ctx);

  InFlightOptions Opts;
  std::unique_ptr<InFlightMemberAnalysis> Members;
  std::unique_ptr<InFlightFlow> Flow;
  llvm::DenseSet<const clang::FunctionDecl *> Seen;
  /// The unit's functions in match order, analysed at its end once the gate has opened
  /// (AsyncGate: without an asynchronous call in reach there is nothing to find).
  std::vector<const clang::FunctionDecl *> Matched;
  std::unique_ptr<AsyncGate> Gate;
  clang::ASTContext *Ctx = nullptr;
};

} // namespace drain::tidy

#endif // DRAIN_TIDY_CLOSEDURINGASYNCWRITECHECK_H
