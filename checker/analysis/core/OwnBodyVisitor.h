//===--- OwnBodyVisitor.h - one function body, without the functions in it -*- C++ -*-===//
//
// A lambda's body and a local class's methods are functions of their own: the CFG of the
// function around them does not enter them, and they are analysed when they are asked about.
// A visitor of one function's body derives from OwnBodyVisitor to see what that function
// evaluates of them (a lambda's capture initializers, the declarations themselves) and no
// more.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CORE_OWNBODYVISITOR_H
#define DRAIN_ANALYSIS_CORE_OWNBODYVISITOR_H

#include "clang/AST/RecursiveASTVisitor.h"
#include <vector>

namespace drain {

template <typename Derived>
class OwnBodyVisitor : public clang::RecursiveASTVisitor<Derived> {
public:
  bool TraverseLambdaExpr(clang::LambdaExpr *LE) {
    for (clang::Expr *Init : LE->capture_inits())
      if (Init && !this->getDerived().TraverseStmt(Init))
        return false;
    return true;
  }
  bool TraverseDecl(clang::Decl *D) {
    if (D && (llvm::isa<clang::FunctionDecl>(D) || llvm::isa<clang::RecordDecl>(D)))
      return this->getDerived().WalkUpFromDecl(D); // the declaration, not its body or members
    return clang::RecursiveASTVisitor<Derived>::TraverseDecl(D);
  }
};

namespace detail {
class OwnCallCollector : public OwnBodyVisitor<OwnCallCollector> {
public:
  explicit OwnCallCollector(std::vector<const clang::CallExpr *> &Out) : Out(Out) {}
  bool VisitCallExpr(clang::CallExpr *CE) {
    Out.push_back(CE);
    return true;
  }

private:
  std::vector<const clang::CallExpr *> &Out;
};
} // namespace detail

/// Appends the calls of \p Body to \p Out, without those of the lambdas and local classes in
/// it (their call operators and methods are functions of their own), in source order.
inline void collectOwnCalls(const clang::Stmt *Body, std::vector<const clang::CallExpr *> &Out) {
  if (Body)
    detail::OwnCallCollector(Out).TraverseStmt(const_cast<clang::Stmt *>(Body));
}

} // namespace drain

#endif // DRAIN_ANALYSIS_CORE_OWNBODYVISITOR_H
