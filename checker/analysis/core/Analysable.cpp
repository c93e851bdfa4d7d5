//===--- Analysable.cpp - may this function's body be analysed? -----------===//
#include "analysis/core/Analysable.h"
#include "analysis/core/OwnBodyVisitor.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace drain {
namespace {

class ErrorFinder : public OwnBodyVisitor<ErrorFinder> {
public:
  bool Found = false;

  // Implicit code is what the CFG is made of too (implicit casts, constructors, the pieces of
  // a range-for or a coroutine).
  bool shouldVisitImplicitCode() const { return true; }

  bool VisitExpr(Expr *E) {
    // containsErrors() is set on every expression above an error-recovery node (RecoveryExpr,
    // a call that could not be resolved, a type that did not parse), so the first hit is the
    // outermost one and the walk can stop.
    if (E->containsErrors())
      return found();
    return true;
  }
  // Default arguments and member initializers are not children of the expression that uses
  // them, but the CFG may visit them.
  bool VisitCXXDefaultArgExpr(CXXDefaultArgExpr *E) {
    if (const Expr *Arg = E->getExpr(); Arg && Arg->containsErrors())
      return found();
    return true;
  }
  bool VisitCXXDefaultInitExpr(CXXDefaultInitExpr *E) {
    if (const Expr *Init = E->getExpr(); Init && Init->containsErrors())
      return found();
    return true;
  }
  bool VisitDecl(Decl *D) {
    if (D->isInvalidDecl())
      return found();
    if (const auto *VD = dyn_cast<ValueDecl>(D))
      if (!VD->getType().isNull() && VD->getType()->containsErrors())
        return found();
    return true;
  }
  // A lambda's body and a local class's methods are guarded when they are analysed
  // (OwnBodyVisitor); what the enclosing function evaluates of them is looked at here.
  bool TraverseLambdaExpr(LambdaExpr *LE) {
    if (LE->containsErrors())
      return found();
    return OwnBodyVisitor::TraverseLambdaExpr(LE);
  }

private:
  bool found() {
    Found = true;
    return false; // stop the traversal
  }
};

} // namespace

bool containsErrors(const Stmt *Body) {
  if (!Body)
    return false;
  ErrorFinder F;
  F.TraverseStmt(const_cast<Stmt *>(Body));
  return F.Found;
}

bool hasErrors(const FunctionDecl *FD) {
  const FunctionDecl *Def = nullptr;
  if (!FD || !FD->hasBody(Def) || !Def)
    return false;
  if (Def->isInvalidDecl())
    return true;
  for (const ParmVarDecl *P : Def->parameters())
    if (P->isInvalidDecl() || P->getType()->containsErrors())
      return true;
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def))
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (const Expr *E = Init->getInit(); E && E->containsErrors())
        return true;
  return containsErrors(Def->getBody());
}

bool isAnalysable(const FunctionDecl *FD) {
  const FunctionDecl *Def = nullptr;
  if (!FD || !FD->hasBody(Def) || !Def || !Def->getBody())
    return false;
  // A dependent body has no reliable CFG; its instantiations are analysed instead.
  if (Def->isDependentContext())
    return false;
  return !hasErrors(Def);
}

} // namespace drain
