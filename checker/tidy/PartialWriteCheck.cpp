//===--- PartialWriteCheck.cpp - drain-partial-write ----------------------===//
#include "PartialWriteCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace drain::tidy {

PartialWriteCheck::PartialWriteCheck(llvm::StringRef Name, ClangTidyContext *Context)
    : DrainCheck(Name, Context) {
  Opts.TlsPartialWrites = Options.get("TlsPartialWrites", false);
  Opts.AtomicWriteSize = Options.get("AtomicWriteSize", 512u);
}

void PartialWriteCheck::storeCheckOptions(ClangTidyOptions::OptionMap &O) {
  Options.store(O, "TlsPartialWrites", Opts.TlsPartialWrites);
  Options.store(O, "AtomicWriteSize", Opts.AtomicWriteSize);
}

void PartialWriteCheck::registerMatchers(MatchFinder *Finder) {
  // The model decides which calls are count-returning writes; one body at a time keeps the
  // parent lookups local to it (see DiscardClassifier::focus).
  Finder->addMatcher(functionBodies(), this);
}

void PartialWriteCheck::check(const MatchFinder::MatchResult &Result) {
  if (!Classifier || &Classifier->context() != Result.Context)
    Classifier = std::make_unique<DiscardClassifier>(*Result.Context);
  const SourceManager &SM = *Result.SourceManager;
  for (const CallExpr *Call : Classifier->focus(matchedFunction(Result))) {
    if (SM.isInSystemHeader(SM.getExpansionLoc(Call->getBeginLoc())))
      continue;
    if (auto F = findPartialWrite(Call, model(), *Classifier, Opts))
      emit(*F);
  }
  Classifier->unfocus();
}

} // namespace drain::tidy
