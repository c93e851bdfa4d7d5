//===--- ToolLog.h - what the analysis tells the user's log, not their code -*- C++ -*-===//
//
// A few things the analysis does are worth a line in the tool's log though they are not
// findings: a function whose flow analysis ran out of its work budget and was skipped, so a
// bug in it would go unreported. Nothing is written by default (drain-tidy has its
// PrintStatistics option for counts); a front door that has a log installs a sink:
// drain-clangd sends these lines to clangd's log, where an editor shows them.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CORE_TOOLLOG_H
#define DRAIN_ANALYSIS_CORE_TOOLLOG_H

#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"

namespace drain {

/// Receives one line, without a trailing newline. May be called from any thread clang-tidy
/// runs checks on; the sink serialises its own output.
using ToolLogSink = void (*)(llvm::StringRef Line);

/// Installs (or, with nullptr, removes) the sink.
void setToolLogSink(ToolLogSink Sink);

/// Whether a sink is installed: callers skip composing a line otherwise.
bool toolLogEnabled();

/// Hands one line to the sink, if any.
void toolLog(const llvm::Twine &Line);

} // namespace drain

#endif
