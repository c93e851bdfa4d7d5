//===--- CloseDuringAsyncWriteCheck.cpp - drain-close-during-async-write --===//
#include "CloseDuringAsyncWriteCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace drain::tidy {

CloseDuringAsyncWriteCheck::CloseDuringAsyncWriteCheck(llvm::StringRef Name,
                                                       ClangTidyContext *Context)
    : DrainCheck(Name, Context) {
  Opts.ReportCancel = Options.get("ReportCancel", true);
  Opts.ReportDestroy = Options.get("ReportDestroy", true);
  Opts.ReadHandlerRule = Options.get("CheckReadHandlers", true);
}

void CloseDuringAsyncWriteCheck::storeCheckOptions(ClangTidyOptions::OptionMap &O) {
  Options.store(O, "ReportCancel", Opts.ReportCancel);
  Options.store(O, "ReportDestroy", Opts.ReportDestroy);
  Options.store(O, "CheckReadHandlers", Opts.ReadHandlerRule);
}

void CloseDuringAsyncWriteCheck::registerMatchers(MatchFinder *Finder) {
  // Every function body and every lambda body: a lambda is a completion handler as often as
  // not, and its call operator is not reached through functionDecl().
  Finder->addMatcher(functionBodies(), this);
  Finder->addMatcher(lambdaBodies(), this);
}

void CloseDuringAsyncWriteCheck::check(const MatchFinder::MatchResult &Result) {
  const FunctionDecl *FD = matchedFunction(Result);
  if (!FD || !Seen.insert(FD).second)
    return;
  // Both rules start from an asynchronous call: the functions wait for the unit's end, and
  // are analysed (in match order, as they came) only if the gate has opened by then.
  if (!Gate || Ctx != Result.Context)
    Gate = std::make_unique<AsyncGate>(Model.model());
  Ctx = Result.Context;
  Matched.push_back(FD);
  if (!Gate->open())
    Gate->add(FD);
}

void CloseDuringAsyncWriteCheck::analyse(const FunctionDecl *FD, ASTContext &Ctx) {
  if (!Members)
    Members = std::make_unique<InFlightMemberAnalysis>(Ctx, Model.model(), Opts);
  if (!Flow)
    Flow = std::make_unique<InFlightFlow>(Model.model(), Opts);
  Members->addFunction(FD);
  for (const Finding &F : Flow->findings(FD, Ctx))
    emit(F);
}

void CloseDuringAsyncWriteCheck::resetTranslationUnit() {
  if (Gate && Gate->open())
    for (const FunctionDecl *FD : Matched)
      analyse(FD, *Ctx);
  if (Members)
    for (const Finding &F : Members->findings())
      emit(F);
  Members.reset();
  Flow.reset();
  Seen.clear();
  Matched.clear();
  Gate.reset();
  Ctx = nullptr;
}

} // namespace drain::tidy
