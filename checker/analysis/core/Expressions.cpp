//===--- Expressions.cpp - questions about statements and expressions -----===//
#include "analysis/core/Expressions.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"

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

} // namespace drain
