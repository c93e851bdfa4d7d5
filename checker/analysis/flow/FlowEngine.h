//===--- FlowEngine.h - forward dataflow over clang::CFG, one function at a time -*- C++ -*-===//
//
// A worklist dataflow over clang::CFG (stable from LLVM 14 to 22; the FlowSensitive framework
// is not available on 14). Per function:
//   * the entry state has every channel at SB_Entry;
//   * each CFG element is classified into Events (TransferTable.h) and each Event goes to its
//     row of the TransferTable;
//   * at a block's end the state is refined per outgoing edge by the terminator's condition,
//     through the rows of a RefinementTable (RefinementTable.h; the engine uses its standard
//     rows): comparisons of a flush's result (`r == Poll::Ready`, `!= Pending`, through a local
//     variable or directly), `!`, `&&`/`||` (the CFG splits them; the engine reads the right
//     operand of the block that evaluated it), early returns, loop exits, `switch` over an
//     enum (each case edge gets its class, default the rest), byte counts (`n == len`,
//     `off < len` on a write-all loop's exit), emptiness (`empty()`, `size() == 0`,
//     `!has_buffered_write()`), GNU statement expressions (their inner branches are ordinary
//     CFG blocks);
//   * joins are set unions (Lattice.h); blocks are visited in reverse post-order;
//   * a work budget (block visits) bounds every function; past it the function is skipped
//     quietly and counted in EngineStats::FunctionsSkippedBudget;
//   * when the fixpoint is reached one more pass records an Observation (event + state before)
//     for every event that has a channel, and the states at every return (the summary).
// The engine reports nothing itself: a Diagnoser reads the Observations.
//
// Usage (a check):
//   ChannelResolver Channels(ChannelOpts);
//   FlowEngine Engine(Model, Channels, TransferTable::standard(), EngineOpts);
//   if (const FunctionAnalysis *A = Engine.analyze(FD, Ctx))
//     for (const Finding &F : diagnoseShutdownBeforeFlush(*A, Channels, Ctx)) ...
//
// Another state (an asynchronous write "in flight"): the standard table already moves a channel
// to SB_InFlight on EventKind::AsyncWrite and out of it on EventKind::Await (co_await of the
// operation); a check adds or replaces rows (TransferTable::set, e.g. for EventKind::Cancel),
// may replace the classifier (TransferTable::setClassifier: its own channel names, its own
// events), runs its own FlowEngine with that table, and writes its own diagnoser over the same
// Observations: a Close/Shutdown/Cancel whose Before state has SB_InFlight is its finding.
// EngineOptions::LocalDestructors adds an EventKind::Destroy per implicit destructor of a
// local; a Fact of shape Status (zero is success) refines an int status per edge. Summaries
// carry SB_InFlight across calls like any other bit. drain-close-during-async-write does all
// this (checks/CloseDuringAsyncWrite.h, its inFlightTable()).
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_FLOW_FLOWENGINE_H
#define DRAIN_ANALYSIS_FLOW_FLOWENGINE_H

#include "analysis/flow/Channels.h"
#include "analysis/flow/RefinementTable.h"
#include "analysis/flow/Summaries.h"
#include "analysis/flow/TransferTable.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <memory>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class CXXRecordDecl;
class FunctionDecl;
} // namespace clang

namespace drain {

struct EngineOptions {
  /// Block visits allowed per function (blocks x iterations). Past it: skipped, counted.
  unsigned MaxBlockVisits = 20000;
  /// Functions whose CFG has more blocks are skipped (counted in FunctionsSkippedSize).
  unsigned MaxBlocks = 5000;
  /// How deep summaries of callees of callees are computed; deeper calls are opaque.
  unsigned MaxSummaryDepth = 8;
  /// In a method of a connection class the buffer may hold data on entry (SB_Entry counts
  /// as dirty for `this`), so a shutdown there needs its own confirmation.
  bool AssumeBufferDirtyOnEntry = true;
  /// Also treat destructors of connection classes like other methods. Off by default: a
  /// destructor cannot wait for a flush, and closing an fd there is how RAII works.
  bool CheckDestructors = false;
  /// Build the CFG with the implicit destructors of local variables and emit an
  /// EventKind::Destroy (channel: the variable) for each. Off by default.
  bool LocalDestructors = false;
  /// An Observation of an event on a channel also carries the tracked channels below it
  /// (after the channel's own state): closing `c` ends what is in flight on `c->tcp`.
  bool ObserveBelow = false;
  /// The check a skipped function is logged for (ToolLog.h: drain-clangd's log).
  std::string LogName = "drain";
};

struct EngineStats {
  unsigned FunctionsAnalysed = 0;
  unsigned FunctionsSkippedBudget = 0; ///< gave up: MaxBlockVisits reached
  unsigned FunctionsSkippedSize = 0;   ///< gave up: more than MaxBlocks blocks
  unsigned BlockVisits = 0;
  unsigned SummariesComputed = 0;      ///< analyses started for a callee's summary
};

/// One event seen in the final pass, with the states of the channels it involves just before
/// it: the event's own channel (first; with EngineOptions::ObserveBelow then the channels
/// below it), or for a SummaryCall the caller-side channels the callee completes.
struct Observation {
  Event E;
  llvm::SmallVector<std::pair<ChannelKey, ChannelState>, 1> Before;
  /// Completions: a local holding the count of a write on the channel that no condition has
  /// tested yet on this path (`m = write(fd, ...); close(fd); return m != len;`).
  const clang::ValueDecl *UntestedCount = nullptr;
};

struct FunctionAnalysis {
  const clang::FunctionDecl *FD = nullptr;
  /// The class whose `this` the function sees (null for free functions).
  const clang::CXXRecordDecl *ThisClass = nullptr;
  /// Gave up (budget, size): no observations, unusable summary.
  bool Skipped = false;
  /// Channels whose SB_Entry counts as dirty here (`this` of a connection class).
  llvm::SmallVector<ChannelKey, 1> EntryDirty;
  std::vector<Observation> Observations;
  FunctionSummary Summary;

  bool entryIsDirty(const ChannelKey &K) const;
};

class FlowEngine : public SummaryStore {
public:
  FlowEngine(const ApiModel &Model, const ChannelResolver &Channels, TransferTable Table,
             EngineOptions Opts = EngineOptions());
  ~FlowEngine() override;

  /// Analyses \p FD (a definition; memoized). Null if FD has no body or is a dependent
  /// template pattern. The result stays valid as long as the engine.
  const FunctionAnalysis *analyze(const clang::FunctionDecl *FD, clang::ASTContext &Ctx);

  const FunctionSummary *summaryFor(const clang::FunctionDecl *Callee) override;

  /// What an analysis of a function may meet, over its own statements and every function it
  /// calls with a body (followed to any depth; a call back into a function being asked may
  /// meet anything): statements are classified as analyze() classifies them, without
  /// summaries, so what a callee does is found in the callee's body.
  enum Reach : unsigned {
    /// A shutdown, close, asynchronous shutdown or destroy: what a completion's observation
    /// (its own, or one a callee's summary carries) needs.
    ReachCompletion = 1u << 0,
    /// An event that may leave data unsent or buffered (a write, a flush, anything but the
    /// events known to leave no data behind): what SB_Dirty and SB_Unsent need.
    ReachData = 1u << 1,
  };
  /// The Reach bits of \p FD: much cheaper than analyze() (no CFG, no fixpoint), so a
  /// diagnoser that reads only some events skips the functions that cannot meet them (their
  /// CFGs are built only if a caller needs their summaries). Memoized per translation unit;
  /// 0 for what analyze() does not analyse.
  unsigned reach(const clang::FunctionDecl *FD, clang::ASTContext &Ctx);

  const EngineStats &stats() const { return Stats; }
  const EngineOptions &options() const { return Opts; }
  /// Forgets every analysis (call between translation units).
  void reset();

private:
  FunctionAnalysis run(const clang::FunctionDecl *FD, clang::ASTContext &Ctx);
  /// isAnalysable(Def), memoized (a callee declined is asked about at every call).
  bool analysable(const clang::FunctionDecl *Def);
  /// The definition reach() follows for \p FD (a body, not a dependent pattern), or null.
  const clang::FunctionDecl *reachable(const clang::FunctionDecl *FD);
  /// The Reach bits of \p Def's own statements; the definitions it calls in \p Callees.
  unsigned ownReach(const clang::FunctionDecl *Def, clang::ASTContext &Ctx,
                    llvm::SmallVectorImpl<const clang::FunctionDecl *> &Callees);
  struct ReachWalk;
  /// Tarjan's walk from \p Def: each strongly connected set of functions (recursion) gets
  /// the union of what its members and everything they call meet.
  unsigned reachFrom(const clang::FunctionDecl *Def, ReachWalk &W);

  const ApiModel &Model;
  const ChannelResolver &Channels;
  TransferTable Table;
  RefinementTable Refinements;
  EngineOptions Opts;
  EngineStats Stats;
  clang::ASTContext *CurCtx = nullptr;
  unsigned Depth = 0;
  llvm::DenseSet<const clang::FunctionDecl *> InProgress;
  llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<FunctionAnalysis>> Cache;
  llvm::DenseMap<const clang::FunctionDecl *, bool> Analysable;
  /// reach()'s answers.
  llvm::DenseMap<const clang::FunctionDecl *, unsigned> Reaches;
};

} // namespace drain

#endif // DRAIN_ANALYSIS_FLOW_FLOWENGINE_H
