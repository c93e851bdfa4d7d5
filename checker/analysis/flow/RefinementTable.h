//===--- RefinementTable.h - what a branch condition tells about the state -*- C++ -*-===//
//
// At a block's end the flow engine refines the state per outgoing edge by the terminator's
// condition. What a condition tells is data, beside the transfer table's events: rows tried
// in order, each with a one-line comment naming the shape it models; the first row that
// recognises its input decides. Four lists:
//   * edge rows: what kind of edge it is (a switch case, a two-way branch, the exit of a
//     write-all loop, the exit of a drain loop);
//   * condition rows: a truth test (`!x`, `a && b`, `QUEUE_EMPTY(q)`, `r.is_pending()`, a
//     value with a fact);
//   * comparison rows: `L Op R` (`r.state == Poll::Pending`, `n == len`, `c->outbuf_len == 0`);
//   * fact rows, one per FactShape: what a truth test of a value of that shape, and its
//     comparison with a constant, say about its result classes.
// A new kind of condition is a new row; the engine only calls Refiner::refineEdge (and
// narrows a returned value's classes with refinement::applyMask).
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_FLOW_REFINEMENTTABLE_H
#define DRAIN_ANALYSIS_FLOW_REFINEMENTTABLE_H

#include "analysis/flow/TransferTable.h"
#include "clang/AST/OperationKinds.h"
#include <array>
#include <functional>
#include <optional>
#include <vector>

namespace clang {
class CFGBlock;
class Expr;
class ParentMap;
class Stmt;
} // namespace clang

namespace drain {

class Refiner;

/// One outgoing edge of a block whose last element is a terminator.
struct BranchEdge {
  const clang::CFGBlock *From = nullptr;
  const clang::CFGBlock *To = nullptr;
  unsigned Index = 0; ///< the successor's index: 0 is a two-way branch's true edge
  const clang::Stmt *Terminator = nullptr;
};

/// A condition known to have a truth on an edge.
struct Condition {
  const clang::Expr *Written = nullptr; ///< as written: a macro's expansion is seen on it
  const clang::Expr *E = nullptr;       ///< Written without casts and parentheses (stripValue)
  bool Truth = true;
  unsigned Depth = 0; ///< nesting (`!`, `&&`, a bool holding a condition): at most 8
};

/// A comparison `L Op R` known to have a truth on an edge, as written.
struct Comparison {
  const clang::Expr *L = nullptr;
  clang::BinaryOperatorKind Op = clang::BO_EQ;
  const clang::Expr *R = nullptr;
  bool Truth = true;
  const clang::Expr *At = nullptr; ///< the comparison, for the notes
};

/// A value with a fact compared with something, the value on the left and the comparison
/// true (`Op` negated on a false edge).
struct FactComparison {
  clang::BinaryOperatorKind Op = clang::BO_EQ;
  const clang::Expr *Other = nullptr; ///< the other side, without casts (stripValue)
  std::optional<int64_t> Value;       ///< its value when it is an integer constant
  const clang::Expr *At = nullptr;
};

/// Row handlers. An edge, condition or comparison handler returns true when it recognised its
/// input: the rows after it are not tried.
using EdgeRefiner = bool (*)(const BranchEdge &, FlowState &, const Refiner &);
using ConditionRefiner = bool (*)(const Condition &, FlowState &, const Refiner &);
using ComparisonRefiner = bool (*)(const Comparison &, FlowState &, const Refiner &);
using FactTruthRefiner = void (*)(Fact &, const Condition &, FlowState &, const Refiner &);
using FactComparisonRefiner = void (*)(Fact &, const FactComparison &, FlowState &,
                                       const Refiner &);

template <typename Handler> struct RefinementRow {
  Handler Refine;
  const char *Models; ///< one line: the shape of condition the row models
};

/// What a value of one FactShape learns from a truth test and from a comparison; a null
/// handler: nothing.
struct FactRow {
  FactTruthRefiner Truth = nullptr;
  FactComparisonRefiner Compare = nullptr;
  const char *Models = nullptr;
};

/// The rows, in the order they are tried.
class RefinementTable {
public:
  /// The rows every check's engine uses (see RefinementTable.cpp for each row).
  static RefinementTable standard();

  void addEdge(EdgeRefiner R, const char *Models) { Edges.push_back({R, Models}); }
  void addCondition(ConditionRefiner R, const char *Models) { Conditions.push_back({R, Models}); }
  void addComparison(ComparisonRefiner R, const char *Models) {
    Comparisons.push_back({R, Models});
  }
  /// Replaces (or adds) the row for values of shape \p S.
  void setFact(FactShape S, FactTruthRefiner Truth, FactComparisonRefiner Compare,
               const char *Models);
  /// The row for values of shape \p S, or null.
  const FactRow *fact(FactShape S) const;

  const std::vector<RefinementRow<EdgeRefiner>> &edges() const { return Edges; }
  const std::vector<RefinementRow<ConditionRefiner>> &conditions() const { return Conditions; }
  const std::vector<RefinementRow<ComparisonRefiner>> &comparisons() const {
    return Comparisons;
  }

private:
  std::vector<RefinementRow<EdgeRefiner>> Edges;
  std::vector<RefinementRow<ConditionRefiner>> Conditions;
  std::vector<RefinementRow<ComparisonRefiner>> Comparisons;
  /// One slot per FactShape (Signed is the last).
  std::array<std::optional<FactRow>, static_cast<size_t>(FactShape::Signed) + 1> Facts;
};

/// The table at work in one function: what its rows read (the model, the channels, the
/// function's parents, the events the engine classified) and the entry points they recurse
/// through.
class Refiner {
public:
  using EventLookup = std::function<const llvm::SmallVector<Event, 1> &(const clang::Stmt *)>;

  Refiner(const RefinementTable &Table, const TransferContext &TC,
          const clang::ParentMap &Parents, EventLookup EventsOf)
      : Table(Table), TC(TC), Parents(Parents), EventsOf(std::move(EventsOf)) {}

  /// Refines \p S, the state at the end of \p B, for the edge to its \p SuccIdx-th successor
  /// \p Succ: an edge never taken leaves \p S unreached.
  void refineEdge(const clang::CFGBlock *B, const clang::CFGBlock *Succ, unsigned SuccIdx,
                  FlowState &S) const;
  /// \p Cond has the truth \p Truth here.
  void refine(FlowState &S, const clang::Expr *Cond, bool Truth, unsigned Depth) const;
  /// `L Op R` has the truth \p Truth here.
  void compare(FlowState &S, const clang::Expr *L, clang::BinaryOperatorKind Op,
               const clang::Expr *R, bool Truth, const clang::Expr *At) const;

  const RefinementTable &table() const { return Table; }
  const TransferContext &context() const { return TC; }
  const clang::ParentMap &parents() const { return Parents; }
  /// The events the engine classified \p S into.
  const llvm::SmallVector<Event, 1> &eventsOf(const clang::Stmt *S) const { return EventsOf(S); }

private:
  const RefinementTable &Table;
  const TransferContext &TC;
  const clang::ParentMap &Parents;
  EventLookup EventsOf;
};

/// What refinement does to a state, exported for the engine (a returned value split by its
/// classes) and for a check's own rows.
namespace refinement {
/// The fact of the value \p E reads: a variable's or an expression's own (`(off += n) != len`
/// reads off); null if it has none.
Fact *mutableFact(FlowState &S, const clang::Expr *E);
/// \p F can only be of the classes in \p Mask here: its channels take the states of those
/// classes (no class left: the edge is never taken). \p At is the test, for the notes.
void applyMask(FlowState &S, Fact &F, uint8_t Mask, const clang::Expr *At);
/// A write-all loop is done: the short counts its writes saw are made good. Takes the fact
/// by value: it lives in S.Vars, which this function changes.
void applyProgress(FlowState &S, Fact F);
/// \p Owner's write buffer is empty: nothing it owes its peer is left, on any of its channels.
void cleanOwner(FlowState &S, const ChannelKey &Owner);
} // namespace refinement

} // namespace drain

#endif // DRAIN_ANALYSIS_FLOW_REFINEMENTTABLE_H
