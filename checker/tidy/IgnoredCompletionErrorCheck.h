//===--- IgnoredCompletionErrorCheck.h - drain-ignored-completion-error -*- C++ -*-===//
#ifndef DRAIN_TIDY_IGNOREDCOMPLETIONERRORCHECK_H
#define DRAIN_TIDY_IGNOREDCOMPLETIONERRORCHECK_H

#include "DrainCheck.h"
#include "analysis/checks/IgnoredCompletionError.h"
#include "analysis/core/DiscardClassifier.h"
#include "llvm/ADT/DenseSet.h"
#include <memory>

namespace drain::tidy {

/// Finds completions of asynchronous writes that ignore the error (or, for write-some
/// operations, the byte count), so a failed or short write goes unnoticed.
///
/// Handlers (lambdas, functions, member functions bound with bind_front_handler or std::bind,
/// handler objects, libuv callbacks), redirect_error/yield[ec] variables and as_tuple
/// bindings are all checked. See docs/checks/ignored-completion-error.md.
class IgnoredCompletionErrorCheck : public DrainCheck {
public:
  IgnoredCompletionErrorCheck(llvm::StringRef Name, ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;

private:
  void storeCheckOptions(ClangTidyOptions::OptionMap &Opts) override;
  void resetTranslationUnit() override { Classifier.reset(); }

  CompletionErrorOptions Opts;
  std::unique_ptr<DiscardClassifier> Classifier;
};

} // namespace drain::tidy

#endif // DRAIN_TIDY_IGNOREDCOMPLETIONERRORCHECK_H
