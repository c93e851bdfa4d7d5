//===--- DrainCheck.cpp - what every drain check shares -------------------===//
#include "DrainCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace drain::tidy {

DrainCheck::DrainCheck(llvm::StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Model(*this, Options) {}

void DrainCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Model.store(Opts, Options);
  storeCheckOptions(Opts);
}

void DrainCheck::onEndOfTranslationUnit() {
  resetTranslationUnit();
  Model.model().endUnit();
  Reported.clear();
}

void DrainCheck::registerPPCallbacks(const SourceManager &SourceMgr, Preprocessor *,
                                     Preprocessor *) {
  SM = &SourceMgr;
}

void DrainCheck::emit(const Finding &F) {
  if (!Reported.insert(F.Loc).second)
    return;
  {
    // The warning is emitted when its builder goes out of scope, before its notes.
    auto D = diag(F.Loc, "%0");
    D << F.Message;
    if (F.Range.isValid())
      D << F.Range;
  }
  // A note in a macro expansion (`TRY(flush(c))`, a NULL callback) goes where it is written in
  // the file: clangd publishes a note only with a file of its own and drops the others, which
  // would leave the editor's path shorter than CI's. clang-tidy prints the same line and column
  // either way (without the "expanded from macro" lines).
  for (const FindingNote &N : F.Notes)
    diag(SM && N.Loc.isMacroID() ? SM->getFileLoc(N.Loc) : N.Loc, "%0", DiagnosticIDs::Note)
        << N.Text;
}

DeclarationMatcher DrainCheck::functionBodies() {
  return functionDecl(isDefinition(), unless(isExpansionInSystemHeader())).bind("fn");
}

StatementMatcher DrainCheck::lambdaBodies() {
  return lambdaExpr(unless(isExpansionInSystemHeader())).bind("lambda");
}

const FunctionDecl *DrainCheck::matchedFunction(const MatchFinder::MatchResult &Result) {
  if (const auto *L = Result.Nodes.getNodeAs<LambdaExpr>("lambda"))
    return L->getCallOperator();
  return Result.Nodes.getNodeAs<FunctionDecl>("fn");
}

void CallSiteCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(functionBodies(), this);
}

void CallSiteCheck::check(const MatchFinder::MatchResult &Result) {
  if (!Classifier || &Classifier->context() != Result.Context)
    Classifier = std::make_unique<DiscardClassifier>(*Result.Context);
  const SourceManager &SM = *Result.SourceManager;
  for (const CallExpr *Call : Classifier->focus(matchedFunction(Result))) {
    if (SM.isInSystemHeader(SM.getExpansionLoc(Call->getBeginLoc())))
      continue;
    if (std::optional<Finding> F = find(Call, *Classifier))
      emit(*F);
  }
  std::vector<Finding> Whole;
  findInFunction(matchedFunction(Result), *Classifier, Whole);
  for (const Finding &F : Whole)
    emit(F);
  Classifier->unfocus();
}

} // namespace drain::tidy
