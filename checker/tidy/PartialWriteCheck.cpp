//===--- PartialWriteCheck.cpp - drain-partial-write ----------------------===//
#include "PartialWriteCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace drain::tidy {

PartialWriteCheck::PartialWriteCheck(llvm::StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Model(*this, Options) {
  Opts.TlsPartialWrites = Options.get("TlsPartialWrites", false);
  Opts.AtomicWriteSize = Options.get("AtomicWriteSize", 512u);
}

void PartialWriteCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap &O) {
  Model.store(O, Options);
  Options.store(O, "TlsPartialWrites", Opts.TlsPartialWrites);
  Options.store(O, "AtomicWriteSize", Opts.AtomicWriteSize);
}

void PartialWriteCheck::registerMatchers(MatchFinder *Finder) {
  // The model decides which calls are count-returning writes; one body at a time keeps the
  // parent lookups local to it (see DiscardClassifier::focus).
  Finder->addMatcher(
      functionDecl(isDefinition(), unless(isExpansionInSystemHeader())).bind("fn"), this);
}

void PartialWriteCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *FD = Result.Nodes.getNodeAs<FunctionDecl>("fn");
  if (!Index || &Index->context() != Result.Context)
    Index = std::make_unique<DiscardClassifier>(*Result.Context);
  const SourceManager &SM = *Result.SourceManager;
  for (const CallExpr *Call : Index->focus(FD)) {
    if (SM.isInSystemHeader(SM.getExpansionLoc(Call->getBeginLoc())))
      continue;
    auto F = findPartialWrite(Call, Model.model(), *Index, Opts);
    if (!F || !Reported.insert(F->Loc).second)
      continue;
    diag(F->Loc, "%0") << F->Message;
    for (const FindingNote &N : F->Notes)
      diag(N.Loc, "%0", DiagnosticIDs::Note) << N.Text;
  }
  Index->unfocus();
}

void PartialWriteCheck::onEndOfTranslationUnit() {
  Index.reset();
  Reported.clear();
}

DRAIN_CHECK_FACTORY(PartialWriteCheck)

} // namespace drain::tidy
