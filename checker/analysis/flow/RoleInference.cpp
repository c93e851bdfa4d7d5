//===--- RoleInference.cpp - a project's own I/O functions, learned from bodies ===//
#include "analysis/flow/RoleInference.h"
#include "clang/AST/ParentMap.h"
#include "analysis/core/Callees.h"
#include "analysis/core/Expressions.h"
#include "analysis/core/Overrides.h"
#include "analysis/core/PointerRoles.h"
#include "Compat.h"
#include "analysis/core/ResultTypes.h"
#include "analysis/core/StdioStreams.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include <map>

using namespace clang;

namespace drain {

namespace {

const Expr *strip(const Expr *E) {
  while (E) {
    const Expr *Before = E;
    E = E->IgnoreParenCasts();
    if (const auto *EWC = dyn_cast<ExprWithCleanups>(E))
      E = EWC->getSubExpr();
    if (const auto *MT = dyn_cast<MaterializeTemporaryExpr>(E))
      E = MT->getSubExpr();
    if (const auto *BT = dyn_cast<CXXBindTemporaryExpr>(E))
      E = BT->getSubExpr();
    if (E == Before)
      break;
  }
  return E;
}

/// A result a wrapper can pass on and keep its meaning: a count, a status, a state.
bool isPassableResult(const ApiOp &Op, std::optional<ResultKind> R) {
  if (!Op || !R)
    return false;
  switch (Op.kind()) {
  case OpKind::AsyncWrite: // the result says only whether it started; a handler reports
  case OpKind::AsyncShutdown:
  case OpKind::Cancel:
    return false;
  default:
    break;
  }
  return *R != ResultKind::None && *R != ResultKind::Awaitable &&
         *R != ResultKind::ErrorCodeOut;
}

/// A call in the body, with the row its callee has.
struct BodyCall {
  const CallExpr *Call;
  const FunctionDecl *Callee; ///< null for a call through a function pointer
  ApiOp Op;
  std::optional<ResultKind> Result;
  bool InLoop;
  /// A count-returning write through a function pointer (`self->klass->send(...)`): it only
  /// makes the body a wrapper whose result is that count (bodyOps leaves it out).
  const ValueDecl *Pointer = nullptr;
};

struct ReturnSite {
  const ReturnStmt *Ret;
  /// Conditions of the ifs/loops around it, innermost last.
  llvm::SmallVector<const Expr *, 4> Conds;
};

/// One pass over a body: its calls (with rows), returns, and what each local is assigned.
class BodyScan {
public:
  BodyScan(const FunctionDecl *Def, const ApiModel &M) : Def(Def), M(M) {}

  void run() { visit(Def->getBody()); }

  const FunctionDecl *Def;
  const ApiModel &M;
  llvm::SmallVector<BodyCall, 8> Calls;
  llvm::SmallVector<ReturnSite, 4> Returns;
  std::map<const VarDecl *, llvm::SmallVector<const Expr *, 2>> Assigned;
  /// Locals that appear on the right of `x += n`, `x -= n`, `p = p + n`: counts that advance
  /// a position, so the body handles short writes itself.
  llvm::SmallPtrSet<const VarDecl *, 4> Advancing;
  /// Locals that are themselves accumulated (`total += n`).
  llvm::SmallPtrSet<const VarDecl *, 4> Accumulated;
  /// The body changes a variable with static storage (`wf_writeBufCnt -= ret`, `out_len =
  /// 0`): a module-level buffer's fill is being drained, not a constant message written.
  bool StoresStatic = false;
  /// The body calls a function that does not return (exit, abort): it handles a failure
  /// itself instead of answering it.
  bool CallsNoReturn = false;

  /// The function a call runs: its direct callee, or the call operator of a lambda held by a
  /// local (`auto op = [&] { ... }; op();`, also through a std::function-like wrapper).
  static const FunctionDecl *calleeOf(const CallExpr *CE) {
    const FunctionDecl *FD = CE->getDirectCallee();
    const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE);
    if (!OC || OC->getOperator() != OO_Call || OC->getNumArgs() == 0)
      return FD;
    const auto *MD = dyn_cast_or_null<CXXMethodDecl>(FD);
    if (MD && MD->getParent()->isLambda())
      return FD;
    // The object: a local initialized with a lambda (possibly wrapped in a constructor).
    const auto *DRE = dyn_cast<DeclRefExpr>(strip(OC->getArg(0)));
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    if (!VD || !VD->isLocalVarDecl() || !VD->getInit())
      return FD;
    const Expr *Init = strip(VD->getInit());
    for (unsigned Guard = 0; Guard < 4 && Init; ++Guard) {
      if (const auto *LE = dyn_cast<LambdaExpr>(Init))
        return LE->getCallOperator();
      if (const auto *CC = dyn_cast<CXXConstructExpr>(Init)) {
        if (CC->getNumArgs() != 1)
          break;
        Init = strip(CC->getArg(0));
        continue;
      }
      break;
    }
    return FD;
  }

private:
  unsigned Loops = 0;
  llvm::SmallVector<const Expr *, 8> Conds;

  void noteStaticStore(const Expr *LHS) {
    const Expr *E = strip(LHS);
    while (const auto *ME = dyn_cast<MemberExpr>(E))
      E = strip(ME->getBase());
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        if (VD->hasGlobalStorage() && !VD->getType().isConstQualified())
          StoresStatic = true;
  }
  void noteAssign(const Expr *LHS, const Expr *RHS) {
    const auto *DRE = dyn_cast<DeclRefExpr>(strip(LHS));
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    if (VD && VD->isLocalVarDecl())
      Assigned[VD].push_back(RHS);
  }
  void noteAdvance(const Expr *LHS, const Expr *RHS) {
    if (const auto *DRE = dyn_cast<DeclRefExpr>(strip(RHS)))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        Advancing.insert(VD);
    if (const auto *DRE = dyn_cast<DeclRefExpr>(strip(LHS)))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        Accumulated.insert(VD);
  }

  void visit(const Stmt *S) {
    if (!S)
      return;
    // A lambda's body is its own function; it counts where it is called.
    if (isa<LambdaExpr>(S) || isa<BlockExpr>(S))
      return;
    if (const auto *R = dyn_cast<ReturnStmt>(S)) {
      Returns.push_back({R, llvm::SmallVector<const Expr *, 4>(Conds.begin(), Conds.end())});
    } else if (const auto *CE = dyn_cast<CallExpr>(S)) {
      // assert() expands to a call of __assert_fail: a check of the arguments, not a way of
      // handling a failed write.
      if (const FunctionDecl *Direct = CE->getDirectCallee())
        if (Direct->isNoReturn() &&
            !(Direct->getIdentifier() && Direct->getName().contains_insensitive("assert")))
          CallsNoReturn = true;
      if (const FunctionDecl *Callee = calleeOf(CE)) {
        ApiOp Op = M.lookup(Callee);
        std::optional<ResultKind> RK;
        if (Op)
          RK = effectiveResultKind(Op, Callee, M);
        Calls.push_back({CE, Callee, Op, RK, Loops > 0});
      } else if (drain::Callee C = drain::calleeOf(CE); C.Pointer) {
        // rabbitmq-c's amqp_socket_send returns `self->klass->send(self, buf, len)`.
        ApiOp Op = M.lookup(C);
        if (Op && Op.kind() == OpKind::Write) {
          std::optional<ResultKind> RK = effectiveResultKind(Op, C.returnType(), M);
          if (RK && (*RK == ResultKind::ByteCount || *RK == ResultKind::TlsCount))
            Calls.push_back({CE, nullptr, Op, RK, Loops > 0, C.Pointer});
        }
      }
    } else if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          if (VD->isLocalVarDecl() && VD->getInit())
            Assigned[VD].push_back(VD->getInit());
    } else if (const auto *UO = dyn_cast<UnaryOperator>(S)) {
      if (UO->isIncrementDecrementOp())
        noteStaticStore(UO->getSubExpr());
    } else if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      if (BO->isAssignmentOp())
        noteStaticStore(BO->getLHS());
      if (BO->getOpcode() == BO_Assign) {
        noteAssign(BO->getLHS(), BO->getRHS());
        // p = p + n
        if (const auto *Arith = dyn_cast<BinaryOperator>(strip(BO->getRHS())))
          if (Arith->isAdditiveOp())
            noteAdvance(BO->getLHS(), Arith->getRHS());
      } else if (const auto *CA = dyn_cast<CompoundAssignOperator>(BO)) {
        if (CA->getOpcode() == BO_AddAssign || CA->getOpcode() == BO_SubAssign)
          noteAdvance(CA->getLHS(), CA->getRHS());
      }
    }
    const Expr *Cond = nullptr;
    bool Loop = isa<ForStmt>(S) || isa<WhileStmt>(S) || isa<DoStmt>(S) || isa<CXXForRangeStmt>(S);
    if (const auto *If = dyn_cast<IfStmt>(S))
      Cond = If->getCond();
    else if (const auto *W = dyn_cast<WhileStmt>(S))
      Cond = W->getCond();
    else if (const auto *F = dyn_cast<ForStmt>(S))
      Cond = F->getCond();
    else if (const auto *D = dyn_cast<DoStmt>(S))
      Cond = D->getCond();
    if (Loop)
      ++Loops;
    for (const Stmt *Child : S->children()) {
      bool Guarded = Cond && Child != Cond;
      if (Guarded)
        Conds.push_back(Cond);
      visit(Child);
      if (Guarded)
        Conds.pop_back();
    }
    if (Loop)
      --Loops;
  }
};

/// What a returned value is made of.
struct Trace {
  const BodyCall *Source = nullptr; ///< a modelled write whose result it is
  bool Other = false;               ///< something else (a computed value, a parameter)
  bool Constant = false;
};

class Tracer {
public:
  Tracer(const BodyScan &Scan, const ASTContext &Ctx) : Scan(Scan), Ctx(Ctx) {}

  void trace(const Expr *E, Trace &T) {
    E = strip(E);
    if (!E) {
      T.Other = true;
      return;
    }
    if (!E->isValueDependent() && E->isIntegerConstantExpr(Ctx)) {
      T.Constant = true;
      return;
    }
    // `return -errno;`: an error answer, as good as a constant.
    if (const auto *UO = dyn_cast<UnaryOperator>(E))
      if (UO->getOpcode() == UO_Minus) {
        T.Constant = true;
        return;
      }
    if (const auto *CO = dyn_cast<ConditionalOperator>(E)) {
      trace(CO->getTrueExpr(), T);
      trace(CO->getFalseExpr(), T);
      return;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
      if (BO->getOpcode() == BO_Assign) {
        trace(BO->getRHS(), T);
        return;
      }
      if (BO->getOpcode() == BO_Comma) {
        trace(BO->getRHS(), T);
        return;
      }
    }
    if (const auto *CE = dyn_cast<CallExpr>(E)) {
      for (const BodyCall &C : Scan.Calls)
        if (C.Call == CE) {
          if (isPassableResult(C.Op, C.Result)) {
            if (!T.Source)
              T.Source = &C;
            return;
          }
          break;
        }
      T.Other = true;
      return;
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      if (!VD || !VD->isLocalVarDecl() || Scan.Accumulated.count(VD)) {
        T.Other = true;
        return;
      }
      if (!Seen.insert(VD).second)
        return;
      auto It = Scan.Assigned.find(VD);
      if (It == Scan.Assigned.end()) {
        T.Other = true;
        return;
      }
      for (const Expr *V : It->second)
        trace(V, T);
      return;
    }
    T.Other = true;
  }

private:
  const BodyScan &Scan;
  const ASTContext &Ctx;
  llvm::SmallPtrSet<const VarDecl *, 4> Seen;
};

/// Where a pointer or member path starts: through members, `*`, `&`, subscripts and pointer
/// arithmetic, and through a local (not static, not a reference) to its initializer. The
/// answer is `this` or a reference to a variable (a parameter, a global, a static or reference
/// local); null for anything else (a call, a literal, a path too long).
const Expr *pathRoot(const Expr *E) {
  for (unsigned Guard = 0; E && Guard < 16; ++Guard) {
    E = strip(E);
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      E = ME->getBase();
    } else if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() != UO_Deref && UO->getOpcode() != UO_AddrOf)
        return nullptr;
      E = UO->getSubExpr();
    } else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
      E = AS->getBase();
    } else if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
      if (!BO->isAdditiveOp())
        return nullptr;
      E = BO->getLHS()->getType()->isPointerType() ? BO->getLHS() : BO->getRHS();
    } else if (isa<CXXThisExpr>(E)) {
      return E;
    } else if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      if (!VD || !VD->isLocalVarDecl() || VD->hasGlobalStorage() || !VD->getInit() ||
          VD->getType()->isReferenceType())
        return VD ? E : nullptr;
      E = VD->getInit();
    } else {
      return nullptr;
    }
  }
  return nullptr;
}

/// The parameter (or `this`) an expression is rooted at: `fd`, `c->fd`, `c->out.buf`,
/// `this->fd_`, `fd_`; a local initialized from one (`int fd = c->fd;`) counts too.
std::optional<int> rootOf(const Expr *E, const FunctionDecl *Def) {
  const Expr *Root = pathRoot(E);
  if (Root && isa<CXXThisExpr>(Root)) {
    const auto *MD = dyn_cast<CXXMethodDecl>(Def);
    if (MD && !MD->isStatic() && !MD->getParent()->isLambda())
      return static_cast<int>(ChannelImplicitObject);
    return std::nullopt;
  }
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(Root);
  if (const auto *PVD = DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr)
    for (unsigned I = 0; I < Def->getNumParams(); ++I)
      if (Def->getParamDecl(I) == PVD)
        return static_cast<int>(I);
  return std::nullopt;
}

/// True if \p E points into a variable with static storage that is not const: `wf_writeBuf`,
/// `bp` initialized from it, `&outbuf[sent]`, `st.buf + st.off` (rsync's fileio.c keeps its
/// write buffer in file-scope statics). A const one is a message, not a buffer.
bool rootedAtStatic(const Expr *E) {
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(pathRoot(E));
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!VD || !VD->hasGlobalStorage() || VD->getType()->isReferenceType())
    return false;
  QualType T = VD->getType();
  if (const auto *AT = T->getAsArrayTypeUnsafe())
    T = AT->getElementType();
  else if (T->isPointerType())
    T = T->getPointeeType();
  return !T.isConstQualified() && !VD->getType().isConstQualified();
}

const Expr *argAt(const CallExpr *CE, const FunctionDecl *Callee, int Index) {
  if (Index == ChannelImplicitObject) {
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE))
      return MC->getImplicitObjectArgument();
    if (isa<CXXOperatorCallExpr>(CE) && CE->getNumArgs())
      return CE->getArg(0);
    return CE->getNumArgs() ? CE->getArg(0) : nullptr;
  }
  if (Index < 0)
    return nullptr;
  unsigned Shift =
      isa<CXXOperatorCallExpr>(CE) && isa_and_nonnull<CXXMethodDecl>(Callee) ? 1 : 0;
  unsigned I = static_cast<unsigned>(Index) + Shift;
  return I < CE->getNumArgs() ? CE->getArg(I) : nullptr;
}

/// The channel of \p C mapped to \p Def's parameters, or ChannelNone.
int channelOf(const BodyCall &C, const FunctionDecl *Def) {
  const Expr *A = argAt(C.Call, C.Callee, C.Op.Entry->Channel);
  if (!A)
    return ChannelNone;
  return rootOf(A, Def).value_or(static_cast<int>(ChannelNone));
}

int lengthOf(const BodyCall &C, const FunctionDecl *Def) {
  const Expr *A = argAt(C.Call, C.Callee, C.Op.Entry->Length);
  const auto *DRE = A ? dyn_cast<DeclRefExpr>(strip(A)) : nullptr;
  if (!DRE || !isa<ParmVarDecl>(DRE->getDecl()))
    return -1;
  for (unsigned I = 0; I < Def->getNumParams(); ++I)
    if (Def->getParamDecl(I) == DRE->getDecl())
      return static_cast<int>(I);
  return -1;
}

std::string calleeName(const FunctionDecl *FD) {
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
    if (MD->getParent()->isLambda())
      return "a lambda";
  return "'" + FD->getNameAsString() + "'";
}

/// True if \p E (a condition) names something the vocabulary calls pending: `errno ==
/// EAGAIN`, `err == SSL_ERROR_WANT_WRITE`, `r == Status::WouldBlock`.
bool mentionsPending(const Expr *E, const ApiModel &M, const ASTContext &Ctx,
                     unsigned Depth = 0) {
  if (!E || Depth > 6)
    return false;
  E = E->IgnoreParenImpCasts();
  const SourceManager &SM = Ctx.getSourceManager();
  if (E->getBeginLoc().isMacroID()) {
    llvm::StringRef Macro = Lexer::getImmediateMacroName(E->getBeginLoc(), SM, Ctx.getLangOpts());
    if (!Macro.empty() && M.vocabulary().isPending(Macro))
      return true;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *ECD = dyn_cast<EnumConstantDecl>(DRE->getDecl()))
      return M.vocabulary().isPending(ECD->getName());
  for (const Stmt *Child : E->children())
    if (const auto *CE = dyn_cast_or_null<Expr>(Child))
      if (mentionsPending(CE, M, Ctx, Depth + 1))
        return true;
  return false;
}

/// True if a returned value of the body can be a pending answer: it names a pending-like
/// state (`return Poll::Pending;`, `return {false, 0, WouldBlock};`, `return
/// Result::pending();`), or it is (or a local assigned from) the result of a call whose row
/// answers a pending state. A type that merely has such a state (curl's CURLcode has
/// CURLE_AGAIN) is not enough: a body that never answers it blocks until drained or fails.
bool answersPending(const BodyScan &Scan, const ApiModel &M, const ASTContext &Ctx) {
  auto PendingValue = [&](const Expr *E) {
    if (mentionsPending(E, M, Ctx))
      return true;
    const auto *CE = dyn_cast_or_null<CallExpr>(strip(E));
    if (!CE)
      return false;
    // A factory named for the state: `return IoResult::pending();`.
    if (const FunctionDecl *FD = CE->getDirectCallee())
      if (FD->getIdentifier() && M.vocabulary().isPending(FD->getName()))
        return true;
    for (const BodyCall &BC : Scan.Calls)
      if (BC.Call == CE)
        return BC.Op && BC.Result && *BC.Result == ResultKind::PendingState;
    return false;
  };
  for (const ReturnSite &R : Scan.Returns) {
    const Expr *V = R.Ret->getRetValue();
    if (!V)
      continue;
    if (PendingValue(V))
      return true;
    const auto *DRE = dyn_cast<DeclRefExpr>(strip(V));
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    auto It = VD ? Scan.Assigned.find(VD) : Scan.Assigned.end();
    if (It != Scan.Assigned.end())
      for (const Expr *A : It->second)
        if (PendingValue(A))
          return true;
  }
  return false;
}

} // namespace

const ApiEntry *RoleInference::roleFor(const FunctionDecl *FD, const ApiModel &M) {
  const InferredRole *R = infer(FD, M);
  return R ? &R->Row : nullptr;
}

const ApiEntry *RoleInference::roleForPointer(const ValueDecl *D, const ApiModel &M) {
  if (!D)
    return nullptr;
  resetFor(D->getASTContext());
  const auto *Key = cast<ValueDecl>(D->getCanonicalDecl());
  auto It = PointerMemo.find(Key);
  if (It != PointerMemo.end())
    return It->second ? &It->second->Row : nullptr;
  const InferredRole *R = nullptr;
  std::string Why;
  if (std::optional<ApiEntry> E = guessPointerWrite(Key, M, Why)) {
    PointerRoles.push_back({std::move(*E), std::move(Why)});
    R = &PointerRoles.back();
  }
  PointerMemo[Key] = R;
  return R ? &R->Row : nullptr;
}

void RoleInference::endUnit() {
  Ctx = nullptr;
  Memo.clear();
  Roles.clear();
  PointerMemo.clear();
  PointerRoles.clear();
  Overrides = OverrideIndex();
}

void RoleInference::resetFor(const ASTContext &C) {
  if (Ctx == &C)
    return;
  Ctx = &C;
  Memo.clear();
  Roles.clear();
  PointerMemo.clear();
  PointerRoles.clear();
  Overrides = OverrideIndex();
}

const InferredRole *RoleInference::infer(const FunctionDecl *FD, const ApiModel &M) {
  if (!FD)
    return nullptr;
  resetFor(FD->getASTContext());
  const FunctionDecl *Key = FD->getCanonicalDecl();
  auto It = Memo.find(Key);
  if (It != Memo.end())
    return It->second;
  const FunctionDecl *Def = nullptr;
  if (!FD->hasBody(Def) || !Def || Def->isDependentContext() || Def->isDeleted()) {
    const auto *MD = dyn_cast<CXXMethodDecl>(Key);
    if (MD && MD->isVirtual() && Depth < MaxDepth) {
      Memo[Key] = nullptr;
      ++Depth;
      std::optional<InferredRole> Role = fromOverrides(MD, M);
      --Depth;
      if (Role) {
        Roles.push_back(std::move(*Role));
        Memo[Key] = &Roles.back();
        return &Roles.back();
      }
    }
    Memo[Key] = nullptr;
    return nullptr;
  }
  const SourceManager &SM = FD->getASTContext().getSourceManager();
  if (SM.isInSystemHeader(SM.getExpansionLoc(Def->getLocation()))) {
    Memo[Key] = nullptr;
    return nullptr;
  }
  if (Depth >= MaxDepth)
    return nullptr; // not memoized: a shallower question may still answer it
  Memo[Key] = nullptr; // recursion: the call is opaque while its body is being read
  ++Depth;
  std::optional<InferredRole> Role = analyse(Def, M);
  --Depth;
  if (!Role)
    return nullptr;
  Roles.push_back(std::move(*Role));
  Memo[Key] = &Roles.back();
  return &Roles.back();
}

std::optional<InferredRole> RoleInference::fromOverrides(const CXXMethodDecl *MD,
                                                         const ApiModel &M) {
  // Every override, transitively (an override of an override is one too).
  // Every override, transitively (an override of an override is one too).
  llvm::ArrayRef<const CXXMethodDecl *> All = Overrides.overridersOf(MD);
  const ApiEntry *Agreed = nullptr;
  std::string Names;
  unsigned WithBody = 0;
  for (const CXXMethodDecl *O : All) {
    if (!O->hasBody())
      continue; // an override declared only: its own overrides speak for it
    ++WithBody;
    ApiOp Op = M.lookup(O);
    if (!Op)
      return std::nullopt;
    if (Agreed && (Agreed->Kind != Op.kind() || Agreed->Result != Op.result() ||
                   Agreed->Channel != Op.Entry->Channel ||
                   Agreed->ZeroIsPending != Op.Entry->ZeroIsPending))
      return std::nullopt;
    if (!Agreed)
      Agreed = Op.Entry;
    if (Names.size() < 80)
      Names += (Names.empty() ? "'" : ", '") + O->getQualifiedNameAsString() + "'";
  }
  if (!Agreed || !WithBody)
    return std::nullopt;
  InferredRole Out;
  Out.Row = *Agreed;
  Out.Row.Name = ApiModel::qualifiedName(MD);
  Out.Row.Origin = RowOrigin::Inferred;
  Out.Row.Family = "inferred";
  // Lengths are argument positions of the same signature; the shortest claim is kept.
  Out.Why = "every override agrees: " + Names;
  return Out;
}

namespace {

/// The write whose result every returned value is (constants aside), when no local the body
/// advances by is assigned from it; null otherwise.
const BodyCall *returnedWrite(const BodyScan &Scan, const ASTContext &C) {
  const BodyCall *Source = nullptr;
  bool Other = false;
  for (const ReturnSite &R : Scan.Returns) {
    Tracer Tr(Scan, C);
    Trace T;
    Tr.trace(R.Ret->getRetValue(), T);
    Other |= T.Other;
    if (T.Source && !Source)
      Source = T.Source;
  }
  if (!Source || Other)
    return nullptr;
  for (const VarDecl *VD : Scan.Advancing)
    for (const auto &A : Scan.Assigned)
      if (A.first == VD)
        for (const Expr *V : A.second)
          if (strip(V) == Source->Call)
            return nullptr;
  return Source;
}

// 1. write: every returned value is a modelled write's result (or a constant).
std::optional<InferredRole> wrapperRole(const BodyCall &Source, const FunctionDecl *Def,
                                        InferredRole Out, const ApiModel &M) {
  Out.Row.Kind = Source.Op.kind();
  Out.Row.Result = *Source.Result;
  Out.Row.ZeroIsPending = Source.Op.Entry->ZeroIsPending;
  Out.Row.Flags = Source.Op.Entry->Flags & (AF_MayDiscard | AF_FlushesFirst);
  // A count that came back as bool (SSL_write_ex) keeps its meaning only as bool.
  if (Def->getReturnType()->isBooleanType() && Out.Row.Result != ResultKind::Bool)
    return std::nullopt;
  Out.Row.Channel = channelOf(Source, Def);
  Out.Row.Length = lengthOf(Source, Def);
  if (Source.Pointer) {
    Out.Why = "returns the result of '" + Source.Pointer->getNameAsString() + "'";
    // A guess from the pointer's name stays a guess in its wrapper (PartialWrite asks the
    // caller's sign test of both).
    Out.Row.Family = Source.Op.Entry->Family;
    return Out;
  }
  Out.Why = "returns the result of " + calleeName(Source.Callee);
  // A stdio close or flush of a stream kept in a field: callers hand over the holder, so the
  // stream's mode is not visible at their call. Where this file also opens that field for
  // reading, the wrapper serves read-only streams (civetweb's mg_fclose closes served files
  // and logs alike), and a dropped result is no finding.
  const ApiEntry &From = *Source.Op.Entry;
  if ((From.Flags & AF_StdioStream) &&
      (From.Kind == OpKind::Close || From.Kind == OpKind::Flush)) {
    const Expr *Stream = argAt(Source.Call, Source.Callee, From.Channel);
    const auto *ME = Stream ? dyn_cast<MemberExpr>(strip(Stream)) : nullptr;
    const auto *Field = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
    if (Field && fieldOpenedForReading(Field, Def->getASTContext(), M)) {
      Out.Row.Flags |= AF_MayDiscard;
      Out.Why += " on '" + Field->getNameAsString() + "', which this file also opens for reading";
    }
  }
  return Out;
}

/// The body's modelled writes and completions.
struct BodyOps {
  const BodyCall *Write = nullptr;      ///< the first write with a count
  const BodyCall *Completion = nullptr; ///< a close (else a shutdown)
  const BodyCall *Flush = nullptr;
  bool Writes = false; ///< any write or flush
};

BodyOps bodyOps(const BodyScan &Scan) {
  BodyOps Ops;
  for (const BodyCall &BC : Scan.Calls) {
    if (!BC.Op || BC.Pointer)
      continue;
    switch (BC.Op.kind()) {
    case OpKind::Write:
    case OpKind::ComposedWrite:
    case OpKind::AsyncWrite:
      Ops.Writes = true;
      if (!Ops.Write && BC.Op.kind() == OpKind::Write && BC.Result &&
          (*BC.Result == ResultKind::ByteCount || *BC.Result == ResultKind::TlsCount))
        Ops.Write = &BC;
      break;
    case OpKind::Flush:
      Ops.Writes = true;
      if (!Ops.Flush)
        Ops.Flush = &BC;
      break;
    case OpKind::Close:
    case OpKind::Shutdown:
      if (!Ops.Completion || (Ops.Completion->Op.kind() == OpKind::Shutdown &&
                              BC.Op.kind() == OpKind::Close))
        Ops.Completion = &BC;
      break;
    default:
      break;
    }
  }
  return Ops;
}

/// True if \p E decrements a count: `--refs_`, `refs_--`, `refs_ -= 1`, or the same operators
/// of a class type (`std::atomic<int>`).
bool decrementsCount(const Stmt *E) {
  if (!E)
    return false;
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    if (UO->isDecrementOp())
      return true;
  if (const auto *CA = dyn_cast<CompoundAssignOperator>(E))
    if (CA->getOpcode() == BO_SubAssign)
      return true;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E))
    if (Op->getOperator() == OO_MinusMinus || Op->getOperator() == OO_MinusEqual)
      return true;
  for (const Stmt *Child : E->children())
    if (decrementsCount(Child))
      return true;
  return false;
}

bool endsInReturn(const Stmt *S) {
  if (const auto *CS = dyn_cast_or_null<CompoundStmt>(S))
    S = CS->body_empty() ? nullptr : CS->body_back();
  return isa_and_nonnull<ReturnStmt>(S);
}

/// The variable or member \p E names, or null.
const ValueDecl *countNamed(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return ME->getMemberDecl();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return DRE->getDecl();
  return nullptr;
}

/// The variables and members \p S decrements anywhere (`c->ref--; if (c->ref == 0) ...`).
void decrementedIn(const Stmt *S, llvm::SmallPtrSetImpl<const ValueDecl *> &Out) {
  if (!S)
    return;
  if (const auto *UO = dyn_cast<UnaryOperator>(S))
    if (UO->isDecrementOp())
      if (const ValueDecl *D = countNamed(UO->getSubExpr()))
        Out.insert(D);
  if (const auto *CA = dyn_cast<CompoundAssignOperator>(S))
    if (CA->getOpcode() == BO_SubAssign)
      if (const ValueDecl *D = countNamed(CA->getLHS()))
        Out.insert(D);
  for (const Stmt *Child : S->children())
    decrementedIn(Child, Out);
}

/// True if \p Cond reads one of \p Counts.
bool readsCount(const Stmt *Cond, const llvm::SmallPtrSetImpl<const ValueDecl *> &Counts) {
  if (!Cond)
    return false;
  if (const auto *E = dyn_cast<Expr>(Cond))
    if (const ValueDecl *D = countNamed(E))
      if (Counts.count(D))
        return true;
  for (const Stmt *Child : Cond->children())
    if (readsCount(Child, Counts))
      return true;
  return false;
}

/// A constant a function answers on failure: negative, a null pointer, `false`, or 0 when the
/// function also answers a positive constant (1 done / 0 failed).
bool failureAnswer(const Expr *V, llvm::ArrayRef<const ReturnStmt *> Returns,
                   const ASTContext &C) {
  if (!V)
    return false;
  V = V->IgnoreParenImpCasts();
  if (V->getType()->isPointerType() || isa<CXXNullPtrLiteralExpr>(V) || isa<GNUNullExpr>(V))
    return V->isNullPointerConstant(const_cast<ASTContext &>(C),
                                    Expr::NPC_ValueDependentIsNotNull) != Expr::NPCK_NotNull;
  if (const auto *B = dyn_cast<CXXBoolLiteralExpr>(V))
    return !B->getValue();
  Expr::EvalResult R;
  if (V->isValueDependent() || !V->EvaluateAsInt(R, C))
    return false;
  llvm::APSInt N = R.Val.getInt();
  if (N.isSigned() && N.isNegative())
    return true;
  if (N != 0)
    return false;
  for (const ReturnStmt *Other : Returns) {
    const Expr *OV = Other->getRetValue();
    Expr::EvalResult OR;
    if (OV && !OV->isValueDependent() && OV->IgnoreParenImpCasts()->EvaluateAsInt(OR, C) &&
        OR.Val.getInt().isStrictlyPositive())
      return true;
  }
  return false;
}

/// True if \p Call runs only on the way out of a failure: under a label that names one
/// (`error:`, `fail_close:`), or in a block that then answers failure (`close(fd); return
/// -1;`) or jumps to such a label. A function that tears its socket down when binding fails
/// (`coap_socket_bind_udp`) is no close of its argument.
bool onFailurePathOnly(const Stmt *Call, const FunctionDecl *Def) {
  llvm::SmallVector<const ReturnStmt *, 8> Returns;
  llvm::SmallVector<const Stmt *, 32> Walk{Def->getBody()};
  for (unsigned Steps = 0; !Walk.empty() && Steps < 20000; ++Steps) {
    const Stmt *S = Walk.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    if (const auto *R = dyn_cast<ReturnStmt>(S))
      Returns.push_back(R);
    for (const Stmt *Ch : S->children())
      Walk.push_back(Ch);
  }
  ParentMap PM(Def->getBody());
  const ASTContext &C = Def->getASTContext();
  const Stmt *Cur = Call;
  for (unsigned Depth = 0; Depth < 64; ++Depth) {
    const Stmt *P = PM.getParent(Cur);
    if (!P)
      return false;
    if (const auto *L = dyn_cast<LabelStmt>(P))
      if (StateVocabulary::mentionsFailure(L->getName()))
        return true;
    if (const auto *CS = dyn_cast<CompoundStmt>(P)) {
      bool After = false;
      for (const Stmt *S : CS->body()) {
        if (S == Cur) {
          After = true;
          continue;
        }
        if (!After)
          continue;
        if (const auto *R = dyn_cast<ReturnStmt>(S))
          return failureAnswer(R->getRetValue(), Returns, C);
        if (const auto *G = dyn_cast<GotoStmt>(S))
          return StateVocabulary::mentionsFailure(G->getLabel()->getName());
        if (isa<LabelStmt>(S))
          break; // another way in: what follows is shared
      }
    }
    Cur = P;
  }
  return false;
}

} // namespace

bool releasesLastReference(const Stmt *Site, const FunctionDecl *FD) {
  if (!Site || !FD || !FD->getBody())
    return false;
  llvm::SmallPtrSet<const ValueDecl *, 4> Dropped;
  decrementedIn(FD->getBody(), Dropped);
  ParentMap PM(FD->getBody());
  const Stmt *Cur = Site;
  for (unsigned I = 0; I < 16; ++I) {
    const Stmt *P = PM.getParent(Cur);
    if (!P)
      return false;
    // `if (--refs_ == 0) delete this;`, or `c->ref--; if (c->ref == 0 && ...) close(...)`.
    if (const auto *If = dyn_cast<IfStmt>(P))
      if ((If->getThen() == Cur || If->getElse() == Cur) &&
          (decrementsCount(If->getCond()) || readsCount(If->getCond(), Dropped)))
        return true;
    // `if (--refs_ != 0) return; delete this;`
    if (const auto *CS = dyn_cast<CompoundStmt>(P))
      for (const Stmt *B : CS->body()) {
        if (B == Cur)
          break;
        const auto *If = dyn_cast<IfStmt>(B);
        if (If && decrementsCount(If->getCond()) && endsInReturn(If->getThen()))
          return true;
      }
    Cur = P;
  }
  return false;
}

bool completesOnlyOnFailureOrRelease(const Stmt *Completion, const FunctionDecl *Def) {
  if (!Completion || !Def || !Def->getBody())
    return false;
  return onFailurePathOnly(Completion, Def) || releasesLastReference(Completion, Def);
}

namespace {

// 2. close / shutdown: releases a channel rooted at a parameter and writes nothing, on the
// way the function ends normally (not only when it fails) and not only when a reference
// count it drops reaches zero.
std::optional<InferredRole> closeRole(const BodyScan &Scan, const BodyCall &Completion,
                                      const FunctionDecl *Def, InferredRole Out) {
  int Chan = channelOf(Completion, Def);
  if (Chan == ChannelNone)
    return std::nullopt;
  if (completesOnlyOnFailureOrRelease(Completion.Call, Def))
    return std::nullopt;
  Out.Row.Kind = Completion.Op.kind();
  Out.Row.Result = ResultKind::None; // from the return type
  Out.Row.Channel = Chan;
  Out.Row.Flags = AF_MayDiscard | (Completion.Op.Entry->Flags & AF_FlushesFirst);
  Out.Why = "calls " + calleeName(Completion.Callee) + " on its " +
            (Chan == ChannelImplicitObject ? std::string("object")
                                           : "argument " + std::to_string(Chan + 1));
  return Out;
}

/// True if the pointer \p A points into a member (`c->out.buf + c->sent`, `&c->buf[i]`).
bool pointsIntoMember(const Expr *A) {
  for (const Expr *E = A; E;) {
    E = strip(E);
    if (isa<MemberExpr>(E))
      return true;
    if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
      E = BO->getLHS()->getType()->isPointerType() ? BO->getLHS() : BO->getRHS();
      continue;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      E = UO->getSubExpr();
      continue;
    }
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
      E = AS->getBase();
      continue;
    }
    return false;
  }
  return false;
}

/// Where the written bytes come from: the caller's buffer (a pointer parameter) makes it a
/// write of the caller's data; a member of the channel's object makes it a flush.
struct DataOrigin {
  bool CallerData = false;
  bool OwnBuffer = false;
};

DataOrigin dataOrigin(const BodyScan &Scan, const BodyCall &Write, const FunctionDecl *Def) {
  DataOrigin D;
  for (unsigned I = 0; I < Write.Call->getNumArgs(); ++I) {
    const Expr *A = strip(Write.Call->getArg(I));
    if (A == strip(argAt(Write.Call, Write.Callee, Write.Op.Entry->Channel)))
      continue;
    if (!rootOf(A, Def)) {
      // The module's own buffer (a file-scope or function-static one) whose fill the body
      // changes: a flush of that buffer onto the descriptor it is handed.
      if (A->getType()->isPointerType() && Scan.StoresStatic && rootedAtStatic(A))
        D.OwnBuffer = true;
      continue;
    }
    if (pointsIntoMember(A))
      D.OwnBuffer = true;
    else if (A->getType()->isPointerType())
      D.CallerData = true;
  }
  return D;
}

/// True if a local the body advances a position by is assigned \p Write's count.
bool advancesBy(const BodyScan &Scan, const BodyCall &Write) {
  for (const VarDecl *VD : Scan.Advancing) {
    auto It = Scan.Assigned.find(VD);
    if (It != Scan.Assigned.end())
      for (const Expr *V : It->second) {
        const Expr *S = strip(V);
        if (const auto *BO = dyn_cast<BinaryOperator>(S))
          S = strip(BO->getRHS());
        if (S == Write.Call)
          return true;
      }
  }
  return false;
}

/// Whether callers may drop the answer of an inferred write-all. Its success or failure is
/// the only way a caller learns the data did not go, exactly as with write()'s count, so a
/// dropped answer is reported; unless the helper answers nothing (void) or handles a failure
/// itself by not returning (exit, abort, a project's die()).
unsigned composedWriteFlags(const BodyScan &Scan, ResultKind R) {
  if (R == ResultKind::None || Scan.CallsNoReturn)
    return AF_MayDiscard;
  return AF_None;
}

ResultKind answerOf(QualType Ret) {
  return Ret->isVoidType()      ? ResultKind::None
         : Ret->isBooleanType() ? ResultKind::Bool
                                : ResultKind::Status;
}

/// Whether \p Cond holds when the write would block (true: `errno == EAGAIN`, `err ==
/// SSL_ERROR_WANT_WRITE`, `BIO_should_retry(b)`) or when it would not (false: `errno !=
/// EAGAIN`, `!SSL_WANT_READ_WRITE(err)`, `n < 0 && errno != EAGAIN`); nullopt when it does
/// not say.
std::optional<bool> wouldBlockPolarity(const Expr *Cond, const ApiModel &M,
                                       const ASTContext &Ctx, unsigned Depth = 0) {
  if (!Cond || Depth > 8)
    return std::nullopt;
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond))
    if (UO->getOpcode() == UO_LNot) {
      std::optional<bool> P = wouldBlockPolarity(UO->getSubExpr(), M, Ctx, Depth + 1);
      return P ? std::optional<bool>(!*P) : std::nullopt;
    }
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond)) {
    if (BO->isLogicalOp()) {
      for (const Expr *Side : {BO->getLHS(), BO->getRHS()})
        if (std::optional<bool> P = wouldBlockPolarity(Side, M, Ctx, Depth + 1))
          return P;
      return std::nullopt;
    }
    if (BO->isEqualityOp() &&
        (mentionsPending(BO->getLHS(), M, Ctx) || mentionsPending(BO->getRHS(), M, Ctx)))
      return BO->getOpcode() == BO_EQ;
    return std::nullopt;
  }
  // A predicate named for the state: `is_again(e)`, `BIO_should_retry(b)`.
  if (const auto *CE = dyn_cast<CallExpr>(Cond))
    if (const FunctionDecl *FD = CE->getDirectCallee())
      if (FD->getIdentifier() && M.vocabulary().isPending(FD->getName()))
        return true;
  if (mentionsPending(Cond, M, Ctx))
    return true;
  return std::nullopt;
}

/// True if \p Branch leaves the loop it is in: a return, a goto, or a break of that loop.
/// With \p Continue, true if it goes round again instead: a continue of that loop.
bool leavesLoop(const Stmt *Branch, bool Continue = false, bool InInner = false,
                unsigned Depth = 0) {
  if (!Branch || Depth > 32 || isa<LambdaExpr>(Branch))
    return false;
  if (isa<ReturnStmt>(Branch) || isa<GotoStmt>(Branch))
    return !Continue;
  if (isa<BreakStmt>(Branch))
    return !Continue && !InInner;
  if (isa<ContinueStmt>(Branch))
    return Continue && !InInner;
  bool Inner = InInner || isa<WhileStmt>(Branch) || isa<DoStmt>(Branch) ||
               isa<ForStmt>(Branch) || isa<CXXForRangeStmt>(Branch) ||
               (!Continue && isa<SwitchStmt>(Branch));
  for (const Stmt *Child : Branch->children())
    if (leavesLoop(Child, Continue, Inner, Depth + 1))
      return true;
  return false;
}

/// What the loop around a write does when the write would block.
enum class OnWouldBlock { Unknown, Retries, Stops };

/// How the loop around \p Write treats a would-block. It retries when it tells "would
/// block" apart from a failure and goes round again on it (`if (r == -1 && errno != EAGAIN)
/// break;`, sofia-sip's `if (!SSL_WANT_READ_WRITE(err)) break;`, `if (errno == EAGAIN)
/// continue;`): such a write-all stops early only on a failure or when its patience (a retry
/// budget) runs out. It stops when the would-block branch leaves the loop without going
/// round again (`if (errno == EAGAIN) break;`): what is left is the caller's to send.
OnWouldBlock onWouldBlock(const BodyCall &Write, const FunctionDecl *Def, const ApiModel &M) {
  const ASTContext &Ctx = Def->getASTContext();
  // The innermost loop around the write.
  const Stmt *Loop = nullptr;
  llvm::SmallVector<const Stmt *, 32> Work{Def->getBody()};
  for (unsigned Steps = 0; !Work.empty() && Steps < 20000; ++Steps) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    bool IsLoop = isa<WhileStmt>(S) || isa<DoStmt>(S) || isa<ForStmt>(S);
    if (IsLoop && containsStmt(S, Write.Call) && (!Loop || containsStmt(Loop, S)))
      Loop = S;
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
  }
  if (!Loop)
    return OnWouldBlock::Unknown;
  OnWouldBlock Seen = OnWouldBlock::Unknown;
  Work.assign({Loop});
  for (unsigned Steps = 0; !Work.empty() && Steps < 20000; ++Steps) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
    const auto *If = dyn_cast<IfStmt>(S);
    std::optional<bool> P = If ? wouldBlockPolarity(If->getCond(), M, Ctx) : std::nullopt;
    if (!P)
      continue;
    const Stmt *Then = If->getThen();
    if (*P && leavesLoop(Then, /*Continue=*/true)) // `if (errno == EAGAIN) continue;`
      Seen = OnWouldBlock::Retries;
    else if (*P && leavesLoop(Then)) // `if (errno == EAGAIN) break;`
      return OnWouldBlock::Stops;
    else if (!*P && leavesLoop(Then)) // the failure's exit; would-block stays in the loop
      Seen = OnWouldBlock::Retries;
  }
  return Seen;
}

/// True if the body answers the total it accumulated (`return done;`, `return (ssize_t)
/// sent;`, `return n < 0 ? n : total;`).
bool answersTotal(const BodyScan &Scan) {
  for (const ReturnSite &R : Scan.Returns) {
    llvm::SmallVector<const Expr *, 4> Values{R.Ret->getRetValue()};
    for (unsigned I = 0; I < Values.size() && I < 8; ++I) {
      const Expr *V = strip(Values[I]);
      if (const auto *CO = dyn_cast_or_null<ConditionalOperator>(V)) {
        Values.push_back(CO->getTrueExpr());
        Values.push_back(CO->getFalseExpr());
        continue;
      }
      const auto *DRE = dyn_cast_or_null<DeclRefExpr>(V);
      const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
      if (VD && Scan.Accumulated.count(VD))
        return true;
    }
  }
  return false;
}

// 3. complete write: loops over the caller's data, advancing by the count.
std::optional<InferredRole> completeWriteRole(const BodyScan &Scan, const BodyCall &Write,
                                              const FunctionDecl *Def, InferredRole Out,
                                              const ApiModel &M) {
  if (!advancesBy(Scan, Write))
    return std::nullopt;
  Out.Row.Kind = OpKind::ComposedWrite;
  Out.Row.Result = answerOf(Def->getReturnType());
  Out.Row.Channel = channelOf(Write, Def);
  Out.Row.Length = lengthOf(Write, Def);
  Out.Row.Flags = composedWriteFlags(Scan, Out.Row.Result);
  Out.Why = "loops over " + calleeName(Write.Callee) + " until everything is written";
  switch (onWouldBlock(Write, Def, M)) {
  case OnWouldBlock::Retries:
    Out.Row.Flags |= AF_WaitsOutWouldBlock;
    Out.Why += ", waiting out would-block";
    break;
  case OnWouldBlock::Stops:
    // Writes what the channel takes now and answers how much went: a write whose count
    // may be short, as write()'s is.
    if (!answersTotal(Scan) || !Def->getReturnType()->isIntegerType() ||
        Def->getReturnType()->isBooleanType())
      break;
    Out.Row.Kind = OpKind::Write;
    Out.Row.Result = ResultKind::ByteCount;
    Out.Row.Flags = AF_None;
    Out.Why = "writes through " + calleeName(Write.Callee) +
              " until it would block and answers how much went";
    break;
  case OnWouldBlock::Unknown:
    break;
  }
  return Out;
}

// 3b. a write-all of a write-all: calls a helper that writes everything and answers success
// or failure (an inferred composed write, a status or bool write row), tests that answer, and
// answers 0/-1 (or true/false) itself: tinyproxy's write_message formats into a buffer of its
// own, `if (safe_write(fd, buf, n) < 0) return -1; ... return 0;`. Every answer is a constant
// (also through a local: `ret = -1; ... return ret;`), one of them a failure.
std::optional<InferredRole> forwardedWriteRole(const BodyScan &Scan, const FunctionDecl *Def,
                                               InferredRole Out) {
  const ASTContext &C = Def->getASTContext();
  QualType Ret = Def->getReturnType();
  if (Ret->isVoidType() || !(Ret->isIntegerType() || Ret->isBooleanType()) || Scan.Returns.empty())
    return std::nullopt;
  const BodyCall *Inner = nullptr;
  for (const BodyCall &BC : Scan.Calls) {
    if (!BC.Op || BC.Pointer || !BC.Result)
      continue;
    OpKind K = BC.Op.kind();
    bool AnswersAll =
        (K == OpKind::ComposedWrite || K == OpKind::Write) &&
        (*BC.Result == ResultKind::Status || *BC.Result == ResultKind::Bool);
    if (!AnswersAll || channelOf(BC, Def) == ChannelNone)
      continue;
    // Its answer must be tested: the call sits in an if's condition.
    bool Tested = false;
    llvm::SmallVector<const Stmt *, 16> Work{Def->getBody()};
    while (!Work.empty() && !Tested) {
      const Stmt *S = Work.pop_back_val();
      if (!S || isa<LambdaExpr>(S))
        continue;
      if (const auto *If = dyn_cast<IfStmt>(S))
        Tested |= containsStmt(If->getCond(), BC.Call);
      for (const Stmt *Child : S->children())
        Work.push_back(Child);
    }
    if (Tested) {
      Inner = &BC;
      break;
    }
  }
  if (!Inner)
    return std::nullopt;
  bool Failure = false, Success = false;
  for (const ReturnSite &R : Scan.Returns) {
    const Expr *V = R.Ret->getRetValue();
    if (!V)
      return std::nullopt;
    // Every value the answer can take, through locals.
    llvm::SmallVector<const Expr *, 4> Values{V};
    llvm::SmallPtrSet<const VarDecl *, 4> Seen;
    for (unsigned I = 0; I < Values.size() && I < 16; ++I) {
      const Expr *E = strip(Values[I]);
      const auto *DRE = dyn_cast<DeclRefExpr>(E);
      const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
      if (VD && VD->isLocalVarDecl()) {
        auto It = Scan.Assigned.find(VD);
        if (It == Scan.Assigned.end() || Scan.Accumulated.count(VD))
          return std::nullopt;
        if (Seen.insert(VD).second)
          Values.append(It->second.begin(), It->second.end());
        continue;
      }
      std::optional<llvm::APSInt> Val =
          E->isValueDependent() ? std::nullopt : compat::integerConstant(E, C);
      if (!Val)
        return std::nullopt;
      if (Val->isNegative() || (Ret->isBooleanType() && Val->isZero()))
        Failure = true;
      else if (Val->isZero() || Ret->isBooleanType())
        Success = true;
      else
        return std::nullopt; // a positive int answer: a count or a state, not success
    }
  }
  if (!Failure || !Success)
    return std::nullopt;
  Out.Row.Kind = OpKind::ComposedWrite;
  Out.Row.Result = answerOf(Ret);
  Out.Row.Channel = channelOf(*Inner, Def);
  Out.Row.Length = -1;
  // A helper whose own answer may be dropped (fputs: the stream's error is sticky) makes no
  // stronger claim through a wrapper.
  Out.Row.Flags = composedWriteFlags(Scan, Out.Row.Result) |
                  (Inner->Op.Entry->Flags & AF_MayDiscard);
  Out.Why = "answers whether " + calleeName(Inner->Callee) + " wrote everything";
  return Out;
}

/// The signs of the constants a body returns, and which of them come with a pending
/// condition or end the body.
struct ConstantAnswers {
  bool Neg = false, Zero = false, Pos = false, NonConstant = false;
  bool ZeroPendingEvidence = false, PosPendingEvidence = false;
  bool ZeroLast = false, PosLast = false;
};

/// Records one constant answer \p V (an arm of `return errno == EAGAIN ? 1 : -1;` is one)
/// returned under \p Conds, plus \p Extra, the ternary's condition when \p V is an arm.
void addConstantAnswer(ConstantAnswers &A, const Expr *V, const ReturnSite &R, const Expr *Extra,
                       bool Last, const ApiModel &M, const ASTContext &C) {
  if (const auto *CO = dyn_cast_or_null<ConditionalOperator>(V ? strip(V) : nullptr)) {
    if (Extra) { // nested ternaries: not followed
      A.NonConstant = true;
      return;
    }
    // The true arm is returned when the condition holds; the false arm carries no evidence.
    addConstantAnswer(A, CO->getTrueExpr(), R, CO->getCond(), Last, M, C);
    addConstantAnswer(A, CO->getFalseExpr(), R, nullptr, Last, M, C);
    return;
  }
  std::optional<llvm::APSInt> Val =
      V && !V->isValueDependent() ? compat::integerConstant(V, C) : std::nullopt;
  if (!Val) {
    A.NonConstant = true;
    return;
  }
  bool Pending = Extra && mentionsPending(Extra, M, C);
  for (const Expr *Cond : R.Conds)
    Pending |= mentionsPending(Cond, M, C);
  if (Val->isNegative()) {
    A.Neg = true;
  } else if (Val->isZero()) {
    A.Zero = true;
    A.ZeroPendingEvidence |= Pending;
    A.ZeroLast |= Last;
  } else {
    A.Pos = true;
    A.PosPendingEvidence |= Pending;
    A.PosLast |= Last;
  }
}

ConstantAnswers constantAnswers(const BodyScan &Scan, const ApiModel &M, const ASTContext &C) {
  ConstantAnswers A;
  const Stmt *LastStmt = nullptr;
  if (const auto *CS = dyn_cast_or_null<CompoundStmt>(Scan.Def->getBody()))
    if (!CS->body_empty())
      LastStmt = CS->body_back();
  for (const ReturnSite &R : Scan.Returns)
    addConstantAnswer(A, R.Ret->getRetValue(), R, nullptr, R.Ret == LastStmt, M, C);
  return A;
}

/// The member \p E reads (`c->outlen`, `c->out.len`, `outlen_`), or null.
const FieldDecl *fieldRead(const Expr *E) {
  const auto *ME = E ? dyn_cast<MemberExpr>(strip(E)) : nullptr;
  return ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
}

/// True if every answer of the body is a failure constant or what the drained buffer still
/// holds: a member the body lowers (`c->outlen -= n`), or the size of a member the write is
/// handed (`out_.size()` of the `out_` in `send(fd_, out_.data(), out_.size(), 0)`). At least
/// one answer must be such an amount.
bool answersWhatIsLeft(const BodyScan &Scan, const BodyCall &Write, const ApiModel &M) {
  llvm::SmallPtrSet<const FieldDecl *, 4> Lowered, Written;
  llvm::SmallVector<const Stmt *, 32> Work{Scan.Def->getBody()};
  for (unsigned Steps = 0; !Work.empty() && Steps < 20000; ++Steps) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
    if (const auto *CA = dyn_cast<CompoundAssignOperator>(S))
      if (CA->getOpcode() == BO_SubAssign)
        if (const FieldDecl *F = fieldRead(CA->getLHS()))
          Lowered.insert(F);
  }
  for (const Expr *Arg : Write.Call->arguments())
    anyMember(Arg, [&Written](const FieldDecl *F) {
      Written.insert(F);
      return false; // every member handed to the write
    });
  const ASTContext &C = Scan.Def->getASTContext();
  bool Amount = false;
  for (const ReturnSite &R : Scan.Returns) {
    const Expr *V = R.Ret->getRetValue() ? strip(R.Ret->getRetValue()) : nullptr;
    if (!V)
      return false;
    if (const FieldDecl *F = fieldRead(V); F && Lowered.count(F) &&
                                           F->getType()->isIntegerType()) {
      Amount = true;
      continue;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(V))
      if (const CXXMethodDecl *MD = MC->getMethodDecl();
          MD && MD->getIdentifier() && MC->getNumArgs() == 0 &&
          M.bufferMethod(MD->getName()) == BufferEffect::Size)
        if (const FieldDecl *F = fieldRead(MC->getImplicitObjectArgument()); F && Written.count(F)) {
          Amount = true;
          continue;
        }
    std::optional<llvm::APSInt> Val =
        V->isValueDependent() ? std::nullopt : compat::integerConstant(V, C);
    if (!Val || !Val->isNegative())
      return false;
  }
  return Amount;
}

// 4. flush: drains a buffer of the channel's object and answers how far it got.
std::optional<InferredRole> flushRole(const BodyScan &Scan, const BodyCall &Write,
                                      const ApiModel &M, InferredRole Out) {
  const FunctionDecl *Def = Scan.Def;
  const ASTContext &C = Def->getASTContext();
  QualType Ret = Def->getReturnType();
  Out.Row.Kind = OpKind::Flush;
  Out.Row.Channel = channelOf(Write, Def);
  Out.Why = "drains a buffer through " + calleeName(Write.Callee);
  ResultTypeInfo Info = classifyResultType(Ret, M);
  if (Info.Shape == ResultShape::PendingState) {
    // An enum with a pending state: a pending answer must be visible in the body (an
    // enumerator, or a pending result handed on); a result type known only by accessors
    // (`is_pending()`) is taken at its word.
    if (!Info.Pending.empty() && !answersPending(Scan, M, C))
      return std::nullopt;
    Out.Row.Result = ResultKind::PendingState;
    return Out;
  }
  // A loop that drains the buffer and answers the write's own result (rsync's
  // flush_write_file: `return ret;` negative on failure, else the last count once the buffer
  // is empty) answers drained or failed, as 0/-1 does.
  bool ForwardsWrite = false;
  for (const ReturnSite &R : Scan.Returns) {
    Tracer Tr(Scan, C);
    Trace T;
    Tr.trace(R.Ret->getRetValue(), T);
    ForwardsWrite |= T.Source == &Write && !T.Other;
  }
  if (ForwardsWrite && Write.InLoop && advancesBy(Scan, Write) &&
      Ret->isIntegerType() && !Ret->isBooleanType()) {
    ConstantAnswers A;
    for (const ReturnSite &R : Scan.Returns) {
      Tracer Tr(Scan, C);
      Trace T;
      Tr.trace(R.Ret->getRetValue(), T);
      if (T.Other)
        return std::nullopt;
      if (!T.Source)
        addConstantAnswer(A, R.Ret->getRetValue(), R, nullptr, false, M, C);
    }
    // Only failures and zero besides: a positive constant or a pending test is another state.
    if (A.NonConstant || A.Pos || A.ZeroPendingEvidence)
      return std::nullopt;
    Out.Row.Result = ResultKind::Status;
    Out.Why = "drains a buffer through " + calleeName(Write.Callee) +
              " and answers its failure";
    return Out;
  }
  // What is still buffered (`return c->outlen;` after `c->outlen -= n`, `return
  // out_.size();`), or a failure: zero is drained, more is pending.
  if (Ret->isIntegerType() && !Ret->isBooleanType() && answersWhatIsLeft(Scan, Write, M)) {
    Out.Row.Result = ResultKind::SignedState;
    Out.Row.ZeroIsPending = false;
    Out.Why = "drains a buffer through " + calleeName(Write.Callee) +
              " and answers what is still buffered";
    return Out;
  }
  ConstantAnswers A = constantAnswers(Scan, M, C);
  if (A.NonConstant)
    return std::nullopt;
  if (Ret->isBooleanType()) {
    if (!(A.Zero && A.Pos))
      return std::nullopt;
    Out.Row.Result = ResultKind::Bool;
    return Out;
  }
  if (A.Zero && A.Pos) {
    Out.Row.Result = ResultKind::SignedState;
    // Which of zero and positive is "not yet": the one returned where the code says
    // "again"/"would block", or the one it does not end with.
    Out.Row.ZeroIsPending =
        (A.ZeroPendingEvidence && !A.PosPendingEvidence) ||
        (!A.ZeroPendingEvidence && !A.PosPendingEvidence && A.PosLast && !A.ZeroLast);
    return Out;
  }
  if (A.Zero && A.Neg) {
    Out.Row.Result = ResultKind::Status; // blocking: drained or failed
    return Out;
  }
  return std::nullopt;
}

/// The parameter \p E names directly (through casts), or null.
const ParmVarDecl *paramNamed(const Expr *E) {
  const auto *DRE = dyn_cast<DeclRefExpr>(strip(E));
  return DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
}

/// True if parameter \p Index of \p Def is a pointer.
bool pointerParam(const FunctionDecl *Def, std::optional<int> Index) {
  return Index && *Index >= 0 && static_cast<unsigned>(*Index) < Def->getNumParams() &&
         Def->getParamDecl(static_cast<unsigned>(*Index))->getType()->isPointerType();
}

// 5. buffer append: copies the caller's bytes into a byte buffer of a record it is handed and
// grows that record's count by the caller's length (`memcpy(q->buf + q->len, p, n); q->len +=
// n;`). Its callers get a buffered write on that record: the bytes wait there until a flush,
// and closing first loses them. A count grown by a length alone (`s->bytes += n`) is a
// statistic, not an append: the caller's bytes must be copied into the record too.
std::optional<InferredRole> appendRole(const BodyScan &Scan, const FunctionDecl *Def,
                                       InferredRole Out) {
  // `P->count += n`, n a parameter: the record and the length.
  std::optional<int> Record;
  const ParmVarDecl *Length = nullptr;
  llvm::SmallVector<const Stmt *, 32> Work{Def->getBody()};
  for (unsigned Steps = 0; !Work.empty() && Steps < 20000 && !Length; ++Steps) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
    const auto *CA = dyn_cast<CompoundAssignOperator>(S);
    if (!CA || CA->getOpcode() != BO_AddAssign || !isa<MemberExpr>(strip(CA->getLHS())))
      continue;
    const ParmVarDecl *N = paramNamed(CA->getRHS());
    std::optional<int> R = rootOf(CA->getLHS(), Def);
    if (N && N->getType()->isIntegerType() && pointerParam(Def, R))
      Record = R, Length = N;
  }
  if (!Length)
    return std::nullopt;
  // A call handed a byte pointer into a member of the record and the caller's data: the copy.
  const BodyCall *Copy = nullptr;
  for (const BodyCall &BC : Scan.Calls) {
    bool Into = false, From = false;
    for (const Expr *A : BC.Call->arguments()) {
      std::optional<int> R = rootOf(A, Def);
      QualType T = strip(A)->getType();
      if (R && R == Record && pointsIntoMember(A) && T->isPointerType() && holdsBytes(T))
        Into = true;
      else if (R != Record && pointerParam(Def, R))
        From = true;
    }
    if (Into && From) {
      Copy = &BC;
      break;
    }
  }
  if (!Copy)
    return std::nullopt;
  Out.Row.Kind = OpKind::Write;
  // haproxy's chunk_memcat answers 0 when the chunk has no room: whether the bytes were
  // taken, never how many.
  Out.Row.Result = answerOf(Def->getReturnType());
  Out.Row.Channel = *Record;
  for (unsigned I = 0; I < Def->getNumParams(); ++I)
    if (Def->getParamDecl(I) == Length)
      Out.Row.Length = static_cast<int>(I);
  Out.Row.Flags = AF_MayDiscard | AF_BufferAppend;
  Out.Why = "copies the caller's bytes into its argument's buffer through " +
            calleeName(Copy->Callee ? Copy->Callee : Def) + " and grows its count";
  return Out;
}

} // namespace

std::optional<InferredRole> RoleInference::analyse(const FunctionDecl *Def, const ApiModel &M) {
  const ASTContext &C = Def->getASTContext();
  BodyScan Scan(Def, M);
  Scan.run();
  QualType Ret = Def->getReturnType();
  std::string Self = ApiModel::qualifiedName(Def);
  // A global function's row matches only globals (the "::write" spelling of the table).
  if (Def->getDeclContext()->getRedeclContext()->isTranslationUnit())
    Self = "::" + Self;
  const auto *SelfMD = dyn_cast<CXXMethodDecl>(Def);
  if (SelfMD && SelfMD->getParent()->isLambda())
    Self = "<lambda>";

  InferredRole Out;
  Out.Row.Name = Self;
  Out.Row.Family = "inferred";
  Out.Row.Origin = RowOrigin::Inferred;
  Out.Row.Channel = ChannelNone;

  if (!Ret->isVoidType() && (Ret->isIntegerType() || Ret->isBooleanType()))
    if (const BodyCall *Source = returnedWrite(Scan, C))
      return wrapperRole(*Source, Def, Out, M);
  BodyOps Ops = bodyOps(Scan);
  if (Ops.Completion && !Ops.Writes)
    return closeRole(Scan, *Ops.Completion, Def, Out);
  if (Ops.Completion)
    return std::nullopt;
  if (!Ops.Writes)
    if (std::optional<InferredRole> Append = appendRole(Scan, Def, Out))
      return Append;
  if (!Ops.Write)
    return forwardedWriteRole(Scan, Def, Out);
  DataOrigin D = dataOrigin(Scan, *Ops.Write, Def);
  if (D.CallerData && Ops.Write->InLoop)
    return completeWriteRole(Scan, *Ops.Write, Def, Out, M);
  if (D.CallerData || channelOf(*Ops.Write, Def) == ChannelNone || Ret->isVoidType())
    return std::nullopt;
  // A method writing its member's bytes (`::send(fd_, out_.data(), out_.size(), 0)`) and
  // answering what that member still holds (`return out_.size();`) is a flush too.
  if (!D.OwnBuffer && !(Ret->isIntegerType() && answersWhatIsLeft(Scan, *Ops.Write, M)))
    return std::nullopt;
  return flushRole(Scan, *Ops.Write, M, Out);
}

} // namespace drain
