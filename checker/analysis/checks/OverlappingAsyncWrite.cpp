//===--- OverlappingAsyncWrite.cpp - drain-overlapping-async-write --------===//
#include "analysis/checks/OverlappingAsyncWrite.h"
#include "Compat.h"
#include "analysis/core/Analysable.h"
#include "analysis/core/AsyncOps.h"
#include "analysis/core/Identifiers.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <algorithm>
#include <map>

using namespace clang;

namespace drain {

namespace {

/// How a caller reaches a function: calls it (or hands it on to be called, a lambda stored or
/// passed along), posts it to an executor, or runs it as an operation's completion handler.
enum class Via : unsigned char { Direct, Posted, Handler };

struct CallSite {
  const FunctionDecl *Caller;
  const Stmt *Site;
  Via How;
};

/// A change of a member: filled (pushed, set, swapped in, assigned a value) or drained
/// (popped, cleared, reset, assigned false/0/nullptr/{}); ByMethod when a container method
/// did it (a queue, not a flag).
struct Change {
  const FieldDecl *Field;
  const Stmt *At;
  bool Fill;
  bool Drain;
  bool ByMethod;
};

struct Test {
  const FieldDecl *Field;
  const Stmt *Cond;
};

struct WriteSite {
  const CallExpr *Call;
  const Expr *Channel;
  const FunctionDecl *Handler; ///< canonical
};

/// One step of a chain: \p Fn reaches the step below it at \p Site (the bottom step's site is
/// the write).
struct Step {
  const FunctionDecl *Fn;
  const Stmt *Site;
  Via How;
};

struct Helper {
  const FunctionDecl *Callee; ///< canonical
  const Stmt *Site;
};

} // namespace

/// What one function (a method or a lambda's call operator) of the class does.
struct FunctionFacts {
  const FunctionDecl *FD = nullptr;
  const Stmt *Body = nullptr;
  std::vector<Change> Changes;
  std::vector<Test> Tests;
  std::vector<WriteSite> Writes;
  std::vector<Helper> Helpers;
  llvm::DenseSet<const FieldDecl *> Referenced;
  /// Calls a callable held in a local, a parameter or a capture (`done(ec)`): a handler that
  /// does tells its caller when the write is over.
  bool CallsHandedCallable = false;
};

namespace {

/// The template pattern of an instantiated class (or member class), else \p RD.
const CXXRecordDecl *patternOf(const CXXRecordDecl *RD) {
  for (unsigned I = 0; RD && I < 8; ++I) {
    if (const auto *S = dyn_cast<ClassTemplateSpecializationDecl>(RD)) {
      if (S->getSpecializationKind() == TSK_ExplicitSpecialization)
        break;
      RD = S->getSpecializedTemplate()->getTemplatedDecl();
      continue;
    }
    if (const CXXRecordDecl *M = RD->getInstantiatedFromMemberClass()) {
      RD = M;
      continue;
    }
    break;
  }
  return RD;
}

/// The outermost class (not a lambda) around \p DC, as its pattern.
const CXXRecordDecl *homeClassOf(const DeclContext *DC) {
  const CXXRecordDecl *Home = nullptr;
  for (; DC; DC = DC->getParent()) {
    const auto *RD = dyn_cast<CXXRecordDecl>(DC);
    if (RD && !RD->isLambda())
      Home = patternOf(RD);
  }
  return Home ? Home->getDefinition() : nullptr;
}

/// A function as the pattern's canonical declaration (an instantiated member is its pattern).
const FunctionDecl *canon(const FunctionDecl *FD) {
  if (!FD)
    return nullptr;
  if (const FunctionDecl *P = FD->getTemplateInstantiationPattern())
    FD = P;
  return FD->getCanonicalDecl();
}

bool isEmptyValue(const Expr *E) {
  E = peel(E);
  if (!E)
    return false;
  if (const auto *B = dyn_cast<CXXBoolLiteralExpr>(E))
    return !B->getValue();
  if (const auto *I = dyn_cast<IntegerLiteral>(E))
    return I->getValue() == 0;
  if (isa<CXXNullPtrLiteralExpr>(E) || isa<GNUNullExpr>(E) || isa<CXXScalarValueInitExpr>(E) ||
      isa<ImplicitValueInitExpr>(E))
    return true;
  if (const auto *IL = dyn_cast<InitListExpr>(E))
    return IL->getNumInits() == 0;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    return CE->getNumArgs() == 0;
  if (const auto *UC = dyn_cast<CXXUnresolvedConstructExpr>(E))
    return UC->getNumArgs() == 0;
  return false;
}

/// The object and method name of a member call, resolved or still a name in a pattern.
bool memberCallParts(const CallExpr *CE, const Expr *&Object, llvm::StringRef &Method) {
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE)) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    if (!MD || !MD->getDeclName().isIdentifier())
      return false;
    Object = MC->getImplicitObjectArgument();
    Method = MD->getName();
    return true;
  }
  const Expr *Callee = CE->getCallee() ? CE->getCallee()->IgnoreParens() : nullptr;
  DeclarationName Name;
  if (const auto *DS = dyn_cast_or_null<CXXDependentScopeMemberExpr>(Callee)) {
    Object = DS->isImplicitAccess() ? nullptr : DS->getBase();
    Name = DS->getMember();
  } else if (const auto *UM = dyn_cast_or_null<UnresolvedMemberExpr>(Callee)) {
    Object = UM->isImplicitAccess() ? nullptr : UM->getBase();
    Name = UM->getMemberName();
  } else {
    return false;
  }
  if (!Name.isIdentifier() || !Name.getAsIdentifierInfo())
    return false;
  Method = Name.getAsIdentifierInfo()->getName();
  return true;
}

/// The class being judged: its members are looked up by name where a pattern left them names.
struct ClassScope {
  const CXXRecordDecl *Home = nullptr;

  bool owns(const DeclContext *DC) const {
    for (; DC; DC = DC->getParent())
      if (const auto *RD = dyn_cast<CXXRecordDecl>(DC))
        if (patternOf(RD)->getCanonicalDecl() == Home->getCanonicalDecl())
          return true;
    return false;
  }
  /// A member of the class named \p N: in \p Local (a nested class) first, then the class.
  template <class T> void lookup(DeclarationName N, const CXXRecordDecl *Local,
                                 llvm::SmallVectorImpl<const T *> &Out) const {
    for (const CXXRecordDecl *RD : {Local, Home}) {
      if (!RD || !RD->hasDefinition())
        continue;
      for (const NamedDecl *D : RD->getDefinition()->lookup(N)) {
        if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D))
          D = FT->getTemplatedDecl();
        if (const auto *X = dyn_cast<T>(D))
          Out.push_back(X);
      }
      if (!Out.empty())
        return;
    }
  }
};

/// The member \p E names (`q_`, `this->q_`, `self->q_`, `shared_this->q_` in a pattern).
const FieldDecl *fieldOf(const Expr *E, const ClassScope &S, const CXXRecordDecl *Local) {
  E = peel(E);
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(E)) {
    const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
    return F && S.owns(F->getParent()) ? F : nullptr;
  }
  const auto *DS = dyn_cast_or_null<CXXDependentScopeMemberExpr>(E);
  if (!DS)
    return nullptr;
  const Expr *Base = DS->isImplicitAccess() ? nullptr : peel(DS->getBase());
  if (Base && !isa<CXXThisExpr>(Base) && !isa<DeclRefExpr>(Base))
    return nullptr;
  llvm::SmallVector<const FieldDecl *, 1> Found;
  S.lookup(DS->getMember(), Local, Found);
  return Found.empty() ? nullptr : Found.front();
}

/// The member stream a write's channel expression names: `socket_`, `*socket_`,
/// `adaptor_.socket()`, `self->ws_`.
const FieldDecl *streamField(const Expr *E, const ClassScope &S, const CXXRecordDecl *Local) {
  for (unsigned I = 0; E && I < 12; ++I) {
    E = peel(E);
    if (const FieldDecl *F = fieldOf(E, S, Local))
      return F;
    if (const auto *C = dyn_cast<ExplicitCastExpr>(E))
      E = C->getSubExpr();
    else if (const auto *UO = dyn_cast<UnaryOperator>(E))
      E = UO->getSubExpr();
    else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E))
      E = OC->getNumArgs() == 1 ? OC->getArg(0) : nullptr;
    else if (const auto *CE = dyn_cast<CallExpr>(E)) {
      const Expr *Object = nullptr;
      llvm::StringRef Method;
      if (CE->getNumArgs() == 0 && memberCallParts(CE, Object, Method))
        E = Object;
      else if (CE->getNumArgs() == 1) // get_lowest_layer(stream_)
        E = CE->getArg(0);
      else
        return nullptr;
    } else
      return nullptr;
  }
  return nullptr;
}

bool isFunctionLocal(const VarDecl *VD) {
  return VD && VD->hasLocalStorage() && !isa<ParmVarDecl>(VD);
}

/// True for a call of a callable held in a local, a parameter or a lambda's capture:
/// `done(ec)`, `handler(ec, n)`, `(*cb)(ec)`.
bool callsHandedCallable(const CallExpr *CE) {
  const Expr *Callee = nullptr;
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE)) {
    if (OC->getOperator() != OO_Call || OC->getNumArgs() == 0)
      return false;
    Callee = OC->getArg(0);
  } else if (!CE->getDirectCallee()) {
    Callee = CE->getCallee();
  }
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(Callee ? peel(Callee) : nullptr);
  if (const auto *UO = dyn_cast_or_null<UnaryOperator>(Callee ? peel(Callee) : nullptr))
    DRE = dyn_cast<DeclRefExpr>(peel(UO->getSubExpr()));
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  return VD && !VD->isFileVarDecl() && !VD->isStaticDataMember();
}

} // namespace

struct OverlapAnalysis::Impl {
  Impl(ASTContext &Ctx, const ApiModel &Model, const OverlapOptions &Opts)
      : Ctx(Ctx), Model(Model), Opts(Opts) {}

  ASTContext &Ctx;
  const ApiModel &Model;
  OverlapOptions Opts;
  std::vector<const CXXRecordDecl *> Classes;
  llvm::DenseSet<const CXXRecordDecl *> SeenClasses;

  // Per class (cleared between classes).
  ClassScope Scope;
  std::map<const FunctionDecl *, std::unique_ptr<FunctionFacts>> Facts;
  std::map<const FunctionDecl *, std::vector<CallSite>> Callers;
  std::vector<const FunctionDecl *> Order;

  struct Cfg {
    std::unique_ptr<CFG> Graph;
    std::unique_ptr<ParentMap> Parents;
    llvm::DenseMap<const Stmt *, std::pair<const CFGBlock *, unsigned>> Where;
  };
  std::map<const FunctionDecl *, Cfg> Cfgs;

  void analyseClass(const CXXRecordDecl *RD, std::vector<Finding> &Out);
  void collectMembers(const CXXRecordDecl *RD, std::vector<const FunctionDecl *> &Work);
  void collect(const FunctionDecl *FD, std::vector<const FunctionDecl *> &Work);
  void conditionFields(const Expr *E, const CXXRecordDecl *Local, unsigned Depth,
                       llvm::SmallPtrSetImpl<const FieldDecl *> &Out);
  void methodsCalled(const CallExpr *CE, const CXXRecordDecl *Local,
                     llvm::SmallVectorImpl<const FunctionDecl *> &Out);
  const FunctionFacts *factsOf(const FunctionDecl *FD) const {
    auto It = Facts.find(FD);
    return It == Facts.end() ? nullptr : It->second.get();
  }
  bool reaches(const FunctionDecl *FD, const Stmt *From, const Stmt *To);
  Cfg &cfgOf(const FunctionDecl *FD);
  bool isEntry(const FunctionDecl *FD) const;
  bool startLike(llvm::StringRef Name) const;

  // Chains from a write up to its entries.
  void walk(std::vector<Step> &Chain, const WriteSite &W, const FunctionFacts &H,
            unsigned &Paths, std::optional<Finding> &Out);
  void handlerChanges(const FunctionFacts &H, const std::vector<Step> &Chain,
                      llvm::SmallPtrSetImpl<const FieldDecl *> &Out) const;
  void before(const Step &S, const std::vector<Step> &Chain,
              llvm::SmallPtrSetImpl<const FieldDecl *> &Tested,
              llvm::SmallPtrSetImpl<const FieldDecl *> &Filled);
  bool guarded(const std::vector<Step> &Chain, const FunctionFacts &H);
  bool expectsOverlap(const std::vector<Step> &Chain, const WriteSite &W, const FunctionFacts &H);
  Finding finding(const std::vector<Step> &Chain, const WriteSite &W, const FunctionFacts &H);
  const Test *misleadingTest(const Step &S, const FunctionFacts &H, const std::vector<Step> &Chain);
  std::string misleadingNote(const Test &T, const FunctionFacts &H) const;
};

namespace {

/// Collects the facts of one function body; nested lambdas are functions of their own (listed
/// in Lambdas), and so are the member functions it names (`&C::on_write`).
class FactCollector : public RecursiveASTVisitor<FactCollector> {
public:
  FactCollector(OverlapAnalysis::Impl &A, FunctionFacts &F)
      : A(A), F(F), Local(thisClassOf(F.FD)) {}

  bool shouldVisitTemplateInstantiations() const { return false; }
  bool TraverseLambdaExpr(LambdaExpr *L) {
    Lambdas.push_back(L);
    return true;
  }
  bool TraverseUnaryExprOrTypeTraitExpr(UnaryExprOrTypeTraitExpr *) { return true; }

  bool VisitCallExpr(CallExpr *CE);
  bool VisitBinaryOperator(BinaryOperator *BO);
  bool VisitUnaryOperator(UnaryOperator *UO);
  bool VisitMemberExpr(MemberExpr *ME) {
    if (const FieldDecl *X = fieldOf(ME, A.Scope, Local))
      F.Referenced.insert(X);
    return true;
  }
  bool VisitCXXDependentScopeMemberExpr(CXXDependentScopeMemberExpr *DS) {
    if (const FieldDecl *X = fieldOf(DS, A.Scope, Local))
      F.Referenced.insert(X);
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *DRE) {
    if (const auto *MD = dyn_cast<CXXMethodDecl>(DRE->getDecl()))
      if (A.Scope.owns(MD->getParent()))
        MethodRefs.push_back({canon(MD), DRE});
    return true;
  }
  bool VisitIfStmt(IfStmt *S) { return cond(S->getCond()); }
  bool VisitWhileStmt(WhileStmt *S) { return cond(S->getCond()); }
  bool VisitDoStmt(DoStmt *S) { return cond(S->getCond()); }
  bool VisitForStmt(ForStmt *S) { return cond(S->getCond()); }
  bool VisitSwitchStmt(SwitchStmt *S) { return cond(S->getCond()); }
  bool VisitConditionalOperator(ConditionalOperator *C) { return cond(C->getCond()); }

  /// Ends the body: what was not consumed as a handler or a posted task is called from here.
  void finish(std::vector<const FunctionDecl *> &Work);

private:
  bool cond(const Expr *E) {
    if (!E)
      return true;
    llvm::SmallPtrSet<const FieldDecl *, 4> Fields;
    A.conditionFields(E, Local, 0, Fields);
    for (const FieldDecl *X : Fields)
      F.Tests.push_back({X, E});
    return true;
  }
  void use(const FunctionDecl *Callee, const Stmt *Site, Via How) {
    Callee = canon(Callee);
    if (!Callee)
      return;
    A.Callers[Callee].push_back({F.FD, Site, How});
    if (How != Via::Direct)
      Consumed.insert(Callee);
  }
  bool asyncCall(CallExpr *CE);
  void memberChange(CallExpr *CE);
  void assignment(const Expr *LHS, const Expr *RHS, const Stmt *At, bool Drain);

  OverlapAnalysis::Impl &A;
  FunctionFacts &F;
  const CXXRecordDecl *Local;
  std::vector<const LambdaExpr *> Lambdas;
  std::vector<std::pair<const FunctionDecl *, const DeclRefExpr *>> MethodRefs;
  llvm::DenseSet<const FunctionDecl *> Consumed;
};

/// An asynchronous operation: its handler runs as a completion (Via::Handler), and a write of
/// a library that does not queue writes, on a member stream, with a handler drain can read, is
/// recorded. False if \p CE is no asynchronous operation.
bool FactCollector::asyncCall(CallExpr *CE) {
  std::optional<AsyncCall> Op = matchAsyncCall(CE, A.Model);
  if (!Op && !CE->getDirectCallee())
    Op = matchDependentAsyncCall(CE, A.Model);
  if (!Op) {
    if (!isAsyncInitiation(CE))
      return false;
    for (const Expr *Arg : CE->arguments())
      if (auto H = resolveHandlerInPattern(Arg))
        use(H->Fn, CE, Via::Handler);
    return true;
  }
  std::optional<HandlerCallable> H = resolveHandlerInPattern(Op->Handler);
  if (H)
    use(H->Fn, CE, Via::Handler);
  const ApiEntry &Row = *Op->Op.Entry;
  if (Op->Op.kind() != OpKind::AsyncWrite || queuesOverlappingWrites(Row) || !H)
    return true;
  CompletionToken T = classifyToken(Op->Handler);
  if (T.Kind != TokenKind::Handler || completesInPlace(CE, T, Row))
    return true;
  if (streamField(Op->Channel, A.Scope, Local))
    F.Writes.push_back({CE, Op->Channel, canon(H->Fn)});
  return true;
}

void FactCollector::assignment(const Expr *LHS, const Expr *RHS, const Stmt *At, bool Drain) {
  if (const FieldDecl *X = fieldOf(LHS, A.Scope, Local)) {
    bool Empty = Drain || (RHS && isEmptyValue(RHS));
    F.Changes.push_back({X, At, !Empty, Empty, false});
  }
}

void FactCollector::memberChange(CallExpr *CE) {
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE)) {
    OverloadedOperatorKind K = OC->getOperator();
    if ((K == OO_Equal || K == OO_PlusEqual) && OC->getNumArgs() == 2)
      assignment(OC->getArg(0), OC->getArg(1), CE, false);
    else if ((K == OO_PlusPlus || K == OO_MinusMinus) && OC->getNumArgs() >= 1)
      assignment(OC->getArg(0), nullptr, CE, K == OO_MinusMinus);
    return;
  }
  const Expr *Object = nullptr;
  llvm::StringRef Method;
  if (!memberCallParts(CE, Object, Method) || !Object)
    return;
  const FieldDecl *X = fieldOf(Object, A.Scope, Local);
  MemberChange C = memberChangeOf(Method);
  if (!X || C == MemberChange::None)
    return;
  bool Fill = C == MemberChange::Fill || C == MemberChange::Both;
  bool Drain = C == MemberChange::Drain || C == MemberChange::Both;
  // store(false), exchange(false): a flag cleared, not set.
  if (C == MemberChange::Both && CE->getNumArgs() == 1 && isEmptyValue(CE->getArg(0)) &&
      Method != "swap")
    Fill = false;
  F.Changes.push_back({X, CE, Fill, Drain, true});
}

bool FactCollector::VisitCallExpr(CallExpr *CE) {
  if (CE->containsErrors())
    return true;
  if (callsHandedCallable(CE))
    F.CallsHandedCallable = true;
  if (asyncCall(CE))
    return true;
  if (const Expr *Task = postedTaskArg(CE)) {
    if (auto H = resolveHandlerInPattern(Task))
      use(H->Fn, CE, Via::Posted);
    return true;
  }
  llvm::SmallVector<const FunctionDecl *, 2> Callees;
  A.methodsCalled(CE, Local, Callees);
  for (const FunctionDecl *M : Callees) {
    use(M, CE, Via::Direct);
    F.Helpers.push_back({canon(M), CE});
  }
  memberChange(CE);
  return true;
}

bool FactCollector::VisitBinaryOperator(BinaryOperator *BO) {
  if (BO->isAssignmentOp())
    assignment(BO->getLHS(), BO->getRHS(), BO, BO->getOpcode() == BO_SubAssign);
  if (BO->getOpcode() == BO_LAnd || BO->getOpcode() == BO_LOr)
    cond(BO->getLHS());
  return true;
}

bool FactCollector::VisitUnaryOperator(UnaryOperator *UO) {
  if (UO->isIncrementDecrementOp())
    assignment(UO->getSubExpr(), nullptr, UO, UO->isDecrementOp());
  if (UO->getOpcode() == UO_LNot)
    cond(UO->getSubExpr());
  return true;
}

void FactCollector::finish(std::vector<const FunctionDecl *> &Work) {
  for (const LambdaExpr *L : Lambdas) {
    const FunctionDecl *Op = canon(L->getCallOperator());
    if (!Op)
      continue;
    if (!Consumed.count(Op))
      A.Callers[Op].push_back({F.FD, L, Via::Direct});
    Work.push_back(Op);
  }
  for (const auto &R : MethodRefs)
    if (!Consumed.count(R.first))
      A.Callers[R.first].push_back({F.FD, R.second, Via::Direct});
}

} // namespace

/// The methods of the class \p CE calls: resolved, or by name where a pattern left a name
/// (`shared_this->do_write()`).
void OverlapAnalysis::Impl::methodsCalled(const CallExpr *CE, const CXXRecordDecl *Local,
                                          llvm::SmallVectorImpl<const FunctionDecl *> &Out) {
  if (const FunctionDecl *FD = CE->getDirectCallee()) {
    if (isa<CXXMethodDecl>(FD) && Scope.owns(FD->getDeclContext()))
      Out.push_back(FD);
    return;
  }
  const Expr *Object = nullptr;
  llvm::StringRef Method;
  if (!memberCallParts(CE, Object, Method))
    return;
  const Expr *Base = Object ? peel(Object) : nullptr;
  if (Base && !isa<CXXThisExpr>(Base) && !isa<DeclRefExpr>(Base))
    return;
  llvm::SmallVector<const CXXMethodDecl *, 2> Found;
  Scope.lookup(DeclarationName(&Ctx.Idents.get(Method)), Local, Found);
  Out.append(Found.begin(), Found.end());
}

/// The members a condition reads: directly, through a local initialised from them (`bool
/// idle = q_.empty()`), or through a method of the class that returns them (`isReady()`).
void OverlapAnalysis::Impl::conditionFields(const Expr *E, const CXXRecordDecl *Local,
                                            unsigned Depth,
                                            llvm::SmallPtrSetImpl<const FieldDecl *> &Out) {
  if (!E || Depth > 3)
    return;
  llvm::SmallVector<const Stmt *, 16> Stack{E};
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    if (const auto *X = dyn_cast<Expr>(S))
      if (const FieldDecl *Fd = fieldOf(X, Scope, Local))
        Out.insert(Fd);
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        if (isFunctionLocal(VD) && VD->getInit())
          conditionFields(VD->getInit(), Local, Depth + 1, Out);
    if (const auto *CE = dyn_cast<CallExpr>(S)) {
      llvm::SmallVector<const FunctionDecl *, 2> Callees;
      methodsCalled(CE, Local, Callees);
      for (const FunctionDecl *M : Callees)
        if (const Stmt *Body = bodyOf(M))
          for (const Stmt *C : Body->children())
            if (const auto *R = dyn_cast_or_null<ReturnStmt>(C))
              conditionFields(R->getRetValue(), Local, Depth + 1, Out);
    }
    for (const Stmt *C : S->children())
      Stack.push_back(C);
  }
}

void OverlapAnalysis::Impl::collect(const FunctionDecl *FD,
                                    std::vector<const FunctionDecl *> &Work) {
  FD = canon(FD);
  if (!FD || Facts.count(FD))
    return;
  auto F = std::make_unique<FunctionFacts>();
  F->FD = FD;
  F->Body = bodyOf(FD);
  FunctionFacts &Ref = *F;
  Facts[FD] = std::move(F);
  Order.push_back(FD);
  if (!Ref.Body)
    return;
  FactCollector C(*this, Ref);
  C.TraverseStmt(const_cast<Stmt *>(Ref.Body));
  C.finish(Work);
}

/// The member functions of \p RD and of the classes nested in it.
void OverlapAnalysis::Impl::collectMembers(const CXXRecordDecl *RD,
                                           std::vector<const FunctionDecl *> &Work) {
  if (!RD || !RD->hasDefinition())
    return;
  for (const Decl *D : RD->getDefinition()->decls()) {
    if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D))
      D = FT->getTemplatedDecl();
    if (const auto *MD = dyn_cast<CXXMethodDecl>(D)) {
      Work.push_back(MD);
      continue;
    }
    if (const auto *Nested = dyn_cast<CXXRecordDecl>(D))
      if (!Nested->isLambda() && !Nested->isInjectedClassName())
        collectMembers(Nested, Work);
  }
}

OverlapAnalysis::Impl::Cfg &OverlapAnalysis::Impl::cfgOf(const FunctionDecl *FD) {
  auto It = Cfgs.find(FD);
  if (It != Cfgs.end())
    return It->second;
  Cfg &C = Cfgs[FD];
  const FunctionFacts *F = factsOf(FD);
  if (!F || !F->Body)
    return C;
  C.Parents = std::make_unique<ParentMap>(const_cast<Stmt *>(F->Body));
  // A template pattern gets no CFG (the builder expects instantiated code): its statements are
  // ordered by the source and by the branches of the ifs around them.
  if (!isAnalysable(FD))
    return C;
  CFG::BuildOptions BO;
  BO.PruneTriviallyFalseEdges = false;
  C.Graph = CFG::buildCFG(FD, const_cast<Stmt *>(F->Body), &Ctx, BO);
  if (!C.Graph)
    return C;
  for (const CFGBlock *B : *C.Graph) {
    unsigned I = 0;
    for (const CFGElement &El : *B) {
      if (auto S = El.getAs<CFGStmt>())
        C.Where.insert({S->getStmt(), {B, I}});
      ++I;
    }
    if (const Stmt *T = B->getTerminatorStmt())
      C.Where.insert({T, {B, I}});
  }
  return C;
}

namespace {

/// True if \p S is \p Ancestor or inside it.
bool within(const Stmt *S, const Stmt *Ancestor, const ParentMap &PM) {
  for (unsigned I = 0; S && I < 256; ++I, S = PM.getParent(S))
    if (S == Ancestor)
      return true;
  return false;
}

/// True if \p From and \p To sit in the two branches of one if or `?:`: no run reaches both.
bool exclusiveBranches(const Stmt *From, const Stmt *To, const ParentMap &PM) {
  const Stmt *Child = From;
  for (const Stmt *A = PM.getParent(From); A; Child = A, A = PM.getParent(A)) {
    const Stmt *Mine = nullptr, *Other = nullptr;
    if (const auto *If = dyn_cast<IfStmt>(A)) {
      if (Child == If->getThen())
        Mine = If->getThen(), Other = If->getElse();
      else if (Child == If->getElse())
        Mine = If->getElse(), Other = If->getThen();
    } else if (const auto *CO = dyn_cast<ConditionalOperator>(A)) {
      if (Child == CO->getTrueExpr())
        Mine = CO->getTrueExpr(), Other = CO->getFalseExpr();
      else if (Child == CO->getFalseExpr())
        Mine = CO->getFalseExpr(), Other = CO->getTrueExpr();
    }
    if (Mine && Other && within(To, Other, PM))
      return true;
  }
  return false;
}

} // namespace

/// True if the statement \p From can run before \p To in \p FD: \p To's block is reachable
/// from \p From's (or they share one and \p From comes first). Without a CFG: \p From comes
/// first in the source and the two are not in the two branches of one if.
bool OverlapAnalysis::Impl::reaches(const FunctionDecl *FD, const Stmt *From, const Stmt *To) {
  const SourceManager &SM = Ctx.getSourceManager();
  auto Before = [&] { return SM.isBeforeInTranslationUnit(From->getBeginLoc(), To->getBeginLoc()); };
  Cfg &C = cfgOf(FD);
  if (!C.Graph)
    return Before() && !(C.Parents && exclusiveBranches(From, To, *C.Parents));
  auto BlockOf = [&](const Stmt *S) -> std::pair<const CFGBlock *, unsigned> {
    for (unsigned I = 0; S && I < 64; ++I, S = C.Parents->getParent(S)) {
      auto It = C.Where.find(S);
      if (It != C.Where.end())
        return It->second;
    }
    return {nullptr, 0};
  };
  auto [BF, IF] = BlockOf(From);
  auto [BT, IT] = BlockOf(To);
  if (!BF || !BT)
    return Before();
  if (BF == BT && (IF < IT || (IF == IT && Before())))
    return true;
  llvm::SmallPtrSet<const CFGBlock *, 32> Seen;
  llvm::SmallVector<const CFGBlock *, 32> Stack{BF};
  while (!Stack.empty()) {
    const CFGBlock *B = Stack.pop_back_val();
    for (const CFGBlock *S : B->succs()) {
      if (!S || !Seen.insert(S).second)
        continue;
      if (S == BT)
        return true;
      Stack.push_back(S);
    }
  }
  return false;
}

bool OverlapAnalysis::Impl::startLike(llvm::StringRef Name) const {
  llvm::SmallVector<std::string, 4> Words = identifierWords(Name, {"m"});
  if (Words.empty())
    return false;
  for (const std::string &W : Opts.StartWords)
    if (Words.front() == W)
      return true;
  return false;
}

/// A function at the top of a chain that code outside the class can call again while the
/// write it leads to is in flight.
bool OverlapAnalysis::Impl::isEntry(const FunctionDecl *FD) const {
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  if (!MD || MD->getParent()->isLambda() || isa<CXXConstructorDecl>(MD) ||
      isa<CXXDestructorDecl>(MD))
    return false;
  if (MD->getAccess() == AS_private && !MD->isVirtual())
    return false;
  return !(MD->getDeclName().isIdentifier() && startLike(MD->getName()));
}

namespace {

std::string nameOf(const FunctionDecl *FD) {
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
    if (MD->getParent()->isLambda())
      return "the lambda";
  return "'" + FD->getNameAsString() + "'";
}

bool inChain(const FunctionDecl *FD, const std::vector<Step> &Chain) {
  for (const Step &S : Chain)
    if (S.Fn == FD)
      return true;
  return false;
}

} // namespace

/// The members the write's handler changes, itself or in a method it calls that starts no
/// write and is not on the chain (the handler calling do_write again is no change of its own).
void OverlapAnalysis::Impl::handlerChanges(const FunctionFacts &H, const std::vector<Step> &Chain,
                                           llvm::SmallPtrSetImpl<const FieldDecl *> &Out) const {
  for (const Change &C : H.Changes)
    Out.insert(C.Field);
  for (const Helper &Hp : H.Helpers) {
    const FunctionFacts *HF = factsOf(Hp.Callee);
    if (!HF || HF == &H || inChain(Hp.Callee, Chain) || !HF->Writes.empty())
      continue;
    for (const Change &C : HF->Changes)
      Out.insert(C.Field);
  }
}

/// The members tested and filled in \p S.Fn before it reaches the step below (its site), also
/// in the methods it calls on the way (one level).
void OverlapAnalysis::Impl::before(const Step &S, const std::vector<Step> &Chain,
                                   llvm::SmallPtrSetImpl<const FieldDecl *> &Tested,
                                   llvm::SmallPtrSetImpl<const FieldDecl *> &Filled) {
  const FunctionFacts *F = factsOf(S.Fn);
  if (!F)
    return;
  for (const Test &T : F->Tests)
    if (reaches(S.Fn, T.Cond, S.Site))
      Tested.insert(T.Field);
  for (const Change &C : F->Changes)
    if (C.Fill && reaches(S.Fn, C.At, S.Site))
      Filled.insert(C.Field);
  for (const Helper &Hp : F->Helpers) {
    const FunctionFacts *HF = factsOf(Hp.Callee);
    if (!HF || Hp.Site == S.Site || inChain(Hp.Callee, Chain) || !reaches(S.Fn, Hp.Site, S.Site))
      continue;
    for (const Test &T : HF->Tests)
      Tested.insert(T.Field);
    for (const Change &C : HF->Changes)
      if (C.Fill)
        Filled.insert(C.Field);
  }
}

/// True if some member the handler changes is tested and filled on the chain before the
/// write, and the write's own function does not take it out again before writing (a queue
/// popped before the write does not hold the message in flight).
bool OverlapAnalysis::Impl::guarded(const std::vector<Step> &Chain, const FunctionFacts &H) {
  llvm::SmallPtrSet<const FieldDecl *, 8> Changed, Tested, Filled;
  handlerChanges(H, Chain, Changed);
  if (Changed.empty())
    return false;
  for (const Step &S : Chain)
    before(S, Chain, Tested, Filled);
  const Step &Bottom = Chain.front();
  llvm::SmallPtrSet<const FieldDecl *, 4> TakenOut, PutIn;
  if (const FunctionFacts *F = factsOf(Bottom.Fn))
    for (const Change &C : F->Changes)
      if (reaches(Bottom.Fn, C.At, Bottom.Site))
        (C.Fill ? PutIn : TakenOut).insert(C.Field);
  for (const FieldDecl *M : Changed)
    if (Tested.count(M) && Filled.count(M) && (!TakenOut.count(M) || PutIn.count(M)))
      return true;
  return false;
}

/// True if the chain shows that the class expects writes while one is in flight: it posts a
/// task, or it appends to a member that the write's handler or its buffers use.
bool OverlapAnalysis::Impl::expectsOverlap(const std::vector<Step> &Chain, const WriteSite &W,
                                           const FunctionFacts &H) {
  for (size_t I = 1; I < Chain.size(); ++I)
    if (Chain[I].How == Via::Posted)
      return true;
  llvm::SmallPtrSet<const FieldDecl *, 8> Uses(H.Referenced.begin(), H.Referenced.end());
  const CXXRecordDecl *Local = thisClassOf(Chain.front().Fn);
  for (const Expr *Arg : W.Call->arguments()) {
    if (Arg == W.Channel)
      continue;
    llvm::SmallPtrSet<const FieldDecl *, 4> Fields;
    conditionFields(Arg, Local, 3, Fields); // the members named in the argument itself
    Uses.insert(Fields.begin(), Fields.end());
  }
  auto Appends = [&](const FunctionFacts *F) {
    if (F)
      for (const Change &C : F->Changes)
        if (C.ByMethod && C.Fill && Uses.count(C.Field))
          return true;
    return false;
  };
  for (const Step &S : Chain) {
    const FunctionFacts *F = factsOf(S.Fn);
    if (Appends(F))
      return true;
    if (F)
      for (const Helper &Hp : F->Helpers)
        if (!inChain(Hp.Callee, Chain) && Appends(factsOf(Hp.Callee)))
          return true;
  }
  return false;
}

/// The first test on the chain of a member the handler changes: it looks like a guard but is
/// not one (the message in flight is not in it, or nothing sets it). Null if none.
const Test *OverlapAnalysis::Impl::misleadingTest(const Step &S, const FunctionFacts &H,
                                                  const std::vector<Step> &Chain) {
  const FunctionFacts *F = factsOf(S.Fn);
  if (!F)
    return nullptr;
  llvm::SmallPtrSet<const FieldDecl *, 8> Changed;
  handlerChanges(H, Chain, Changed);
  for (const Test &T : F->Tests)
    if (Changed.count(T.Field) && reaches(S.Fn, T.Cond, S.Site))
      return &T;
  return nullptr;
}

std::string OverlapAnalysis::Impl::misleadingNote(const Test &T, const FunctionFacts &H) const {
  bool Queue = false;
  for (const Change &C : H.Changes)
    Queue |= C.Field == T.Field && C.ByMethod;
  std::string Name = "'" + T.Field->getNameAsString() + "'";
  if (Queue)
    return Name + " is tested here, but the message being written is not in it while the "
                  "write is in flight, so it can be empty then";
  return Name + " is tested here, but nothing sets it before the write, so it does not say "
                "whether a write is in flight";
}

Finding OverlapAnalysis::Impl::finding(const std::vector<Step> &Chain, const WriteSite &W,
                                       const FunctionFacts &H) {
  Finding F;
  F.Loc = W.Call->getBeginLoc();
  F.Range = W.Call->getCallee() ? W.Call->getCallee()->getSourceRange() : SourceRange();
  F.Message = "asynchronous write on '" + channelSpelling(W.Channel, Ctx) +
              "' may start while an earlier one is still in flight; the bytes of the two "
              "messages can interleave";
  const FunctionDecl *Root = Chain.back().Fn;
  F.Notes.push_back({Root->getLocation(), nameOf(Root) + " can be called again before the "
                                          "write it starts has completed"});
  bool Shown = false;
  for (size_t I = Chain.size(); I-- > 0;) {
    if (!Shown)
      if (const Test *T = misleadingTest(Chain[I], H, Chain)) {
        F.Notes.push_back({T->Cond->getBeginLoc(), misleadingNote(*T, H)});
        Shown = true;
      }
    if (I == 0)
      break;
    std::string Text = nameOf(Chain[I - 1].Fn) +
                       (Chain[I].How == Via::Posted ? " is posted here; it runs later, whether "
                                                      "or not a write is in flight"
                                                    : " is called here");
    F.Notes.push_back({Chain[I].Site->getBeginLoc(), Text});
  }
  F.Notes.push_back({F.Loc, "start a write only when none is in flight: keep the message in a "
                            "queue (or set a flag) before writing, test it first, and pop it "
                            "(or clear the flag) in the completion handler"});
  return F;
}

void OverlapAnalysis::Impl::walk(std::vector<Step> &Chain, const WriteSite &W,
                                 const FunctionFacts &H, unsigned &Paths,
                                 std::optional<Finding> &Out) {
  if (Out || Paths >= Opts.MaxPaths)
    return;
  const FunctionDecl *Cur = Chain.back().Fn;
  bool AsHandler = false;
  std::vector<CallSite> Up;
  auto It = Callers.find(Cur);
  if (It != Callers.end())
    for (const CallSite &C : It->second) {
      if (C.How == Via::Handler)
        AsHandler = true;
      else
        Up.push_back(C);
    }
  if (Up.empty()) {
    ++Paths;
    if (!AsHandler && isEntry(Cur) && !guarded(Chain, H) && expectsOverlap(Chain, W, H))
      Out = finding(Chain, W, H);
    return;
  }
  if (Chain.size() >= Opts.MaxDepth)
    return;
  for (const CallSite &C : Up) {
    if (inChain(C.Caller, Chain))
      continue;
    Chain.push_back({C.Caller, C.Site, C.How});
    walk(Chain, W, H, Paths, Out);
    Chain.pop_back();
  }
}

void OverlapAnalysis::Impl::analyseClass(const CXXRecordDecl *RD, std::vector<Finding> &Out) {
  Scope.Home = RD;
  Facts.clear();
  Callers.clear();
  Order.clear();
  Cfgs.clear();
  std::vector<const FunctionDecl *> Work;
  collectMembers(RD, Work);
  while (!Work.empty()) {
    const FunctionDecl *FD = Work.back();
    Work.pop_back();
    collect(FD, Work);
  }
  // Code that does not compile says nothing reliable about who calls whom.
  for (const FunctionDecl *FD : Order)
    if (Facts[FD]->Body && hasErrors(FD))
      return;
  for (const FunctionDecl *FD : Order) {
    const FunctionFacts &F = *Facts[FD];
    for (const WriteSite &W : F.Writes) {
      const FunctionFacts *H = factsOf(W.Handler);
      // A handler that calls back what it was handed reports the completion to the caller,
      // who sequences its writes (an async_send(msg, done) of a client library).
      if (!H || H->CallsHandedCallable)
        continue;
      std::vector<Step> Chain{{FD, W.Call, Via::Direct}};
      unsigned Paths = 0;
      std::optional<Finding> Found;
      walk(Chain, W, *H, Paths, Found);
      if (Found)
        Out.push_back(std::move(*Found));
    }
  }
}

OverlapAnalysis::OverlapAnalysis(ASTContext &Ctx, const ApiModel &Model,
                                 const OverlapOptions &Opts)
    : P(std::make_unique<Impl>(Ctx, Model, Opts)) {}
OverlapAnalysis::~OverlapAnalysis() = default;

void OverlapAnalysis::addFunction(const FunctionDecl *FD) {
  if (!FD)
    return;
  const CXXRecordDecl *Home = homeClassOf(FD->getDeclContext());
  if (!Home || P->Ctx.getSourceManager().isInSystemHeader(Home->getLocation()))
    return;
  if (P->SeenClasses.insert(Home->getCanonicalDecl()).second)
    P->Classes.push_back(Home);
}

std::vector<Finding> OverlapAnalysis::findings() {
  std::vector<Finding> Out;
  for (const CXXRecordDecl *RD : P->Classes)
    P->analyseClass(RD, Out);
  const SourceManager &SM = P->Ctx.getSourceManager();
  std::sort(Out.begin(), Out.end(), [&](const Finding &A, const Finding &B) {
    return SM.isBeforeInTranslationUnit(A.Loc, B.Loc);
  });
  return Out;
}

} // namespace drain
