//===--- WholeWrites.cpp - writes that cannot be short --------------------===//
#include "analysis/core/WholeWrites.h"
#include "analysis/core/Callees.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Decl.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace drain {

namespace {
/// The domain of a local (Unix) socket, AF_UNIX, AF_LOCAL, PF_UNIX: a send shorter than one
/// buffer to such a socket is taken whole or not at all.
constexpr int64_t LocalDomain = 1;

/// \p Call's argument \p Index (after the object's shift), or null.
const Expr *roleArg(const CallExpr *Call, const RoleEntry *R, unsigned Shift = 0) {
  if (!R || R->Arg < 0 || static_cast<unsigned>(R->Arg) + Shift >= Call->getNumArgs())
    return nullptr;
  return Call->getArg(static_cast<unsigned>(R->Arg) + Shift);
}

/// True if \p Call is a SocketMaker or SocketPairMaker row (\p Role) handed the local domain.
bool makesLocalSocket(const CallExpr *Call, FunctionRole Role, const ApiModel &Model,
                      ASTContext &Ctx) {
  const FunctionDecl *Maker = Call ? Call->getDirectCallee() : nullptr;
  const Expr *Domain = Maker ? roleArg(Call, Model.tableRole(Maker, Role)) : nullptr;
  Expr::EvalResult R;
  return Domain && !Domain->isValueDependent() && Domain->EvaluateAsInt(R, Ctx) &&
         R.Val.getInt().getExtValue() == LocalDomain;
}

/// The local variable \p E names (through casts and `&`), with the function declaring it.
const VarDecl *localNamed(const Expr *E, bool AddressOf) {
  E = E->IgnoreParenCasts();
  if (AddressOf) {
    const auto *UO = dyn_cast<UnaryOperator>(E);
    if (!UO || UO->getOpcode() != UO_AddrOf)
      return nullptr;
    E = UO->getSubExpr()->IgnoreParenCasts();
  }
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!VD || !VD->isLocalVarDecl() || !isa<FunctionDecl>(VD->getDeclContext()))
    return nullptr;
  return VD;
}

/// Each assignment to \p VD or to a field of it in its function, and its initializer, as
/// (field or null, value) pairs.
template <typename Fn> void storesTo(const VarDecl *VD, Fn Each) {
  if (const Expr *Init = VD->getInit()) {
    Each(nullptr, Init);
    if (const auto *IL = dyn_cast<InitListExpr>(Init->IgnoreParenImpCasts()))
      if (const RecordDecl *RD = VD->getType()->getAsRecordDecl()) {
        unsigned I = 0;
        for (const FieldDecl *F : RD->fields())
          if (I < IL->getNumInits())
            Each(F, IL->getInit(I++));
      }
  }
  const Stmt *Body = cast<FunctionDecl>(VD->getDeclContext())->getBody();
  llvm::SmallVector<const Stmt *, 32> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->getOpcode() == BO_Assign) {
      const Expr *L = BO->getLHS()->IgnoreParenImpCasts();
      const FieldDecl *Field = nullptr;
      if (const auto *ME = dyn_cast<MemberExpr>(L)) {
        Field = dyn_cast<FieldDecl>(ME->getMemberDecl());
        L = ME->getBase()->IgnoreParenImpCasts();
      }
      if (const auto *DRE = dyn_cast<DeclRefExpr>(L); DRE && DRE->getDecl() == VD)
        Each(Field, BO->getRHS());
    }
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
}

/// True if the message header `&msg` handed to a send names a destination address in the
/// function declaring it (`msg.msg_name = &addr`, the header's first field, a pointer, as
/// POSIX's msghdr and Windows' WSAMSG have it): the socket is a datagram socket.
bool headerNamesDestination(const Expr *Arg, ASTContext &Ctx) {
  const VarDecl *VD = localNamed(Arg, /*AddressOf=*/true);
  if (!VD)
    return false;
  bool Named = false;
  storesTo(VD, [&](const FieldDecl *F, const Expr *V) {
    Named |= F && F->getFieldIndex() == 0 && F->getType()->isPointerType() &&
             !V->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull);
  });
  return Named;
}

/// True if \p V is an element of a local array that its function fills with a pair of local
/// (Unix) sockets (`socketpair(PF_UNIX, SOCK_STREAM, 0, sv)`, then `sv[1]`).
bool isLocalSocketPairElement(const Expr *V, const ApiModel &Model, ASTContext &Ctx) {
  const auto *AS = dyn_cast<ArraySubscriptExpr>(V->IgnoreParenCasts());
  const VarDecl *Pair = AS ? localNamed(AS->getBase(), /*AddressOf=*/false) : nullptr;
  if (!Pair)
    return false;
  llvm::SmallVector<const Stmt *, 32> Work{cast<FunctionDecl>(Pair->getDeclContext())->getBody()};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *CE = dyn_cast<CallExpr>(S))
      if (CE->getNumArgs() > 1 && localNamed(CE->getArg(CE->getNumArgs() - 1), false) == Pair &&
          makesLocalSocket(CE, FunctionRole::SocketPairMaker, Model, Ctx))
        return true;
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return false;
}

/// True if the descriptor \p Arg is a local that its function sets only from a call creating
/// a local (Unix) socket (`sock = socket(PF_UNIX, SOCK_STREAM, 0)`, or an element of a
/// socketpair's array).
bool isLocalSocket(const Expr *Arg, const ApiModel &Model, ASTContext &Ctx) {
  const VarDecl *VD = localNamed(Arg, /*AddressOf=*/false);
  if (!VD)
    return false;
  bool Local = false, Other = false;
  storesTo(VD, [&](const FieldDecl *F, const Expr *V) {
    if (F)
      return;
    if (isLocalSocketPairElement(V, Model, Ctx) ||
        makesLocalSocket(dyn_cast<CallExpr>(V->IgnoreParenCasts()), FunctionRole::SocketMaker,
                         Model, Ctx)) {
      Local = true;
      return;
    }
    Expr::EvalResult R;
    // `int sock = -1;` before the socket is made says nothing of its kind.
    if (!(V->EvaluateAsInt(R, Ctx) && R.Val.getInt().isNegative()))
      Other = true;
  });
  return Local && !Other;
}
} // namespace

WholeWrite wholeWrite(const CallExpr *Call, const ApiEntry &Row, const ApiModel &Model,
                      ASTContext &Ctx, unsigned AtomicWriteSize) {
  Callee C = calleeOf(Call);
  if (!C || Row.Kind != OpKind::Write)
    return WholeWrite::No;
  // A pointer's target is unknown: it may be a pipe, so small writes count as whole as they
  // do for write(); it is never one of the socket-only sends below.
  const FunctionDecl *FD = C.Function;
  unsigned Shift = C.argumentShift(Call);

  const Expr *Len = Row.Length >= 0 && static_cast<unsigned>(Row.Length) + Shift <
                                           Call->getNumArgs()
                        ? Call->getArg(Row.Length + Shift)
                        : nullptr;
  if (Len && !Len->isValueDependent()) {
    Expr::EvalResult R;
    bool SocketOnly = FD && Model.tableRole(FD, FunctionRole::SocketOnlyWrite);
    if (Len->EvaluateAsInt(R, Ctx) && !R.Val.getInt().isNegative()) {
      if (R.Val.getInt().getZExtValue() <= 1)
        return WholeWrite::OneUnit;
      if (R.Val.getInt().getZExtValue() <= AtomicWriteSize &&
          (!SocketOnly || (Row.Channel >= 0 && unsigned(Row.Channel) + Shift < Call->getNumArgs() &&
                           isLocalSocket(Call->getArg(Row.Channel + Shift), Model, Ctx))))
        return WholeWrite::AtomicSize;
    }
  }
  if (!FD)
    return WholeWrite::No;
  if (const Expr *Address = roleArg(Call, Model.tableRole(FD, FunctionRole::DatagramSend), Shift))
    if (!Address->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
      return WholeWrite::Datagram;
  if (const Expr *Header =
          roleArg(Call, Model.tableRole(FD, FunctionRole::DatagramHeaderSend), Shift))
    if (headerNamesDestination(Header, Ctx))
      return WholeWrite::Datagram;
  return WholeWrite::No;
}

} // namespace drain
