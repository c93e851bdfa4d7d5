//===--- Instantiations.h - has this template pattern an instantiation? -*- C++ -*-===//
//
// A check that also looks at template patterns (the dependent form of a class or function
// template, for code the translation unit never instantiates) must leave a pattern alone
// when an instantiation exists: the instantiation is analysed with every type known, and
// the pattern would say the same thing again, or something less precise.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CORE_INSTANTIATIONS_H
#define DRAIN_ANALYSIS_CORE_INSTANTIATIONS_H

#include "llvm/ADT/DenseSet.h"

namespace clang {
class ASTContext;
class DeclContext;
class FunctionDecl;
class Stmt;
} // namespace clang

namespace drain {

/// The function whose body holds \p S: the nearest enclosing function, or a lambda's call
/// operator (through the translation unit's parent map).
const clang::FunctionDecl *innermostFunction(clang::ASTContext &Ctx, const clang::Stmt *S);

/// The function patterns of one translation unit that have an instantiated body. Built on
/// first use (one walk of the translation unit, instantiations included) and kept for the
/// unit.
class InstantiatedPatterns {
public:
  explicit InstantiatedPatterns(clang::ASTContext &Ctx) : Ctx(Ctx) {}
  clang::ASTContext &context() const { return Ctx; }

  /// True if \p S (a statement of a template pattern) has been instantiated: one of the
  /// functions around it (a lambda's call operator, the member function or function
  /// template it is written in) has an instantiation with a body in this translation unit.
  /// \p Around, when known, is the innermost function around \p S (it spares building the
  /// translation unit's parent map).
  bool enclosingInstantiated(const clang::Stmt *S, const clang::DeclContext *Around = nullptr);

private:
  bool instantiated(const clang::FunctionDecl *Pattern);
  clang::ASTContext &Ctx;
  bool Built = false;
  llvm::DenseSet<const clang::FunctionDecl *> Patterns; ///< canonical declarations
};

} // namespace drain

#endif // DRAIN_ANALYSIS_CORE_INSTANTIATIONS_H
