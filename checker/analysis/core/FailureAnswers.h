//===--- FailureAnswers.h - a write's failure answered as "not yet" -*- C++ -*-===//
//
// An event-driven function that writes without blocking answers its caller one of a few
// constants: done, "wait until the socket is writable" (the answer it also gives while the
// write is not finished), or failure. When the branch taken on the write's failure answers
// "wait", the caller parks the request on a connection that can take no more data and waits
// for an event that never comes (lighttpd's mod_proxy returned HANDLER_WAIT_FOR_EVENT after a
// failed backend write, where its other failures return HANDLER_ERROR).
//
// The rule, over one function body:
//   - the function answers an enum or an integer (not a bool), with constants;
//   - a write (a write, write-all or flush row of the model, or a call through a function
//     pointer named like a write that is handed a descriptor and the output queue it drains:
//     `srv->network_backend_write(srv, con, fd, cq)`) stores its answer in a local, or is
//     tested directly;
//   - the first test after it takes a failure branch (`-1 == ret`, `n < 0`, `ret == ERR`; a
//     constant named like "again" is no failure) that ends by returning a constant W;
//   - W is no failure answer, the function has a failure answer of its own (a constant named
//     like an error, or a negative number) returned elsewhere, and W is what it answers while
//     the write is not finished: named like "again"/"pending" by the model's vocabulary, or
//     returned again after the write on another path and not the function's last answer.
// Silent: a branch that tells "try again" from a failure (a would-block name, an errno
// constant compared), a function with no failure answer, void functions, log writers.
//
// A write's failure told to no one (evpp's TCPConn::SendInLoop before cf22e86: a failed
// `::send()` set a local `write_error` that only skipped queueing the rest, and the function
// returned with the connection open): a failure told apart from "again" after which every
// path returns normally, and nothing closes, records, hands on, throws, answers a failure or
// writes again (findWriteFailuresToldToNoOne).
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CORE_FAILUREANSWERS_H
#define DRAIN_ANALYSIS_CORE_FAILUREANSWERS_H

#include "analysis/core/ApiModel.h"
#include "analysis/core/Finding.h"
#include "llvm/ADT/STLExtras.h"
#include <optional>
#include <vector>

namespace clang {
class ASTContext;
class Expr;
class FunctionDecl;
} // namespace clang

namespace drain {

/// The failure branches of writes in \p FD that answer the function's "not finished" answer,
/// one finding each.
std::vector<Finding> findWriteFailuresAnsweredAsWait(const clang::FunctionDecl *FD,
                                                     const ApiModel &Model);

/// The writes in \p FD whose failure, told apart from "again", is then told to no one: on
/// every path from the failure (or from a local flag the failure branch sets) to a normal
/// return, nothing closes the channel or its owner, stores outside the function's locals,
/// hands the error to a callee or a callback, throws, answers a failure (or an answer the
/// success path does not give) or writes again. Logging does not count: it tells a person,
/// not the program. One finding per write.
std::vector<Finding> findWriteFailuresToldToNoOne(const clang::FunctionDecl *FD,
                                                  const ApiModel &Model);

/// True if \p V, a value \p Fn returns, answers a failure: a macro or an enumerator named as a
/// failure (`EXIT_FAILURE`, `NGX_ERROR`, `Status::WriteFailed`), a null pointer from a
/// function answering a pointer, `false`, a negative number, zero from a function answering
/// bool, a nonzero status from main. \p Judge, when given, is asked about any other value (past
/// parentheses, implicit casts and the cleanups of the full expression) before it is read as
/// a number: the status a branch tested, a call named as a failure. Its answer, when it gives
/// one, stands. Null \p V: no failure.
bool answersFailure(const clang::Expr *V, const clang::FunctionDecl *Fn,
                    clang::ASTContext &Ctx,
                    llvm::function_ref<std::optional<bool>(const clang::Expr *)> Judge = nullptr);

} // namespace drain

#endif // DRAIN_ANALYSIS_CORE_FAILUREANSWERS_H
