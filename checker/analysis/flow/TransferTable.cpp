//===--- TransferTable.cpp - what each modelled operation does to the state ---===//
#include "analysis/flow/TransferTable.h"
#include "analysis/core/WholeWrites.h"
#include "analysis/flow/Channels.h"
#include "analysis/flow/ResultParts.h"
#include "analysis/core/ResultTypes.h"
#include "analysis/flow/Summaries.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace drain {

//===--- helpers ----------------------------------------------------------===//

const Expr *stripValue(const Expr *E) {
  for (unsigned Steps = 0; E && Steps < 32; ++Steps) {
    E = E->IgnoreParens();
    if (const auto *ICE = llvm::dyn_cast<ImplicitCastExpr>(E)) {
      E = ICE->getSubExpr();
      continue;
    }
    if (const auto *CE = llvm::dyn_cast<ExplicitCastExpr>(E)) {
      if (CE->getType()->isVoidType())
        return E;
      E = CE->getSubExpr();
      continue;
    }
    if (const auto *EWC = llvm::dyn_cast<ExprWithCleanups>(E)) {
      E = EWC->getSubExpr();
      continue;
    }
    if (const auto *MT = llvm::dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = MT->getSubExpr();
      continue;
    }
    if (const auto *BT = llvm::dyn_cast<CXXBindTemporaryExpr>(E)) {
      E = BT->getSubExpr();
      continue;
    }
    if (const auto *CC = llvm::dyn_cast<CXXConstructExpr>(E)) {
      // A copy or move of a result (C++14 `Poll r = f();`) keeps its fact.
      if (CC->getNumArgs() == 1 && CC->getConstructor()->isCopyOrMoveConstructor()) {
        E = CC->getArg(0);
        continue;
      }
      return E;
    }
    return E;
  }
  return E;
}

std::optional<int64_t> evaluateInt(const Expr *E, ASTContext &Ctx) {
  if (!E || E->isValueDependent() || E->isTypeDependent())
    return std::nullopt;
  Expr::EvalResult R;
  if (!E->EvaluateAsInt(R, Ctx) || !R.Val.isInt())
    return std::nullopt;
  const llvm::APSInt &V = R.Val.getInt();
  if (V.isSigned() ? !V.isSignedIntN(64) : !V.isIntN(63))
    return std::nullopt;
  return V.getExtValue();
}

llvm::StringRef eventKindName(EventKind K) {
  switch (K) {
  case EventKind::Write: return "write";
  case EventKind::BufferedWrite: return "buffered_write";
  case EventKind::ComposedWrite: return "composed_write";
  case EventKind::Flush: return "flush";
  case EventKind::EmptyTest: return "empty_test";
  case EventKind::BufferClear: return "buffer_clear";
  case EventKind::Shutdown: return "shutdown";
  case EventKind::Close: return "close";
  case EventKind::AsyncWrite: return "async_write";
  case EventKind::AsyncShutdown: return "async_shutdown";
  case EventKind::Cancel: return "cancel";
  case EventKind::Destroy: return "destroy";
  case EventKind::Await: return "await";
  case EventKind::SummaryCall: return "summary_call";
  case EventKind::OpaqueCall: return "opaque_call";
  case EventKind::BindVar: return "bind_var";
  case EventKind::CountUpdate: return "count_update";
  case EventKind::PassFact: return "pass_fact";
  case EventKind::ErrorQuery: return "error_query";
  case EventKind::HandOff: return "hand_off";
  case EventKind::NumKinds: break;
  }
  return "?";
}

namespace {

/// A buffer effect of the model's vocabulary as an event: its kind, and whether it is a size
/// (an emptiness test once compared with zero).
std::pair<EventKind, bool> eventOf(BufferEffect B) {
  switch (B) {
  case BufferEffect::Append: return {EventKind::BufferedWrite, false};
  case BufferEffect::Clear: return {EventKind::BufferClear, false};
  case BufferEffect::EmptyTest: return {EventKind::EmptyTest, false};
  case BufferEffect::Size: return {EventKind::EmptyTest, true};
  case BufferEffect::Free: return {EventKind::Destroy, false};
  }
  return {EventKind::OpaqueCall, false};
}

/// Row kinds -> event kinds. Write rows are split by result below.
EventKind eventKindOf(OpKind K) {
  switch (K) {
  case OpKind::Write: return EventKind::Write;
  case OpKind::ComposedWrite: return EventKind::ComposedWrite;
  case OpKind::Flush: return EventKind::Flush;
  case OpKind::Sync: return EventKind::Flush;
  case OpKind::Shutdown: return EventKind::Shutdown;
  case OpKind::Close: return EventKind::Close;
  case OpKind::EmptyTest: return EventKind::EmptyTest;
  case OpKind::AsyncWrite: return EventKind::AsyncWrite;
  case OpKind::AsyncShutdown: return EventKind::AsyncShutdown;
  case OpKind::Cancel: return EventKind::Cancel;
  case OpKind::Destroy: return EventKind::Destroy;
  }
  return EventKind::OpaqueCall;
}

bool isCompletionKind(EventKind K) {
  return K == EventKind::Shutdown || K == EventKind::Close || K == EventKind::AsyncShutdown;
}

/// The implicit object of a member call, or argument 0 of a member operator call.
const Expr *objectOf(const CallExpr *CE) {
  if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(CE))
    return MC->getImplicitObjectArgument();
  if (const auto *OC = llvm::dyn_cast<CXXOperatorCallExpr>(CE))
    if (llvm::isa_and_nonnull<CXXMethodDecl>(OC->getDirectCallee()) && OC->getNumArgs() > 0)
      return OC->getArg(0);
  return nullptr;
}

/// Argument \p I of the callee's parameter list (member operator calls carry the object as
/// argument 0).
const Expr *paramArg(const CallExpr *CE, unsigned I) {
  unsigned Shift = 0;
  if (const auto *OC = llvm::dyn_cast<CXXOperatorCallExpr>(CE))
    if (llvm::isa_and_nonnull<CXXMethodDecl>(OC->getDirectCallee()))
      Shift = 1;
  if (I + Shift >= CE->getNumArgs())
    return nullptr;
  return CE->getArg(I + Shift);
}

/// has_buffered_write() is true while data is buffered; write_buffer_empty() is true when
/// there is none. The name says which.
bool emptyTestTrueIsPending(const FunctionDecl *FD, const ApiModel &Model) {
  if (!FD->getIdentifier())
    return false;
  for (const std::string &W : ChannelResolver::nameWords(FD->getName()))
    if (Model.drainedWord(W))
      return false;
  return true;
}

std::string calleeName(const FunctionDecl *FD) {
  if (FD->getDeclName().isIdentifier())
    return FD->getName().str();
  return FD->getNameAsString();
}

/// The buffer member a call's object names (`out_buf_`, `c->wbuf`), if any.
const FieldDecl *bufferObject(const Expr *Obj, const ChannelResolver &Channels) {
  if (!Obj)
    return nullptr;
  const auto *ME = llvm::dyn_cast<MemberExpr>(Obj->IgnoreParenImpCasts());
  if (!ME)
    return nullptr;
  const auto *F = llvm::dyn_cast<FieldDecl>(ME->getMemberDecl());
  return Channels.isBufferMember(F) ? F : nullptr;
}

/// Keys an opaque call may change: arguments passed by non-const reference or pointer, and
/// the object of a non-const method.
void touchedByOpaqueCall(const CallExpr *CE, const FunctionDecl *FD,
                         const ChannelResolver &Channels, Event &E) {
  auto Mutable = [](QualType T) {
    if (T->isReferenceType() || T->isPointerType())
      return !T->getPointeeType().isConstQualified();
    return false;
  };
  if (const Expr *Obj = objectOf(CE)) {
    const auto *MD = llvm::dyn_cast_or_null<CXXMethodDecl>(FD);
    // `io_.write(out_.data(), out_.size())` of a transport defined elsewhere: the caller
    // drains its buffer into it (the erase that follows says how much).
    if ((!MD || !MD->isConst()) && !Channels.movesBufferInto(CE, FD))
      if (auto K = Channels.keyOf(Obj))
        E.Touched.push_back(*K);
  }
  unsigned First = objectOf(CE) && llvm::isa<CXXOperatorCallExpr>(CE) ? 1 : 0;
  for (unsigned I = First; I < CE->getNumArgs(); ++I) {
    const Expr *A = CE->getArg(I);
    unsigned P = I - First;
    QualType PT = FD && P < FD->getNumParams() ? FD->getParamDecl(P)->getType() : A->getType();
    if (!Mutable(PT) && !A->getType()->isPointerType())
      continue;
    if (PT->isPointerType() && PT->getPointeeType().isConstQualified())
      continue;
    if (auto K = Channels.keyOf(A))
      E.Touched.push_back(*K);
  }
}

/// Destroying an object of class \p RD loses nothing when its destructor flushes first (a
/// RAII writer): its summary cleans the object before the object ends.
bool destructorFlushes(const CXXRecordDecl *RD, SummaryStore *Sums) {
  if (!RD || !RD->hasDefinition() || !Sums)
    return false;
  const CXXDestructorDecl *Dtor = RD->getDefinition()->getDestructor();
  const FunctionDecl *Def = nullptr;
  if (!Dtor || !Dtor->hasBody(Def))
    return false;
  const FunctionSummary *S = Sums->summaryFor(Dtor);
  return S && S->Usable && S->cleansObject();
}

/// `io_.reset()`, `delete conn_`: the end of the object \p Owned names (the owning pointer).
Event destroyEvent(const Stmt *S, const Expr *Owned, const TransferContext &TC,
                   SummaryStore *Sums) {
  Event E;
  E.Kind = EventKind::Destroy;
  E.S = S;
  E.Source = Owned;
  E.Channel = TC.Channels.keyOf(Owned);
  E.FlushesFirst = destructorFlushes(ChannelResolver::heldClass(Owned->getType()), Sums);
  return E;
}

Event summaryCallEvent(const CallExpr *CE, const FunctionDecl *FD, const FunctionSummary *Sum,
                       const TransferContext &TC) {
  Event E;
  E.S = CE;
  E.Callee = FD;
  E.Kind = EventKind::SummaryCall;
  E.Summary = Sum;
  if (const Expr *Obj = objectOf(CE))
    E.Object = TC.Channels.keyOf(Obj);
  for (unsigned I = 0; I < FD->getNumParams(); ++I) {
    const Expr *A = paramArg(CE, I);
    E.Args.push_back(A ? TC.Channels.keyOf(A) : std::nullopt);
  }
  return E;
}

/// True for bool and for a class that converts to bool (gtest's AssertionResult).
bool isVerdictType(QualType T) {
  T = T.getNonReferenceType();
  if (T->isBooleanType())
    return true;
  const auto *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition())
    return false;
  for (const Decl *D : RD->decls())
    if (const auto *Conv = llvm::dyn_cast<CXXConversionDecl>(D))
      if (Conv->getConversionType()->isBooleanType())
        return true;
  return false;
}

/// `Compare(a, b)` / `check_eq(n, len)`: a helper taking the value with at least one other
/// and answering with a verdict compares what it is handed. Each argument is a
/// HandOff; the handler decides whether the argument carries a fact.
void handOffEvents(const CallExpr *CE, const FunctionDecl *FD, llvm::SmallVectorImpl<Event> &Out) {
  if (CE->getNumArgs() < 2 || !isVerdictType(FD->getReturnType()))
    return;
  for (const Expr *A : CE->arguments()) {
    Event E;
    E.Kind = EventKind::HandOff;
    E.S = CE;
    E.Callee = FD;
    E.Source = A;
    Out.push_back(std::move(E));
  }
}

/// The summary of a callee with a body, when it is usable; null otherwise (or without a
/// store).
const FunctionSummary *usableSummary(const FunctionDecl *FD, SummaryStore *Sums) {
  if (!Sums)
    return nullptr;
  const FunctionDecl *Def = nullptr;
  if (!FD->hasBody(Def))
    return nullptr;
  const FunctionSummary *S = Sums->summaryFor(FD);
  return S && S->Usable ? S : nullptr;
}

/// SSL_get_error(ssl, n) and friends (the model's ErrorQuery rows): an ErrorQuery of the
/// result argument. False for any other call.
bool errorQueryEvent(const CallExpr *CE, const FunctionDecl *FD, Event E,
                     const ApiModel &Model, llvm::SmallVectorImpl<Event> &Out) {
  const RoleEntry *Q = Model.tableRole(FD, FunctionRole::ErrorQuery);
  if (!Q || Q->Arg < 0 || static_cast<unsigned>(Q->Arg) >= CE->getNumArgs())
    return false;
  E.Kind = EventKind::ErrorQuery;
  E.Source = CE->getArg(Q->Arg);
  Out.push_back(std::move(E));
  return true;
}

/// The expression of the channel a row names at a call: the object (or the first argument)
/// for ChannelImplicitObject, else the argument; null if none.
const Expr *channelExprOf(const CallExpr *CE, const ApiEntry &Row) {
  if (Row.Channel == ChannelImplicitObject)
    return objectOf(CE) ? objectOf(CE) : (CE->getNumArgs() ? CE->getArg(0) : nullptr);
  if (Row.Channel >= 0)
    return paramArg(CE, static_cast<unsigned>(Row.Channel));
  return nullptr;
}

/// A row of the API model: its event, or the callee's summary where the body says better
/// what it does.
void modelRowEvents(const CallExpr *CE, const FunctionDecl *FD, ApiOp Op, ResultKind RK,
                    Event E, const TransferContext &TC, SummaryStore *Sums,
                    llvm::SmallVectorImpl<Event> &Out) {
  EventKind K = eventKindOf(Op.kind());
  // A completion with a body we can see: the body says whether it flushes first (hyper's
  // poll_shutdown after the fix does).
  // An inferred close of an argument writes nothing by construction (RoleInference.h), and
  // its row names the argument it releases as a whole (`c`, not the `c->fd` its summary
  // would name); a method's body still says best what it does to its object.
  bool WholeArgument = Op.Entry->Origin == RowOrigin::Inferred && Op.Entry->Channel >= 0 &&
                       static_cast<unsigned>(Op.Entry->Channel) < FD->getNumParams() &&
                       !FD->getParamDecl(Op.Entry->Channel)->getType()->isIntegerType();
  const FunctionSummary *Summary = nullptr;
  if (isCompletionKind(K) && !WholeArgument && (Summary = usableSummary(FD, Sums))) {
    Out.push_back(summaryCallEvent(CE, FD, Summary, TC));
    return;
  }
  // An inferred write or a wrapper with a body here: its summary follows the body, with
  // notes; a flush's answer (1/0/-1) is what the row reads and the summary cannot, and so is
  // an append into a record's buffer (a copy the summary does not see).
  bool Append = Op.Entry->Flags & AF_BufferAppend;
  if (Op.Entry->Origin == RowOrigin::Inferred && !isCompletionKind(K) &&
      K != EventKind::Flush && !Append && (Summary = usableSummary(FD, Sums))) {
    Out.push_back(summaryCallEvent(CE, FD, Summary, TC));
    Out.back().GivesUpOnlyOnFailure =
        K == EventKind::ComposedWrite && (Op.Entry->Flags & AF_WaitsOutWouldBlock);
    return;
  }
  if (K == EventKind::Destroy) {
    // The row names the owner (a smart pointer); what ends is the object it holds.
    const Expr *Owner = Op.Entry->Channel == ChannelImplicitObject
                            ? objectOf(CE)
                            : paramArg(CE, static_cast<unsigned>(Op.Entry->Channel));
    if (!Owner)
      return;
    Event D = destroyEvent(CE, Owner, TC, Sums);
    D.Callee = FD;
    D.Row = Op.Entry;
    D.Result = RK;
    if (D.Channel)
      Out.push_back(std::move(D));
    return;
  }
  E.Kind = K;
  E.Row = Op.Entry;
  E.Result = RK;
  E.FlushesFirst = Op.Entry->Flags & AF_FlushesFirst;
  if (K == EventKind::Write && (Append || !(RK == ResultKind::ByteCount ||
                                             RK == ResultKind::TlsCount ||
                                             RK == ResultKind::Bool || RK == ResultKind::ItemCount)))
    E.Kind = EventKind::BufferedWrite; // bytes are queued: bufferevent_write, poll_write
  if (K == EventKind::EmptyTest) {
    E.TrueIsPending = emptyTestTrueIsPending(FD, TC.Model);
    // An amount (`getSendQSize()`, `evbuffer_get_length`): zero is empty, as for size().
    QualType Ret = FD->getReturnType();
    E.IsSize = E.TrueIsPending && Ret->isIntegerType() && !Ret->isBooleanType();
  }
  if (const Expr *ChanExpr = channelExprOf(CE, *Op.Entry))
    E.Channel = TC.Channels.keyOf(ChanExpr);
  if (E.Channel)
    Out.push_back(std::move(E));
}

/// A method of a write buffer member (`out_buf_.append(...)`, `wbuf.clear()`): its event
/// from the model's buffer methods, if it has one. False when the call's object is no buffer
/// member.
bool bufferMethodEvent(const CallExpr *CE, const FunctionDecl *FD, Event E,
                       const TransferContext &TC, llvm::SmallVectorImpl<Event> &Out) {
  if (!bufferObject(objectOf(CE), TC.Channels))
    return false;
  if (std::optional<BufferEffect> M = TC.Model.bufferMethod(calleeName(FD))) {
    std::tie(E.Kind, E.IsSize) = eventOf(*M);
    E.Channel = TC.Channels.keyOf(objectOf(CE));
    if (E.Channel)
      Out.push_back(std::move(E));
  }
  return true;
}

/// A C function of a write buffer member, with no body here: `bipbuf_free(c->buf)` ends the
/// data the owner `c` holds; `bipbuf_used(c->buf)` tests it. False for any other call.
bool bufferFunctionEvent(const CallExpr *CE, const FunctionDecl *FD, const TransferContext &TC,
                         llvm::SmallVectorImpl<Event> &Out) {
  if (objectOf(CE) || CE->getNumArgs() == 0 || FD->hasBody() || !FD->getIdentifier())
    return false;
  const auto *ME =
      llvm::dyn_cast<MemberExpr>(CE->getArg(0)->IgnoreParenImpCasts()->IgnoreParens());
  if (!ME || !TC.Channels.hasBufferName(llvm::dyn_cast<FieldDecl>(ME->getMemberDecl())))
    return false;
  for (const std::string &W : ChannelResolver::nameWords(FD->getName())) {
    std::optional<BufferEffect> BW = TC.Model.bufferFunctionWord(W);
    if (!BW)
      continue;
    Event B;
    std::tie(B.Kind, B.IsSize) = eventOf(*BW);
    QualType RT = FD->getReturnType();
    if (B.Kind == EventKind::EmptyTest && !(RT->isIntegerType() || RT->isBooleanType()))
      continue;
    B.S = CE;
    B.Callee = FD;
    B.Source = ME;
    B.Channel = TC.Channels.keyOf(ME->getBase());
    if (B.Channel) {
      Out.push_back(std::move(B));
      return true;
    }
  }
  return false;
}

/// An OpaqueCall of what \p E's call may change, if it may change a channel.
void opaqueCallEvent(const CallExpr *CE, const FunctionDecl *FD, Event E,
                     const TransferContext &TC, llvm::SmallVectorImpl<Event> &Out) {
  E.Kind = EventKind::OpaqueCall;
  touchedByOpaqueCall(CE, FD, TC.Channels, E);
  if (!E.Touched.empty())
    Out.push_back(std::move(E));
}

/// A function of the file whose body is one `return` of what a write buffer of its argument
/// holds (`return c->out.len == 0;`, `return c->wbuf_len;`, `return !q->len;`): an emptiness
/// test of the caller's argument. False for any other call.
bool bufferCountAccessorEvent(const CallExpr *CE, const FunctionDecl *FD, const TransferContext &TC,
                              llvm::SmallVectorImpl<Event> &Out) {
  const FunctionDecl *Def = nullptr;
  if (!FD->hasBody(Def) || !Def || !Def->getReturnType()->isIntegerType())
    return false;
  const auto *Body = llvm::dyn_cast_or_null<CompoundStmt>(Def->getBody());
  const auto *Ret = Body && Body->size() == 1 ? llvm::dyn_cast<ReturnStmt>(Body->body_front())
                                              : nullptr;
  if (!Ret || !Ret->getRetValue())
    return false;
  const Expr *V = Ret->getRetValue()->IgnoreParenImpCasts();
  bool Negated = false;
  while (const auto *UO = llvm::dyn_cast<UnaryOperator>(V)) {
    if (UO->getOpcode() != UO_LNot)
      return false;
    Negated = !Negated;
    V = UO->getSubExpr()->IgnoreParenImpCasts();
  }
  const MemberExpr *Count = llvm::dyn_cast<MemberExpr>(V);
  bool TrueIsPending = true, IsSize = !Negated && !Def->getReturnType()->isBooleanType();
  if (const auto *BO = llvm::dyn_cast<BinaryOperator>(V)) {
    // `len == 0`, `0 != len`, `len > 0`: which answer means the buffer holds data.
    BinaryOperatorKind Op = BO->getOpcode();
    const Expr *Other = BO->getRHS();
    Count = llvm::dyn_cast<MemberExpr>(BO->getLHS()->IgnoreParenImpCasts());
    if (!TC.Channels.isBufferCount(Count)) {
      Count = llvm::dyn_cast<MemberExpr>(BO->getRHS()->IgnoreParenImpCasts());
      Other = BO->getLHS();
      Op = Op == BO_GT ? BO_LT : Op == BO_LT ? BO_GT : Op;
    }
    Expr::EvalResult Zero;
    if (!Other->EvaluateAsInt(Zero, TC.Ctx) || Zero.Val.getInt() != 0)
      return false;
    if (Op == BO_EQ)
      TrueIsPending = false;
    else if (Op != BO_NE && Op != BO_GT)
      return false;
    IsSize = false;
  }
  if (!TC.Channels.isBufferCount(Count))
    return false;
  // The callee's channel, rooted at one of its parameters, as the caller's argument.
  std::optional<ChannelKey> Inner = TC.Channels.keyOf(Count->getBase());
  if (!Inner || !Inner->Root)
    return false;
  for (unsigned I = 0; I < Def->getNumParams(); ++I) {
    if (Def->getParamDecl(I) != Inner->Root)
      continue;
    const Expr *Arg = paramArg(CE, I);
    std::optional<ChannelKey> Key = Arg ? TC.Channels.keyOf(Arg) : std::nullopt;
    if (!Key)
      return false;
    Key->Fields.append(Inner->Fields.begin(), Inner->Fields.end());
    Event B;
    B.Kind = EventKind::EmptyTest;
    B.S = CE;
    B.Callee = FD;
    B.Channel = std::move(Key);
    B.TrueIsPending = TrueIsPending != Negated;
    B.IsSize = IsSize;
    Out.push_back(std::move(B));
    return true;
  }
  return false;
}

void classifyCall(const CallExpr *CE, const TransferContext &TC, SummaryStore *Sums,
                  llvm::SmallVectorImpl<Event> &Out) {
  const FunctionDecl *FD = CE->getDirectCallee();
  Event E;
  E.S = CE;
  E.Callee = FD;
  if (!FD) {
    opaqueCallEvent(CE, nullptr, std::move(E), TC, Out);
    return;
  }
  if (errorQueryEvent(CE, FD, E, TC.Model, Out))
    return;
  // 1. A row of the API model.
  ApiOp Op = TC.Model.lookup(FD);
  std::optional<ResultKind> RK = Op ? effectiveResultKind(Op, FD, TC.Model) : std::nullopt;
  if (Op && RK) {
    modelRowEvents(CE, FD, Op, *RK, std::move(E), TC, Sums, Out);
    return;
  }
  // 2. A method of a write buffer member; 2b. a C function of one.
  if (bufferMethodEvent(CE, FD, E, TC, Out) || bufferFunctionEvent(CE, FD, TC, Out))
    return;
  // 2c. A function of the file that answers what a write buffer of its argument holds.
  if (bufferCountAccessorEvent(CE, FD, TC, Out))
    return;
  // A value handed to a comparison helper (gtest's ASSERT_EQ(send(...), n), check_eq(n, len)).
  handOffEvents(CE, FD, Out);
  // 3. A function defined in this TU: its summary.
  if (const FunctionSummary *Summary = usableSummary(FD, Sums)) {
    Out.push_back(summaryCallEvent(CE, FD, Summary, TC));
    return;
  }
  // 4. Anything else may change what it is handed.
  opaqueCallEvent(CE, FD, std::move(E), TC, Out);
}

/// `T v = e;`: each variable with an initializer takes its value.
void declEvents(const DeclStmt *DS, llvm::SmallVectorImpl<Event> &Out) {
  for (const Decl *D : DS->decls())
    if (const auto *VD = llvm::dyn_cast<VarDecl>(D))
      if (const Expr *Init = VD->getInit()) {
        Event E;
        E.Kind = EventKind::BindVar;
        E.S = DS;
        E.Var = VD;
        E.Source = Init;
        Out.push_back(std::move(E));
      }
}

/// The variable a plain reference names, or null.
const ValueDecl *varOf(const Expr *L) {
  if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(L->IgnoreParenImpCasts()))
    return llvm::dyn_cast<VarDecl>(DRE->getDecl());
  return nullptr;
}

/// `v = e`, `off = off + n`, `off += n`, `left -= n`: a variable takes a value, or counts a
/// write-all loop's progress. A field (`c->out.len -= n`) only counts progress.
void assignmentEvent(const BinaryOperator *BO, llvm::SmallVectorImpl<Event> &Out) {
  const ValueDecl *V = varOf(BO->getLHS());
  const bool Field = !V;
  std::optional<ChannelKey> Counter;
  if (Field) {
    Counter = progressCounter(BO->getLHS());
    if (!Counter)
      return;
  }
  Event E;
  E.S = BO;
  E.Var = V;
  E.Counter = Counter;
  E.Source = BO->getRHS();
  auto SameCounter = [&](const Expr *L) {
    return Field ? progressCounter(L) == Counter : varOf(L) == V;
  };
  if (BO->getOpcode() == BO_Assign) {
    E.Kind = EventKind::BindVar;
    // off = off + n / left = left - n
    if (const auto *Arith = llvm::dyn_cast<BinaryOperator>(stripValue(BO->getRHS())))
      if ((Arith->getOpcode() == BO_Add || Arith->getOpcode() == BO_Sub) &&
          SameCounter(Arith->getLHS())) {
        E.Kind = EventKind::CountUpdate;
        E.Source = Arith->getRHS();
        E.Remaining = Arith->getOpcode() == BO_Sub;
      }
  } else if (BO->getOpcode() == BO_AddAssign || BO->getOpcode() == BO_SubAssign) {
    E.Kind = EventKind::CountUpdate;
    E.Remaining = BO->getOpcode() == BO_SubAssign;
  } else {
    return;
  }
  if (Field && E.Kind != EventKind::CountUpdate)
    return;
  Out.push_back(std::move(E));
}

/// `co_await op(...)`: the awaited operation has finished when the coroutine resumes.
void awaitEvents(const CoawaitExpr *CA, const TransferContext &TC,
                 llvm::SmallVectorImpl<Event> &Out) {
  const auto *CE = llvm::dyn_cast_or_null<CallExpr>(stripValue(CA->getOperand()));
  if (!CE)
    return;
  llvm::SmallVector<Event, 2> Inner;
  classifyCall(CE, TC, nullptr, Inner);
  for (const Event &I : Inner)
    if (I.Channel) {
      Event E;
      E.Kind = EventKind::Await;
      E.S = CA;
      E.Channel = I.Channel;
      E.Row = I.Row;
      E.Callee = I.Callee;
      E.Awaited = true;
      Out.push_back(std::move(E));
    }
}

} // namespace

void classifyStmt(const Stmt *S, const TransferContext &TC, SummaryStore *Sums,
                  llvm::SmallVectorImpl<Event> &Out) {
  if (const auto *DS = llvm::dyn_cast<DeclStmt>(S)) {
    declEvents(DS, Out);
    return;
  }
  if (const auto *BO = llvm::dyn_cast<BinaryOperator>(S)) {
    assignmentEvent(BO, Out);
    return;
  }
  if (const auto *DE = llvm::dyn_cast<CXXDeleteExpr>(S)) {
    // `delete io_`: the object behind the pointer ends.
    if (const Expr *Arg = DE->getArgument()) {
      Event E = destroyEvent(S, Arg, TC, Sums);
      if (E.Channel)
        Out.push_back(std::move(E));
    }
    return;
  }
  if (const auto *SE = llvm::dyn_cast<StmtExpr>(S)) {
    // A statement expression's value: the fact of its last statement.
    const CompoundStmt *CS = SE->getSubStmt();
    if (CS && !CS->body_empty())
      if (const auto *Last = llvm::dyn_cast<Expr>(CS->body_back())) {
        Event E;
        E.Kind = EventKind::PassFact;
        E.S = S;
        E.Source = Last;
        Out.push_back(std::move(E));
      }
    return;
  }
  if (const auto *CA = llvm::dyn_cast<CoawaitExpr>(S)) {
    awaitEvents(CA, TC, Out);
    return;
  }
  if (const auto *OC = llvm::dyn_cast<CXXOperatorCallExpr>(S)) {
    // `r = conn.poll_flush()` for a class-typed result.
    if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2)
      if (const ValueDecl *V = varOf(OC->getArg(0))) {
        Event E;
        E.Kind = EventKind::BindVar;
        E.S = S;
        E.Var = V;
        E.Source = OC->getArg(1);
        Out.push_back(std::move(E));
        return;
      }
  }
  if (const auto *CE = llvm::dyn_cast<CallExpr>(S))
    classifyCall(CE, TC, Sums, Out);
}

//===--- constants --------------------------------------------------------===//

static uint8_t classOfName(llvm::StringRef Name, const ApiModel &Model) {
  const StateVocabulary &V = Model.vocabulary();
  if (V.isPending(Name))
    return RC_Pending;
  if (V.isReady(Name))
    return RC_Ready;
  if (V.isError(Name))
    return RC_Error;
  return RC_Other;
}

uint8_t classOfStateType(QualType T, const ApiModel &Model) {
  const auto *RD = T.isNull() ? nullptr : T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || !RD->getIdentifier())
    return 0;
  uint8_t C = classOfName(RD->getName(), Model);
  return C == RC_Other ? 0 : C;
}

uint8_t classOfConstant(const Expr *E, const ApiModel &Model, ASTContext &Ctx) {
  if (!E)
    return 0;
  const Expr *S = E->IgnoreParenImpCasts();
  if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(S))
    if (const auto *ECD = llvm::dyn_cast<EnumConstantDecl>(DRE->getDecl())) {
      if (ApiModel::hasAnnotation(ECD, "drain::pending"))
        return RC_Pending;
      if (ApiModel::hasAnnotation(ECD, "drain::ready"))
        return RC_Ready;
      return classOfName(ECD->getName(), Model);
    }
  if (const auto *BL = llvm::dyn_cast<CXXBoolLiteralExpr>(S))
    return BL->getValue() ? RC_Ready : RC_Pending;
  // A macro constant: SSL_ERROR_WANT_WRITE, EAGAIN, GNUTLS_E_AGAIN.
  SourceLocation Loc = S->getBeginLoc();
  if (Loc.isMacroID() && (llvm::isa<IntegerLiteral>(S) || llvm::isa<UnaryOperator>(S) ||
                          llvm::isa<ParenExpr>(E->IgnoreImpCasts()))) {
    llvm::StringRef Macro =
        Lexer::getImmediateMacroName(Loc, Ctx.getSourceManager(), Ctx.getLangOpts());
    if (!Macro.empty())
      return classOfName(Macro, Model);
  }
  return 0;
}

//===--- handlers ---------------------------------------------------------===//

ChannelState failureSeen(const ChannelState &Pre) {
  ChannelState S = Pre;
  S.May = static_cast<uint8_t>(S.May & ~SB_Unsent);
  if (!S.may(SB_Dirty | SB_Entry | SB_Unknown | SB_InFlight))
    S.May |= SB_Clean;
  if (!S.may(SB_NeedsFlush | SB_InFlight))
    S.Path.clear();
  return S;
}

std::optional<ChannelKey> progressCounter(const Expr *E) {
  if (!E)
    return std::nullopt;
  const auto *ME = llvm::dyn_cast<MemberExpr>(stripValue(E));
  const auto *FD = ME ? llvm::dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
  if (!FD || !FD->getType()->isIntegerType())
    return std::nullopt;
  // Walk from the counter up to the object holding it, collecting the fields on the way:
  // members of members (`c->out.len`), through raw pointers, references and smart pointers
  // (`conn->out->len` with `std::unique_ptr<Out> out`), of a variable or of `this`.
  llvm::SmallVector<const FieldDecl *, 4> Up{FD};
  const Expr *Base = ME->getBase();
  for (unsigned Steps = 0; Base && Steps < 8; ++Steps) {
    Base = Base->IgnoreParenImpCasts();
    if (const auto *Inner = llvm::dyn_cast<MemberExpr>(Base)) {
      const auto *F = llvm::dyn_cast<FieldDecl>(Inner->getMemberDecl());
      if (!F || Up.size() >= 4)
        return std::nullopt;
      Up.push_back(F);
      Base = Inner->getBase();
      continue;
    }
    // `*p` on a raw pointer: the same object as `p->`.
    if (const auto *UO = llvm::dyn_cast<UnaryOperator>(Base)) {
      if (UO->getOpcode() != UO_Deref)
        return std::nullopt;
      Base = UO->getSubExpr();
      continue;
    }
    // A smart pointer's `->` or `*`: the object it holds stands in the pointer's place.
    if (const auto *OC = llvm::dyn_cast<CXXOperatorCallExpr>(Base)) {
      if ((OC->getOperator() != OO_Arrow && OC->getOperator() != OO_Star) ||
          OC->getNumArgs() != 1)
        return std::nullopt;
      Base = OC->getArg(0);
      continue;
    }
    // `out_.get()->len`: the pointer a smart pointer holds.
    if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(Base)) {
      const CXXMethodDecl *MD = MC->getMethodDecl();
      if (!MD || MC->getNumArgs() != 0 || !MD->getIdentifier() || MD->getName() != "get" ||
          !MD->getReturnType()->isPointerType())
        return std::nullopt;
      Base = MC->getImplicitObjectArgument();
      continue;
    }
    ChannelKey K;
    if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(Base)) {
      K.Root = llvm::dyn_cast<VarDecl>(DRE->getDecl());
      if (!K.Root)
        return std::nullopt;
    } else if (!llvm::isa<CXXThisExpr>(Base)) {
      return std::nullopt;
    }
    K.Fields.assign(Up.rbegin(), Up.rend());
    return K;
  }
  return std::nullopt;
}

namespace transfer {

namespace {
/// The state after a write whose bytes may not all have left: Unsent joins what was there.
ChannelState unsentAfter(const ChannelState &Pre, const Stmt *S) {
  ChannelState Short = Pre;
  Short.May = static_cast<uint8_t>((Pre.May & ~SB_Clean) | SB_Unsent);
  Short.addEvent({PathEventKind::ShortCount, S, nullptr, 0});
  return Short;
}

/// The classes a call's enum-like result can take: those of its enumerators (RC_Other only
/// when one of them has no pending/ready/error name), or all of them when unknown.
uint8_t possibleClasses(const Event &E, const TransferContext &TC) {
  const auto *CE = llvm::dyn_cast_or_null<CallExpr>(E.S);
  if (!CE)
    return RC_All;
  ResultTypeInfo Info = classifyResultType(CE->getType(), TC.Model);
  if (!Info.StateEnum)
    // A class that answers is_pending()/is_ready(): pending or not, nothing else.
    return Info.Shape == ResultShape::PendingState ? RC_Pending | RC_Ready | RC_Error : RC_All;
  uint8_t Classes = 0;
  for (const EnumConstantDecl *C : Info.StateEnum->enumerators())
    Classes |= llvm::is_contained(Info.Pending, C) ? RC_Pending
               : llvm::is_contained(Info.Ready, C) ? RC_Ready
               : llvm::is_contained(Info.Error, C) ? RC_Error
                                                   : RC_Other;
  return Classes ? Classes : RC_All;
}

/// True when the write cannot be short: one byte, a small constant length to what may be a
/// pipe or an eventfd, a datagram (the table drain-partial-write uses, WholeWrites.h).
bool cannotBeShort(const Event &E, const TransferContext &TC) {
  const auto *CE = llvm::dyn_cast_or_null<CallExpr>(E.S);
  return CE && E.Row && wholeWrite(CE, *E.Row, TC.Model, TC.Ctx) != WholeWrite::No;
}

ChannelState joined(const ClassEffect &CE) {
  ChannelState S;
  for (const ChannelState &C : CE.PerClass)
    S.join(C);
  return S;
}

void bindExprFact(FlowState &St, const Stmt *S, Fact F) {
  if (const auto *E = llvm::dyn_cast<Expr>(S))
    St.Exprs[stripValue(E)] = std::move(F);
}

const Fact *factOf(const FlowState &St, const Expr *E) {
  if (!E)
    return nullptr;
  E = stripValue(E);
  if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(E))
    return St.factOfVar(DRE->getDecl());
  // A field counting a write-all loop's progress (only such facts are kept for fields).
  if (std::optional<ChannelKey> Counter = progressCounter(E))
    if (const Fact *P = St.factOfCounter(*Counter))
      return P;
  auto It = St.Exprs.find(E);
  return It == St.Exprs.end() ? nullptr : &It->second;
}

/// The fact of \p E, or, when \p E reads a part of a value that has one (`r.state`,
/// `*r`, `r.failed`), that value's fact seen as the part.
std::optional<Fact> factOrPart(const FlowState &St, const Expr *E, const ApiModel &Model) {
  if (const Fact *F = factOf(St, E))
    return *F;
  std::optional<PartRead> P = readPart(E, Model);
  if (!P || P->Part == ResultPart::Unrelated)
    return std::nullopt;
  const Fact *Base = factOf(St, P->Base);
  if (!Base || Base->Part != ResultPart::Whole || Base->Shape != FactShape::Enum)
    return std::nullopt;
  Fact Copy = *Base;
  Copy.Part = P->Part;
  return Copy;
}

bool isConditionLike(const Expr *E) {
  E = stripValue(E);
  // `r.ok() ? *r == Poll::Ready : false`: a choice between conditions.
  if (const auto *CO = llvm::dyn_cast<ConditionalOperator>(E)) {
    auto Arm = [](const Expr *A) {
      return llvm::isa<CXXBoolLiteralExpr>(stripValue(A)) || isConditionLike(A);
    };
    return Arm(CO->getTrueExpr()) && Arm(CO->getFalseExpr());
  }
  if (const auto *BO = llvm::dyn_cast<BinaryOperator>(E))
    return BO->isComparisonOp() || BO->isLogicalOp();
  if (const auto *UO = llvm::dyn_cast<UnaryOperator>(E))
    return UO->getOpcode() == UO_LNot;
  if (const auto *OC = llvm::dyn_cast<CXXOperatorCallExpr>(E))
    return OC->getOperator() == OO_EqualEqual || OC->getOperator() == OO_ExclaimEqual;
  return false;
}
} // namespace

const Expr *handedResult(const FlowState &St, const Expr *E, const ApiModel &Model) {
  const auto *CE = E ? llvm::dyn_cast<CallExpr>(stripValue(E)) : nullptr;
  if (!CE)
    return nullptr;
  // A call whose own answer is evidence about a channel (SSL_get_error(ssl, n)) is read as such.
  if (const Fact *Own = factOf(St, CE); Own && !Own->Effects.empty())
    return nullptr;
  for (const Expr *Arg : CE->arguments()) {
    std::optional<Fact> F = factOrPart(St, Arg, Model);
    if (F && (F->Part == ResultPart::Whole || F->Part == ResultPart::State) &&
        (F->Shape == FactShape::Enum || F->Shape == FactShape::Bool ||
         F->Shape == FactShape::Signed))
      return Arg;
  }
  return nullptr;
}

/// The fact of a call's value: its shape and the classes it can take.
Fact resultFact(const Event &E, FactShape Shape, uint8_t Classes) {
  Fact F;
  F.Origin = E.S;
  F.Shape = Shape;
  F.Classes = Classes;
  return F;
}

/// The call's channel takes the join of \p CE's classes, and the call's value carries \p F
/// with that split, so a test of the value sets the channel again per class.
void splitByResult(FlowState &St, const Event &E, Fact F, ClassEffect CE) {
  St.set(CE.Key, joined(CE));
  F.Effects.push_back(std::move(CE));
  bindExprFact(St, E.S, std::move(F));
}

// A write with a count (send, write, SSL_write, SSL_write_ex): a short count leaves bytes
// unsent; the count's fact says which.
void write(const Event &E, FlowState &St, const TransferContext &Ctx) {
  const ChannelKey &K = *E.Channel;
  ChannelState Pre = St.get(K);
  St.invalidateFacts(K);
  if (E.Result == ResultKind::ItemCount) // stdio: short only on error, and fclose flushes
    return;
  ChannelState Short = unsentAfter(Pre, E.S);
  Fact F = resultFact(E, FactShape::Count, RC_Ready | RC_Pending | RC_Error);
  ClassEffect CE;
  CE.Key = K;
  CE.PerClass[classIndex(RC_Ready)] = Pre;
  CE.PerClass[classIndex(RC_Pending)] = Short;
  switch (E.Result) {
  case ResultKind::TlsCount:
    // <= 0 is a failure or WANT_WRITE; SSL_get_error tells them apart.
    F.TrueIsPending = true; // marks the TLS reading of counts, see refineCount
    CE.PerClass[classIndex(RC_Error)] = Short;
    break;
  case ResultKind::Bool:
    F.Shape = FactShape::Bool;
    F.Classes = RC_Ready | RC_Pending;
    break;
  default:
    CE.PerClass[classIndex(RC_Error)] = failureSeen(Pre);
    // Written whole or not at all (a self-pipe's wake-up, an eventfd, a datagram).
    if (cannotBeShort(E, Ctx)) {
      F.Classes = RC_Ready | RC_Error;
      CE.PerClass[classIndex(RC_Pending)] = ChannelState();
    }
    break;
  }
  splitByResult(St, E, std::move(F), std::move(CE));
  // sendfile(out, in, &offset, n): a local whose address the write takes is advanced by it,
  // so `while (offset < size && sendfile(...) >= 0)` is a write-all loop.
  if (const auto *Call = llvm::dyn_cast<CallExpr>(E.S))
    for (const Expr *A : Call->arguments()) {
      const auto *UO = llvm::dyn_cast<UnaryOperator>(A->IgnoreParenImpCasts());
      if (!UO || UO->getOpcode() != UO_AddrOf)
        continue;
      const auto *DRE = llvm::dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParenImpCasts());
      const auto *VD = DRE ? llvm::dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
      if (!VD || !VD->getType()->isIntegerType() || !VD->isLocalVarDecl())
        continue;
      Fact P;
      P.Shape = FactShape::Progress;
      P.Origin = E.S;
      ClassEffect PK;
      PK.Key = K;
      P.Effects.push_back(std::move(PK));
      St.Vars[VD] = std::move(P);
    }
}

// Bytes appended to a write buffer (out_buf_.append, poll_write, bufferevent_write): dirty
// until a flush is confirmed or the buffer is seen empty.
// With a status result (bufferevent_write's 0 or -1), the failure queued nothing: on that
// class the buffer is as it was, and the failure is seen (closing then loses nothing).
void bufferedWrite(const Event &E, FlowState &St, const TransferContext &) {
  const ChannelKey &K = *E.Channel;
  ChannelState Pre = St.get(K);
  St.invalidateFacts(K);
  ChannelState S = Pre;
  S.May = static_cast<uint8_t>((S.May & ~SB_Clean) | SB_Dirty);
  S.addEvent({PathEventKind::Written, E.S, nullptr, 0});
  if (E.Result != ResultKind::Status) {
    St.set(K, std::move(S));
    return;
  }
  ClassEffect CE;
  CE.Key = K;
  CE.PerClass[classIndex(RC_Ready)] = S;
  CE.PerClass[classIndex(RC_Error)] = failureSeen(Pre);
  splitByResult(St, E, resultFact(E, FactShape::Status, RC_Ready | RC_Error), std::move(CE));
}

// A write that writes everything or fails (asio::write, write_all); with a pending-like
// result (send_all returning Poll) the pending class leaves bytes unsent.
void composedWrite(const Event &E, FlowState &St, const TransferContext &TC) {
  const ChannelKey &K = *E.Channel;
  ChannelState Pre = St.get(K);
  St.invalidateFacts(K);
  if (E.Result != ResultKind::PendingState && E.Result != ResultKind::Bool)
    return;
  bool Bool = E.Result == ResultKind::Bool;
  ClassEffect CE;
  CE.Key = K;
  CE.PerClass[classIndex(RC_Ready)] = Pre;
  CE.PerClass[classIndex(RC_Pending)] = unsentAfter(Pre, E.S);
  CE.PerClass[classIndex(RC_Error)] = failureSeen(Pre);
  if (!Bool)
    CE.PerClass[classIndex(RC_Other)] = CE.PerClass[classIndex(RC_Pending)];
  splitByResult(St, E,
                resultFact(E, Bool ? FactShape::Bool : FactShape::Enum,
                           Bool ? RC_Ready | RC_Pending : possibleClasses(E, TC)),
                std::move(CE));
}

// A flush: finished (clean) on its Ready class, failed-and-seen on Error, still holding the
// data on Pending; a blocking flush (status, error_code) finishes or fails.
void flush(const Event &E, FlowState &St, const TransferContext &TC) {
  const ChannelKey &K = *E.Channel;
  ChannelState Pre = St.get(K);
  St.invalidateFacts(K);
  ChannelState Done = Pre;
  Done.clean();
  if (E.Result == ResultKind::Awaitable) {
    // Finished only when awaited (the Await row cleans it).
    ChannelState P = Pre;
    if (P.may(SB_NeedsFlush | SB_Entry))
      P.addEvent({PathEventKind::FlushUnconfirmed, E.S, nullptr, 0});
    St.set(K, std::move(P));
    return;
  }
  if (E.Result != ResultKind::PendingState && E.Result != ResultKind::Bool &&
      E.Result != ResultKind::TlsCount && E.Result != ResultKind::ByteCount &&
      E.Result != ResultKind::SignedState) {
    St.set(K, std::move(Done));
    return;
  }
  ChannelState Pending = Pre;
  if (Pending.may(SB_NeedsFlush | SB_Entry))
    Pending.addEvent({PathEventKind::FlushUnconfirmed, E.S, nullptr, 0});
  // A flush the project wrote itself (an inferred role, or one emitted as a model file and
  // fed back: family "inferred") answers "pending" only when its buffer still holds data:
  // that answer is proof, not a maybe, even for a C struct whose buffer drain cannot name.
  if (E.Row && (E.Row->Origin == RowOrigin::Inferred || E.Row->Family == "inferred"))
    Pending.May = static_cast<uint8_t>((Pending.May & ~SB_Clean) | SB_Dirty);
  Fact F = resultFact(E, FactShape::Count, RC_Ready | RC_Pending | RC_Error);
  F.FromFlush = true;
  ClassEffect CE;
  CE.Key = K;
  CE.PerClass[classIndex(RC_Ready)] = Done;
  CE.PerClass[classIndex(RC_Pending)] = Pending;
  CE.PerClass[classIndex(RC_Error)] = Done; // the failure is seen: closing now loses nothing silently
  if (E.Result == ResultKind::Bool) {
    F.Shape = FactShape::Bool;
    F.Classes = RC_Ready | RC_Pending;
  } else if (E.Result == ResultKind::SignedState) {
    F.Shape = FactShape::Signed;
    F.TrueIsPending = E.Row && E.Row->ZeroIsPending;
    F.Classes = RC_Ready | RC_Pending | RC_Error;
  } else if (E.Result == ResultKind::PendingState) {
    F.Shape = FactShape::Enum;
    F.Classes = possibleClasses(E, TC);
    CE.PerClass[classIndex(RC_Other)] = Pending; // a state we cannot name: not proof
  }
  splitByResult(St, E, std::move(F), std::move(CE));
}

// A test of the buffer's emptiness: its true/false (or zero/non-zero size) edges refine.
void emptyTest(const Event &E, FlowState &St, const TransferContext &) {
  const ChannelKey &K = *E.Channel;
  ChannelState Pre = St.get(K);
  ChannelState Empty = Pre;
  Empty.clean();
  Fact F;
  F.Origin = E.S;
  F.Shape = E.IsSize ? FactShape::Size : FactShape::Bool;
  F.TrueIsPending = E.TrueIsPending;
  F.Classes = RC_Ready | RC_Pending;
  ClassEffect CE;
  CE.Key = K;
  CE.PerClass[classIndex(RC_Ready)] = std::move(Empty);
  CE.PerClass[classIndex(RC_Pending)] = Pre;
  F.Effects.push_back(std::move(CE));
  // An empty buffer owes nothing on the channels below its owner either (`c->sfd` under `c`
  // when `bipbuf_used(c->buf)` answers 0).
  for (const auto &KV : St.Channels) {
    if (KV.first == K || !K.isPrefixOf(KV.first))
      continue;
    ClassEffect Below;
    Below.Key = KV.first;
    Below.PerClass[classIndex(RC_Ready)] = KV.second;
    Below.PerClass[classIndex(RC_Ready)].clean();
    Below.PerClass[classIndex(RC_Pending)] = KV.second;
    F.Effects.push_back(std::move(Below));
  }
  bindExprFact(St, E.S, std::move(F));
}

// clear() on the buffer: the program drops the data on purpose; nothing is lost by accident.
void bufferClear(const Event &E, FlowState &St, const TransferContext &) {
  const ChannelKey &K = *E.Channel;
  ChannelState S = St.get(K);
  St.invalidateFacts(K);
  S.clean();
  St.set(K, std::move(S));
}

// A completion (shutdown, close): the diagnoser judges the state before it; afterwards
// nothing more can be lost on this channel.
void completion(const Event &E, FlowState &St, const TransferContext &) {
  const ChannelKey &K = *E.Channel;
  St.invalidateFacts(K);
  ChannelState S = ChannelState::of(SB_Clean);
  // Everything below the channel (its members) is done as well.
  for (auto &KV : St.Channels)
    if (K.isPrefixOf(KV.first))
      KV.second = S;
  St.set(K, std::move(S));
}

// An asynchronous write: in flight until awaited or its handler runs.
void asyncWrite(const Event &E, FlowState &St, const TransferContext &) {
  const ChannelKey &K = *E.Channel;
  ChannelState S = St.get(K);
  St.invalidateFacts(K);
  S.May = static_cast<uint8_t>((S.May & ~SB_Clean) | SB_InFlight);
  S.addEvent({PathEventKind::AsyncStarted, E.S, nullptr, 0});
  St.set(K, std::move(S));
}

// co_await of an operation: it has finished when the coroutine resumes (a flush is confirmed
// by the awaited value's absence of error, which the coroutine would have thrown).
void await(const Event &E, FlowState &St, const TransferContext &) {
  const ChannelKey &K = *E.Channel;
  ChannelState S = St.get(K);
  S.May = static_cast<uint8_t>(S.May & ~SB_InFlight);
  if (E.Row && (E.Row->Kind == OpKind::Flush || E.Row->Kind == OpKind::Sync))
    S.clean();
  else if (S.May == 0)
    S.May = SB_Clean;
  St.set(K, std::move(S));
}

/// Removes \p S's short-count bit; without other dirt, \p S is clean.
void dropUnsent(ChannelState &S) {
  if (!S.may(SB_Unsent))
    return;
  S.May = static_cast<uint8_t>(S.May & ~SB_Unsent);
  if (!S.may(SB_Dirty))
    S.clean();
}

// A call to a function defined in this TU: its exit states per result class replace
// SB_Entry with the caller's state; the call's value carries the split per class.
void summaryCall(const Event &E, FlowState &St, const TransferContext &) {
  const FunctionSummary &Sum = *E.Summary;
  Fact F;
  F.Origin = E.S;
  F.Shape = Sum.ResultShape;
  F.TrueIsPending = Sum.TrueIsPending;
  F.Classes = Sum.ReturnClasses ? Sum.ReturnClasses : RC_Other;
  for (const SummaryChannel &SC : Sum.Channels) {
    auto CK = mapKey(SC.Key, Sum.FD, E.Object, E.Args);
    if (!CK)
      continue;
    ChannelState Pre = St.get(*CK);
    ClassEffect CE;
    CE.Key = *CK;
    bool Changes = false;
    // The state after the call while its result is not tested: every exit as it left the
    // channel, a failure's unsent bytes included (a caller that ignores the failure has not
    // handled it).
    ChannelState After;
    for (unsigned C = 0; C < NumResultClasses; ++C) {
      if (SC.Exit[C].isBottom())
        continue;
      CE.PerClass[C] = substitute(SC.Exit[C], Pre, E.S, Sum.FD);
      // The short count of a write-all that waits out would-block is never its caller's to
      // finish: it went round again itself, and left early only because it gave up on a
      // failure or after its retry budget (sofia-sip's ws_raw_write). Nothing is left that
      // waiting could still send; what is left to do is to close, and a failure nobody
      // tested is drain-discarded-io-result's. Data it buffered itself (Dirty) stays.
      if (E.GivesUpOnlyOnFailure && !Pre.may(SB_Unsent))
        dropUnsent(CE.PerClass[C]);
      After.join(CE.PerClass[C]);
      // The callee reported a failure: a caller that tests for it sees it, and what is left
      // unsent is its error handling's business (as for a failed send()).
      if ((1u << C) == RC_Error)
        CE.PerClass[C].clean();
      Changes |= CE.PerClass[C] != Pre;
    }
    if (!Changes && After == Pre)
      continue;
    St.invalidateFacts(*CK);
    if (After.isBottom()) // the callee never returns
      continue;
    St.set(*CK, After);
    F.Effects.push_back(std::move(CE));
  }
  // Even a single class is worth knowing: a test for another one is an edge never taken.
  if (F.Classes != RC_Other)
    bindExprFact(St, E.S, std::move(F));
}

// A call we cannot see into may flush, drain or close what it is handed: unknown.
void opaqueCall(const Event &E, FlowState &St, const TransferContext &) {
  for (const ChannelKey &K : E.Touched) {
    bool Tracked = false;
    for (auto &KV : St.Channels)
      if (K.isPrefixOf(KV.first) || KV.first.isPrefixOf(K)) {
        KV.second.May = static_cast<uint8_t>((KV.second.May & SB_InFlight) | SB_Unknown);
        KV.second.Path.clear();
        Tracked |= KV.first == K;
      }
    if (!Tracked)
      St.set(K, ChannelState::of(SB_Unknown));
    St.invalidateFacts(K);
  }
}

// `T v = e;` / `v = e;`: v carries e's fact; a bool initialized from a condition remembers it.
void bindVar(const Event &E, FlowState &St, const TransferContext &TC) {
  const bool Bool = E.Var->getType()->isBooleanType();
  if (Bool && handedResult(St, E.Source, TC.Model)) {
    Fact D;
    D.Shape = FactShape::Derived;
    D.Origin = stripValue(E.Source);
    St.Vars[E.Var] = std::move(D);
    return;
  }
  if (std::optional<Fact> F = factOrPart(St, E.Source, TC.Model)) {
    St.Vars[E.Var] = std::move(*F);
    return;
  }
  if (Bool && isConditionLike(E.Source)) {
    Fact D;
    D.Shape = FactShape::Derived;
    D.Origin = stripValue(E.Source);
    St.Vars[E.Var] = std::move(D);
    return;
  }
  St.Vars.erase(E.Var);
}

// off += n / len -= n with n a write's count: the loop that tests off (or len) writes all.
void countUpdate(const Event &E, FlowState &St, const TransferContext &) {
  const Fact *F = factOf(St, E.Source);
  if (!F || F->Shape != FactShape::Count || F->Effects.empty())
    return; // `off += 5` keeps whatever off was evidence of
  Fact P;
  P.Shape = FactShape::Progress;
  P.Remaining = E.Remaining;
  P.Origin = E.S;
  for (const ClassEffect &CE : F->Effects) {
    ClassEffect K;
    K.Key = CE.Key;
    P.Effects.push_back(std::move(K));
  }
  if (E.Counter)
    St.Counters[*E.Counter] = std::move(P);
  else
    St.Vars[E.Var] = std::move(P);
}

// A subexpression's fact becomes the enclosing expression's (a statement expression's value).
void passFact(const Event &E, FlowState &St, const TransferContext &TC) {
  if (std::optional<Fact> F = factOrPart(St, E.Source, TC.Model))
    bindExprFact(St, E.S, std::move(*F));
}

// SSL_get_error(ssl, n): WANT_WRITE/WANT_READ (pending) keep n's short state; any other
// answer is a failure the program now knows about.
void errorQuery(const Event &E, FlowState &St, const TransferContext &) {
  const Fact *F = factOf(St, E.Source);
  if (!F || F->Effects.empty())
    return;
  Fact Q;
  Q.Shape = FactShape::Enum;
  Q.Origin = E.S;
  Q.Classes = RC_All;
  for (const ClassEffect &CE : F->Effects) {
    ClassEffect N;
    N.Key = CE.Key;
    const ChannelState &Ok = CE.PerClass[classIndex(RC_Ready)];
    N.PerClass[classIndex(RC_Pending)] = CE.PerClass[classIndex(RC_Pending)];
    N.PerClass[classIndex(RC_Ready)] = Ok;
    N.PerClass[classIndex(RC_Error)] = failureSeen(Ok);
    N.PerClass[classIndex(RC_Other)] = failureSeen(Ok);
    Q.Effects.push_back(std::move(N));
  }
  bindExprFact(St, E.S, std::move(Q));
}

// `ASSERT_EQ(send(fd, p, n), n)`: gtest's EqHelper::Compare (any helper taking the count with
// another value and answering bool) compares the count for us. We do not look into the helper:
// the count counts as compared, the short class becomes a seen failure, as after `n != len`.
void handOff(const Event &E, FlowState &St, const TransferContext &) {
  const Expr *Arg = stripValue(E.Source);
  const auto *DRE = llvm::dyn_cast<DeclRefExpr>(Arg);
  Fact *F = nullptr;
  if (DRE) {
    auto It = St.Vars.find(DRE->getDecl());
    F = It == St.Vars.end() ? nullptr : &It->second;
  } else {
    auto It = St.Exprs.find(Arg);
    F = It == St.Exprs.end() ? nullptr : &It->second;
  }
  if (!F || F->Shape != FactShape::Count || F->Tested)
    return;
  F->Tested = true;
  F->Classes = static_cast<uint8_t>(F->Classes & (RC_Ready | RC_Error));
  for (const ClassEffect &CE : F->Effects) {
    ChannelState S = CE.PerClass[classIndex(RC_Ready)];
    S.join(failureSeen(S));
    St.set(CE.Key, std::move(S));
  }
}

} // namespace transfer

//===--- the table --------------------------------------------------------===//

TransferTable TransferTable::standard() {
  TransferTable T;
  T.set(EventKind::Write, transfer::write, "a write with a count: short counts leave bytes unsent");
  T.set(EventKind::BufferedWrite, transfer::bufferedWrite, "bytes queued in a write buffer: dirty until flushed");
  T.set(EventKind::ComposedWrite, transfer::composedWrite, "writes everything or fails");
  T.set(EventKind::Flush, transfer::flush, "a flush: clean only on its Ready (or error) class");
  T.set(EventKind::EmptyTest, transfer::emptyTest, "an emptiness test: its edges refine");
  T.set(EventKind::BufferClear, transfer::bufferClear, "the buffer dropped on purpose");
  T.set(EventKind::Shutdown, transfer::completion, "shutdown: judged by the diagnoser, then done");
  T.set(EventKind::Close, transfer::completion, "close: judged by the diagnoser, then done");
  T.set(EventKind::AsyncShutdown, transfer::completion, "asynchronous shutdown: a completion");
  T.set(EventKind::Destroy, transfer::completion, "an owned object reset or deleted: a completion");
  T.set(EventKind::AsyncWrite, transfer::asyncWrite, "an asynchronous write: in flight");
  T.set(EventKind::Await, transfer::await, "co_await of an operation: it has finished");
  T.set(EventKind::SummaryCall, transfer::summaryCall, "a call to a function with a summary");
  T.set(EventKind::OpaqueCall, transfer::opaqueCall, "an unknown callee: what it is handed becomes unknown");
  T.set(EventKind::BindVar, transfer::bindVar, "a variable takes its initializer's fact");
  T.set(EventKind::CountUpdate, transfer::countUpdate, "a write-all loop's progress (off += n)");
  T.set(EventKind::PassFact, transfer::passFact, "a statement expression's value keeps its fact");
  T.set(EventKind::ErrorQuery, transfer::errorQuery, "SSL_get_error: WANT_WRITE is still pending");
  T.set(EventKind::HandOff, transfer::handOff, "a count handed to a comparison helper is compared");
  // Cancel has no row: what it means for in-flight writes is drain-close-during-async-write's.
  return T;
}

void TransferTable::set(EventKind Kind, TransferHandler Handler, const char *Models) {
  Rows[static_cast<size_t>(Kind)] = TransferRow{Kind, Handler, Models};
}

const TransferRow *TransferTable::row(EventKind Kind) const {
  const auto &R = Rows[static_cast<size_t>(Kind)];
  return R ? &*R : nullptr;
}

void TransferTable::classify(const Stmt *S, const TransferContext &Ctx, SummaryStore *Sums,
                             llvm::SmallVectorImpl<Event> &Out) const {
  (Classifier ? Classifier : classifyStmt)(S, Ctx, Sums, Out);
}

void TransferTable::apply(const Event &E, FlowState &State, const TransferContext &Ctx) const {
  const TransferRow *R = row(E.Kind);
  if (!R || !R->Handler)
    return;
  // Handlers that act on a channel need one; the classifier only emits such events with it.
  R->Handler(E, State, Ctx);
}

} // namespace drain
