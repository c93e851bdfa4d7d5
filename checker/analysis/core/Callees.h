//===--- Callees.h - what a call reaches ------------------------*- C++ -*-===//
//
// A call reaches a function, or goes through a function pointer: a struct field of an
// operations table (`c->ops->write(...)`, `(a->client_writer)(...)`), a variable or a
// parameter. C libraries route most of their I/O through such tables, so the model is asked
// about both: a function by its declaration, a pointer by the declaration of the pointer (its
// name, its annotations, the signature of the function type it points to).
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CORE_CALLEES_H
#define DRAIN_ANALYSIS_CORE_CALLEES_H

#include "clang/AST/Type.h"
#include <string>

namespace clang {
class CallExpr;
class FunctionDecl;
class ValueDecl;
} // namespace clang

namespace drain {

struct Callee {
  /// The function called directly, or null.
  const clang::FunctionDecl *Function = nullptr;
  /// For a call through a pointer: the field, variable or parameter that holds it.
  const clang::ValueDecl *Pointer = nullptr;
  /// The prototype of the function pointed to (null for an unprototyped C declaration).
  const clang::FunctionProtoType *Proto = nullptr;

  explicit operator bool() const { return Function || Pointer; }
  clang::QualType returnType() const;
  unsigned numParams() const;
  clang::QualType paramType(unsigned I) const;
  /// The name as a message shows it: `write`, `client_writer`.
  std::string name() const;
  /// Arguments before the first parameter (the object of an operator called as a member).
  unsigned argumentShift(const clang::CallExpr *Call) const;
};

/// What \p Call reaches; empty for a call of a pointer-to-member or of an expression with no
/// declaration behind it (a function returned by another call).
Callee calleeOf(const clang::CallExpr *Call);

/// A call that reports rather than handles: printf-like (a format attribute, or variadic) or
/// named like a logger (`log_warn`, `perror`, `dbgprintf`).
bool isLoggingCall(const clang::CallExpr *Call);

/// The prototype of the function a pointer (or reference) declaration points to, or null.
const clang::FunctionProtoType *pointeePrototype(const clang::ValueDecl *D);

} // namespace drain

#endif // DRAIN_ANALYSIS_CORE_CALLEES_H
