//===--- ShutdownBeforeFlushCheck.h - drain-shutdown-before-flush -*- C++ -*-===//
#ifndef DRAIN_TIDY_SHUTDOWNBEFOREFLUSHCHECK_H
#define DRAIN_TIDY_SHUTDOWNBEFOREFLUSHCHECK_H

#include "DrainCheck.h"
#include "analysis/flow/Channels.h"
#include "analysis/flow/FlowEngine.h"
#include "analysis/flow/PendingOutput.h"
#include "llvm/ADT/DenseSet.h"
#include <memory>

namespace drain::tidy {

/// Finds connections that are shut down, closed or reported done while their write buffer
/// may still hold data that no flush confirmed has left.
///
/// A forward dataflow over each function's CFG (checker/analysis/flow/FlowEngine.h) tracks every
/// channel written to; summaries of the functions of the same translation unit connect a
/// poll loop that discards a flush's pending state and returns Ready to the caller that then
/// shuts the socket down (hyper's 2026 truncation bug). See docs/checks/shutdown-before-flush.md.
class ShutdownBeforeFlushCheck : public DrainCheck {
public:
  ShutdownBeforeFlushCheck(llvm::StringRef Name, ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override;

private:
  void storeCheckOptions(ClangTidyOptions::OptionMap &Opts) override;
  void resetTranslationUnit() override;

  ChannelOptions ChannelOpts;
  EngineOptions EngineOpts;
  /// Print the engine's counters (functions analysed, skipped over budget...) to stderr at
  /// the end of each translation unit: for measuring, not for everyday use.
  bool PrintStatistics = false;
  std::unique_ptr<ChannelResolver> Channels;
  std::unique_ptr<FlowEngine> Engine;
  std::unique_ptr<PendingOutput> Pending;
};

} // namespace drain::tidy

#endif // DRAIN_TIDY_SHUTDOWNBEFOREFLUSHCHECK_H
