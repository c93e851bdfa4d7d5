//===--- DiscardedAwaitableCheck.h - drain-discarded-awaitable -*- C++ -*-===//
#ifndef DRAIN_TIDY_DISCARDEDAWAITABLECHECK_H
#define DRAIN_TIDY_DISCARDEDAWAITABLECHECK_H

#include "DrainCheck.h"
#include "analysis/checks/DiscardedAwaitable.h"
#include "analysis/core/DiscardClassifier.h"
#include "llvm/ADT/DenseSet.h"
#include <memory>

namespace drain::tidy {

/// Finds coroutine tasks and awaitables that perform a write and are dropped without being
/// awaited or spawned, so the write never runs (or nobody sees whether it finished).
///
/// `async_write(s, buf, use_awaitable);` as a statement, or a task<> returned by a write
/// helper and thrown away. See docs/checks/discarded-awaitable.md.
class DiscardedAwaitableCheck : public DrainCheck {
public:
  DiscardedAwaitableCheck(llvm::StringRef Name, ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;

private:
  void storeCheckOptions(ClangTidyOptions::OptionMap &Opts) override;
  void resetTranslationUnit() override;

  DiscardedAwaitableOptions Opts;
  std::unique_ptr<DiscardClassifier> Classifier;
  std::unique_ptr<WriteSummaries> Writes;
};

} // namespace drain::tidy

#endif // DRAIN_TIDY_DISCARDEDAWAITABLECHECK_H
