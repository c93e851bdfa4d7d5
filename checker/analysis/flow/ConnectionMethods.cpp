//===--- ConnectionMethods.cpp - a connection class's methods seen only declared ------===//
#include "analysis/flow/ConnectionMethods.h"
#include "analysis/core/Identifiers.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace drain {

namespace {
const llvm::StringRef WriteWords[] = {"write", "send", "queue", "enqueue"};
const llvm::StringRef FlushWords[] = {"flush"};
const llvm::StringRef CloseWords[] = {"close", "shutdown", "disconnect"};
/// An emptiness test: a word of the queue and one of its amount.
const llvm::StringRef QueueWords[] = {"sendq", "send", "write", "writes", "out", "output",
                                      "outgoing", "queue", "queued", "buffer", "buffered",
                                      "buf", "pending", "unsent", "outbuf", "wbuf", "outq"};
const llvm::StringRef AmountWords[] = {"size", "len", "length", "bytes", "count", "used",
                                       "qsize", "qlen", "empty", "drained", "flushed",
                                       "pending"};
/// Words that make the name something else than a plain write, flush or close: a variant that
/// waits for the queue or writes everything, a callback, a query, a read.
const llvm::StringRef OtherWords[] = {
    "all",      "full",   "fully",  "sync",     "blocking", "now",      "immediate",
    "after",    "when",   "once",   "soon",     "later",    "deferred", "lazy",
    "graceful", "gently", "pending", "on",      "handle",   "handler",  "is",
    "was",      "has",    "can",    "should",   "set",      "get",      "closed",
    "closing",  "read",   "recv",   "receive",  "log",      "debug",    "trace",
    "print",    "dump",   "error",  "request",  "async",    "callback", "cb",
    "buffer",   "buffered", "queued", "size",   "empty",    "timeout",  "timer"};
bool anyWord(llvm::ArrayRef<std::string> Words, llvm::ArrayRef<llvm::StringRef> Of) {
  return llvm::any_of(Words, [&](const std::string &W) { return llvm::is_contained(Of, W); });
}

/// True if \p RD or a base declares a close that says it is forced (`forceClose`,
/// `abortConnection`, `closeNow`, `hardClose`, `resetConnection`).
bool hasForcedClose(const CXXRecordDecl *RD, unsigned Depth = 0) {
  static const llvm::StringRef Forced[] = {"force", "forced", "abort", "now", "hard",
                                           "immediate", "immediately", "reset"};
  static const llvm::StringRef Ends[] = {"close", "shutdown", "disconnect", "connection"};
  if (!RD || Depth > 8)
    return false;
  if (const CXXRecordDecl *Def = RD->getDefinition())
    RD = Def;
  else
    return false;
  for (const CXXMethodDecl *M : RD->methods()) {
    if (!M->getIdentifier())
      continue;
    llvm::SmallVector<std::string, 4> W = identifierWords(M->getName(), {});
    if (anyWord(W, Forced) && anyWord(W, Ends))
      return true;
  }
  for (const CXXBaseSpecifier &B : RD->bases())
    if (hasForcedClose(B.getType()->getAsCXXRecordDecl(), Depth + 1))
      return true;
  return false;
}

/// True when \p MD can be handed data: a parameter that is a pointer, a reference, or a class
/// (a string, a buffer, a span).
bool takesData(const CXXMethodDecl *MD) {
  for (const ParmVarDecl *P : MD->parameters()) {
    QualType T = P->getType();
    if (T->isPointerType() || T->isReferenceType() || T->isRecordType())
      return true;
  }
  return false;
}
} // namespace

std::optional<ApiEntry> ConnectionMethods::guess(const FunctionDecl *FD, const ApiModel &M) {
  const auto *MD = llvm::dyn_cast_or_null<CXXMethodDecl>(FD);
  if (!MD || MD->isStatic() || !MD->getIdentifier() || MD->hasBody() || MD->isDeleted() ||
      MD->isDefaulted() || isa<CXXConstructorDecl>(MD) || isa<CXXDestructorDecl>(MD))
    return std::nullopt;
  // (A pure virtual method's overrides with bodies are RoleInference's, asked first.) A
  // system header's class is the built-in rows' business.
  const ASTContext &C = MD->getASTContext();
  if (C.getSourceManager().isInSystemHeader(MD->getLocation()))
    return std::nullopt;
  if (!Channels || Ctx != &C) {
    Channels = std::make_unique<ChannelResolver>(Opts);
    Channels->setModel(&M);
    Ctx = &C;
    Memo.clear();
  }
  if (!Channels->isConnectionClass(MD->getParent()))
    return std::nullopt;
  llvm::SmallVector<std::string, 4> Words = identifierWords(MD->getName(), {});
  ApiEntry E;
  E.Name = ApiModel::qualifiedName(MD);
  E.Channel = ChannelImplicitObject;
  E.Result = ResultKind::None;
  E.Origin = RowOrigin::Inferred;
  E.Family = DeclaredMethodFamily;
  // `getSendQSize()`, `pendingBytes()`, `sendQueueEmpty()`, `HasPendingWrites()`: how much
  // the queue holds.
  QualType Ret = MD->getReturnType();
  if (MD->getNumParams() == 0 && Ret->isIntegerType() && !Ret->isEnumeralType() &&
      anyWord(Words, QueueWords) && anyWord(Words, AmountWords)) {
    E.Kind = OpKind::EmptyTest;
    return E;
  }
  if (!Ret->isVoidType() || Words.empty() || anyWord(Words, OtherWords))
    return std::nullopt;
  bool Close = anyWord(Words, CloseWords);
  bool Flush = anyWord(Words, FlushWords);
  bool Write = anyWord(Words, WriteWords);
  // `flush_and_close`, `SendClose`: which one is it? (`FlushSendQ` flushes the send queue.)
  if (Close && (Flush || Write))
    return std::nullopt;
  if (Close) {
    // Only `Close()`: an argument may ask it to wait for the queue (`Close(bool
    // writeblock)`, `shutdown(int linger)`), or to queue a close frame behind the data (a
    // websocket's `close(int code)`).
    if (MD->getNumParams() != 0)
      return std::nullopt;
    // A buffered connection's `shutdown()` is usually the graceful half-close, sent once the
    // output is drained (muduo's TcpConnection::shutdown): only a close ends it at once.
    if (llvm::is_contained(Words, "shutdown"))
      return std::nullopt;
    // A class that also has a forced close (`forceClose()`, `abortConnection()`,
    // `closeNow()`) says its plain close is the graceful one.
    if (hasForcedClose(MD->getParent()))
      return std::nullopt;
    E.Kind = OpKind::Close;
    return E;
  }
  if (Flush) {
    E.Kind = OpKind::Flush;
    return E;
  }
  if (!takesData(MD))
    return std::nullopt;
  E.Kind = OpKind::Write;
  return E;
}

void ConnectionMethods::endUnit() {
  Ctx = nullptr;
  Memo.clear();
  Rows.clear();
  Channels.reset();
}

const ApiEntry *ConnectionMethods::roleFor(const FunctionDecl *FD, const ApiModel &M) {
  if (!FD)
    return nullptr;
  FD = FD->getCanonicalDecl();
  if (Ctx && Ctx != &FD->getASTContext()) {
    Memo.clear();
    Channels.reset();
  }
  auto It = Memo.find(FD);
  if (It != Memo.end())
    return It->second;
  const ApiEntry *Row = nullptr;
  if (std::optional<ApiEntry> E = guess(FD, M)) {
    Rows.push_back(std::move(*E));
    Row = &Rows.back();
  }
  Memo[FD] = Row;
  return Row;
}

} // namespace drain
