//===--- ShutdownBeforeFlush.cpp - findings read off a finished flow analysis -------===//
#include "analysis/checks/ShutdownBeforeFlush.h"
#include "analysis/flow/ConnectionMethods.h"
#include "analysis/flow/RoleInference.h"
#include "analysis/core/DiscardClassifier.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include <memory>

using namespace clang;

namespace drain {

namespace {

enum class Dirt { None, Buffered, Unsent, Entry };

Dirt dirtOf(const ChannelState &S, bool EntryDirty) {
  if (S.may(SB_Dirty))
    return Dirt::Buffered;
  if (S.may(SB_Unsent))
    return Dirt::Unsent;
  if (EntryDirty && S.may(SB_Entry))
    return Dirt::Entry;
  return Dirt::None;
}

std::string nameOf(const Decl *D) {
  if (const auto *ND = llvm::dyn_cast_or_null<NamedDecl>(D))
    return ND->getNameAsString();
  return "the callee";
}

std::string calleeOf(const Stmt *S) {
  if (const auto *CE = llvm::dyn_cast_or_null<CallExpr>(S))
    if (const FunctionDecl *FD = CE->getDirectCallee())
      return FD->getNameAsString();
  return "the call";
}

SourceLocation locOf(const Stmt *S) {
  if (const auto *E = llvm::dyn_cast_or_null<Expr>(S))
    return E->getExprLoc();
  return S ? S->getBeginLoc() : SourceLocation();
}

class Writer {
public:
  Writer(const FunctionAnalysis &A, const ChannelResolver &Channels, ASTContext &Ctx)
      : A(A), Channels(Channels), Ctx(Ctx) {}

  /// \p Destroyed: for a Destroy, the owning pointer whose object ends (`io_`, `socket_`).
  void completion(const Stmt *Site, EventKind Kind, const ChannelKey &K, const ChannelState &S,
                  Dirt D, const FunctionDecl *Via, const Stmt *ViaSite,
                  const Expr *Destroyed = nullptr, bool ViaDeclaredOnly = false);
  std::vector<Finding> take() { return std::move(Out); }

private:
  std::string subject(const ChannelKey &K) const;
  std::string text(const Expr *E) const;
  bool discarded(const Stmt *S);
  void pathNotes(const ChannelState &S, Finding &F);

  const FunctionAnalysis &A;
  const ChannelResolver &Channels;
  ASTContext &Ctx;
  std::unique_ptr<DiscardClassifier> Discards;
  std::vector<Finding> Out;
};

std::string Writer::subject(const ChannelKey &K) const {
  if (K.isThisRooted() && K.Fields.empty())
    return "the connection";
  return "'" + K.str() + "'";
}

std::string Writer::text(const Expr *E) const {
  if (!E)
    return "";
  const SourceManager &SM = Ctx.getSourceManager();
  CharSourceRange R = CharSourceRange::getTokenRange(E->getSourceRange());
  return Lexer::getSourceText(R, SM, Ctx.getLangOpts()).str();
}

bool Writer::discarded(const Stmt *S) {
  const auto *E = llvm::dyn_cast_or_null<Expr>(S);
  if (!E)
    return false;
  if (!Discards)
    Discards = std::make_unique<DiscardClassifier>(Ctx);
  return Discards->classify(E).discarded();
}

void Writer::pathNotes(const ChannelState &S, Finding &F) {
  for (const PathEvent &E : S.Path) {
    FindingNote N;
    N.Loc = locOf(E.S);
    switch (E.Kind) {
    case PathEventKind::Written:
      N.Text = "data written here";
      break;
    case PathEventKind::ShortCount:
      N.Text = discarded(E.S)
                      ? "the count '" + calleeOf(E.S) +
                            "' returns is discarded here; a short write leaves the rest unsent"
                      : "'" + calleeOf(E.S) +
                            "' may write less than asked; this path does not check that it "
                            "wrote everything";
      break;
    case PathEventKind::FlushUnconfirmed:
      N.Text = discarded(E.S)
                      ? "flush result discarded here; the buffer may still hold data"
                      : "flush result not confirmed here; the buffer may still hold data";
      break;
    case PathEventKind::CheckedOnlyForErrors:
      N.Text = "only the error state is checked here; a pending flush falls through";
      break;
    case PathEventKind::FlushPending:
      N.Text = "on this path the result says the data is still pending";
      break;
    case PathEventKind::CallLeftDirty:
      N.Text = "'" + nameOf(E.D) + "' can return here with data not yet sent";
      break;
    case PathEventKind::ReturnedDirty: {
      const auto *RS = llvm::dyn_cast_or_null<ReturnStmt>(E.S);
      std::string Value = RS ? text(RS->getRetValue()) : "";
      N.Text = Value.empty()
                      ? "'" + nameOf(E.D) + "' returns here with data not yet sent"
                      : "'" + nameOf(E.D) + "' returns " + Value +
                            " here while the buffer may still hold data";
      break;
    }
    case PathEventKind::AsyncStarted:
      N.Text = "asynchronous write started here";
      break;
    }
    if (N.Loc.isValid())
      F.Notes.push_back(std::move(N));
  }
}

void Writer::completion(const Stmt *Site, EventKind Kind, const ChannelKey &K,
                        const ChannelState &S, Dirt D, const FunctionDecl *Via,
                        const Stmt *ViaSite, const Expr *Destroyed, bool ViaDeclaredOnly) {
  std::string Verb = Kind == EventKind::Shutdown || Kind == EventKind::AsyncShutdown
                         ? "shut down"
                         : "closed";
  if (Via)
    Verb += " by '" + Via->getNameAsString() + "'";
  if (Kind == EventKind::Destroy && Destroyed) {
    // `io_.reset()` ends io_ itself; `socket_.reset()` in a connection class ends the
    // connection's transport.
    std::string Name = text(Destroyed);
    bool Itself = !(K.isThisRooted() && K.Fields.empty()) && K.str() == Name;
    Verb = Itself ? std::string("destroyed") : "closed by destroying '" + Name + "'";
  }
  Finding F;
  F.Loc = locOf(Site);
  const FieldDecl *Buf = nullptr;
  if (D == Dirt::Entry)
    Buf = Channels.bufferMember(Channels.classOf(K, A.ThisClass));
  switch (D) {
  case Dirt::Buffered:
    F.Message = subject(K) + " is " + Verb + " while its write buffer may still hold data";
    break;
  case Dirt::Unsent:
    F.Message = subject(K) + " is " + Verb + " after a write that may not have sent everything";
    break;
  case Dirt::Entry:
    F.Message = subject(K) + " is " + Verb + " while its write buffer" +
                (Buf ? " '" + Buf->getNameAsString() + "'" : std::string()) +
                " may still hold data";
    break;
  case Dirt::None:
    return;
  }
  if (D == Dirt::Entry) {
    if (Buf)
      F.Notes.push_back({Buf->getLocation(), "'" + Buf->getNameAsString() +
                                                 "' may hold data when '" +
                                                 A.FD->getNameAsString() +
                                                 "' is called; nothing here flushes it"});
  } else {
    pathNotes(S, F);
  }
  if (Via && ViaDeclaredOnly)
    F.Notes.push_back({Via->getLocation(),
                       "'" + Via->getNameAsString() +
                           "' has no body here; a method of a class that queues its writes, "
                           "named like a close and taking no argument, is taken to close at "
                           "once and drop what is queued"});
  if (Via && ViaSite) {
    std::string What = Kind == EventKind::Destroy ? "destroys it"
                       : Kind == EventKind::Close ? "closes it"
                                                  : "shuts it down";
    F.Notes.push_back({locOf(ViaSite), "'" + Via->getNameAsString() + "' " + What +
                                           " here without flushing first"});
  }
  std::string Fix;
  switch (D) {
  case Dirt::Buffered:
    Fix = "flush first and complete only once the flush reports it finished; while it is "
          "pending, return and wait to be polled again";
    break;
  case Dirt::Unsent:
    Fix = "write the rest in a loop until everything is sent (or handle the error) before "
          "completing";
    break;
  default:
    Fix = "flush the buffer and confirm it finished, or check that it is empty, before "
          "completing";
    break;
  }
  F.Notes.push_back({F.Loc, Fix});
  Out.push_back(std::move(F));
}

/// True if \p D is named somewhere after \p Site in \p FD's body: the program looks at the
/// count after the completion (and can report a short write), so nothing is lost silently.
bool readAfter(const ValueDecl *D, const Stmt *Site, const FunctionDecl *FD, ASTContext &Ctx) {
  if (!D || !Site || !FD || !FD->getBody())
    return false;
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation After = Site->getEndLoc();
  llvm::SmallVector<const Stmt *, 32> Work{FD->getBody()};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(S))
      if (DRE->getDecl() == D && SM.isBeforeInTranslationUnit(After, DRE->getBeginLoc()))
        return true;
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return false;
}

/// True if \p FD drops its object's write buffer after \p Site (`::close(fd_); fd_ = -1;
/// out_.clear();`): a teardown that means to discard what callers queued, as an abort that
/// clears first does.
bool discardsBufferAfter(const Stmt *Site, const FunctionDecl *FD, const ChannelResolver &Channels,
                         ASTContext &Ctx) {
  if (!Site || !FD || !FD->getBody())
    return false;
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation After = Site->getEndLoc();
  llvm::SmallVector<const Stmt *, 32> Work{FD->getBody()};
  for (unsigned Steps = 0; !Work.empty() && Steps < 20000; ++Steps) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (SM.isBeforeInTranslationUnit(After, S->getBeginLoc()) && Channels.clearsOwnBuffer(S))
      return true;
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return false;
}

/// The state of a channel below \p Owner in \p O (observed with EngineOptions::ObserveBelow)
/// that may still owe data, with its dirt in \p D; null (D unchanged) when none does.
/// Keys in \p Skip are left out: a callee that writes through the member itself judges what
/// it leaves there (its own completion after its own failed write is error handling).
const ChannelState *worstBelow(const Observation &O, const ChannelKey &Owner, Dirt &D,
                               llvm::ArrayRef<ChannelKey> Skip = {}) {
  const ChannelState *Worst = nullptr;
  for (const auto &[K, S] : O.Before) {
    if (K == Owner || !Owner.isPrefixOf(K) || llvm::is_contained(Skip, K))
      continue;
    Dirt B = dirtOf(S, false);
    if (B == Dirt::Buffered || (B == Dirt::Unsent && !Worst)) {
      Worst = &S;
      D = B;
    }
  }
  return Worst;
}

} // namespace

void diagnosePendingOutputTeardown(PendingOutput &Pending, const FunctionDecl *FD,
                                   std::vector<Finding> &Out) {
  std::optional<PendingTeardown> T = Pending.teardownIn(FD);
  if (!T)
    return;
  SourceLocation Loc = locOf(T->Site);
  if (llvm::any_of(Out, [Loc](const Finding &F) { return F.Loc == Loc; }))
    return;
  std::string Buf = T->Buffer->getNameAsString(), Amount = T->Amount->getNameAsString();
  Finding F;
  F.Loc = Loc;
  F.Message = (T->Ender ? "the record is ended by '" + T->Ender->getNameAsString() + "'"
                        : std::string("the object is deleted")) +
              " while its output in '" + Buf + "' may not have been sent";
  // An output queue with no byte total beside it is its own measure.
  F.Notes.push_back({locOf(T->Drain), "the output in '" + Buf + "' is written here" +
                                          (T->Amount == T->Buffer
                                               ? std::string()
                                               : "; '" + Amount + "' says how much is left")});
  F.Notes.push_back({T->Amount->getLocation(),
                     "nothing before the teardown in '" + FD->getNameAsString() + "' tests '" +
                         Amount + "' or writes what is left"});
  if (T->Caller)
    F.Notes.push_back({locOf(T->Caller), "'" + FD->getNameAsString() +
                                             "' is called here with the output neither "
                                             "sent nor tested"});
  F.Notes.push_back({Loc, "write what is left first, or end the record only once '" + Amount +
                              "' says it is empty"});
  Out.push_back(std::move(F));
}

bool mayReportShutdownBeforeFlush(FlowEngine &Engine, const FunctionDecl *FD, ASTContext &Ctx) {
  unsigned Reach = Engine.reach(FD, Ctx);
  const auto *MD = llvm::dyn_cast_or_null<CXXMethodDecl>(FD);
  bool EntryMayHoldData = MD && !MD->isStatic();
  return (Reach & FlowEngine::ReachCompletion) &&
         ((Reach & FlowEngine::ReachData) || EntryMayHoldData);
}

std::vector<Finding> diagnoseShutdownBeforeFlush(const FunctionAnalysis &A,
                                                 const ChannelResolver &Channels,
                                                 ASTContext &Ctx) {
  Writer W(A, Channels, Ctx);
  if (A.Skipped)
    return {};
  for (const Observation &O : A.Observations) {
    const Event &E = O.E;
    switch (E.Kind) {
    case EventKind::Shutdown:
    case EventKind::Close:
    case EventKind::AsyncShutdown:
    case EventKind::Destroy: {
      if (E.FlushesFirst)
        break;
      const auto &[K, Own] = O.Before.front();
      const ChannelState *S = &Own;
      // A close drain knows only by its declaration (ConnectionMethods.h) is judged by what
      // this function queued: whether it drops what callers queued, no body here says.
      bool Declared = E.Row && E.Row->Family == DeclaredMethodFamily;
      Dirt D = dirtOf(Own, A.entryIsDirty(K) && !Declared);
      // Destroying the owner ends what its members owe: `bipbuf_free(c->buf)` after a short
      // write on `c->sfd`. (Closing one member, or an object a callee closes a member of, ends
      // only that member.)
      if (D == Dirt::None && E.Kind == EventKind::Destroy)
        if (const ChannelState *B = worstBelow(O, K, D))
          S = B;
      if (D == Dirt::Unsent && readAfter(O.UntestedCount, E.S, A.FD, Ctx))
        break;
      if (E.Kind == EventKind::Destroy && D == Dirt::Entry && releasesLastReference(E.S, A.FD))
        break;
      // Data only possibly queued by callers, ended by a method that drops the buffer after
      // the close (a teardown that clears `out_`): the end is the point, not an oversight.
      if (D == Dirt::Entry && K.isThisRooted() && K.Fields.empty() &&
          discardsBufferAfter(E.S, A.FD, Channels, Ctx))
        break;
      W.completion(E.S, E.Kind, K, *S, D, Declared ? E.Callee : nullptr, nullptr,
                   E.Kind == EventKind::Destroy ? E.Source : nullptr, Declared);
      break;
    }
    case EventKind::SummaryCall:
      // The callee completes without flushing. Data merely possible on entry is the callee's
      // own finding when the callee counts its entry as dirty (a method of the connection
      // class); when it does not (a transport below the buffer: `io_.io_mut().poll_shutdown()`
      // reaching `Socket::poll_shutdown`), the buffer is this function's, and so the finding.
      for (const CallerCompletion &C : unconfirmedCompletions(E)) {
        const SummaryChannel &SC = *C.Channel;
        // A callee that closes only when it fails (a bind step's `error: close(fd)`) or only
        // drops a reference (`conn->deref()`: the last one ends nothing in flight) ends nothing
        // this caller still uses.
        if (completesOnlyOnFailureOrRelease(SC.UnconfirmedCompletion, E.Summary->FD))
          continue;
        bool EntryDirty = !SC.JudgedByCallee && A.entryIsDirty(C.Key);
        llvm::SmallVector<ChannelKey, 4> CalleeKeys;
        for (const SummaryChannel &Other : E.Summary->Channels)
          if (auto OK = mapKey(Other.Key, E.Summary->FD, E.Object, E.Args))
            CalleeKeys.push_back(*OK);
        for (const auto &[K, S] : O.Before)
          if (K == C.Key) {
            Dirt D = dirtOf(S, EntryDirty);
            const ChannelState *Worst = &S;
            if (D == Dirt::None && SC.CompletionKind == EventKind::Destroy)
              if (const ChannelState *B = worstBelow(O, K, D, CalleeKeys))
                Worst = B;
            W.completion(E.S, SC.CompletionKind, K, *Worst, D, E.Summary->FD,
                         SC.UnconfirmedCompletion);
            break;
          }
      }
      break;
    default:
      break;
    }
  }
  return W.take();
}

} // namespace drain
