//===--- ResultTypes.h - which result types carry a pending state -*- C++ -*-===//
//
// A result "carries a pending state" when dropping it can hide "not finished yet": an enum
// with a Pending-like enumerator, a class holding such an enum or answering is_pending(), a
// std::future, a coroutine task or awaitable. Detection is structural (enumerator names from
// the model's vocabulary, promise_type, await_ready/await_suspend/await_resume), plus a short
// list of well-known awaitable templates by name and the drain::pending_type annotation.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CORE_RESULTTYPES_H
#define DRAIN_ANALYSIS_CORE_RESULTTYPES_H

#include "analysis/core/ApiModel.h"
#include "clang/AST/Type.h"
#include "llvm/ADT/SmallVector.h"

namespace clang {
class EnumDecl;
class EnumConstantDecl;
class CXXRecordDecl;
} // namespace clang

namespace drain {

enum class ResultShape : unsigned char {
  Plain,          ///< nothing pending-like about it
  PendingState,   ///< an enum or class with a pending-like state
  Awaitable,      ///< std::future, a coroutine task/awaitable: must be awaited or spawned
  ErrorCode,      ///< std::error_code / boost::system::error_code
};

struct ResultTypeInfo {
  ResultShape Shape = ResultShape::Plain;
  /// The enum whose enumerators name the states, when there is one.
  const clang::EnumDecl *StateEnum = nullptr;
  llvm::SmallVector<const clang::EnumConstantDecl *, 2> Pending, Ready, Error;
  /// How to name the pending state in a message, e.g. "Poll::Pending"; empty if unknown.
  std::string PendingSpelling;
  bool carriesPending() const {
    return Shape == ResultShape::PendingState || Shape == ResultShape::Awaitable;
  }
};

/// Classifies \p T (references, cv-qualifiers and sugar are looked through).
ResultTypeInfo classifyResultType(clang::QualType T, const ApiModel &Model);

/// The enum of pending-like states inside a record (a member enum, a field of enum type), or
/// null.
const clang::EnumDecl *findStateEnum(const clang::CXXRecordDecl *RD, const ApiModel &Model);

/// True for a coroutine task or awaitable type (structurally or by a well-known name).
bool isAwaitableType(clang::QualType T);

/// True for std::error_code, boost::system::error_code and types named error_code.
bool isErrorCodeType(clang::QualType T);

/// The ResultKind an annotated function's return type implies for \p Kind.
ResultKind inferResultKind(clang::QualType Ret, OpKind Kind, const ApiModel &Model);

/// The ResultKind of a call to \p FD resolved by \p Op: the row's, refined from the return
/// type where the row leaves it open (annotations) or requires a pending result. Returns
/// std::nullopt when a row with AF_RequiresPendingResult does not apply to this function.
std::optional<ResultKind> effectiveResultKind(const ApiOp &Op, const clang::FunctionDecl *FD,
                                              const ApiModel &Model);
/// The same for a callee known by its return type only (a function pointer).
std::optional<ResultKind> effectiveResultKind(const ApiOp &Op, clang::QualType Ret,
                                              const ApiModel &Model);

} // namespace drain

#endif // DRAIN_ANALYSIS_CORE_RESULTTYPES_H
