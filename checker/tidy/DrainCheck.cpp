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
  Reported.clear();
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
  for (const FindingNote &N : F.Notes)
    diag(N.Loc, "%0", DiagnosticIDs::Note) << N.Text;
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

} // namespace drain::tidy
