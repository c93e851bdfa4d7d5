//===--- IgnoredCompletionErrorCheck.cpp - drain-ignored-completion-error -===//
#include "IgnoredCompletionErrorCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace drain::tidy {

IgnoredCompletionErrorCheck::IgnoredCompletionErrorCheck(llvm::StringRef Name,
                                                         ClangTidyContext *Context)
    : DrainCheck(Name, Context) {
  Opts.CheckByteCount = Options.get("CheckByteCount", true);
  Opts.ReportNoHandler = Options.get("ReportNoHandler", true);
}

void IgnoredCompletionErrorCheck::storeCheckOptions(ClangTidyOptions::OptionMap &O) {
  Options.store(O, "CheckByteCount", Opts.CheckByteCount);
  Options.store(O, "ReportNoHandler", Opts.ReportNoHandler);
}

void IgnoredCompletionErrorCheck::registerMatchers(MatchFinder *Finder) {
  // Every call with a known callee; the model's AF_HasHandler rows decide. Instantiations are
  // included: a dependent call's callee and handler are only known there.
  Finder->addMatcher(callExpr(callee(functionDecl()), unless(isExpansionInSystemHeader()))
                         .bind("call"),
                     this);
  // A function answering its caller after a non-blocking write, or telling no one of its
  // failure (FailureAnswers.h).
  Finder->addMatcher(functionBodies(), this);
  // A call in a template pattern whose callee is still a name: the only form a write has in
  // a template the translation unit never instantiates (a header-only server).
  Finder->addMatcher(callExpr(callee(expr(anyOf(unresolvedLookupExpr(), unresolvedMemberExpr(),
                                                cxxDependentScopeMemberExpr()))),
                              unless(isExpansionInSystemHeader()))
                         .bind("dependent"),
                     this);
}

void IgnoredCompletionErrorCheck::check(const MatchFinder::MatchResult &Result) {
  if (const auto *Call = Result.Nodes.getNodeAs<CallExpr>("dependent")) {
    if (!Instantiated || &Instantiated->context() != Result.Context)
      Instantiated = std::make_unique<InstantiatedPatterns>(*Result.Context);
    if (auto F = findIgnoredCompletionErrorInTemplate(Call, *Result.Context, Model.model(),
                                                      *Instantiated, Opts))
      emit(*F);
    return;
  }
  if (const FunctionDecl *FD = Result.Nodes.getNodeAs<FunctionDecl>("fn")) {
    for (const Finding &F : findWriteFailuresAnsweredAsWait(FD, Model.model()))
      emit(F);
    for (const Finding &F : findWriteFailuresToldToNoOne(FD, Model.model()))
      emit(F);
    return;
  }
  const auto *Call = Result.Nodes.getNodeAs<CallExpr>("call");
  if (!Classifier || &Classifier->context() != Result.Context)
    Classifier = std::make_unique<DiscardClassifier>(*Result.Context);
  auto F = findIgnoredCompletionError(Call, *Result.Context, Model.model(), *Classifier, Opts);
  if (F)
    emit(*F);
}

} // namespace drain::tidy
