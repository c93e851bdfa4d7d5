//===--- WriteCalls.cpp - the write calls drain-partial-write judges ------===//
#include "analysis/checks/PartialWrite/WriteCalls.h"
#include "clang/AST/Expr.h"

using namespace clang;

namespace drain {

std::optional<PlainWrite> plainWrite(const CallExpr *Call, const ApiModel &Model) {
  Callee C = calleeOf(Call);
  if (!C)
    return std::nullopt;
  ApiOp Op = Model.lookup(C);
  if (!Op || Op.kind() != OpKind::Write)
    return std::nullopt;
  return PlainWrite{C, Op};
}

const Expr *rowArgument(const CallExpr *Call, int Index, unsigned Shift) {
  if (Index < 0 || static_cast<unsigned>(Index) + Shift >= Call->getNumArgs())
    return nullptr;
  return Call->getArg(static_cast<unsigned>(Index) + Shift);
}

} // namespace drain
