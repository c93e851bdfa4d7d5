//===--- PartialWrite.cpp - counts checked only for errors ----------------===//
#include "analysis/checks/PartialWrite.h"
#include "analysis/checks/PartialWrite/TlsErrorQueue.h"
#include "analysis/checks/PartialWrite/TlsWantPair.h"
#include "analysis/checks/PartialWrite/WriteCalls.h"
#include "analysis/core/BodyCfg.h"
#include "analysis/core/Expressions.h"
#include "analysis/core/WholeWrites.h"
#include "analysis/core/Callees.h"
#include "Compat.h"
#include "analysis/core/ModelPacks.h"
#include "analysis/core/ResultTypes.h"
#include "analysis/core/UnitDecls.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/Stmt.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Path.h"

using namespace clang;

namespace drain {

namespace {
constexpr unsigned MaxDepth = 64;
/// Locals followed per call; a count copied further than this is treated as looked at.
constexpr unsigned MaxLocals = 16;

/// What one use of the count does with it.
enum class CountUse {
  ErrorTest, ///< < 0, == -1, <= 0, > 0, !n, if (n): only tells failure from success
  LookedAt,  ///< compared with a length, advanced by, returned, stored, passed on
  Ignored,   ///< dropped (drain-discarded-io-result's business), or a write to the local
  Accumulated, ///< added to or subtracted from a variable (total += n, left -= n, off = off + n)
  InAssertion, ///< read only in an assertion's condition: gone under NDEBUG
  ShortLogged, ///< compared with the length, and the short side only logs and goes on
  Returned,    ///< returned to the caller: looked at, unless the callers only test failure
  Compared,    ///< compared with something other than a failure constant (n != len, n < want)
};

/// True if \p S only logs: calls that log (their arguments may call anything), locals
/// declared for the message (`int eno = errno; char buf[64];`), and ifs whose branches only
/// log. No return, break, goto, assignment or other call: nothing is retried, failed or kept.
bool onlyLogs(const Stmt *S, unsigned Depth = 0,
              llvm::function_ref<bool(const Expr *)> DeadUpdate = nullptr) {
  if (!S || Depth > 4)
    return false;
  if (isa<NullStmt>(S))
    return true;
  if (const auto *CS = dyn_cast<CompoundStmt>(S)) {
    for (const Stmt *Sub : CS->body())
      if (!onlyLogs(Sub, Depth + 1, DeadUpdate))
        return false;
    return true;
  }
  if (isa<DeclStmt>(S))
    return true; // a local's initializer reads (errno, strerror) for the message
  if (const auto *If = dyn_cast<IfStmt>(S))
    return onlyLogs(If->getThen(), Depth + 1, DeadUpdate) &&
           (!If->getElse() || onlyLogs(If->getElse(), Depth + 1, DeadUpdate));
  if (const auto *DS = dyn_cast<DoStmt>(S)) // do { ... } while (0) macro bodies
    return onlyLogs(DS->getBody(), Depth + 1, DeadUpdate);
  if (const auto *E = dyn_cast<Expr>(S)) {
    E = E->IgnoreParenCasts();
    if (const auto *EWC = dyn_cast<ExprWithCleanups>(E))
      E = EWC->getSubExpr()->IgnoreParenCasts();
    if (const auto *CE = dyn_cast<CallExpr>(E))
      return isLoggingCall(CE);
    // `buf += n; len -= n;` into locals nothing reads afterwards: the rest is never written.
    if (DeadUpdate && DeadUpdate(E))
      return true;
  }
  return false;
}

const VarDecl *updatedLocal(const Expr *E);

/// The first local the statements of \p Side update (`buf += n;` on a short side), or null.
const VarDecl *advancedLocal(const Stmt *Side) {
  llvm::SmallVector<const Stmt *, 16> Work{Side};
  for (unsigned Steps = 0; !Work.empty() && Steps < 256; ++Steps) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *E = dyn_cast<Expr>(S))
      if (const VarDecl *VD = updatedLocal(E))
        return VD;
    for (auto It = S->child_begin(), End = S->child_end(); It != End; ++It)
      Work.insert(Work.begin(), *It);
  }
  return nullptr;
}

/// The local (a variable or a by-value parameter) an update `x += e`, `x -= e`, `x = e`,
/// `++x` writes, or null.
const VarDecl *updatedLocal(const Expr *E) {
  const Expr *Target = nullptr;
  if (const auto *BO = dyn_cast<BinaryOperator>(E); BO && BO->isAssignmentOp())
    Target = BO->getLHS();
  else if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->isIncrementDecrementOp())
    Target = UO->getSubExpr();
  const auto *DRE = Target ? dyn_cast<DeclRefExpr>(Target->IgnoreParenImpCasts()) : nullptr;
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!VD || !VD->hasLocalStorage() || VD->getType()->isReferenceType())
    return nullptr;
  return VD;
}

/// Where an expression is evaluated.
enum class EvalContext { Normal, Assertion, Unevaluated };

/// True for an integer constant <= 0 (0, -1, EOF, SOCKET_ERROR): comparing a count with it
/// separates failure from success and says nothing about how much was written.
bool isErrorConstant(const Expr *E, ASTContext &Ctx) {
  E = E->IgnoreParenImpCasts();
  if (E->isValueDependent() || E->isTypeDependent())
    return false;
  Expr::EvalResult R;
  if (!E->EvaluateAsInt(R, Ctx))
    return false;
  return R.Val.getInt().isSigned() ? R.Val.getInt().getSExtValue() <= 0
                                   : R.Val.getInt().getZExtValue() == 0;
}

const VarDecl *plainLocal(const Expr *E) {
  const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  if (!DRE)
    return nullptr;
  const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
  if (!VD || !VD->hasLocalStorage() || VD->getType()->isReferenceType() ||
      isa<ParmVarDecl>(VD))
    return nullptr;
  return VD;
}

/// The variable or member an update writes to (`total`, `c->sentlen`), or null when it writes
/// through a pointer or into an array element (progress handed elsewhere).
const ValueDecl *updatedDecl(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return dyn_cast<VarDecl>(DRE->getDecl());
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return dyn_cast<FieldDecl>(ME->getMemberDecl());
  return nullptr;
}

/// A count added to (or taken from) a variable: `total += n`, `left -= n`, `off = off + n`.
struct Accumulation {
  const ValueDecl *Into;
  const Expr *Update;
};

bool callsOneOf(const Stmt *S, llvm::ArrayRef<llvm::StringRef> Names, unsigned Depth = 0) {
  if (!S || Depth > 32)
    return false;
  if (const auto *CE = dyn_cast<CallExpr>(S))
    if (const FunctionDecl *FD = CE->getDirectCallee())
      if (FD->getDeclName().isIdentifier() && llvm::is_contained(Names, FD->getName()))
        return true;
  for (const Stmt *C : S->children())
    if (callsOneOf(C, Names, Depth + 1))
      return true;
  return false;
}

/// The parent of \p Cur past parentheses and implicit casts (and explicit casts with
/// \p ExplicitCasts); \p Cur becomes the outermost of them.
DynTypedNode parentPast(const Stmt *&Cur, DiscardClassifier &Index, bool ExplicitCasts = false) {
  DynTypedNode P = Index.parent(*Cur);
  while (P.get<ParenExpr>() || P.get<ImplicitCastExpr>() ||
         (ExplicitCasts && P.get<ExplicitCastExpr>())) {
    Cur = P.get<Stmt>();
    P = Index.parent(*Cur);
  }
  return P;
}

/// The edges of a two-way branch on \p Cond that a short count can take.
enum class ShortEdge { Both, True, False };

/// The edges of a two-way branch on \p Cond that a count which is not zero takes, read alike
/// for a short count (ShortPaths) and for -1 (FailurePaths): the true edge of `n`, the false
/// edge of `!n`, and at a comparison of the count with another value (`n < len`; `len > n` is
/// turned around to put the count first) the edge \p Holds tells for `n Op Other` (nothing:
/// either edge). \p IsCount picks out the count. No condition, or any other: either edge.
ShortEdge
nonZeroCountEdges(const Expr *Cond, llvm::function_ref<bool(const Expr *)> IsCount,
                  llvm::function_ref<std::optional<bool>(const BinaryOperator *Cmp,
                                                         BinaryOperatorKind Op, const Expr *Other)>
                      Holds) {
  if (!Cond)
    return ShortEdge::Both;
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond))
    return UO->getOpcode() == UO_LNot && IsCount(UO->getSubExpr()) ? ShortEdge::False
                                                                    : ShortEdge::Both;
  if (IsCount(Cond))
    return ShortEdge::True;
  const auto *BO = dyn_cast<BinaryOperator>(Cond);
  if (!BO || !BO->isComparisonOp())
    return ShortEdge::Both;
  BinaryOperatorKind Op = BO->getOpcode();
  const Expr *Other;
  if (IsCount(BO->getLHS())) {
    Other = BO->getRHS();
  } else if (IsCount(BO->getRHS())) {
    Other = BO->getLHS();
    Op = BinaryOperator::reverseComparisonOp(Op);
  } else {
    return ShortEdge::Both;
  }
  std::optional<bool> H = Holds(BO, Op, Other);
  if (!H)
    return ShortEdge::Both;
  return *H ? ShortEdge::True : ShortEdge::False;
}

/// Builds \p FD's CFG with every statement an element (BodyCfg.h) into \p G, and where each
/// statement stands in it into \p Positions; false when there is no CFG.
bool buildIndexedCfg(const FunctionDecl *FD, ASTContext &Ctx, std::unique_ptr<CFG> &G,
                     CfgPositions &Positions) {
  G = buildBodyCfg(FD, Ctx, everyStatementOptions());
  if (!G)
    return false;
  Positions = CfgPositions(*G);
  return true;
}

class ShortPaths {
public:
  /// \p Counts: the locals holding the count, whose tests decide the edges; null: every
  /// edge (what the write can reach at all).
  ShortPaths(const CallExpr *Call, const llvm::SmallPtrSetImpl<const VarDecl *> *Counts,
             ASTContext &Ctx, const FunctionDecl *FD)
      : Call(Call), Counts(Counts), Ctx(Ctx) {
    if (!buildIndexedCfg(FD, Ctx, G, Positions))
      return;
    auto At = Positions.find(Call);
    if (!At)
      return;
    WriteBlock = At->first;
    WriteIndex = At->second;
    llvm::SmallVector<const CFGBlock *, 16> Work{WriteBlock};
    while (!Work.empty()) {
      const CFGBlock *B = Work.pop_back_val();
      ShortEdge E = Counts && B->succ_size() == 2 ? edgesOf(B->getLastCondition())
                                                  : ShortEdge::Both;
      unsigned I = 0;
      for (const CFGBlock::AdjacentBlock &Succ : B->succs()) {
        unsigned Index = I++;
        const CFGBlock *S = Succ.getReachableBlock();
        if (!S || (E == ShortEdge::True && Index != 0) || (E == ShortEdge::False && Index != 1))
          continue;
        if (S == WriteBlock) {
          Again = true; // a new count from here on
          if (Counts)
            continue;
        }
        if (Reached.insert(S).second)
          Work.push_back(S);
      }
    }
  }

  bool valid() const { return WriteBlock != nullptr; }
  /// True if \p S is evaluated after the write on some path where its count may be short.
  bool reaches(const Stmt *S) const {
    auto At = Positions.find(S);
    if (!At)
      return !valid(); // unknown: as if it did
    if (At->first == WriteBlock && At->second > WriteIndex)
      return true;
    return Reached.count(At->first);
  }
  /// True if a short count can lead back to the same write.
  bool backToWrite() const { return Again; }

private:
  bool isCount(const Expr *E) const {
    E = E->IgnoreParenCasts();
    if (E == Call)
      return true;
    if (const auto *BO = dyn_cast<BinaryOperator>(E))
      return BO->getOpcode() == BO_Assign && isCount(BO->getRHS());
    const auto *DRE = dyn_cast<DeclRefExpr>(E);
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    return VD && Counts->count(VD);
  }

  /// A short count is not zero (`if (n)` takes the true edge), and in a comparison it is at
  /// least 1 and below the length.
  ShortEdge edgesOf(const Expr *Cond) const {
    auto IsCount = [this](const Expr *E) { return isCount(E); };
    auto Holds = [this](const BinaryOperator *, BinaryOperatorKind Op,
                        const Expr *Other) -> std::optional<bool> {
      // n >= 1 > Other.
      if (isErrorConstant(Other, Ctx))
        return Op == BO_NE || Op == BO_GT || Op == BO_GE;
      // Taken as the length (a limit compared instead errs towards silence): n < Other.
      return Op == BO_NE || Op == BO_LT || Op == BO_LE;
    };
    return nonZeroCountEdges(Cond, IsCount, Holds);
  }

  const CallExpr *Call;
  const llvm::SmallPtrSetImpl<const VarDecl *> *Counts;
  ASTContext &Ctx;
  std::unique_ptr<CFG> G;
  CfgPositions Positions;
  const CFGBlock *WriteBlock = nullptr;
  unsigned WriteIndex = 0;
  llvm::SmallPtrSet<const CFGBlock *, 16> Reached;
  bool Again = false;
};

struct Tracer {
  Tracer(ASTContext &Ctx, DiscardClassifier &Index) : Ctx(Ctx), Index(Index) {}
  ASTContext &Ctx;
  DiscardClassifier &Index;
  llvm::SmallVector<const Expr *, 4> ErrorTests;
  llvm::SmallVector<const Expr *, 2> AssertionReads;
  llvm::SmallVector<Accumulation, 2> Accumulations;
  /// Comparisons with the length whose short side only logs (onlyLogs), with that side.
  llvm::SmallVector<std::pair<const BinaryOperator *, const Stmt *>, 1> ShortLogged;
  bool LookedAt = false;
  /// The count was compared with a length or a limit somewhere: the plain findings stay
  /// silent, what the path after a short count does is still judged (shortPathFinding).
  bool Compared = false;
  llvm::SmallPtrSet<const VarDecl *, 4> Followed;
  llvm::SmallVector<const VarDecl *, 4> Pending;
  /// What gave each followed local its count (see readsTheCount).
  llvm::SmallVector<std::pair<const VarDecl *, const Expr *>, 4> Sources;
  /// The write, and what it can reach on the CFG (built when first asked).
  const CallExpr *Write = nullptr;
  std::optional<ShortPaths> Reach;
  /// The returns that hand the count to the caller.
  llvm::SmallVector<const ReturnStmt *, 2> Returns;

  /// False when no path leads from the write to \p Ref: a local reused as a loop counter
  /// before the write (`for (i = 0; i < 20; i++)`) never holds its count there.
  bool reachedByWrite(const DeclRefExpr *Ref, const FunctionDecl *FD) {
    if (!Write || !FD || !FD->hasBody())
      return true;
    if (!Reach)
      Reach.emplace(Write, nullptr, Ctx, FD);
    return Reach->reaches(Ref);
  }

  /// Whether \p E is evaluated only in the condition of an assertion (glibc's C++ `assert` is
  /// `cond ? void(0) : __assert_fail(...)`, its C form `if (cond) ; else __assert_fail(...)`
  /// next to an unevaluated `sizeof ((cond) ? 1 : 0)`) or not at all.
  EvalContext contextOf(const Expr *E) {
    const Stmt *Cur = E;
    for (unsigned Depth = 0; Depth < MaxDepth; ++Depth) {
      DynTypedNode P = Index.parent(*Cur);
      const Stmt *PS = P.get<Stmt>();
      if (!PS)
        return EvalContext::Normal;
      if (isa<UnaryExprOrTypeTraitExpr>(PS))
        return EvalContext::Unevaluated;
      if (const auto *If = dyn_cast<IfStmt>(PS)) {
        if (Cur == If->getCond() && (callsOneOf(If->getThen(), assertionFailureFunctions()) ||
                                     callsOneOf(If->getElse(), assertionFailureFunctions())))
          return EvalContext::Assertion;
        return EvalContext::Normal;
      }
      if (const auto *CO = dyn_cast<AbstractConditionalOperator>(PS)) {
        if (Cur == CO->getCond() &&
            (callsOneOf(CO->getTrueExpr(), assertionFailureFunctions()) ||
             callsOneOf(CO->getFalseExpr(), assertionFailureFunctions())))
          return EvalContext::Assertion;
      } else if (const auto *BO = dyn_cast<BinaryOperator>(PS)) {
        if (BO->isLogicalOp() && Cur == BO->getLHS() &&
            callsOneOf(BO->getRHS(), assertionFailureFunctions()))
          return EvalContext::Assertion;
      }
      if (!isa<Expr>(PS))
        return EvalContext::Normal;
      Cur = PS;
    }
    return EvalContext::Normal;
  }

  /// Classifies the use the parent makes of the count value \p E.
  CountUse use(const Expr *E) {
    switch (contextOf(E)) {
    case EvalContext::Unevaluated:
      return CountUse::Ignored;
    case EvalContext::Assertion:
      AssertionReads.push_back(E);
      return CountUse::InAssertion;
    case EvalContext::Normal:
      break;
    }
    const Stmt *Cur = E;
    for (unsigned Depth = 0; Depth < MaxDepth; ++Depth) {
      DynTypedNode P = Index.parent(*Cur);
      if (const auto *VD = P.get<VarDecl>())
        return useByInitialized(VD);
      const Stmt *PS = P.get<Stmt>();
      if (!PS)
        return CountUse::LookedAt;
      const auto *PE = dyn_cast<Expr>(PS);
      if (const auto *RS = dyn_cast<ReturnStmt>(PS)) {
        Returns.push_back(RS);
        return CountUse::Returned;
      }
      if (!PE)
        return isa<SwitchStmt>(PS) ? CountUse::LookedAt
                                   : CountUse::Ignored; // a statement: dropped
      if (std::optional<CountUse> U = useByExpr(PE, Cur, E))
        return *U;
      Cur = PE; // the count flows through PE
    }
    return CountUse::LookedAt;
  }

  // The uses below say what an expression \p PE does with the count value \p Cur (the count
  // read at \p E, or something it flows into); nullopt: \p PE's own value carries the count.

  // `int m = n;`: a plain local is followed; a static or a reference keeps it for later.
  CountUse useByInitialized(const VarDecl *VD) {
    if (VD->hasLocalStorage() && !VD->getType()->isReferenceType() && !isa<ParmVarDecl>(VD) &&
        !isa<DecompositionDecl>(VD)) {
      follow(VD, VD->getInit());
      return CountUse::Ignored;
    }
    return CountUse::LookedAt;
  }

  std::optional<CountUse> useByExpr(const Expr *PE, const Stmt *Cur, const Expr *E) {
    if (const auto *ICE = dyn_cast<ImplicitCastExpr>(PE)) {
      if (ICE->getCastKind() == CK_IntegralToBoolean ||
          ICE->getCastKind() == CK_PointerToBoolean)
        return errorTest(ICE);
      return std::nullopt;
    }
    if (isa<ParenExpr>(PE) || isa<FullExpr>(PE))
      return std::nullopt;
    if (const auto *Cast = dyn_cast<ExplicitCastExpr>(PE)) {
      if (Cast->getType()->isVoidType())
        return CountUse::Ignored;
      if (Cast->getType()->isBooleanType())
        return errorTest(Cast);
      return std::nullopt; // (size_t)n == len compares the count all the same
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(PE)) {
      if (UO->getOpcode() == UO_LNot)
        return errorTest(UO);
      if (UO->getOpcode() == UO_Minus || UO->getOpcode() == UO_Plus)
        return std::nullopt;
      return CountUse::LookedAt;
    }
    if (const auto *CO = dyn_cast<AbstractConditionalOperator>(PE)) {
      if (Cur != CO->getCond())
        return std::nullopt; // the count flows through a branch
      return CountUse::LookedAt;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(PE))
      return useByBinary(BO, Cur, E);
    if (const auto *CE = dyn_cast<CallExpr>(PE))
      return useByCall(CE, Cur, E);
    // An array index, an initializer: passed on.
    return CountUse::LookedAt;
  }

  CountUse errorTest(const Expr *Test) {
    ErrorTests.push_back(Test);
    return CountUse::ErrorTest;
  }

  std::optional<CountUse> useByBinary(const BinaryOperator *BO, const Stmt *Cur,
                                      const Expr *E) {
    if (BO->isComparisonOp())
      return useByComparison(BO, Cur);
    if (BO->getOpcode() == BO_Comma) {
      if (Cur == BO->getLHS())
        return CountUse::Ignored;
      return std::nullopt;
    }
    if (BO->isLogicalOp()) // an operand converted to bool is caught above
      return CountUse::LookedAt;
    if (BO->getOpcode() == BO_Assign)
      return useByAssignment(BO, Cur, E);
    // total += n, left -= n: where the count goes decides (see remainderFinding).
    if ((BO->getOpcode() == BO_AddAssign || BO->getOpcode() == BO_SubAssign) &&
        Cur == BO->getRHS()) {
      if (const ValueDecl *Into = updatedDecl(BO->getLHS())) {
        Accumulations.push_back({Into, BO});
        return CountUse::Accumulated;
      }
      return CountUse::LookedAt;
    }
    // off = off + n.
    if (BO->getOpcode() == BO_Add || BO->getOpcode() == BO_Sub)
      if (accumulatedBySum(BO, Cur))
        return CountUse::Accumulated;
    // Other arithmetic: p + n, total * n, ...
    return CountUse::LookedAt;
  }

  // `n < 0` tests for failure; `n != len` compares (its short side may only log).
  CountUse useByComparison(const BinaryOperator *BO, const Stmt *Cur) {
    const Expr *Other = Cur == BO->getLHS() ? BO->getRHS() : BO->getLHS();
    if (isErrorConstant(Other, Ctx))
      return errorTest(BO);
    if (const Stmt *Side = shortSideThatOnlyLogs(BO, Cur)) {
      ShortLogged.push_back({BO, Side});
      return CountUse::ShortLogged;
    }
    Compared = true;
    return CountUse::Compared; // n != len, n < len, n == sizeof buf, n != 1
  }

  // `m = n`: a plain local is followed (and the assignment's own value used); `err = n` on
  // the failure side keeps an error code; a member or a pointee keeps it for later.
  std::optional<CountUse> useByAssignment(const BinaryOperator *BO, const Stmt *Cur,
                                          const Expr *E) {
    if (Cur != BO->getRHS())
      return CountUse::Ignored;
    const VarDecl *VD = plainLocal(BO->getLHS());
    if (!VD)
      return CountUse::LookedAt; // stored in a member, through a pointer, ...
    // `if (err < 0) result = err;`: an error code is kept, not progress.
    if (onFailureSide(E))
      return errorTest(BO);
    follow(VD, BO->getRHS());
    // `if ((n = write(...)) < 0)` also looks at the value right here.
    return use(BO);
  }

  /// `off = off + n` (through parentheses and casts): the count accumulated into `off`.
  bool accumulatedBySum(const BinaryOperator *BO, const Stmt *Cur) {
    const Expr *Other = Cur == BO->getLHS() ? BO->getRHS() : BO->getLHS();
    const Stmt *Up = BO;
    DynTypedNode UP = parentPast(Up, Index, /*ExplicitCasts=*/true);
    const auto *Assign = UP.get<BinaryOperator>();
    const ValueDecl *Into = nullptr;
    if (!Assign || Assign->getOpcode() != BO_Assign || Assign->getRHS() != Up ||
        !(Into = updatedDecl(Assign->getLHS())) || Into != updatedDecl(Other))
      return false;
    Accumulations.push_back({Into, Assign});
    return true;
  }

  // Handed to a call that asks what the failure was (`SSL_get_error(ssl, n)`,
  // `ops->get_error(ssl, n)`, `report_error(c, n)`): a test for failure, not a use of the
  // count. So is a count handed on where a test has found it a failure (`if (r > 0) ... else
  // conn_closed(c, err, r)`): it carries no progress there. Printed in a message: reported,
  // not handled. Any other argument is passed on.
  CountUse useByCall(const CallExpr *CE, const Stmt *Cur, const Expr *E) {
    if (Cur != CE->getCallee() && isLoggingCall(CE))
      return CountUse::Ignored;
    Callee C = calleeOf(CE);
    if (C && Cur != CE->getCallee() &&
        (StateVocabulary::mentionsFailure(C.name()) || onFailureSide(E)))
      return errorTest(CE);
    return CountUse::LookedAt;
  }

  /// Follows the local \p VD, which \p Value (an initializer, an assignment's right side)
  /// gives the count.
  /// `if (n != len) log(...);`: the branch a short count takes, when it is an if's whole
  /// condition and that branch only logs; null otherwise.
  const Stmt *shortSideThatOnlyLogs(const BinaryOperator *BO, const Stmt *Count) {
    const Stmt *Cond = BO;
    const auto *If = parentPast(Cond, Index).get<IfStmt>();
    if (!If || If->getCond() != Cond)
      return nullptr;
    bool Left = Count == BO->getLHS();
    bool ShortIsThen;
    switch (BO->getOpcode()) {
    case BO_NE: ShortIsThen = true; break;
    case BO_EQ: ShortIsThen = false; break;
    case BO_LT: ShortIsThen = Left; break;  // n < len / len < n
    case BO_GT: ShortIsThen = !Left; break; // len > n
    case BO_GE: if (!Left) return nullptr; ShortIsThen = false; break; // n >= len
    case BO_LE: if (Left) return nullptr; ShortIsThen = false; break;  // len <= n
    default: return nullptr;
    }
    if (BO->getOpcode() == BO_LT && !Left)
      return nullptr; // len < n: an overrun test
    const Stmt *Side = ShortIsThen ? If->getThen() : If->getElse();
    auto Dead = [&](const Expr *E) { return deadAfter(updatedLocal(E), If); };
    return Side && onlyLogs(Side, 0, Dead) ? Side : nullptr;
  }

  /// True if \p Ref lies on the short side of a comparison that only logs (or advances
  /// locals nobody reads again): what it does with the count there is already judged.
  bool inShortSide(const DeclRefExpr *Ref) {
    for (const auto &[Cmp, Side] : ShortLogged)
      if (containsStmt(Side, Ref))
        return true;
    return false;
  }

  /// True if \p VD is not read after \p If: the if is in no loop of its function, the
  /// function has no goto, and no reference to \p VD follows the if in the source.
  bool deadAfter(const VarDecl *VD, const IfStmt *If) {
    if (!VD)
      return false;
    const auto *FD = dyn_cast_or_null<FunctionDecl>(VD->getParentFunctionOrMethod());
    if (!FD || !FD->getBody())
      return false;
    for (const Stmt *Cur = If;;) {
      const Stmt *P = Index.parent(*Cur).get<Stmt>();
      if (!P)
        break;
      if (isa<ForStmt>(P) || isa<WhileStmt>(P) || isa<DoStmt>(P) || isa<CXXForRangeStmt>(P))
        return false;
      Cur = P;
    }
    const SourceManager &SM = Ctx.getSourceManager();
    SourceLocation End = If->getEndLoc();
    llvm::SmallVector<const Stmt *, 32> Work{FD->getBody()};
    for (unsigned Steps = 0; !Work.empty() && Steps < 20000; ++Steps) {
      const Stmt *S = Work.pop_back_val();
      if (!S)
        continue;
      if (isa<GotoStmt>(S) || isa<IndirectGotoStmt>(S))
        return false;
      if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
        if (DRE->getDecl() == VD && SM.isBeforeInTranslationUnit(End, DRE->getBeginLoc()))
          return false;
      for (const Stmt *C : S->children())
        Work.push_back(C);
    }
    return true;
  }

  /// True if \p E reads a local on the side of a sign test that found it a failure: the
  /// else branch of `if (n > 0)`, the then branch of `if (n <= 0)` or `if (n < 0)`.
  bool onFailureSide(const Expr *E) {
    const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    const auto *VD = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
    if (!VD)
      return false;
    const Stmt *Cur = Ref;
    for (unsigned Depth = 0; Depth < 2 * MaxDepth; ++Depth) {
      const Stmt *P = Index.parent(*Cur).get<Stmt>();
      if (!P)
        return false;
      if (const auto *If = dyn_cast<IfStmt>(P)) {
        if (Cur != If->getCond()) {
          std::optional<bool> Positive = signTest(If->getCond(), VD);
          if (Positive && (*Positive ? Cur == If->getElse() : Cur == If->getThen()))
            return true;
        }
      }
      Cur = P;
    }
    return false;
  }

  /// For a test of \p VD's sign: true when it holds for a positive count (`n > 0`,
  /// `n >= 1`), false when it holds for a failure (`n <= 0`, `n < 0`, `n == -1`).
  std::optional<bool> signTest(const Expr *Cond, const VarDecl *VD) {
    const auto *BO = dyn_cast<BinaryOperator>(Cond->IgnoreParenImpCasts());
    if (!BO)
      return std::nullopt;
    const auto *L = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts());
    if (!L || L->getDecl() != VD)
      return std::nullopt;
    Expr::EvalResult R;
    if (BO->getRHS()->isValueDependent() || !BO->getRHS()->EvaluateAsInt(R, Ctx))
      return std::nullopt;
    int64_t V = R.Val.getInt().getExtValue();
    switch (BO->getOpcode()) {
    case BO_GT: return V == 0 ? std::optional<bool>(true) : std::nullopt;
    case BO_GE: return V == 1 ? std::optional<bool>(true) : std::nullopt;
    case BO_LE: return V == 0 ? std::optional<bool>(false) : std::nullopt;
    case BO_LT: return V <= 0 ? std::optional<bool>(false) : std::nullopt;
    case BO_EQ: return V < 0 ? std::optional<bool>(false) : std::nullopt;
    default: return std::nullopt;
    }
  }

  void follow(const VarDecl *VD, const Expr *Value) {
    Sources.push_back({VD, Value ? Value->IgnoreParenImpCasts() : nullptr});
    if (Followed.insert(VD).second)
      Pending.push_back(VD);
  }

  /// False when \p Ref reads \p VD only where another assignment has replaced the count
  /// on every path: code that reuses one `n` for several writes checks each on its own.
  bool readsTheCount(const DeclRefExpr *Ref, const VarDecl *VD, const FunctionDecl *FD) {
    if (llvm::is_contained(Sources, std::make_pair(VD, static_cast<const Expr *>(nullptr))))
      return true;
    llvm::SmallVector<const Expr *, 4> Values;
    if (!Index.reachingValues(Ref, VD, Values))
      return reachedByWrite(Ref, FD); // unknown: as if it did, where the write leads
    return llvm::any_of(Values, [&](const Expr *V) {
      return llvm::is_contained(Sources, std::make_pair(VD, V->IgnoreParenImpCasts()));
    });
  }

  /// Every use of every followed local, flow-insensitively over its function.
  void drain() {
    while (!Pending.empty() && !LookedAt) {
      if (Followed.size() > MaxLocals) {
        LookedAt = true;
        return;
      }
      const VarDecl *VD = Pending.pop_back_val();
      const auto *FD = dyn_cast_or_null<FunctionDecl>(VD->getParentFunctionOrMethod());
      if (!FD || !FD->hasBody()) {
        LookedAt = true;
        return;
      }
      for (const DeclRefExpr *Ref : Index.references(VD)) {
        const Stmt *Lvalue = Ref;
        DynTypedNode P = Index.parent(*Ref);
        while (P.get<ParenExpr>()) {
          Lvalue = P.get<ParenExpr>();
          P = Index.parent(*Lvalue);
        }
        const Stmt *PS = P.get<Stmt>();
        // Plain assignments to the local are new definitions, not uses.
        if (const auto *BO = dyn_cast_or_null<BinaryOperator>(PS))
          if (BO->getOpcode() == BO_Assign && BO->getLHS() == Lvalue)
            continue;
        const auto *ICE = dyn_cast_or_null<ImplicitCastExpr>(PS);
        if (!ICE || ICE->getCastKind() != CK_LValueToRValue) {
          if (!reachedByWrite(Ref, FD))
            continue;
          // &n, n += ..., ++n, a reference binding: the count goes where we do not follow.
          LookedAt = true;
          return;
        }
        if (!readsTheCount(Ref, VD, FD) || inShortSide(Ref))
          continue;
        if (use(Ref) == CountUse::LookedAt) {
          LookedAt = true;
          return;
        }
      }
    }
  }
};

/// True if the call reports its progress through an integer out-argument (sendfile's
/// `off_t *offset`): code that loops on that offset follows the short writes.
bool tracksProgressThroughArgument(const CallExpr *Call, const Callee &C, unsigned Shift) {
  for (unsigned I = Shift; I < Call->getNumArgs(); ++I) {
    unsigned P = I - Shift;
    if (P >= C.numParams())
      break;
    QualType PT = C.paramType(P);
    // Bytes are data, not a progress counter: a writable `unsigned char *` buffer handed
    // `&c->buf[sent]` (paho's mqttwrite) is where the write reads from.
    if (!PT->isPointerType() || PT->getPointeeType().isConstQualified() ||
        !PT->getPointeeType()->isIntegerType() || PT->getPointeeType()->isAnyCharacterType())
      continue;
    if (const auto *UO = dyn_cast<UnaryOperator>(Call->getArg(I)->IgnoreParenImpCasts()))
      if (UO->getOpcode() == UO_AddrOf &&
          !isa<ArraySubscriptExpr>(UO->getSubExpr()->IgnoreParenImpCasts()))
        return true;
  }
  return false;
}

/// True if the call is handed a request object (`&req`, or a pointer to one) and the function
/// reads a member of it as progress (`left -= req.result`, `req->result < size`): libuv's
/// file-system requests leave their count in `result` as well as returning it.
bool readsProgressFromRequest(const CallExpr *Call, DiscardClassifier &Index) {
  ASTContext &Ctx = Index.context();
  for (const Expr *Arg : Call->arguments()) {
    // The data (`const struct iovec *`, `const struct msghdr *`) is read, not written back.
    if (!Arg->getType()->isPointerType() || Arg->getType()->getPointeeType().isConstQualified())
      continue;
    const Expr *E = Arg->IgnoreParenImpCasts();
    bool AddrOf = false;
    if (const auto *UO = dyn_cast<UnaryOperator>(E))
      if (UO->getOpcode() == UO_AddrOf) {
        E = UO->getSubExpr()->IgnoreParenImpCasts();
        AddrOf = true;
      }
    const auto *DRE = dyn_cast<DeclRefExpr>(E);
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    if (!VD || !VD->hasLocalStorage())
      continue;
    QualType T = AddrOf ? VD->getType() : VD->getType()->getPointeeType();
    if (T.isNull() || !T->isRecordType())
      continue;
    // A member the caller itself advances (`session->partial_write += n`, libcoap) is the
    // caller's own progress kept in the object, not a result the request leaves behind.
    llvm::SmallPtrSet<const ValueDecl *, 4> Advanced;
    for (const DeclRefExpr *Ref : Index.references(VD)) {
      const Stmt *Cur = Ref;
      const auto *ME = parentPast(Cur, Index).get<MemberExpr>();
      if (!ME)
        continue;
      Cur = ME;
      const auto *BO = parentPast(Cur, Index, /*ExplicitCasts=*/true).get<BinaryOperator>();
      if (BO && Cur == BO->getLHS() &&
          (BO->getOpcode() == BO_AddAssign || BO->getOpcode() == BO_SubAssign))
        Advanced.insert(ME->getMemberDecl());
    }
    for (const DeclRefExpr *Ref : Index.references(VD)) {
      const Stmt *Cur = Ref;
      const auto *ME = parentPast(Cur, Index).get<MemberExpr>();
      if (!ME || !ME->getType()->isIntegerType() || Advanced.count(ME->getMemberDecl()))
        continue;
      Cur = ME;
      const auto *BO = parentPast(Cur, Index, /*ExplicitCasts=*/true).get<BinaryOperator>();
      if (!BO || (Cur == BO->getLHS() && BO->isAssignmentOp()))
        continue;
      const Expr *Other = Cur == BO->getLHS() ? BO->getRHS() : BO->getLHS();
      if (BO->isAdditiveOp() || BO->getOpcode() == BO_AddAssign ||
          BO->getOpcode() == BO_SubAssign ||
          (BO->isComparisonOp() && !isErrorConstant(Other, Ctx)))
        return true;
    }
  }
  return false;
}

/// A write guessed from a function pointer's name and signature (PointerRoles.h) may be a
/// status-returning call (`rc = m->xWrite(...); if (rc != OK)`): only a caller that tests the
/// result's sign (`n < 0`, `n <= 0`, `n > 0`) treats it as a count.
bool testsOnlyTheSign(llvm::ArrayRef<const Expr *> Tests) {
  auto Relational = [](const Expr *E) {
    const auto *BO = dyn_cast<BinaryOperator>(E);
    return BO && BO->isRelationalOp();
  };
  // A question about the failure (`get_error(ssl, n)`) tells neither way.
  return llvm::any_of(Tests, Relational) && llvm::all_of(Tests, [&](const Expr *E) {
           return Relational(E) || isa<CallExpr>(E);
         });
}

std::string lengthText(const Expr *Len, ASTContext &Ctx) {
  if (!Len)
    return "";
  // `(size_t)len` is named as `len`: the cast says nothing about what is left.
  const Expr *Bare = Len->IgnoreParenCasts();
  if (isa<DeclRefExpr>(Bare) || isa<MemberExpr>(Bare))
    Len = Bare;
  const SourceManager &SM = Ctx.getSourceManager();
  CharSourceRange Range = CharSourceRange::getTokenRange(Len->getSourceRange());
  if (Len->getBeginLoc().isMacroID() || Len->getEndLoc().isMacroID())
    Range = Lexer::makeFileCharRange(Range, SM, Ctx.getLangOpts());
  if (Range.isInvalid())
    return "";
  llvm::StringRef Text = Lexer::getSourceText(Range, SM, Ctx.getLangOpts());
  if (Text.empty() || Text.size() > 40 || Text.contains('\n'))
    return "";
  return Text.str();
}

//===--- remainder accounting ---------------------------------------------===//
//
// A count that only grows (or shrinks) variables is followed one step further: the bytes a
// write did not take must be written next, so one of the variables it updates has to reach a
// later write's buffer (p += n, off += n, c->sentlen += n). The facts are gathered in one walk
// of the function body and are flow-insensitive, like the count's uses above.

bool isLoop(const Stmt *S) {
  return isa<ForStmt>(S) || isa<WhileStmt>(S) || isa<DoStmt>(S) || isa<CXXForRangeStmt>(S);
}

/// What one walk of the function body tells about the variables.
struct BodyFacts {
  struct Def {
    const ValueDecl *Into;
    const Stmt *Value; ///< null: ++/--, address taken, a loop variable
    const Stmt *At;
  };
  llvm::SmallVector<Def, 16> Defs;
  /// Calls, stores outside the function's locals, comparisons and returns, in source order.
  llvm::SmallVector<const CallExpr *, 16> Calls;
  llvm::SmallVector<const BinaryOperator *, 8> OutsideStores;
  llvm::SmallVector<const BinaryOperator *, 16> Comparisons;
  llvm::SmallVector<const ReturnStmt *, 8> Returns;

  static bool isLocal(const ValueDecl *D) {
    const auto *VD = dyn_cast_or_null<VarDecl>(D);
    return VD && VD->hasLocalStorage() && !VD->getType()->isReferenceType();
  }

  void walk(const Stmt *S, unsigned Depth = 0) {
    if (!S || Depth > 256)
      return;
    if (isa<LambdaExpr>(S))
      return; // a lambda's body runs elsewhere
    if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      if (BO->isAssignmentOp()) {
        const ValueDecl *Into = updatedDecl(BO->getLHS());
        if (Into)
          Defs.push_back({Into, BO->getRHS(), BO});
        if (!Into || !isLocal(Into))
          OutsideStores.push_back(BO);
      } else if (BO->isComparisonOp()) {
        Comparisons.push_back(BO);
      }
    } else if (const auto *UO = dyn_cast<UnaryOperator>(S)) {
      if (UO->isIncrementDecrementOp() || UO->getOpcode() == UO_AddrOf)
        if (const ValueDecl *Into = updatedDecl(UO->getSubExpr()))
          Defs.push_back({Into, nullptr, UO});
    } else if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          Defs.push_back({VD, VD->getInit(), DS});
    } else if (const auto *FR = dyn_cast<CXXForRangeStmt>(S)) {
      Defs.push_back({FR->getLoopVariable(), nullptr, FR});
    } else if (const auto *CE = dyn_cast<CallExpr>(S)) {
      Calls.push_back(CE);
    } else if (const auto *RS = dyn_cast<ReturnStmt>(S)) {
      Returns.push_back(RS);
    }
    for (const Stmt *C : S->children())
      walk(C, Depth + 1);
  }
};

void collectStmts(const Stmt *S, llvm::SmallPtrSetImpl<const Stmt *> &Out, unsigned Depth = 0) {
  if (!S || Depth > 256 || !Out.insert(S).second)
    return;
  for (const Stmt *C : S->children())
    collectStmts(C, Out, Depth + 1);
}

/// True if \p S names one of \p Decls (a variable, or a member of any object).
bool refersTo(const Stmt *S, const llvm::SmallPtrSetImpl<const ValueDecl *> &Decls,
              unsigned Depth = 0) {
  if (!S || Depth > 64)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    if (Decls.count(DRE->getDecl()))
      return true;
  if (const auto *ME = dyn_cast<MemberExpr>(S))
    if (Decls.count(ME->getMemberDecl()))
      return true;
  for (const Stmt *C : S->children())
    if (refersTo(C, Decls, Depth + 1))
      return true;
  return false;
}

/// True if \p Cond holds when what it names holds (`errno == EAGAIN`, `is_again(err)`,
/// `e == EAGAIN || e == EWOULDBLOCK`), false if it is the negation (`errno != EAGAIN`,
/// `!would_block`, `e != EAGAIN && e != EWOULDBLOCK`).
bool affirms(const Expr *Cond) {
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond))
    if (UO->getOpcode() == UO_LNot)
      return !affirms(UO->getSubExpr());
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond)) {
    if (BO->getOpcode() == BO_NE)
      return false;
    if (BO->isLogicalOp())
      return affirms(BO->getLHS());
  }
  return true;
}

/// The branch of \p If taken when what its condition names holds: the then-branch of
/// `if (errno == EAGAIN)`, the else-branch of `if (errno != EAGAIN)` (null when it has none).
const Stmt *wouldBlockBranch(const IfStmt *If) {
  return affirms(If->getCond()) ? If->getThen() : If->getElse();
}

/// True if \p S names something that means "would block" (EAGAIN, EWOULDBLOCK, NGX_AGAIN,
/// SSL_ERROR_WANT_WRITE, GNUTLS_E_AGAIN, UV_EAGAIN, BIO_should_retry), by the model's pending
/// vocabulary; macros are looked at by name, outermost first.
bool namesWouldBlock(const Stmt *S, const StateVocabulary &V, const SourceManager &SM,
                     const LangOptions &LO, unsigned Depth = 0) {
  if (!S || Depth > 32)
    return false;
  auto Pending = [&](llvm::StringRef Name) {
    // errno names carry an 'E' prefix: EWOULDBLOCK is WOULDBLOCK.
    if (Name.size() > 2 && Name[0] == 'E' && Name.upper() == Name && V.isPending(Name.drop_front()))
      return true;
    return V.isPending(Name);
  };
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    if (DRE->getDecl()->getDeclName().isIdentifier() && Pending(DRE->getDecl()->getName()))
      return true;
  if (isa<IntegerLiteral>(S) || isa<DeclRefExpr>(S) || isa<UnaryOperator>(S)) {
    SourceLocation L = S->getBeginLoc();
    for (unsigned I = 0; I < 8 && L.isMacroID(); ++I) {
      if (Pending(Lexer::getImmediateMacroName(L, SM, LO)))
        return true;
      L = SM.getImmediateMacroCallerLoc(L);
    }
  }
  for (const Stmt *C : S->children())
    if (namesWouldBlock(C, V, SM, LO, Depth + 1))
      return true;
  return false;
}

struct RemainderFacts {
  const CallExpr *Call;
  ApiOp Op;
  unsigned Shift;
  Tracer &T;
  DiscardClassifier &Index;
  const StateVocabulary &Vocab;
};

/// The function body around \p S.
const Stmt *bodyAround(const Stmt *S, DiscardClassifier &Index) {
  for (unsigned Depth = 0; Depth < 512; ++Depth) {
    DynTypedNode P = Index.parent(*S);
    if (const auto *VD = P.get<VarDecl>()) {
      const auto *FD = dyn_cast_or_null<FunctionDecl>(VD->getParentFunctionOrMethod());
      return FD ? FD->getBody() : nullptr;
    }
    const Stmt *PS = P.get<Stmt>();
    if (!PS)
      return S;
    S = PS;
  }
  return nullptr;
}

/// The innermost loop around \p S, or null.
const Stmt *loopAround(const Stmt *S, DiscardClassifier &Index) {
  for (unsigned Depth = 0; Depth < 512; ++Depth) {
    const Stmt *PS = Index.parent(*S).get<Stmt>();
    if (!PS)
      return nullptr;
    if (isLoop(PS))
      return PS;
    S = PS;
  }
  return nullptr;
}

std::string declName(const ValueDecl *D) {
  return D->getDeclName().isIdentifier() ? D->getName().str() : D->getNameAsString();
}

/// The data argument of the write \p Call with the row \p Row: its first pointer argument
/// that is neither its channel nor its length (splice and sendfile read theirs from a
/// descriptor: no pointer to resend from); null if none.
const Expr *dataArgumentOf(const CallExpr *Call, const ApiEntry &Row, unsigned Shift,
                           ASTContext &Ctx) {
  for (unsigned I = Shift; I < Call->getNumArgs(); ++I) {
    int P = static_cast<int>(I - Shift);
    const Expr *Arg = Call->getArg(I);
    if (P == Row.Channel || P == Row.Length)
      continue;
    if (Arg->getType()->isPointerType() &&
        !Arg->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
      return Arg;
  }
  return nullptr;
}

const Expr *dataArgument(const RemainderFacts &R, ASTContext &Ctx) {
  return dataArgumentOf(R.Call, *R.Op.Entry, R.Shift, Ctx);
}

/// The loop a write and the accumulation of its count share, and what the function body does
/// with everything derived from the count.
struct RemainderLoop {
  RemainderFacts &R;
  const Stmt *Loop = nullptr;
  llvm::SmallPtrSet<const Stmt *, 32> InLoop;
  BodyFacts B;
  /// The variables the count updates and, transitively, whatever is computed from them
  /// (p = buf + off, chunk = next(q, sent)).
  llvm::SmallPtrSet<const ValueDecl *, 8> Derived;
  /// The other variables the loop changes.
  llvm::SmallPtrSet<const ValueDecl *, 16> ChangedInLoop;

  /// Null Loop when the accumulation and the write share no loop: the count was used once
  /// (added to what the function returns, a statistic after a write-all loop).
  explicit RemainderLoop(RemainderFacts &R) : R(R) {
    const Stmt *L = loopAround(R.T.Accumulations.front().Update, R.Index);
    const Stmt *Body = bodyAround(R.Call, R.Index);
    if (!L || !Body)
      return;
    collectStmts(L, InLoop);
    if (!InLoop.count(R.Call))
      return;
    Loop = L;
    B.walk(Body);
    for (const Accumulation &A : R.T.Accumulations)
      Derived.insert(A.Into);
    for (const VarDecl *VD : R.T.Followed)
      Derived.insert(VD);
    for (bool Changed = true; Changed;) {
      Changed = false;
      for (const BodyFacts::Def &D : B.Defs)
        if (D.Value && !Derived.count(D.Into) && !asksFailure(D.Value) &&
            refersTo(D.Value, Derived)) {
          Derived.insert(D.Into);
          Changed = true;
        }
    }
    for (const BodyFacts::Def &D : B.Defs)
      if (InLoop.count(D.At) && !Derived.count(D.Into))
        ChangedInLoop.insert(D.Into);
  }

  /// A question about the failure (`err = SSL_get_error(ssl, n)`) answers with an error code,
  /// not with progress.
  bool asksFailure(const Stmt *S) const {
    const auto *E = dyn_cast_or_null<Expr>(S);
    return E && llvm::is_contained(R.T.ErrorTests, E->IgnoreParenImpCasts());
  }

  /// Progress handed on inside the loop: to a call (other than this write) or stored outside
  /// the locals.
  bool escapesInLoop() const {
    for (const CallExpr *CE : B.Calls) {
      if (CE == R.Call || !InLoop.count(CE) || asksFailure(CE))
        continue;
      for (const Expr *Arg : CE->arguments())
        if (refersTo(Arg, Derived))
          return true;
    }
    for (const BinaryOperator *BO : B.OutsideStores)
      if (InLoop.count(BO) && refersTo(BO->getRHS(), Derived))
        return true;
    return false;
  }

  /// Progress compared in the loop with something other than a failure constant.
  bool comparedInLoop(ASTContext &Ctx) const {
    for (const BinaryOperator *BO : B.Comparisons) {
      if (!InLoop.count(BO))
        continue;
      const Expr *L = BO->getLHS(), *Rh = BO->getRHS();
      if ((refersTo(L, Derived) && !isErrorConstant(Rh, Ctx)) ||
          (refersTo(Rh, Derived) && !isErrorConstant(L, Ctx)))
        return true;
    }
    return false;
  }

  /// True if \p RS returns on would-block: its value or a condition it is under says so.
  bool returnsOnWouldBlock(const ReturnStmt *RS, const SourceManager &SM,
                           const LangOptions &LO) const {
    if (RS->getRetValue() && namesWouldBlock(RS->getRetValue(), R.Vocab, SM, LO))
      return true;
    for (const Stmt *S = RS; S != Loop;) {
      const Stmt *PS = R.Index.parent(*S).get<Stmt>();
      if (!PS)
        return false;
      if (const auto *If = dyn_cast<IfStmt>(PS))
        if (S != If->getCond() && S == wouldBlockBranch(If) &&
            namesWouldBlock(If->getCond(), R.Vocab, SM, LO))
          return true;
      S = PS;
    }
    return false;
  }
};

/// How the write's arguments depend on the count and on the loop.
struct RetryArgs {
  const Expr *Buffer = nullptr;
  bool BufferAdvances = false; ///< an argument other than the channel and length is derived
  bool LengthShrinks = false;  ///< the length is derived
  bool ArgsVary = false;       ///< an argument (or the object) changes otherwise in the loop
};

RetryArgs retryArgs(const RemainderLoop &L, ASTContext &Ctx) {
  const RemainderFacts &R = L.R;
  RetryArgs A;
  A.Buffer = dataArgument(R, Ctx);
  int Channel = R.Op.Entry->Channel;
  for (unsigned I = R.Shift; I < R.Call->getNumArgs(); ++I) {
    int P = static_cast<int>(I - R.Shift);
    const Expr *Arg = R.Call->getArg(I);
    if (refersTo(Arg, L.ChangedInLoop))
      A.ArgsVary = true;
    if (P == Channel)
      continue;
    bool Refers = refersTo(Arg, L.Derived);
    if (P == R.Op.Entry->Length)
      A.LengthShrinks |= Refers;
    else
      A.BufferAdvances |= Refers;
  }
  if (Channel == ChannelImplicitObject)
    if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(R.Call))
      A.ArgsVary |= refersTo(MCE->getImplicitObjectArgument(), L.ChangedInLoop);
  return A;
}

/// The loop advances; a would-block exit must hand the progress back or keep it.
std::optional<Finding> lostOnWouldBlock(const RemainderLoop &L, const std::string &Name,
                                        SourceLocation UpdateLoc, Finding &F) {
  ASTContext &Ctx = L.R.Index.context();
  const SourceManager &SM = Ctx.getSourceManager();
  bool LocalProgress = false;
  for (const Accumulation &A : L.R.T.Accumulations)
    LocalProgress |= BodyFacts::isLocal(A.Into);
  if (!LocalProgress || L.escapesInLoop())
    return std::nullopt;
  std::string Acc = declName(L.R.T.Accumulations.front().Into);
  for (const ReturnStmt *RS : L.B.Returns) {
    if (!L.InLoop.count(RS) || (RS->getRetValue() && refersTo(RS->getRetValue(), L.Derived)))
      continue;
    if (!L.returnsOnWouldBlock(RS, SM, Ctx.getLangOpts()))
      continue;
    F.Message = "bytes already written by '" + Name + "' are lost when the loop returns on "
                "would-block: '" + Acc + "' is neither returned nor stored, so the caller "
                "writes them again";
    F.Notes.push_back({SM.getFileLoc(RS->getBeginLoc()),
                       "returns on would-block here without '" + Acc +
                           "'; return the count or keep the offset for the retry"});
    F.Notes.push_back({UpdateLoc, "'" + Acc + "' counts the bytes written here"});
    return F;
  }
  return std::nullopt;
}

std::optional<Finding> remainderFinding(RemainderFacts &R, const std::string &Name,
                                       Finding &F) {
  ASTContext &Ctx = R.Index.context();
  const SourceManager &SM = Ctx.getSourceManager();
  RemainderLoop L(R);
  if (!L.Loop)
    return std::nullopt;
  RetryArgs A = retryArgs(L, Ctx);
  const Accumulation &First = R.T.Accumulations.front();
  std::string Acc = declName(First.Into);
  SourceLocation UpdateLoc = SM.getFileLoc(First.Update->getExprLoc());
  SourceLocation BufferLoc = A.Buffer ? SM.getFileLoc(A.Buffer->getBeginLoc()) : F.Loc;
  if (A.BufferAdvances)
    return lostOnWouldBlock(L, Name, UpdateLoc, F);
  // The loop writes the wrong bytes next: a note where it writes from, one where the count
  // changes the variable (\p How: "grows", "shrinks").
  auto WrongNext = [&](std::string Message, const char *AtBuffer, const char *How) {
    F.Message = std::move(Message);
    F.Notes.push_back({BufferLoc, AtBuffer});
    F.Notes.push_back({UpdateLoc, "'" + Acc + "' " + How + " by the count here"});
    return F;
  };
  if (A.LengthShrinks && A.Buffer)
    return WrongNext("a retry of '" + Name + "' resends the start of the buffer: the count "
                     "shrinks '" + Acc + "' but the pointer is never advanced",
                     "the same pointer is written from on every retry; advance it by the count",
                     "shrinks");
  if (A.Buffer && L.comparedInLoop(Ctx))
    return WrongNext("a retry of '" + Name + "' resends the original buffer: the count only "
                     "grows '" + Acc + "'",
                     "the next write starts from the same pointer; advance it and the length by "
                     "the count",
                     "grows");
  // Handing the total on after the loop (evbuffer_drain(out, n_written)) cannot fill the
  // hole a short write left in the middle; a call inside the loop may be what advances.
  if (!A.LengthShrinks && A.ArgsVary && !L.escapesInLoop())
    return WrongNext("the count of '" + Name + "' only grows '" + Acc +
                         "' while the loop moves on; a short write's remainder is never written",
                     "the next iteration writes other data; compare the count with the "
                     "requested length or write the rest first",
                     "grows");
  return std::nullopt;
}

//===--- what a short count reaches ---------------------------------------===//
//
// A count that is compared is still lost when the path a short count takes (0 < n < len) does
// the wrong thing with it: advances the offset by the requested length instead of the count,
// or retries with the pointer advanced but the full length again. These questions are asked
// on the CFG, following from the write only the edges a short count can take.

/// The decl a plain reference names: a variable, or a member (of any object).
const ValueDecl *namedDecl(const Expr *E) {
  E = E->IgnoreParenCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return DRE->getDecl();
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return ME->getMemberDecl();
  return nullptr;
}

void collectDecls(const Stmt *S, llvm::SmallPtrSetImpl<const ValueDecl *> &Out,
                  unsigned Depth = 0) {
  if (!S || Depth > 64)
    return;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    Out.insert(DRE->getDecl());
  if (const auto *ME = dyn_cast<MemberExpr>(S))
    Out.insert(ME->getMemberDecl());
  for (const Stmt *C : S->children())
    collectDecls(C, Out, Depth + 1);
}

/// The function whose body holds the write: the focused one, or the one a followed local
/// belongs to; null if neither.
const FunctionDecl *functionAround(const RemainderFacts &R, const Stmt *Body) {
  const FunctionDecl *Focused = R.Index.focusedFunction();
  if (Focused && Focused->getBody() == Body)
    return Focused;
  const FunctionDecl *FD = nullptr;
  for (const VarDecl *VD : R.T.Followed)
    if (const auto *P = dyn_cast_or_null<FunctionDecl>(VD->getParentFunctionOrMethod()))
      if (P->getBody() == Body)
        FD = P;
  return FD;
}

/// Where a short count can go from the write, on the CFG (built when first asked).
struct ShortReach {
  const RemainderFacts &R;
  ASTContext &Ctx;
  const FunctionDecl *FD;
  std::optional<ShortPaths> Paths;

  /// True if \p S is evaluated after the write on a path its count may be short on.
  bool reaches(const Stmt *S) {
    if (!Paths)
      Paths.emplace(R.Call, &R.T.Followed, Ctx, FD);
    return Paths->valid() && Paths->reaches(S);
  }
};

/// The amount \p BO advances \p Into by: `off += by`, `off = off + by`, `off = by + off`.
const Expr *advanceOf(const BinaryOperator *BO, const ValueDecl *Into) {
  if (BO->getOpcode() == BO_AddAssign)
    return BO->getRHS();
  if (BO->getOpcode() != BO_Assign)
    return nullptr;
  const auto *Sum = dyn_cast<BinaryOperator>(BO->getRHS()->IgnoreParenCasts());
  if (!Sum || Sum->getOpcode() != BO_Add)
    return nullptr;
  if (namedDecl(Sum->getLHS()) == Into)
    return Sum->getRHS();
  if (namedDecl(Sum->getRHS()) == Into)
    return Sum->getLHS();
  return nullptr;
}

/// The offset of the data advanced by the requested length where the count may be short:
/// `rc = send(fd, &p->outbuf[p->osent], length, 0); ... p->osent += length;`.
std::optional<Finding> advancedByLength(const BodyFacts &B, ShortReach &Short,
                                        const llvm::SmallPtrSetImpl<const ValueDecl *> &InBuffer,
                                        const ValueDecl *LenDecl, const std::string &Name,
                                        Finding &F) {
  const SourceManager &SM = Short.Ctx.getSourceManager();
  for (const BodyFacts::Def &D : B.Defs) {
    const auto *BO = dyn_cast<BinaryOperator>(D.At);
    if (!BO || !InBuffer.count(D.Into) || D.Into == LenDecl)
      continue;
    const Expr *By = advanceOf(BO, D.Into);
    if (!By || namedDecl(By) != LenDecl || !Short.reaches(BO))
      continue;
    std::string Off = declName(D.Into), Len = declName(LenDecl);
    F.Message = "after a short write by '" + Name + "', '" + Off +
                "' is advanced by the requested length '" + Len +
                "', not by the count; the rest of the data is never written";
    F.Notes.push_back({SM.getFileLoc(BO->getExprLoc()),
                       "'" + Off + "' is advanced by '" + Len +
                           "' here, where the count may be short; advance it by the count"});
    return F;
  }
  return std::nullopt;
}

/// The accumulation of the count into a variable of the data pointer that shares a loop with
/// the write (the write may be a local's initializer, which has no statement parent to climb
/// from); \p InLoop gets that loop's statements. Null if none.
const Accumulation *advanceInLoop(const RemainderFacts &R,
                                  const llvm::SmallPtrSetImpl<const ValueDecl *> &InBuffer,
                                  llvm::SmallPtrSetImpl<const Stmt *> &InLoop) {
  for (const Accumulation &A : R.T.Accumulations) {
    if (!InBuffer.count(A.Into))
      continue;
    if (const Stmt *Loop = loopAround(A.Update, R.Index)) {
      InLoop.clear();
      collectStmts(Loop, InLoop);
      if (InLoop.count(R.Call))
        return &A;
    }
  }
  // A retry made with `goto` (rabbitmq-c's start_send): no loop statement, so the whole body
  // stands for the loop; the caller still asks the CFG whether a short count leads back.
  for (const Accumulation &A : R.T.Accumulations) {
    if (!InBuffer.count(A.Into) || loopAround(A.Update, R.Index) || loopAround(R.Call, R.Index))
      continue;
    const Stmt *Body = bodyAround(R.Call, R.Index);
    if (!Body || Body != bodyAround(A.Update, R.Index))
      continue;
    InLoop.clear();
    collectStmts(Body, InLoop);
    return &A;
  }
  return nullptr;
}

/// A retry from the advanced pointer with the full length again:
/// `do { n = write(fd, msg + off, len); ...; off += n; } while (n != len);`.
std::optional<Finding> fullLengthRetry(const BodyFacts &B, ShortReach &Short,
                                       const llvm::SmallPtrSetImpl<const ValueDecl *> &InBuffer,
                                       const Expr *LenArg, const std::string &Name, Finding &F) {
  const RemainderFacts &R = Short.R;
  llvm::SmallPtrSet<const Stmt *, 32> InLoop;
  const Accumulation *Advance = advanceInLoop(R, InBuffer, InLoop);
  if (!Advance || refersTo(LenArg, llvm::SmallPtrSet<const ValueDecl *, 1>{Advance->Into}))
    return std::nullopt;
  llvm::SmallPtrSet<const ValueDecl *, 8> InLength;
  collectDecls(LenArg, InLength);
  for (const BodyFacts::Def &D : B.Defs)
    if (InLength.count(D.Into) && InLoop.count(D.At))
      return std::nullopt; // the length is recomputed in the loop
  for (const VarDecl *VD : R.T.Followed)
    if (InLength.count(VD))
      return std::nullopt;
  if (!Short.reaches(Advance->Update) || !Short.Paths->backToWrite())
    return std::nullopt;
  const SourceManager &SM = Short.Ctx.getSourceManager();
  std::string Acc = declName(Advance->Into);
  std::string LenText = lengthText(LenArg, Short.Ctx);
  std::string Len = LenText.empty() ? "the length" : "'" + LenText + "'";
  F.Message = "a retry of '" + Name + "' starts further into the buffer but asks for the full " +
              "length again: '" + Acc + "' grows by the count, " + Len +
              " never shrinks, and the write reads past the end of the data";
  F.Notes.push_back({SM.getFileLoc(LenArg->getBeginLoc()),
                     "the length is the same on every retry; pass what is left"});
  F.Notes.push_back({SM.getFileLoc(Advance->Update->getExprLoc()),
                     "'" + Acc + "' grows by the count here"});
  return F;
}

std::optional<Finding> shortPathFinding(RemainderFacts &R, const std::string &Name,
                                        Finding &F) {
  ASTContext &Ctx = R.Index.context();
  const Stmt *Body = bodyAround(R.Call, R.Index);
  const FunctionDecl *FD = functionAround(R, Body);
  if (!FD || !Body)
    return std::nullopt;
  int Length = R.Op.Entry->Length;
  if (Length < 0 || static_cast<unsigned>(Length) + R.Shift >= R.Call->getNumArgs())
    return std::nullopt;
  const Expr *LenArg = R.Call->getArg(Length + R.Shift);
  const Expr *Buffer = dataArgument(R, Ctx);
  if (!Buffer)
    return std::nullopt;
  llvm::SmallPtrSet<const ValueDecl *, 8> InBuffer;
  collectDecls(Buffer, InBuffer);
  const ValueDecl *LenDecl = namedDecl(LenArg);
  BodyFacts B;
  B.walk(Body);
  ShortReach Short{R, Ctx, FD, std::nullopt};
  if (LenDecl && !isa<EnumConstantDecl>(LenDecl))
    if (std::optional<Finding> Found = advancedByLength(B, Short, InBuffer, LenDecl, Name, F))
      return Found;
  return fullLengthRetry(B, Short, InBuffer, LenArg, Name, F);
}

//===--- the data pointer moving backwards --------------------------------===//
//
// The count must move the data pointer forwards: `p += n`, `off += n` with `buf + off`, or
// `left -= n` with `end - left`. A write whose pointer moves backwards by the count (`p -= n`,
// rabbitmq-c's `buf_left = (char *)buf_left - res`) or whose offset is subtracted from the
// pointer while it grows by the count (libcoap's `token - hdr_size - partial_write` with
// `partial_write += n`) sends bytes from before the data next, and never the rest. Whether the
// count is also compared, returned or switched on does not matter: the bytes are wrong.

/// The sign each variable or member has in the pointer expression \p E: `buf + off` gives
/// `buf` and `off` +1, `end - left` gives `left` -1, `&buf[-off]` gives `off` -1. A member
/// counts as one term (`c->sentlen`: `sentlen`, not `c`); a decl met with both signs, or under
/// any other operation (`off * 2`, a call), gets 0 and says nothing.
void signedTerms(const Expr *E, int Sign, llvm::DenseMap<const ValueDecl *, int> &Out,
                 unsigned Depth = 0) {
  if (!E || Depth > 32)
    return;
  auto Note = [&](const ValueDecl *D, int S) {
    auto Ins = Out.try_emplace(D, S);
    if (!Ins.second && Ins.first->second != S)
      Ins.first->second = 0;
  };
  E = E->IgnoreParens();
  if (const auto *Cast = dyn_cast<CastExpr>(E))
    return signedTerms(Cast->getSubExpr(), Sign, Out, Depth + 1);
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return Note(DRE->getDecl(), Sign);
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return Note(ME->getMemberDecl(), Sign);
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    if (BO->getOpcode() == BO_Add) {
      signedTerms(BO->getLHS(), Sign, Out, Depth + 1);
      signedTerms(BO->getRHS(), Sign, Out, Depth + 1);
      return;
    }
    if (BO->getOpcode() == BO_Sub && !BO->getRHS()->getType()->isPointerType()) {
      signedTerms(BO->getLHS(), Sign, Out, Depth + 1);
      signedTerms(BO->getRHS(), -Sign, Out, Depth + 1);
      return;
    }
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    if (UO->getOpcode() == UO_Minus)
      return signedTerms(UO->getSubExpr(), -Sign, Out, Depth + 1);
    if (UO->getOpcode() == UO_Plus)
      return signedTerms(UO->getSubExpr(), Sign, Out, Depth + 1);
    if (UO->getOpcode() == UO_AddrOf)
      if (const auto *AS = dyn_cast<ArraySubscriptExpr>(UO->getSubExpr()->IgnoreParens())) {
        // &buf[off]: buf + off.
        signedTerms(AS->getBase(), Sign, Out, Depth + 1);
        signedTerms(AS->getIdx(), Sign, Out, Depth + 1);
        return;
      }
  }
  if (const auto *CO = dyn_cast<ConditionalOperator>(E)) {
    signedTerms(CO->getTrueExpr(), Sign, Out, Depth + 1);
    signedTerms(CO->getFalseExpr(), Sign, Out, Depth + 1);
    return;
  }
  // Anything else (a call, an element of an array of pointers, a product): its decls have no
  // sign we can tell.
  llvm::SmallPtrSet<const ValueDecl *, 8> Inside;
  collectDecls(E, Inside);
  for (const ValueDecl *D : Inside)
    Note(D, 0);
}

/// The variable an lvalue is rooted at: `iov` in `iov[i].iov_base`, `c` in `c->out.buf`.
const ValueDecl *rootDecl(const Expr *E) {
  for (unsigned Guard = 0; E && Guard < 16; ++Guard) {
    E = E->IgnoreParenCasts();
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      E = ME->getBase();
    } else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
      E = AS->getBase();
    } else if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() != UO_Deref)
        return nullptr;
      E = UO->getSubExpr();
    } else if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      return DRE->getDecl();
    } else {
      return nullptr;
    }
  }
  return nullptr;
}

/// An update of a variable or member by the count: `X += n`, `X -= n`, `X = X + n`,
/// `X = (char *)X - n`, `X = n + X`, where `n` holds the count of the write.
struct CountStep {
  const BinaryOperator *At;
  const Expr *Target; ///< the updated lvalue
  const ValueDecl *Into;
  int Dir; ///< +1 grows, -1 shrinks
};

std::optional<CountStep> countStep(const BinaryOperator *BO,
                                   llvm::function_ref<bool(const Expr *)> IsCount) {
  const ValueDecl *Into = updatedDecl(BO->getLHS());
  if (!Into)
    return std::nullopt;
  if (BO->getOpcode() == BO_AddAssign || BO->getOpcode() == BO_SubAssign) {
    if (!IsCount(BO->getRHS()))
      return std::nullopt;
    return CountStep{BO, BO->getLHS(), Into, BO->getOpcode() == BO_AddAssign ? 1 : -1};
  }
  if (BO->getOpcode() != BO_Assign)
    return std::nullopt;
  const auto *Sum = dyn_cast<BinaryOperator>(BO->getRHS()->IgnoreParenCasts());
  if (!Sum || !Sum->isAdditiveOp())
    return std::nullopt;
  auto Same = [&](const Expr *E) {
    return namedDecl(E) == Into && rootDecl(E) == rootDecl(BO->getLHS());
  };
  if (Same(Sum->getLHS()) && IsCount(Sum->getRHS()))
    return CountStep{BO, BO->getLHS(), Into, Sum->getOpcode() == BO_Add ? 1 : -1};
  if (Sum->getOpcode() == BO_Add && Same(Sum->getRHS()) && IsCount(Sum->getLHS()))
    return CountStep{BO, BO->getLHS(), Into, 1};
  return std::nullopt;
}

/// The message and notes of a data pointer moved backwards by step \p S of a term whose sign in
/// the pointer \p Buffer is \p Sign: `p -= n` (the term itself moves back), or `base - off`
/// with `off` growing (the term grows but is subtracted).
void describeBackwardsStep(const CountStep &S, int Sign, const Expr *Buffer,
                           const std::string &Name, const SourceManager &SM, Finding &F) {
  std::string Term = declName(S.Into);
  SourceLocation StepLoc = SM.getFileLoc(S.At->getExprLoc());
  if (Sign > 0) {
    F.Message = "after a short write by '" + Name + "' the data pointer moves backwards: '" +
                Term + "' is decreased by the count, so the next write sends bytes from "
                "before the data instead of its rest";
    F.Notes.push_back({StepLoc, "'" + Term + "' moves back by the count here; advance it "
                                "by the count"});
    return;
  }
  F.Message = "after a short write by '" + Name + "' the data pointer moves backwards: '" +
              Term + "' grows by the count but is subtracted from the pointer, so the "
              "next write sends bytes from before the data instead of its rest";
  SourceLocation TermLoc = SM.getFileLoc(Buffer->getBeginLoc());
  llvm::SmallVector<const Stmt *, 16> Work{Buffer};
  while (!Work.empty()) {
    const Stmt *X = Work.pop_back_val();
    if (!X)
      continue;
    if (const auto *E = dyn_cast<Expr>(X))
      if ((isa<DeclRefExpr>(E) || isa<MemberExpr>(E)) && namedDecl(E) == S.Into) {
        TermLoc = SM.getFileLoc(E->getBeginLoc());
        break;
      }
    for (const Stmt *C : X->children())
      Work.push_back(C);
  }
  F.Notes.push_back({TermLoc, "'" + Term + "' is subtracted from the data pointer here; "
                              "add it"});
  F.Notes.push_back({StepLoc, "'" + Term + "' grows by the count here"});
}

/// The sign of the term step \p S updates in the data pointer whose terms are \p Signs: its own,
/// or +1 for a pointer member of something the pointer is made of (`iov[i].iov_base` for a
/// write handed `iov`); 0 when it is no term of the pointer.
int termSign(const CountStep &S, const llvm::DenseMap<const ValueDecl *, int> &Signs) {
  auto It = Signs.find(S.Into);
  if (It != Signs.end())
    return It->second;
  if (isa<FieldDecl>(S.Into) && S.Target->getType()->isPointerType())
    if (const ValueDecl *Root = rootDecl(S.Target)) {
      auto RI = Signs.find(Root);
      if (RI != Signs.end() && RI->second > 0)
        return 1;
    }
  return 0;
}

/// The locals of \p Body the count of \p Call is stored in (into \p Counts), and the function
/// whose body \p Body is, or null.
const FunctionDecl *countLocals(const CallExpr *Call, const Stmt *Body, const BodyFacts &B,
                                DiscardClassifier &Index,
                                llvm::SmallPtrSetImpl<const VarDecl *> &Counts) {
  const FunctionDecl *FD = Index.focusedFunction();
  if (FD && FD->getBody() != Body)
    FD = nullptr;
  for (const BodyFacts::Def &D : B.Defs) {
    const auto *V = dyn_cast_or_null<Expr>(D.Value);
    const auto *VD = dyn_cast<VarDecl>(D.Into);
    if (!V || !VD || !BodyFacts::isLocal(VD) || V->IgnoreParenCasts() != Call)
      continue;
    Counts.insert(VD);
    if (!FD)
      if (const auto *P = dyn_cast_or_null<FunctionDecl>(VD->getParentFunctionOrMethod()))
        if (P->getBody() == Body)
          FD = P;
  }
  return FD;
}

/// The write moves its data backwards by the count: a step of a term of the data pointer
/// whose direction, times the term's sign in the pointer, is negative, on a path a short count
/// takes, and no step of the same term by the count goes the right way (an undo after an
/// advance is not this bug).
std::optional<Finding> backwardsPointer(const CallExpr *Call, const ApiEntry &Row,
                                        unsigned Shift, DiscardClassifier &Index,
                                        const std::string &Name, Finding &F) {
  ASTContext &Ctx = Index.context();
  const Expr *Buffer = dataArgumentOf(Call, Row, Shift, Ctx);
  const Stmt *Body = bodyAround(Call, Index);
  if (!Buffer || !Body)
    return std::nullopt;
  llvm::DenseMap<const ValueDecl *, int> Signs;
  signedTerms(Buffer, 1, Signs);
  BodyFacts B;
  B.walk(Body);
  llvm::SmallPtrSet<const VarDecl *, 4> Counts;
  const FunctionDecl *FD = countLocals(Call, Body, B, Index, Counts);
  if (!FD)
    return std::nullopt;
  auto IsCount = [&](const Expr *E) {
    E = E->IgnoreParenCasts();
    if (E == Call)
      return true;
    const auto *DRE = dyn_cast<DeclRefExpr>(E);
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    if (!VD || !Counts.count(VD))
      return false;
    llvm::SmallVector<const Expr *, 4> Values;
    if (!Index.reachingValues(DRE, VD, Values))
      return true; // unknown: as if it held the count
    return llvm::any_of(Values, [&](const Expr *V) { return V->IgnoreParenCasts() == Call; });
  };
  auto SignOf = [&](const CountStep &S) { return termSign(S, Signs); };
  llvm::SmallVector<std::pair<CountStep, int>, 2> Wrong;
  llvm::SmallPtrSet<const ValueDecl *, 4> Right;
  for (const BodyFacts::Def &D : B.Defs) {
    const auto *BO = dyn_cast<BinaryOperator>(D.At);
    if (!BO)
      continue;
    std::optional<CountStep> S = countStep(BO, IsCount);
    if (!S)
      continue;
    int Sign = SignOf(*S);
    if (Sign * S->Dir > 0)
      Right.insert(S->Into);
    else if (Sign * S->Dir < 0)
      Wrong.push_back({*S, Sign});
  }
  if (Wrong.empty())
    return std::nullopt;
  std::optional<ShortPaths> Paths;
  for (const auto &[S, Sign] : Wrong) {
    if (Right.count(S.Into))
      continue;
    if (!Paths)
      Paths.emplace(Call, &Counts, Ctx, FD);
    if (!Paths->valid() || !Paths->reaches(S.At))
      continue;
    // A local moved backwards matters only if the write runs again with it; a member is
    // where the next call resumes.
    if (BodyFacts::isLocal(S.Into) && !Paths->backToWrite())
      continue;
    describeBackwardsStep(S, Sign, Buffer, Name, Ctx.getSourceManager(), F);
    return F;
  }
  return std::nullopt;
}

/// A write whose count drain-partial-write judges: a model Write row answering a byte or
/// item count (a TLS count when asked), run synchronously, that can be short.
struct CountWrite {
  Callee C;
  ApiOp Op;
  ResultKind RK;
  unsigned Shift;
  const Expr *Len; ///< the length argument, or null
};

std::optional<CountWrite> countWrite(const CallExpr *Call, const ApiModel &Model,
                                     DiscardClassifier &Index, const PartialWriteOptions &Opts) {
  ASTContext &Ctx = Index.context();
  // Composed writes (asio::write, write_all) loop by themselves; asynchronous ones report
  // their count to a handler.
  std::optional<PlainWrite> Row = plainWrite(Call, Model);
  if (!Row)
    return std::nullopt;
  const Callee &C = Row->C;
  const ApiOp &Op = Row->Op;
  std::optional<ResultKind> RK = effectiveResultKind(Op, C.returnType(), Model);
  if (!RK || !(*RK == ResultKind::ByteCount || *RK == ResultKind::ItemCount ||
               (*RK == ResultKind::TlsCount && Opts.TlsPartialWrites)))
    return std::nullopt;
  unsigned Shift = C.argumentShift(Call);
  // A request that runs synchronously only without its callback (uv_fs_write): with one, the
  // result says whether it was queued, and the count goes to the callback.
  if (Op.Entry->HandlerArg >= 0 && !(Op.Entry->Flags & AF_HasHandler)) {
    unsigned H = static_cast<unsigned>(Op.Entry->HandlerArg) + Shift;
    if (H >= Call->getNumArgs() ||
        !Call->getArg(H)->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
      return std::nullopt;
  }
  const Expr *Len = rowArgument(Call, Op.Entry->Length, Shift);
  // One byte, a small constant length to what may be a pipe or an eventfd, a datagram: the
  // write is whole or nothing (WholeWrites.h, shared with the flow engine).
  if (wholeWrite(Call, *Op.Entry, Model, Ctx, Opts.AtomicWriteSize) != WholeWrite::No)
    return std::nullopt;
  if (tracksProgressThroughArgument(Call, C, Shift) || readsProgressFromRequest(Call, Index))
    return std::nullopt;
  return CountWrite{C, Op, *RK, Shift, Len};
}

//===--- a failure counted as written -------------------------------------===//
//
// A failed write answers -1, not a number of bytes. Code that tests the count and then, on a
// path a failure takes, updates progress with it (skips the iovecs a pass wrote, adds the count
// to an offset at the top of a retry loop) moves the data backwards or walks off an iovec
// array instead of retrying or failing. Judged from the first test of the count on, so a count
// nobody tests (another finding's business) is left alone.

/// True if \p E, past parentheses, casts and assignments it is the value of, is \p Call:
/// `n = written = writev(...)` gives both locals the count.
bool holdsCall(const Expr *E, const CallExpr *Call) {
  for (unsigned Guard = 0; E && Guard < 8; ++Guard) {
    E = E->IgnoreParenCasts();
    if (E == Call)
      return true;
    const auto *BO = dyn_cast<BinaryOperator>(E);
    if (!BO || BO->getOpcode() != BO_Assign)
      return false;
    E = BO->getRHS();
  }
  return false;
}

/// Where a failed count can go from the write, past a test of the count: each edge of a test
/// that -1 takes, until the count is assigned again or the write runs again.
class FailurePaths {
public:
  FailurePaths(const CallExpr *Call, const llvm::SmallPtrSetImpl<const VarDecl *> &Counts,
               ASTContext &Ctx, const FunctionDecl *FD)
      : Call(Call), Counts(Counts), Ctx(Ctx) {
    if (!buildIndexedCfg(FD, Ctx, G, Positions))
      return;
    if (auto At = Positions.find(Call))
      walk(At->first, At->second);
  }

  /// True if \p S is evaluated after a failed write, past a test of its count.
  bool reaches(const Stmt *S) const {
    auto At = Positions.find(S);
    if (!At)
      return false;
    auto R = Reach.find(At->first);
    return R != Reach.end() && At->second < R->second;
  }

private:
  /// The index of the first element of \p B from \p From on that gives a count local another
  /// value, or the block's size.
  unsigned killAt(const CFGBlock *B, unsigned From) const {
    for (unsigned I = From; I < B->size(); ++I) {
      auto S = (*B)[I].getAs<CFGStmt>();
      const auto *BO = S ? dyn_cast<BinaryOperator>(S->getStmt()) : nullptr;
      if (BO && BO->getOpcode() == BO_Assign && isCount(BO->getLHS()) &&
          !holdsCall(BO->getRHS(), Call))
        return I;
    }
    return B->size();
  }

  void walk(const CFGBlock *WriteBlock, unsigned WriteIndex) {
    // States: a block, and whether a test of the count lies behind.
    llvm::SmallVector<std::pair<const CFGBlock *, bool>, 16> Work{{WriteBlock, false}};
    llvm::SmallPtrSet<const CFGBlock *, 16> Seen[2]; // untested, tested
    bool First = true;
    while (!Work.empty()) {
      auto [B, Tested] = Work.pop_back_val();
      Seen[Tested].insert(B);
      unsigned End = killAt(B, First ? WriteIndex + 1 : 0);
      First = false;
      if (Tested)
        Reach[B] = std::max(Reach.lookup(B), End);
      if (End < B->size())
        continue;
      ShortEdge E = B->succ_size() == 2 ? edgesOf(B->getLastCondition()) : ShortEdge::Both;
      bool Next = Tested || (B->succ_size() == 2 && testsCount(B->getLastCondition()));
      unsigned I = 0;
      for (const CFGBlock::AdjacentBlock &Succ : B->succs()) {
        unsigned Index = I++;
        const CFGBlock *S = Succ.getReachableBlock();
        if (!S || S == WriteBlock || (E == ShortEdge::True && Index != 0) ||
            (E == ShortEdge::False && Index != 1) || Seen[Next].count(S))
          continue;
        Work.push_back({S, Next});
      }
    }
  }

  bool isCount(const Expr *E) const {
    if (holdsCall(E, Call))
      return true; // `(n = write(...)) < 0`
    const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenCasts());
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    return VD && Counts.count(VD);
  }

  bool testsCount(const Expr *Cond) const {
    return Cond && edgesOf(Cond) != ShortEdge::Both;
  }

  ShortEdge edgesOf(const Expr *Cond) const;
  std::optional<bool> failureHolds(const BinaryOperator *BO, BinaryOperatorKind Op,
                                   const Expr *Other) const;

  const CallExpr *Call;
  const llvm::SmallPtrSetImpl<const VarDecl *> &Counts;
  ASTContext &Ctx;
  std::unique_ptr<CFG> G;
  CfgPositions Positions;
  /// The blocks a tested failure reaches, each with the index it is reached up to.
  llvm::DenseMap<const CFGBlock *, unsigned> Reach;
};

/// The edges -1 takes at \p Cond: `n == -1`, `n < 0`, `n != len` hold, `n == len` and
/// `n > 0` do not; in an unsigned comparison (`(size_t)n < len`) -1 is the largest value.
ShortEdge FailurePaths::edgesOf(const Expr *Cond) const {
  return nonZeroCountEdges(
      Cond, [this](const Expr *E) { return isCount(E); },
      [this](const BinaryOperator *BO, BinaryOperatorKind Op, const Expr *Other) {
        return failureHolds(BO, Op, Other);
      });
}

/// Whether `-1 Op Other` holds at the comparison \p BO of the count (the count first in
/// \p Op), or nothing for an operator that is no ordering.
std::optional<bool> FailurePaths::failureHolds(const BinaryOperator *BO, BinaryOperatorKind Op,
                                               const Expr *Other) const {
  bool Unsigned = BO->getLHS()->getType()->isUnsignedIntegerType();
  // Compare the failure with the other side: -1 (or the largest value) against a constant,
  // else against a length taken as >= 0 and below the largest value.
  int Order; // <0: failure below the other side, 0 equal, >0 above
  Expr::EvalResult R;
  if (!Other->isValueDependent() && Other->EvaluateAsInt(R, Ctx)) {
    llvm::APSInt V = R.Val.getInt();
    if (Unsigned)
      Order = V.isNegative() || V.isAllOnes() ? 0 : 1;
    else
      Order = V.isNegative() ? (V == -1 ? 0 : 1) : -1;
  } else {
    Order = Unsigned ? 1 : -1;
  }
  switch (Op) {
  case BO_EQ: return Order == 0;
  case BO_NE: return Order != 0;
  case BO_LT: return Order < 0;
  case BO_LE: return Order <= 0;
  case BO_GT: return Order > 0;
  case BO_GE: return Order >= 0;
  default: return std::nullopt;
  }
}

/// The count of a failed write updates progress (`X += n`, `off = off + n`, or the count itself
/// consumed: `n -= iov[i].iov_len`) on a path a failure takes past a test of the count.
std::optional<Finding> failureCounted(const CallExpr *Call, DiscardClassifier &Index,
                                      const std::string &Name) {
  ASTContext &Ctx = Index.context();
  const FunctionDecl *FD = Index.focusedFunction();
  const Stmt *Body = bodyAround(Call, Index);
  if (!Call->getType()->isSignedIntegerType() || !FD || !FD->hasBody() ||
      FD->getBody() != Body)
    return std::nullopt;
  BodyFacts B;
  B.walk(Body);
  llvm::SmallPtrSet<const VarDecl *, 4> Counts;
  for (const BodyFacts::Def &D : B.Defs) {
    const auto *VD = dyn_cast<VarDecl>(D.Into);
    const auto *V = dyn_cast_or_null<Expr>(D.Value);
    if (VD && V && BodyFacts::isLocal(VD) && holdsCall(V, Call))
      Counts.insert(VD);
  }
  if (Counts.empty())
    return std::nullopt;
  auto IsCount = [&](const Expr *E) {
    const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenCasts());
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    return VD && Counts.count(VD);
  };
  std::optional<FailurePaths> Paths;
  for (const BodyFacts::Def &D : B.Defs) {
    const auto *BO = dyn_cast<BinaryOperator>(D.At);
    if (!BO || !BO->isAssignmentOp())
      continue;
    bool Consumed = BO->isCompoundAssignmentOp() && IsCount(BO->getLHS());
    if (!Consumed && !countStep(BO, IsCount))
      continue;
    if (!Paths)
      Paths.emplace(Call, Counts, Ctx, FD);
    if (!Paths->reaches(BO))
      continue;
    const SourceManager &SM = Ctx.getSourceManager();
    Finding F;
    F.Loc = callDiagnosticLoc(Call, SM);
    F.Message = "a failure of '" + Name + "' is counted as bytes written: its -1 reaches an "
                "update of the progress";
    std::string What = Consumed ? "is used up as bytes written here"
                                : "updates '" + declName(D.Into) + "' here";
    F.Notes.push_back({SM.getFileLoc(BO->getExprLoc()),
                       "the count of a failed write " + What +
                           "; handle the failure before using the count"});
    return F;
  }
  return std::nullopt;
}

//===--- resumed from the start -------------------------------------------===//
//
// A length reduced by the bytes already written (`total - done`, or a local clamped to
// `sz - l`) says the write sends the rest, so its data must start where those bytes ended. A
// count added to the progress that shrinks the write's own length, with no argument moving
// forwards by it, sends the opening bytes again on the next pass and never the last ones: in a
// loop, after a goto, or on the next call of a function that resumes from saved progress (a
// coroutine or a scripting engine's yield). The put may be a project's own (a copy into a
// channel or ring buffer) that no row names: its count growing the progress that shrinks its
// length, and its data read through a pointer to const, are the evidence.

/// A data argument and the length that bounds it, in one argument list.
struct DataAndLength {
  const Expr *Data;
  const Expr *Len;
};

/// A pointer to a byte buffer the call may fill (`char *dst`): a length next to it bounds the
/// destination, not the data.
bool isWritableBytes(QualType T) {
  if (!T->isPointerType())
    return false;
  QualType P = T->getPointeeType();
  return !P.isConstQualified() && (P->isVoidType() || P->isCharType() ||
                                   P->isSpecificBuiltinType(BuiltinType::UChar) ||
                                   P->isSpecificBuiltinType(BuiltinType::SChar));
}

/// The pairs of an argument list whose callee is \p FD (parameters only, variadic arguments
/// are a format's): its one pointer to const data with each integer argument, unless the list
/// also has a writable byte buffer (a copy out of the data).
void pairsOf(const FunctionDecl *FD, llvm::ArrayRef<const Expr *> Args,
             llvm::SmallVectorImpl<DataAndLength> &Out) {
  if (!FD)
    return;
  const Expr *Data = nullptr;
  llvm::SmallVector<const Expr *, 4> Lens;
  for (unsigned I = 0; I < Args.size() && I < FD->getNumParams(); ++I) {
    QualType T = FD->getParamDecl(I)->getType();
    if (isWritableBytes(T))
      return;
    if (T->isPointerType() && T->getPointeeType().isConstQualified()) {
      if (Data)
        return; // two sources: which one the length bounds is unclear
      Data = Args[I];
    } else if (T->isIntegerType()) {
      Lens.push_back(Args[I]);
    }
  }
  for (const Expr *Len : Lens)
    if (Data)
      Out.push_back({Data, Len});
}

/// The data and length pairs of \p Call: the row's when a row names it, else those of its own
/// argument list and of a call or constructor building one argument (`chunk2(str, len)`).
void dataAndLengths(const CallExpr *Call, const CountWrite *W, ASTContext &Ctx,
                    llvm::SmallVectorImpl<DataAndLength> &Out) {
  if (W) {
    if (const Expr *Data = dataArgumentOf(Call, *W->Op.Entry, W->Shift, Ctx))
      if (W->Len)
        Out.push_back({Data, W->Len});
    return;
  }
  auto Args = [](auto *E) {
    return llvm::ArrayRef<const Expr *>(E->getArgs(), E->getNumArgs());
  };
  pairsOf(Call->getDirectCallee(), Args(Call), Out);
  for (const Expr *Arg : Call->arguments()) {
    Arg = Arg->IgnoreParenImpCasts();
    if (const auto *Inner = dyn_cast<CallExpr>(Arg))
      pairsOf(Inner->getDirectCallee(), Args(Inner), Out);
    else if (const auto *Ctor = dyn_cast<CXXConstructExpr>(Arg))
      pairsOf(Ctor->getConstructor(), Args(Ctor), Out);
  }
}

/// The steps the count of \p Call makes: `P += call`, or through the local that holds it
/// (`ret = put(...); ... l += ret;`).
void progressSteps(const CallExpr *Call, DiscardClassifier &Index,
                   llvm::SmallVectorImpl<CountStep> &Out) {
  const Stmt *Cur = Call;
  DynTypedNode P = parentPast(Cur, Index, /*ExplicitCasts=*/true);
  const VarDecl *Holder = nullptr;
  if (const auto *VD = P.get<VarDecl>())
    Holder = VD->hasLocalStorage() && !isa<ParmVarDecl>(VD) ? VD : nullptr;
  else if (const auto *BO = P.get<BinaryOperator>())
    Holder = BO->getOpcode() == BO_Assign && BO->getRHS() == Cur ? plainLocal(BO->getLHS())
                                                                 : nullptr;
  auto IsCount = [&](const Expr *E) {
    E = E->IgnoreParenCasts();
    if (E == Call)
      return true;
    const auto *DRE = dyn_cast<DeclRefExpr>(E);
    return Holder && DRE && DRE->getDecl() == Holder;
  };
  // The update around one read of the count: `X += n`, or `X = X + n` one level up.
  auto Around = [&](const Stmt *Read) {
    for (unsigned Up = 0; Up < 2; ++Up) {
      const auto *BO = parentPast(Read, Index, /*ExplicitCasts=*/true).get<BinaryOperator>();
      if (!BO)
        return;
      if (std::optional<CountStep> S = countStep(BO, IsCount)) {
        Out.push_back(*S);
        return;
      }
      if (!BO->isAdditiveOp())
        return;
      Read = BO;
    }
  };
  if (!Holder) {
    Around(Call);
    return;
  }
  for (const DeclRefExpr *Ref : Index.references(Holder))
    Around(Ref);
}

/// The sign \p D has in the length \p Len: directly (`sz - l`), or in a value the local the
/// length names is given (`len = sz - l; ... put(c, str, len)`); 0 if none.
int lengthSign(const Expr *Len, const ValueDecl *D, DiscardClassifier &Index) {
  llvm::DenseMap<const ValueDecl *, int> Signs;
  signedTerms(Len, 1, Signs);
  auto It = Signs.find(D);
  if (It != Signs.end())
    return It->second;
  for (const auto &[Term, Sign] : Signs) {
    const auto *VD = dyn_cast<VarDecl>(Term);
    if (Sign <= 0 || !VD || !VD->hasLocalStorage() || isa<ParmVarDecl>(VD))
      continue;
    llvm::SmallVector<const Expr *, 4> Values;
    if (VD->getInit())
      Values.push_back(VD->getInit());
    for (const DeclRefExpr *Ref : Index.references(VD)) {
      const Stmt *Cur = Ref;
      const auto *BO = parentPast(Cur, Index).get<BinaryOperator>();
      if (BO && BO->getOpcode() == BO_Assign && BO->getLHS() == Cur)
        Values.push_back(BO->getRHS());
    }
    for (const Expr *V : Values) {
      llvm::DenseMap<const ValueDecl *, int> Inner;
      signedTerms(V, 1, Inner);
      auto In = Inner.find(D);
      if (In != Inner.end() && In->second != 0)
        return In->second;
    }
  }
  return 0;
}

/// True if the data \p Data stays at the start of what the function was given or fetched: it
/// is made of locals and parameters only, none of them advanced, reassigned, computed from
/// \p Progress, or handed to a call that may move its bytes (`memmove(buf, buf + n, ...)`).
/// A member or a global may be advanced anywhere; a parameter, by a caller that keeps the
/// progress in a member too.
bool dataStaysPut(const Expr *Data, const CallExpr *Call, bool LocalProgress,
                  const llvm::SmallPtrSetImpl<const ValueDecl *> &Progress,
                  DiscardClassifier &Index) {
  if (refersTo(Data, Progress))
    return false;
  llvm::DenseMap<const ValueDecl *, int> Terms;
  signedTerms(Data, 1, Terms);
  if (Terms.empty())
    return false;
  for (const auto &[D, Sign] : Terms) {
    const auto *VD = dyn_cast<VarDecl>(D);
    if (Sign <= 0 || !VD || !VD->hasLocalStorage() || VD->getType()->isReferenceType() ||
        (isa<ParmVarDecl>(VD) && !LocalProgress))
      return false;
    unsigned Defs = VD->getInit() ? 1 : 0;
    if (VD->getInit() && refersTo(VD->getInit(), Progress))
      return false;
    for (const DeclRefExpr *Ref : Index.references(VD)) {
      const Stmt *Cur = Ref;
      DynTypedNode P = parentPast(Cur, Index, /*ExplicitCasts=*/true);
      if (const auto *BO = P.get<BinaryOperator>()) {
        if (BO->isAssignmentOp() && BO->getLHS() == Cur &&
            (BO->getOpcode() != BO_Assign || ++Defs > 1 || refersTo(BO->getRHS(), Progress)))
          return false;
      } else if (const auto *UO = P.get<UnaryOperator>()) {
        if (UO->isIncrementDecrementOp() || UO->getOpcode() == UO_AddrOf)
          return false;
      } else if (const auto *CE = P.get<CallExpr>()) {
        if (CE == Call || Cur == CE->getCallee())
          continue;
        const FunctionDecl *FD = CE->getDirectCallee();
        for (unsigned I = 0; I < CE->getNumArgs(); ++I)
          if (CE->getArg(I)->IgnoreParenCasts() == Ref &&
              (!FD || I >= FD->getNumParams() ||
               !FD->getParamDecl(I)->getType()->getPointeeType().isConstQualified()) &&
              !isLoggingCall(CE))
            return false;
      }
    }
  }
  return true;
}

/// True if \p Inner is \p Outer or under it (climbing from \p Inner, which stops at a local's
/// initializer: search down from \p Outer for those).
bool isWithin(const Stmt *Inner, const Stmt *Outer, DiscardClassifier &Index) {
  for (unsigned Depth = 0; Inner && Depth < 512; ++Depth) {
    if (Inner == Outer)
      return true;
    Inner = Index.parent(*Inner).get<Stmt>();
  }
  return false;
}

/// True if the write can run again with the progress of step \p S grown: in a loop with the
/// step, after a jump back, or on a later call (the progress is kept in a member or a global,
/// or the local starts from a value fetched at entry rather than a constant).
bool runsAgainWithProgress(const CallExpr *Call, const CountStep &S, DiscardClassifier &Index) {
  if (const Stmt *Loop = loopAround(S.At, Index))
    if (containsStmt(Loop, Call))
      return true;
  const auto *VD = dyn_cast<VarDecl>(S.Into);
  if (!VD || !VD->hasLocalStorage())
    return true;
  ASTContext &Ctx = Index.context();
  llvm::SmallPtrSet<const ValueDecl *, 1> Self;
  Self.insert(VD);
  auto Fetched = [&](const Expr *V) {
    return V && !V->isValueDependent() && !V->isEvaluatable(Ctx) && !refersTo(V, Self);
  };
  if (isa<ParmVarDecl>(VD) || Fetched(VD->getInit()))
    return true;
  for (const DeclRefExpr *Ref : Index.references(VD)) {
    const Stmt *Cur = Ref;
    const auto *BO = parentPast(Cur, Index).get<BinaryOperator>();
    if (BO && BO->getOpcode() == BO_Assign && BO->getLHS() == Cur && Fetched(BO->getRHS()))
      return true;
  }
  const FunctionDecl *FD = Index.focusedFunction();
  if (!FD || !FD->hasBody() || bodyAround(Call, Index) != FD->getBody())
    return false;
  ShortPaths Paths(Call, nullptr, Ctx, FD);
  return Paths.valid() && Paths.backToWrite();
}

/// The write resumes from the start of its data: its count grows (or shrinks) progress that
/// shrinks its length, no argument besides the length follows that progress, and the data is
/// where the function found it (see above). \p W is null for a call no row names.
std::optional<Finding> resumedFromStart(const CallExpr *Call, const CountWrite *W,
                                        DiscardClassifier &Index, const std::string &Name) {
  ASTContext &Ctx = Index.context();
  if (!Call->getType()->isIntegerType())
    return std::nullopt;
  llvm::SmallVector<CountStep, 4> Steps;
  progressSteps(Call, Index, Steps);
  if (Steps.empty())
    return std::nullopt;
  llvm::SmallVector<DataAndLength, 4> Pairs;
  dataAndLengths(Call, W, Ctx, Pairs);
  if (Pairs.empty())
    return std::nullopt;
  llvm::SmallPtrSet<const ValueDecl *, 4> Progress;
  for (const CountStep &S : Steps)
    Progress.insert(S.Into);
  for (const DataAndLength &P : Pairs) {
    // Another argument that follows the progress (`copy(dst + used, src, cap - used)`) is
    // what the length bounds.
    bool Follows = false;
    for (const Expr *Arg : Call->arguments())
      Follows |= !isWithin(P.Len, Arg, Index) && refersTo(Arg, Progress);
    if (Follows)
      return std::nullopt;
    for (const CountStep &S : Steps) {
      if (lengthSign(P.Len, S.Into, Index) * S.Dir >= 0)
        continue;
      bool LocalProgress = BodyFacts::isLocal(S.Into);
      if (!dataStaysPut(P.Data, Call, LocalProgress, Progress, Index) ||
          !runsAgainWithProgress(Call, S, Index))
        continue;
      const SourceManager &SM = Ctx.getSourceManager();
      std::string Term = declName(S.Into);
      Finding F;
      F.Loc = callDiagnosticLoc(Call, SM);
      F.Message = "a resumed '" + Name + "' writes the start of the data again: its length "
                  "shrinks by '" + Term + "', the bytes already written, but the data is not "
                  "advanced by it";
      F.Notes.push_back({SM.getFileLoc(P.Data->getBeginLoc()),
                         "the data starts here on every pass; advance it by '" + Term + "'"});
      F.Notes.push_back({SM.getFileLoc(S.At->getExprLoc()),
                         "'" + Term + "' counts the bytes already written here"});
      return F;
    }
  }
  return std::nullopt;
}

/// The findings of a count that is neither compared nor accumulated: its short side only
/// logs, it is read only in an assertion, or it is only tested for failure.
std::optional<Finding> uncomparedCountFinding(const Tracer &T, const CountWrite &W,
                                              const std::string &Name, Finding &F) {
  ASTContext &Ctx = T.Ctx;
  const SourceManager &SM = Ctx.getSourceManager();
  bool Items = W.RK == ResultKind::ItemCount;
  if (!T.ShortLogged.empty()) {
    const auto &[Cmp, Side] = T.ShortLogged.front();
    const VarDecl *Advanced = advancedLocal(Side);
    const std::string Rest = Items ? "the rest of the items" : "the rest of the buffer";
    F.Message = "a short write by '" + Name + "' is noticed but " +
                (Advanced ? "never made good; " + Rest + " is never written"
                          : "only logged; " + Rest + (Items ? " are" : " is") + " dropped") +
                " and the caller is not told";
    F.Notes.push_back(
        {SM.getFileLoc(Cmp->getExprLoc()),
         Advanced ? "the count is compared with the length here, but the short side only moves '" +
                        Advanced->getNameAsString() +
                        "', which nothing reads afterwards; write the rest, or fail"
                  : std::string("the count is compared with the length here, but the short side "
                                "only logs and goes on; write the rest, or fail")});
    return F;
  }
  if (!T.AssertionReads.empty()) {
    F.Message = "result of '" + Name + "' is compared only inside an assertion; without it "
                "(NDEBUG) a short write drops the " +
                std::string(Items ? "remaining items" : "rest of the buffer") + " unnoticed";
    F.Notes.push_back({SM.getExpansionLoc(T.AssertionReads.front()->getBeginLoc()),
                       "the assertion compiled out by NDEBUG is the only check of the count; "
                       "loop until all " + std::string(Items ? "items" : "bytes") +
                           " are written"});
    return F;
  }
  // A guess from a pointer's name and signature, called directly or through a function that
  // returns its result (role inference keeps the guess's family on such a wrapper).
  bool Guessed = W.Op.Entry->Origin == RowOrigin::Inferred &&
                 (W.C.Pointer || W.Op.Entry->Family == "pointer");
  if (T.ErrorTests.empty() || (Guessed && !testsOnlyTheSign(T.ErrorTests)))
    return std::nullopt;
  F.Message = "result of '" + Name + "' is only checked for errors; a short write drops the " +
              (Items ? "remaining items" : "rest of the buffer") + " unnoticed";
  std::string LenText = lengthText(W.Len, Ctx);
  std::string Compared = LenText.empty() ? "the requested length" : "'" + LenText + "'";
  F.Notes.push_back({W.Len ? SM.getFileLoc(W.Len->getExprLoc()) : F.Loc,
                     "the count is never compared with " + Compared + "; loop until all " +
                         (Items ? "items" : "bytes") + " are written"});
  F.Notes.push_back({SM.getFileLoc(T.ErrorTests.front()->getExprLoc()),
                     "the count is only tested for failure here"});
  return F;
}

//===--- noticed, logged, and handed to callers that do not look ----------===//
//
// A short count that is noticed, only logged, and returned is handed to the callers: a
// function that returns what its write took is a partial write itself (the caller loops, as
// it would around send). It drops the rest only if its callers treat the result as a status:
// every call of it tests the result only for failure or drops it (neomutt's
// mutt_socket_write_d, whose callers test `== -1`). The calls in this file are read here; the
// calls in other files come from a summary store's caller facts (CallerFacts.h), which its
// write pass records with resultUseOf below. Any call that uses the count keeps it silent, and
// so does a caller whose use the store cannot tell (an entry out of date or unreadable).

/// True if \p Use (the result of a call, traced) is only tested for failure or dropped.
bool onlyStatus(Tracer &T, CountUse Use) {
  if (Use == CountUse::LookedAt || Use == CountUse::Returned)
    return false;
  T.drain();
  return !T.LookedAt && !T.Compared && T.Accumulations.empty() && T.Returns.empty() &&
         T.ShortLogged.empty() && T.AssertionReads.empty();
}

/// True if \p S calls \p Canon (a canonical declaration) directly.
bool callsFunction(const Stmt *S, const FunctionDecl *Canon, unsigned Depth = 0) {
  if (!S || Depth > 256)
    return false;
  if (const auto *CE = dyn_cast<CallExpr>(S))
    if (const FunctionDecl *Callee = CE->getDirectCallee())
      if (Callee->getCanonicalDecl() == Canon)
        return true;
  for (const Stmt *C : S->children())
    if (callsFunction(C, Canon, Depth + 1))
      return true;
  return false;
}

/// How \p CE (a call of the function \p Index is focused on) uses its result.
ResultUse useOfResult(const CallExpr *CE, DiscardClassifier &Index) {
  Tracer T(Index.context(), Index);
  T.Write = CE;
  CountUse Use = T.use(CE);
  if (!onlyStatus(T, Use))
    return ResultUse::Count;
  return T.ErrorTests.empty() ? ResultUse::Ignored : ResultUse::Status;
}

/// The calls of \p FD in the functions of this file that test the result only for failure
/// or drop it (into \p Status); false if a call does more with it.
bool callersOnlyTestFailure(const FunctionDecl *FD, ASTContext &Ctx,
                            llvm::SmallVectorImpl<const CallExpr *> &Status) {
  const FunctionDecl *Canon = FD->getCanonicalDecl();
  DiscardClassifier Callers(Ctx);
  llvm::SmallVector<const DeclContext *, 8> Work{Ctx.getTranslationUnitDecl()};
  while (!Work.empty()) {
    const DeclContext *DC = Work.pop_back_val();
    // The main file's declarations only: listing all of them would read every header's
    // declarations from clangd's preamble.
    for (const Decl *D : mainFileDecls(DC)) {
      if (isa<NamespaceDecl>(D) || isa<LinkageSpecDecl>(D) || isa<CXXRecordDecl>(D))
        Work.push_back(cast<DeclContext>(D));
      const auto *Caller = dyn_cast<FunctionDecl>(D);
      if (!Caller || !Caller->doesThisDeclarationHaveABody() || Caller == FD ||
          !callsFunction(Caller->getBody(), Canon))
        continue;
      for (const CallExpr *CE : Callers.focus(Caller)) {
        const FunctionDecl *Callee = CE->getDirectCallee();
        if (!Callee || Callee->getCanonicalDecl() != Canon)
          continue;
        if (useOfResult(CE, Callers) == ResultUse::Count)
          return false;
        Status.push_back(CE);
      }
      Callers.unfocus();
    }
  }
  return true;
}

/// "smtp.c:130" for a caller recorded as "/src/smtp.c:130:9": the path relative to the
/// directory of the file being checked when it is below it, the column dropped.
std::string callerPlace(llvm::StringRef Example, const SourceManager &SM) {
  llvm::StringRef Place = Example.rsplit(':').first;
  const auto *Main = SM.getFileEntryForID(SM.getMainFileID());
  llvm::StringRef Dir =
      Main ? llvm::sys::path::parent_path(Main->tryGetRealPathName()) : llvm::StringRef();
  if (!Dir.empty() && Place.size() > Dir.size() + 1 && compat::startsWith(Place, Dir) &&
      llvm::sys::path::is_separator(Place[Dir.size()]))
    return Place.drop_front(Dir.size() + 1).str();
  return Place.str();
}

/// The note naming the callers in other files, or nullopt when a stored caller uses the count
/// or cannot be told (then the function's result is looked at, as far as drain knows).
std::optional<std::string> otherFileCallers(const CallerFacts *Stored, const std::string &Self,
                                            const SourceManager &SM) {
  if (!Stored || Stored->Count > 0 || Stored->Incomplete || Stored->total() == 0)
    return std::nullopt;
  unsigned N = Stored->total();
  bool One = N == 1;
  std::string Does = Stored->Ignored == 0
                         ? (One ? "tests" : "test") + std::string(" the result only for failure")
                     : Stored->Status == 0 ? (One ? "drops" : "drop") + std::string(" the result")
                                           : "test the result only for failure or drop it";
  std::string Note =
      std::to_string(N) + (One ? " call" : " calls") + " of '" + Self + "' in other files " + Does;
  if (!Stored->StatusExample.empty())
    Note += " (one in " + callerPlace(Stored->StatusExample, SM) + ")";
  return Note;
}

/// The count is noticed short, only logged, and returned to callers that do not look at it:
/// every caller, in this file and in the others the store knows, tests it only for failure.
std::optional<Finding> loggedThenReturned(const Tracer &T, const CallExpr *Call,
                                          const ApiModel &Model, DiscardClassifier &Index,
                                          const std::string &Name) {
  const FunctionDecl *FD = Index.focusedFunction();
  if (T.ShortLogged.empty() || !FD || bodyAround(Call, Index) != FD->getBody())
    return std::nullopt;
  ASTContext &Ctx = Index.context();
  llvm::SmallVector<const CallExpr *, 4> Status;
  if (!callersOnlyTestFailure(FD, Ctx, Status))
    return std::nullopt;
  const CallerFacts *Stored = Model.callerFacts(FD);
  std::optional<std::string> Others =
      otherFileCallers(Stored, FD->getNameAsString(), Ctx.getSourceManager());
  // With callers in other files, they decide with this file's; without, this file's do (and
  // with no caller anywhere the count is nobody's to judge).
  bool StoredCallers = Stored && (Stored->total() > 0 || Stored->Incomplete);
  if (StoredCallers ? !Others : Status.empty())
    return std::nullopt;
  const SourceManager &SM = Ctx.getSourceManager();
  std::string Self = FD->getNameAsString();
  Finding F;
  F.Loc = callDiagnosticLoc(Call, SM);
  F.Message = "a short write by '" + Name + "' is noticed but only logged; '" + Self +
              "' returns the short count to callers that test it only for failure, so the "
              "rest of the buffer is dropped";
  F.Notes.push_back({SM.getFileLoc(T.ShortLogged.front().first->getExprLoc()),
                     "the count is compared with the length here, but the short side only "
                     "logs and goes on; write the rest, or fail"});
  if (Others)
    F.Notes.push_back({SM.getFileLoc(T.Returns.front()->getBeginLoc()), *Others});
  if (!Status.empty())
    F.Notes.push_back({SM.getFileLoc(Status.front()->getBeginLoc()),
                       "a caller tests the result of '" + Self + "' only for failure here"});
  return F;
}

//===--- gather writes ----------------------------------------------------===//
//
// writev, sendmsg and a project's own gather write take an array of {pointer, length}
// records. A short count may end inside one of them: code that spends the count skipping the
// records it covered whole must also move that record's pointer on, or the next write sends
// it again from its start (and the stream gets duplicate bytes).

/// The {pointer, length} record a gather write's data argument is an array of (`struct iovec
/// *`, or the one a `struct msghdr *` points to), with its pointer and length fields.
struct GatherRecord {
  const RecordDecl *RD = nullptr;
  llvm::SmallPtrSet<const FieldDecl *, 2> Pointers, Lengths;
};

std::optional<GatherRecord> gatherRecordOf(QualType T, unsigned Depth = 0) {
  if (Depth > 1 || !T->isPointerType())
    return std::nullopt;
  const RecordDecl *RD = T->getPointeeType()->getAsRecordDecl();
  if (!RD || !RD->getDefinition())
    return std::nullopt;
  RD = RD->getDefinition();
  GatherRecord G;
  G.RD = RD;
  for (const FieldDecl *F : RD->fields()) {
    QualType FT = F->getType();
    if (FT->isPointerType() && FT->getPointeeType()->isVoidType())
      G.Pointers.insert(F);
    else if (FT->isPointerType() && FT->getPointeeType()->isCharType())
      G.Pointers.insert(F);
    else if (FT->isIntegerType() && !FT->isBooleanType())
      G.Lengths.insert(F);
  }
  if (G.Pointers.size() == 1 && !G.Lengths.empty() && RD->field_end() != RD->field_begin() &&
      std::distance(RD->field_begin(), RD->field_end()) == 2)
    return G;
  // A message header: the record array it points to.
  for (const FieldDecl *F : RD->fields())
    if (std::optional<GatherRecord> Inner = gatherRecordOf(F->getType(), Depth + 1))
      return Inner;
  return std::nullopt;
}

/// The field \p E reads of a record of \p G's type (`iov->iov_len`, `v[i].iov_base`).
const FieldDecl *gatherField(const Expr *E, const GatherRecord &G) {
  const auto *ME = dyn_cast<MemberExpr>(E->IgnoreParenCasts());
  const auto *F = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
  return F && F->getParent()->getDefinition() == G.RD ? F : nullptr;
}

bool readsGatherField(const Stmt *S, const GatherRecord &G,
                      const llvm::SmallPtrSetImpl<const FieldDecl *> &Fields,
                      unsigned Depth = 0) {
  if (!S || Depth > 32)
    return false;
  if (const auto *E = dyn_cast<Expr>(S))
    if (const FieldDecl *F = gatherField(E, G))
      if (Fields.count(F))
        return true;
  for (const Stmt *C : S->children())
    if (readsGatherField(C, G, Fields, Depth + 1))
      return true;
  return false;
}

/// The local that holds \p Call's count (`n = writev(...)`, `ssize_t n = sendmsg(...)`).
const VarDecl *countLocal(const CallExpr *Call, DiscardClassifier &Index) {
  const Stmt *Cur = Call;
  for (unsigned Depth = 0; Depth < 8; ++Depth) {
    DynTypedNode P = Index.parent(*Cur);
    if (const auto *VD = P.get<VarDecl>())
      return VD->isLocalVarDecl() ? VD : nullptr;
    const Stmt *PS = P.get<Stmt>();
    if (!PS)
      return nullptr;
    if (const auto *BO = dyn_cast<BinaryOperator>(PS)) {
      if (BO->getOpcode() != BO_Assign || BO->getRHS()->IgnoreParenCasts() != Cur)
        return nullptr;
      const auto *DRE = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenCasts());
      const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
      return VD && VD->isLocalVarDecl() ? VD : nullptr;
    }
    if (!isa<ImplicitCastExpr>(PS) && !isa<CStyleCastExpr>(PS) && !isa<ParenExpr>(PS))
      return nullptr;
    Cur = PS;
  }
  return nullptr;
}

/// The count of a gather write is spent skipping whole records (`n -= iov->iov_len`), and no
/// record's pointer is ever moved by what is left of it.
std::optional<Finding> unadvancedRecord(const CallExpr *Call, const CountWrite &W,
                                        DiscardClassifier &Index, const std::string &Name) {
  ASTContext &Ctx = Index.context();
  const Expr *Data = dataArgumentOf(Call, *W.Op.Entry, W.Shift, Ctx);
  if (!Data)
    return std::nullopt;
  std::optional<GatherRecord> G = gatherRecordOf(Data->getType());
  const VarDecl *N = G ? countLocal(Call, Index) : nullptr;
  const Stmt *Body = N ? bodyAround(Call, Index) : nullptr;
  if (!Body)
    return std::nullopt;
  llvm::SmallPtrSet<const ValueDecl *, 2> Count{N};
  const BinaryOperator *Skip = nullptr;
  bool Advanced = false;
  llvm::SmallVector<const Stmt *, 64> Work{Body};
  while (!Work.empty() && !Advanced) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    for (const Stmt *C : S->children())
      Work.push_back(C);
    if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      // n -= iov->iov_len: the count spent on a record written whole.
      if (BO->getOpcode() == BO_SubAssign && !Skip && refersTo(BO->getLHS(), Count) &&
          readsGatherField(BO->getRHS(), *G, G->Lengths))
        Skip = BO;
      // iov->iov_base = (char *)iov->iov_base + n; p = v[i].iov_base + n: the record the
      // write ended in is moved on (or what is left of it is copied out).
      if (BO->isAdditiveOp() || BO->isAssignmentOp())
        if (readsGatherField(BO, *G, G->Pointers) && refersTo(BO, Count))
          Advanced = true;
      if (BO->isAssignmentOp())
        if (const FieldDecl *F = gatherField(BO->getLHS(), *G))
          Advanced |= G->Pointers.count(F) > 0;
    }
    // A helper handed the count and the records does the advancing (iov_advance(&v, &c, n)).
    if (const auto *CE = dyn_cast<CallExpr>(S); CE && CE != Call) {
      bool Counts = false, Records = false;
      for (const Expr *A : CE->arguments()) {
        Counts |= refersTo(A, Count);
        QualType AT = A->getType();
        Records |= AT->isPointerType() && gatherRecordOf(AT).has_value();
      }
      Advanced |= Counts && Records;
    }
  }
  if (!Skip || Advanced)
    return std::nullopt;
  const SourceManager &SM = Ctx.getSourceManager();
  Finding F;
  F.Loc = callDiagnosticLoc(Call, SM);
  F.Message = "a short '" + Name + "' that ends inside an entry of its vector resends that "
              "entry from its start: the count skips the entries written whole, but the one it "
              "ended in is never advanced";
  F.Notes.push_back({SM.getFileLoc(Skip->getExprLoc()),
                     "whole entries are skipped by the count here; then advance the next "
                     "entry's pointer and shorten its length by what is left"});
  return F;
}

/// True if a running total the count feeds is kept in a loop that also holds the write.
bool accumulatedAroundWrite(const Tracer &T, const CallExpr *Call, DiscardClassifier &Index) {
  for (const Accumulation &A : T.Accumulations)
    if (const Stmt *Loop = loopAround(A.Update, Index)) {
      llvm::SmallPtrSet<const Stmt *, 32> InLoop;
      collectStmts(Loop, InLoop);
      if (InLoop.count(Call))
        return true;
    }
  return false;
}

/// The findings about the count of a write a row names.
std::optional<Finding> countFinding(const CallExpr *Call, const CountWrite *W,
                                    const ApiModel &Model, DiscardClassifier &Index) {
  ASTContext &Ctx = Index.context();
  std::string Name = W->C.name();
  // The data moving backwards is wrong bytes, whatever else the count is used for.
  {
    Finding BF;
    BF.Loc = callDiagnosticLoc(Call, Ctx.getSourceManager());
    if (std::optional<Finding> Found =
            backwardsPointer(Call, *W->Op.Entry, W->Shift, Index, Name, BF))
      return Found;
  }
  // So is a failure taken for a count.
  if (W->RK == ResultKind::ByteCount)
    if (std::optional<Finding> Found = failureCounted(Call, Index, Name))
      return Found;
  if (std::optional<Finding> Found = unadvancedRecord(Call, *W, Index, Name))
    return Found;
  Tracer T(Ctx, Index);
  T.Write = Call;
  if (T.use(Call) == CountUse::LookedAt)
    return std::nullopt;
  T.drain();
  if (T.LookedAt)
    return std::nullopt;
  if (!T.Returns.empty()) {
    if (std::optional<Finding> Found = loggedThenReturned(T, Call, Model, Index, Name))
      return Found;
    // The count is the caller's to judge, unless a loop around the write also adds it up:
    // that loop has taken the remainder on itself, and the last write's count it returns
    // tells the caller nothing to resume from (FreeRDP's `while (sent < length) { status =
    // send(fd, tail, length, 0); ... sent += status; } return status;`).
    if (!accumulatedAroundWrite(T, Call, Index))
      return std::nullopt;
  }

  Finding F;
  F.Loc = callDiagnosticLoc(Call, Ctx.getSourceManager());
  RemainderFacts Facts{Call, W->Op, W->Shift, T, Index, Model.vocabulary()};
  if (!T.Compared && !T.Accumulations.empty())
    if (std::optional<Finding> RF = remainderFinding(Facts, Name, F))
      return RF;
  if (T.Compared || !T.Accumulations.empty()) {
    Finding SF;
    SF.Loc = F.Loc;
    if (std::optional<Finding> Found = shortPathFinding(Facts, Name, SF))
      return Found;
  }
  if (T.Compared || !T.Accumulations.empty())
    return std::nullopt;
  return uncomparedCountFinding(T, *W, Name, F);
}

/// What the TLS rules say of how a write's failure is classified: one "not yet" code failed
/// while the other waits (TlsWantPair.h), or classified through a stale error queue
/// (TlsErrorQueue.h).
std::optional<Finding> tlsResultFinding(const CallExpr *Call, const ApiModel &Model,
                                        DiscardClassifier &Index) {
  if (std::optional<Finding> Found = findTlsWantPairSplit(Call, Model, Index))
    return Found;
  return findStaleTlsErrorQueue(Call, Model, Index);
}

} // namespace

ResultUse resultUseOf(const CallExpr *Call, DiscardClassifier &Index) {
  return useOfResult(Call, Index);
}

std::optional<Finding> findPartialWrite(const CallExpr *Call, const ApiModel &Model,
                                        DiscardClassifier &Index,
                                        const PartialWriteOptions &Opts) {
  if (std::optional<CountWrite> W = countWrite(Call, Model, Index, Opts)) {
    if (std::optional<Finding> Found = countFinding(Call, &*W, Model, Index))
      return Found;
    if (std::optional<Finding> Found = resumedFromStart(Call, &*W, Index, W->C.name()))
      return Found;
    return tlsResultFinding(Call, Model, Index);
  }
  // A call no row names may still be a put that resumes from the start (see above); a call
  // a row names as something else is the model's to judge: a TLS write's failure codes
  // (TlsWantPair.h).
  Callee C = calleeOf(Call);
  if (!C.Function)
    return std::nullopt;
  if (Model.lookup(C))
    return tlsResultFinding(Call, Model, Index);
  return resumedFromStart(Call, nullptr, Index, C.name());
}

} // namespace drain
