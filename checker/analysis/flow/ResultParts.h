//===--- ResultParts.h - which part of a result a read looks at -*- C++ -*-===//
//
// A result can keep its pending state in a part: a member of a struct (`r.state` next to
// `r.failed`), an accessor (`r.poll()` next to `r.ok()`), the value of an expected-like type
// (`*r`, `r.value()` next to `has_value()`, `operator bool`, `error()`). Which part a read
// looks at decides what a test of it proves: testing the error part alone leaves a pending
// state to fall through; testing the state part confirms or refutes "finished" per edge.
//
// Parts are found structurally: the member's type (the pending-state enum is the state; a
// bool or an error code is an error or success flag), the state vocabulary for names
// (`failed`, `is_err`, `is_pending`, `ok`), and the model's accessor rows for the names the
// vocabulary cannot tell (`has_value`, `value`, `operator*`). No type is known by name.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_FLOW_RESULTPARTS_H
#define DRAIN_ANALYSIS_FLOW_RESULTPARTS_H

#include "analysis/core/ApiModel.h"
#include "clang/AST/Type.h"
#include "llvm/ADT/SmallVector.h"
#include <cstdint>
#include <optional>

namespace clang {
class ASTContext;
class CXXRecordDecl;
class Expr;
class NamedDecl;
class VarDecl;
} // namespace clang

namespace drain {

/// A read of one part of a result: the expression holding the result, and the part.
struct PartRead {
  const clang::Expr *Base = nullptr;
  ResultPart Part = ResultPart::Whole;
};

/// If \p E reads a part of a value of record type (a member, a no-argument accessor, `*r`,
/// `r->`, a conversion to bool), the value and the part; the Value part is resolved to what
/// the value's type carries (State for an expected<Poll, E>, Unrelated for a count).
std::optional<PartRead> readPart(const clang::Expr *E, const ApiModel &Model);

/// The part a member (field or method) of \p Owner reads, given the member's type (a field's
/// type, a method's return type).
ResultPart partOfMember(const clang::NamedDecl *Member, clang::QualType MemberType,
                        const clang::CXXRecordDecl *Owner, const ApiModel &Model);

/// The alternatives of a variant-like \p T (its type arguments, packs expanded), in order.
llvm::SmallVector<clang::QualType, 4> alternativeTypes(clang::QualType T);

/// The result classes (RC_*) on which a part tested for truth is \p Truth; 0 when a truth
/// test of the part tells nothing (the state, an unrelated part).
uint8_t partTruthClasses(ResultPart P, bool Truth);

/// True for the parts that say whether the operation failed (and nothing more).
inline bool isErrorPart(ResultPart P) {
  return P == ResultPart::ErrorFlag || P == ResultPart::Success || P == ResultPart::ErrorValue;
}
/// True for the parts that can tell a pending state from a finished one.
inline bool isStatePart(ResultPart P) {
  return P == ResultPart::State || P == ResultPart::PendingFlag || P == ResultPart::ReadyFlag;
}

/// The class of a result built in place (`IoResult{false, 0, Poll::Ready}`, `return {true,
/// errno, Poll::Ready};`): read off the constants given to its state and error parts. 0 when
/// \p E builds no such value or its parts are not constants.
uint8_t classOfBuiltResult(const clang::Expr *E, const ApiModel &Model, clang::ASTContext &Ctx);

} // namespace drain

#endif // DRAIN_ANALYSIS_FLOW_RESULTPARTS_H
