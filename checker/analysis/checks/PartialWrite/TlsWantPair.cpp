//===--- TlsWantPair.cpp - a TLS write's two "not yet" answers told apart -===//
#include "analysis/checks/PartialWrite/TlsWantPair.h"
#include "analysis/checks/PartialWrite/WriteCalls.h"
#include "analysis/core/Expressions.h"
#include "analysis/core/Callees.h"
#include "analysis/core/DiscardClassifier.h"
#include "analysis/core/ModelPacks.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include <climits>
#include <string>
#include <vector>

using namespace clang;

namespace drain {

namespace {

/// How a path after a failed write ends.
enum class End { None, NotYet, Fatal };
enum class Tri { False, True, Unknown };

Tri notOf(Tri T) {
  return T == Tri::Unknown ? T : (T == Tri::True ? Tri::False : Tri::True);
}

/// The names a constant is written with: a declaration's (an enumerator) and the macros its
/// tokens come from, outermost last.
llvm::SmallVector<std::string, 4> namesOf(const Expr *E, ASTContext &Ctx) {
  llvm::SmallVector<std::string, 4> Out;
  if (!E)
    return Out;
  E = E->IgnoreParenCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    if (UO->getOpcode() == UO_Minus)
      E = UO->getSubExpr()->IgnoreParenCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (DRE->getDecl()->getDeclName().isIdentifier())
      Out.push_back(DRE->getDecl()->getName().str());
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation L = E->getBeginLoc();
  for (unsigned I = 0; I < 8 && L.isMacroID(); ++I) {
    llvm::StringRef Name = Lexer::getImmediateMacroName(L, SM, Ctx.getLangOpts());
    if (!Name.empty())
      Out.push_back(Name.str());
    L = SM.getImmediateMacroCallerLoc(L);
  }
  return Out;
}

std::optional<long long> constantOf(const Expr *E, ASTContext &Ctx) {
  if (!E || E->isValueDependent() || E->isTypeDependent())
    return std::nullopt;
  Expr::EvalResult R;
  if (!E->IgnoreParenCasts()->EvaluateAsInt(R, Ctx))
    return std::nullopt;
  return R.Val.getInt().getSExtValue();
}

/// Whether every value in [Lo, Hi] satisfies `v Op C` (True), none does (False), or some.
Tri rangeCompare(long long Lo, long long Hi, BinaryOperatorKind Op, long long C) {
  auto Holds = [&](long long V) {
    switch (Op) {
    case BO_EQ: return V == C;
    case BO_NE: return V != C;
    case BO_LT: return V < C;
    case BO_LE: return V <= C;
    case BO_GT: return V > C;
    case BO_GE: return V >= C;
    default: return false;
    }
  };
  if (Lo == Hi)
    return Holds(Lo) ? Tri::True : Tri::False;
  // A range below or at Hi (Lo is "minus infinity"): decide by the bound.
  switch (Op) {
  case BO_LE: return Hi <= C ? Tri::True : Tri::Unknown;
  case BO_LT: return Hi < C ? Tri::True : Tri::Unknown;
  case BO_GT: return Hi <= C ? Tri::False : Tri::Unknown;
  case BO_GE: return Hi < C ? Tri::False : Tri::Unknown;
  case BO_EQ: return C > Hi ? Tri::False : Tri::Unknown;
  case BO_NE: return C > Hi ? Tri::True : Tri::Unknown;
  default: return Tri::Unknown;
  }
}

BinaryOperatorKind flipped(BinaryOperatorKind Op) {
  switch (Op) {
  case BO_LT: return BO_GT;
  case BO_LE: return BO_GE;
  case BO_GT: return BO_LT;
  case BO_GE: return BO_LE;
  default: return Op;
  }
}

/// One walk of the code after the write, with the write failed with one code.
struct Path {
  End Mark = End::None;
  End Result = End::None;
  bool Done = false;
  const Stmt *EndSite = nullptr;
  const Stmt *MarkSite = nullptr;
  /// The tests taken, in order, with the branch (or case) each took.
  std::vector<std::pair<const Stmt *, const void *>> Decisions;
};

enum class Flow { Next, Break, Stop };

class Walker {
public:
  Walker(const CallExpr *Write, const ApiModel &Model, ASTContext &Ctx, const ParentMap &PM)
      : Write(Write), Model(Model), Ctx(Ctx), PM(PM) {}

  /// The locals holding the write's count, the error queries of this write and the locals
  /// holding their answer.
  llvm::SmallPtrSet<const VarDecl *, 4> CountVars, ErrVars;
  llvm::SmallPtrSet<const CallExpr *, 4> Queries;
  bool QueryMode = false;
  /// The count's range when a query tells the code: SSL_write's <= 0, SSL_write_ex's 0.
  long long CountLo = LLONG_MIN, CountHi = 0;

  Path walk(long long Code) {
    Value = Code;
    P = Path();
    start();
    if (!P.Done)
      finish(End::None, nullptr);
    return P;
  }

private:
  bool isCount(const Expr *E) const {
    E = E->IgnoreParenCasts();
    if (E == Write)
      return true;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        return CountVars.count(VD);
    if (const auto *BO = dyn_cast<BinaryOperator>(E))
      return BO->getOpcode() == BO_Assign && isCount(BO->getLHS());
    return false;
  }

  bool isErr(const Expr *E) const {
    if (!QueryMode)
      return isCount(E);
    E = E->IgnoreParenCasts();
    if (const auto *CE = dyn_cast<CallExpr>(E))
      return Queries.count(CE);
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        return ErrVars.count(VD);
    if (const auto *BO = dyn_cast<BinaryOperator>(E))
      return BO->getOpcode() == BO_Assign && isErr(BO->getLHS());
    return false;
  }

  Tri compare(const Expr *L, BinaryOperatorKind Op, const Expr *R) const {
    if (isErr(L))
      if (std::optional<long long> C = constantOf(R, Ctx))
        return rangeCompare(Value, Value, Op, *C);
    if (QueryMode && isCount(L))
      if (std::optional<long long> C = constantOf(R, Ctx))
        return rangeCompare(CountLo, CountHi, Op, *C);
    return Tri::Unknown;
  }

  Tri eval(const Expr *E) const {
    if (!E)
      return Tri::Unknown;
    E = E->IgnoreParenCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E))
      if (UO->getOpcode() == UO_LNot)
        return notOf(eval(UO->getSubExpr()));
    if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
      BinaryOperatorKind Op = BO->getOpcode();
      if (Op == BO_LAnd || Op == BO_LOr) {
        Tri A = eval(BO->getLHS()), B = eval(BO->getRHS());
        Tri Short = Op == BO_LAnd ? Tri::False : Tri::True;
        if (A == Short || B == Short)
          return Short;
        if (A == Tri::Unknown || B == Tri::Unknown)
          return Tri::Unknown;
        return notOf(Short);
      }
      if (BO->isComparisonOp()) {
        Tri T = compare(BO->getLHS(), Op, BO->getRHS());
        if (T == Tri::Unknown)
          T = compare(BO->getRHS(), flipped(Op), BO->getLHS());
        return T;
      }
    }
    // A truth test: every code is non-zero; a failed SSL_write_ex answers 0.
    if (isErr(E))
      return Value != 0 ? Tri::True : Tri::False;
    if (QueryMode && isCount(E))
      return rangeCompare(CountLo, CountHi, BO_NE, 0);
    return Tri::Unknown;
  }

  bool namesPending(llvm::StringRef Name) const {
    const StateVocabulary &V = Model.vocabulary();
    // errno names carry an 'E' prefix: EWOULDBLOCK is WOULDBLOCK.
    if (Name.size() > 2 && Name[0] == 'E' && Name.upper() == Name &&
        V.isPending(Name.drop_front()))
      return true;
    return V.isPending(Name);
  }

  bool namesFailure(llvm::StringRef Name) const {
    return StateVocabulary::mentionsFailure(Name) || Model.vocabulary().isError(Name);
  }

  /// What a returned or chosen value says: a would-block name, a failure name, a negative
  /// constant (a failure), a literal 0 (nothing written yet).
  End classifyValue(const Expr *E, bool NumbersToo) const {
    if (!E)
      return End::None;
    for (const std::string &N : namesOf(E, Ctx)) {
      if (namesPending(N))
        return End::NotYet;
      if (namesFailure(N))
        return End::Fatal;
    }
    if (!NumbersToo)
      return End::None;
    const Expr *Bare = E->IgnoreParenImpCasts();
    if (const auto *IL = dyn_cast<IntegerLiteral>(Bare))
      if (IL->getValue() == 0 && !IL->getBeginLoc().isMacroID())
        return End::NotYet;
    if (isa<IntegerLiteral>(Bare) || isa<UnaryOperator>(Bare))
      if (std::optional<long long> C = constantOf(Bare, Ctx))
        if (*C < 0)
          return End::Fatal;
    return End::None;
  }

  void mark(End E, const Stmt *S) {
    if (P.Mark == End::None && E != End::None) {
      P.Mark = E;
      P.MarkSite = S;
    }
  }

  void finish(End R, const Stmt *Site) {
    P.Result = P.Mark != End::None ? P.Mark : R;
    P.EndSite = P.Mark != End::None ? P.MarkSite : Site;
    P.Done = true;
  }

  bool tracked(const Expr *LHS) const {
    if (const auto *DRE = dyn_cast<DeclRefExpr>(LHS->IgnoreParenImpCasts()))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        return CountVars.count(VD) || ErrVars.count(VD);
    return false;
  }

  /// Assignments, choices and calls in a statement that say which way the path goes.
  /// Returns false when the path ends (the code's local is given another value).
  bool scan(const Stmt *S, unsigned Depth = 0) {
    if (!S || Depth > 64 || P.Done)
      return !P.Done;
    if (isa<LambdaExpr>(S) || isa<BlockExpr>(S))
      return true;
    if (const auto *CO = dyn_cast<ConditionalOperator>(S)) {
      Tri T = eval(CO->getCond());
      if (T != Tri::Unknown) {
        const Expr *Arm = T == Tri::True ? CO->getTrueExpr() : CO->getFalseExpr();
        P.Decisions.push_back({CO->getCond(), Arm});
        mark(classifyValue(Arm, true), Arm);
        return scan(Arm, Depth + 1);
      }
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      if (BO->getOpcode() == BO_Assign) {
        const Expr *RHS = BO->getRHS()->IgnoreParenCasts();
        if (tracked(BO->getLHS()) && !(isa<CallExpr>(RHS) && Queries.count(cast<CallExpr>(RHS)))) {
          if (!scan(BO->getRHS(), Depth + 1))
            return false;
          finish(End::None, BO);
          return false;
        }
        End E = classifyValue(BO->getRHS(), false);
        if (E == End::None)
          if (const auto *ME = dyn_cast<MemberExpr>(BO->getLHS()->IgnoreParenImpCasts()))
            if (namesPending(ME->getMemberDecl()->getName()))
              if (std::optional<long long> C = constantOf(BO->getRHS(), Ctx))
                if (*C != 0)
                  E = End::NotYet;
        mark(E, BO);
      }
    }
    if (const auto *CE = dyn_cast<CallExpr>(S)) {
      Callee C = calleeOf(CE);
      if (C.Function && CE != Write && !Queries.count(CE)) {
        ApiOp Op = Model.lookup(C);
        if ((Op && (Op.kind() == OpKind::Close || Op.kind() == OpKind::Shutdown)) ||
            Model.tableRole(C.Function, FunctionRole::TlsCloseNotify))
          mark(End::Fatal, CE);
      }
    }
    for (const Stmt *Child : S->children())
      if (!scan(Child, Depth + 1))
        return false;
    return true;
  }

  /// The label of \p SW that \p Value goes to, or null.
  const SwitchCase *targetOf(const SwitchStmt *SW) const {
    const SwitchCase *Default = nullptr;
    for (const SwitchCase *SC = SW->getSwitchCaseList(); SC; SC = SC->getNextSwitchCase()) {
      if (const auto *CS = dyn_cast<CaseStmt>(SC)) {
        std::optional<long long> C = constantOf(CS->getLHS(), Ctx);
        if (C && *C == Value && !CS->getRHS())
          return CS;
      } else {
        Default = SC;
      }
    }
    return Default;
  }

  Flow walkSwitch(const SwitchStmt *SW, unsigned Depth) {
    if (!isErr(SW->getCond()))
      return Flow::Next;
    const SwitchCase *Target = targetOf(SW);
    P.Decisions.push_back({SW->getCond(), Target});
    if (!Target)
      return Flow::Next;
    const auto *Body = dyn_cast_or_null<CompoundStmt>(SW->getBody());
    if (!Body)
      return Flow::Next;
    bool Started = false;
    for (const Stmt *Child : Body->body()) {
      if (!Started && !containsStmt(Child, Target))
        continue;
      Flow F = Started ? walkStmt(Child, Depth + 1) : walkStmt(Target, Depth + 1);
      Started = true;
      if (F == Flow::Stop)
        return F;
      if (F == Flow::Break)
        return Flow::Next;
    }
    return Flow::Next;
  }

  Flow walkStmt(const Stmt *S, unsigned Depth) {
    if (!S || P.Done)
      return P.Done ? Flow::Stop : Flow::Next;
    if (Depth > 64) {
      finish(End::None, S);
      return Flow::Stop;
    }
    if (const auto *CS = dyn_cast<CompoundStmt>(S)) {
      for (const Stmt *Child : CS->body()) {
        Flow F = walkStmt(Child, Depth + 1);
        if (F != Flow::Next)
          return F;
      }
      return Flow::Next;
    }
    if (const auto *SC = dyn_cast<SwitchCase>(S))
      return walkStmt(SC->getSubStmt(), Depth + 1);
    if (const auto *LS = dyn_cast<LabelStmt>(S))
      return walkStmt(LS->getSubStmt(), Depth + 1);
    if (const auto *AS = dyn_cast<AttributedStmt>(S))
      return walkStmt(AS->getSubStmt(), Depth + 1);
    if (const auto *IS = dyn_cast<IfStmt>(S)) {
      if (!scan(IS->getCond()))
        return Flow::Stop;
      Tri T = eval(IS->getCond());
      if (T == Tri::Unknown)
        return Flow::Next;
      P.Decisions.push_back({IS->getCond(), T == Tri::True ? IS->getThen() : IS->getElse()});
      if (T == Tri::True)
        return walkStmt(IS->getThen(), Depth + 1);
      return IS->getElse() ? walkStmt(IS->getElse(), Depth + 1) : Flow::Next;
    }
    if (const auto *SW = dyn_cast<SwitchStmt>(S))
      return walkSwitch(SW, Depth);
    if (const auto *RS = dyn_cast<ReturnStmt>(S)) {
      if (!scan(RS->getRetValue()))
        return Flow::Stop;
      finish(classifyValue(RS->getRetValue(), true), RS);
      return Flow::Stop;
    }
    if (isa<ContinueStmt>(S)) {
      finish(End::NotYet, S);
      return Flow::Stop;
    }
    if (isa<BreakStmt>(S))
      return Flow::Break;
    if (const auto *GS = dyn_cast<GotoStmt>(S)) {
      finish(StateVocabulary::mentionsFailure(GS->getLabel()->getName()) ? End::Fatal
                                                                           : End::None,
             GS);
      return Flow::Stop;
    }
    if (isa<WhileStmt>(S) || isa<ForStmt>(S) || isa<DoStmt>(S) || isa<CXXForRangeStmt>(S))
      return Flow::Next;
    if (isa<Expr>(S) || isa<DeclStmt>(S))
      return scan(S) ? Flow::Next : Flow::Stop;
    return Flow::Next;
  }

  static const Stmt *loopBody(const Stmt *S) {
    if (const auto *W = dyn_cast<WhileStmt>(S))
      return W->getBody();
    if (const auto *F = dyn_cast<ForStmt>(S))
      return F->getBody();
    if (const auto *D = dyn_cast<DoStmt>(S))
      return D->getBody();
    if (const auto *R = dyn_cast<CXXForRangeStmt>(S))
      return R->getBody();
    return nullptr;
  }

  static const Expr *loopCond(const Stmt *S) {
    if (const auto *W = dyn_cast<WhileStmt>(S))
      return W->getCond();
    if (const auto *F = dyn_cast<ForStmt>(S))
      return F->getCond();
    if (const auto *D = dyn_cast<DoStmt>(S))
      return D->getCond();
    return nullptr;
  }

  /// The end of a loop's body: a loop that holds the write writes again unless its
  /// condition says it stops.
  bool loopAgain(const Stmt *Loop) {
    if (!containsStmt(Loop, Write)) {
      finish(End::None, Loop);
      return true;
    }
    const Expr *Cond = loopCond(Loop);
    if (Cond && eval(Cond) == Tri::False)
      return false;
    finish(End::NotYet, Loop);
    return true;
  }

  /// Goes on after \p S, which ended with \p F, in what holds it.
  void continueAfter(const Stmt *S, Flow F) {
    for (unsigned Depth = 0; Depth < 64 && !P.Done; ++Depth) {
      const Stmt *Parent = PM.getParent(S);
      if (!Parent) {
        finish(End::None, S);
        return;
      }
      if (const auto *CS = dyn_cast<CompoundStmt>(Parent)) {
        if (F == Flow::Next) {
          bool After = false;
          for (const Stmt *Child : CS->body()) {
            if (!After) {
              After = Child == S;
              continue;
            }
            F = walkStmt(Child, 0);
            if (F == Flow::Stop)
              return;
            if (F == Flow::Break)
              break;
          }
        }
      } else if (isa<SwitchStmt>(Parent)) {
        if (F == Flow::Break)
          F = Flow::Next;
      } else if (loopBody(Parent) == S) {
        if (F == Flow::Break)
          F = Flow::Next;
        else if (loopAgain(Parent))
          return;
      }
      S = Parent;
    }
    if (!P.Done)
      finish(End::None, S);
  }

  /// From the write on: through the test it sits in, or after the statement it is part of.
  void start() {
    const Stmt *S = Write;
    for (unsigned Depth = 0; Depth < 32; ++Depth) {
      const Stmt *Parent = PM.getParent(S);
      if (!Parent || isa<ReturnStmt>(Parent))
        return;
      if ((isa<IfStmt>(Parent) && cast<IfStmt>(Parent)->getCond() == S) ||
          (isa<SwitchStmt>(Parent) && cast<SwitchStmt>(Parent)->getCond() == S)) {
        Flow F = walkStmt(Parent, 0);
        if (F != Flow::Stop)
          continueAfter(Parent, F);
        return;
      }
      if (loopBody(Parent) && loopCond(Parent) == S) {
        Tri T = eval(loopCond(Parent));
        if (T == Tri::False) {
          continueAfter(Parent, Flow::Next);
          return;
        }
        if (isa<DoStmt>(Parent)) {
          finish(End::NotYet, Parent);
          return;
        }
        Flow F = walkStmt(loopBody(Parent), 0);
        if (F == Flow::Stop)
          return;
        if (F == Flow::Break)
          continueAfter(Parent, Flow::Next);
        else
          loopAgain(Parent);
        return;
      }
      if (isa<CompoundStmt>(Parent)) {
        continueAfter(S, Flow::Next);
        return;
      }
      S = Parent;
    }
  }

  const CallExpr *Write;
  const ApiModel &Model;
  ASTContext &Ctx;
  const ParentMap &PM;
  long long Value = 0;
  Path P;
};

/// A pair member named in \p Body, by name, with the value it has there.
struct Named {
  const TlsRetryPair *Pair;
  long long First, Second;
};

void findPairs(const Stmt *S, ASTContext &Ctx, llvm::SmallVectorImpl<Named> &Out,
               unsigned Depth = 0) {
  if (!S || Depth > 256)
    return;
  const auto *UO = dyn_cast<UnaryOperator>(S);
  if (isa<DeclRefExpr>(S) || isa<IntegerLiteral>(S) || (UO && UO->getOpcode() == UO_Minus)) {
    const auto *E = cast<Expr>(S);
    bool Found = false;
    for (const std::string &N : namesOf(E, Ctx))
      for (const TlsRetryPair &TP : tlsRetryPairs()) {
        bool IsFirst = N == TP.First, IsSecond = N == TP.Second;
        if (!IsFirst && !IsSecond)
          continue;
        Found = true;
        Named *Have = nullptr;
        for (Named &Nm : Out)
          if (Nm.Pair == &TP)
            Have = &Nm;
        if (!Have) {
          Out.push_back({&TP, TP.FirstValue, TP.SecondValue});
          Have = &Out.back();
        }
        if (std::optional<long long> C = constantOf(E, Ctx))
          (IsFirst ? Have->First : Have->Second) = *C;
      }
    if (Found || !UO)
      return;
  }
  for (const Stmt *C : S->children())
    findPairs(C, Ctx, Out, Depth + 1);
}

void findQueries(const Stmt *S, const Expr *Channel, const ApiModel &Model, Walker &W,
                 const SourceManager &SM, SourceLocation After, unsigned Depth = 0) {
  if (!S || Depth > 256)
    return;
  if (const auto *CE = dyn_cast<CallExpr>(S))
    if (const FunctionDecl *FD = CE->getDirectCallee())
      if (const RoleEntry *Q = Model.tableRole(FD, FunctionRole::ErrorQuery))
        if (Q->Arg >= 0 && static_cast<unsigned>(Q->Arg) < CE->getNumArgs() &&
            SM.isBeforeInTranslationUnit(After, CE->getBeginLoc())) {
          const Expr *Result = CE->getArg(Q->Arg)->IgnoreParenCasts();
          bool OfCount = false;
          if (const auto *DRE = dyn_cast<DeclRefExpr>(Result))
            if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
              OfCount = W.CountVars.count(VD);
          if (OfCount || (CE->getNumArgs() > 0 && sameReference(CE->getArg(0), Channel)))
            W.Queries.insert(CE);
        }
  for (const Stmt *C : S->children())
    findQueries(C, Channel, Model, W, SM, After, Depth + 1);
}

std::string writeName(const CallExpr *Call) {
  Callee C = calleeOf(Call);
  return C ? C.name() : std::string("the write");
}

/// The first test that sent the two paths different ways (the same test, another branch), or
/// null when they parted otherwise or not at all.
const Stmt *firstSplit(const Path &A, const Path &B) {
  for (size_t I = 0; I < A.Decisions.size() && I < B.Decisions.size(); ++I) {
    if (A.Decisions[I].first != B.Decisions[I].first)
      return nullptr;
    if (A.Decisions[I].second != B.Decisions[I].second)
      return A.Decisions[I].first;
  }
  return nullptr;
}

} // namespace

bool namesTlsRetryCode(const Stmt *S, ASTContext &Ctx) {
  llvm::SmallVector<Named, 2> Pairs;
  findPairs(S, Ctx, Pairs);
  return !Pairs.empty();
}

std::optional<Finding> findTlsWantPairSplit(const CallExpr *Call, const ApiModel &Model,
                                            DiscardClassifier &Index) {
  const FunctionDecl *FD = Index.focusedFunction();
  if (!FD || !FD->getBody() || FD->isDependentContext())
    return std::nullopt;
  std::optional<PlainWrite> Row = plainWrite(Call, Model);
  if (!Row)
    return std::nullopt;
  ASTContext &Ctx = Index.context();
  // The pairs a function names, once per function (its writes are asked in a row).
  static thread_local struct {
    const ASTContext *Ctx = nullptr;
    const FunctionDecl *FD = nullptr;
    const Stmt *Body = nullptr;
    llvm::SmallVector<Named, 2> Pairs;
  } Memo;
  if (Memo.Ctx != &Ctx || Memo.FD != FD || Memo.Body != FD->getBody()) {
    Memo.Ctx = &Ctx, Memo.FD = FD, Memo.Body = FD->getBody();
    Memo.Pairs.clear();
    findPairs(FD->getBody(), Ctx, Memo.Pairs);
  }
  if (Memo.Pairs.empty())
    return std::nullopt;
  llvm::SmallVector<Named, 2> Pairs = Memo.Pairs;

  ParentMap PM(FD->getBody());
  if (!PM.getParent(Call))
    return std::nullopt;
  Walker W(Call, Model, Ctx, PM);
  if (const VarDecl *N = localHolding(Call, PM))
    W.CountVars.insert(N);
  const ApiOp &Op = Row->Op;
  const Expr *Channel = rowArgument(Call, Op.Entry->Channel, Row->C.argumentShift(Call));
  const SourceManager &SM = Ctx.getSourceManager();
  findQueries(FD->getBody(), Channel, Model, W, SM, Call->getBeginLoc());
  W.QueryMode = !W.Queries.empty();
  for (const CallExpr *Q : W.Queries)
    if (const VarDecl *E = localHolding(Q, PM))
      W.ErrVars.insert(E);
  if (W.QueryMode && Op.result() == ResultKind::Bool)
    W.CountLo = 0;

  for (const Named &N : Pairs) {
    Path A = W.walk(N.First), B = W.walk(N.Second);
    const Path *Wait = nullptr, *Fail = nullptr;
    std::string WaitName, FailName;
    if (A.Result == End::NotYet && B.Result == End::Fatal) {
      Wait = &A, Fail = &B, WaitName = N.Pair->First, FailName = N.Pair->Second;
    } else if (B.Result == End::NotYet && A.Result == End::Fatal) {
      Wait = &B, Fail = &A, WaitName = N.Pair->Second, FailName = N.Pair->First;
    } else {
      continue;
    }
    const Stmt *Split = firstSplit(A, B);
    std::string Name = writeName(Call);
    Finding F;
    const Stmt *At = Split ? Split : Call;
    if (const auto *E = dyn_cast<Expr>(At))
      At = E->IgnoreParenImpCasts();
    F.Loc = SM.getFileLoc(At->getBeginLoc());
    F.Message = "after '" + Name + "', '" + FailName + "' is handled as a failure while '" +
                WaitName + "' waits to try again; both mean \"not yet\", and the connection "
                           "is dropped with its data unsent";
    F.Notes.push_back({Call->getExprLoc(), "'" + Name + "' can answer either when it cannot "
                                                        "go on yet (a renegotiation or key "
                                                        "update makes a write wait to read)"});
    if (Wait->EndSite)
      F.Notes.push_back({Wait->EndSite->getBeginLoc(), "'" + WaitName + "' waits here"});
    if (Fail->EndSite)
      F.Notes.push_back(
          {Fail->EndSite->getBeginLoc(), "'" + FailName + "' ends here as a failure"});
    F.Notes.push_back({F.Loc, "treat both as \"not yet\": wait until the socket is ready as "
                              "asked and call '" + Name + "' again with the same data"});
    return F;
  }
  return std::nullopt;
}

} // namespace drain
