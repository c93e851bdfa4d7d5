//===--- DiscardedIoResultCheck.cpp - drain-discarded-io-result -----------===//
#include "DiscardedIoResultCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace drain::tidy {

DiscardedIoResultCheck::DiscardedIoResultCheck(llvm::StringRef Name,
                                               ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Model(*this, Options) {
  Opts.AllowCastToVoid = Options.get("AllowCastToVoid", false);
  Opts.CheckStandardStreams = Options.get("CheckStandardStreams", false);
}

void DiscardedIoResultCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap &O) {
  Model.store(O, Options);
  Options.store(O, "AllowCastToVoid", Opts.AllowCastToVoid);
  Options.store(O, "CheckStandardStreams", Opts.CheckStandardStreams);
}

void DiscardedIoResultCheck::registerMatchers(MatchFinder *Finder) {
  // Every function body, template instantiations included (the callee of a dependent call is
  // only known there); the model decides which of its calls matter, so new rows need no new
  // matcher. One body at a time keeps the parent lookups local to it.
  Finder->addMatcher(
      functionDecl(isDefinition(), unless(isExpansionInSystemHeader())).bind("fn"), this);
}

void DiscardedIoResultCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *FD = Result.Nodes.getNodeAs<FunctionDecl>("fn");
  if (!Classifier || &Classifier->context() != Result.Context)
    Classifier = std::make_unique<DiscardClassifier>(*Result.Context);
  const SourceManager &SM = *Result.SourceManager;
  for (const CallExpr *Call : Classifier->focus(FD)) {
    if (SM.isInSystemHeader(SM.getExpansionLoc(Call->getBeginLoc())))
      continue;
    auto F = findDiscardedResult(Call, Model.model(), *Classifier, Opts);
    if (!F || !Reported.insert(F->Loc).second)
      continue;
    // The texts come from the analysis as data; pass them as arguments so no '%' in them is
    // ever read as a format directive.
    diag(F->Loc, "%0") << F->Message;
    for (const FindingNote &N : F->Notes)
      diag(N.Loc, "%0", DiagnosticIDs::Note) << N.Text;
  }
  Classifier->unfocus();
}

void DiscardedIoResultCheck::onEndOfTranslationUnit() {
  Classifier.reset();
  Reported.clear();
}

DRAIN_CHECK_FACTORY(DiscardedIoResultCheck)

} // namespace drain::tidy
