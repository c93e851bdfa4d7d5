//===--- Instantiations.cpp - has this template pattern an instantiation? -===//
#include "analysis/core/Instantiations.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"

using namespace clang;

namespace drain {

namespace {

/// Every function instantiated with a body, recorded by its pattern: member functions of
/// class template specializations, function template specializations, and what they hold.
class PatternCollector : public RecursiveASTVisitor<PatternCollector> {
public:
  explicit PatternCollector(llvm::DenseSet<const FunctionDecl *> &Out) : Out(Out) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (!FD->isTemplateInstantiation() || !FD->hasBody())
      return true;
    if (const FunctionDecl *P = FD->getTemplateInstantiationPattern())
      Out.insert(P->getCanonicalDecl());
    return true;
  }

private:
  llvm::DenseSet<const FunctionDecl *> &Out;
};

} // namespace

const FunctionDecl *innermostFunction(ASTContext &Ctx, const Stmt *S) {
  TraversalKindScope Scope(Ctx, TK_AsIs);
  DynTypedNode N = DynTypedNode::create(*S);
  for (unsigned Depth = 0; Depth < 256; ++Depth) {
    auto Parents = Ctx.getParents(N);
    if (Parents.empty())
      return nullptr;
    N = Parents[0];
    if (const auto *FD = N.get<FunctionDecl>())
      return FD;
    if (const auto *LE = N.get<LambdaExpr>())
      return LE->getCallOperator();
  }
  return nullptr;
}

bool InstantiatedPatterns::instantiated(const FunctionDecl *Pattern) {
  // A function template's own specializations, a generic lambda's among them (the walk below
  // does not reach those: it enters a lambda's body, not its closure class).
  if (const FunctionTemplateDecl *FT = Pattern->getDescribedFunctionTemplate())
    for (const FunctionDecl *Spec : FT->specializations())
      if (Spec->hasBody())
        return true;
  if (!Built) {
    PatternCollector C(Patterns);
    C.TraverseDecl(Ctx.getTranslationUnitDecl());
    Built = true;
  }
  return Patterns.count(Pattern->getCanonicalDecl());
}

bool InstantiatedPatterns::enclosingInstantiated(const Stmt *S, const DeclContext *Around) {
  if (!S && !Around)
    return false;
  // From the innermost function out: a lambda's call operator, the closure's enclosing
  // function, and so on (a generic lambda in a function template, a member function of a
  // class template).
  const DeclContext *DC = Around ? Around : innermostFunction(Ctx, S);
  for (unsigned Depth = 0; DC && Depth < 32; ++Depth, DC = DC->getParent())
    if (const auto *FD = dyn_cast<FunctionDecl>(DC))
      if (instantiated(FD))
        return true;
  return false;
}

} // namespace drain
