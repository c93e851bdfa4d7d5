//===--- CloseDuringAsyncWrite.cpp - streams closed while a write is in flight ----===//
#include "analysis/checks/CloseDuringAsyncWrite.h"
#include "Compat.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseSet.h"
#include <algorithm>
#include <map>

using namespace clang;

namespace drain {

namespace {
/// A callee whose body is visible is followed through its summary here (it says what the body
/// does to the stream, with notes); an inferred role stands in only for bodies drain cannot see.
ApiOp rowOf(const ApiModel &M, const FunctionDecl *FD) {
  ApiOp Op = M.lookup(FD);
  if (Op && Op.Entry->Origin == RowOrigin::Inferred && FD && FD->hasBody())
    return {};
  return Op;
}
} // namespace


namespace {

/// Names of methods that drop the front of a pending-write queue.
const char *const QueueRemovals[] = {"pop_front", "pop", "pop_back", "erase", "clear",
                                     "consume"};

const char *presentVerbOf(OpKind K) {
  switch (K) {
  case OpKind::Shutdown:
    return "shuts down";
  case OpKind::Cancel:
    return "cancels";
  default:
    return "closes";
  }
}

bool isClosing(OpKind K, const InFlightOptions &O) {
  return K == OpKind::Close || K == OpKind::Shutdown || (K == OpKind::Cancel && O.ReportCancel);
}

const char *verbOf(OpKind K) {
  switch (K) {
  case OpKind::Shutdown:
    return "shut down";
  case OpKind::Cancel:
    return "cancelled";
  default:
    return "closed";
  }
}

/// The definition's body, unless it lives in a system header (library internals).
const Stmt *userBody(const FunctionDecl *FD, const SourceManager &SM) {
  const Stmt *Body = bodyOf(FD);
  if (!Body || SM.isInSystemHeader(Body->getBeginLoc()))
    return nullptr;
  return Body;
}

/// A visitor over one function body that does not enter nested lambdas (they are functions of
/// their own) nor sizeof/alignof operands.
template <class Derived> class BodyVisitor : public RecursiveASTVisitor<Derived> {
public:
  bool shouldVisitTemplateInstantiations() const { return false; }
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool TraverseUnaryExprOrTypeTraitExpr(UnaryExprOrTypeTraitExpr *) { return true; }
};

/// Calls whose completion the function waits for: co_await-ed (also as an operand of an
/// awaitable operator such as `a && b`), or `.get()`/`.wait()` on the future they return.
/// (The class-level rule: such a write is no handler write.)
struct Waits : BodyVisitor<Waits> {
  llvm::DenseSet<const CallExpr *> Done;

  void awaited(const Expr *E, unsigned Depth = 0) {
    E = peel(E);
    if (!E || Depth > 4)
      return;
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
      if (OC->getOperator() == OO_AmpAmp || OC->getOperator() == OO_PipePipe) {
        for (const Expr *A : OC->arguments())
          awaited(A, Depth + 1);
        return;
      }
    }
    if (const auto *CE = dyn_cast<CallExpr>(E))
      Done.insert(CE);
  }
  bool VisitCoawaitExpr(CoawaitExpr *E) {
    awaited(E->getOperand());
    return true;
  }
  bool VisitCoyieldExpr(CoyieldExpr *E) {
    awaited(E->getOperand());
    return true;
  }
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MC) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    if (!MD || !MD->getDeclName().isIdentifier() ||
        (MD->getName() != "get" && MD->getName() != "wait"))
      return true;
    if (const auto *CE = dyn_cast<CallExpr>(peel(MC->getImplicitObjectArgument())))
      Done.insert(CE);
    return true;
  }
};

/// A close, shutdown or cancel of a channel, directly (a model row) or through a helper
/// method of the same translation unit that closes one of its object's members.
struct CloseEvent {
  AsyncChannel Key;
  const CallExpr *Call = nullptr;
  const Expr *ChannelExpr = nullptr;
  OpKind Kind = OpKind::Close;
  const CallExpr *Inner = nullptr;        ///< the close inside the helper
  const FunctionDecl *Helper = nullptr;   ///< the helper method
};

/// Direct closes of `this`-rooted channels inside helper methods, one level deep (the
/// class-level rule; the intra-function rule follows helpers through the engine's summaries).
class CloseSummaries {
public:
  CloseSummaries(const ApiModel &M, const SourceManager &SM) : M(M), SM(SM) {}

  struct Entry {
    AsyncChannel Key; ///< rooted at the helper's `this`
    OpKind Kind;
    const CallExpr *Call;
  };
  const std::vector<Entry> &of(const CXXMethodDecl *MD) {
    auto It = Cache.find(MD);
    if (It != Cache.end())
      return It->second;
    std::vector<Entry> &Out = Cache[MD];
    const Stmt *Body = userBody(MD, SM);
    if (!Body)
      return Out;
    struct V : BodyVisitor<V> {
      const ApiModel *M;
      const CXXRecordDecl *This;
      std::vector<Entry> *Out;
      bool VisitCallExpr(CallExpr *CE) {
        const FunctionDecl *Callee = CE->getDirectCallee();
        ApiOp Op = rowOf(*M, Callee);
        if (!Op || (Op.kind() != OpKind::Close && Op.kind() != OpKind::Shutdown &&
                    Op.kind() != OpKind::Cancel))
          return true;
        AsyncChannel K = channelOf(channelArg(CE, *Op.Entry), This);
        if (K.rootedAtThis() && K.Path.size() >= 2)
          Out->push_back({K, Op.kind(), CE});
        return true;
      }
    } Vis;
    Vis.M = &M;
    Vis.This = MD->getParent();
    Vis.Out = &Out;
    Vis.TraverseStmt(const_cast<Stmt *>(Body));
    return Out;
  }

private:
  const ApiModel &M;
  const SourceManager &SM;
  std::map<const CXXMethodDecl *, std::vector<Entry>> Cache;
};

/// The close events of one call: a model row, or a helper method's summary.
void closeEventsOf(const CallExpr *CE, const CXXRecordDecl *ThisClass, const ApiModel &M,
                   CloseSummaries &Summaries, llvm::SmallVectorImpl<CloseEvent> &Out) {
  const FunctionDecl *Callee = CE->getDirectCallee();
  if (!Callee)
    return;
  if (ApiOp Op = rowOf(M, Callee)) {
    if (Op.kind() != OpKind::Close && Op.kind() != OpKind::Shutdown &&
        Op.kind() != OpKind::Cancel)
      return;
    CloseEvent E;
    E.ChannelExpr = channelArg(CE, *Op.Entry);
    E.Key = channelOf(E.ChannelExpr, ThisClass);
    E.Call = CE;
    E.Kind = Op.kind();
    if (E.Key.valid())
      Out.push_back(E);
    return;
  }
  const auto *MC = dyn_cast<CXXMemberCallExpr>(CE);
  const CXXMethodDecl *MD = MC ? MC->getMethodDecl() : nullptr;
  if (!MD || MD->isStatic())
    return;
  const auto &Entries = Summaries.of(MD);
  if (Entries.empty())
    return;
  AsyncChannel Object = channelOf(MC->getImplicitObjectArgument(), ThisClass);
  if (!Object.valid())
    return;
  for (const auto &S : Entries) {
    CloseEvent E;
    E.Key.Path = Object.Path;
    E.Key.Path.append(S.Key.Path.begin() + 1, S.Key.Path.end());
    if (const auto *FD = dyn_cast_or_null<FieldDecl>(E.Key.Path.size() >= 2 ? E.Key.Path[1]
                                                                             : nullptr))
      E.Key.Owner = FD->getParent();
    E.Call = CE;
    E.ChannelExpr = channelArg(S.Call, *rowOf(M, S.Call->getDirectCallee()).Entry);
    E.Kind = S.Kind;
    E.Inner = S.Call;
    E.Helper = MD;
    Out.push_back(E);
  }
}

bool isPrefix(llvm::ArrayRef<const ValueDecl *> Short, llvm::ArrayRef<const ValueDecl *> Long) {
  return Short.size() < Long.size() && Long.take_front(Short.size()) == Short;
}

/// Does closing \p C end the write on \p W? The same stream, the object that contains it,
/// or (through a helper that closes a member) a part of it.
bool related(llvm::ArrayRef<const ValueDecl *> W, const CloseEvent &C,
             llvm::ArrayRef<const ValueDecl *> CPath) {
  return W == CPath || isPrefix(CPath, W) || (C.Helper && isPrefix(W, CPath));
}

std::string writeNote(const AsyncCall &A, const CompletionToken &T) {
  if (T.Kind == TokenKind::Future)
    return "asynchronous write started here; it is in flight until the future it returns is "
           "ready";
  if (A.Op.Entry->Flags & AF_StatusCallback)
    return "asynchronous write started here; it is in flight until its write callback runs";
  return "asynchronous write started here; it is in flight until its completion handler runs";
}

std::string fixNote(const ApiEntry &Write, OpKind Kind, bool Destroy) {
  if (Destroy)
    return "keep the stream alive until the write's completion handler has run (for example "
           "in a shared_ptr that the handler holds)";
  if (Write.Flags & AF_StatusCallback)
    return "close the handle from the write callback, or call uv_shutdown (it waits for "
           "pending writes) and close it from the shutdown callback";
  if (Kind == OpKind::Cancel)
    return "cancel aborts the write with operation_aborted; cancel from the write's "
           "completion handler, or co_await the write first";
  return std::string(Kind == OpKind::Shutdown ? "shut it down" : "close it") +
         " from the write's completion handler, or co_await the write first";
}

/// True if \p FD (a function of this translation unit) runs the event loop itself.
bool drivesEventLoop(const FunctionDecl *FD) {
  const Stmt *Body = FD ? bodyOf(FD) : nullptr;
  if (!Body)
    return false;
  struct V : BodyVisitor<V> {
    bool Found = false;
    bool VisitCallExpr(CallExpr *CE) {
      Found |= runsEventLoop(CE);
      return !Found;
    }
  } Vis;
  Vis.TraverseStmt(const_cast<Stmt *>(Body));
  return Vis.Found;
}

//===--- the intra-function rule, on the flow engine -----------------------===//
//
// "In flight" is a state of the shared flow engine (SB_InFlight), like "maybe dirty" for
// drain-shutdown-before-flush: the classifier below turns calls into events with the engine's
// channel keys (built from AsyncChannel, so accessors such as socket() and get_lowest_layer
// are looked through), the rows of inFlightTable() set and clear the bit, and
// diagnoseInFlight() reads the engine's Observations. Summaries carry the bit across calls of
// this translation unit, both ways: a helper that starts a write and returns, a helper that
// closes the stream it is handed.

/// The engine's key for a channel: its root (`this` or a variable) and a path of fields;
/// nullopt when a step is no field (a static member).
std::optional<ChannelKey> keyOf(const AsyncChannel &C) {
  if (!C.valid())
    return std::nullopt;
  ChannelKey K;
  K.Root = C.Path.front();
  for (const ValueDecl *D : C.members()) {
    const auto *F = dyn_cast<FieldDecl>(D);
    if (!F)
      return std::nullopt;
    K.Fields.push_back(F);
  }
  return K;
}

/// The key of the channel \p E names. A local `self` that points to the class of the
/// function it lives in stands for `this` (channelOf), whichever function sees it (a lambda).
std::optional<ChannelKey> channelKeyOf(const Expr *E) {
  AsyncChannel C = channelOf(E, nullptr);
  if (C.Path.size() >= 2 && C.Path.front())
    if (const auto *FD = dyn_cast<FunctionDecl>(C.Path.front()->getDeclContext()))
      if (const CXXRecordDecl *This = thisClassOf(FD))
        C = channelOf(E, This);
  return keyOf(C);
}

/// The asynchronous write a call starts (an AsyncWrite row), or null.
std::optional<AsyncCall> asyncWriteOf(const Expr *E, const ApiModel &M) {
  const auto *CE = dyn_cast_or_null<CallExpr>(E ? peel(E) : nullptr);
  if (!CE)
    return std::nullopt;
  auto A = matchAsyncCall(CE, M);
  if (!A || A->Op.kind() != OpKind::AsyncWrite)
    return std::nullopt;
  return A;
}

Event eventOn(EventKind K, const Stmt *S, std::optional<ChannelKey> Channel) {
  Event E;
  E.Kind = K;
  E.S = S;
  E.Channel = std::move(Channel);
  return E;
}

/// An Await of the write \p A (when its channel has a key).
void awaitWrite(const AsyncCall &A, const Stmt *S, llvm::SmallVectorImpl<Event> &Out) {
  if (auto K = channelKeyOf(A.Channel))
    Out.push_back(eventOn(EventKind::Await, S, std::move(K)));
}

/// co_await / co_yield operands whose completion the coroutine waits for: the operand, or both
/// operands of an awaitable operator (`a && b`, `a || b`).
void awaitedWrites(const Expr *E, const Stmt *At, const ApiModel &M,
                   llvm::SmallVectorImpl<Event> &Out, unsigned Depth = 0) {
  E = E ? peel(E) : nullptr;
  if (!E || Depth > 4)
    return;
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E))
    if (OC->getOperator() == OO_AmpAmp || OC->getOperator() == OO_PipePipe) {
      for (const Expr *A : OC->arguments())
        awaitedWrites(A, At, M, Out, Depth + 1);
      return;
    }
  if (auto A = asyncWriteOf(E, M))
    awaitWrite(*A, At, Out);
}

const Expr *objectArg(const CallExpr *CE) {
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE))
    return MC->getImplicitObjectArgument();
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE))
    if (isa_and_nonnull<CXXMethodDecl>(OC->getDirectCallee()) && OC->getNumArgs() > 0)
      return OC->getArg(0);
  return nullptr;
}

/// A call of a function of this translation unit: its summary, with the caller's keys for its
/// object and parameters.
void addSummaryCall(const CallExpr *CE, const FunctionDecl *FD, const FunctionSummary *Sum,
                    llvm::SmallVectorImpl<Event> &Out) {
  Event E = eventOn(EventKind::SummaryCall, CE, std::nullopt);
  E.Callee = FD;
  E.Summary = Sum;
  const Expr *Obj = objectArg(CE);
  if (Obj)
    E.Object = channelKeyOf(Obj);
  unsigned Shift = isa<CXXOperatorCallExpr>(CE) && Obj ? 1 : 0;
  for (unsigned I = 0; I < FD->getNumParams(); ++I)
    E.Args.push_back(I + Shift < CE->getNumArgs() ? channelKeyOf(CE->getArg(I + Shift))
                                                  : std::nullopt);
  Out.push_back(std::move(E));
}

/// `future.get()`, `future.wait()` on a write's own result or on a local initialized with
/// it: the write is over. False for any other call.
bool futureWaited(const CallExpr *CE, const ApiModel &M, llvm::SmallVectorImpl<Event> &Out) {
  const auto *MC = dyn_cast<CXXMemberCallExpr>(CE);
  const CXXMethodDecl *MD = MC ? MC->getMethodDecl() : nullptr;
  if (!MD || !MD->getDeclName().isIdentifier() ||
      (MD->getName() != "get" && MD->getName() != "wait"))
    return false;
  const Expr *Obj = peel(MC->getImplicitObjectArgument());
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(Obj))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (VD->hasLocalStorage() && VD->getInit())
        Obj = VD->getInit();
  auto A = asyncWriteOf(Obj, M);
  if (!A)
    return false;
  awaitWrite(*A, CE, Out);
  return true;
}

/// `std::move(stream)`: whatever the stream has in flight is now its new owner's. False for
/// any other call.
bool streamMoved(const CallExpr *CE, const FunctionDecl *Callee,
                 llvm::SmallVectorImpl<Event> &Out) {
  if (!Callee || !Callee->isInStdNamespace() || !Callee->getDeclName().isIdentifier() ||
      Callee->getName() != "move" || CE->getNumArgs() != 1)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(peel(CE->getArg(0))))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
      ChannelKey K;
      K.Root = VD;
      Out.push_back(eventOn(EventKind::Await, CE, std::move(K)));
    }
  return true;
}

/// An asynchronous write of the model that starts now (its completion token says when):
/// its stream is in flight. False when \p CE is no asynchronous write.
bool writeStarted(const CallExpr *CE, const FunctionDecl *Callee, const ApiModel &M,
                  llvm::SmallVectorImpl<Event> &Out) {
  auto A = asyncWriteOf(CE, M);
  if (!A)
    return false;
  CompletionToken T = classifyToken(A->Handler);
  // An awaitable that is not awaited never starts (drain-discarded-awaitable), a deferred
  // operation starts only when launched, a yield_context returns when it is done.
  bool Starts = T.Kind == TokenKind::Handler || T.Kind == TokenKind::Detached ||
                T.Kind == TokenKind::Future;
  if (!Starts || completesInPlace(CE, T, *A->Op.Entry))
    return true;
  if (auto K = channelKeyOf(A->Channel)) {
    Event E = eventOn(EventKind::AsyncWrite, CE, std::move(K));
    E.Row = A->Op.Entry;
    E.Result = A->Op.result();
    E.Callee = Callee;
    Out.push_back(std::move(E));
  }
  return true;
}

/// A close, shutdown or cancel row of the model: what ends a write in flight. False when
/// \p Callee has no row.
bool streamEnded(const CallExpr *CE, const FunctionDecl *Callee, const ApiModel &M,
                 llvm::SmallVectorImpl<Event> &Out) {
  ApiOp Op = rowOf(M, Callee);
  if (!Op)
    return false;
  static const std::pair<OpKind, EventKind> Ends[] = {{OpKind::Close, EventKind::Close},
                                                      {OpKind::Shutdown, EventKind::Shutdown},
                                                      {OpKind::Cancel, EventKind::Cancel}};
  for (const auto &[RowKind, Kind] : Ends)
    if (Op.kind() == RowKind)
      if (auto K = channelKeyOf(channelArg(CE, *Op.Entry))) {
        Event E = eventOn(Kind, CE, std::move(K));
        E.Row = Op.Entry;
        E.Callee = Callee;
        Out.push_back(std::move(E));
      }
  return true;
}

/// A function of the program with a body (library internals say nothing about the
/// program's streams): its summary.
void programCall(const CallExpr *CE, const FunctionDecl *Callee, const TransferContext &TC,
                 SummaryStore *Sums, llvm::SmallVectorImpl<Event> &Out) {
  const SourceManager &SM = TC.Ctx.getSourceManager();
  if (!Callee || !Sums || SM.isInSystemHeader(Callee->getLocation()))
    return;
  const FunctionDecl *Def = nullptr;
  if (!Callee->hasBody(Def) || !Def || SM.isInSystemHeader(Def->getLocation()))
    return;
  if (const FunctionSummary *Sum = Sums->summaryFor(Callee))
    if (Sum->Usable)
      addSummaryCall(CE, Callee, Sum, Out);
}

/// The classifier of drain-close-during-async-write's table (TransferTable::setClassifier).
/// What ends "in flight" is an Await: a co_await of the write, get()/wait() on the future it
/// returned, the event loop run in place (io_context::run, uv_run, or a helper of this
/// translation unit that runs it: no channel, every write), and std::move of the stream
/// (whatever it has in flight is now its new owner's).
void classifyInFlight(const Stmt *S, const TransferContext &TC, SummaryStore *Sums,
                      llvm::SmallVectorImpl<Event> &Out) {
  const ApiModel &M = TC.Model;
  // `int r = uv_write(...)`, `r = uv_write(...)`: the status's fact follows the variable.
  if (isa<DeclStmt>(S) || isa<BinaryOperator>(S)) {
    classifyStmt(S, TC, nullptr, Out);
    return;
  }
  if (const auto *CA = dyn_cast<CoawaitExpr>(S)) {
    awaitedWrites(CA->getOperand(), S, M, Out);
    return;
  }
  if (const auto *CY = dyn_cast<CoyieldExpr>(S)) {
    awaitedWrites(CY->getOperand(), S, M, Out);
    return;
  }
  const auto *CE = dyn_cast<CallExpr>(S);
  if (!CE)
    return;
  const FunctionDecl *Callee = CE->getDirectCallee();
  if (runsEventLoop(CE) || drivesEventLoop(Callee)) {
    Out.push_back(eventOn(EventKind::Await, CE, std::nullopt));
    return;
  }
  if (futureWaited(CE, M, Out) || streamMoved(CE, Callee, Out) ||
      writeStarted(CE, Callee, M, Out) || streamEnded(CE, Callee, M, Out))
    return;
  programCall(CE, Callee, TC, Sums, Out);
}

/// Clears SB_InFlight on \p Channel and everything below it (every channel when null).
void endInFlight(const std::optional<ChannelKey> &Channel, FlowState &St) {
  for (auto &KV : St.Channels) {
    if (Channel && !Channel->isPrefixOf(KV.first))
      continue;
    ChannelState &S = KV.second;
    if (!S.may(SB_InFlight))
      continue;
    S.May = static_cast<uint8_t>(S.May & ~SB_InFlight);
    if (!S.May)
      S.May = SB_Clean;
    if (!S.may(SB_NeedsFlush))
      S.Path.clear();
  }
}

namespace rows {
// A write that has started: in flight until its handler runs. The path keeps the latest
// write (its note). A status result (uv_write) says whether it was queued at all: on its
// failure class nothing is in flight.
void asyncWrite(const Event &E, FlowState &St, const TransferContext &) {
  const ChannelKey &K = *E.Channel;
  ChannelState Pre = St.get(K);
  St.invalidateFacts(K);
  ChannelState S = Pre;
  S.May = static_cast<uint8_t>((S.May & ~SB_Clean) | SB_InFlight);
  S.Path.clear();
  S.addEvent({PathEventKind::AsyncStarted, E.S, E.Callee, 0});
  if (E.Result != ResultKind::Status) {
    St.set(K, std::move(S));
    return;
  }
  Fact F;
  F.Shape = FactShape::Status;
  F.Classes = RC_Ready | RC_Error;
  F.Origin = E.S;
  ClassEffect CE;
  CE.Key = K;
  CE.PerClass[classIndex(RC_Ready)] = S;
  CE.PerClass[classIndex(RC_Error)] = Pre;
  S.join(Pre);
  St.set(K, std::move(S));
  F.Effects.push_back(std::move(CE));
  St.Exprs[stripValue(cast<Expr>(E.S))] = std::move(F);
}

// The program waits for the write (co_await, future.get()), runs the event loop (no
// channel: every write), or moves the stream away: nothing is in flight on it here.
void await(const Event &E, FlowState &St, const TransferContext &) {
  endInFlight(E.Channel, St);
}

// cancel(): the writes in flight end with operation_aborted (the diagnoser judges the state
// before it).
void cancel(const Event &E, FlowState &St, const TransferContext &) {
  endInFlight(E.Channel, St);
  St.invalidateFacts(*E.Channel);
}

// A local stream's lifetime ends: whatever was in flight on it is gone with it.
void destroy(const Event &E, FlowState &St, const TransferContext &) {
  endInFlight(E.Channel, St);
}
} // namespace rows

std::string callNote(const PathEvent &P) {
  std::string Name = "the callee";
  if (const auto *ND = dyn_cast_or_null<NamedDecl>(P.D))
    Name = "'" + ND->getNameAsString() + "'";
  return Name + " returns with the write still in flight";
}

/// Reads the Observations of one function.
class InFlightDiagnoser {
public:
  InFlightDiagnoser(const ApiModel &M, const InFlightOptions &O, ASTContext &Ctx)
      : M(M), O(O), Ctx(Ctx) {}

  void observe(const Observation &Ob) {
    const Event &E = Ob.E;
    switch (E.Kind) {
    case EventKind::Close:
    case EventKind::Shutdown:
    case EventKind::Cancel:
      if (E.Kind == EventKind::Cancel && !O.ReportCancel)
        return;
      // The stream itself, or (ObserveBelow) a stream it contains: closing `c` ends the
      // write on `c->tcp`.
      for (const auto &[K, S] : Ob.Before)
        if (E.Row && close(cast<CallExpr>(E.S), opKindOf(E.Kind), S,
                           channelSpelling(channelArg(cast<CallExpr>(E.S), *E.Row), Ctx),
                           nullptr, nullptr))
          return;
      return;
    case EventKind::SummaryCall:
      helperCompletions(Ob);
      return;
    case EventKind::Destroy:
      if (!Ob.Before.empty())
        destroy(cast<VarDecl>(E.Var), E.S, Ob.Before.front().second);
      return;
    default:
      return;
    }
  }

  std::vector<Finding> take() {
    std::vector<Finding> Out;
    for (auto &KV : Found)
      Out.push_back(std::move(KV.second));
    return Out;
  }

private:
  static OpKind opKindOf(EventKind K) {
    return K == EventKind::Shutdown ? OpKind::Shutdown
           : K == EventKind::Cancel ? OpKind::Cancel
                                    : OpKind::Close;
  }

  /// A helper of this translation unit that completes a channel the caller may still be
  /// writing to (its summary's UnconfirmedCompletion).
  void helperCompletions(const Observation &Ob) {
    const Event &E = Ob.E;
    const auto *Call = cast<CallExpr>(E.S);
    for (const CallerCompletion &C : unconfirmedCompletions(E)) {
      const SummaryChannel &SC = *C.Channel;
      for (const auto &[K, S] : Ob.Before) {
        if (K != C.Key)
          continue;
        const auto *Inner = dyn_cast<CallExpr>(SC.UnconfirmedCompletion);
        if (!Inner)
          continue;
        // Name the stream as the caller sees it: the argument it passed, the helper's
        // object, or what the helper closes.
        std::string Name;
        if (const auto *P = dyn_cast_or_null<ParmVarDecl>(SC.Key.Root)) {
          unsigned I = P->getFunctionScopeIndex();
          unsigned Shift = isa<CXXOperatorCallExpr>(Call) && objectArg(Call) ? 1 : 0;
          if (I + Shift < Call->getNumArgs())
            Name = channelSpelling(Call->getArg(I + Shift), Ctx);
        } else if (const Expr *Obj = objectArg(Call); Obj && !isa<CXXThisExpr>(peel(Obj))) {
          Name = channelSpelling(Obj, Ctx);
        }
        if (Name.empty()) {
          ApiOp Op = rowOf(M, Inner->getDirectCallee());
          const Expr *Ch = Op ? channelArg(Inner, *Op.Entry) : nullptr;
          Name = Ch ? channelSpelling(Ch, Ctx) : K.str();
        }
        close(Call, opKindOf(SC.CompletionKind), S, Name, E.Callee, Inner);
      }
    }
  }

  /// Notes for the path that left the write in flight; the write's row, or null.
  const ApiEntry *pathNotes(const ChannelState &S, Finding &F) {
    const ApiEntry *Row = nullptr;
    for (const PathEvent &P : S.Path) {
      if (P.Kind == PathEventKind::AsyncStarted) {
        const auto *W = dyn_cast_or_null<CallExpr>(P.S);
        auto A = W ? matchAsyncCall(W, M) : std::nullopt;
        if (!A)
          continue;
        F.Notes.push_back({W->getBeginLoc(), writeNote(*A, classifyToken(A->Handler))});
        if (!Row)
          Row = A->Op.Entry;
      } else if (P.Kind == PathEventKind::CallLeftDirty && Row && P.S) {
        F.Notes.push_back({P.S->getBeginLoc(), callNote(P)});
      }
    }
    return Row;
  }

  /// Reports \p Call if a write may be in flight in \p Before; true if it did.
  bool close(const CallExpr *Call, OpKind Kind, const ChannelState &Before,
             const std::string &Name, const FunctionDecl *Helper, const CallExpr *Inner) {
    if (!Before.may(SB_InFlight))
      return false;
    Finding F;
    F.Loc = Call->getBeginLoc();
    F.Range = Call->getSourceRange();
    F.Message = "'" + Name + "' is " + verbOf(Kind) +
                " while an asynchronous write on it may still be in flight";
    const ApiEntry *Row = pathNotes(Before, F);
    if (!Row)
      return false;
    if (Helper && Inner)
      F.Notes.push_back({Inner->getBeginLoc(), "'" + Helper->getNameAsString() + "' " +
                                                   presentVerbOf(Kind) + " the stream here"});
    F.Notes.push_back({F.Loc, fixNote(*Row, Kind, false)});
    Found.emplace(F.Loc.getRawEncoding(), std::move(F));
    return true;
  }

  void destroy(const VarDecl *VD, const Stmt *Trigger, const ChannelState &Before) {
    if (!O.ReportDestroy || !Trigger || !Before.may(SB_InFlight))
      return;
    QualType T = VD->getType();
    bool IsStream = !T->isReferenceType() && !T->isPointerType() && T->getAsCXXRecordDecl();
    if (IsStream)
      if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(T->getAsCXXRecordDecl())) {
        llvm::StringRef N = Spec->getSpecializedTemplate()->getName();
        IsStream = N != "shared_ptr" && N != "unique_ptr";
      }
    if (!IsStream)
      return;
    Finding F;
    F.Loc = Trigger->getEndLoc();
    F.Message = "'" + VD->getNameAsString() +
                "' is destroyed while an asynchronous write on it may still be in flight";
    const ApiEntry *Row = pathNotes(Before, F);
    if (!Row)
      return;
    F.Notes.push_back({F.Loc, fixNote(*Row, OpKind::Close, true)});
    Found.emplace(F.Loc.getRawEncoding(), std::move(F));
  }

  const ApiModel &M;
  const InFlightOptions &O;
  ASTContext &Ctx;
  std::map<unsigned, Finding> Found; ///< by location: one finding per close
};

} // namespace

TransferTable inFlightTable(const InFlightOptions &Opts) {
  TransferTable T = TransferTable::standard();
  T.setClassifier(classifyInFlight);
  T.set(EventKind::AsyncWrite, rows::asyncWrite,
        "an asynchronous write started: in flight (a status result splits queued/failed)");
  T.set(EventKind::Await, rows::await,
        "co_await, future.get(), the event loop run in place, std::move: no longer in flight");
  if (Opts.ReportCancel)
    T.set(EventKind::Cancel, rows::cancel, "cancel: the writes in flight are aborted");
  T.set(EventKind::Destroy, rows::destroy, "a local stream destroyed: nothing in flight on it");
  // Close and Shutdown keep the standard completion row: judged by the diagnoser, then done.
  return T;
}

std::vector<Finding> diagnoseInFlight(const FunctionAnalysis &A, const ApiModel &Model,
                                           const InFlightOptions &Opts, ASTContext &Ctx) {
  InFlightDiagnoser D(Model, Opts, Ctx);
  for (const Observation &Ob : A.Observations)
    D.observe(Ob);
  return D.take();
}

InFlightFlow::InFlightFlow(const ApiModel &Model, const InFlightOptions &Opts)
    : Model(Model), Opts(Opts), Channels(std::make_unique<ChannelResolver>()) {
  EngineOptions EO;
  EO.MaxBlocks = Opts.MaxBlocks;
  EO.AssumeBufferDirtyOnEntry = false;
  EO.LocalDestructors = true;
  EO.ObserveBelow = true;
  EO.LogName = "drain-close-during-async-write";
  Engine = std::make_unique<FlowEngine>(Model, *Channels, inFlightTable(Opts), EO);
}

InFlightFlow::~InFlightFlow() = default;

void InFlightFlow::reset() { Engine->reset(); }

std::vector<Finding> InFlightFlow::findings(const FunctionDecl *FD, ASTContext &Ctx) {
  const FunctionAnalysis *A = FD ? Engine->analyze(FD, Ctx) : nullptr;
  if (!A || A->Skipped)
    return {};
  return diagnoseInFlight(*A, Model, Opts, Ctx);
}

//===--- the gate ----------------------------------------------------------===//

void AsyncGate::add(const FunctionDecl *FD) {
  llvm::SmallVector<const FunctionDecl *, 8> Work{FD};
  while (!Open && !Work.empty()) {
    const FunctionDecl *F = Work.pop_back_val();
    const FunctionDecl *Def = nullptr;
    if (!F || !F->hasBody(Def) || !Def || !Walked.insert(Def->getCanonicalDecl()).second)
      continue;
    // The bodies the rules read: those fed here, and the callees' outside system headers.
    const SourceManager &SM = Def->getASTContext().getSourceManager();
    if (F != FD && SM.isInSystemHeader(Def->getLocation()))
      continue;
    llvm::SmallVector<const Stmt *, 32> Stmts{Def->getBody()};
    while (!Stmts.empty()) {
      const Stmt *S = Stmts.pop_back_val();
      if (!S)
        continue;
      if (const auto *CE = dyn_cast<CallExpr>(S))
        if (const FunctionDecl *Callee = CE->getDirectCallee()) {
          ApiOp Op = Model.lookupTable(Callee);
          if (Op && ((Op.Entry->Flags & AF_HasHandler) || Op.kind() == OpKind::AsyncWrite ||
                     Op.kind() == OpKind::AsyncShutdown)) {
            Open = true;
            return;
          }
          Work.push_back(Callee);
        }
      for (const Stmt *C : S->children())
        Stmts.push_back(C);
    }
  }
}

//===--- the class-level rule ----------------------------------------------===//

struct InFlightMemberAnalysis::FunctionFacts {
  const FunctionDecl *FD = nullptr;
  struct WriteFact {
    AsyncChannel Key;
    const CallExpr *Call;
    const ApiEntry *Row;
    const FunctionDecl *Handler; ///< canonical
  };
  struct FlagWrite {
    const FieldDecl *Field;
    bool Set;
    const Stmt *S;
  };
  std::vector<WriteFact> Writes;
  std::vector<FlagWrite> Flags;
  llvm::DenseSet<const FieldDecl *> Drained;    ///< queues drained here (pop_front, ...)
  llvm::DenseSet<const FieldDecl *> Referenced; ///< fields mentioned anywhere
  llvm::DenseSet<const FieldDecl *> Tested;     ///< fields mentioned in a branch condition
  std::vector<CloseEvent> Closes;
  std::vector<const FunctionDecl *> ReadHandlers; ///< canonical
};

namespace {

const FieldDecl *memberField(const Expr *E) {
  E = peel(E);
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(E))
    return dyn_cast<FieldDecl>(ME->getMemberDecl());
  return nullptr;
}

std::optional<bool> constantBool(const Expr *E, const ASTContext &Ctx) {
  E = peel(E);
  if (!E || E->isValueDependent())
    return std::nullopt;
  if (const auto *B = dyn_cast<CXXBoolLiteralExpr>(E))
    return B->getValue();
  if (const auto *I = dyn_cast<IntegerLiteral>(E))
    return I->getValue() != 0;
  return std::nullopt;
}

/// Fields read by a condition, including through a trivial accessor (`bool writing() const
/// { return writing_; }`).
void fieldsOf(const Stmt *S, llvm::DenseSet<const FieldDecl *> &Out, unsigned Depth = 0) {
  if (!S || Depth > 2)
    return;
  if (const auto *ME = dyn_cast<MemberExpr>(S))
    if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl()))
      Out.insert(F);
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
    if (const CXXMethodDecl *MD = MC->getMethodDecl())
      if (const auto *Body = dyn_cast_or_null<CompoundStmt>(bodyOf(MD)))
        if (Body->size() == 1)
          if (const auto *R = dyn_cast<ReturnStmt>(Body->body_front()))
            fieldsOf(R->getRetValue(), Out, Depth + 1);
  for (const Stmt *C : S->children())
    fieldsOf(C, Out, Depth);
}

class FactCollector : public BodyVisitor<FactCollector> {
public:
  FactCollector(InFlightMemberAnalysis::FunctionFacts &F, const ApiModel &M, ASTContext &Ctx,
                CloseSummaries &Summaries, const CXXRecordDecl *ThisClass)
      : F(F), M(M), Ctx(Ctx), Summaries(Summaries), ThisClass(ThisClass) {}

  bool VisitCallExpr(CallExpr *CE) {
    if (auto A = matchAsyncCall(CE, M)) {
      if (A->Op.kind() == OpKind::AsyncWrite && !W->Done.count(CE)) {
        CompletionToken T = classifyToken(A->Handler);
        AsyncChannel K = channelOf(A->Channel, ThisClass);
        if (K.valid() && K.Owner && T.Kind == TokenKind::Handler && !completesInPlace(CE, T, *A->Op.Entry)) {
          const FunctionDecl *H = nullptr;
          if (auto HC = resolveHandler(A->Handler))
            H = HC->Fn->getCanonicalDecl();
          F.Writes.push_back({K, CE, A->Op.Entry, H});
        }
      }
      return true;
    }
    if (const Expr *RH = readHandlerArg(CE))
      if (auto HC = resolveHandler(RH))
        F.ReadHandlers.push_back(HC->Fn->getCanonicalDecl());
    llvm::SmallVector<CloseEvent, 2> Closes;
    closeEventsOf(CE, ThisClass, M, Summaries, Closes);
    for (const CloseEvent &C : Closes)
      if (C.Key.Owner)
        F.Closes.push_back(C);
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE))
      if (const CXXMethodDecl *MD = MC->getMethodDecl())
        if (MD->getDeclName().isIdentifier())
          for (const char *N : QueueRemovals)
            if (MD->getName() == N)
              if (const FieldDecl *Q = memberField(MC->getImplicitObjectArgument()))
                F.Drained.insert(Q);
    return true;
  }
  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->getOpcode() == BO_Assign)
      if (const FieldDecl *X = memberField(BO->getLHS()))
        if (auto V = constantBool(BO->getRHS(), Ctx))
          F.Flags.push_back({X, *V, BO});
    if (BO->getOpcode() == BO_LAnd || BO->getOpcode() == BO_LOr)
      fieldsOf(BO->getLHS(), F.Tested);
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator *UO) {
    if (UO->isIncrementDecrementOp())
      if (const FieldDecl *X = memberField(UO->getSubExpr()))
        F.Flags.push_back({X, UO->isIncrementOp(), UO});
    if (UO->getOpcode() == UO_LNot)
      fieldsOf(UO->getSubExpr(), F.Tested);
    return true;
  }
  bool VisitMemberExpr(MemberExpr *ME) {
    if (const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl()))
      F.Referenced.insert(FD);
    return true;
  }
  bool VisitIfStmt(IfStmt *S) {
    fieldsOf(S->getCond(), F.Tested);
    return true;
  }
  bool VisitWhileStmt(WhileStmt *S) {
    fieldsOf(S->getCond(), F.Tested);
    return true;
  }
  bool VisitDoStmt(DoStmt *S) {
    fieldsOf(S->getCond(), F.Tested);
    return true;
  }
  bool VisitForStmt(ForStmt *S) {
    fieldsOf(S->getCond(), F.Tested);
    return true;
  }
  bool VisitSwitchStmt(SwitchStmt *S) {
    fieldsOf(S->getCond(), F.Tested);
    return true;
  }
  bool VisitConditionalOperator(ConditionalOperator *C) {
    fieldsOf(C->getCond(), F.Tested);
    return true;
  }

  const Waits *W = nullptr;

private:
  InFlightMemberAnalysis::FunctionFacts &F;
  const ApiModel &M;
  ASTContext &Ctx;
  CloseSummaries &Summaries;
  const CXXRecordDecl *ThisClass;
};

} // namespace

InFlightMemberAnalysis::InFlightMemberAnalysis(ASTContext &Ctx, const ApiModel &Model,
                                               const InFlightOptions &Opts)
    : Ctx(Ctx), Model(Model), Opts(Opts) {}
InFlightMemberAnalysis::~InFlightMemberAnalysis() = default;

void InFlightMemberAnalysis::addFunction(const FunctionDecl *FD) {
  if (!Opts.ReadHandlerRule || !FD)
    return;
  const FunctionDecl *Key = FD->getCanonicalDecl();
  if (Facts.count(Key))
    return;
  const Stmt *Body = userBody(FD, Ctx.getSourceManager());
  if (!Body)
    return;
  auto F = std::make_unique<FunctionFacts>();
  F->FD = FD;
  Waits W;
  W.TraverseStmt(const_cast<Stmt *>(Body));
  CloseSummaries Summaries(Model, Ctx.getSourceManager());
  FactCollector C(*F, Model, Ctx, Summaries, thisClassOf(FD));
  C.W = &W;
  C.TraverseStmt(const_cast<Stmt *>(Body));
  Order.push_back(Key);
  Facts[Key] = std::move(F);
}

namespace {

using FunctionFacts = InFlightMemberAnalysis::FunctionFacts;
using FactsMap = llvm::DenseMap<const FunctionDecl *, std::unique_ptr<FunctionFacts>>;

/// A write with what marks it as in flight: a flag set by its initiator and cleared by its
/// handler, or a queue its initiator uses and its handler drains.
struct MarkedWrite {
  const FunctionFacts::WriteFact *Write;
  const FieldDecl *Marker;
  bool IsFlag;
};

/// What marks a write started by \p F as in flight, given its handler's facts \p H: a flag
/// \p F sets and \p H clears (\p IsFlag), else a queue \p F uses and \p H drains; null if none.
const FieldDecl *markerOf(const FunctionFacts &F, const FunctionFacts &H, bool &IsFlag) {
  const FieldDecl *Marker = nullptr;
  IsFlag = false;
  for (const auto &Set : F.Flags)
    if (Set.Set)
      for (const auto &Clear : H.Flags)
        if (!Clear.Set && Clear.Field == Set.Field && !Marker) {
          Marker = Set.Field;
          IsFlag = true;
        }
  if (!Marker)
    for (const FieldDecl *Q : H.Drained)
      if (F.Referenced.count(Q) && !Marker)
        Marker = Q;
  return Marker;
}

/// The writes of the functions in \p Order whose handler is known and whose flight is marked.
std::vector<MarkedWrite> markedWrites(const FactsMap &Facts,
                                      const std::vector<const FunctionDecl *> &Order) {
  std::vector<MarkedWrite> Marks;
  for (const FunctionDecl *Key : Order) {
    const FunctionFacts &F = *Facts.find(Key)->second;
    for (const auto &Wr : F.Writes) {
      if (!Wr.Handler)
        continue;
      auto HIt = Facts.find(Wr.Handler);
      if (HIt == Facts.end())
        continue;
      bool IsFlag = false;
      if (const FieldDecl *Marker = markerOf(F, *HIt->second, IsFlag))
        Marks.push_back({&Wr, Marker, IsFlag});
    }
  }
  return Marks;
}

/// The first marked write that the close \p C in the read handler \p Handler (facts \p R) may
/// cut short: started elsewhere on the same object's stream, its marker tested neither in the
/// handler nor in the helper that closes. Null if none.
const MarkedWrite *unguardedWrite(const CloseEvent &C, const FunctionDecl *Handler,
                                  const FunctionFacts &R, const std::vector<MarkedWrite> &Marks,
                                  const FactsMap &Facts) {
  for (const MarkedWrite &Mk : Marks) {
    const auto &Wr = *Mk.Write;
    if (Wr.Handler == Handler || Wr.Key.Owner != C.Key.Owner ||
        !related(Wr.Key.members(), C, C.Key.members()))
      continue;
    if (R.Tested.count(Mk.Marker))
      continue;
    // A helper that tests the marker itself guards its own close.
    if (C.Helper) {
      auto HF = Facts.find(C.Helper->getCanonicalDecl());
      if (HF != Facts.end() && HF->second->Tested.count(Mk.Marker))
        continue;
    }
    return &Mk;
  }
  return nullptr;
}

/// The finding for the close \p C in a read handler while the write \p Mk may be in flight.
Finding readHandlerCloseFinding(const CloseEvent &C, const MarkedWrite &Mk, ASTContext &Ctx) {
  Finding F;
  F.Loc = C.Call->getBeginLoc();
  F.Range = C.Call->getSourceRange();
  std::string Name = channelSpelling(C.ChannelExpr, Ctx);
  if (C.Helper) {
    const Expr *Obj = cast<CXXMemberCallExpr>(C.Call)->getImplicitObjectArgument();
    if (Obj && !isa<CXXThisExpr>(peel(Obj)))
      Name = channelSpelling(Obj, Ctx);
  }
  F.Message = "'" + Name + "' is " + verbOf(C.Kind) +
              " in a read handler while an asynchronous write on it may still be in "
              "flight";
  F.Notes.push_back({Mk.Write->Call->getBeginLoc(),
                     "asynchronous write started here; '" + Mk.Marker->getNameAsString() +
                         (Mk.IsFlag ? "' is set until its completion handler runs"
                                    : "' holds it until its completion handler runs")});
  if (C.Helper)
    F.Notes.push_back({C.Inner->getBeginLoc(), "'" + C.Helper->getNameAsString() + "' " +
                                                   presentVerbOf(C.Kind) + " the stream here"});
  F.Notes.push_back(
      {F.Loc, "this read handler can run while the write is in flight; test '" +
                  Mk.Marker->getNameAsString() +
                  "' before closing, or close from the write's completion handler"});
  return F;
}

} // namespace

std::vector<Finding> InFlightMemberAnalysis::findings() {
  std::vector<Finding> Out;
  if (!Opts.ReadHandlerRule)
    return Out;
  std::vector<MarkedWrite> Marks = markedWrites(Facts, Order);
  if (Marks.empty())
    return Out;
  llvm::DenseSet<const FunctionDecl *> ReadHandlers;
  for (const FunctionDecl *Key : Order)
    for (const FunctionDecl *R : Facts[Key]->ReadHandlers)
      ReadHandlers.insert(R);
  llvm::DenseSet<const CallExpr *> Reported;
  for (const FunctionDecl *Key : Order) {
    if (!ReadHandlers.count(Key))
      continue;
    const FunctionFacts &R = *Facts[Key];
    for (const CloseEvent &C : R.Closes) {
      if (!isClosing(C.Kind, Opts) || Reported.count(C.Call))
        continue;
      if (const MarkedWrite *Mk = unguardedWrite(C, Key, R, Marks, Facts)) {
        Out.push_back(readHandlerCloseFinding(C, *Mk, Ctx));
        Reported.insert(C.Call);
      }
    }
  }
  std::sort(Out.begin(), Out.end(), [](const Finding &A, const Finding &B) {
    return A.Loc.getRawEncoding() < B.Loc.getRawEncoding();
  });
  return Out;
}

} // namespace drain
