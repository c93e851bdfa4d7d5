//===--- DrainCheck.h - what every drain check shares -----------*- C++ -*-===//
//
// The base of drain's clang-tidy checks. It owns what every check needs, so that a check is
// only its options, its matcher and a call into the analysis library:
//   - the model options (ModelOptions: FlushFunctions, ModelFile, ...), read once and stored
//     back for --dump-config before the check's own options;
//   - emit(Finding): one warning per location (a template's body is seen once per
//     instantiation) with its notes, the texts passed as arguments so that a '%' in them is
//     never read as a format directive;
//   - notes at file locations: a note inside a macro expansion is placed where the expansion
//     (or the macro argument) is written, since clangd drops a note it cannot place in a file;
//   - the per-translation-unit reset: a check drops what it built for a unit in
//     resetTranslationUnit(), called at the end of every unit.
// A check that judges each call of each function body on its own (drain-discarded-io-result,
// drain-partial-write) derives from CallSiteCheck and only says what a call's finding is.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_TIDY_DRAINCHECK_H
#define DRAIN_TIDY_DRAINCHECK_H

#include "Compat.h"
#include "ModelOptions.h"
#include "analysis/core/DiscardClassifier.h"
#include "analysis/core/Finding.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "llvm/ADT/DenseSet.h"
#include <memory>
#include <optional>

namespace drain::tidy {

using clang::tidy::ClangTidyCheck;
using clang::tidy::ClangTidyContext;
using clang::tidy::ClangTidyOptions;

class DrainCheck : public ClangTidyCheck {
public:
  DrainCheck(llvm::StringRef Name, ClangTidyContext *Context);

  void storeOptions(ClangTidyOptions::OptionMap &Opts) final;
  void onEndOfTranslationUnit() final;
  /// Keeps the unit's SourceManager for emit(); a check that overrides it calls this one.
  void registerPPCallbacks(const clang::SourceManager &SM, clang::Preprocessor *PP,
                           clang::Preprocessor *ModuleExpanderPP) override;

protected:
  /// The check's own options, after the model options.
  virtual void storeCheckOptions(ClangTidyOptions::OptionMap &Opts) {}
  /// Drops what the check built for the unit that just ended (classifiers, engines, caches).
  virtual void resetTranslationUnit() {}

  const ApiModel &model() const { return Model.model(); }

  /// Reports \p F with its notes, once per location.
  void emit(const Finding &F);

  /// Every function definition outside system headers, bound to "fn": instantiations
  /// included (a dependent call's callee is only known there).
  static clang::ast_matchers::DeclarationMatcher functionBodies();
  /// Every lambda outside system headers, bound to "lambda" (its call operator is not
  /// reached through functionDecl()).
  static clang::ast_matchers::StatementMatcher lambdaBodies();
  /// The function a match of functionBodies() or lambdaBodies() names.
  static const clang::FunctionDecl *
  matchedFunction(const clang::ast_matchers::MatchFinder::MatchResult &Result);

  ModelOptions Model;

private:
  llvm::DenseSet<clang::SourceLocation> Reported;
  const clang::SourceManager *SM = nullptr;
};

/// A check that asks the analysis library about every call of every function body outside
/// system headers, one body at a time: the model decides which calls matter (a new row needs
/// no new matcher), and the discard classifier's parent lookups stay local to the body
/// (DiscardClassifier::focus).
class CallSiteCheck : public DrainCheck {
public:
  using DrainCheck::DrainCheck;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) final;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) final;

protected:
  /// What the check finds at \p Call, if anything.
  virtual std::optional<Finding> find(const clang::CallExpr *Call,
                                      DiscardClassifier &Classifier) = 0;
  /// What the check finds in \p FD beside its calls (a parameter's tests), after them.
  virtual void findInFunction(const clang::FunctionDecl *FD, DiscardClassifier &Classifier,
                              std::vector<Finding> &Out) {}
  void resetTranslationUnit() override { Classifier.reset(); }

private:
  /// One classifier per translation unit (it caches CFGs of that unit's functions).
  std::unique_ptr<DiscardClassifier> Classifier;
};

} // namespace drain::tidy

#endif // DRAIN_TIDY_DRAINCHECK_H
