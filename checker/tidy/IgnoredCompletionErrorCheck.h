//===--- IgnoredCompletionErrorCheck.h - drain-ignored-completion-error -*- C++ -*-===//
#ifndef DRAIN_TIDY_IGNOREDCOMPLETIONERRORCHECK_H
#define DRAIN_TIDY_IGNOREDCOMPLETIONERRORCHECK_H

#include "DrainCheck.h"
#include "analysis/checks/IgnoredCompletionError.h"
#include "analysis/core/DiscardClassifier.h"
#include "analysis/core/Instantiations.h"
#include "llvm/ADT/DenseSet.h"
#include <memory>

namespace drain::tidy {

/// Finds completions of asynchronous writes that ignore the error (or, for write-some
/// operations, the byte count), so a failed or short write goes unnoticed.
///
/// Handlers (lambdas, functions, member functions bound with bind_front_handler or std::bind,
/// handler objects, libuv callbacks), redirect_error/yield[ec] variables and as_tuple
/// bindings are all checked, in ordinary code and in template instantiations; handlers in a
/// template nothing instantiates are checked in the template itself. See
/// docs/checks/ignored-completion-error.md.
class IgnoredCompletionErrorCheck : public DrainCheck {
public:
  IgnoredCompletionErrorCheck(llvm::StringRef Name, ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;

private:
  void storeCheckOptions(ClangTidyOptions::OptionMap &Opts) override;
  void resetTranslationUnit() override {
    Classifier.reset();
    Instantiated.reset();
  }

  CompletionErrorOptions Opts;
  std::unique_ptr<DiscardClassifier> Classifier;
  std::unique_ptr<InstantiatedPatterns> Instantiated;
};

} // namespace drain::tidy

#endif // DRAIN_TIDY_IGNOREDCOMPLETIONERRORCHECK_H
