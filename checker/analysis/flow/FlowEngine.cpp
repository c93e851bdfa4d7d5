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
#include "clang/Lex/Lexer.h"
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

const uint8_t RC_Known = RC_Pending | RC_Ready | RC_Error;

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

BinaryOperatorKind mirror(BinaryOperatorKind Op) {
  switch (Op) {
  case BO_LT: return BO_GT;
  case BO_GT: return BO_LT;
  case BO_LE: return BO_GE;
  case BO_GE: return BO_LE;
  default: return Op;
  }
}

BinaryOperatorKind negate(BinaryOperatorKind Op) {
  switch (Op) {
  case BO_LT: return BO_GE;
  case BO_GE: return BO_LT;
  case BO_GT: return BO_LE;
  case BO_LE: return BO_GT;
  case BO_EQ: return BO_NE;
  case BO_NE: return BO_EQ;
  default: return Op;
  }
}

std::optional<BinaryOperatorKind> comparisonOf(OverloadedOperatorKind O) {
  switch (O) {
  case OO_EqualEqual: return BO_EQ;
  case OO_ExclaimEqual: return BO_NE;
  case OO_Less: return BO_LT;
  case OO_Greater: return BO_GT;
  case OO_LessEqual: return BO_LE;
  case OO_GreaterEqual: return BO_GE;
  default: return std::nullopt;
  }
}

/// Classes a byte count `n Op V` selects. Counts: Ready is n == len, Pending 0 < n < len
/// (a short write), Error n <= 0 (a socket write of a non-empty buffer returns 0 only when
/// something is wrong; EAGAIN is -1). TLS counts (SSL_write): Ready is n > 0, <= 0 is Pending
/// or Error (SSL_get_error tells). \p V is the constant compared with, or nullopt for a
/// non-constant (the length).
uint8_t countMask(BinaryOperatorKind Op, std::optional<int64_t> V, bool Tls) {
  const uint8_t Written = Tls ? RC_Ready : RC_Ready | RC_Pending; // n > 0
  const uint8_t Failed = Tls ? RC_Pending | RC_Error : RC_Error; // n <= 0
  if (V && *V <= 0) {
    // n Op 0 or n Op -1: a test that separates n > 0 from n <= 0 (or says nothing).
    bool Zero = *V == 0;
    switch (Op) {
    case BO_LT: return Zero ? Failed : (Tls ? Failed : RC_Error);
    case BO_LE: return Failed;
    case BO_EQ: return Failed;
    case BO_GT: return Zero ? Written : RC_Known;
    case BO_GE: return RC_Known;
    default: return RC_Known;
    }
  }
  // Compared with the length (or a positive constant: a fixed-size message).
  switch (Op) {
  case BO_EQ: case BO_GE: return RC_Ready;
  case BO_NE: case BO_LT: return RC_Pending | RC_Error;
  default: return RC_Known;
  }
}

/// The class of an enumerator by name (for switch defaults, where there is no expression).
uint8_t classOfEnumerator(const EnumConstantDecl *C, const ApiModel &Model) {
  if (ApiModel::hasAnnotation(C, "drain::pending"))
    return RC_Pending;
  if (ApiModel::hasAnnotation(C, "drain::ready"))
    return RC_Ready;
  const StateVocabulary &V = Model.vocabulary();
  if (V.isPending(C->getName()))
    return RC_Pending;
  if (V.isReady(C->getName()))
    return RC_Ready;
  if (V.isError(C->getName()))
    return RC_Error;
  return RC_Other;
}

/// True if the constant is the only one of its class in its enum (so `!= it` excludes the
/// class). Macro constants (SSL_ERROR_WANT_WRITE) are taken as the only one.
bool soleOfClass(const Expr *E, uint8_t Class, const ApiModel &Model) {
  const auto *DRE = llvm::dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  if (!DRE)
    return true;
  const auto *ECD = llvm::dyn_cast<EnumConstantDecl>(DRE->getDecl());
  if (!ECD)
    return true;
  const auto *ED = llvm::dyn_cast<EnumDecl>(ECD->getDeclContext());
  if (!ED)
    return true;
  unsigned N = 0;
  for (const EnumConstantDecl *C : ED->enumerators())
    if (classOfEnumerator(C, Model) == Class)
      ++N;
  return N <= 1;
}

bool isLoop(const Stmt *T) {
  return llvm::isa<WhileStmt>(T) || llvm::isa<ForStmt>(T) || llvm::isa<DoStmt>(T);
}

const Expr *loopCondition(const Stmt *T) {
  if (const auto *W = llvm::dyn_cast<WhileStmt>(T))
    return W->getCond();
  if (const auto *F = llvm::dyn_cast<ForStmt>(T))
    return F->getCond();
  if (const auto *D = llvm::dyn_cast<DoStmt>(T))
    return D->getCond();
  return nullptr;
}

/// Calls \p Fn for each variable with a Progress fact that \p E mentions.
template <typename Fn> void forEachProgressVar(FlowState &S, const Expr *E, Fn &&F) {
  llvm::SmallVector<const Stmt *, 16> Work{E};
  llvm::SmallVector<Fact, 2> Found;
  for (unsigned Steps = 0; !Work.empty() && Steps < 64; ++Steps) {
    const Stmt *Cur = Work.pop_back_val();
    if (!Cur)
      continue;
    if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(Cur))
      if (const Fact *P = S.factOfVar(DRE->getDecl()))
        if (P->Shape == FactShape::Progress)
          Found.push_back(*P);
    for (const Stmt *Child : Cur->children())
      Work.push_back(Child);
  }
  for (const Fact &P : Found)
    F(P);
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
              const TransferContext &TC, SummaryStore *Sums, const EngineOptions &Opts,
              EngineStats &Stats)
      : FD(FD), Ctx(Ctx), Table(Table), TC(TC), Sums(Sums), Opts(Opts), Stats(Stats),
        Builder(FD) {}

  FunctionAnalysis run();

private:
  const llvm::SmallVector<Event, 1> &eventsOf(const Stmt *S);
  void transferBlock(const CFGBlock *B, FlowState &S, FunctionAnalysis *Record);
  void refineEdge(const CFGBlock *B, const CFGBlock *Succ, unsigned SuccIdx, FlowState &S);
  void refineSwitch(const SwitchStmt *SW, const CFGBlock *Succ, FlowState &S);
  void refine(FlowState &S, const Expr *Cond, bool Truth, unsigned Depth);
  void refineComparison(FlowState &S, const Expr *L, BinaryOperatorKind Op, const Expr *R,
                        bool Truth, const Expr *At);
  void applyMask(FlowState &S, Fact &F, uint8_t Mask, const Expr *At);
  /// Takes the fact by value: it lives in S.Vars, which this function changes.
  void applyProgress(FlowState &S, Fact F);
  bool refineBufferTest(FlowState &S, const Expr *Cond, bool Truth);
  bool refineBufferSize(FlowState &S, const Expr *L, BinaryOperatorKind Op, const Expr *R,
                        bool Truth);
  void cleanOwner(FlowState &S, const ChannelKey &Owner);
  const Expr *exitedLoopCondition(const Stmt *T) const;
  llvm::SmallVector<ChannelKey, 1> drainedOwners(const Expr *Cond);
  Fact *mutableFact(FlowState &S, const Expr *E);
  /// The fact \p E reads and the part of it (ResultParts.h): a variable's or expression's
  /// own fact with its part, or the fact of the value whose part \p E reads (`r.failed`).
  Fact *partFact(FlowState &S, const Expr *E, ResultPart &Part);
  /// `if (r.failed)`, `if (!r)`, `r.is_pending()`: a truth test of a part. True if handled.
  bool refinePartTest(FlowState &S, const Expr *E, bool Truth);
  /// `r.state == Poll::Pending`, `TRY(...) != Poll::Ready`, `r.error != 0`. True if handled.
  bool refinePartComparison(FlowState &S, const Expr *L, BinaryOperatorKind Op, const Expr *R,
                            bool Truth, const Expr *At);
  uint8_t returnClasses(const Expr *RV, FlowState &S);
  void recordExit(const Stmt *Ret, const Expr *RV, FlowState &S);

  const FunctionDecl *FD;
  ASTContext &Ctx;
  const TransferTable &Table;
  const TransferContext &TC;
  SummaryStore *Sums;
  const EngineOptions &Opts;
  EngineStats &Stats;
  SummaryBuilder Builder;
  bool ClassifyReturns = false;
  /// An integer result: a count if some return returns a write's count (ReturnsCount).
  bool IntegralReturns = false;
  bool ReturnsCount = false;
  llvm::DenseMap<const Stmt *, llvm::SmallVector<Event, 1>> EventCache;
  const CFGBlock *ExitBlock = nullptr;
  std::unique_ptr<ParentMap> Parents;
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

Fact *FunctionRun::mutableFact(FlowState &S, const Expr *E) {
  if (!E)
    return nullptr;
  E = stripValue(E);
  // `(off += n) != len`: an assignment is its left operand.
  if (const auto *BO = llvm::dyn_cast<BinaryOperator>(E))
    if (BO->isAssignmentOp())
      E = stripValue(BO->getLHS());
  if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(E)) {
    auto It = S.Vars.find(DRE->getDecl());
    return It == S.Vars.end() ? nullptr : &It->second;
  }
  auto It = S.Exprs.find(E);
  return It == S.Exprs.end() ? nullptr : &It->second;
}

void FunctionRun::applyMask(FlowState &S, Fact &F, uint8_t Mask, const Expr *At) {
  uint8_t Old = F.Classes;
  uint8_t New = static_cast<uint8_t>(Old & Mask);
  if (!New) {
    // The value cannot be of these classes here: the edge is never taken.
    S.Reached = false;
    return;
  }
  F.Classes = New;
  F.Tested = true;
  for (const ClassEffect &CE : F.Effects) {
    ChannelState St;
    for (unsigned C = 0; C < NumResultClasses; ++C)
      if (New & (1u << C))
        St.join(CE.PerClass[C]);
    if (St.isBottom())
      continue;
    if (St.may(SB_NeedsFlush)) {
      // Notes: why the dirt survived this test.
      if (F.FromFlush && (Old & RC_Error) && !(New & RC_Error) && (New & RC_Pending))
        St.addEvent({PathEventKind::CheckedOnlyForErrors, At, nullptr, 0});
      else if (New == RC_Pending)
        St.addEvent({PathEventKind::FlushPending, At, nullptr, RC_Pending});
    }
    S.set(CE.Key, std::move(St));
  }
}

void FunctionRun::applyProgress(FlowState &S, Fact F) {
  // The write-all loop exits only when everything was written: the short counts it saw are
  // made good.
  for (const ClassEffect &CE : F.Effects) {
    // The counts of the loop's writes say nothing more: a later `if (n < 0)` must not bring
    // back the short state they remember. Progress facts stay (the loop may be tested again).
    std::map<const ValueDecl *, Fact> Progress;
    for (const auto &KV : S.Vars)
      if (KV.second.Shape == FactShape::Progress)
        Progress.insert(KV);
    S.invalidateFacts(CE.Key);
    for (auto &KV : Progress)
      S.Vars[KV.first] = std::move(KV.second);
    S.set(CE.Key, failureSeen(S.get(CE.Key)));
  }
}

void FunctionRun::cleanOwner(FlowState &S, const ChannelKey &Owner) {
  // The owner's write buffer is empty: nothing it owes its peer is left, on any of its
  // channels (`stream->io_watcher.fd` and `stream->write_queue` belong to `stream`).
  for (auto &KV : S.Channels)
    if (Owner.isPrefixOf(KV.first))
      KV.second.clean();
  ChannelState O = S.get(Owner);
  O.clean();
  S.set(Owner, std::move(O));
  S.invalidateFacts(Owner);
}

/// The write-buffer member an expression mentions (`&stream->write_queue`), if any.
static const MemberExpr *bufferMemberIn(const Expr *E, const ChannelResolver &Channels) {
  llvm::SmallVector<const Stmt *, 16> Work{E};
  for (unsigned Steps = 0; !Work.empty() && Steps < 64; ++Steps) {
    const Stmt *Cur = Work.pop_back_val();
    if (!Cur)
      continue;
    if (const auto *ME = llvm::dyn_cast<MemberExpr>(Cur))
      if (Channels.hasBufferName(llvm::dyn_cast<FieldDecl>(ME->getMemberDecl())))
        return ME;
    for (const Stmt *C : Cur->children())
      Work.push_back(C);
  }
  return nullptr;
}

bool FunctionRun::refineBufferTest(FlowState &S, const Expr *Cond, bool Truth) {
  // QUEUE_EMPTY(&stream->write_queue), TAILQ_EMPTY(&c->out_q): a macro named *EMPTY* that is
  // the whole condition and mentions a write-buffer member.
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation B = Cond->getBeginLoc(), E = Cond->getEndLoc();
  if (!B.isMacroID() || !E.isMacroID())
    return false;
  SourceLocation MacroBegin, MacroEnd;
  if (!Lexer::isAtStartOfMacroExpansion(B, SM, Ctx.getLangOpts(), &MacroBegin) ||
      !Lexer::isAtEndOfMacroExpansion(E, SM, Ctx.getLangOpts(), &MacroEnd))
    return false;
  llvm::StringRef Macro = Lexer::getImmediateMacroName(B, SM, Ctx.getLangOpts());
  bool Empty = false;
  for (const std::string &W : ChannelResolver::nameWords(Macro))
    Empty |= W == "empty";
  if (!Empty)
    return false;
  const MemberExpr *ME = bufferMemberIn(Cond, TC.Channels);
  if (!ME)
    return false;
  if (auto Owner = TC.Channels.keyOf(ME->getBase()))
    if (Truth)
      cleanOwner(S, *Owner);
  return true;
}

bool FunctionRun::refineBufferSize(FlowState &S, const Expr *L, BinaryOperatorKind Op,
                                   const Expr *R, bool Truth) {
  // c->outbuf_len == 0, stream->write_queue_size > 0.
  auto SizeMember = [&](const Expr *X) -> const MemberExpr * {
    const auto *ME = llvm::dyn_cast<MemberExpr>(stripValue(X));
    if (ME && TC.Channels.isBufferSizeMember(llvm::dyn_cast<FieldDecl>(ME->getMemberDecl())))
      return ME;
    return nullptr;
  };
  const MemberExpr *ME = SizeMember(L);
  if (!ME) {
    ME = SizeMember(R);
    std::swap(L, R);
    Op = mirror(Op);
  }
  if (!ME)
    return false;
  const Expr *RS = stripValue(R);
  std::optional<int64_t> Zero = evaluateInt(RS, Ctx);
  if (!Zero || *Zero != 0)
    return false;
  if (!Truth)
    Op = negate(Op);
  if (Op == BO_EQ || Op == BO_LE)
    if (auto Owner = TC.Channels.keyOf(ME->getBase()))
      cleanOwner(S, *Owner);
  return true;
}

void FunctionRun::refineComparison(FlowState &S, const Expr *L, BinaryOperatorKind Op,
                                   const Expr *R, bool Truth, const Expr *At) {
  if (refinePartComparison(S, L, Op, R, Truth, At))
    return;
  Fact *F = mutableFact(S, L);
  if (!F) {
    F = mutableFact(S, R);
    if (!F) {
      refineBufferSize(S, L, Op, R, Truth);
      return;
    }
    std::swap(L, R);
    Op = mirror(Op);
  }
  if (!Truth)
    Op = negate(Op);
  const Expr *RS = stripValue(R);
  // `ok == true`, `flushed != false`: truthiness.
  if (const auto *BL = llvm::dyn_cast<CXXBoolLiteralExpr>(RS)) {
    if (Op == BO_EQ || Op == BO_NE)
      refine(S, L, (Op == BO_EQ) == BL->getValue(), 1);
    return;
  }
  std::optional<int64_t> V = evaluateInt(RS, Ctx);

  switch (F->Shape) {
  case FactShape::Enum:
  case FactShape::Bool: {
    uint8_t C = classOfConstant(RS, TC.Model, Ctx);
    if (!C)
      return;
    uint8_t All = RC_All;
    uint8_t Mask;
    if (Op == BO_EQ)
      Mask = C;
    else if (Op == BO_NE)
      Mask = (C == RC_Other || !soleOfClass(RS, C, TC.Model)) ? All
                                                                  : static_cast<uint8_t>(All & ~C);
    else
      return;
    applyMask(S, *F, Mask, At);
    return;
  }
  case FactShape::Count:
    if (Op == BO_EQ || Op == BO_NE || Op == BO_LT || Op == BO_GT || Op == BO_LE || Op == BO_GE) {
      uint8_t Mask = countMask(Op, V, F->TrueIsPending);
      Fact Before = *F;
      applyMask(S, *F, Mask, At);
      // `if ((size_t)n != len) { result = WRITE_ERROR; ... }`: the program compared the count
      // with the length and knows it is short; what it does next is its error handling (a
      // pending TLS write, by contrast, asks to be retried).
      if (S.Reached && !F->TrueIsPending && (!V || *V > 0) && !(Mask & RC_Ready))
        for (const ClassEffect &CE : Before.Effects)
          S.set(CE.Key, failureSeen(S.get(CE.Key)));
    }
    return;
  case FactShape::Size: {
    if (!V || *V != 0)
      return;
    if (Op == BO_EQ || Op == BO_LE)
      applyMask(S, *F, RC_Ready, At);
    else if (Op == BO_NE || Op == BO_GT)
      applyMask(S, *F, RC_Pending, At);
    return;
  }
  case FactShape::Progress: {
    bool Done = F->Remaining ? (V && *V == 0 && (Op == BO_EQ || Op == BO_LE))
                             : ((!V || *V > 0) && (Op == BO_EQ || Op == BO_GE));
    if (Done)
      applyProgress(S, *F);
    return;
  }
  case FactShape::Derived:
    return;
  case FactShape::Signed: {
    // outq_flush(q) < 0, r == 1, r != 0, r > 0: the signs the comparison admits.
    if (!V)
      return;
    auto Holds = [&](int64_t X) {
      switch (Op) {
      case BO_EQ: return X == *V;
      case BO_NE: return X != *V;
      case BO_LT: return X < *V;
      case BO_GT: return X > *V;
      case BO_LE: return X <= *V;
      case BO_GE: return X >= *V;
      default: return true;
      }
    };
    if (!(Op == BO_EQ || Op == BO_NE || Op == BO_LT || Op == BO_GT || Op == BO_LE ||
          Op == BO_GE))
      return;
    uint8_t ZeroClass = F->TrueIsPending ? RC_Pending : RC_Ready;
    uint8_t PosClass = F->TrueIsPending ? RC_Ready : RC_Pending;
    uint8_t Mask = 0;
    // A sign is admitted when some value of it satisfies the comparison with V.
    if (Holds(std::min<int64_t>(-1, *V - 1)) || (*V < 0 && Holds(*V)))
      Mask |= RC_Error;
    if (Holds(0))
      Mask |= ZeroClass;
    if (Holds(std::max<int64_t>(1, *V + 1)) || (*V > 0 && Holds(*V)))
      Mask |= PosClass;
    applyMask(S, *F, Mask, At);
    return;
  }
  case FactShape::Status: {
    // uv_write(...) != 0, r < 0, r == UV_EAGAIN: zero is success, anything else a failure.
    if (!V)
      return;
    uint8_t Mask = RC_Ready | RC_Error;
    if (*V == 0 && (Op == BO_EQ || Op == BO_GE))
      Mask = RC_Ready;
    else if (*V == 0 && (Op == BO_NE || Op == BO_LT || Op == BO_GT))
      Mask = RC_Error;
    else if (*V != 0 && Op == BO_EQ)
      Mask = RC_Error;
    if (Mask != (RC_Ready | RC_Error))
      applyMask(S, *F, Mask, At);
    return;
  }
  }
}

Fact *FunctionRun::partFact(FlowState &S, const Expr *E, ResultPart &Part) {
  if (Fact *F = mutableFact(S, E)) {
    Part = F->Part;
    return F;
  }
  std::optional<PartRead> P = readPart(E, TC.Model);
  if (!P || P->Part == ResultPart::Unrelated)
    return nullptr;
  Fact *F = mutableFact(S, P->Base);
  if (!F || F->Part != ResultPart::Whole || F->Shape != FactShape::Enum)
    return nullptr;
  Part = P->Part;
  return F;
}

bool FunctionRun::refinePartTest(FlowState &S, const Expr *E, bool Truth) {
  ResultPart Part = ResultPart::Whole;
  Fact *F = partFact(S, E, Part);
  if (!F || Part == ResultPart::Whole)
    return false;
  if (uint8_t Mask = partTruthClasses(Part, Truth))
    applyMask(S, *F, Mask, E);
  return true;
}

bool FunctionRun::refinePartComparison(FlowState &S, const Expr *L, BinaryOperatorKind Op,
                                       const Expr *R, bool Truth, const Expr *At) {
  ResultPart Part = ResultPart::Whole;
  Fact *F = partFact(S, L, Part);
  if (!F || Part == ResultPart::Whole) {
    Part = ResultPart::Whole;
    F = partFact(S, R, Part);
    if (!F || Part == ResultPart::Whole)
      return false;
    std::swap(L, R);
    Op = mirror(Op);
  }
  if (!Truth)
    Op = negate(Op);
  if (Op != BO_EQ && Op != BO_NE)
    return true;
  const Expr *RS = stripValue(R);
  // `r.failed == true`, `r.error != 0`: a truth test of the part.
  std::optional<bool> Truthy;
  if (const auto *BL = llvm::dyn_cast<CXXBoolLiteralExpr>(RS))
    Truthy = BL->getValue();
  uint8_t C = classOfConstant(RS, TC.Model, Ctx);
  if (!Truthy && !C && Part != ResultPart::State)
    if (std::optional<int64_t> V = evaluateInt(RS, Ctx))
      Truthy = *V != 0;
  if (Truthy) {
    if (uint8_t Mask = partTruthClasses(Part, (Op == BO_EQ) == *Truthy))
      applyMask(S, *F, Mask, At);
    return true;
  }
  if ((Part != ResultPart::State && Part != ResultPart::ErrorValue) || !C)
    return true;
  uint8_t Mask = Op == BO_EQ ? C
                 : (C == RC_Other || !soleOfClass(RS, C, TC.Model))
                     ? static_cast<uint8_t>(RC_All)
                     : static_cast<uint8_t>(RC_All & ~C);
  // The state part says nothing about the error part: a failure stays possible either way.
  if (Part == ResultPart::State)
    Mask |= RC_Error;
  applyMask(S, *F, Mask, At);
  return true;
}

void FunctionRun::refine(FlowState &S, const Expr *Cond, bool Truth, unsigned Depth) {
  if (!Cond || Depth > 8 || !S.Reached)
    return;
  if (refineBufferTest(S, Cond, Truth))
    return;
  const Expr *E = stripValue(Cond);
  if (const auto *ME = llvm::dyn_cast<MemberExpr>(E))
    if (TC.Channels.isBufferSizeMember(llvm::dyn_cast<FieldDecl>(ME->getMemberDecl()))) {
      if (!Truth) // `if (!c->outbuf_len)`
        if (auto Owner = TC.Channels.keyOf(ME->getBase()))
          cleanOwner(S, *Owner);
      return;
    }
  if (const auto *UO = llvm::dyn_cast<UnaryOperator>(E)) {
    if (UO->getOpcode() == UO_LNot)
      refine(S, UO->getSubExpr(), !Truth, Depth + 1);
    return;
  }
  if (const auto *BO = llvm::dyn_cast<BinaryOperator>(E)) {
    // Only a Derived bool gets here with && / || (the CFG splits those in conditions).
    if (BO->getOpcode() == BO_LAnd && Truth) {
      refine(S, BO->getLHS(), true, Depth + 1);
      refine(S, BO->getRHS(), true, Depth + 1);
    } else if (BO->getOpcode() == BO_LOr && !Truth) {
      refine(S, BO->getLHS(), false, Depth + 1);
      refine(S, BO->getRHS(), false, Depth + 1);
    } else if (BO->isComparisonOp()) {
      refineComparison(S, BO->getLHS(), BO->getOpcode(), BO->getRHS(), Truth, BO);
    } else if (BO->getOpcode() == BO_Comma) {
      refine(S, BO->getRHS(), Truth, Depth + 1);
    }
    return;
  }
  if (const auto *OC = llvm::dyn_cast<CXXOperatorCallExpr>(E)) {
    if (auto Op = comparisonOf(OC->getOperator()))
      if (OC->getNumArgs() == 2) {
        refineComparison(S, OC->getArg(0), *Op, OC->getArg(1), Truth, OC);
        return;
      }
    if (OC->getOperator() == OO_Exclaim && OC->getNumArgs() == 1) {
      refine(S, OC->getArg(0), !Truth, Depth + 1);
      return;
    }
  }
  if (refinePartTest(S, E, Truth))
    return;
  if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(E)) {
    // r.is_pending(), r.is_ready(): a state accessor on a value with a fact.
    if (Fact *F = mutableFact(S, MC->getImplicitObjectArgument())) {
      const CXXMethodDecl *MD = MC->getMethodDecl();
      if (MD && MD->getIdentifier() &&
          (F->Shape == FactShape::Enum || F->Shape == FactShape::Bool)) {
        const StateVocabulary &V = TC.Model.vocabulary();
        uint8_t C = V.isPending(MD->getName()) ? RC_Pending
                    : V.isReady(MD->getName()) ? RC_Ready
                    : V.isError(MD->getName()) ? RC_Error
                                               : 0;
        if (C)
          applyMask(S, *F, Truth ? C : static_cast<uint8_t>(RC_All & ~C), E);
      }
      return;
    }
  }
  Fact *F = mutableFact(S, E);
  if (!F)
    return;
  switch (F->Shape) {
  case FactShape::Derived:
    refine(S, llvm::cast<Expr>(F->Origin), Truth, Depth + 1);
    return;
  case FactShape::Bool: {
    uint8_t C = (Truth != F->TrueIsPending) ? RC_Ready : RC_Pending;
    applyMask(S, *F, C | RC_Other, E);
    return;
  }
  case FactShape::Size:
    applyMask(S, *F, Truth ? RC_Pending : RC_Ready, E);
    return;
  case FactShape::Count:
    if (!Truth) // n == 0
      applyMask(S, *F, countMask(BO_EQ, 0, F->TrueIsPending), E);
    return;
  case FactShape::Progress:
    if (!Truth && F->Remaining)
      applyProgress(S, *F);
    return;
  case FactShape::Enum:
    return;
  case FactShape::Status:
    applyMask(S, *F, Truth ? RC_Error : RC_Ready, E);
    return;
  case FactShape::Signed: // `if (r)`: non-zero
    applyMask(S, *F,
              Truth ? static_cast<uint8_t>(RC_Error | (F->TrueIsPending ? RC_Ready : RC_Pending))
                    : (F->TrueIsPending ? RC_Pending : RC_Ready),
              E);
    return;
  }
}

void FunctionRun::refineSwitch(const SwitchStmt *SW, const CFGBlock *Succ, FlowState &S) {
  ResultPart Part = ResultPart::Whole;
  Fact *F = partFact(S, SW->getCond(), Part);
  if (!F || (F->Shape != FactShape::Enum && F->Shape != FactShape::Bool) ||
      (Part != ResultPart::Whole && Part != ResultPart::State))
    return;
  // `switch (r.state)`: the state part says nothing about the error part.
  const uint8_t Keep = Part == ResultPart::State ? RC_Error : 0;
  const Stmt *Label = Succ ? Succ->getLabel() : nullptr;
  if (const auto *CS = llvm::dyn_cast_or_null<CaseStmt>(Label)) {
    if (CS->getRHS()) // a GNU case range
      return;
    if (uint8_t C = classOfConstant(CS->getLHS(), TC.Model, Ctx))
      applyMask(S, *F, C | Keep, CS->getLHS());
    return;
  }
  // The default edge: a class is excluded when every value of it has its own case.
  llvm::SmallPtrSet<const EnumConstantDecl *, 8> Covered;
  const EnumDecl *ED = nullptr;
  uint8_t MacroCovered = 0;
  for (const SwitchCase *SC = SW->getSwitchCaseList(); SC; SC = SC->getNextSwitchCase()) {
    const auto *CS = llvm::dyn_cast<CaseStmt>(SC);
    if (!CS || CS->getRHS())
      continue;
    const auto *DRE = llvm::dyn_cast<DeclRefExpr>(CS->getLHS()->IgnoreParenImpCasts());
    const auto *ECD = DRE ? llvm::dyn_cast<EnumConstantDecl>(DRE->getDecl()) : nullptr;
    if (ECD) {
      Covered.insert(ECD);
      ED = llvm::dyn_cast<EnumDecl>(ECD->getDeclContext());
    } else if (uint8_t C = classOfConstant(CS->getLHS(), TC.Model, Ctx)) {
      if (C != RC_Other)
        MacroCovered |= C;
    }
  }
  uint8_t Excluded = MacroCovered;
  if (ED) {
    uint8_t Seen = 0, Missing = 0;
    for (const EnumConstantDecl *C : ED->enumerators()) {
      uint8_t K = classOfEnumerator(C, TC.Model);
      Seen |= K;
      if (!Covered.count(C))
        Missing |= K;
    }
    Excluded |= static_cast<uint8_t>(Seen & ~Missing);
  }
  if (Excluded)
    applyMask(S, *F, static_cast<uint8_t>((RC_All & ~Excluded) | Keep), SW->getCond());
}

void FunctionRun::refineEdge(const CFGBlock *B, const CFGBlock *Succ, unsigned SuccIdx,
                             FlowState &S) {
  const Stmt *T = B->getTerminatorStmt();
  if (!T)
    return;
  if (const auto *SW = llvm::dyn_cast<SwitchStmt>(T)) {
    refineSwitch(SW, Succ, S);
    return;
  }
  if (B->succ_size() != 2)
    return;
  const auto *Cond = llvm::dyn_cast_or_null<Expr>(B->getTerminatorCondition(false));
  if (!Cond)
    return;
  // `if (a && b)`: the CFG split `a` into its own block; this block evaluated `b`.
  for (unsigned Steps = 0; Steps < 32; ++Steps) {
    const auto *BO = llvm::dyn_cast<BinaryOperator>(Cond->IgnoreParens());
    if (!BO || !BO->isLogicalOp() || BO == T)
      break;
    Cond = BO->getRHS();
  }
  refine(S, Cond, SuccIdx == 0, 0);
  // A write-all loop (its condition tests a write's progress) is trusted: leaving it through
  // its condition, by whichever conjunct (`while (left > 0 && !stopping)`), ends the writing
  // on purpose; what is unsent then is the loop's own decision, not a count nobody read.
  if (SuccIdx == 1 && S.Reached && isLoop(T))
    if (const Expr *LoopCond = loopCondition(T))
      forEachProgressVar(S, LoopCond, [&](const Fact &F) { applyProgress(S, F); });
  // A drain loop (its condition tests the write buffer: `while (c->c != NULL &&
  // bipbuf_used(c->buf)) poll(c);`) is trusted the same way, whichever conjunct ends it.
  if (SuccIdx == 1 && S.Reached)
    if (const Expr *LoopCond = exitedLoopCondition(T))
      for (const ChannelKey &Owner : drainedOwners(LoopCond))
        cleanOwner(S, Owner);
}

/// The condition of the loop that the false edge of \p T leaves: T is the loop, or the `&&`
/// of a loop's condition (its left operand false skips the rest and leaves the loop).
const Expr *FunctionRun::exitedLoopCondition(const Stmt *T) const {
  if (isLoop(T))
    return loopCondition(T);
  const auto *BO = llvm::dyn_cast<BinaryOperator>(T);
  if (!BO || BO->getOpcode() != BO_LAnd || !Parents)
    return nullptr;
  const Stmt *Cur = BO;
  for (unsigned Steps = 0; Steps < 16; ++Steps) {
    const Stmt *P = Parents->getParent(Cur);
    if (!P)
      return nullptr;
    if (const auto *PB = llvm::dyn_cast<BinaryOperator>(P)) {
      if (PB->getOpcode() != BO_LAnd)
        return nullptr;
    } else if (isLoop(P)) {
      return loopCondition(P) == Cur ? loopCondition(P) : nullptr;
    } else if (!llvm::isa<ParenExpr>(P)) {
      return nullptr;
    }
    Cur = P;
  }
  return nullptr;
}

/// The owners whose write buffer \p Cond tests for emptiness: a buffer test event (`empty()`,
/// `size()`, `bipbuf_used(c->buf)`), a size member (`c->outbuf_len`), an *EMPTY* macro.
llvm::SmallVector<ChannelKey, 1> FunctionRun::drainedOwners(const Expr *Cond) {
  llvm::SmallVector<ChannelKey, 1> Out;
  llvm::SmallVector<const Stmt *, 16> Work{Cond};
  for (unsigned Steps = 0; !Work.empty() && Steps < 64; ++Steps) {
    const Stmt *Cur = Work.pop_back_val();
    if (!Cur)
      continue;
    if (const auto *ME = llvm::dyn_cast<MemberExpr>(Cur))
      if (TC.Channels.isBufferSizeMember(llvm::dyn_cast<FieldDecl>(ME->getMemberDecl())))
        if (auto K = TC.Channels.keyOf(ME->getBase()))
          Out.push_back(*K);
    if (llvm::isa<CallExpr>(Cur))
      for (const Event &E : eventsOf(Cur))
        if (E.Kind == EventKind::EmptyTest && E.Channel)
          Out.push_back(*E.Channel);
    for (const Stmt *C : Cur->children())
      Work.push_back(C);
  }
  return Out;
}

uint8_t FunctionRun::returnClasses(const Expr *RV, FlowState &S) {
  if (!RV || !(ClassifyReturns || IntegralReturns))
    return RC_Other;
  const Expr *E = stripValue(RV);
  if (const auto *CO = llvm::dyn_cast<ConditionalOperator>(E))
    return returnClasses(CO->getTrueExpr(), S) | returnClasses(CO->getFalseExpr(), S);
  if (IntegralReturns) {
    // A function that returns what a write returned: its callers test the count.
    if (Fact *F = mutableFact(S, E))
      if (F->Shape == FactShape::Count && !F->TrueIsPending) {
        ReturnsCount = true;
        return F->Classes;
      }
    std::optional<int64_t> N = evaluateInt(E, Ctx);
    if (N && *N <= 0)
      return RC_Error; // `return -1;`: a count function's failure (collapsed if no count)
    return RC_Other;
  }
  if (uint8_t C = classOfConstant(E, TC.Model, Ctx))
    return C;
  if (uint8_t C = classOfBuiltResult(E, TC.Model, Ctx))
    return C; // `return {false, 0, Poll::Ready};`
  if (Fact *F = mutableFact(S, E))
    if (F->Shape == FactShape::Enum || F->Shape == FactShape::Bool)
      return F->Classes;
  return RC_Other;
}

void FunctionRun::recordExit(const Stmt *Ret, const Expr *RV, FlowState &S) {
  uint8_t Classes = returnClasses(RV, S);
  Fact *F = RV ? mutableFact(S, RV) : nullptr;
  for (unsigned C = 0; C < NumResultClasses; ++C) {
    uint8_t Bit = static_cast<uint8_t>(1u << C);
    if (!(Classes & Bit))
      continue;
    if (F && __builtin_popcount(Classes) > 1 &&
        (F->Shape == FactShape::Enum || F->Shape == FactShape::Bool ||
         F->Shape == FactShape::Count)) {
      // `return r;`: each class of r leaves the channels as r's test would.
      FlowState Copy = S;
      Fact *CF = mutableFact(Copy, RV);
      applyMask(Copy, *CF, Bit, nullptr);
      if (Copy.Reached)
        Builder.addExit(Copy, Bit, Ret);
      continue;
    }
    Builder.addExit(S, Bit, Ret);
  }
}

void FunctionRun::transferBlock(const CFGBlock *B, FlowState &S, FunctionAnalysis *Record) {
  const Stmt *LastStmt = nullptr;
  for (const CFGElement &El : *B) {
    if (auto D = El.getAs<CFGAutomaticObjDtor>()) {
      // Only with EngineOptions::LocalDestructors (the CFG has no such elements otherwise).
      Event E;
      E.Kind = EventKind::Destroy;
      E.S = D->getTriggerStmt();
      E.Var = D->getVarDecl();
      E.Channel = ChannelKey();
      E.Channel->Root = E.Var;
      if (Record) {
        Observation O;
        O.E = E;
        O.Before.push_back({*E.Channel, S.get(*E.Channel)});
        Record->Observations.push_back(std::move(O));
      }
      Table.apply(E, S, TC);
      continue;
    }
    auto CS = El.getAs<CFGStmt>();
    if (!CS)
      continue;
    const Stmt *St = CS->getStmt();
    LastStmt = St;
    if (Record) {
      if (const auto *RS = llvm::dyn_cast<ReturnStmt>(St))
        recordExit(RS, RS->getRetValue(), S);
      else if (const auto *CR = llvm::dyn_cast<CoreturnStmt>(St))
        recordExit(CR, CR->getOperand(), S);
    }
    for (const Event &E : eventsOf(St)) {
      if (Record) {
        Observation O;
        O.E = E;
        if (E.Channel) {
          O.Before.push_back({*E.Channel, S.get(*E.Channel)});
          if (Opts.ObserveBelow)
            for (const auto &KV : S.Channels)
              if (KV.first != *E.Channel && E.Channel->isPrefixOf(KV.first))
                O.Before.push_back(KV);
        }
        if (E.Kind == EventKind::SummaryCall)
          for (const SummaryChannel &SC : E.Summary->Channels)
            if (SC.UnconfirmedCompletion)
              if (auto CK = mapKey(SC.Key, E.Summary->FD, E.Object, E.Args)) {
                ChannelState Before = S.get(*CK);
                O.Before.push_back({*CK, Before});
                if (Opts.ObserveBelow)
                  for (const auto &KV : S.Channels)
                    if (KV.first != *CK && CK->isPrefixOf(KV.first))
                      O.Before.push_back(KV);
                // Reported by the callee, or here when this function's own entry state
                // counts as dirty: either way, not again by this function's callers.
                Builder.addCompletion(*CK, Before, E.S, SC.CompletionKind,
                                      SC.JudgedByCallee || Record->entryIsDirty(*CK));
              }
        bool Completion = E.Kind == EventKind::Shutdown || E.Kind == EventKind::Close ||
                          E.Kind == EventKind::AsyncShutdown || E.Kind == EventKind::Destroy;
        if (Completion && E.Channel) {
          for (const auto &KV : S.Vars)
            if (KV.second.Shape == FactShape::Count && !KV.second.Tested &&
                (KV.second.Classes & RC_Pending) && KV.second.mentions(*E.Channel))
              O.UntestedCount = KV.first;
          ChannelState Before = S.get(*E.Channel);
          if (E.FlushesFirst)
            Before = ChannelState::of(SB_Clean);
          // The object is ended after this function wrote its data out through a member and
          // saw it leave or fail (`close_client(c)` once `write(c->sfd, ...)` failed): what
          // the caller had buffered was this function's to handle, and it did.
          Builder.addCompletion(*E.Channel, Before, E.S, E.Kind,
                                Record->entryIsDirty(*E.Channel));
        }
        if (!O.Before.empty())
          Record->Observations.push_back(std::move(O));
      }
      Table.apply(E, S, TC);
    }
    // Facts of expressions live as long as the statement that uses them: dropping them here
    // keeps the states (copied per block and edge) small in long functions.
    if (!S.Exprs.empty() && endsFullStatement(St))
      dropExprFacts(S);
  }
  if (!Record)
    return;
  // Falling off the end (void functions, constructors): the state on each edge into the exit
  // block, refined by the edge's condition (`while (off < len)` may exit straight there).
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
    refineEdge(B, ExitBlock, I, Edge);
    if (Edge.Reached)
      Builder.addExit(Edge, RC_Other, nullptr);
  }
}

FunctionAnalysis FunctionRun::run() {
  FunctionAnalysis A;
  A.FD = FD;
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
  if (A.ThisClass && Opts.AssumeBufferDirtyOnEntry &&
      (Deferred || (!llvm::isa<CXXConstructorDecl>(FD) &&
                    (Opts.CheckDestructors || !llvm::isa<CXXDestructorDecl>(FD)) &&
                    !A.ThisClass->isLambda()))) {
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

  QualType RT = FD->getReturnType();
  FactShape Shape = FactShape::Enum;
  if (!RT.isNull() && RT->isBooleanType()) {
    ClassifyReturns = true;
    Shape = FactShape::Bool;
  } else if (!RT.isNull() && !RT->isVoidType() && !RT->isDependentType()) {
    ResultTypeInfo Info = classifyResultType(RT, TC.Model);
    ClassifyReturns = Info.Shape == ResultShape::PendingState || RT->isEnumeralType();
    IntegralReturns = !ClassifyReturns && RT->isIntegerType();
  }

  Stmt *Body = FD->getBody();
  if (auto *CB = llvm::dyn_cast_or_null<CoroutineBodyStmt>(Body))
    Body = CB->getBody();
  Parents = std::make_unique<ParentMap>(Body);
  CFG::BuildOptions BO;
  BO.setAllAlwaysAdd();
  BO.AddImplicitDtors = Opts.LocalDestructors;
  BO.AddTemporaryDtors = false;
  BO.AddInitializers = false;
  BO.PruneTriviallyFalseEdges = true;
  std::unique_ptr<CFG> Cfg = CFG::buildCFG(FD, Body, &Ctx, BO);
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

  // Reverse post-order: a block is visited after its predecessors (back edges aside).
  std::vector<const CFGBlock *> RPO;
  std::vector<unsigned> Order(Cfg->getNumBlockIDs(), ~0u);
  {
    std::vector<std::pair<const CFGBlock *, CFGBlock::const_succ_iterator>> Stack;
    std::vector<bool> Seen(Cfg->getNumBlockIDs(), false);
    const CFGBlock *Entry = &Cfg->getEntry();
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
    RPO.assign(Post.rbegin(), Post.rend());
    for (unsigned I = 0; I < RPO.size(); ++I)
      Order[RPO[I]->getBlockID()] = I;
  }

  std::vector<FlowState> In(Cfg->getNumBlockIDs());
  In[Cfg->getEntry().getBlockID()].Reached = true;
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
      A.Skipped = true;
      return A;
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
      refineEdge(B, SB, I, Edge);
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

  // The fixpoint holds: one more pass records what the diagnoser and the callers read.
  for (const CFGBlock *B : RPO) {
    FlowState S = In[B->getBlockID()];
    if (!S.Reached)
      continue;
    transferBlock(B, S, &A);
  }
  if (IntegralReturns)
    Shape = ReturnsCount ? FactShape::Count : FactShape::Enum;
  // An integer result that is no count says nothing a caller can test: one class.
  A.Summary = Builder.finish(Shape, /*CollapseClasses=*/IntegralReturns && !ReturnsCount);
  ++Stats.FunctionsAnalysed;
  ++NumFunctionsAnalysed;
  return A;
}

} // namespace

//===--- FlowEngine -------------------------------------------------------===//

FlowEngine::FlowEngine(const ApiModel &Model, const ChannelResolver &Channels,
                       TransferTable Table, EngineOptions Opts)
    : Model(Model), Channels(Channels), Table(std::move(Table)), Opts(Opts) {}

FlowEngine::~FlowEngine() = default;

void FlowEngine::reset() {
  Cache.clear();
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
  if (!isAnalysable(Def))
    return nullptr;
  if (CurCtx != &Ctx) {
    reset();
    CurCtx = &Ctx;
  }
  auto It = Cache.find(Def);
  if (It != Cache.end())
    return It->second.get();
  InProgress.insert(Def);
  TransferContext TC{Model, Channels, Ctx};
  FunctionRun Run(Def, Ctx, Table, TC, this, Opts, Stats);
  auto Result = std::make_unique<FunctionAnalysis>(Run.run());
  InProgress.erase(Def);
  const FunctionAnalysis *P = Result.get();
  Cache[Def] = std::move(Result);
  return P;
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
