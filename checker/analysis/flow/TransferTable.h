//===--- TransferTable.h - what each modelled operation does to the state -*- C++ -*-===//
//
// The flow engine walks a function's CFG element by element. Each element is first
// *classified* into zero or more Events (classifyStmt: "a flush of channel conn_", "an append
// to the write buffer of this connection", "a call to a function with a summary", ...), then
// every Event is handed to the handler its kind maps to in a TransferTable. The table is data:
// one row per event kind, each with a one-line comment naming what it models, in the spirit of
// the matcher -> handler table of UncheckedOptionalAccessModel. A check that needs another
// state (helper C's "in flight" for async writes) builds TransferTable::standard() and replaces
// or adds rows with set(); nothing else in the engine changes.
//
// Handlers only change the FlowState. Findings are made later by a Diagnoser that reads the
// engine's Observations (each Event with the state just before it).
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_FLOW_TRANSFERTABLE_H
#define DRAIN_ANALYSIS_FLOW_TRANSFERTABLE_H

#include "analysis/core/ApiModel.h"
#include "analysis/flow/Lattice.h"
#include "clang/AST/Type.h"
#include <array>
#include <optional>

namespace clang {
class ASTContext;
class CallExpr;
class FunctionDecl;
class ParentMap;
class Stmt;
} // namespace clang

namespace drain {

class ChannelResolver;
struct FunctionSummary;
class SummaryStore;

/// What a CFG element does, as far as the analysis is concerned.
enum class EventKind : uint8_t {
  Write,          ///< a model Write row with a count/TLS result (send, write, SSL_write)
  BufferedWrite,  ///< bytes appended to a write buffer (out_buf_.append, bufferevent_write)
  ComposedWrite,  ///< writes everything or reports an error (asio::write, write_all)
  Flush,          ///< a model Flush/Sync row
  EmptyTest,      ///< tests whether the write buffer is empty (empty(), size(), has_buffered_write)
  BufferClear,    ///< empties the buffer on purpose (clear()): nothing is left to lose
  Shutdown,       ///< a model Shutdown row (completion)
  Close,          ///< a model Close row (completion)
  AsyncWrite,     ///< starts an asynchronous write (async_write, uv_write)
  AsyncShutdown,  ///< starts an asynchronous shutdown (async_shutdown, uv_shutdown)
  Cancel,         ///< cancels operations in flight
  Destroy,        ///< an object's life ends: an owned writer reset or deleted (a completion);
                  ///< a local's implicit destructor (EngineOptions::LocalDestructors only)
  Await,          ///< co_await of an operation on the channel: it has finished
  SummaryCall,    ///< a call to a function defined in this TU: apply its summary
  OpaqueCall,     ///< a call we cannot see into that may change the channel
  BindVar,        ///< a variable takes the value (and fact) of an expression
  CountUpdate,    ///< off += n / len -= n: a write-all loop's progress
  PassFact,       ///< an expression has the fact of a subexpression (statement expressions)
  ErrorQuery,     ///< SSL_get_error(ssl, n): classifies a TLS write's failure
  HandOff,        ///< a value handed, with others, to a helper whose result is a verdict
  NumKinds
};
llvm::StringRef eventKindName(EventKind K);

/// One classified operation.
struct Event {
  EventKind Kind = EventKind::OpaqueCall;
  const clang::Stmt *S = nullptr;               ///< the element (usually the call)
  std::optional<ChannelKey> Channel;            ///< the channel it acts on, if known
  const ApiEntry *Row = nullptr;                ///< the model row, for model operations
  ResultKind Result = ResultKind::None;         ///< effective result kind of the row
  const clang::FunctionDecl *Callee = nullptr;
  const FunctionSummary *Summary = nullptr;     ///< SummaryCall: the callee's summary
  /// SummaryCall: where each callee root lands in the caller: the object and each argument.
  std::optional<ChannelKey> Object;
  llvm::SmallVector<std::optional<ChannelKey>, 4> Args;
  /// OpaqueCall: the channels the call may change.
  llvm::SmallVector<ChannelKey, 2> Touched;
  bool TouchesThis = false;                     ///< OpaqueCall: a non-const method of `this`
  /// BindVar / CountUpdate / PassFact: the variable and the source expression (HandOff: the
  /// argument handed on).
  const clang::ValueDecl *Var = nullptr;
  const clang::Expr *Source = nullptr;
  /// CountUpdate of a counter kept in a field: its member path (progressCounter); Var is null.
  std::optional<ChannelKey> Counter;
  bool Remaining = false;                       ///< CountUpdate: len -= n
  bool TrueIsPending = false;                   ///< EmptyTest: true means "not empty"
  bool IsSize = false;                          ///< EmptyTest: size()/length()
  bool Awaited = false;                         ///< the operation is the operand of co_await
  /// A completion that flushes the channel's own buffer first: a row's AF_FlushesFirst
  /// (fclose), or a destroyed object whose destructor flushes.
  bool FlushesFirst = false;
  /// SummaryCall of an inferred write-all that waits out would-block
  /// (AF_WaitsOutWouldBlock): an early answer means it gave up, with nothing left to send.
  bool GivesUpOnlyOnFailure = false;
};

/// Everything a handler may read besides the state.
struct TransferContext {
  const ApiModel &Model;
  const ChannelResolver &Channels;
  clang::ASTContext &Ctx;
};

using TransferHandler = void (*)(const Event &, FlowState &, const TransferContext &);

/// Classifies one CFG element into events; classifyStmt (below) is the standard one.
using StmtClassifier = void (*)(const clang::Stmt *, const TransferContext &, SummaryStore *,
                                llvm::SmallVectorImpl<Event> &);

struct TransferRow {
  EventKind Kind;
  TransferHandler Handler;
  const char *Models; ///< one line: what the row models
};

/// The map from event kinds to handlers.
class TransferTable {
public:
  /// The rows drain-shutdown-before-flush uses (see TransferTable.cpp for each row).
  static TransferTable standard();
  /// Replaces (or adds) the row for \p Kind.
  void set(EventKind Kind, TransferHandler Handler, const char *Models);
  const TransferRow *row(EventKind Kind) const;
  /// Runs the row for E.Kind; an event without a row leaves the state alone.
  void apply(const Event &E, FlowState &State, const TransferContext &Ctx) const;
  /// Replaces the classifier (a check that names its channels its own way); null restores
  /// classifyStmt.
  void setClassifier(StmtClassifier C) { Classifier = C; }
  /// Classifies \p S with the table's classifier.
  void classify(const clang::Stmt *S, const TransferContext &Ctx, SummaryStore *Summaries,
                llvm::SmallVectorImpl<Event> &Out) const;

private:
  StmtClassifier Classifier = nullptr;
  std::array<std::optional<TransferRow>, static_cast<size_t>(EventKind::NumKinds)> Rows;
};

/// Classifies one CFG element into events (most elements produce none).
/// \p Summaries may be null (then calls are opaque unless modelled).
void classifyStmt(const clang::Stmt *S, const TransferContext &Ctx,
                  SummaryStore *Summaries, llvm::SmallVectorImpl<Event> &Out);

/// The result class a constant names: Poll::Pending, SSL_ERROR_WANT_WRITE (a macro), true,
/// 0, -1, ...; 0 if it names none.
uint8_t classOfConstant(const clang::Expr *E, const ApiModel &Model, clang::ASTContext &Ctx);

/// The class of a type named as a state: a variant's alternative `Pending`, `Done`,
/// `WouldBlock`, `IoError` (0 when \p T is no record or its name is no state).
uint8_t classOfStateType(clang::QualType T, const ApiModel &Model);

/// The handlers of the standard table, exported so that a check's own table can reuse them.
namespace transfer {
/// The argument of call \p E that hands on a result whose pending state can still be told
/// (`std::visit(f, r)`, `is_done(r)`, `check(r.state)`): the program looks at the outcome
/// in code the analysis does not read. Null when there is none.
const clang::Expr *handedResult(const FlowState &St, const clang::Expr *E, const ApiModel &Model);

void write(const Event &, FlowState &, const TransferContext &);
void bufferedWrite(const Event &, FlowState &, const TransferContext &);
void composedWrite(const Event &, FlowState &, const TransferContext &);
void flush(const Event &, FlowState &, const TransferContext &);
void emptyTest(const Event &, FlowState &, const TransferContext &);
void bufferClear(const Event &, FlowState &, const TransferContext &);
void completion(const Event &, FlowState &, const TransferContext &);
void asyncWrite(const Event &, FlowState &, const TransferContext &);
void await(const Event &, FlowState &, const TransferContext &);
void summaryCall(const Event &, FlowState &, const TransferContext &);
void opaqueCall(const Event &, FlowState &, const TransferContext &);
void bindVar(const Event &, FlowState &, const TransferContext &);
void countUpdate(const Event &, FlowState &, const TransferContext &);
void passFact(const Event &, FlowState &, const TransferContext &);
void errorQuery(const Event &, FlowState &, const TransferContext &);
void handOff(const Event &, FlowState &, const TransferContext &);
} // namespace transfer

/// The value of an integer constant expression, if it has one that fits in 64 signed bits
/// (`(size_t)-1` does not: no crash, no answer).
std::optional<int64_t> evaluateInt(const clang::Expr *E, clang::ASTContext &Ctx);

/// The state once the program has seen a write fail (or come short and been noticed): the
/// bytes not sent are its error handling's business, not a silent loss. Buffered data stays.
ChannelState failureSeen(const ChannelState &Pre);

/// Looks through parentheses, implicit and explicit non-void casts, temporaries and copies.
const clang::Expr *stripValue(const clang::Expr *E);

/// The counter of a write-all loop kept in a field (`c->out.len -= n`, `sent_ += n`,
/// `s.left -= n`, `out_->left -= n` with a smart pointer `out_`): the member path of an
/// integer field, rooted at a variable or `this` (Root null), else nullopt. The path goes
/// through `.`, `->`, `*` and a smart pointer's overloaded `->`, `*` or `get()`; the pointer
/// and its object share a path (`out_->left` and `(*out_).left` are one counter). Unlike a
/// channel key, nothing is folded into a connection object: the path is what names the
/// counter, so `a->len` and `b->len` are two.
std::optional<ChannelKey> progressCounter(const clang::Expr *E);

} // namespace drain

#endif // DRAIN_ANALYSIS_FLOW_TRANSFERTABLE_H
