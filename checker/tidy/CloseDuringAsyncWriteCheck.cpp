//===--- CloseDuringAsyncWriteCheck.cpp - drain-close-during-async-write --===//
#include "CloseDuringAsyncWriteCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace drain::tidy {

CloseDuringAsyncWriteCheck::CloseDuringAsyncWriteCheck(llvm::StringRef Name,
                                                       ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Model(*this, Options) {
  Opts.ReportCancel = Options.get("ReportCancel", true);
  Opts.ReportDestroy = Options.get("ReportDestroy", true);
  Opts.ReadHandlerRule = Options.get("CheckReadHandlers", true);
}

void CloseDuringAsyncWriteCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap &O) {
  Model.store(O, Options);
  Options.store(O, "ReportCancel", Opts.ReportCancel);
  Options.store(O, "ReportDestroy", Opts.ReportDestroy);
  Options.store(O, "CheckReadHandlers", Opts.ReadHandlerRule);
}

void CloseDuringAsyncWriteCheck::registerMatchers(MatchFinder *Finder) {
  // Every function body and every lambda body: a lambda is a completion handler as often as
  // not, and its call operator is not reached through functionDecl().
  Finder->addMatcher(functionDecl(isDefinition(), unless(isExpansionInSystemHeader())).bind("fn"),
                     this);
  Finder->addMatcher(lambdaExpr(unless(isExpansionInSystemHeader())).bind("lambda"), this);
}

void CloseDuringAsyncWriteCheck::check(const MatchFinder::MatchResult &Result) {
  const FunctionDecl *FD = Result.Nodes.getNodeAs<FunctionDecl>("fn");
  if (const auto *L = Result.Nodes.getNodeAs<LambdaExpr>("lambda"))
    FD = L->getCallOperator();
  if (!FD || !Seen.insert(FD).second)
    return;
  if (!Members)
    Members = std::make_unique<InFlightMemberAnalysis>(*Result.Context, Model.model(), Opts);
  if (!Flow)
    Flow = std::make_unique<InFlightFlow>(Model.model(), Opts);
  Members->addFunction(FD);
  for (const AsyncFinding &F : Flow->findings(FD, *Result.Context))
    report(F);
}

void CloseDuringAsyncWriteCheck::report(const AsyncFinding &F) {
  // A template's body is seen once per instantiation; report its spelling once.
  if (!Reported.insert(F.Loc).second)
    return;
  diag(F.Loc, "%0") << F.Message << F.Range;
  for (const auto &N : F.Notes)
    diag(N.Loc, "%0", DiagnosticIDs::Note) << N.Message;
}

void CloseDuringAsyncWriteCheck::onEndOfTranslationUnit() {
  if (Members)
    for (const AsyncFinding &F : Members->findings())
      report(F);
  Members.reset();
  Flow.reset();
  Seen.clear();
  Reported.clear();
}

DRAIN_CHECK_FACTORY(CloseDuringAsyncWriteCheck)

} // namespace drain::tidy
