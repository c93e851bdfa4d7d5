//===--- ShutdownBeforeFlushCheck.cpp - drain-shutdown-before-flush -------===//
#include "ShutdownBeforeFlushCheck.h"
#include "analysis/checks/ShutdownBeforeFlush.h"
#include "analysis/checks/ShutdownBeforeFlush/TlsCloseOrder.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace drain::tidy {

ShutdownBeforeFlushCheck::ShutdownBeforeFlushCheck(llvm::StringRef Name,
                                                   ClangTidyContext *Context)
    : DrainCheck(Name, Context) {
  ChannelOpts.BufferWords = Options.get("BufferMemberWords", ChannelOpts.BufferWords);
  ChannelOpts.InputBufferWords =
      Options.get("InputBufferMemberWords", ChannelOpts.InputBufferWords);
  ChannelOpts.SocketWords = Options.get("SocketMemberWords", ChannelOpts.SocketWords);
  EngineOpts.MaxBlockVisits = Options.get("MaxBlockVisits", EngineOpts.MaxBlockVisits);
  EngineOpts.AssumeBufferDirtyOnEntry =
      Options.get("AssumeBufferDirtyOnEntry", EngineOpts.AssumeBufferDirtyOnEntry);
  EngineOpts.CheckDestructors = Options.get("CheckDestructors", EngineOpts.CheckDestructors);
  PrintStatistics = Options.get("PrintStatistics", false);
  EngineOpts.LogName = Name.str();
  // Ending an object ends what its members owe: free(c->buf) after a short write on c->sfd.
  EngineOpts.ObserveBelow = true;
  Channels = std::make_unique<ChannelResolver>(ChannelOpts);
  Channels->setModel(&Model.model());
  Engine = std::make_unique<FlowEngine>(Model.model(), *Channels, TransferTable::standard(),
                                        EngineOpts);
  Pending = std::make_unique<PendingOutput>(Model.model(), ChannelOpts);
  Pending->setCheckDestructors(EngineOpts.CheckDestructors);
}

void ShutdownBeforeFlushCheck::storeCheckOptions(ClangTidyOptions::OptionMap &O) {
  Options.store(O, "BufferMemberWords", ChannelOpts.BufferWords);
  Options.store(O, "InputBufferMemberWords", ChannelOpts.InputBufferWords);
  Options.store(O, "SocketMemberWords", ChannelOpts.SocketWords);
  Options.store(O, "MaxBlockVisits", EngineOpts.MaxBlockVisits);
  Options.store(O, "AssumeBufferDirtyOnEntry", EngineOpts.AssumeBufferDirtyOnEntry);
  Options.store(O, "CheckDestructors", EngineOpts.CheckDestructors);
  Options.store(O, "PrintStatistics", PrintStatistics);
}

void ShutdownBeforeFlushCheck::registerMatchers(MatchFinder *Finder) {
  // Every function body outside system headers, template instantiations included (a
  // dependent call's callee is only known there); uninstantiated patterns are skipped by the
  // engine. Lambda bodies are their call operators.
  Finder->addMatcher(functionBodies(), this);
  Finder->addMatcher(lambdaBodies(), this);
}

void ShutdownBeforeFlushCheck::check(const MatchFinder::MatchResult &Result) {
  // A function that can have no finding is not analysed; its CFG is built only if a caller
  // needs its summary.
  const FunctionDecl *FD = matchedFunction(Result);
  std::vector<Finding> Found;
  if (mayReportShutdownBeforeFlush(*Engine, FD, *Result.Context))
    if (const FunctionAnalysis *A = Engine->analyze(FD, *Result.Context))
      Found = diagnoseShutdownBeforeFlush(*A, *Channels, *Result.Context);
  diagnosePendingOutputTeardown(*Pending, FD, Found);
  diagnoseTlsCloseOrder(FD, Model.model(), ChannelOpts.SocketWords, Found);
  for (const Finding &F : Found)
    emit(F);
}

void ShutdownBeforeFlushCheck::onStartOfTranslationUnit() {
  Engine->reset();
  Pending->reset();
}

void ShutdownBeforeFlushCheck::resetTranslationUnit() {
  if (PrintStatistics) {
    const EngineStats &St = Engine->stats();
    llvm::errs() << "drain-shutdown-before-flush: " << St.FunctionsAnalysed
                 << " functions analysed, " << St.FunctionsSkippedBudget
                 << " skipped over the budget, " << St.FunctionsSkippedSize
                 << " skipped as too large, " << St.BlockVisits << " block visits, "
                 << St.SummariesComputed << " summaries\n";
  }
  Engine->reset();
  Pending->reset();
}

} // namespace drain::tidy
