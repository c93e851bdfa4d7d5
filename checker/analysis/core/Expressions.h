//===--- Expressions.h - questions about statements and expressions -*- C++ -*-===//
//
// Small structural questions that several rules ask of the AST: does one statement hold
// another, do two expressions name the same object, which local holds a value.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CORE_EXPRESSIONS_H
#define DRAIN_ANALYSIS_CORE_EXPRESSIONS_H

#include "llvm/ADT/STLFunctionalExtras.h"

namespace clang {
class Expr;
class FieldDecl;
class ParentMap;
class QualType;
class Stmt;
class VarDecl;
} // namespace clang

namespace drain {

/// True if \p Inner is \p Outer or one of its descendants (a bounded walk of the children:
/// a deeply nested \p Inner counts as not held).
bool containsStmt(const clang::Stmt *Outer, const clang::Stmt *Inner);

/// True if a member expression in \p Root (itself or a descendant, a bounded walk) names a
/// field for which \p Pred holds: `out_` in `out_.data()`, `c->outlen` in `c->outlen - n`.
bool anyMember(const clang::Stmt *Root, llvm::function_ref<bool(const clang::FieldDecl *)> Pred);

/// True if \p A and \p B spell a reference to the same object: the same variable, the same
/// member of the same base, the same unary operator on the same operand, or both `this`.
/// Parentheses and implicit casts are looked through.
bool sameReference(const clang::Expr *A, const clang::Expr *B);

/// The local that \p Value is stored in where it is evaluated: `n = SSL_write(...)`, `int err =
/// SSL_get_error(...)` (through parentheses and casts); null for any other use.
const clang::VarDecl *localHolding(const clang::Expr *Value, const clang::ParentMap &PM);

/// True if \p T holds raw bytes: an array of, or a pointer to, char-sized elements (plain,
/// signed or unsigned char) or void: where a copy puts bytes, what a C buffer member is.
bool holdsBytes(clang::QualType T);

} // namespace drain

#endif // DRAIN_ANALYSIS_CORE_EXPRESSIONS_H
