//===--- DiscardClassifier.cpp - does anybody look at a call's value ------===//
#include "analysis/core/DiscardClassifier.h"
#include "Compat.h"
#include "analysis/core/Analysable.h"
#include "analysis/core/OwnBodyVisitor.h"
#include "analysis/core/ApiModel.h"
#include "analysis/core/ResultTypes.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"

using namespace clang;

namespace drain {

namespace {
/// Parent walks give up beyond this depth; nothing real nests a call's value that deep.
constexpr unsigned MaxDepth = 64;
/// CFG searches give up (answer "read", the quiet answer) beyond this many blocks.
constexpr unsigned MaxBlocks = 4096;

/// The single parent of \p S as a node, always with the as-written (TK_AsIs) view so that
/// implicit casts and temporaries show up as they are in the AST.
DynTypedNode parentOf(ASTContext &Ctx, const Stmt &S) {
  TraversalKindScope Scope(Ctx, TK_AsIs);
  auto Parents = Ctx.getParents(S);
  if (Parents.empty())
    return DynTypedNode();
  return Parents[0];
}

bool isVoidCast(const Stmt *S) {
  const auto *CE = dyn_cast<ExplicitCastExpr>(S);
  return CE && CE->getType()->isVoidType();
}

/// True if \p Child sits in a slot of \p Parent whose value is thrown away: the statements of
/// if/loop/switch bodies, for-init and increment, init-statements, labels and cases.
bool isStatementSlot(const Stmt *Parent, const Stmt *Child) {
  if (const auto *If = dyn_cast<IfStmt>(Parent))
    return Child == If->getThen() || Child == If->getElse() || Child == If->getInit();
  if (const auto *W = dyn_cast<WhileStmt>(Parent))
    return Child == W->getBody();
  if (const auto *D = dyn_cast<DoStmt>(Parent))
    return Child == D->getBody();
  if (const auto *F = dyn_cast<ForStmt>(Parent))
    return Child == F->getInit() || Child == F->getInc() || Child == F->getBody();
  if (const auto *R = dyn_cast<CXXForRangeStmt>(Parent))
    return Child == R->getBody() || Child == R->getInit();
  if (const auto *Sw = dyn_cast<SwitchStmt>(Parent))
    return Child == Sw->getBody() || Child == Sw->getInit();
  if (const auto *SC = dyn_cast<SwitchCase>(Parent))
    return Child == SC->getSubStmt();
  if (const auto *L = dyn_cast<LabelStmt>(Parent))
    return Child == L->getSubStmt();
  if (const auto *A = dyn_cast<AttributedStmt>(Parent))
    return Child == A->getSubStmt();
  return false;
}

bool isStdIgnore(const Expr *E) {
  const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  if (!DRE || !isa<VarDecl>(DRE->getDecl()))
    return false;
  return ApiModel::qualifiedName(DRE->getDecl()) == "std::ignore";
}

/// The local a plain assignment's left-hand side names, if the value stays in the function.
const VarDecl *assignedLocal(const Expr *LHS) {
  const auto *DRE = dyn_cast<DeclRefExpr>(LHS->IgnoreParenImpCasts());
  if (!DRE)
    return nullptr;
  const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
  // A reference local writes through to somewhere else; a static or global outlives the call.
  if (!VD || !VD->hasLocalStorage() || VD->getType()->isReferenceType() ||
      VD->getType().isVolatileQualified())
    return nullptr;
  return VD;
}

using RefIndex = llvm::DenseMap<const VarDecl *, llvm::SmallVector<const DeclRefExpr *, 4>>;

/// Every DeclRefExpr naming a local inside a function body, by variable (lambda bodies
/// included: a capture by copy is a read at the capture, a capture by reference an escape,
/// both seen in the enclosing CFG; the references inside the lambda body are seen here too).
class RefCollector : public RecursiveASTVisitor<RefCollector> {
public:
  explicit RefCollector(RefIndex &Out) : Out(Out) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return true; }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    // A name in an unevaluated operand (`decltype(count)`, `sizeof(n)`) reads no value. In a
    // type it is not even a statement of the body: only the whole unit's parent map knows its
    // parent, and building that map walks every declaration of the unit, headers included
    // (0.3 s of cpp-httplib's example server, for one `for (decltype(count) i = 0; ...)`).
    if (E->isNonOdrUse() == NOUR_Unevaluated)
      return true;
    if (const auto *VD = dyn_cast<VarDecl>(E->getDecl()))
      if (VD->hasLocalStorage())
        Out[VD].push_back(E);
    return true;
  }

private:
  RefIndex &Out;
};
} // namespace

/// What is known about one function: its CFG (built on first need) and where each statement
/// sits in it.
struct DiscardClassifier::FunctionFacts {
  const FunctionDecl *FD = nullptr;
  std::unique_ptr<CFG> Graph;
  bool Tried = false;
  /// Statement -> (block id, element index).
  llvm::DenseMap<const Stmt *, std::pair<unsigned, unsigned>> Position;
  /// Declared local -> the (block id, element index) of the DeclStmt that declares it (the
  /// CFG splits multi-variable declarations into DeclStmts of its own).
  llvm::DenseMap<const VarDecl *, std::pair<unsigned, unsigned>> DeclPosition;
  /// Block id -> block.
  llvm::DenseMap<unsigned, const CFGBlock *> Blocks;
  bool Indexed = false;
  RefIndex Refs;

  llvm::ArrayRef<const DeclRefExpr *> refs(const VarDecl *VD) {
    if (!Indexed) {
      Indexed = true;
      if (FD && FD->hasBody())
        RefCollector(Refs).TraverseStmt(FD->getBody());
    }
    auto It = Refs.find(VD);
    if (It == Refs.end())
      return {};
    return It->second;
  }
  /// Role of every reference to each local asked about.
  llvm::DenseMap<const VarDecl *, llvm::DenseMap<const DeclRefExpr *, RefRole>> Roles;

  CFG *graph(ASTContext &Ctx) {
    if (Tried)
      return Graph.get();
    Tried = true;
    // A dependent body has no reliable CFG (the instantiations are analysed instead), and
    // broken code none at all: the questions asked of the CFG then get their cautious answer.
    if (!FD || !FD->hasBody() || !isAnalysable(FD))
      return nullptr;
    CFG::BuildOptions Opts;
    Opts.setAllAlwaysAdd(); // every sub-expression, so every DeclRefExpr, is an element
    // A call that throws reaches the catch handlers: a result read only there is read.
    Opts.AddEHEdges = true;
    Graph = CFG::buildCFG(FD, FD->getBody(), &Ctx, Opts);
    if (!Graph)
      return nullptr;
    for (const CFGBlock *B : *Graph) {
      Blocks[B->getBlockID()] = B;
      unsigned I = 0;
      for (const CFGElement &El : *B) {
        if (auto S = El.getAs<CFGStmt>()) {
          auto Pos = std::make_pair(B->getBlockID(), I);
          Position.try_emplace(S->getStmt(), Pos);
          if (const auto *DS = dyn_cast<DeclStmt>(S->getStmt()))
            for (const Decl *D : DS->decls())
              if (const auto *VD = dyn_cast<VarDecl>(D))
                DeclPosition.try_emplace(VD, Pos);
        }
        ++I;
      }
    }
    return Graph.get();
  }
};

DiscardClassifier::DiscardClassifier(ASTContext &Ctx) : Ctx(Ctx) {}
DiscardClassifier::~DiscardClassifier() = default;

void DiscardClassifier::unfocus() {
  FocusCalls.clear();
  Focus.reset();
  FocusRoot = nullptr;
  FocusFunction = nullptr;
}

llvm::ArrayRef<const CallExpr *> DiscardClassifier::focus(const FunctionDecl *FD) {
  unfocus();
  // A function that does not compile is not looked at: its errors may have swallowed the
  // very uses of a value that would show it is checked.
  if (!FD || hasErrors(FD))
    return {};
  FocusRoot = FD->getBody();
  if (!FocusRoot)
    return {};
  FocusFunction = FD;
  Focus = std::make_unique<ParentMap>(const_cast<Stmt *>(FocusRoot));
  collectOwnCalls(FocusRoot, FocusCalls);
  return FocusCalls;
}

DynTypedNode DiscardClassifier::parent(const Stmt &S) {
  if (Focus) {
    if (&S == FocusRoot)
      return DynTypedNode(); // the body's parent is the function
    if (const Stmt *P = Focus->getParent(&S)) {
      if (const auto *DS = dyn_cast<DeclStmt>(P))
        for (const Decl *D : DS->decls())
          if (const auto *VD = dyn_cast<VarDecl>(D))
            if (VD->getInit() == &S)
              return DynTypedNode::create(*VD);
      return DynTypedNode::create(*P);
    }
  }
  // Not under the focused body (a block, a statement built elsewhere): the whole-TU map.
  return parentOf(Ctx, S);
}

llvm::StringRef DiscardClassifier::kindName(UseKind K) {
  switch (K) {
  case UseKind::Used:
    return "used";
  case UseKind::Statement:
    return "statement";
  case UseKind::CastToVoid:
    return "cast to void";
  case UseKind::StdIgnore:
    return "std::ignore";
  case UseKind::UnreadVariable:
    return "unread variable";
  case UseKind::CommaLHS:
    return "comma operand";
  }
  return "?";
}

UseSite DiscardClassifier::classify(const Expr *E) {
  if (!E)
    return {};
  return classifyFrom(E, 0);
}

namespace {
/// The value is dropped by \p Where (a statement, a cast, ...), in the full statement
/// \p Full if there is one.
UseSite dropped(UseKind K, const Stmt *Where, const Stmt *Full, const CoawaitExpr *Await) {
  UseSite U;
  U.Kind = K;
  U.Where = Where;
  U.FullStatement = Full;
  U.Await = Await;
  return U;
}

/// The value is looked at (returned, passed on, compared, stored).
std::optional<UseSite> lookedAt() { return UseSite(); }
} // namespace

UseSite DiscardClassifier::classifyFrom(const Expr *E, unsigned Depth) {
  ValueWalk W{E};
  for (; Depth < MaxDepth; ++Depth) {
    DynTypedNode P = parent(*W.Cur);
    if (const auto *VD = P.get<VarDecl>()) {
      // The value initializes a variable: only a local's reads decide.
      if (isa<ParmVarDecl>(VD) || isa<DecompositionDecl>(VD) || !VD->hasLocalStorage())
        return {};
      UseSite U = localAnalysis(VD, nullptr, nullptr);
      U.Await = W.Await;
      return U;
    }
    const Stmt *PS = P.get<Stmt>();
    if (!PS)
      return {}; // a field initializer, a default argument, a global: stored
    if (std::optional<UseSite> U = stepUp(PS, W, Depth))
      return *U;
  }
  return {};
}

const Stmt *DiscardClassifier::fullStatementOf(const Stmt *S) {
  DynTypedNode P = parent(*S);
  const Stmt *PS = P.get<Stmt>();
  if (!PS)
    return nullptr;
  if (isa<CompoundStmt>(PS) || isStatementSlot(PS, S))
    return S;
  return nullptr;
}

std::optional<UseSite> DiscardClassifier::stepUp(const Stmt *PS, ValueWalk &W, unsigned Depth) {
  if (const auto *CS = dyn_cast<CompoundStmt>(PS)) {
    // The last statement of a GNU statement expression is its value.
    if (const auto *SE = parent(*CS).get<StmtExpr>())
      if (!CS->body_empty() && CS->body_back() == W.Cur)
        return W.moveUp(SE);
    return dropped(UseKind::Statement, W.Cur, W.Cur, W.Await);
  }
  if (isStatementSlot(PS, W.Cur))
    return dropped(UseKind::Statement, W.Cur, W.Cur, W.Await);
  const auto *PE = dyn_cast<Expr>(PS);
  if (!PE)
    return lookedAt(); // return, co_return, a condition
  if (const auto *OVE = dyn_cast<OpaqueValueExpr>(PE))
    return fromAwaitOperand(OVE, W);
  // Wrappers that pass the value on unchanged.
  if (isa<ParenExpr>(PE) || isa<ImplicitCastExpr>(PE) || isa<FullExpr>(PE) ||
      isa<MaterializeTemporaryExpr>(PE) || isa<CXXBindTemporaryExpr>(PE))
    return W.moveUp(PE);
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(PE)) {
    // Copying or converting the value into an object of the same use (C++14 elidable
    // copies, a Poll converted to a Result): follow the object.
    if (Construct->getNumArgs() == 1)
      return W.moveUp(PE);
    return lookedAt();
  }
  if (const auto *Cast = dyn_cast<ExplicitCastExpr>(PE)) {
    if (Cast->getType()->isVoidType())
      return dropped(UseKind::CastToVoid, Cast, fullStatementOf(Cast), W.Await);
    // (int)write(...); drops the value as much as write(...); does.
    return W.moveUp(PE);
  }
  if (const auto *CA = dyn_cast<CoawaitExpr>(PE)) {
    // await_ready/await_suspend/await_resume are the coroutine machinery's calls, not the
    // program's; their values are consumed by the co_await itself.
    if (W.Cur == CA->getReadyExpr() || W.Cur == CA->getSuspendExpr() ||
        W.Cur == CA->getResumeExpr())
      return lookedAt();
    // The awaited result, not the awaitable, is what the program gets to look at.
    W.Await = CA;
    return W.moveUp(PE);
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(PE))
    return fromBinary(BO, W, Depth);
  if (const auto *CO = dyn_cast<AbstractConditionalOperator>(PE)) {
    if (W.Cur == CO->getTrueExpr() || W.Cur == CO->getFalseExpr())
      return W.moveUp(PE);
    return lookedAt();
  }
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(PE))
    return fromOperatorCall(Op, W, Depth);
  // An argument, an operand, a member access, an initializer list: looked at or passed on.
  return lookedAt();
}

std::optional<UseSite> DiscardClassifier::fromAwaitOperand(const OpaqueValueExpr *OVE,
                                                           ValueWalk &W) {
  // The operand of co_await is also bound to an opaque value that await_ready,
  // await_suspend and await_resume share: the co_await among its parents is the use.
  const CoawaitExpr *Found = nullptr;
  if (Focus) {
    // The focused map gives the opaque value one parent (inside await_ready & co.): the
    // co_await is a few levels up.
    const Stmt *Up = OVE;
    for (unsigned I = 0; I < 4 && Up && !Found; ++I)
      if ((Up = Focus->getParent(Up)))
        Found = dyn_cast<CoawaitExpr>(Up);
  } else {
    TraversalKindScope Scope(Ctx, TK_AsIs);
    for (const DynTypedNode &N : Ctx.getParents(*OVE))
      if (const auto *CA = N.get<CoawaitExpr>())
        Found = CA;
  }
  if (!Found)
    return lookedAt();
  W.Await = Found;
  return W.moveUp(Found);
}

std::optional<UseSite> DiscardClassifier::fromBinary(const BinaryOperator *BO, ValueWalk &W,
                                                     unsigned Depth) {
  switch (BO->getOpcode()) {
  case BO_Comma:
    if (W.Cur == BO->getLHS())
      return dropped(UseKind::CommaLHS, BO, nullptr, W.Await);
    return W.moveUp(BO);
  case BO_LAnd:
  case BO_LOr:
    // `ok && flush();` as a statement: the right operand only decides the discarded value of
    // the whole; the left one decides control flow.
    if (W.Cur == BO->getRHS())
      return W.moveUp(BO);
    return lookedAt();
  case BO_Assign:
    if (W.Cur == BO->getRHS())
      if (const VarDecl *VD = assignedLocal(BO->getLHS()))
        return assignedToLocal(VD, BO, W, Depth);
    return lookedAt();
  default:
    return lookedAt();
  }
}

std::optional<UseSite> DiscardClassifier::fromOperatorCall(const CXXOperatorCallExpr *Op,
                                                           ValueWalk &W, unsigned Depth) {
  if (Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 && W.Cur == Op->getArg(1)) {
    if (isStdIgnore(Op->getArg(0)))
      return dropped(UseKind::StdIgnore, Op, fullStatementOf(Op), W.Await);
    if (const VarDecl *VD = assignedLocal(Op->getArg(0)))
      return assignedToLocal(VD, Op, W, Depth);
  }
  return lookedAt();
}

UseSite DiscardClassifier::assignedToLocal(const VarDecl *VD, const Expr *Assign,
                                           const ValueWalk &W, unsigned Depth) {
  // `if ((n = write(...)) < 0)` looks at the value through the assignment.
  UseSite Outer = classifyFrom(Assign, Depth + 1);
  if (!Outer.discarded())
    return {};
  UseSite U = localAnalysis(VD, Assign, Outer.FullStatement);
  U.Await = W.Await;
  return U;
}

DiscardClassifier::FunctionFacts *DiscardClassifier::factsFor(const VarDecl *VD) {
  return factsFor(dyn_cast_or_null<FunctionDecl>(VD->getParentFunctionOrMethod()));
}

DiscardClassifier::FunctionFacts *DiscardClassifier::factsFor(const FunctionDecl *FD) {
  if (!FD)
    return nullptr;
  auto &Slot = Functions[FD];
  if (!Slot) {
    Slot = std::make_unique<FunctionFacts>();
    Slot->FD = FD;
  }
  return Slot.get();
}

bool DiscardClassifier::addressDiscarded(const UnaryOperator *AddrOf) {
  const Stmt *Up = AddrOf;
  do
    Up = parent(*Up).get<Stmt>();
  while (Up && isa<ParenExpr>(Up));
  return Up && isVoidCast(Up);
}

DiscardClassifier::RefRole DiscardClassifier::roleOf(const DeclRefExpr *Ref) {
  const Stmt *Cur = Ref;
  for (unsigned Depth = 0; Depth < MaxDepth; ++Depth) {
    DynTypedNode P = parent(*Cur);
    if (const auto *VD = P.get<VarDecl>()) {
      // Binding a non-const reference lets the value be read through another name.
      QualType T = VD->getType();
      if (T->isReferenceType() && !T.getNonReferenceType().isConstQualified())
        return RefRole::Escape;
      return RefRole::Read;
    }
    const Stmt *PS = P.get<Stmt>();
    if (!PS)
      return RefRole::Read;
    if (isa<ParenExpr>(PS)) {
      Cur = PS;
      continue;
    }
    if (const auto *ICE = dyn_cast<ImplicitCastExpr>(PS)) {
      if (ICE->getCastKind() == CK_LValueToRValue)
        return RefRole::Read;
      if (ICE->getCastKind() == CK_NoOp || ICE->getCastKind() == CK_DerivedToBase ||
          ICE->getCastKind() == CK_UncheckedDerivedToBase) {
        Cur = PS;
        continue;
      }
      return RefRole::Read;
    }
    if (isVoidCast(PS))
      return RefRole::VoidCast;
    if (const auto *BO = dyn_cast<BinaryOperator>(PS)) {
      if (BO->getOpcode() == BO_Assign && BO->getLHS()->IgnoreParens() == Cur)
        return RefRole::Write;
      return RefRole::Read;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(PS)) {
      if (UO->getOpcode() == UO_AddrOf)
        return addressDiscarded(UO) ? RefRole::Read : RefRole::Escape;
      return RefRole::Read;
    }
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(PS)) {
      if (Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 && Op->getArg(0) == Cur)
        return RefRole::Write;
      // Fall through to the argument rules below.
    }
    if (isa<LambdaExpr>(PS))
      return RefRole::Escape; // captured by reference (a copy is an lvalue-to-rvalue read)
    return argumentRole(PS, Cur);
  }
  return RefRole::Read;
}

DiscardClassifier::RefRole DiscardClassifier::argumentRole(const Stmt *PS, const Stmt *Arg) {
  // An argument bound to a parameter: a non-const reference either receives a result (an
  // error_code& out-argument: a write) or lets the callee keep the object (an escape).
  const FunctionDecl *Callee = nullptr;
  llvm::ArrayRef<const Expr *> Args;
  unsigned Shift = 0;
  if (const auto *Call = dyn_cast<CallExpr>(PS)) {
    Callee = Call->getDirectCallee();
    Args = llvm::ArrayRef<const Expr *>(Call->getArgs(), Call->getNumArgs());
    // operator() and other member operators take the object as argument 0.
    if (isa<CXXOperatorCallExpr>(Call) && Callee && isa<CXXMethodDecl>(Callee))
      Shift = 1;
  } else if (const auto *Construct = dyn_cast<CXXConstructExpr>(PS)) {
    Callee = Construct->getConstructor();
    Args = llvm::ArrayRef<const Expr *>(Construct->getArgs(), Construct->getNumArgs());
  } else {
    return RefRole::Read; // a member call's object, an operand, ...
  }
  for (unsigned I = 0; I < Args.size(); ++I) {
    if (Args[I] != Arg)
      continue;
    if (I < Shift)
      return RefRole::Read;
    if (!Callee || I - Shift >= Callee->getNumParams())
      return RefRole::Escape;
    QualType PT = Callee->getParamDecl(I - Shift)->getType();
    if (!PT->isReferenceType() || PT.getNonReferenceType().isConstQualified())
      return RefRole::Read;
    if (PT->isRValueReferenceType())
      return RefRole::Read;
    return isErrorCodeType(PT.getNonReferenceType()) ? RefRole::Write : RefRole::Escape;
  }
  return RefRole::Read;
}

bool DiscardClassifier::readReachable(FunctionFacts &F, const Stmt *Def, const VarDecl *VD) {
  CFG *G = F.graph(Ctx);
  if (!G)
    return true;
  // Where the value is produced: the assignment or call element, or the declaration (the
  // CFG splits multi-variable declarations into DeclStmts of its own, so match by variable).
  std::optional<std::pair<unsigned, unsigned>> Start;
  if (Def) {
    auto It = F.Position.find(Def);
    if (It != F.Position.end())
      Start = It->second;
  } else {
    auto It = F.DeclPosition.find(VD);
    if (It != F.DeclPosition.end())
      Start = It->second;
  }
  if (!Start)
    return true; // e.g. the value is produced in a lambda while the local is outside
  auto &Roles = F.Roles[VD];
  llvm::SmallVector<std::pair<const CFGBlock *, unsigned>, 16> Work;
  llvm::DenseSet<const CFGBlock *> Entered;
  const CFGBlock *First = F.Blocks.lookup(Start->first);
  if (!First)
    return true;
  Work.push_back({First, Start->second + 1});
  unsigned Budget = MaxBlocks;
  while (!Work.empty()) {
    if (--Budget == 0)
      return true;
    auto [B, From] = Work.pop_back_val();
    bool Killed = false;
    for (unsigned I = From; I < B->size() && !Killed; ++I) {
      auto S = (*B)[I].getAs<CFGStmt>();
      if (!S)
        continue;
      const auto *Ref = dyn_cast<DeclRefExpr>(S->getStmt());
      if (!Ref || Ref->getDecl() != VD)
        continue;
      auto It = Roles.find(Ref);
      RefRole R = It == Roles.end() ? roleOf(Ref) : It->second;
      if (R == RefRole::Read || R == RefRole::Escape)
        return true;
      if (R == RefRole::Write)
        Killed = true;
    }
    if (Killed)
      continue;
    for (const auto &Succ : B->succs())
      if (const CFGBlock *SB = Succ.getReachableBlock())
        if (Entered.insert(SB).second)
          Work.push_back({SB, 0});
  }
  return false;
}

UseSite DiscardClassifier::localAnalysis(const VarDecl *VD, const Stmt *Def,
                                         const Stmt *FullStatement) {
  UseSite Used;
  FunctionFacts *F = factsFor(VD);
  if (!F || !F->FD->hasBody())
    return Used;
  std::optional<RefRoles> Roles = scanRoles(*F, VD);
  if (!Roles)
    return Used; // read through a pointer or reference we do not follow
  UseSite U;
  U.Var = VD;
  U.Where = Def;
  U.FullStatement = FullStatement;
  if (!Roles->AnyRead) {
    // `(void)n;` is an explicit discard of the local, like a cast of the call itself.
    U.Kind = Roles->AnyVoid ? UseKind::CastToVoid : UseKind::UnreadVariable;
    return U;
  }
  if (readReachable(*F, Def, VD))
    return Used;
  U.Kind = UseKind::UnreadVariable; // every path overwrites it before reading it
  return U;
}

bool DiscardClassifier::readAfter(const Expr *Call, const VarDecl *VD) {
  if (!Call || !VD || !VD->hasLocalStorage() || VD->getType()->isReferenceType())
    return true;
  FunctionFacts *F = factsFor(VD);
  if (!F || !F->FD->hasBody())
    return true;
  std::optional<RefRoles> Roles = scanRoles(*F, VD);
  if (!Roles)
    return true;
  if (!Roles->AnyRead)
    return false;
  return readReachable(*F, Call, VD);
}

std::optional<DiscardClassifier::RefRoles> DiscardClassifier::scanRoles(FunctionFacts &F,
                                                                        const VarDecl *VD) {
  llvm::ArrayRef<const DeclRefExpr *> Refs = F.refs(VD);
  auto &Roles = F.Roles[VD];
  RefRoles Out;
  for (const DeclRefExpr *Ref : Refs) {
    RefRole R = roleOf(Ref);
    Roles[Ref] = R;
    if (R == RefRole::Escape)
      return std::nullopt;
    Out.AnyRead |= R == RefRole::Read;
    Out.AnyVoid |= R == RefRole::VoidCast;
  }
  return Out;
}

} // namespace drain

namespace drain {
llvm::ArrayRef<const DeclRefExpr *> DiscardClassifier::references(const VarDecl *VD) {
  FunctionFacts *F = VD ? factsFor(VD) : nullptr;
  if (!F)
    return {};
  return F->refs(VD);
}

bool DiscardClassifier::reachingValues(const Expr *At, const VarDecl *VD,
                                       llvm::SmallVectorImpl<const Expr *> &Values,
                                       llvm::SmallVectorImpl<const CallExpr *> *Through) {
  if (!At || !VD || !VD->hasLocalStorage() || isa<ParmVarDecl>(VD) ||
      VD->getType()->isReferenceType())
    return false;
  FunctionFacts *F = factsFor(VD);
  if (!F || !F->FD->hasBody())
    return false;
  auto &Roles = F->Roles[VD];
  for (const DeclRefExpr *Ref : F->refs(VD)) {
    auto It = Roles.find(Ref);
    RefRole R = It == Roles.end() ? (Roles[Ref] = roleOf(Ref)) : It->second;
    if (R != RefRole::Escape)
      continue;
    // `&VD` handed to an out-parameter of this file is a store the walk below reads (asked
    // for by a caller that wants to know where each value came from).
    if (!Through)
      return false;
    const Stmt *Up = parent(*Ref).get<Stmt>();
    while (Up && isa<ParenExpr>(Up))
      Up = parent(*Up).get<Stmt>();
    const auto *AddrOf = dyn_cast_or_null<UnaryOperator>(Up);
    if (!AddrOf || AddrOf->getOpcode() != UO_AddrOf)
      return false;
    while (Up && (Up == AddrOf || isa<ParenExpr>(Up) || isa<ImplicitCastExpr>(Up)))
      Up = parent(*Up).get<Stmt>();
    if (!Up || !outArgument(Up, VD))
      return false;
  }
  auto Add = [&](const Expr *V, const CallExpr *Via) {
    Values.push_back(V);
    if (Through)
      Through->push_back(Via);
  };
  // Backwards from At: each path ends at the first definition it meets.
  auto Definition = [&](const Stmt *S) {
    if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      if (BO->getOpcode() != BO_Assign)
        return BackStep::Continue;
      const auto *L = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParens());
      if (!L || L->getDecl() != VD)
        return BackStep::Continue;
      Add(BO->getRHS(), nullptr);
      return BackStep::Stop;
    }
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (D == VD) {
          if (!VD->getInit())
            return BackStep::Fail;
          Add(VD->getInit(), nullptr);
          return BackStep::Stop;
        }
    if (const auto *Stored = Through ? outArgument(S, VD) : nullptr) {
      for (const Expr *V : *Stored)
        Add(V, cast<CallExpr>(S));
      return BackStep::Stop;
    }
    return BackStep::Continue;
  };
  return walkBack(F, At, Definition) && !Values.empty();
}

const llvm::SmallVectorImpl<const Expr *> *DiscardClassifier::outArgument(const Stmt *S,
                                                                          const VarDecl *VD) {
  const auto *Call = dyn_cast<CallExpr>(S);
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  const FunctionDecl *Def = nullptr;
  if (!Callee || !Callee->hasBody(Def) || !Def || isa<CXXOperatorCallExpr>(Call))
    return nullptr;
  for (unsigned I = 0; I < Call->getNumArgs() && I < Def->getNumParams(); ++I) {
    const auto *UO = dyn_cast<UnaryOperator>(Call->getArg(I)->IgnoreParenImpCasts());
    const auto *DRE =
        UO && UO->getOpcode() == UO_AddrOf
            ? dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParenImpCasts())
            : nullptr;
    if (DRE && DRE->getDecl() == VD)
      return outParamValues(Def, I);
  }
  return nullptr;
}

const llvm::SmallVectorImpl<const Expr *> *
DiscardClassifier::outParamValues(const FunctionDecl *Def, unsigned Param) {
  auto Key = std::make_pair(Def, Param);
  auto Found = OutParams.find(Key);
  if (Found != OutParams.end())
    return Found->second ? &*Found->second : nullptr;
  OutParams[Key] = std::nullopt; // recursion and failure alike: not an out-parameter
  const SourceManager &SM = Ctx.getSourceManager();
  if (!Def->hasBody() || Def->isDependentContext() || Param >= Def->getNumParams() ||
      SM.isInSystemHeader(SM.getExpansionLoc(Def->getLocation())))
    return nullptr;
  const ParmVarDecl *P = Def->getParamDecl(Param);
  QualType T = P->getType();
  if (!T->isPointerType() || T->getPointeeType().isConstQualified() || !onlyDereferenced(Def, P))
    return nullptr;
  llvm::SmallVector<const Expr *, 2> Stored;
  auto Store = [&](const Stmt *S) {
    const Expr *V = storedThrough(S, P);
    if (!V)
      return BackStep::Continue;
    Stored.push_back(V);
    return BackStep::Stop;
  };
  if (!walkBackFromExit(factsFor(Def), Store) || Stored.empty())
    return nullptr;
  auto &Slot = OutParams[Key];
  Slot = std::move(Stored);
  return &*Slot;
}

const Expr *DiscardClassifier::storedThrough(const Stmt *S, const ParmVarDecl *P) {
  const auto *BO = dyn_cast<BinaryOperator>(S);
  const auto *L = BO && BO->getOpcode() == BO_Assign
                      ? dyn_cast<UnaryOperator>(BO->getLHS()->IgnoreParens())
                      : nullptr;
  const auto *Ref = L && L->getOpcode() == UO_Deref
                        ? dyn_cast<DeclRefExpr>(L->getSubExpr()->IgnoreParenImpCasts())
                        : nullptr;
  return Ref && Ref->getDecl() == P ? BO->getRHS() : nullptr;
}

bool DiscardClassifier::reachingStoredValues(const Expr *At, const ParmVarDecl *P,
                                             llvm::SmallVectorImpl<const Expr *> &Values) {
  const auto *Def = dyn_cast_or_null<FunctionDecl>(P->getDeclContext());
  if (!At || !Def || !Def->hasBody() || !P->getType()->isPointerType() ||
      !onlyDereferenced(Def, P))
    return false;
  auto Store = [&](const Stmt *S) {
    const Expr *V = storedThrough(S, P);
    if (!V)
      return BackStep::Continue;
    Values.push_back(V);
    return BackStep::Stop;
  };
  return walkBack(factsFor(Def), At, Store) && !Values.empty();
}

bool DiscardClassifier::onlyDereferenced(const FunctionDecl *Def, const ParmVarDecl *P) {
  ParentMap PM(Def->getBody());
  auto Up = [&](const Stmt *S) {
    const Stmt *U = PM.getParent(S);
    while (U && isa<ParenExpr>(U))
      U = PM.getParent(U);
    return U;
  };
  for (const DeclRefExpr *Ref : factsFor(Def)->refs(P)) {
    const auto *Load = dyn_cast_or_null<ImplicitCastExpr>(Up(Ref));
    if (!Load || Load->getCastKind() != CK_LValueToRValue)
      return false;
    const Stmt *Use = Up(Load);
    // `if (out)`, `out != NULL`, `!out`: a test of the pointer hands nothing on.
    if (!Use || isa<IfStmt>(Use) || (isa<UnaryOperator>(Use) &&
                                     cast<UnaryOperator>(Use)->getOpcode() == UO_LNot))
      continue;
    if (const auto *BO = dyn_cast<BinaryOperator>(Use)) {
      if (BO->isEqualityOp() || BO->isLogicalOp())
        continue;
      return false;
    }
    const auto *Deref = dyn_cast<UnaryOperator>(Use);
    if (!Deref || Deref->getOpcode() != UO_Deref)
      return false;
    const Stmt *Of = Up(Deref);
    const auto *Assign = dyn_cast_or_null<BinaryOperator>(Of);
    const auto *Read = dyn_cast_or_null<ImplicitCastExpr>(Of);
    if (!(Assign && Assign->getOpcode() == BO_Assign && Assign->getLHS()->IgnoreParens() == Deref) &&
        !(Read && Read->getCastKind() == CK_LValueToRValue))
      return false;
  }
  return true;
}

bool DiscardClassifier::everyPathBackStops(const Stmt *At,
                                           llvm::function_ref<BackStep(const Stmt *)> Visit) {
  return walkBack(factsFor(FocusFunction), At, Visit);
}

bool DiscardClassifier::walkBack(FunctionFacts *F, const Stmt *At,
                                 llvm::function_ref<BackStep(const Stmt *)> Visit) {
  if (!At || !F || !F->FD->hasBody())
    return false;
  CFG *G = F->graph(Ctx);
  if (!G)
    return false;
  auto Pos = F->Position.find(At);
  if (Pos == F->Position.end())
    return false;
  const CFGBlock *First = F->Blocks.lookup(Pos->second.first);
  if (!First)
    return false;
  return walkBackFrom(*G, {{First, Pos->second.second}}, Visit);
}

bool DiscardClassifier::walkBackFromExit(FunctionFacts *F,
                                         llvm::function_ref<BackStep(const Stmt *)> Visit) {
  CFG *G = F ? F->graph(Ctx) : nullptr;
  if (!G)
    return false;
  BlockCursors Seeds;
  for (const CFGBlock::AdjacentBlock &P : G->getExit().preds()) {
    const CFGBlock *PB = P.getReachableBlock();
    // A path that ends the program or throws never returns to the caller.
    if (!PB || PB->hasNoReturnElement() ||
        (PB->getTerminatorStmt() && isa<CXXThrowExpr>(PB->getTerminatorStmt())))
      continue;
    Seeds.push_back({PB, static_cast<unsigned>(PB->size())});
  }
  return !Seeds.empty() && walkBackFrom(*G, Seeds, Visit);
}

bool DiscardClassifier::walkBackFrom(const CFG &G, BlockCursors Work,
                                     llvm::function_ref<BackStep(const Stmt *)> Visit) {
  // A seed is not marked entered: a loop back into it visits what follows its cursor.
  llvm::DenseSet<const CFGBlock *> Entered;
  unsigned Budget = MaxBlocks;
  while (!Work.empty()) {
    if (--Budget == 0)
      return false;
    auto [B, Before] = Work.pop_back_val();
    bool Stopped = false;
    for (unsigned I = Before; I-- > 0 && !Stopped;) {
      auto S = (*B)[I].getAs<CFGStmt>();
      if (!S)
        continue;
      BackStep Step = Visit(S->getStmt());
      if (Step == BackStep::Fail)
        return false;
      Stopped = Step == BackStep::Stop;
    }
    if (Stopped)
      continue;
    if (B == &G.getEntry())
      return false;
    for (const CFGBlock::AdjacentBlock &P : B->preds())
      if (const CFGBlock *PB = P.getReachableBlock())
        if (Entered.insert(PB).second)
          Work.push_back({PB, static_cast<unsigned>(PB->size())});
  }
  return true;
}

llvm::ArrayRef<const CXXMethodDecl *>
DiscardClassifier::overriders(const CXXMethodDecl *MD) {
  if (!Overrides)
    Overrides = std::make_unique<OverrideIndex>();
  return Overrides->overridersOf(MD);
}

} // namespace drain
