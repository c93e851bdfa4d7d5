//===--- DiscardClassifier.h - does anybody look at a call's value -*- C++ -*-===//
//
// Given a call (or any expression), says whether its value is looked at or dropped, and how it
// is dropped: an expression statement in any statement position, an explicit cast to void,
// `std::ignore = ...`, a local that no path reads, the left operand of a comma. A value that
// is returned, passed on, compared, stored outside the function or read from a local on some
// path is used. The question "is this local read on some path" is answered on the CFG
// (reads before the next plain assignment), so a value overwritten before every read counts
// as dropped, while a local whose address escapes counts as read.
//
// The classifier knows nothing about I/O: the checks ask it about the calls the API model
// names.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CORE_DISCARDCLASSIFIER_H
#define DRAIN_ANALYSIS_CORE_DISCARDCLASSIFIER_H

#include "clang/AST/ASTTypeTraits.h"
#include "analysis/core/Overrides.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include <memory>
#include <optional>
#include <vector>

namespace clang {
class ASTContext;
class BinaryOperator;
class CallExpr;
class CFG;
class CFGBlock;
class CXXMethodDecl;
class CoawaitExpr;
class CXXOperatorCallExpr;
class OpaqueValueExpr;
class ParentMap;
class UnaryOperator;
class DeclRefExpr;
class Expr;
class FunctionDecl;
class ParmVarDecl;
class Stmt;
class VarDecl;
} // namespace clang

namespace drain {

/// How a value is used.
enum class UseKind : unsigned char {
  Used,           ///< looked at: returned, passed on, compared, stored, read from a local
  Statement,      ///< the value of an expression statement: nobody ever sees it
  CastToVoid,     ///< (void)call(), static_cast<void>(call()), void(call()), or (void)local
  StdIgnore,      ///< std::ignore = call()
  UnreadVariable, ///< bound to a local that no path reads before it is overwritten
  CommaLHS,       ///< the left operand of a comma operator
};

/// The answer for one expression.
struct UseSite {
  UseKind Kind = UseKind::Used;
  /// The node that drops the value: the cast, the std::ignore assignment, the comma operator,
  /// the assignment to the unread local; for Statement the statement itself; null for a
  /// local's initialization (see Var).
  const clang::Stmt *Where = nullptr;
  /// The outermost expression in statement position whose value is dropped (the statement
  /// a cast to void or an expression statement forms), when there is one. Callers use it to
  /// look at what follows.
  const clang::Stmt *FullStatement = nullptr;
  /// The local for UnreadVariable, and for CastToVoid when `(void)local` is all it gets.
  const clang::VarDecl *Var = nullptr;
  /// Set when the value dropped is `co_await <expr>` rather than the expression itself.
  const clang::CoawaitExpr *Await = nullptr;
  bool discarded() const { return Kind != UseKind::Used; }
};

/// Classifies uses within one translation unit. Caches one CFG per function it has to look
/// into, so keep one instance per ASTContext.
class DiscardClassifier {
public:
  explicit DiscardClassifier(clang::ASTContext &Ctx);
  ~DiscardClassifier();
  DiscardClassifier(const DiscardClassifier &) = delete;
  DiscardClassifier &operator=(const DiscardClassifier &) = delete;

  /// How the value of \p E is used.
  UseSite classify(const clang::Expr *E);

  /// True if the local \p VD, written by \p Call (an out-argument such as an error_code&), is
  /// read on some path after the call before it is overwritten. Conservatively true when the
  /// local escapes or the CFG cannot be built.
  bool readAfter(const clang::Expr *Call, const clang::VarDecl *VD);

  /// The values the local \p VD may hold when \p At is evaluated: the right sides of the
  /// assignments and the initializer that reach it on the CFG. False when some path reaches
  /// \p At with no value drain can see (a parameter, an uninitialized declaration, a value
  /// set inside a lambda) or the local escapes. With \p Through, also what a function of
  /// this file handed `&VD` stores through that out-parameter (`open_src(&in, name)` whose
  /// body sets `*out = fopen(name, "rb")` on every path that returns); \p Through gets one
  /// entry per value: the call whose out-parameter stored it, or null for the local's own.
  bool reachingValues(const clang::Expr *At, const clang::VarDecl *VD,
                      llvm::SmallVectorImpl<const clang::Expr *> &Values,
                      llvm::SmallVectorImpl<const clang::CallExpr *> *Through = nullptr);

  /// The values `*P` may hold when \p At is evaluated, for a pointer parameter \p P of the
  /// function \p At is in that is used only through `*P` (as outParamValues asks): the right
  /// sides of the `*P = v` that reach \p At on the CFG (`*out = fopen(name, "rb"); if (*out)
  /// fclose(*out);`). False when some path reaches \p At with no such store.
  bool reachingStoredValues(const clang::Expr *At, const clang::ParmVarDecl *P,
                            llvm::SmallVectorImpl<const clang::Expr *> &Values);

  /// What the function \p Def (defined in this file) stores through its pointer parameter
  /// \p Param: the right sides of the last `*p = v` on every path that returns to the
  /// caller. Null when \p p is used otherwise than through `*p` (handed on, changed, stored,
  /// its pointee's address taken) or some path returns without a store.
  const llvm::SmallVectorImpl<const clang::Expr *> *
  outParamValues(const clang::FunctionDecl *Def, unsigned Param);

  /// What a backward walk makes of one statement the CFG evaluates.
  enum class BackStep : unsigned char {
    Continue, ///< says nothing: go on to what was evaluated before it
    Stop,     ///< this path is settled here
    Fail,     ///< the question cannot be answered yes
  };
  /// Follows every path backwards from \p At (an expression of the focused function) and asks
  /// \p Visit about each statement evaluated before it, nearest first (sub-expressions are
  /// visited after the expression that uses them). True if every path is stopped; false if
  /// one fails, reaches the function's entry, the walk runs out of budget, or there is no CFG.
  bool everyPathBackStops(const clang::Stmt *At,
                          llvm::function_ref<BackStep(const clang::Stmt *)> Visit);

  /// Every reference to the local \p VD in its function (lambda bodies included), from an
  /// index built once per function, so asking about every local stays linear.
  llvm::ArrayRef<const clang::DeclRefExpr *> references(const clang::VarDecl *VD);

  /// The calls under \p FD's body are asked about next: parents are looked up in a map of
  /// that body alone, instead of ASTContext's map of the whole translation unit, which is
  /// built on first use over every header (most of the cost on large translation units).
  /// Lambda bodies and local classes are left to their own call operators and methods.
  /// Returns the calls, in source order.
  llvm::ArrayRef<const clang::CallExpr *> focus(const clang::FunctionDecl *FD);
  /// Back to ASTContext's map (for callers that ask about any expression).
  void unfocus();
  /// The function focus() was given, or null.
  const clang::FunctionDecl *focusedFunction() const { return FocusFunction; }

  /// The parent of \p S: a statement, or the variable \p S initializes; empty at the root
  /// of a function body.
  clang::DynTypedNode parent(const clang::Stmt &S);

  /// True if the address \p AddrOf takes is thrown away at once: `(void) &fp;`, the idiom
  /// that marks a local used where some configurations do not read it. Nobody receives it.
  bool addressDiscarded(const clang::UnaryOperator *AddrOf);

  /// Every method defined in this translation unit (outside system headers) that overrides
  /// \p MD, directly or through another override; from an index of the unit's classes built
  /// on the first question, so asking about every virtual call stays linear.
  llvm::ArrayRef<const clang::CXXMethodDecl *> overriders(const clang::CXXMethodDecl *MD);

  /// A short name for messages and tests ("statement", "cast to void", ...).
  static llvm::StringRef kindName(UseKind K);

  clang::ASTContext &context() const { return Ctx; }

private:
  struct FunctionFacts;
  enum class RefRole : unsigned char { Read, Write, VoidCast, Escape };
  /// What the references to a local do, when none lets it escape.
  struct RefRoles {
    bool AnyRead = false;
    bool AnyVoid = false; ///< `(void)local;`
  };
  /// A value on its way up from the expression classified: the node whose value it is now,
  /// and the co_await it passed through, if any.
  struct ValueWalk {
    const clang::Stmt *Cur;
    const clang::CoawaitExpr *Await = nullptr;
    /// The walk goes on: the value is now \p To's.
    std::optional<UseSite> moveUp(const clang::Stmt *To) {
      Cur = To;
      return std::nullopt;
    }
  };

  UseSite classifyFrom(const clang::Expr *E, unsigned Depth);
  /// One step of the walk to \p W.Cur's parent \p PS (one handler per kind of parent): the
  /// answer, or nullopt with \p W moved up to the node that carries the value on.
  std::optional<UseSite> stepUp(const clang::Stmt *PS, ValueWalk &W, unsigned Depth);
  std::optional<UseSite> fromAwaitOperand(const clang::OpaqueValueExpr *OVE, ValueWalk &W);
  std::optional<UseSite> fromBinary(const clang::BinaryOperator *BO, ValueWalk &W,
                                    unsigned Depth);
  std::optional<UseSite> fromOperatorCall(const clang::CXXOperatorCallExpr *Op, ValueWalk &W,
                                          unsigned Depth);
  /// The value assigned by \p Assign to the local \p VD: dropped if the assignment's own
  /// value is and no path reads the local.
  UseSite assignedToLocal(const clang::VarDecl *VD, const clang::Expr *Assign,
                          const ValueWalk &W, unsigned Depth);
  /// \p S if its parent puts it in statement position, else null.
  const clang::Stmt *fullStatementOf(const clang::Stmt *S);
  UseSite localAnalysis(const clang::VarDecl *VD, const clang::Stmt *Def,
                        const clang::Stmt *FullStatement);
  RefRole roleOf(const clang::DeclRefExpr *Ref);
  /// The role of \p Arg as an argument of \p PS (a call or a construction).
  static RefRole argumentRole(const clang::Stmt *PS, const clang::Stmt *Arg);
  /// The roles of every reference to \p VD (recorded in \p F); nullopt if one escapes.
  std::optional<RefRoles> scanRoles(FunctionFacts &F, const clang::VarDecl *VD);
  FunctionFacts *factsFor(const clang::VarDecl *VD);
  FunctionFacts *factsFor(const clang::FunctionDecl *FD);
  bool readReachable(FunctionFacts &F, const clang::Stmt *Def, const clang::VarDecl *VD);
  /// everyPathBackStops over the function of \p F.
  bool walkBack(FunctionFacts *F, const clang::Stmt *At,
                llvm::function_ref<BackStep(const clang::Stmt *)> Visit);
  /// The same walk from the function's end: every path that returns to the caller (not one
  /// that ends the program or throws).
  bool walkBackFromExit(FunctionFacts *F,
                        llvm::function_ref<BackStep(const clang::Stmt *)> Visit);
  using BlockCursors = llvm::SmallVector<std::pair<const clang::CFGBlock *, unsigned>, 16>;
  bool walkBackFrom(const clang::CFG &G, BlockCursors Work,
                    llvm::function_ref<BackStep(const clang::Stmt *)> Visit);
  /// The right side of \p S when it is `*P = v`, else null.
  static const clang::Expr *storedThrough(const clang::Stmt *S, const clang::ParmVarDecl *P);
  /// The call \p S when it hands `&VD` to an out-parameter outParamValues answers for.
  const llvm::SmallVectorImpl<const clang::Expr *> *outArgument(const clang::Stmt *S,
                                                               const clang::VarDecl *VD);
  /// True if every reference to \p P in \p Def is `*P` stored to or read, or \p P tested.
  bool onlyDereferenced(const clang::FunctionDecl *Def, const clang::ParmVarDecl *P);

  clang::ASTContext &Ctx;
  llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<FunctionFacts>> Functions;
  /// focus(): the body, its parent map and its calls.
  const clang::Stmt *FocusRoot = nullptr;
  const clang::FunctionDecl *FocusFunction = nullptr;
  std::unique_ptr<clang::ParentMap> Focus;
  std::vector<const clang::CallExpr *> FocusCalls;
  /// outParamValues(): the answers, by function and parameter (no value: not an out-parameter).
  llvm::DenseMap<std::pair<const clang::FunctionDecl *, unsigned>,
                 std::optional<llvm::SmallVector<const clang::Expr *, 2>>>
      OutParams;
  /// overriders(): built on the first question.
  std::unique_ptr<OverrideIndex> Overrides;
};

} // namespace drain

#endif // DRAIN_ANALYSIS_CORE_DISCARDCLASSIFIER_H
