//===--- PartialWrite.cpp - counts checked only for errors ----------------===//
#include "analysis/checks/PartialWrite.h"
#include "Compat.h"
#include "analysis/core/ResultTypes.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"

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
};

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

struct Tracer {
  ASTContext &Ctx;
  DiscardClassifier &Index;
  llvm::SmallVector<const Expr *, 4> ErrorTests;
  bool LookedAt = false;
  llvm::SmallPtrSet<const VarDecl *, 4> Followed;
  llvm::SmallVector<const VarDecl *, 4> Pending;

  /// Classifies the use the parent makes of the count value \p E.
  CountUse use(const Expr *E) {
    const Stmt *Cur = E;
    for (unsigned Depth = 0; Depth < MaxDepth; ++Depth) {
      DynTypedNode P = Index.parent(*Cur);
      if (const auto *VD = P.get<VarDecl>()) {
        if (VD->hasLocalStorage() && !VD->getType()->isReferenceType() &&
            !isa<ParmVarDecl>(VD) && !isa<DecompositionDecl>(VD)) {
          follow(VD);
          return CountUse::Ignored;
        }
        return CountUse::LookedAt; // a static, a reference binding: kept for later
      }
      const Stmt *PS = P.get<Stmt>();
      if (!PS)
        return CountUse::LookedAt;
      const auto *PE = dyn_cast<Expr>(PS);
      if (!PE)
        return isa<ReturnStmt>(PS) ? CountUse::LookedAt
               : isa<SwitchStmt>(PS) ? CountUse::LookedAt
                                     : CountUse::Ignored; // a statement: dropped
      if (const auto *ICE = dyn_cast<ImplicitCastExpr>(PE)) {
        if (ICE->getCastKind() == CK_IntegralToBoolean ||
            ICE->getCastKind() == CK_PointerToBoolean) {
          ErrorTests.push_back(ICE);
          return CountUse::ErrorTest;
        }
        Cur = PE;
        continue;
      }
      if (isa<ParenExpr>(PE) || isa<FullExpr>(PE)) {
        Cur = PE;
        continue;
      }
      if (const auto *Cast = dyn_cast<ExplicitCastExpr>(PE)) {
        if (Cast->getType()->isVoidType())
          return CountUse::Ignored;
        if (Cast->getType()->isBooleanType()) {
          ErrorTests.push_back(Cast);
          return CountUse::ErrorTest;
        }
        Cur = PE; // (size_t)n == len compares the count all the same
        continue;
      }
      if (const auto *UO = dyn_cast<UnaryOperator>(PE)) {
        if (UO->getOpcode() == UO_LNot) {
          ErrorTests.push_back(UO);
          return CountUse::ErrorTest;
        }
        if (UO->getOpcode() == UO_Minus || UO->getOpcode() == UO_Plus) {
          Cur = PE;
          continue;
        }
        return CountUse::LookedAt;
      }
      if (const auto *CO = dyn_cast<AbstractConditionalOperator>(PE)) {
        if (Cur != CO->getCond()) {
          Cur = PE; // the count flows through a branch
          continue;
        }
        return CountUse::LookedAt;
      }
      if (const auto *BO = dyn_cast<BinaryOperator>(PE)) {
        if (BO->isComparisonOp()) {
          const Expr *Other = Cur == BO->getLHS() ? BO->getRHS() : BO->getLHS();
          if (isErrorConstant(Other, Ctx)) {
            ErrorTests.push_back(BO);
            return CountUse::ErrorTest;
          }
          return CountUse::LookedAt; // n != len, n < len, n == sizeof buf, n != 1
        }
        if (BO->getOpcode() == BO_Comma) {
          if (Cur == BO->getLHS())
            return CountUse::Ignored;
          Cur = PE;
          continue;
        }
        if (BO->isLogicalOp()) // an operand converted to bool is caught above
          return CountUse::LookedAt;
        if (BO->getOpcode() == BO_Assign) {
          if (Cur != BO->getRHS())
            return CountUse::Ignored;
          if (const VarDecl *VD = plainLocal(BO->getLHS())) {
            follow(VD);
            // `if ((n = write(...)) < 0)` also looks at the value right here.
            return use(BO);
          }
          return CountUse::LookedAt; // stored in a member, through a pointer, ...
        }
        // Arithmetic and compound assignment: p += n, len -= n, total + n.
        return CountUse::LookedAt;
      }
      // An argument, an array index, an initializer: passed on.
      return CountUse::LookedAt;
    }
    return CountUse::LookedAt;
  }

  void follow(const VarDecl *VD) {
    if (Followed.insert(VD).second)
      Pending.push_back(VD);
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
          // &n, n += ..., ++n, a reference binding: the count goes where we do not follow.
          LookedAt = true;
          return;
        }
        if (use(Ref) == CountUse::LookedAt) {
          LookedAt = true;
          return;
        }
      }
    }
  }
};

/// Sends that name a destination address go to datagram sockets, where a datagram is sent
/// whole or not at all. (sendmsg's address hides in its msghdr: not listed.)
struct DatagramSend {
  const char *Name;
  unsigned AddressArg;
};
const DatagramSend DatagramSends[] = {{"sendto", 4}};

/// Writes that only ever go to a socket: no pipe makes their small writes atomic.
const llvm::StringRef SocketOnlySends[] = {"send", "sendto", "sendmsg"};

/// True if the call reports its progress through an integer out-argument (sendfile's
/// `off_t *offset`): code that loops on that offset follows the short writes.
bool tracksProgressThroughArgument(const CallExpr *Call, const FunctionDecl *FD,
                                   unsigned Shift) {
  for (unsigned I = Shift; I < Call->getNumArgs(); ++I) {
    unsigned P = I - Shift;
    if (P >= FD->getNumParams())
      break;
    QualType PT = FD->getParamDecl(P)->getType();
    if (!PT->isPointerType() || PT->getPointeeType().isConstQualified() ||
        !PT->getPointeeType()->isIntegerType())
      continue;
    if (const auto *UO = dyn_cast<UnaryOperator>(Call->getArg(I)->IgnoreParenImpCasts()))
      if (UO->getOpcode() == UO_AddrOf)
        return true;
  }
  return false;
}

std::string lengthText(const Expr *Len, ASTContext &Ctx) {
  if (!Len)
    return "";
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
} // namespace

std::optional<Finding> findPartialWrite(const CallExpr *Call, const ApiModel &Model,
                                                    DiscardClassifier &Index,
                                                    const PartialWriteOptions &Opts) {
  ASTContext &Ctx = Index.context();
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD)
    return std::nullopt;
  ApiOp Op = Model.lookup(FD);
  // Composed writes (asio::write, write_all) loop by themselves; asynchronous ones report
  // their count to a handler.
  if (!Op || Op.kind() != OpKind::Write)
    return std::nullopt;
  std::optional<ResultKind> RK = effectiveResultKind(Op, FD, Model);
  if (!RK || !(*RK == ResultKind::ByteCount || *RK == ResultKind::ItemCount ||
               (*RK == ResultKind::TlsCount && Opts.TlsPartialWrites)))
    return std::nullopt;

  unsigned Shift = isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(FD) ? 1 : 0;
  int LenIdx = Op.Entry->Length;
  const Expr *Len = LenIdx >= 0 && static_cast<unsigned>(LenIdx) + Shift < Call->getNumArgs()
                        ? Call->getArg(LenIdx + Shift)
                        : nullptr;
  // A small constant length is written whole or not at all where such writes are used:
  // POSIX makes writes up to PIPE_BUF (at least 512 bytes) atomic on pipes and FIFOs, eventfd
  // takes its 8 bytes or nothing, one byte or item cannot be split. A socket-only send gets
  // only the one-byte rule: a stream socket with less room than the message takes part of it
  // (curl's telnet option replies).
  if (Len && !Len->isValueDependent()) {
    Expr::EvalResult R;
    bool SocketOnly = FD->getDeclName().isIdentifier() &&
                      llvm::is_contained(SocketOnlySends, FD->getName());
    if (Len->EvaluateAsInt(R, Ctx) && !R.Val.getInt().isNegative() &&
        (R.Val.getInt() == 1 ||
         (!SocketOnly && R.Val.getInt().getZExtValue() <= Opts.AtomicWriteSize)))
      return std::nullopt;
  }
  for (const DatagramSend &D : DatagramSends)
    if (FD->getDeclName().isIdentifier() && FD->getName() == D.Name &&
        D.AddressArg + Shift < Call->getNumArgs() &&
        !Call->getArg(D.AddressArg + Shift)
             ->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
      return std::nullopt;
  if (tracksProgressThroughArgument(Call, FD, Shift))
    return std::nullopt;

  Tracer T{Ctx, Index, {}, false, {}, {}};
  if (T.use(Call) == CountUse::LookedAt)
    return std::nullopt;
  T.drain();
  if (T.LookedAt || T.ErrorTests.empty())
    return std::nullopt;

  const SourceManager &SM = Ctx.getSourceManager();
  std::string Name = FD->getDeclName().isIdentifier() ? FD->getName().str()
                                                      : FD->getNameAsString();
  bool Items = *RK == ResultKind::ItemCount;
  Finding F;
  F.Loc = callDiagnosticLoc(Call, SM);
  F.Message = "result of '" + Name + "' is only checked for errors; a short write drops the " +
              (Items ? "remaining items" : "rest of the buffer") + " unnoticed";
  std::string LenText = lengthText(Len, Ctx);
  std::string Compared = LenText.empty() ? "the requested length" : "'" + LenText + "'";
  F.Notes.push_back({Len ? SM.getFileLoc(Len->getExprLoc()) : F.Loc,
                     "the count is never compared with " + Compared + "; loop until all " +
                         (Items ? "items" : "bytes") + " are written"});
  F.Notes.push_back({SM.getFileLoc(T.ErrorTests.front()->getExprLoc()),
                     "the count is only tested for failure here"});
  return F;
}

} // namespace drain
