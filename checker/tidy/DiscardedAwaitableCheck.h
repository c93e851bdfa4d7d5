//===--- DiscardedAwaitableCheck.h - drain-discarded-awaitable -*- C++ -*-===//
#ifndef DRAIN_TIDY_DISCARDEDAWAITABLECHECK_H
#define DRAIN_TIDY_DISCARDEDAWAITABLECHECK_H

#include "DrainCheckFactory.h"
#include "ModelOptions.h"
#include "analysis/AwaitableDiscard.h"
#include "analysis/DiscardClassifier.h"
#include "llvm/ADT/DenseSet.h"
#include <memory>

namespace drain::tidy {

/// Finds coroutine tasks and awaitables that perform a write and are dropped without being
/// awaited or spawned, so the write never runs (or nobody sees whether it finished).
///
/// `async_write(s, buf, use_awaitable);` as a statement, or a task<> returned by a write
/// helper and thrown away. See docs/checks/discarded-awaitable.md.
class DiscardedAwaitableCheck : public ClangTidyCheck {
public:
  DiscardedAwaitableCheck(llvm::StringRef Name, ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override;

private:
  ModelOptions Model;
  DiscardedAwaitableOptions Opts;
  std::unique_ptr<DiscardClassifier> Classifier;
  std::unique_ptr<WriteSummaries> Writes;
  llvm::DenseSet<clang::SourceLocation> Reported;
};

} // namespace drain::tidy

#endif // DRAIN_TIDY_DISCARDEDAWAITABLECHECK_H
