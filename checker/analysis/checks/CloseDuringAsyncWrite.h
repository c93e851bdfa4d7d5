//===--- CloseDuringAsyncWrite.h - streams closed while a write is in flight -*- C++ -*-===//
//
// The analysis behind drain-close-during-async-write. An asynchronous write (async_write,
// async_write_some, uv_write, ...) is *in flight* from its initiating call until its
// completion handler runs; closing, shutting down, cancelling or destroying the stream in
// that window throws away whatever has not left yet.
//
// Two rules:
//  * Within one function, on the shared flow engine (FlowEngine.h): "in flight" is the state
//    bit SB_InFlight, as "maybe dirty" is for drain-shutdown-before-flush. inFlightTable() is
//    TransferTable::standard() with this check's classifier (streams keyed as AsyncChannel
//    names them: through socket(), next_layer(), get_lowest_layer(s), casts, smart pointers
//    and `self`) and its rows: AsyncWrite sets the bit (a libuv status result is a Status fact:
//    on its failure edges nothing was queued); Await clears it (co_await of the write,
//    get()/wait() on the future it returned, the event loop run in place by io_context::run,
//    uv_run or a function of this translation unit that calls one, std::move of the stream);
//    Cancel and Destroy (a local stream's implicit destructor, EngineOptions::LocalDestructors)
//    clear it; Close and Shutdown keep the standard completion row. diagnoseInFlight() reads
//    the Observations: a Close, Shutdown or Cancel whose state before may have the bit on the
//    stream or on one it contains (EngineOptions::ObserveBelow), a Destroy, and a call whose
//    summary closes a channel that may have it. Summaries carry the bit both ways across the
//    calls of the translation unit: a function that starts a write and returns, a function
//    that closes the stream it is handed or a member of its object (do_close()).
//    Limits: a cancel inside a callee is not carried to the caller (summaries record closes
//    and shutdowns only); a function that runs the event loop is recognised one call deep; the
//    state is per stream, so waiting for one of two writes on a stream ends both.
//  * Across the functions of a class (Crow's bug): the class tracks its write in flight with
//    a member flag (set before the write, cleared in its handler) or a pending-write queue
//    (drained in the handler), and a read handler closes the stream without testing that
//    member. Without such a member drain cannot tell whether a write can be in flight when a
//    read handler runs, and stays silent. This rule pairs handlers with writes over the whole
//    translation unit from facts collected per function; it is not a flow analysis.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CHECKS_CLOSEDURINGASYNCWRITE_H
#define DRAIN_ANALYSIS_CHECKS_CLOSEDURINGASYNCWRITE_H

#include "analysis/core/AsyncOps.h"
#include "analysis/flow/FlowEngine.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <memory>
#include <vector>

namespace clang {
class ASTContext;
class FunctionDecl;
} // namespace clang

namespace drain {

struct InFlightOptions {
  bool ReportCancel = true;        ///< cancel() while a write is in flight
  bool ReportDestroy = true;       ///< a local stream destroyed while a write is in flight
  bool ReadHandlerRule = true;     ///< the class-level rule (member flag / queue)
  unsigned MaxBlocks = 5000;       ///< larger CFGs are skipped (quietly)
};

/// The transfer table of the intra-function rule: TransferTable::standard() with this
/// check's classifier and its AsyncWrite, Await, Cancel (when reported) and Destroy rows.
TransferTable inFlightTable(const InFlightOptions &Opts);

/// The findings of the intra-function rule in one analysed function (reads only).
std::vector<Finding> diagnoseInFlight(const FunctionAnalysis &A, const ApiModel &Model,
                                           const InFlightOptions &Opts, clang::ASTContext &Ctx);

/// The intra-function rule: a flow engine with inFlightTable(), and its diagnoser. One per
/// translation unit at a time (summaries are memoized; reset() between units).
class InFlightFlow {
public:
  InFlightFlow(const ApiModel &Model, const InFlightOptions &Opts);
  ~InFlightFlow();
  /// The findings in \p FD (a function or a lambda's call operator).
  std::vector<Finding> findings(const clang::FunctionDecl *FD, clang::ASTContext &Ctx);
  void reset();

private:
  const ApiModel &Model;
  InFlightOptions Opts;
  std::unique_ptr<ChannelResolver> Channels;
  std::unique_ptr<FlowEngine> Engine;
};

/// Whether a translation unit gives either rule anything to start from: a call, in a function
/// body fed here or in one it calls (bodies outside system headers, followed to any depth), of
/// a function whose row in the model's table is asynchronous (AsyncWrite, AsyncShutdown, or a
/// row with a completion handler). The flow rule's SB_InFlight is set only by an asynchronous
/// write and reported only with the write's row; the class-level rule pairs handlers with such
/// writes; a role inferred from a body is never asynchronous (RoleInference.h). So while the
/// gate is shut the unit has no finding, and the check need not analyse it: a C file that uses
/// no asynchronous API costs one walk over its bodies.
class AsyncGate {
public:
  explicit AsyncGate(const ApiModel &Model) : Model(Model) {}
  /// Walks \p FD's body and the bodies it calls, until the gate opens.
  void add(const clang::FunctionDecl *FD);
  bool open() const { return Open; }

private:
  const ApiModel &Model;
  bool Open = false;
  llvm::DenseSet<const clang::FunctionDecl *> Walked;
};

/// The class-level rule: feed every function body of the translation unit (methods, lambda
/// call operators, C callbacks), then ask for the findings once.
class InFlightMemberAnalysis {
public:
  InFlightMemberAnalysis(clang::ASTContext &Ctx, const ApiModel &Model,
                         const InFlightOptions &Opts);
  ~InFlightMemberAnalysis();
  void addFunction(const clang::FunctionDecl *FD);
  std::vector<Finding> findings();

  struct FunctionFacts;

private:
  clang::ASTContext &Ctx;
  const ApiModel &Model;
  InFlightOptions Opts;
  llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<FunctionFacts>> Facts;
  std::vector<const clang::FunctionDecl *> Order;
};

} // namespace drain

#endif // DRAIN_ANALYSIS_CHECKS_CLOSEDURINGASYNCWRITE_H
