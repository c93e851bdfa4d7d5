//===--- DiscardedIoResultCheck.h - drain-discarded-io-result ---*- C++ -*-===//
#ifndef DRAIN_TIDY_DISCARDEDIORESULTCHECK_H
#define DRAIN_TIDY_DISCARDEDIORESULTCHECK_H

#include "DrainCheck.h"
#include "analysis/checks/DiscardedIoResult.h"
#include "analysis/core/DiscardClassifier.h"
#include <memory>

namespace drain::tidy {

/// Finds results of writes, flushes, shutdowns and closes that are never looked at, so a
/// pending, short or failed operation goes unnoticed.
///
/// The operations are the rows of the API model (built-in, options, ModelFile, annotations)
/// plus every call whose result type carries a pending state. An error_code& out-argument
/// that is never read after the call counts as a dropped result. See
/// docs/checks/discarded-io-result.md.
class DiscardedIoResultCheck : public DrainCheck {
public:
  DiscardedIoResultCheck(llvm::StringRef Name, ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;

private:
  void storeCheckOptions(ClangTidyOptions::OptionMap &Opts) override;
  void resetTranslationUnit() override { Classifier.reset(); }

  DiscardedResultOptions Opts;
  /// One classifier per translation unit (it caches CFGs of that unit's functions).
  std::unique_ptr<DiscardClassifier> Classifier;
};

} // namespace drain::tidy

#endif // DRAIN_TIDY_DISCARDEDIORESULTCHECK_H
