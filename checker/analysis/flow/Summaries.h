//===--- Summaries.h - what a function does to its channels, for its callers -*- C++ -*-===//
//
// A summary is read off the same flow analysis that checks the function: the state of each
// channel rooted at `this` or at a parameter at every return, split by the class of the value
// returned (Poll::Pending / Ready / Error / other; true is Ready, false Pending; the sign of an
// int's answer, negative an Error), plus whether the function completes (shuts down, closes) a
// channel while the caller's data may still be there. States at the exits are relative: SB_Entry stands for "whatever the caller had".
//
// At a call the caller substitutes its own state for SB_Entry (applySummary). When the callee
// returns a classifiable value, the call's result carries a Fact with the state per class, so
// `if (poll_loop() == Poll::Pending) return Poll::Pending;` keeps only the Ready/Error exit
// states on the fall-through path. This is how hyper's bug, spread over poll_loop (discards
// the flush, returns Ready), poll_inner (tests only for Pending) and poll_shutdown (shuts the
// socket down), is connected.
//
// Summaries are computed on demand, callees first (the engine analyses a callee when a call to
// it is classified), memoized per declaration. Recursion and depth beyond
// EngineOptions::MaxSummaryDepth make the call opaque.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_FLOW_SUMMARIES_H
#define DRAIN_ANALYSIS_FLOW_SUMMARIES_H

#include "analysis/flow/TransferTable.h"
#include "analysis/flow/Lattice.h"
#include <map>
#include <vector>

namespace clang {
class FunctionDecl;
class Stmt;
} // namespace clang

namespace drain {

/// The signs an integer function's returned value may have at one exit (a set of bits): how
/// the summary of a function answering 0 / -1, 1 / 0 or -errno is read by its callers.
enum ReturnSign : uint8_t {
  RS_Negative = 1u << 0,
  RS_Zero = 1u << 1,
  RS_Positive = 1u << 2,
  RS_Any = RS_Negative | RS_Zero | RS_Positive,
};

struct SummaryChannel {
  /// Rooted at `this` (Root == null) or at a ParmVarDecl of the callee.
  ChannelKey Key;
  /// The state at the returns of each class (bottom: no such return).
  ChannelState Exit[NumResultClasses];
  /// A completion of the channel reached while the caller's data may still be there (the
  /// state had SB_Entry): the call completes without flushing. The first such site.
  const clang::Stmt *UnconfirmedCompletion = nullptr;
  EventKind CompletionKind = EventKind::Shutdown;
  /// Every completion of the channel was reached only after a confirmed flush.
  bool CompletesConfirmed = false;
  /// The callee reports UnconfirmedCompletion itself: there the channel may hold data on
  /// entry (the object of a connection class, a connection it owns). Otherwise (a transport
  /// with no buffer of its own: `Socket::poll_shutdown`) the caller must judge it, since only
  /// the caller knows the buffer above the channel.
  bool JudgedByCallee = false;
};

struct FunctionSummary {
  const clang::FunctionDecl *FD = nullptr;
  /// False when the analysis gave up (budget, recursion): callers treat the call as opaque.
  bool Usable = false;
  /// The classes of the values it returns (RC_Other for void or unclassifiable values).
  uint8_t ReturnClasses = 0;
  /// How callers read its result: Enum (Poll-like), Bool, Count, Signed (an int answering
  /// by its sign), or Enum with only RC_Other.
  FactShape ResultShape = FactShape::Enum;
  /// Signed: zero is pending and positive ready (`1` done, `0` not); else zero is ready.
  bool TrueIsPending = false;
  llvm::SmallVector<SummaryChannel, 2> Channels;

  const SummaryChannel *find(const ChannelKey &K) const;

  //--- Properties, for tests, docs and notes -------------------------------------------===//
  /// Some return may leave a channel dirty (Dirty/Unsent) that was clean on entry.
  bool mayLeaveDirty() const;
  /// Some Ready return has a channel clean that was possibly dirty on entry (it flushes and
  /// confirms: poll_flush, flush_all).
  bool confirmsFlush() const;
  /// It completes a channel while the caller's data may still be there.
  bool completesWithoutFlush() const;
  /// Some return leaves the object itself (`this`) with the caller's data gone (flushed,
  /// found empty or dropped) and it completes the object only after that: a destructor that
  /// flushes first, so destroying the object loses nothing.
  bool cleansObject() const;
  /// It returns Ready with a channel possibly dirty after dropping a flush's pending state
  /// (hyper's poll_loop).
  bool returnsReadyWithUnconfirmedFlush() const;
};

/// Where a summary comes from: the engine implements it; tests can fake it.
class SummaryStore {
public:
  virtual ~SummaryStore();
  /// The summary of a call to \p Callee, or null when the call must be treated as opaque.
  virtual const FunctionSummary *summaryFor(const clang::FunctionDecl *Callee) = 0;
};

/// Collects a function's exits and completions during the engine's final pass and builds
/// its summary at the end (so the order in which blocks are visited does not matter).
class SummaryBuilder {
public:
  explicit SummaryBuilder(const clang::FunctionDecl *FD);
  /// The state at one return of class \p Class; \p Ret is the return statement (null for
  /// falling off the end). Only channels rooted at `this` or a parameter are kept.
  /// \p Signs (ReturnSign bits): for a function returning an integer, the signs the value
  /// returned here may have; used instead of \p Class by finishBySign.
  void addExit(const FlowState &State, uint8_t Class, const clang::Stmt *Ret,
               uint8_t Signs = RS_Any);
  /// A completion of \p K reached in state \p Before; \p EntryDirty: the function's own
  /// analysis counts K's entry state as dirty (and so reports an unconfirmed completion).
  void addCompletion(const ChannelKey &K, const ChannelState &Before, const clang::Stmt *Site,
                     EventKind Kind, bool EntryDirty);
  /// \p CollapseClasses: the returned values tell nothing apart; every exit is RC_Other.
  FunctionSummary finish(FactShape ResultShape, bool CollapseClasses = false);
  /// The summary of an integer function whose constant answers say what its signs mean
  /// (FactShape::Signed): a negative value is its failure (RC_Error), and of zero and
  /// positive one is done (RC_Ready) and the other not (RC_Pending): zero is pending when
  /// \p ZeroIsPending (`return 1;` done, `return 0;` not), else zero is done (`return 0;`
  /// done, `return -1;` failed). An exit whose value may have several signs counts in each
  /// of their classes.
  FunctionSummary finishBySign(bool ZeroIsPending);

private:
  bool isInterfaceKey(const ChannelKey &K) const;
  FunctionSummary Sum;
  struct Exit {
    uint8_t Class;
    uint8_t Signs;
    const clang::Stmt *Ret;
    std::map<ChannelKey, ChannelState> Channels;
  };
  std::vector<Exit> Exits;
};

/// Maps a callee-relative key to the caller: `this` to \p Object, parameter i to \p Args[i];
/// nullopt if the root has no counterpart at this call.
std::optional<ChannelKey> mapKey(const ChannelKey &CalleeKey, const clang::FunctionDecl *Callee,
                                 const std::optional<ChannelKey> &Object,
                                 llvm::ArrayRef<std::optional<ChannelKey>> Args);

/// A channel a callee completes while its caller's data may still be there, and its key in
/// the caller.
struct CallerCompletion {
  const SummaryChannel *Channel; ///< its UnconfirmedCompletion is set
  ChannelKey Key;
};
/// The callee channels of the SummaryCall \p E with an UnconfirmedCompletion that have a
/// counterpart in the caller, in the summary's order.
llvm::SmallVector<CallerCompletion, 2> unconfirmedCompletions(const Event &E);

/// The caller's state after the callee returned with \p Exit, given the caller's state \p Pre
/// before the call: SB_Entry is replaced by Pre; a dirty path from inside the callee gets a
/// CallLeftDirty event at \p Call.
ChannelState substitute(const ChannelState &Exit, const ChannelState &Pre,
                        const clang::Stmt *Call, const clang::FunctionDecl *Callee);

} // namespace drain

#endif // DRAIN_ANALYSIS_FLOW_SUMMARIES_H
