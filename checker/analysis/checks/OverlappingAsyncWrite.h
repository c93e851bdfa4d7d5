//===--- OverlappingAsyncWrite.h - drain-overlapping-async-write ----*- C++ -*-===//
//
// The analysis behind drain-overlapping-async-write. Asio's composed async_write (and Beast's
// http and websocket writes) are made of several partial writes; a second write started on the
// same stream before the first one's completion handler ran interleaves the bytes of the two
// messages. A class that writes from code that can run at any time (a public send(), a task
// posted to a strand) must therefore track its write in flight: a queue that holds the message
// being written until the handler pops it, or a flag set before the write and cleared in the
// handler, tested before a write is started.
//
// The rule, per class (collected over the whole translation unit, not a flow analysis):
//  * a write: an asynchronous write of the model (a library that does not queue writes, see
//    queuesOverlappingWrites()) on a member stream, whose completion handler drain can read and
//    does not call back a callable it was handed (then the caller sequences its writes);
//  * its starts: the chains of calls that reach it, followed upwards through the class's
//    methods, lambdas and tasks handed to post/dispatch/defer. A chain that comes out of a
//    completion handler (this write's own, a read's, a timer's) is the handler chain (read ->
//    write -> handler -> read, or the handler starting the next queued write) and can not
//    overlap; a chain whose top is a constructor, a start-like method (`start`, `run`,
//    `connect`: StartFunctionWords) or a private method nobody calls is not an entry either.
//    Every other top is an entry: code outside the class can call it again while the write is
//    in flight;
//  * guarded: on the chain from the entry, some member M is both tested and filled (pushed,
//    set, swapped in, assigned) before the write is reached, at a point that can reach the next
//    call of the chain (on the function's CFG), and the write's handler changes M (pops it,
//    clears it, resets it). Testing a queue that does not hold the message in flight (the
//    message is written without being pushed, or popped before the write) is no guard;
//  * reported when an entry chain is not guarded and something says the class expects writes
//    while one is in flight: the chain posts a task (to a strand or an executor), or it appends
//    to a member that the write's handler or its buffers use (a pending-message queue). Without
//    either, a class whose callers are expected to wait for the completion (a request/response
//    client) can not be told from one whose callers are not, and drain stays silent.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CHECKS_OVERLAPPINGASYNCWRITE_H
#define DRAIN_ANALYSIS_CHECKS_OVERLAPPINGASYNCWRITE_H

#include "analysis/core/ApiModel.h"
#include "analysis/core/Finding.h"
#include <memory>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class FunctionDecl;
} // namespace clang

namespace drain {

struct OverlapOptions {
  /// Words a method's name starts with when it runs once per connection (its write can not
  /// race one started by the same method): start, run, connect, ...
  std::vector<std::string> StartWords = {"start",     "run",  "open",   "connect", "accept",
                                         "handshake", "init", "launch", "begin",   "listen"};
  unsigned MaxDepth = 8;  ///< calls followed upwards from a write
  unsigned MaxPaths = 64; ///< chains judged per write
};

/// Finds a second asynchronous write started on a stream while another may still be in flight,
/// so the bytes of two messages interleave. Feed every function body of the translation unit,
/// then ask for the findings once.
class OverlapAnalysis {
public:
  OverlapAnalysis(clang::ASTContext &Ctx, const ApiModel &Model, const OverlapOptions &Opts);
  ~OverlapAnalysis();
  /// Notes the class \p FD belongs to (a method, a lambda in one, an instantiation of one).
  void addFunction(const clang::FunctionDecl *FD);
  std::vector<Finding> findings();

  struct Impl;

private:
  std::unique_ptr<Impl> P;
};

} // namespace drain

#endif // DRAIN_ANALYSIS_CHECKS_OVERLAPPINGASYNCWRITE_H
