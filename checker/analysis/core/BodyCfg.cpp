//===--- BodyCfg.cpp - the CFG of one function body, guarded --------------===//
#include "analysis/core/BodyCfg.h"
#include "analysis/core/Analysable.h"
#include "clang/AST/Decl.h"

using namespace clang;

namespace drain {

CFG::BuildOptions everyStatementOptions() {
  CFG::BuildOptions Opts;
  Opts.setAllAlwaysAdd();
  return Opts;
}

std::unique_ptr<CFG> buildBodyCfg(const FunctionDecl *FD, ASTContext &Ctx,
                                  const CFG::BuildOptions &Opts) {
  if (!FD || !FD->getBody() || hasErrors(FD))
    return nullptr;
  return CFG::buildCFG(FD, FD->getBody(), &Ctx, Opts);
}

CfgPositions::CfgPositions(const CFG &G) {
  for (const CFGBlock *B : G) {
    unsigned I = 0;
    for (const CFGElement &El : *B) {
      if (auto S = El.getAs<CFGStmt>())
        Map.try_emplace(S->getStmt(), std::make_pair(B, I));
      ++I;
    }
  }
}

std::optional<CfgPositions::Position> CfgPositions::find(const Stmt *S) const {
  auto It = Map.find(S);
  if (It == Map.end())
    return std::nullopt;
  return It->second;
}

} // namespace drain
