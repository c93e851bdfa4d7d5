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
/// Sends that name a destination address go to datagram sockets, where a datagram is sent
/// whole or not at all.
struct DatagramSend {
  const char *Name;
  unsigned AddressArg;
};
const DatagramSend DatagramSends[] = {{"sendto", 4}};

/// Sends whose message header (the argument) may name the destination (`msg.msg_name`).
const DatagramSend DatagramHeaderSends[] = {{"sendmsg", 1}};

/// Writes that only ever go to a socket: no pipe makes their small writes atomic.
const llvm::StringRef SocketOnlySends[] = {"send", "sendto", "sendmsg"};

/// Calls that create a socket, with the index of their domain, and the domain of a local
/// (Unix) socket, where a send shorter than one buffer is taken whole or not at all.
const DatagramSend SocketMakers[] = {{"socket", 0}};
/// Calls that create a connected pair of sockets into an array (the last argument), with the
/// index of their domain.
const DatagramSend SocketPairMakers[] = {{"socketpair", 0}};
constexpr int64_t LocalDomain = 1; // AF_UNIX, AF_LOCAL, PF_UNIX

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
/// function declaring it (`msg.msg_name = &addr`): the socket is a datagram socket.
bool headerNamesDestination(const Expr *Arg, ASTContext &Ctx) {
  const VarDecl *VD = localNamed(Arg, /*AddressOf=*/true);
  if (!VD)
    return false;
  bool Named = false;
  storesTo(VD, [&](const FieldDecl *F, const Expr *V) {
    Named |= F && F->getIdentifier() && F->getName() == "msg_name" &&
             !V->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull);
  });
  return Named;
}

/// True if \p V is an element of a local array that its function fills with a pair of local
/// (Unix) sockets (`socketpair(PF_UNIX, SOCK_STREAM, 0, sv)`, then `sv[1]`).
bool isLocalSocketPairElement(const Expr *V, ASTContext &Ctx) {
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
      if (const FunctionDecl *Maker = CE->getDirectCallee())
        for (const DatagramSend &M : SocketPairMakers) {
          Expr::EvalResult R;
          if (Maker->getIdentifier() && Maker->getName() == M.Name && CE->getNumArgs() > 1 &&
              M.AddressArg < CE->getNumArgs() &&
              localNamed(CE->getArg(CE->getNumArgs() - 1), false) == Pair &&
              CE->getArg(M.AddressArg)->EvaluateAsInt(R, Ctx) &&
              R.Val.getInt().getExtValue() == LocalDomain)
            return true;
        }
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return false;
}

/// True if the descriptor \p Arg is a local that its function sets only from a call creating
/// a local (Unix) socket (`sock = socket(PF_UNIX, SOCK_STREAM, 0)`, or an element of a
/// socketpair's array).
bool isLocalSocket(const Expr *Arg, ASTContext &Ctx) {
  const VarDecl *VD = localNamed(Arg, /*AddressOf=*/false);
  if (!VD)
    return false;
  bool Local = false, Other = false;
  storesTo(VD, [&](const FieldDecl *F, const Expr *V) {
    if (F)
      return;
    if (isLocalSocketPairElement(V, Ctx)) {
      Local = true;
      return;
    }
    const auto *CE = dyn_cast<CallExpr>(V->IgnoreParenCasts());
    const FunctionDecl *Maker = CE ? CE->getDirectCallee() : nullptr;
    for (const DatagramSend &M : SocketMakers) {
      Expr::EvalResult R;
      if (Maker && Maker->getIdentifier() && Maker->getName() == M.Name &&
          M.AddressArg < CE->getNumArgs() &&
          CE->getArg(M.AddressArg)->EvaluateAsInt(R, Ctx) &&
          R.Val.getInt().getExtValue() == LocalDomain) {
        Local = true;
        return;
      }
    }
    Expr::EvalResult R;
    // `int sock = -1;` before the socket is made says nothing of its kind.
    if (!(V->EvaluateAsInt(R, Ctx) && R.Val.getInt().isNegative()))
      Other = true;
  });
  return Local && !Other;
}
} // namespace

WholeWrite wholeWrite(const CallExpr *Call, const ApiEntry &Row, ASTContext &Ctx,
                      unsigned AtomicWriteSize) {
  Callee C = calleeOf(Call);
  if (!C || Row.Kind != OpKind::Write)
    return WholeWrite::No;
  // A pointer's target is unknown: it may be a pipe, so small writes count as whole as they
  // do for write(); it is never one of the socket-only sends below.
  const FunctionDecl *FD = C.Function;
  unsigned Shift = C.argumentShift(Call);
  bool Named = FD && FD->getDeclName().isIdentifier();
  const Expr *Len = Row.Length >= 0 && static_cast<unsigned>(Row.Length) + Shift <
                                           Call->getNumArgs()
                        ? Call->getArg(Row.Length + Shift)
                        : nullptr;
  if (Len && !Len->isValueDependent()) {
    Expr::EvalResult R;
    bool SocketOnly = Named && llvm::is_contained(SocketOnlySends, FD->getName());
    if (Len->EvaluateAsInt(R, Ctx) && !R.Val.getInt().isNegative()) {
      if (R.Val.getInt().getZExtValue() <= 1)
        return WholeWrite::OneUnit;
      if (R.Val.getInt().getZExtValue() <= AtomicWriteSize &&
          (!SocketOnly || (Row.Channel >= 0 && unsigned(Row.Channel) + Shift < Call->getNumArgs() &&
                           isLocalSocket(Call->getArg(Row.Channel + Shift), Ctx))))
        return WholeWrite::AtomicSize;
    }
  }
  for (const DatagramSend &D : DatagramSends)
    if (Named && FD->getName() == D.Name && D.AddressArg + Shift < Call->getNumArgs() &&
        !Call->getArg(D.AddressArg + Shift)
             ->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
      return WholeWrite::Datagram;
  for (const DatagramSend &D : DatagramHeaderSends)
    if (Named && FD->getName() == D.Name && D.AddressArg + Shift < Call->getNumArgs() &&
        headerNamesDestination(Call->getArg(D.AddressArg + Shift), Ctx))
      return WholeWrite::Datagram;
  return WholeWrite::No;
}

} // namespace drain
