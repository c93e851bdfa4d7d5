//===--- FlowEngine.cpp - forward dataflow over clang::CFG -----------------===//
#include "analysis/flow/FlowEngine.h"
#include "analysis/core/Analysable.h"
#include "analysis/flow/ResultParts.h"
#include "analysis/core/ResultTypes.h"
#include "analysis/core/ToolLog.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/Support/Path.h"
#include <set>

#define DEBUG_TYPE "drain-flow"

STATISTIC(NumFunctionsAnalysed, "functions analysed by drain's flow engine");
STATISTIC(NumFunctionsOverBudget, "functions skipped: the work budget ran out");

using namespace clang;

namespace drain {

bool FunctionAnalysis::entryIsDirty(const ChannelKey &K) const {
  return llvm::is_contained(EntryDirty, K);
}

namespace {

/// One line in the tool's log (drain-clangd: clangd's log) for a function the engine gave up
/// on, so a user who wonders why a function shows nothing can find out.
void logSkipped(llvm::StringRef Check, const FunctionDecl *FD, const ASTContext &Ctx,
                const llvm::Twine &Why) {
  if (!toolLogEnabled())
    return;
  std::string Where;
  PresumedLoc P = Ctx.getSourceManager().getPresumedLoc(FD->getLocation());
  if (P.isValid())
    Where = (llvm::Twine(" (") + llvm::sys::path::filename(P.getFilename()) + ":" +
             llvm::Twine(P.getLine()) + ")")
                .str();
  toolLog(llvm::Twine(Check) + ": skipped '" + FD->getQualifiedNameAsString() + "'" + Where +
          ": " + Why + "; nothing is reported in it");
}

/// The class whose object `this` names in the body of \p Lambda when the lambda captures
/// `this` and is handed to a call (posted to an event loop, a timer, an executor): it runs
/// later, when the object's buffer may hold anything, like a method called from outside.
/// Null for a lambda called in place or kept in a variable.
const CXXRecordDecl *deferredLambdaObject(const CXXRecordDecl *Lambda) {
  const CXXRecordDecl *Owner = Lambda;
  const FunctionDecl *Encl = nullptr;
  for (unsigned Steps = 0; Owner && Owner->isLambda() && Steps < 4; ++Steps) {
    Encl = llvm::dyn_cast<FunctionDecl>(Owner->getDeclContext());
    const auto *MD = llvm::dyn_cast_or_null<CXXMethodDecl>(Encl);
    Owner = MD && !MD->isStatic() ? MD->getParent() : nullptr;
  }
  if (!Owner || Owner->isLambda())
    return nullptr;
  Encl = llvm::dyn_cast<FunctionDecl>(Lambda->getDeclContext());
  Stmt *Body = Encl ? Encl->getBody() : nullptr;
  if (!Body)
    return nullptr;
  const LambdaExpr *LE = nullptr;
  llvm::SmallVector<Stmt *, 32> Work{Body};
  while (!Work.empty() && !LE) {
    Stmt *Cur = Work.pop_back_val();
    if (!Cur)
      continue;
    if (const auto *L = llvm::dyn_cast<LambdaExpr>(Cur))
      if (L->getLambdaClass() == Lambda)
        LE = L;
    for (Stmt *C : Cur->children())
      Work.push_back(C);
  }
  if (!LE || !llvm::any_of(LE->captures(), [](const LambdaCapture &C) {
        return C.capturesThis();
      }))
    return nullptr;
  ParentMap PM(Body);
  const Stmt *Child = LE;
  const Stmt *P = PM.getParent(LE);
  // Through conversions to the callee's parameter type (std::function, a handler wrapper).
  while (P && (llvm::isa<ImplicitCastExpr>(P) || llvm::isa<MaterializeTemporaryExpr>(P) ||
               llvm::isa<CXXBindTemporaryExpr>(P) || llvm::isa<ExprWithCleanups>(P) ||
               llvm::isa<ParenExpr>(P) || llvm::isa<CXXFunctionalCastExpr>(P) ||
               llvm::isa<CXXConstructExpr>(P))) {
    Child = P;
    P = PM.getParent(P);
  }
  const auto *Call = llvm::dyn_cast_or_null<CallExpr>(P);
  if (!Call || Call->getCallee() == Child)
    return nullptr;
  for (const Expr *Arg : Call->arguments())
    if (Arg == Child)
      return Owner;
  return nullptr;
}

/// One analysis of one function.
class FunctionRun {
public:
  FunctionRun(const FunctionDecl *FD, ASTContext &Ctx, const TransferTable &Table,
              const RefinementTable &Refinements, const TransferContext &TC, SummaryStore *Sums,
              const EngineOptions &Opts, EngineStats &Stats)
      : FD(FD), Ctx(Ctx), Table(Table), Refinements(Refinements), TC(TC), Sums(Sums),
        Opts(Opts), Stats(Stats), Builder(FD) {}

  FunctionAnalysis run();

private:
  const llvm::SmallVector<Event, 1> &eventsOf(const Stmt *S);
  /// Who `this` is and which channels hold data on entry (a connection class's methods).
  void findEntryDirty(FunctionAnalysis &A) const;
  /// The shape of the function's result for its summary (Enum unless a bool); sets
  /// ClassifyReturns and IntegralReturns.
  FactShape classifyReturnType();
  /// The function's CFG (null if clang builds none); builds Parents and Refine on the way.
  std::unique_ptr<CFG> buildCfg();
  /// The fixpoint over \p RPO: \p In gets each block's entry state. False when the budget
  /// ran out (counted and logged).
  bool solve(const CFG &Cfg, const std::vector<const CFGBlock *> &RPO,
             std::vector<FlowState> &In);
  /// Runs a block's elements over \p S; with \p Record (the final pass) also records the
  /// observations, the returns and the edges that fall off the end.
  void transferBlock(const CFGBlock *B, FlowState &S, FunctionAnalysis *Record);
  void transferStmt(const Stmt *St, FlowState &S, FunctionAnalysis *Record);
  /// A local's implicit destructor (EngineOptions::LocalDestructors): a Destroy of it.
  void transferDestructor(const CFGAutomaticObjDtor &D, FlowState &S, FunctionAnalysis *Record);
  /// The Observation of \p E (the states before it) and what it completes for the summary.
  void observe(const Event &E, const FlowState &S, FunctionAnalysis &Record);
  /// With EngineOptions::ObserveBelow: the tracked channels below \p K join \p O.
  void observeBelow(const ChannelKey &K, const FlowState &S, Observation &O) const;
  /// A call whose callee completes caller-side channels it does not confirm are flushed.
  void observeCalleeCompletions(const Event &E, const FlowState &S,
                                const FunctionAnalysis &Record, Observation &O);
  /// A shutdown, close or destroy of \p E's channel: an untested count, the summary's note.
  void observeCompletion(const Event &E, const FlowState &S, const FunctionAnalysis &Record,
                         Observation &O);
  /// The exits of a block that falls off the end of the function, per edge into the exit.
  void recordFallOff(const CFGBlock *B, const Stmt *LastStmt, const FlowState &S);
  uint8_t returnClasses(const Expr *RV, FlowState &S);
  /// IntegralReturns: the signs (ReturnSign) the value \p RV returns may have, noting
  /// constant answers (SignAnswers, PositiveAnswer) on the way.
  uint8_t returnSigns(const Expr *RV, FlowState &S);
  /// The fact whose state part \p RV carries into a result built around it (`{!r.failed,
  /// r.state}`, a std::pair or tuple of it); null when it carries none.
  Fact *carriedState(const Expr *RV, FlowState &S);
  void recordExit(const Stmt *Ret, const Expr *RV, FlowState &S);

  const FunctionDecl *FD;
  ASTContext &Ctx;
  const TransferTable &Table;
  const RefinementTable &Refinements;
  const TransferContext &TC;
  SummaryStore *Sums;
  const EngineOptions &Opts;
  EngineStats &Stats;
  SummaryBuilder Builder;
  bool ClassifyReturns = false;
  /// An integer result: a count if some return returns a write's count (ReturnsCount).
  bool IntegralReturns = false;
  bool ReturnsCount = false;
  /// IntegralReturns: some return answers with a value of known sign (`return 0;`,
  /// `return -1;`, `return -errno;`, a status handed on), so its callers can test the sign;
  /// PositiveAnswer: one of them is a positive constant (`return 1;`).
  bool SignAnswers = false;
  bool PositiveAnswer = false;
  llvm::DenseMap<const Stmt *, llvm::SmallVector<Event, 1>> EventCache;
  const CFGBlock *ExitBlock = nullptr;
  std::unique_ptr<ParentMap> Parents;
  /// The refinement table at work in this function (once Parents is built).
  std::optional<Refiner> Refine;
  /// True for a statement of a compound statement (not the value of a statement expression):
  /// the facts of the expressions in it have been used by the time it is done.
  bool endsFullStatement(const Stmt *S) const;
  /// Drops the facts of expressions, but those a `bool ok = r == Poll::Ready;` still needs.
  void dropExprFacts(FlowState &S) const;
};

void FunctionRun::dropExprFacts(FlowState &S) const {
  llvm::SmallPtrSet<const Expr *, 8> Keep;
  for (const auto &KV : S.Vars) {
    if (KV.second.Shape != FactShape::Derived || !KV.second.Origin)
      continue;
    llvm::SmallVector<const Stmt *, 16> Work{KV.second.Origin};
    for (unsigned Steps = 0; !Work.empty() && Steps < 64; ++Steps) {
      const Stmt *Cur = Work.pop_back_val();
      if (const auto *E = llvm::dyn_cast_or_null<Expr>(Cur))
        Keep.insert(stripValue(E));
      if (Cur)
        for (const Stmt *C : Cur->children())
          Work.push_back(C);
    }
  }
  for (auto It = S.Exprs.begin(); It != S.Exprs.end();)
    It = Keep.count(It->first) ? std::next(It) : S.Exprs.erase(It);
}

bool FunctionRun::endsFullStatement(const Stmt *S) const {
  const Stmt *P = Parents->getParent(S);
  if (!P)
    return llvm::isa<DeclStmt>(S); // the CFG's own split of `int a = f(), b = g();`
  while (llvm::isa<LabelStmt>(P) || llvm::isa<CaseStmt>(P) || llvm::isa<DefaultStmt>(P)) {
    S = P;
    P = Parents->getParent(P);
    if (!P)
      return false;
  }
  const auto *CS = llvm::dyn_cast<CompoundStmt>(P);
  if (!CS)
    return false;
  // The last statement of `({ ...; _r; })` is the statement expression's value.
  if (llvm::isa_and_nonnull<StmtExpr>(Parents->getParent(CS)) && !CS->body_empty() &&
      CS->body_back() == S)
    return false;
  return true;
}

const llvm::SmallVector<Event, 1> &FunctionRun::eventsOf(const Stmt *S) {
  auto It = EventCache.find(S);
  if (It != EventCache.end())
    return It->second;
  llvm::SmallVector<Event, 1> Events;
  Table.classify(S, TC, Sums, Events);
  return EventCache[S] = std::move(Events);
}

uint8_t FunctionRun::returnClasses(const Expr *RV, FlowState &S) {
  if (!RV || !(ClassifyReturns || IntegralReturns))
    return RC_Other;
  const Expr *E = stripValue(RV);
  if (const auto *CO = llvm::dyn_cast<ConditionalOperator>(E))
    return returnClasses(CO->getTrueExpr(), S) | returnClasses(CO->getFalseExpr(), S);
  if (IntegralReturns) {
    // A function that returns what a write returned: its callers test the count.
    if (Fact *F = refinement::mutableFact(S, E)) {
      if (F->Shape == FactShape::Count && !F->TrueIsPending) {
        ReturnsCount = true;
        return F->Classes;
      }
      // The total of a write-all loop (`return total;` after `total += n`): the whole count
      // once the loop's writes are made good, a short one while some may still be unsent.
      if (F->Shape == FactShape::Progress && !F->Remaining && !F->Effects.empty()) {
        ReturnsCount = true;
        for (const ClassEffect &CE : F->Effects)
          if (S.get(CE.Key).may(SB_Unsent))
            return RC_Pending;
        return RC_Ready;
      }
    }
    std::optional<int64_t> N = evaluateInt(E, Ctx);
    if (N && *N <= 0)
      return RC_Error; // `return -1;`: a count function's failure (collapsed if no count)
    return RC_Other;
  }
  // A constant of a function returning bool is true or false, whatever it is spelt: C's
  // `true` and `false` (stdbool.h) are macros for the integers 1 and 0.
  if (FD->getReturnType()->isBooleanType())
    if (std::optional<int64_t> N = evaluateInt(E, Ctx))
      return *N ? RC_Ready : RC_Pending;
  if (uint8_t C = classOfConstant(E, TC.Model, Ctx))
    return C;
  if (uint8_t C = classOfBuiltResult(E, TC.Model, Ctx))
    return C; // `return {false, 0, Poll::Ready};`
  if (const Fact *F = carriedState(E, S))
    return F->Classes; // `return {!r.failed, r.state};`
  if (Fact *F = refinement::mutableFact(S, E))
    if (F->Shape == FactShape::Enum || F->Shape == FactShape::Bool)
      return F->Classes;
  return RC_Other;
}

Fact *FunctionRun::carriedState(const Expr *RV, FlowState &S) {
  const Expr *E = RV ? stripValue(RV) : nullptr;
  llvm::SmallVector<const Expr *, 4> Args;
  if (const auto *CC = llvm::dyn_cast_or_null<CXXConstructExpr>(E)) {
    if (CC->getConstructor()->isCopyOrMoveConstructor())
      return nullptr;
    Args.append(CC->arg_begin(), CC->arg_end());
  } else if (const auto *IL = llvm::dyn_cast_or_null<InitListExpr>(E)) {
    for (const Expr *Init : IL->inits())
      Args.push_back(Init);
  }
  for (const Expr *Part : Args) {
    Fact *F = refinement::mutableFact(S, Part);
    ResultPart Read = F ? F->Part : ResultPart::Whole;
    if (!F)
      if (std::optional<PartRead> P = readPart(Part, TC.Model)) {
        F = refinement::mutableFact(S, P->Base);
        Read = P->Part;
        if (F && F->Part != ResultPart::Whole)
          F = nullptr;
      }
    // The state part, or a whole state held in a local (`Poll p = s.poll_flush();
    // return {p == Poll::Error, p};`).
    if (F && F->Shape == FactShape::Enum &&
        (Read == ResultPart::State || Read == ResultPart::Whole))
      return F;
  }
  return nullptr;
}

uint8_t FunctionRun::returnSigns(const Expr *RV, FlowState &S) {
  if (!RV)
    return RS_Any;
  const Expr *E = stripValue(RV);
  if (const auto *CO = llvm::dyn_cast<ConditionalOperator>(E))
    return returnSigns(CO->getTrueExpr(), S) | returnSigns(CO->getFalseExpr(), S);
  if (std::optional<int64_t> N = evaluateInt(E, Ctx)) {
    SignAnswers = true;
    PositiveAnswer |= *N > 0;
    return *N < 0 ? RS_Negative : *N == 0 ? RS_Zero : RS_Positive;
  }
  // `return -errno;`, `return -SSL_get_error(ssl, n);`: an error code made negative.
  if (const auto *UO = llvm::dyn_cast<UnaryOperator>(E))
    if (UO->getOpcode() == UO_Minus) {
      SignAnswers = true;
      return RS_Negative;
    }
  // A status handed on (`return uv_write(...);`, a signed-state helper's answer): the signs
  // of the classes it may still have.
  if (const Fact *F = refinement::mutableFact(S, E)) {
    uint8_t Signs = 0;
    if (F->Shape == FactShape::Signed) {
      const uint8_t ZeroClass = F->TrueIsPending ? RC_Pending : RC_Ready;
      const uint8_t PosClass = F->TrueIsPending ? RC_Ready : RC_Pending;
      if (F->Classes & RC_Error)
        Signs |= RS_Negative;
      if (F->Classes & ZeroClass)
        Signs |= RS_Zero;
      if (F->Classes & PosClass)
        Signs |= RS_Positive;
    } else if (F->Shape == FactShape::Status) {
      if (F->Classes & RC_Ready)
        Signs |= RS_Zero;
      if (F->Classes & RC_Error)
        Signs |= RS_Negative | RS_Positive;
    }
    if (Signs) {
      SignAnswers = true;
      return Signs;
    }
  }
  return RS_Any;
}

void FunctionRun::recordExit(const Stmt *Ret, const Expr *RV, FlowState &S) {
  uint8_t Classes = returnClasses(RV, S);
  // The value returned, or the result whose state it carries (`return {ok, r.state};`).
  auto FactIn = [&](FlowState &In) {
    Fact *F = RV ? refinement::mutableFact(In, RV) : nullptr;
    return F ? F : carriedState(RV, In);
  };
  Fact *F = FactIn(S);
  if (IntegralReturns && !(F && F->Shape == FactShape::Count)) {
    // A status handed on: each of its classes leaves the channels as its test would, and
    // answers with that class's signs.
    if (F && (F->Shape == FactShape::Signed || F->Shape == FactShape::Status) &&
        __builtin_popcount(F->Classes) > 1) {
      for (unsigned C = 0; C < NumResultClasses; ++C) {
        uint8_t Bit = static_cast<uint8_t>(1u << C);
        if (!(F->Classes & Bit))
          continue;
        FlowState Copy = S;
        Fact *CF = refinement::mutableFact(Copy, RV);
        refinement::applyMask(Copy, *CF, Bit, nullptr);
        if (Copy.Reached)
          Builder.addExit(Copy, Classes, Ret, returnSigns(RV, Copy));
      }
      return;
    }
    if (__builtin_popcount(Classes) == 1) {
      Builder.addExit(S, Classes, Ret, returnSigns(RV, S));
      return;
    }
  }
  for (unsigned C = 0; C < NumResultClasses; ++C) {
    uint8_t Bit = static_cast<uint8_t>(1u << C);
    if (!(Classes & Bit))
      continue;
    if (F && __builtin_popcount(Classes) > 1 &&
        (F->Shape == FactShape::Enum || F->Shape == FactShape::Bool ||
         F->Shape == FactShape::Count)) {
      // `return r;`: each class of r leaves the channels as r's test would.
      FlowState Copy = S;
      Fact *CF = FactIn(Copy);
      refinement::applyMask(Copy, *CF, Bit, nullptr);
      if (Copy.Reached)
        Builder.addExit(Copy, Bit, Ret);
      continue;
    }
    Builder.addExit(S, Bit, Ret);
  }
}

void FunctionRun::observeBelow(const ChannelKey &K, const FlowState &S, Observation &O) const {
  if (!Opts.ObserveBelow)
    return;
  for (const auto &KV : S.Channels)
    if (KV.first != K && K.isPrefixOf(KV.first))
      O.Before.push_back(KV);
}

void FunctionRun::observeCalleeCompletions(const Event &E, const FlowState &S,
                                           const FunctionAnalysis &Record, Observation &O) {
  for (const CallerCompletion &C : unconfirmedCompletions(E)) {
    ChannelState Before = S.get(C.Key);
    O.Before.push_back({C.Key, Before});
    observeBelow(C.Key, S, O);
    // Reported by the callee, or here when this function's own entry state counts as dirty:
    // either way, not again by this function's callers.
    Builder.addCompletion(C.Key, Before, E.S, C.Channel->CompletionKind,
                          C.Channel->JudgedByCallee || Record.entryIsDirty(C.Key));
  }
}

void FunctionRun::observeCompletion(const Event &E, const FlowState &S,
                                    const FunctionAnalysis &Record, Observation &O) {
  for (const auto &KV : S.Vars)
    if (KV.second.Shape == FactShape::Count && !KV.second.Tested &&
        (KV.second.Classes & RC_Pending) && KV.second.mentions(*E.Channel))
      O.UntestedCount = KV.first;
  ChannelState Before = S.get(*E.Channel);
  if (E.FlushesFirst)
    Before = ChannelState::of(SB_Clean);
  // The object is ended after this function wrote its data out through a member and saw it
  // leave or fail (`close_client(c)` once `write(c->sfd, ...)` failed): what the caller had
  // buffered was this function's to handle, and it did.
  Builder.addCompletion(*E.Channel, Before, E.S, E.Kind, Record.entryIsDirty(*E.Channel));
}

void FunctionRun::observe(const Event &E, const FlowState &S, FunctionAnalysis &Record) {
  Observation O;
  O.E = E;
  if (E.Channel) {
    O.Before.push_back({*E.Channel, S.get(*E.Channel)});
    observeBelow(*E.Channel, S, O);
  }
  if (E.Kind == EventKind::SummaryCall)
    observeCalleeCompletions(E, S, Record, O);
  bool Completion = E.Kind == EventKind::Shutdown || E.Kind == EventKind::Close ||
                    E.Kind == EventKind::AsyncShutdown || E.Kind == EventKind::Destroy;
  if (Completion && E.Channel)
    observeCompletion(E, S, Record, O);
  if (!O.Before.empty())
    Record.Observations.push_back(std::move(O));
}

void FunctionRun::transferDestructor(const CFGAutomaticObjDtor &D, FlowState &S,
                                     FunctionAnalysis *Record) {
  Event E;
  E.Kind = EventKind::Destroy;
  E.S = D.getTriggerStmt();
  E.Var = D.getVarDecl();
  E.Channel = ChannelKey();
  E.Channel->Root = E.Var;
  if (Record) {
    Observation O;
    O.E = E;
    O.Before.push_back({*E.Channel, S.get(*E.Channel)});
    Record->Observations.push_back(std::move(O));
  }
  Table.apply(E, S, TC);
}

void FunctionRun::transferStmt(const Stmt *St, FlowState &S, FunctionAnalysis *Record) {
  if (Record) {
    if (const auto *RS = llvm::dyn_cast<ReturnStmt>(St))
      recordExit(RS, RS->getRetValue(), S);
    else if (const auto *CR = llvm::dyn_cast<CoreturnStmt>(St))
      recordExit(CR, CR->getOperand(), S);
  }
  for (const Event &E : eventsOf(St)) {
    if (Record)
      observe(E, S, *Record);
    Table.apply(E, S, TC);
  }
  // Facts of expressions live as long as the statement that uses them: dropping them here
  // keeps the states (copied per block and edge) small in long functions.
  if (!S.Exprs.empty() && endsFullStatement(St))
    dropExprFacts(S);
}

void FunctionRun::recordFallOff(const CFGBlock *B, const Stmt *LastStmt, const FlowState &S) {
  if (llvm::isa_and_nonnull<ReturnStmt>(LastStmt) || llvm::isa_and_nonnull<CoreturnStmt>(LastStmt))
    return;
  if (llvm::isa_and_nonnull<CXXThrowExpr>(B->getTerminatorStmt()))
    return;
  if (const auto *CE = llvm::dyn_cast_or_null<CallExpr>(LastStmt))
    if (const FunctionDecl *Callee = CE->getDirectCallee())
      if (Callee->isNoReturn())
        return;
  unsigned SuccIdx = 0;
  for (const auto &Succ : B->succs()) {
    unsigned I = SuccIdx++;
    if (Succ.getReachableBlock() != ExitBlock)
      continue;
    FlowState Edge = S;
    Refine->refineEdge(B, ExitBlock, I, Edge);
    if (Edge.Reached)
      Builder.addExit(Edge, RC_Other, nullptr);
  }
}

void FunctionRun::transferBlock(const CFGBlock *B, FlowState &S, FunctionAnalysis *Record) {
  const Stmt *LastStmt = nullptr;
  for (const CFGElement &El : *B) {
    if (auto D = El.getAs<CFGAutomaticObjDtor>()) {
      // Only with EngineOptions::LocalDestructors (the CFG has no such elements otherwise).
      transferDestructor(*D, S, Record);
      continue;
    }
    if (auto CS = El.getAs<CFGStmt>()) {
      LastStmt = CS->getStmt();
      transferStmt(LastStmt, S, Record);
    }
  }
  // Falling off the end (void functions, constructors): the state on each edge into the exit
  // block, refined by the edge's condition (`while (off < len)` may exit straight there).
  if (Record)
    recordFallOff(B, LastStmt, S);
}

void FunctionRun::findEntryDirty(FunctionAnalysis &A) const {
  if (const auto *MD = llvm::dyn_cast<CXXMethodDecl>(FD))
    if (!MD->isStatic())
      A.ThisClass = MD->getParent();
  // A lambda posted for later sees its object as a method does; one called in place sees
  // whatever its caller left (not followed: its `this` is not the caller's).
  bool Deferred = false;
  if (A.ThisClass && A.ThisClass->isLambda() && Opts.AssumeBufferDirtyOnEntry)
    if (const CXXRecordDecl *Obj = deferredLambdaObject(A.ThisClass)) {
      A.ThisClass = Obj;
      Deferred = true;
    }
  if (!A.ThisClass || !Opts.AssumeBufferDirtyOnEntry ||
      !(Deferred || (!llvm::isa<CXXConstructorDecl>(FD) &&
                     (Opts.CheckDestructors || !llvm::isa<CXXDestructorDecl>(FD)) &&
                     !A.ThisClass->isLambda())))
    return;
  if (TC.Channels.isConnectionClass(A.ThisClass))
    A.EntryDirty.push_back(ChannelKey::thisObject());
  // A connection the object owns (hyper's Conn over its Buffered io): its buffer may hold
  // data when any of the owner's methods is called, as the owner's own would.
  llvm::SmallVector<const FieldDecl *, 2> Owned;
  TC.Channels.ownedConnections(A.ThisClass, Owned);
  for (const FieldDecl *F : Owned) {
    ChannelKey K;
    K.Fields.push_back(F);
    A.EntryDirty.push_back(K);
  }
}

FactShape FunctionRun::classifyReturnType() {
  QualType RT = FD->getReturnType();
  if (!RT.isNull() && RT->isBooleanType()) {
    ClassifyReturns = true;
    return FactShape::Bool;
  }
  if (!RT.isNull() && !RT->isVoidType() && !RT->isDependentType()) {
    ResultTypeInfo Info = classifyResultType(RT, TC.Model);
    ClassifyReturns = Info.Shape == ResultShape::PendingState || RT->isEnumeralType();
    IntegralReturns = !ClassifyReturns && RT->isIntegerType();
  }
  return FactShape::Enum;
}

std::unique_ptr<CFG> FunctionRun::buildCfg() {
  Stmt *Body = FD->getBody();
  if (auto *CB = llvm::dyn_cast_or_null<CoroutineBodyStmt>(Body))
    Body = CB->getBody();
  Parents = std::make_unique<ParentMap>(Body);
  Refine.emplace(Refinements, TC, *Parents,
                 [this](const Stmt *S) -> const llvm::SmallVector<Event, 1> & {
                   return eventsOf(S);
                 });
  CFG::BuildOptions BO;
  BO.setAllAlwaysAdd();
  BO.AddImplicitDtors = Opts.LocalDestructors;
  BO.AddTemporaryDtors = false;
  BO.AddInitializers = false;
  BO.PruneTriviallyFalseEdges = true;
  return CFG::buildCFG(FD, Body, &Ctx, BO);
}

/// The blocks of \p Cfg reachable from its entry in reverse post-order: a block is visited
/// after its predecessors (back edges aside).
static std::vector<const CFGBlock *> reversePostOrder(const CFG &Cfg) {
  std::vector<std::pair<const CFGBlock *, CFGBlock::const_succ_iterator>> Stack;
  std::vector<bool> Seen(Cfg.getNumBlockIDs(), false);
  const CFGBlock *Entry = &Cfg.getEntry();
  Seen[Entry->getBlockID()] = true;
  Stack.push_back({Entry, Entry->succ_begin()});
  std::vector<const CFGBlock *> Post;
  while (!Stack.empty()) {
    auto &Top = Stack.back();
    if (Top.second == Top.first->succ_end()) {
      Post.push_back(Top.first);
      Stack.pop_back();
      continue;
    }
    const CFGBlock *Next = Top.second->getReachableBlock();
    ++Top.second;
    if (Next && !Seen[Next->getBlockID()]) {
      Seen[Next->getBlockID()] = true;
      Stack.push_back({Next, Next->succ_begin()});
    }
  }
  return std::vector<const CFGBlock *>(Post.rbegin(), Post.rend());
}

bool FunctionRun::solve(const CFG &Cfg, const std::vector<const CFGBlock *> &RPO,
                        std::vector<FlowState> &In) {
  std::vector<unsigned> Order(Cfg.getNumBlockIDs(), ~0u);
  for (unsigned I = 0; I < RPO.size(); ++I)
    Order[RPO[I]->getBlockID()] = I;
  In[Cfg.getEntry().getBlockID()].Reached = true;
  std::set<unsigned> Work{0};
  unsigned Visits = 0;
  while (!Work.empty()) {
    unsigned Idx = *Work.begin();
    Work.erase(Work.begin());
    if (++Visits > Opts.MaxBlockVisits) {
      ++Stats.FunctionsSkippedBudget;
      ++NumFunctionsOverBudget;
      logSkipped(Opts.LogName, FD, Ctx,
                 "its flow analysis needed more than MaxBlockVisits (" +
                     llvm::Twine(Opts.MaxBlockVisits) + ") block visits");
      return false;
    }
    ++Stats.BlockVisits;
    const CFGBlock *B = RPO[Idx];
    FlowState S = In[B->getBlockID()];
    transferBlock(B, S, nullptr);
    unsigned SuccIdx = 0;
    for (const auto &Succ : B->succs()) {
      unsigned I = SuccIdx++;
      const CFGBlock *SB = Succ.getReachableBlock();
      if (!SB)
        continue;
      FlowState Edge = S;
      Refine->refineEdge(B, SB, I, Edge);
      if (!Edge.Reached)
        continue;
      FlowState &Target = In[SB->getBlockID()];
      FlowState Joined = Target;
      Joined.join(Edge);
      if (Joined != Target) {
        Target = std::move(Joined);
        Work.insert(Order[SB->getBlockID()]);
      }
    }
  }
  return true;
}

FunctionAnalysis FunctionRun::run() {
  FunctionAnalysis A;
  A.FD = FD;
  findEntryDirty(A);
  FactShape Shape = classifyReturnType();
  std::unique_ptr<CFG> Cfg = buildCfg();
  if (!Cfg) {
    A.Skipped = true;
    return A;
  }
  ExitBlock = &Cfg->getExit();
  if (Cfg->getNumBlockIDs() > Opts.MaxBlocks) {
    ++Stats.FunctionsSkippedSize;
    logSkipped(Opts.LogName, FD, Ctx,
               llvm::Twine(Cfg->getNumBlockIDs()) + " blocks, more than MaxBlocks (" +
                   llvm::Twine(Opts.MaxBlocks) + ")");
    A.Skipped = true;
    return A;
  }
  std::vector<const CFGBlock *> RPO = reversePostOrder(*Cfg);
  // One event list per element: sized once rather than rehashed as the lists come.
  unsigned Elements = 0;
  for (const CFGBlock *B : RPO)
    Elements += B->size();
  EventCache.reserve(Elements);
  std::vector<FlowState> In(Cfg->getNumBlockIDs());
  if (!solve(*Cfg, RPO, In)) {
    A.Skipped = true;
    return A;
  }
  // The fixpoint holds: one more pass records what the diagnoser and the callers read.
  for (const CFGBlock *B : RPO) {
    FlowState S = In[B->getBlockID()];
    if (!S.Reached)
      continue;
    transferBlock(B, S, &A);
  }
  if (IntegralReturns)
    Shape = ReturnsCount ? FactShape::Count : FactShape::Enum;
  if (IntegralReturns && !ReturnsCount && SignAnswers)
    // An integer result that answers by its sign: 0 / -1 (done / failed), 1 / 0 (done / not),
    // -errno. Its callers' `== 0`, `< 0`, `if (!r)` pick the exits that answered so.
    A.Summary = Builder.finishBySign(/*ZeroIsPending=*/PositiveAnswer);
  else
    // An integer result that is no count and no answer says nothing a caller can test: one
    // class.
    A.Summary = Builder.finish(Shape, /*CollapseClasses=*/IntegralReturns && !ReturnsCount);
  ++Stats.FunctionsAnalysed;
  ++NumFunctionsAnalysed;
  return A;
}

} // namespace

//===--- FlowEngine -------------------------------------------------------===//

FlowEngine::FlowEngine(const ApiModel &Model, const ChannelResolver &Channels,
                       TransferTable Table, EngineOptions Opts)
    : Model(Model), Channels(Channels), Table(std::move(Table)),
      Refinements(RefinementTable::standard()), Opts(Opts) {}

FlowEngine::~FlowEngine() = default;

void FlowEngine::reset() {
  Cache.clear();
  Analysable.clear();
  Reaches.clear();
  InProgress.clear();
  Depth = 0;
  CurCtx = nullptr;
}

const FunctionAnalysis *FlowEngine::analyze(const FunctionDecl *FD, ASTContext &Ctx) {
  if (!FD)
    return nullptr;
  const FunctionDecl *Def = nullptr;
  if (!FD->hasBody(Def) || !Def || !Def->getBody())
    return nullptr;
  // A dependent pattern, or broken code (invalid declarations, error-recovery expressions):
  // clang's CFG is not built for it, and the function is not analysed.
  if (CurCtx != &Ctx) {
    reset();
    CurCtx = &Ctx;
  }
  if (!analysable(Def))
    return nullptr;
  auto It = Cache.find(Def);
  if (It != Cache.end())
    return It->second.get();
  InProgress.insert(Def);
  TransferContext TC{Model, Channels, Ctx};
  FunctionRun Run(Def, Ctx, Table, Refinements, TC, this, Opts, Stats);
  auto Result = std::make_unique<FunctionAnalysis>(Run.run());
  InProgress.erase(Def);
  const FunctionAnalysis *P = Result.get();
  Cache[Def] = std::move(Result);
  return P;
}

bool FlowEngine::analysable(const FunctionDecl *Def) {
  auto It = Analysable.find(Def);
  if (It != Analysable.end())
    return It->second;
  bool A = isAnalysable(Def);
  Analysable[Def] = A;
  return A;
}

const FunctionDecl *FlowEngine::reachable(const FunctionDecl *FD) {
  const FunctionDecl *Def = nullptr;
  if (!FD || !FD->hasBody(Def) || !Def || !Def->getBody())
    return nullptr;
  // A dependent pattern is never analysed (its instantiations are). A body with errors is
  // not either, but telling costs a walk of its own: reach() walks it, skipping what holds an
  // error, and may answer more than analyze() meets, never less.
  if (Def->isDependentContext() || Def->isInvalidDecl())
    return nullptr;
  return Def;
}

struct FlowEngine::ReachWalk {
  explicit ReachWalk(ASTContext &Ctx) : Ctx(Ctx) {}
  ASTContext &Ctx;
  unsigned Next = 0;
  llvm::DenseMap<const FunctionDecl *, unsigned> Index, Low, Acc;
  llvm::SmallVector<const FunctionDecl *, 16> Stack;
  llvm::DenseSet<const FunctionDecl *> OnStack;
};

unsigned FlowEngine::reach(const FunctionDecl *FD, ASTContext &Ctx) {
  if (CurCtx != &Ctx) {
    reset();
    CurCtx = &Ctx;
  }
  const FunctionDecl *Def = reachable(FD);
  if (!Def)
    return 0;
  auto It = Reaches.find(Def);
  if (It != Reaches.end())
    return It->second;
  ReachWalk W(Ctx);
  return reachFrom(Def, W);
}

/// The Reach bit of one event (FlowEngine::Reach). The kinds that can leave no data behind
/// are named; any other kind, a new one included, counts as data.
static unsigned reachOf(EventKind K) {
  switch (K) {
  case EventKind::Shutdown:
  case EventKind::Close:
  case EventKind::AsyncShutdown:
  case EventKind::Destroy:
    return FlowEngine::ReachCompletion;
  case EventKind::Cancel:
  case EventKind::Await:
  case EventKind::OpaqueCall:
  case EventKind::BindVar:
  case EventKind::PassFact:
  case EventKind::EmptyTest:
  case EventKind::BufferClear:
    return 0;
  default:
    return FlowEngine::ReachData;
  }
}

unsigned FlowEngine::ownReach(const FunctionDecl *Def, ASTContext &Ctx,
                              llvm::SmallVectorImpl<const FunctionDecl *> &Callees) {
  TransferContext TC{Model, Channels, Ctx};
  llvm::SmallVector<const Stmt *, 32> Work{Def->getBody()};
  llvm::SmallVector<Event, 2> Events;
  unsigned R = 0;
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *E = llvm::dyn_cast<Expr>(S); E && E->containsErrors())
      continue; // error recovery: nothing there is classified
    if (R != (ReachCompletion | ReachData)) {
      Events.clear();
      Table.classify(S, TC, nullptr, Events);
      for (const Event &E : Events)
        R |= reachOf(E.Kind);
    }
    if (const auto *CE = llvm::dyn_cast<CallExpr>(S))
      if (const FunctionDecl *Callee = reachable(CE->getDirectCallee()))
        Callees.push_back(Callee);
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return R;
}

unsigned FlowEngine::reachFrom(const FunctionDecl *Def, ReachWalk &W) {
  unsigned I = W.Next++;
  W.Index[Def] = I;
  W.Low[Def] = I;
  W.Stack.push_back(Def);
  W.OnStack.insert(Def);
  llvm::SmallVector<const FunctionDecl *, 16> Callees;
  unsigned R = ownReach(Def, W.Ctx, Callees);
  for (const FunctionDecl *C : Callees) {
    if (auto Done = Reaches.find(C); Done != Reaches.end()) {
      R |= Done->second;
    } else if (!W.Index.count(C)) {
      unsigned CR = reachFrom(C, W);
      W.Low[Def] = std::min(W.Low[Def], W.Low[C]);
      R |= CR;
    } else if (W.OnStack.count(C)) {
      W.Low[Def] = std::min(W.Low[Def], W.Index[C]); // its bits join at the set's root
    }
  }
  W.Acc[Def] = R;
  if (W.Low[Def] != I)
    return R;
  // The root of a strongly connected set: every member meets what any member meets.
  size_t From = W.Stack.size();
  while (W.Stack[From - 1] != Def)
    --From;
  --From;
  unsigned Set = 0;
  for (size_t K = From; K < W.Stack.size(); ++K)
    Set |= W.Acc[W.Stack[K]];
  for (size_t K = From; K < W.Stack.size(); ++K) {
    Reaches[W.Stack[K]] = Set;
    W.OnStack.erase(W.Stack[K]);
  }
  W.Stack.resize(From);
  return Set;
}

const FunctionSummary *FlowEngine::summaryFor(const FunctionDecl *Callee) {
  if (!Callee || !CurCtx)
    return nullptr;
  const FunctionDecl *Def = nullptr;
  if (!Callee->hasBody(Def) || !Def)
    return nullptr;
  if (InProgress.count(Def) || Depth >= Opts.MaxSummaryDepth)
    return nullptr; // recursion, or too deep: the call stays opaque
  if (const auto *MD = llvm::dyn_cast<CXXMethodDecl>(Def))
    if (MD->isVirtual() && !MD->hasAttr<FinalAttr>() && !MD->getParent()->hasAttr<FinalAttr>())
      return nullptr; // an override elsewhere may do something else
  auto It = Cache.find(Def);
  if (It == Cache.end()) {
    ++Stats.SummariesComputed;
    ++Depth;
    const FunctionAnalysis *A = analyze(Def, *CurCtx);
    --Depth;
    if (!A)
      return nullptr;
    It = Cache.find(Def);
  }
  const FunctionAnalysis &A = *It->second;
  return A.Skipped ? nullptr : &A.Summary;
}

} // namespace drain
