//===--- AsyncOps.h - asynchronous writes, their channels and handlers -*- C++ -*-===//
//
// What the three asynchronous checks (close-during-async-write, ignored-completion-error,
// discarded-awaitable) share: a call resolved to an ApiModel row with AF_HasHandler, the
// channel it works on as a comparable key, how its completion is delivered (a handler, an
// awaitable, a future, a yield context, redirect_error/as_tuple around one of those) and, for a
// handler, which function runs and which of its parameters receives the error and the byte
// count. Findings are plain data (Finding); the clang-tidy glue turns them into
// diagnostics.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CORE_ASYNCOPS_H
#define DRAIN_ANALYSIS_CORE_ASYNCOPS_H

#include "analysis/core/ApiModel.h"
#include "analysis/core/Finding.h"
#include "clang/AST/Expr.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>
#include <string>

namespace clang {
class ASTContext;
class CallExpr;
class CXXRecordDecl;
class FunctionDecl;
class ParmVarDecl;
class Stmt;
class ValueDecl;
class VarDecl;
} // namespace clang

namespace drain {

/// A channel as a chain of declarations from its root: `sock` is {sock}, `socket_` in a
/// method is {this, socket_} (this = null), `conn->tcp` is {conn, tcp}. Accessors that return
/// a part of a stream (`socket()`, `next_layer()`, `lowest_layer()`, get_lowest_layer(s)),
/// casts, `&`, `*` and smart-pointer `->` are looked through, so `stream_.socket()` and
/// `beast::get_lowest_layer(stream_)` name the channel `stream_`, and `(uv_stream_t *)client`
/// and `(uv_handle_t *)client` name `client`.
struct AsyncChannel {
  llvm::SmallVector<const clang::ValueDecl *, 3> Path;
  /// The record whose member the channel is (the class of `this`, or the struct a root
  /// pointer points to); null for a plain variable. Used to relate two functions' channels.
  const clang::RecordDecl *Owner = nullptr;
  bool valid() const { return !Path.empty(); }
  bool rootedAtThis() const { return valid() && Path.front() == nullptr; }
  /// The member path without its root: {tcp} for `conn->tcp` and `c->tcp` alike.
  llvm::ArrayRef<const clang::ValueDecl *> members() const {
    return valid() ? llvm::ArrayRef<const clang::ValueDecl *>(Path).drop_front()
                   : llvm::ArrayRef<const clang::ValueDecl *>();
  }
  friend bool operator==(const AsyncChannel &A, const AsyncChannel &B) { return A.Path == B.Path; }
  friend bool operator!=(const AsyncChannel &A, const AsyncChannel &B) { return !(A == B); }
  friend bool operator<(const AsyncChannel &A, const AsyncChannel &B) {
    return std::lexicographical_compare(A.Path.begin(), A.Path.end(), B.Path.begin(),
                                        B.Path.end());
  }
};

/// The channel named by \p E. \p ThisClass is the class whose `this` is in scope (null
/// outside methods): a local `self` that points to that class counts as `this`.
AsyncChannel channelOf(const clang::Expr *E, const clang::CXXRecordDecl *ThisClass);

/// How an asynchronous operation's completion is delivered.
enum class TokenKind : unsigned char {
  Handler,   ///< a callable: lambda, function, bound member function, handler object
  Awaitable, ///< use_awaitable: the initiating call returns an awaitable
  Future,    ///< use_future: the initiating call returns a std::future
  Yield,     ///< a stackful coroutine's yield_context: the call returns when done
  Detached,  ///< detached: nobody is told
  Deferred,  ///< deferred or the default token: the call returns an operation to launch
  Unknown,
};

struct CompletionToken {
  TokenKind Kind = TokenKind::Unknown;
  const clang::Expr *E = nullptr;
  /// redirect_error(token, ec) or yield[ec]: the variable that receives the error.
  const clang::VarDecl *ErrorVar = nullptr;
  const clang::Expr *ErrorVarRef = nullptr;
  /// as_tuple(token): the error arrives as the first element of the result.
  bool AsTuple = false;
};

/// Classifies the completion-token argument \p Arg (wrappers such as bind_executor are
/// looked through).
CompletionToken classifyToken(const clang::Expr *Arg);

/// A completion handler resolved to the function that runs, and where in its parameter list
/// the completion arguments (error, then bytes) land.
struct HandlerCallable {
  const clang::FunctionDecl *Fn = nullptr;
  /// The expression that names the function at the call: the lambda, the bind call, ...
  const clang::Expr *Site = nullptr;
  /// Index of Fn's parameter receiving the completion error, or -1 when the binder drops it
  /// (std::bind without a placeholder for it).
  int ErrorParam = -1;
  /// Index of Fn's parameter receiving the byte count, or -1 (dropped or not delivered).
  int BytesParam = -1;
  /// True when the binder drops the completion error (std::bind(&C::f, this)).
  bool ErrorDropped = false;
  bool BytesDropped = false;
  /// How the handler was bound, for messages ("lambda", "std::bind", "bind_front_handler").
  std::string How;
};

/// Resolves the handler argument \p Arg; std::nullopt when it is not a handler drain can see
/// into (a token, a std::function variable, a function without a visible definition, ...).
std::optional<HandlerCallable> resolveHandler(const clang::Expr *Arg);

/// A call of a modelled asynchronous operation (a row with AF_HasHandler).
struct AsyncCall {
  const clang::CallExpr *Call = nullptr;
  /// The called function; for a call in a template pattern, the declaration its name found
  /// (null when it names no declaration yet: a member of a dependent type).
  const clang::FunctionDecl *Callee = nullptr;
  std::string Name; ///< the operation's name, for messages
  ApiOp Op;
  const clang::Expr *Channel = nullptr; ///< the channel argument or implicit object
  const clang::Expr *Handler = nullptr; ///< the handler/token argument
};

/// The channel argument (or implicit object) of a call resolved to \p Row, or null.
const clang::Expr *channelArg(const clang::CallExpr *CE, const ApiEntry &Row);

/// Resolves \p CE to an asynchronous op of the model, or std::nullopt.
std::optional<AsyncCall> matchAsyncCall(const clang::CallExpr *CE, const ApiModel &Model);

/// The same for a call in a template pattern whose callee is still a name: an overload set
/// (`net::async_write(socket_, b, [this](...) {...})`, `socket_.async_write_some(...)`) or a
/// member of a dependent type (`stream_.async_write_some(...)` with `Stream stream_`). The
/// declarations the name found are looked up in the model's table; a member of a dependent
/// type is looked up in its class template when the type names one, and otherwise matched by
/// its name against the table's member rows, which must all agree on the handler's position
/// and on whether the byte count matters. Inferred roles are not asked (they would analyse
/// a dependent body).
std::optional<AsyncCall> matchDependentAsyncCall(const clang::CallExpr *CE, const ApiModel &Model);

/// Calls of functions named like async reads (async_read, async_read_some, async_receive,
/// uv_read_start, ...): the handlers that run while a write may still be in flight. Returns
/// the callback/handler argument, or null.
const clang::Expr *readHandlerArg(const clang::CallExpr *CE);

/// True if the library of \p Row queues a second write behind one in flight (libuv's
/// uv_write keeps a write queue per stream): overlapping writes are fine there. Asio's
/// composed async_write and Beast's writes forbid them.
bool queuesOverlappingWrites(const ApiEntry &Row);

/// The task argument of a call that hands work to an executor to run later or elsewhere
/// (`net::post(ex, task)`, `strand.post(task)`, `dispatch`, `defer`), or null. In a template
/// pattern a call whose callee is still a name is matched by that name.
const clang::Expr *postedTaskArg(const clang::CallExpr *CE);

/// True for a call of an asynchronous operation's initiating function as Asio names them
/// (`async_wait`, `async_connect`, `async_read`, a project's `async_send`): its callable
/// arguments are completion handlers that run when that operation finishes.
bool isAsyncInitiation(const clang::CallExpr *CE);

/// What a method of a member object does to what the object holds, by the method's name:
/// `Fill` adds (push_back, emplace, insert, append, enqueue, add, test_and_set), `Drain` removes
/// (pop_front, erase, clear, consume, dequeue, remove, reset, release), `Both` for swap, exchange,
/// store and assign (which put a value in and may take one out). None for anything else
/// (front(), size(), empty()).
enum class MemberChange : unsigned char { None, Fill, Drain, Both };
MemberChange memberChangeOf(llvm::StringRef Method);

/// resolveHandler(), and in a template pattern also through a wrapper call whose callee is
/// still a name (`strand_.wrap(h)`, `beast::bind_front_handler(&C::f, shared_from_this())`).
std::optional<HandlerCallable> resolveHandlerInPattern(const clang::Expr *Arg);

/// True for a call that runs the event loop in place (io_context::run, run_for, uv_run, ...):
/// every handler started before it has run when it returns, or the code is deliberately
/// giving up on what has not (a timeout).
bool runsEventLoop(const clang::CallExpr *CE);

/// True if the operation \p CE (resolved to \p Row) with token \p T is finished when the call
/// returns: a yield_context, or a token that makes the initiating function return a plain
/// value.
bool completesInPlace(const clang::CallExpr *CE, const CompletionToken &T, const ApiEntry &Row);

/// Strips implicit nodes, parentheses, temporaries and casts that do not change the value.
const clang::Expr *peel(const clang::Expr *E);

/// The source text of \p E, shortened for a message.
std::string spelling(const clang::Expr *E, const clang::ASTContext &Ctx);

/// The source text of a channel expression without the casts and `&` around it.
std::string channelSpelling(const clang::Expr *E, const clang::ASTContext &Ctx);

/// True if \p Param is read in \p Fn's body: any reference that is not the target of an
/// assignment. `(void)p` and boost::ignore_unused(p) count as reads (deliberate).
bool isParamRead(const clang::FunctionDecl *Fn, const clang::ParmVarDecl *Param);

/// The body of \p FD to analyze (a template instantiation's pattern when the instance has
/// none), or null.
const clang::Stmt *bodyOf(const clang::FunctionDecl *FD);

/// The class whose `this` is in scope in \p FD (the enclosing class of a lambda's method).
const clang::CXXRecordDecl *thisClassOf(const clang::FunctionDecl *FD);

} // namespace drain

#endif // DRAIN_ANALYSIS_CORE_ASYNCOPS_H
