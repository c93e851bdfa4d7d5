//===--- Expressions.cpp - questions about statements and expressions -----===//
#include "analysis/core/Expressions.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "llvm/ADT/SmallVector.h"

using namespace clang;

namespace drain {
namespace {

bool containsAt(const Stmt *Outer, const Stmt *Inner, unsigned Depth) {
  if (!Outer || Depth > 256)
    return false;
  if (Outer == Inner)
    return true;
  for (const Stmt *C : Outer->children())
    if (containsAt(C, Inner, Depth + 1))
      return true;
  return false;
}

} // namespace

bool containsStmt(const Stmt *Outer, const Stmt *Inner) { return containsAt(Outer, Inner, 0); }

bool anyMember(const Stmt *Root, llvm::function_ref<bool(const FieldDecl *)> Pred) {
  llvm::SmallVector<const Stmt *, 8> Work{Root};
  for (unsigned Steps = 0; !Work.empty() && Steps < 64; ++Steps) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *ME = dyn_cast<MemberExpr>(S))
      if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl()); F && Pred(F))
        return true;
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return false;
}

bool sameReference(const Expr *A, const Expr *B) {
  if (!A || !B)
    return false;
  A = A->IgnoreParenImpCasts();
  B = B->IgnoreParenImpCasts();
  if (const auto *DA = dyn_cast<DeclRefExpr>(A))
    if (const auto *DB = dyn_cast<DeclRefExpr>(B))
      return DA->getDecl() == DB->getDecl();
  if (const auto *MA = dyn_cast<MemberExpr>(A))
    if (const auto *MB = dyn_cast<MemberExpr>(B))
      return MA->getMemberDecl() == MB->getMemberDecl() &&
             sameReference(MA->getBase(), MB->getBase());
  if (const auto *UA = dyn_cast<UnaryOperator>(A))
    if (const auto *UB = dyn_cast<UnaryOperator>(B))
      return UA->getOpcode() == UB->getOpcode() &&
             sameReference(UA->getSubExpr(), UB->getSubExpr());
  return isa<CXXThisExpr>(A) && isa<CXXThisExpr>(B);
}

const VarDecl *localHolding(const Expr *Value, const ParentMap &PM) {
  const Stmt *Cur = Value;
  for (unsigned I = 0; I < 8; ++I) {
    const Stmt *P = PM.getParent(Cur);
    if (!P)
      return nullptr;
    if (isa<ParenExpr>(P) || isa<CastExpr>(P)) {
      Cur = P;
      continue;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(P)) {
      if (BO->getOpcode() != BO_Assign || BO->getRHS()->IgnoreParenCasts() != Value)
        return nullptr;
      if (const auto *DRE = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
        return dyn_cast<VarDecl>(DRE->getDecl());
      return nullptr;
    }
    if (const auto *DS = dyn_cast<DeclStmt>(P)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          if (VD->getInit() && VD->getInit()->IgnoreParenCasts() == Value)
            return VD;
      return nullptr;
    }
    return nullptr;
  }
  return nullptr;
}

bool holdsBytes(QualType T) {
  T = T.getCanonicalType();
  QualType E;
  if (const auto *AT = dyn_cast<ArrayType>(T.getTypePtr()))
    E = AT->getElementType();
  else if (T->isPointerType())
    E = T->getPointeeType();
  else
    return false;
  E = E.getCanonicalType();
  return E->isVoidType() || E->isCharType() || E->isSpecificBuiltinType(BuiltinType::UChar) ||
         E->isSpecificBuiltinType(BuiltinType::SChar);
}

} // namespace drain
