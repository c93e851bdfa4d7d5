//===--- BodyCfg.h - the CFG of one function body, guarded ------*- C++ -*-===//
//
// The rules that walk a function's control flow by themselves (short-write paths, failure
// answers, file streams, the TLS ordering, program output) build their CFG here. One place asks
// the broken-code guard (Analysable.h) first, so a rule added later cannot forget it, and one
// index says where each statement stands in the graph.
//
// The flow engine and the async checks keep their own cached guard and build options.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CORE_BODYCFG_H
#define DRAIN_ANALYSIS_CORE_BODYCFG_H

#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseMap.h"
#include <memory>
#include <optional>
#include <utility>

namespace drain {

/// Build options under which every statement and sub-expression is an element of its block
/// (what the rules need to find a call or a reference in the graph).
clang::CFG::BuildOptions everyStatementOptions();

/// The CFG of \p FD's body built with \p Opts, or null when \p FD has no body, its definition
/// does not compile (hasErrors: broken code is skipped, never a crash) or Clang builds none.
std::unique_ptr<clang::CFG> buildBodyCfg(const clang::FunctionDecl *FD, clang::ASTContext &Ctx,
                                         const clang::CFG::BuildOptions &Opts);

/// Where each statement of a CFG stands: its block and its index among the block's elements
/// (the first place, for a statement that is an element more than once).
class CfgPositions {
public:
  using Position = std::pair<const clang::CFGBlock *, unsigned>;

  CfgPositions() = default;
  explicit CfgPositions(const clang::CFG &G);

  std::optional<Position> find(const clang::Stmt *S) const;

private:
  llvm::DenseMap<const clang::Stmt *, Position> Map;
};

} // namespace drain

#endif // DRAIN_ANALYSIS_CORE_BODYCFG_H
