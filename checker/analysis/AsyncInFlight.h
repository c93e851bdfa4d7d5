//===--- AsyncInFlight.h - streams closed while a write is in flight -*- C++ -*-===//
//
// The analysis behind drain-close-during-async-write. An asynchronous write (async_write,
// async_write_some, uv_write, ...) is *in flight* from its initiating call until its
// completion handler runs; closing, shutting down, cancelling or destroying the stream in
// that window throws away whatever has not left yet.
//
// Two rules:
//  * Within one function (a forward may-analysis on the CFG): a write started on a path, then
//    the same stream closed on that path. The write stops being in flight when it is
//    co_awaited, when it runs on a yield_context, when the future it returned is waited for,
//    and when the event loop is run to completion (io_context::run, uv_run). The stream is
//    named through accessors (socket(), next_layer(), get_lowest_layer) and one level of
//    same-TU helper methods that close a member (do_close()).
//  * Across the functions of a class (Crow's bug): the class tracks its write in flight with
//    a member flag (set before the write, cleared in its handler) or a pending-write queue
//    (drained in the handler), and a read handler closes the stream without testing that
//    member. Without such a member drain cannot tell whether a write can be in flight when a
//    read handler runs, and stays silent.
//
// FIXME: the in-flight state is a focused CFG walk here, not rows in the shared flow engine
// (FlowEngine/TransferTable), whose implementation had not landed when this was written. The
// rules map one to one onto its EventKind::AsyncWrite/Await/Close/Cancel/Destroy rows with
// SB_InFlight; moving them there would let summaries carry "in flight" across calls.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_ASYNCINFLIGHT_H
#define DRAIN_ANALYSIS_ASYNCINFLIGHT_H

#include "analysis/AsyncOps.h"
#include "llvm/ADT/DenseMap.h"
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

/// The intra-function rule for one function (or lambda call operator) body.
std::vector<AsyncFinding> findClosesDuringAsyncWrite(const clang::FunctionDecl *FD,
                                                     clang::ASTContext &Ctx,
                                                     const ApiModel &Model,
                                                     const InFlightOptions &Opts);

/// The class-level rule: feed every function body of the translation unit (methods, lambda
/// call operators, C callbacks), then ask for the findings once.
class InFlightMemberAnalysis {
public:
  InFlightMemberAnalysis(clang::ASTContext &Ctx, const ApiModel &Model,
                         const InFlightOptions &Opts);
  ~InFlightMemberAnalysis();
  void addFunction(const clang::FunctionDecl *FD);
  std::vector<AsyncFinding> findings();

  struct FunctionFacts;

private:
  clang::ASTContext &Ctx;
  const ApiModel &Model;
  InFlightOptions Opts;
  llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<FunctionFacts>> Facts;
  std::vector<const clang::FunctionDecl *> Order;
};

} // namespace drain

#endif // DRAIN_ANALYSIS_ASYNCINFLIGHT_H
