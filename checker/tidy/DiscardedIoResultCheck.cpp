//===--- DiscardedIoResultCheck.cpp - drain-discarded-io-result -----------===//
#include "DiscardedIoResultCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace drain::tidy {

DiscardedIoResultCheck::DiscardedIoResultCheck(llvm::StringRef Name,
                                               ClangTidyContext *Context)
    : DrainCheck(Name, Context) {
  Opts.AllowCastToVoid = Options.get("AllowCastToVoid", false);
  Opts.CheckStandardStreams = Options.get("CheckStandardStreams", false);
}

void DiscardedIoResultCheck::storeCheckOptions(ClangTidyOptions::OptionMap &O) {
  Options.store(O, "AllowCastToVoid", Opts.AllowCastToVoid);
  Options.store(O, "CheckStandardStreams", Opts.CheckStandardStreams);
}

void DiscardedIoResultCheck::registerMatchers(MatchFinder *Finder) {
  // Every function body: the model decides which of its calls matter, so new rows need no
  // new matcher. One body at a time keeps the parent lookups local to it.
  Finder->addMatcher(functionBodies(), this);
}

void DiscardedIoResultCheck::check(const MatchFinder::MatchResult &Result) {
  if (!Classifier || &Classifier->context() != Result.Context)
    Classifier = std::make_unique<DiscardClassifier>(*Result.Context);
  const SourceManager &SM = *Result.SourceManager;
  for (const CallExpr *Call : Classifier->focus(matchedFunction(Result))) {
    if (SM.isInSystemHeader(SM.getExpansionLoc(Call->getBeginLoc())))
      continue;
    if (auto F = findDiscardedResult(Call, model(), *Classifier, Opts))
      emit(*F);
  }
  Classifier->unfocus();
}

} // namespace drain::tidy
