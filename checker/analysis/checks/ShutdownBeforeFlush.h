//===--- ShutdownBeforeFlush.h - findings read off a finished flow analysis -*- C++ -*-===//
//
// A diagnoser only reads: it walks a FunctionAnalysis's Observations and turns the ones that
// break a property into Findings, plain data (a location, a message, notes). The clang-tidy
// glue turns Findings into diag() calls; other front doors (SARIF, clangd) can do the same.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CHECKS_SHUTDOWNBEFOREFLUSH_H
#define DRAIN_ANALYSIS_CHECKS_SHUTDOWNBEFOREFLUSH_H

#include "analysis/core/Finding.h"
#include "analysis/flow/FlowEngine.h"
#include "analysis/flow/PendingOutput.h"
#include "clang/Basic/SourceLocation.h"
#include <string>
#include <vector>

namespace clang {
class ASTContext;
} // namespace clang

namespace drain {

/// drain-shutdown-before-flush: a completion (shutdown, close, a call that completes without
/// flushing) reached while the channel may hold data no flush confirmed: SB_Dirty, SB_Unsent,
/// or SB_Entry on the object of a connection class. In-flight asynchronous writes are left to
/// drain-close-during-async-write.
std::vector<Finding> diagnoseShutdownBeforeFlush(const FunctionAnalysis &A,
                                                 const ChannelResolver &Channels,
                                                 clang::ASTContext &Ctx);

/// True if \p FD can have a finding of this check, decided from FlowEngine::reach without a
/// CFG: the diagnoser reads only completions, and reports one only where data may be left,
/// from a write or flush the function can reach or, in a method, on the object's entry.
bool mayReportShutdownBeforeFlush(FlowEngine &Engine, const clang::FunctionDecl *FD,
                                  clang::ASTContext &Ctx);

/// Appends to \p Out the teardown of a record whose pending output (a buffer member and its
/// count, PendingOutput.h) \p FD may drop, unless \p Out already has a finding there.
void diagnosePendingOutputTeardown(PendingOutput &Pending, const clang::FunctionDecl *FD,
                                   std::vector<Finding> &Out);

} // namespace drain

#endif // DRAIN_ANALYSIS_CHECKS_SHUTDOWNBEFOREFLUSH_H
