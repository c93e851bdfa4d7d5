//===--- StdioStreams.cpp - how stdio streams are opened ------------------===//
#include "analysis/core/StdioStreams.h"
#include "analysis/core/UnitDecls.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/STLExtras.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace drain {

namespace {
bool openerCall(const Expr *E, unsigned Depth, const ApiModel &Model);

/// The return statements and the references to locals of a wrapper's body (lambdas left out).
struct WrapperBody : RecursiveASTVisitor<WrapperBody> {
  llvm::SmallVector<const ReturnStmt *, 4> Returns;
  llvm::SmallVector<const DeclRefExpr *, 16> Refs;
  unsigned Statements = 0;
  bool VisitStmt(Stmt *) { return ++Statements < 400; }
  bool VisitReturnStmt(ReturnStmt *R) {
    Returns.push_back(R);
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *D) {
    Refs.push_back(D);
    return true;
  }
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
};

bool nullOrOpened(const Expr *V, const ASTContext &Ctx, unsigned Depth, const ApiModel &Model) {
  return V && (V->IgnoreParenImpCasts()->isNullPointerConstant(
                   const_cast<ASTContext &>(Ctx), Expr::NPC_ValueDependentIsNotNull) ||
               openerCall(V, Depth, Model));
}

/// True if the wrapper's local \p VD holds a fresh stream where it is returned: every value
/// it is given is an opener's call or null, and it is otherwise only tested and returned.
bool freshLocal(const VarDecl *VD, const WrapperBody &B, ParentMap &PM, const ASTContext &Ctx,
                unsigned Depth, const ApiModel &Model) {
  if (!VD->hasLocalStorage() || isa<ParmVarDecl>(VD) || VD->getType()->isReferenceType())
    return false;
  if (VD->getInit() && !nullOrOpened(VD->getInit(), Ctx, Depth, Model))
    return false;
  for (const DeclRefExpr *Ref : B.Refs) {
    if (Ref->getDecl() != VD)
      continue;
    const Stmt *Cur = Ref;
    const Stmt *P = PM.getParent(Cur);
    while (P && (isa<ImplicitCastExpr>(P) || isa<ParenExpr>(P))) {
      Cur = P;
      P = PM.getParent(Cur);
    }
    if (const auto *BO = dyn_cast_or_null<BinaryOperator>(P)) {
      if (BO->getOpcode() == BO_Assign && BO->getLHS() == Cur) {
        if (!nullOrOpened(BO->getRHS(), Ctx, Depth, Model))
          return false;
        continue;
      }
      if (BO->isEqualityOp() || BO->isLogicalOp())
        continue;
      return false;
    }
    if (const auto *UO = dyn_cast_or_null<UnaryOperator>(P))
      if (UO->getOpcode() == UO_LNot)
        continue;
    if (const auto *If = dyn_cast_or_null<IfStmt>(P))
      if (If->getCond() == Cur)
        continue;
    if (isa_and_nonnull<ReturnStmt>(P))
      continue;
    return false; // handed to a call, copied, written through: not known to be untouched
  }
  return true;
}

/// True if every value the project's function \p Fn returns is a fresh stream or null: an
/// opener's call, another such wrapper's call, or a local only those give a value and that
/// \p Fn only tests before returning it (`file_open(lemp, ".c", "wb")` around fopen, a
/// project's `xfopen`). The wrapper hands over the stream untouched: its buffer is empty.
bool wrapsOpener(const FunctionDecl *Fn, unsigned Depth, const ApiModel &Model) {
  const FunctionDecl *Def = nullptr;
  if (Depth == 0 || !Fn->hasBody(Def) || !Def || !Def->getBody() ||
      !isFilePointer(Def->getReturnType()) || Def->isDependentContext())
    return false;
  WrapperBody B;
  if (!B.TraverseStmt(Def->getBody()) || B.Returns.empty())
    return false;
  const ASTContext &Ctx = Def->getASTContext();
  ParentMap PM(Def->getBody());
  bool Opens = false;
  for (const ReturnStmt *R : B.Returns) {
    const Expr *V = R->getRetValue();
    if (!V)
      return false;
    V = V->IgnoreParenImpCasts();
    if (V->isNullPointerConstant(const_cast<ASTContext &>(Ctx),
                                 Expr::NPC_ValueDependentIsNotNull))
      continue;
    Opens = true;
    if (openerCall(V, Depth - 1, Model))
      continue;
    const auto *DRE = dyn_cast<DeclRefExpr>(V);
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    if (!VD || !freshLocal(VD, B, PM, Ctx, Depth - 1, Model))
      return false;
  }
  return Opens;
}

/// An opener of the table, or (up to \p Depth wrappers deep) a project's function around one.
bool openerCall(const Expr *E, unsigned Depth, const ApiModel &Model) {
  const auto *Call = E ? dyn_cast<CallExpr>(E->IgnoreParenImpCasts()) : nullptr;
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  if (!Callee || !Callee->getIdentifier())
    return false;
  if (Model.tableRole(Callee, FunctionRole::StreamOpener))
    return true;
  return wrapsOpener(Callee, Depth, Model);
}

/// Wrappers are looked into this many deep.
constexpr unsigned MaxOpenerWrappers = 2;
} // namespace

std::optional<unsigned> streamOpenerWrapperDepth(const FunctionDecl *FD, const ApiModel &Model) {
  // wrapsOpener holds at every depth from the least one on: the least is the row's depth.
  for (unsigned Depth = 1; Depth <= MaxOpenerWrappers; ++Depth)
    if (wrapsOpener(FD, Depth, Model))
      return Depth;
  return std::nullopt;
}

bool isStreamOpenerCall(const Expr *E, const ApiModel &Model) {
  const auto *Call = E ? dyn_cast<CallExpr>(E->IgnoreParenImpCasts()) : nullptr;
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  if (!Callee || !Callee->getIdentifier())
    return false;
  const RoleEntry *Row = Model.roleOf(Callee, FunctionRole::StreamOpener);
  return Row && Row->Depth <= MaxOpenerWrappers;
}

bool givesStreamNoOutput(const CallExpr *Call, unsigned Arg, const ApiModel &Model) {
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  if (!Callee || !Callee->getIdentifier() || Arg >= Call->getNumArgs())
    return false;
  return Model.hasRole(Callee, FunctionRole::StreamNoOutput, static_cast<int>(Arg));
}

bool isStdioMode(llvm::StringRef M) {
  if (M.empty() || M.size() > 4 || (M[0] != 'r' && M[0] != 'w' && M[0] != 'a'))
    return false;
  for (char C : M.drop_front())
    if (!llvm::StringRef("+bemtcx").contains(C))
      return false;
  return true;
}

bool isReadOnlyModeLiteral(const Expr *Mode) {
  const auto *Lit = Mode ? dyn_cast<StringLiteral>(Mode->IgnoreParenImpCasts()) : nullptr;
  if (!Lit || Lit->getCharByteWidth() != 1)
    return false;
  llvm::StringRef M = Lit->getString();
  return !M.empty() && M[0] == 'r' && !M.contains('+');
}

bool isFilePointer(QualType T) {
  if (T.isNull() || !T->isPointerType())
    return false;
  const auto *TT = T->getPointeeType()->getAs<TypedefType>();
  return TT && TT->getDecl()->getName() == "FILE";
}

namespace {
/// The names the C and C++ libraries give the standard output: the global `FILE *` (the
/// BSDs' `stdout` macro expands to `__stdoutp`) and the standard `ostream`s.
const char *const StandardOutputNames[] = {"stdout", "__stdoutp", "std::cout", "std::wcout"};
} // namespace

bool isStandardOutputDecl(const ValueDecl *D) {
  const auto *VD = dyn_cast_or_null<VarDecl>(D);
  if (!VD || VD->hasLocalStorage() || !VD->getIdentifier())
    return false;
  std::string Qualified = ApiModel::qualifiedName(VD);
  for (const char *N : StandardOutputNames)
    if (Qualified == N)
      return true;
  return false;
}

bool collectFieldValues(const FieldDecl *Field, const ASTContext &Ctx,
                        llvm::SmallVectorImpl<const Expr *> &Values) {
  struct Finder : RecursiveASTVisitor<Finder> {
    const FieldDecl *Field;
    llvm::SmallVectorImpl<const Expr *> &Values;
    bool Escapes = false;
    Finder(const FieldDecl *F, llvm::SmallVectorImpl<const Expr *> &V) : Field(F), Values(V) {}
    static const FieldDecl *fieldOf(const Expr *E) {
      const auto *ME = dyn_cast<MemberExpr>(E->IgnoreParenImpCasts());
      return ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
    }
    bool VisitBinaryOperator(BinaryOperator *BO) {
      if (BO->getOpcode() == BO_Assign && fieldOf(BO->getLHS()) == Field)
        Values.push_back(BO->getRHS());
      return true;
    }
    bool VisitUnaryOperator(UnaryOperator *UO) {
      if (UO->getOpcode() == UO_AddrOf && fieldOf(UO->getSubExpr()) == Field)
        Escapes = true;
      return true;
    }
    bool VisitCXXConstructorDecl(CXXConstructorDecl *CD) {
      for (const CXXCtorInitializer *I : CD->inits())
        if (I->getMember() == Field && I->isWritten())
          Values.push_back(I->getInit());
      return true;
    }
  } F(Field, Values);
  for (Decl *D : mainFileDecls(Ctx))
    F.TraverseDecl(D);
  return F.Escapes;
}

bool fieldValues(const FieldDecl *Field, ASTContext &Ctx,
                 llvm::SmallVectorImpl<const Expr *> &Values) {
  bool Escapes = collectFieldValues(Field, Ctx, Values);
  bool Opened = llvm::any_of(Values, [&](const Expr *V) {
    return !V->IgnoreParenImpCasts()->isNullPointerConstant(Ctx,
                                                           Expr::NPC_ValueDependentIsNotNull);
  });
  return !Escapes && Opened;
}

namespace {
/// A mode that opens for reading on some path: a read-only literal, or a choice of modes one
/// of which is.
bool mayBeReadOnlyMode(const Expr *Mode, unsigned Depth = 0) {
  if (!Mode || Depth > 4)
    return false;
  Mode = Mode->IgnoreParenImpCasts();
  if (const auto *CO = dyn_cast<AbstractConditionalOperator>(Mode))
    return mayBeReadOnlyMode(CO->getTrueExpr(), Depth + 1) ||
           mayBeReadOnlyMode(CO->getFalseExpr(), Depth + 1);
  return isReadOnlyModeLiteral(Mode);
}
} // namespace

bool fieldOpenedForReading(const FieldDecl *Field, const ASTContext &Ctx,
                           const ApiModel &Model) {
  llvm::SmallVector<const Expr *, 4> Values;
  collectFieldValues(Field, Ctx, Values);
  return llvm::any_of(Values, [&](const Expr *V) {
    const auto *Call = dyn_cast<CallExpr>(V->IgnoreParenImpCasts());
    const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
    if (!Callee || !Callee->getIdentifier())
      return false;
    const RoleEntry *O = Model.tableRole(Callee, FunctionRole::StreamOpener);
    return O && O->Arg >= 0 && static_cast<unsigned>(O->Arg) < Call->getNumArgs() &&
           mayBeReadOnlyMode(Call->getArg(O->Arg));
  });
}

} // namespace drain
