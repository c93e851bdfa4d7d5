//===--- DiscardedIoResultCheck.h - drain-discarded-io-result ---*- C++ -*-===//
#ifndef DRAIN_TIDY_DISCARDEDIORESULTCHECK_H
#define DRAIN_TIDY_DISCARDEDIORESULTCHECK_H

#include "DrainCheckFactory.h"
#include "ModelOptions.h"
#include "analysis/DiscardClassifier.h"
#include "analysis/DiscardedResult.h"
#include "llvm/ADT/DenseSet.h"
#include <memory>

namespace drain::tidy {

/// Finds results of writes, flushes, shutdowns and closes that are never looked at, so a
/// pending, short or failed operation goes unnoticed.
///
/// The operations are the rows of the API model (built-in, options, ModelFile, annotations)
/// plus every call whose result type carries a pending state. An error_code& out-argument
/// that is never read after the call counts as a dropped result. See
/// docs/checks/discarded-io-result.md.
class DiscardedIoResultCheck : public ClangTidyCheck {
public:
  DiscardedIoResultCheck(llvm::StringRef Name, ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override;

private:
  ModelOptions Model;
  DiscardedResultOptions Opts;
  /// One classifier per translation unit (it caches CFGs of that unit's functions).
  std::unique_ptr<DiscardClassifier> Classifier;
  /// A template's call is seen once per instantiation; report its spelling once.
  llvm::DenseSet<clang::SourceLocation> Reported;
};

} // namespace drain::tidy

#endif // DRAIN_TIDY_DISCARDEDIORESULTCHECK_H
