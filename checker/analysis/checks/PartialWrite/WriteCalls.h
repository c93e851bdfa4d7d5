//===--- WriteCalls.h - the write calls drain-partial-write judges -*- C++ -*-===//
//
// Part of drain-partial-write. Each of its rules (a short count, a TLS write's two "not yet"
// answers, a stale TLS error queue) starts from the same question about a call: is it a plain
// write of the model, whose result answers for this one call (a Write row; a composed write
// loops by itself, an asynchronous one reports to a handler), and which of its arguments are
// the row's channel and length.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CHECKS_PARTIALWRITE_WRITECALLS_H
#define DRAIN_ANALYSIS_CHECKS_PARTIALWRITE_WRITECALLS_H

#include "analysis/core/ApiModel.h"
#include "analysis/core/Callees.h"
#include <optional>

namespace clang {
class CallExpr;
class Expr;
} // namespace clang

namespace drain {

/// A call of a Write row of the model: what it reaches, and the row.
struct PlainWrite {
  Callee C;
  ApiOp Op;
};

/// The callee and row of \p Call when the model has it as a plain write (OpKind::Write), or
/// nothing for any other call.
std::optional<PlainWrite> plainWrite(const clang::CallExpr *Call, const ApiModel &Model);

/// The argument of \p Call at a row's parameter index \p Index (a row's Channel or Length)
/// past \p Shift arguments (Callee::argumentShift), or null when the row names none (a
/// negative index) or the call has fewer arguments.
const clang::Expr *rowArgument(const clang::CallExpr *Call, int Index, unsigned Shift);

} // namespace drain

#endif // DRAIN_ANALYSIS_CHECKS_PARTIALWRITE_WRITECALLS_H
