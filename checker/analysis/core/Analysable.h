//===--- Analysable.h - may this function's body be analysed? ---*- C++ -*-===//
//
// Broken code is never a crash. Code in an editor is mid-edit, and a CI job may run with an
// incomplete include path: Clang then recovers from its errors and keeps an AST that holds
// invalid declarations, error-recovery expressions (RecoveryExpr) and expressions that
// "contain errors". clang::CFG and the analyses built on it assume well-formed code, so every
// CFG or per-body analysis drain builds asks this one guard first. A function it rejects is
// skipped quietly: the compiler's own errors are what the user needs to see there.
//
// Only the body the analysis would build its CFG from is looked at: a nested lambda or local
// class with an error is rejected when its own call operator or method is asked about, not
// held against the enclosing function (the CFG does not enter their bodies).
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CORE_ANALYSABLE_H
#define DRAIN_ANALYSIS_CORE_ANALYSABLE_H

namespace clang {
class FunctionDecl;
class Stmt;
} // namespace clang

namespace drain {

/// True when \p FD has a definition whose body drain may build a CFG of and analyse: the
/// definition is not a dependent template pattern, neither it nor a parameter is invalid, and
/// its body holds no expression that contains errors and no invalid declaration.
bool isAnalysable(const clang::FunctionDecl *FD);

/// True when the definition of \p FD does not compile: it or a parameter is invalid, or its
/// body (or a constructor's member initializers) holds an expression that contains errors or
/// an invalid declaration. Unlike isAnalysable, says nothing about dependent patterns, which
/// the syntactic questions (is this call's value dropped?) can still be asked of.
bool hasErrors(const clang::FunctionDecl *FD);

/// True when \p Body (a function body, or any statement) holds an expression that contains
/// errors or an invalid declaration, outside nested lambda bodies and local classes.
bool containsErrors(const clang::Stmt *Body);

} // namespace drain

#endif // DRAIN_ANALYSIS_CORE_ANALYSABLE_H
