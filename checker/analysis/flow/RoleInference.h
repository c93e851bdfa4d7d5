//===--- RoleInference.h - a project's own I/O functions, learned from bodies -*- C++ -*-===//
//
// Real network code rarely calls send() or fclose() where the bug is: it calls its own
// sock_send(), conn_flush(), close_connection(). This file reads a function's body and says
// which role of the API model it plays, so its callers are checked as if it were a built-in
// row. Roles are inferred bottom-up: the body's calls are looked up in the model, which asks
// this inference again for callees with bodies (memoized, recursion and depth give up).
//
//   write          the result is a modelled write's count or status: returned directly,
//                  through locals, through an EINTR retry loop, through a lambda it calls
//                  (or a std::function local holding one); same result kind as that write.
//   composed_write loops until everything is written (the count advances the buffer) and
//                  answers success or failure: callers get no partial-write report. Also a
//                  function that tests such a helper's answer and answers 0/-1 (or bool)
//                  itself (tinyproxy's write_message). Its answer must be looked at, like
//                  write()'s count, unless it is void or the body exits on failure.
//   flush          drains a buffer owned by a parameter (or `this`), or the module's own
//                  static buffer (rsync's flush_write_file), through a modelled write
//                  and answers pending/ready/error: bool, an enum or result type with a
//                  pending-like state, or an int whose signs say it (signed_state: negative
//                  error, and of zero and positive the one returned where the code says
//                  "again"/"would block" is pending, the one the body ends with is ready).
//   close/shutdown releases a channel rooted at a parameter and writes nothing itself;
//                  AF_FlushesFirst when it flushes (a confirmed modelled flush) first.
//
// A virtual method without a body here (`virtual ssize_t write(...) = 0;`) gets the role
// every override defined in this translation unit agrees on (same kind, result and channel);
// when one override has no role or they disagree, it gets none (the weakest claim).
//
// The rows have RowOrigin::Inferred: they rank above the built-in rows and below options,
// the model file and annotations (ApiModel::lookup). Functions in system headers are never
// inferred (their names are the built-in rows' business).
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_FLOW_ROLEINFERENCE_H
#define DRAIN_ANALYSIS_FLOW_ROLEINFERENCE_H

#include "analysis/core/ApiModel.h"
#include "analysis/core/Overrides.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include <deque>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class Stmt;
class CXXMethodDecl;
class FunctionDecl;
class ValueDecl;
} // namespace clang

namespace drain {

/// An inferred row and a one-line reason ("returns the count of 'send'"), for notes and the
/// emitted model file.
struct InferredRole {
  ApiEntry Row;
  std::string Why;
};

/// True if the completion or destruction at \p Site in \p FD happens only when a reference
/// count \p FD drops reaches zero: `if (--m_refs == 0) delete this;`, `if (--refs_ != 0)
/// return; delete this;`, `c->ref--; if (c->ref == 0) close(c->fd);`. Every operation still
/// in flight holds a reference, so the last release finds nothing owed on the object's behalf.
bool releasesLastReference(const clang::Stmt *Site, const clang::FunctionDecl *FD);

/// True if \p Completion (a close or shutdown in \p Def's body) runs only on the way out of a
/// failure (under a label like `error:`, or in a block that then answers failure or jumps to
/// such a label) or only when a reference count \p Def drops reaches zero: \p Def then closes
/// nothing its callers still use (no close role; no completion reported at its callers).
bool completesOnlyOnFailureOrRelease(const clang::Stmt *Completion,
                                     const clang::FunctionDecl *Def);

class RoleInference : public RoleSource {
public:
  /// Bodies deeper than this in a chain of wrappers are not looked into.
  static constexpr unsigned MaxDepth = 6;

  const ApiEntry *roleFor(const clang::FunctionDecl *FD, const ApiModel &M) override;
  /// A write behind a function pointer, guessed from its name and signature (PointerRoles.h).
  const ApiEntry *roleForPointer(const clang::ValueDecl *D, const ApiModel &M) override;

  /// The role of \p FD with its reason, or null (used by the store writer and tests).
  const InferredRole *infer(const clang::FunctionDecl *FD, const ApiModel &M);

  /// Every role inferred so far, in the order found.
  const std::deque<InferredRole> &roles() const { return Roles; }

  void endUnit() override;

private:
  /// Forgets everything learnt about another translation unit.
  void resetFor(const clang::ASTContext &C);
  std::optional<InferredRole> analyse(const clang::FunctionDecl *Def, const ApiModel &M);
  std::optional<InferredRole> fromOverrides(const clang::CXXMethodDecl *MD, const ApiModel &M);
  /// The overrides of the unit's virtual methods.
  OverrideIndex Overrides;
  const clang::ASTContext *Ctx = nullptr;
  /// Canonical declaration -> role (null: none, or being analysed).
  llvm::DenseMap<const clang::FunctionDecl *, const InferredRole *> Memo;
  std::deque<InferredRole> Roles;
  /// Function pointers: kept apart from Roles, which the summary store writes out by the
  /// functions' USRs.
  llvm::DenseMap<const clang::ValueDecl *, const InferredRole *> PointerMemo;
  std::deque<InferredRole> PointerRoles;
  unsigned Depth = 0;
};

} // namespace drain

#endif // DRAIN_ANALYSIS_FLOW_ROLEINFERENCE_H
