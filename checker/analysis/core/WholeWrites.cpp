//===--- WholeWrites.cpp - writes that cannot be short --------------------===//
#include "analysis/core/WholeWrites.h"
#include "analysis/core/Callees.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace drain {

namespace {
/// Sends that name a destination address go to datagram sockets, where a datagram is sent
/// whole or not at all. (sendmsg's address hides in its msghdr: not listed.)
struct DatagramSend {
  const char *Name;
  unsigned AddressArg;
};
const DatagramSend DatagramSends[] = {{"sendto", 4}};

/// Writes that only ever go to a socket: no pipe makes their small writes atomic.
const llvm::StringRef SocketOnlySends[] = {"send", "sendto", "sendmsg"};
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
      if (!SocketOnly && R.Val.getInt().getZExtValue() <= AtomicWriteSize)
        return WholeWrite::AtomicSize;
    }
  }
  for (const DatagramSend &D : DatagramSends)
    if (Named && FD->getName() == D.Name && D.AddressArg + Shift < Call->getNumArgs() &&
        !Call->getArg(D.AddressArg + Shift)
             ->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
      return WholeWrite::Datagram;
  return WholeWrite::No;
}

} // namespace drain
