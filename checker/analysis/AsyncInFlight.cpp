//===--- AsyncInFlight.cpp - streams closed while a write is in flight ----===//
#include "analysis/AsyncInFlight.h"
#include "Compat.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseSet.h"
#include <algorithm>
#include <deque>
#include <map>

using namespace clang;

namespace drain {

namespace {

/// Names of methods that drop the front of a pending-write queue.
const char *const QueueRemovals[] = {"pop_front", "pop", "pop_back", "erase", "clear",
                                     "consume"};

const char *presentVerbOf(OpKind K) {
  switch (K) {
  case OpKind::Shutdown:
    return "shuts down";
  case OpKind::Cancel:
    return "cancels";
  default:
    return "closes";
  }
}

bool isClosing(OpKind K, const InFlightOptions &O) {
  return K == OpKind::Close || K == OpKind::Shutdown || (K == OpKind::Cancel && O.ReportCancel);
}

const char *verbOf(OpKind K) {
  switch (K) {
  case OpKind::Shutdown:
    return "shut down";
  case OpKind::Cancel:
    return "cancelled";
  default:
    return "closed";
  }
}

/// The definition's body, unless it lives in a system header (library internals).
const Stmt *userBody(const FunctionDecl *FD, const SourceManager &SM) {
  const Stmt *Body = bodyOf(FD);
  if (!Body || SM.isInSystemHeader(Body->getBeginLoc()))
    return nullptr;
  return Body;
}

/// A visitor over one function body that does not enter nested lambdas (they are functions of
/// their own) nor sizeof/alignof operands.
template <class Derived> class BodyVisitor : public RecursiveASTVisitor<Derived> {
public:
  bool shouldVisitTemplateInstantiations() const { return false; }
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool TraverseUnaryExprOrTypeTraitExpr(UnaryExprOrTypeTraitExpr *) { return true; }
};

/// Calls whose completion the function waits for: co_await-ed (also as an operand of an
/// awaitable operator such as `a && b`), or `.get()`/`.wait()` on the future they return; and
/// locals holding such a future.
struct Waits : BodyVisitor<Waits> {
  llvm::DenseSet<const CallExpr *> Done;
  llvm::DenseMap<const VarDecl *, const CallExpr *> FutureVars;

  void awaited(const Expr *E, unsigned Depth = 0) {
    E = peel(E);
    if (!E || Depth > 4)
      return;
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
      if (OC->getOperator() == OO_AmpAmp || OC->getOperator() == OO_PipePipe) {
        for (const Expr *A : OC->arguments())
          awaited(A, Depth + 1);
        return;
      }
    }
    if (const auto *CE = dyn_cast<CallExpr>(E))
      Done.insert(CE);
  }
  bool VisitCoawaitExpr(CoawaitExpr *E) {
    awaited(E->getOperand());
    return true;
  }
  bool VisitCoyieldExpr(CoyieldExpr *E) {
    awaited(E->getOperand());
    return true;
  }
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MC) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    if (!MD || !MD->getDeclName().isIdentifier() ||
        (MD->getName() != "get" && MD->getName() != "wait"))
      return true;
    if (const auto *CE = dyn_cast<CallExpr>(peel(MC->getImplicitObjectArgument())))
      Done.insert(CE);
    return true;
  }
  bool VisitVarDecl(VarDecl *VD) {
    if (VD->hasLocalStorage() && VD->getInit())
      if (const auto *CE = dyn_cast<CallExpr>(peel(VD->getInit()))) {
        FutureVars[VD] = CE;
        ResultVars[VD].push_back(CE);
      }
    return true;
  }
  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->getOpcode() == BO_Assign)
      if (const auto *DRE = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
        if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
          if (const auto *CE = dyn_cast<CallExpr>(peel(BO->getRHS())))
            ResultVars[VD].push_back(CE);
    return true;
  }
  /// Locals that hold a call's result (`r = uv_write(...)`), for status tests.
  llvm::DenseMap<const VarDecl *, llvm::SmallVector<const CallExpr *, 2>> ResultVars;
};

/// A branch on an initiating call's status (`if (uv_write(...))`, `r = uv_write(...); if (r
/// < 0)`, `ASSERT(r == 0)`): the calls it tests, and whether its true edge means failure.
/// On the failure edge nothing was queued, so nothing is in flight.
struct StatusTest {
  llvm::SmallVector<const CallExpr *, 2> Calls;
  bool TrueMeansFailure = true;
};
std::optional<StatusTest> statusTestOf(const Expr *Cond, const Waits &W, ASTContext &Ctx) {
  if (!Cond)
    return std::nullopt;
  bool Negated = false;
  const Expr *E = Cond->IgnoreParenImpCasts();
  while (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    if (UO->getOpcode() != UO_LNot)
      break;
    Negated = !Negated;
    E = UO->getSubExpr()->IgnoreParenImpCasts();
  }
  StatusTest T;
  const Expr *Subject = E;
  if (const auto *BO = dyn_cast<BinaryOperator>(E); BO && BO->isComparisonOp()) {
    const Expr *L = BO->getLHS()->IgnoreParenImpCasts();
    const Expr *R = BO->getRHS()->IgnoreParenImpCasts();
    BinaryOperatorKind Op = BO->getOpcode();
    Expr::EvalResult V;
    if (!R->isValueDependent() && R->EvaluateAsInt(V, Ctx)) {
      Subject = L;
    } else if (!L->isValueDependent() && L->EvaluateAsInt(V, Ctx)) {
      Subject = R;
      Op = BinaryOperator::reverseComparisonOp(Op);
    } else {
      return std::nullopt;
    }
    bool Zero = V.Val.getInt() == 0;
    switch (Op) {
    case BO_EQ: // r == 0 succeeded; r == UV_EPIPE failed
      T.TrueMeansFailure = !Zero;
      break;
    case BO_NE:
      if (!Zero)
        return std::nullopt;
      T.TrueMeansFailure = true;
      break;
    case BO_LT:
      if (!Zero)
        return std::nullopt;
      T.TrueMeansFailure = true;
      break;
    case BO_GE:
      if (!Zero)
        return std::nullopt;
      T.TrueMeansFailure = false;
      break;
    default:
      return std::nullopt;
    }
  }
  Subject = peel(Subject);
  if (const auto *CE = dyn_cast<CallExpr>(Subject)) {
    T.Calls.push_back(CE);
  } else if (const auto *DRE = dyn_cast<DeclRefExpr>(Subject)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    auto It = VD ? W.ResultVars.find(VD) : W.ResultVars.end();
    if (It == W.ResultVars.end())
      return std::nullopt;
    T.Calls = It->second;
  } else {
    return std::nullopt;
  }
  if (Negated)
    T.TrueMeansFailure = !T.TrueMeansFailure;
  return T;
}

/// A close, shutdown or cancel of a channel, directly (a model row) or through a helper
/// method of the same translation unit that closes one of its object's members.
struct CloseEvent {
  AsyncChannel Key;
  const CallExpr *Call = nullptr;
  const Expr *ChannelExpr = nullptr;
  OpKind Kind = OpKind::Close;
  const CallExpr *Inner = nullptr;        ///< the close inside the helper
  const FunctionDecl *Helper = nullptr;   ///< the helper method
};

/// Direct closes of `this`-rooted channels inside helper methods, one level deep.
class CloseSummaries {
public:
  CloseSummaries(const ApiModel &M, const SourceManager &SM) : M(M), SM(SM) {}

  struct Entry {
    AsyncChannel Key; ///< rooted at the helper's `this`
    OpKind Kind;
    const CallExpr *Call;
  };
  const std::vector<Entry> &of(const CXXMethodDecl *MD) {
    auto It = Cache.find(MD);
    if (It != Cache.end())
      return It->second;
    std::vector<Entry> &Out = Cache[MD];
    const Stmt *Body = userBody(MD, SM);
    if (!Body)
      return Out;
    struct V : BodyVisitor<V> {
      const ApiModel *M;
      const CXXRecordDecl *This;
      std::vector<Entry> *Out;
      bool VisitCallExpr(CallExpr *CE) {
        const FunctionDecl *Callee = CE->getDirectCallee();
        ApiOp Op = M->lookup(Callee);
        if (!Op || (Op.kind() != OpKind::Close && Op.kind() != OpKind::Shutdown &&
                    Op.kind() != OpKind::Cancel))
          return true;
        AsyncChannel K = channelOf(channelArg(CE, *Op.Entry), This);
        if (K.rootedAtThis() && K.Path.size() >= 2)
          Out->push_back({K, Op.kind(), CE});
        return true;
      }
    } Vis;
    Vis.M = &M;
    Vis.This = MD->getParent();
    Vis.Out = &Out;
    Vis.TraverseStmt(const_cast<Stmt *>(Body));
    return Out;
  }

private:
  const ApiModel &M;
  const SourceManager &SM;
  std::map<const CXXMethodDecl *, std::vector<Entry>> Cache;
};

/// The close events of one call: a model row, or a helper method's summary.
void closeEventsOf(const CallExpr *CE, const CXXRecordDecl *ThisClass, const ApiModel &M,
                   CloseSummaries &Summaries, llvm::SmallVectorImpl<CloseEvent> &Out) {
  const FunctionDecl *Callee = CE->getDirectCallee();
  if (!Callee)
    return;
  if (ApiOp Op = M.lookup(Callee)) {
    if (Op.kind() != OpKind::Close && Op.kind() != OpKind::Shutdown &&
        Op.kind() != OpKind::Cancel)
      return;
    CloseEvent E;
    E.ChannelExpr = channelArg(CE, *Op.Entry);
    E.Key = channelOf(E.ChannelExpr, ThisClass);
    E.Call = CE;
    E.Kind = Op.kind();
    if (E.Key.valid())
      Out.push_back(E);
    return;
  }
  const auto *MC = dyn_cast<CXXMemberCallExpr>(CE);
  const CXXMethodDecl *MD = MC ? MC->getMethodDecl() : nullptr;
  if (!MD || MD->isStatic())
    return;
  const auto &Entries = Summaries.of(MD);
  if (Entries.empty())
    return;
  AsyncChannel Object = channelOf(MC->getImplicitObjectArgument(), ThisClass);
  if (!Object.valid())
    return;
  for (const auto &S : Entries) {
    CloseEvent E;
    E.Key.Path = Object.Path;
    E.Key.Path.append(S.Key.Path.begin() + 1, S.Key.Path.end());
    if (const auto *FD = dyn_cast_or_null<FieldDecl>(E.Key.Path.size() >= 2 ? E.Key.Path[1]
                                                                             : nullptr))
      E.Key.Owner = FD->getParent();
    E.Call = CE;
    E.ChannelExpr = channelArg(S.Call, *M.lookup(S.Call->getDirectCallee()).Entry);
    E.Kind = S.Kind;
    E.Inner = S.Call;
    E.Helper = MD;
    Out.push_back(E);
  }
}

bool isPrefix(llvm::ArrayRef<const ValueDecl *> Short, llvm::ArrayRef<const ValueDecl *> Long) {
  return Short.size() < Long.size() && Long.take_front(Short.size()) == Short;
}

/// Does closing \p C end the write on \p W? The same stream, the object that contains it,
/// or (through a helper that closes a member) a part of it.
bool related(llvm::ArrayRef<const ValueDecl *> W, const CloseEvent &C,
             llvm::ArrayRef<const ValueDecl *> CPath) {
  return W == CPath || isPrefix(CPath, W) || (C.Helper && isPrefix(W, CPath));
}

std::string writeNote(const AsyncCall &A, const CompletionToken &T) {
  if (T.Kind == TokenKind::Future)
    return "asynchronous write started here; it is in flight until the future it returns is "
           "ready";
  if (A.Op.Entry->Family == "libuv")
    return "asynchronous write started here; it is in flight until its write callback runs";
  return "asynchronous write started here; it is in flight until its completion handler runs";
}

std::string fixNote(const ApiEntry &Write, OpKind Kind, bool Destroy) {
  if (Destroy)
    return "keep the stream alive until the write's completion handler has run (for example "
           "in a shared_ptr that the handler holds)";
  if (Write.Family == "libuv")
    return "close the handle from the write callback, or call uv_shutdown (it waits for "
           "pending writes) and close it from the shutdown callback";
  if (Kind == OpKind::Cancel)
    return "cancel aborts the write with operation_aborted; cancel from the write's "
           "completion handler, or co_await the write first";
  return std::string(Kind == OpKind::Shutdown ? "shut it down" : "close it") +
         " from the write's completion handler, or co_await the write first";
}

/// True if \p FD (a function of this translation unit) runs the event loop itself.
bool drivesEventLoop(const FunctionDecl *FD) {
  const Stmt *Body = FD ? bodyOf(FD) : nullptr;
  if (!Body)
    return false;
  struct V : BodyVisitor<V> {
    bool Found = false;
    bool VisitCallExpr(CallExpr *CE) {
      Found |= runsEventLoop(CE);
      return !Found;
    }
  } Vis;
  Vis.TraverseStmt(const_cast<Stmt *>(Body));
  return Vis.Found;
}

//===--- the intra-function walk -------------------------------------------===//

struct InFlightWrite {
  const CallExpr *Call;
  const ApiEntry *Row;
  TokenKind Token;
};
using InFlightState = std::map<AsyncChannel, InFlightWrite>;

bool joinInto(InFlightState &Into, const InFlightState &From) {
  bool Changed = false;
  for (const auto &KV : From) {
    auto It = Into.find(KV.first);
    if (It == Into.end()) {
      Into.insert(KV);
      Changed = true;
    } else if (KV.second.Call->getBeginLoc().getRawEncoding() <
               It->second.Call->getBeginLoc().getRawEncoding()) {
      It->second = KV.second; // deterministic: the earliest write in the source
      Changed = true;
    }
  }
  return Changed;
}

class FunctionWalk {
public:
  FunctionWalk(const FunctionDecl *FD, ASTContext &Ctx, const ApiModel &M,
               const InFlightOptions &O)
      : FD(FD), Ctx(Ctx), M(M), O(O), ThisClass(thisClassOf(FD)),
        Summaries(M, Ctx.getSourceManager()) {}

  std::vector<AsyncFinding> run() {
    const Stmt *Body = bodyOf(FD);
    if (!Body)
      return {};
    if (!mentionsAsyncWrite(Body))
      return {};
    W.TraverseStmt(const_cast<Stmt *>(Body));
    CFG::BuildOptions BO;
    BO.AddImplicitDtors = true;
    BO.AddTemporaryDtors = false;
    BO.AddInitializers = false;
    std::unique_ptr<CFG> Cfg = CFG::buildCFG(FD, const_cast<Stmt *>(Body), &Ctx, BO);
    if (!Cfg || Cfg->getNumBlockIDs() > O.MaxBlocks)
      return {};
    std::vector<std::optional<InFlightState>> In(Cfg->getNumBlockIDs());
    std::deque<const CFGBlock *> Work;
    In[Cfg->getEntry().getBlockID()] = InFlightState();
    Work.push_back(&Cfg->getEntry());
    unsigned Budget = 30 * Cfg->getNumBlockIDs() + 100;
    while (!Work.empty() && Budget-- > 0) {
      const CFGBlock *B = Work.front();
      Work.pop_front();
      InFlightState S = *In[B->getBlockID()];
      transfer(*B, S, /*Report=*/false);
      std::optional<StatusTest> Test;
      if (B->succ_size() == 2 && !S.empty())
        Test = statusTestOf(dyn_cast_or_null<Expr>(B->getTerminatorCondition()), W, Ctx);
      unsigned Index = 0;
      for (const CFGBlock *Succ : B->succs()) {
        bool TrueEdge = Index++ == 0;
        if (!Succ)
          continue;
        InFlightState Out = S;
        if (Test && TrueEdge == Test->TrueMeansFailure)
          for (const CallExpr *C : Test->Calls)
            eraseWrite(Out, C);
        auto &Slot = In[Succ->getBlockID()];
        bool Changed = false;
        if (!Slot) {
          Slot = Out;
          Changed = true;
        } else {
          Changed = joinInto(*Slot, Out);
        }
        if (Changed && std::find(Work.begin(), Work.end(), Succ) == Work.end())
          Work.push_back(Succ);
      }
    }
    if (!Work.empty())
      return {}; // out of budget: give up quietly
    for (const CFGBlock *B : *Cfg)
      if (In[B->getBlockID()]) {
        InFlightState S = *In[B->getBlockID()];
        transfer(*B, S, /*Report=*/true);
      }
    std::vector<AsyncFinding> Out;
    for (auto &KV : Found)
      Out.push_back(std::move(KV.second));
    return Out;
  }

private:
  bool mentionsAsyncWrite(const Stmt *Body) {
    struct V : BodyVisitor<V> {
      const ApiModel *M;
      bool Found = false;
      bool VisitCallExpr(CallExpr *CE) {
        ApiOp Op = M->lookup(CE->getDirectCallee());
        Found |= Op && Op.kind() == OpKind::AsyncWrite;
        return !Found;
      }
    } Vis;
    Vis.M = &M;
    Vis.TraverseStmt(const_cast<Stmt *>(Body));
    return Vis.Found;
  }

  void transfer(const CFGBlock &B, InFlightState &S, bool Report) {
    for (const CFGElement &E : B) {
      if (auto CS = E.getAs<CFGStmt>()) {
        if (const auto *CE = dyn_cast<CallExpr>(CS->getStmt()))
          call(CE, S, Report);
      } else if (auto D = E.getAs<CFGAutomaticObjDtor>()) {
        destroy(D->getVarDecl(), D->getTriggerStmt(), S, Report);
      }
    }
  }

  void call(const CallExpr *CE, InFlightState &S, bool Report) {
    // The event loop ran in place, here or in a helper of this translation unit (one level):
    // every handler has run, or the code gave up on it on purpose (a timeout).
    if (runsEventLoop(CE) || drives(CE->getDirectCallee())) {
      S.clear();
      return;
    }
    // future.get() / future.wait() on a future a write returned.
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE))
      if (const auto *DRE = dyn_cast<DeclRefExpr>(peel(MC->getImplicitObjectArgument())))
        if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
          auto It = W.FutureVars.find(VD);
          const CXXMethodDecl *MD = MC->getMethodDecl();
          if (It != W.FutureVars.end() && MD && MD->getDeclName().isIdentifier() &&
              (MD->getName() == "get" || MD->getName() == "wait"))
            eraseWrite(S, It->second);
        }
    // std::move(stream): whatever happens next happens to another object.
    if (const FunctionDecl *Callee = CE->getDirectCallee())
      if (Callee->isInStdNamespace() && Callee->getDeclName().isIdentifier() &&
          Callee->getName() == "move" && CE->getNumArgs() == 1)
        if (const auto *DRE = dyn_cast<DeclRefExpr>(peel(CE->getArg(0))))
          for (auto It = S.begin(); It != S.end();)
            It = (It->first.Path.size() == 1 && It->first.Path[0] == DRE->getDecl())
                     ? S.erase(It)
                     : std::next(It);

    if (auto A = matchAsyncCall(CE, M)) {
      if (A->Op.kind() == OpKind::AsyncWrite) {
        CompletionToken T = classifyToken(A->Handler);
        bool Completes = W.Done.count(CE) || completesInPlace(CE, T, *A->Op.Entry);
        // An awaitable that is not awaited never starts (drain-discarded-awaitable), a
        // deferred operation starts only when launched.
        bool Starts = T.Kind == TokenKind::Handler || T.Kind == TokenKind::Detached ||
                      T.Kind == TokenKind::Future;
        AsyncChannel K = channelOf(A->Channel, ThisClass);
        if (K.valid() && Starts && !Completes)
          S[K] = InFlightWrite{CE, A->Op.Entry, T.Kind};
        return;
      }
    }
    llvm::SmallVector<CloseEvent, 2> Closes;
    closeEventsOf(CE, ThisClass, M, Summaries, Closes);
    for (const CloseEvent &C : Closes) {
      if (!isClosing(C.Kind, O))
        continue;
      for (auto It = S.begin(); It != S.end();) {
        if (!related(It->first.Path, C, C.Key.Path)) {
          ++It;
          continue;
        }
        if (Report)
          reportClose(C, It->second);
        It = S.erase(It);
      }
    }
  }

  bool drives(const FunctionDecl *Callee) {
    if (!Callee)
      return false;
    auto It = Drives.find(Callee);
    if (It == Drives.end())
      It = Drives.insert({Callee, drivesEventLoop(Callee)}).first;
    return It->second;
  }

  void eraseWrite(InFlightState &S, const CallExpr *Write) {
    for (auto It = S.begin(); It != S.end();)
      It = It->second.Call == Write ? S.erase(It) : std::next(It);
  }

  void destroy(const VarDecl *VD, const Stmt *Trigger, InFlightState &S, bool Report) {
    for (auto It = S.begin(); It != S.end();) {
      if (It->first.Path.size() != 1 || It->first.Path[0] != VD) {
        ++It;
        continue;
      }
      QualType T = VD->getType();
      bool IsStream = !T->isReferenceType() && !T->isPointerType() && T->getAsCXXRecordDecl();
      if (IsStream) {
        if (const auto *Spec =
                dyn_cast<ClassTemplateSpecializationDecl>(T->getAsCXXRecordDecl())) {
          llvm::StringRef N = Spec->getSpecializedTemplate()->getName();
          IsStream = N != "shared_ptr" && N != "unique_ptr";
        }
      }
      if (IsStream && O.ReportDestroy && Report && Trigger) {
        AsyncFinding F;
        F.Loc = Trigger->getEndLoc();
        F.Message = "'" + VD->getNameAsString() +
                    "' is destroyed while an asynchronous write on it may still be in flight";
        addWriteNotes(F, It->second);
        F.Notes.push_back({F.Loc, fixNote(*It->second.Row, OpKind::Close, true)});
        Found.emplace(F.Loc.getRawEncoding(), std::move(F));
      }
      It = S.erase(It);
    }
  }

  void addWriteNotes(AsyncFinding &F, const InFlightWrite &Wr) {
    auto A = matchAsyncCall(Wr.Call, M);
    CompletionToken T;
    T.Kind = Wr.Token;
    F.Notes.push_back({Wr.Call->getBeginLoc(), writeNote(*A, T)});
  }

  void reportClose(const CloseEvent &C, const InFlightWrite &Wr) {
    AsyncFinding F;
    F.Loc = C.Call->getBeginLoc();
    F.Range = C.Call->getSourceRange();
    std::string Name = channelSpelling(C.ChannelExpr, Ctx);
    if (C.Helper) {
      // Name the stream as the caller sees it: the helper's object.
      const auto *MC = cast<CXXMemberCallExpr>(C.Call);
      const Expr *Obj = MC->getImplicitObjectArgument();
      if (Obj && !isa<CXXThisExpr>(peel(Obj)))
        Name = channelSpelling(Obj, Ctx);
    }
    F.Message = "'" + Name + "' is " + verbOf(C.Kind) +
                " while an asynchronous write on it may still be in flight";
    addWriteNotes(F, Wr);
    if (C.Helper)
      F.Notes.push_back({C.Inner->getBeginLoc(), "'" + C.Helper->getNameAsString() + "' " +
                                                     presentVerbOf(C.Kind) + " the stream here"});
    F.Notes.push_back({F.Loc, fixNote(*Wr.Row, C.Kind, false)});
    Found.emplace(F.Loc.getRawEncoding(), std::move(F));
  }

  const FunctionDecl *FD;
  ASTContext &Ctx;
  const ApiModel &M;
  const InFlightOptions &O;
  const CXXRecordDecl *ThisClass;
  CloseSummaries Summaries;
  Waits W;
  std::map<unsigned, AsyncFinding> Found; ///< by location: one finding per close
  llvm::DenseMap<const FunctionDecl *, bool> Drives;
};

} // namespace

std::vector<AsyncFinding> findClosesDuringAsyncWrite(const FunctionDecl *FD, ASTContext &Ctx,
                                                     const ApiModel &Model,
                                                     const InFlightOptions &Opts) {
  if (!FD)
    return {};
  return FunctionWalk(FD, Ctx, Model, Opts).run();
}

//===--- the class-level rule ----------------------------------------------===//

struct InFlightMemberAnalysis::FunctionFacts {
  const FunctionDecl *FD = nullptr;
  struct WriteFact {
    AsyncChannel Key;
    const CallExpr *Call;
    const ApiEntry *Row;
    const FunctionDecl *Handler; ///< canonical
  };
  struct FlagWrite {
    const FieldDecl *Field;
    bool Set;
    const Stmt *S;
  };
  std::vector<WriteFact> Writes;
  std::vector<FlagWrite> Flags;
  llvm::DenseSet<const FieldDecl *> Drained;    ///< queues drained here (pop_front, ...)
  llvm::DenseSet<const FieldDecl *> Referenced; ///< fields mentioned anywhere
  llvm::DenseSet<const FieldDecl *> Tested;     ///< fields mentioned in a branch condition
  std::vector<CloseEvent> Closes;
  std::vector<const FunctionDecl *> ReadHandlers; ///< canonical
};

namespace {

const FieldDecl *memberField(const Expr *E) {
  E = peel(E);
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(E))
    return dyn_cast<FieldDecl>(ME->getMemberDecl());
  return nullptr;
}

std::optional<bool> constantBool(const Expr *E, const ASTContext &Ctx) {
  E = peel(E);
  if (!E || E->isValueDependent())
    return std::nullopt;
  if (const auto *B = dyn_cast<CXXBoolLiteralExpr>(E))
    return B->getValue();
  if (const auto *I = dyn_cast<IntegerLiteral>(E))
    return I->getValue() != 0;
  return std::nullopt;
}

/// Fields read by a condition, including through a trivial accessor (`bool writing() const
/// { return writing_; }`).
void fieldsOf(const Stmt *S, llvm::DenseSet<const FieldDecl *> &Out, unsigned Depth = 0) {
  if (!S || Depth > 2)
    return;
  if (const auto *ME = dyn_cast<MemberExpr>(S))
    if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl()))
      Out.insert(F);
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
    if (const CXXMethodDecl *MD = MC->getMethodDecl())
      if (const auto *Body = dyn_cast_or_null<CompoundStmt>(bodyOf(MD)))
        if (Body->size() == 1)
          if (const auto *R = dyn_cast<ReturnStmt>(Body->body_front()))
            fieldsOf(R->getRetValue(), Out, Depth + 1);
  for (const Stmt *C : S->children())
    fieldsOf(C, Out, Depth);
}

class FactCollector : public BodyVisitor<FactCollector> {
public:
  FactCollector(InFlightMemberAnalysis::FunctionFacts &F, const ApiModel &M, ASTContext &Ctx,
                CloseSummaries &Summaries, const CXXRecordDecl *ThisClass)
      : F(F), M(M), Ctx(Ctx), Summaries(Summaries), ThisClass(ThisClass) {}

  bool VisitCallExpr(CallExpr *CE) {
    if (auto A = matchAsyncCall(CE, M)) {
      if (A->Op.kind() == OpKind::AsyncWrite && !W->Done.count(CE)) {
        CompletionToken T = classifyToken(A->Handler);
        AsyncChannel K = channelOf(A->Channel, ThisClass);
        if (K.valid() && K.Owner && T.Kind == TokenKind::Handler && !completesInPlace(CE, T, *A->Op.Entry)) {
          const FunctionDecl *H = nullptr;
          if (auto HC = resolveHandler(A->Handler))
            H = HC->Fn->getCanonicalDecl();
          F.Writes.push_back({K, CE, A->Op.Entry, H});
        }
      }
      return true;
    }
    if (const Expr *RH = readHandlerArg(CE))
      if (auto HC = resolveHandler(RH))
        F.ReadHandlers.push_back(HC->Fn->getCanonicalDecl());
    llvm::SmallVector<CloseEvent, 2> Closes;
    closeEventsOf(CE, ThisClass, M, Summaries, Closes);
    for (const CloseEvent &C : Closes)
      if (C.Key.Owner)
        F.Closes.push_back(C);
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE))
      if (const CXXMethodDecl *MD = MC->getMethodDecl())
        if (MD->getDeclName().isIdentifier())
          for (const char *N : QueueRemovals)
            if (MD->getName() == N)
              if (const FieldDecl *Q = memberField(MC->getImplicitObjectArgument()))
                F.Drained.insert(Q);
    return true;
  }
  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->getOpcode() == BO_Assign)
      if (const FieldDecl *X = memberField(BO->getLHS()))
        if (auto V = constantBool(BO->getRHS(), Ctx))
          F.Flags.push_back({X, *V, BO});
    if (BO->getOpcode() == BO_LAnd || BO->getOpcode() == BO_LOr)
      fieldsOf(BO->getLHS(), F.Tested);
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator *UO) {
    if (UO->isIncrementDecrementOp())
      if (const FieldDecl *X = memberField(UO->getSubExpr()))
        F.Flags.push_back({X, UO->isIncrementOp(), UO});
    if (UO->getOpcode() == UO_LNot)
      fieldsOf(UO->getSubExpr(), F.Tested);
    return true;
  }
  bool VisitMemberExpr(MemberExpr *ME) {
    if (const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl()))
      F.Referenced.insert(FD);
    return true;
  }
  bool VisitIfStmt(IfStmt *S) {
    fieldsOf(S->getCond(), F.Tested);
    return true;
  }
  bool VisitWhileStmt(WhileStmt *S) {
    fieldsOf(S->getCond(), F.Tested);
    return true;
  }
  bool VisitDoStmt(DoStmt *S) {
    fieldsOf(S->getCond(), F.Tested);
    return true;
  }
  bool VisitForStmt(ForStmt *S) {
    fieldsOf(S->getCond(), F.Tested);
    return true;
  }
  bool VisitSwitchStmt(SwitchStmt *S) {
    fieldsOf(S->getCond(), F.Tested);
    return true;
  }
  bool VisitConditionalOperator(ConditionalOperator *C) {
    fieldsOf(C->getCond(), F.Tested);
    return true;
  }

  const Waits *W = nullptr;

private:
  InFlightMemberAnalysis::FunctionFacts &F;
  const ApiModel &M;
  ASTContext &Ctx;
  CloseSummaries &Summaries;
  const CXXRecordDecl *ThisClass;
};

} // namespace

InFlightMemberAnalysis::InFlightMemberAnalysis(ASTContext &Ctx, const ApiModel &Model,
                                               const InFlightOptions &Opts)
    : Ctx(Ctx), Model(Model), Opts(Opts) {}
InFlightMemberAnalysis::~InFlightMemberAnalysis() = default;

void InFlightMemberAnalysis::addFunction(const FunctionDecl *FD) {
  if (!Opts.ReadHandlerRule || !FD)
    return;
  const FunctionDecl *Key = FD->getCanonicalDecl();
  if (Facts.count(Key))
    return;
  const Stmt *Body = userBody(FD, Ctx.getSourceManager());
  if (!Body)
    return;
  auto F = std::make_unique<FunctionFacts>();
  F->FD = FD;
  Waits W;
  W.TraverseStmt(const_cast<Stmt *>(Body));
  CloseSummaries Summaries(Model, Ctx.getSourceManager());
  FactCollector C(*F, Model, Ctx, Summaries, thisClassOf(FD));
  C.W = &W;
  C.TraverseStmt(const_cast<Stmt *>(Body));
  Order.push_back(Key);
  Facts[Key] = std::move(F);
}

std::vector<AsyncFinding> InFlightMemberAnalysis::findings() {
  std::vector<AsyncFinding> Out;
  if (!Opts.ReadHandlerRule)
    return Out;
  // What marks each write as in flight: a flag set by its initiator and cleared by its
  // handler, or a queue its initiator uses and its handler drains.
  struct Marked {
    const FunctionFacts::WriteFact *Write;
    const FieldDecl *Marker;
    bool IsFlag;
  };
  std::vector<Marked> Marks;
  for (const FunctionDecl *Key : Order) {
    const FunctionFacts &F = *Facts[Key];
    for (const auto &Wr : F.Writes) {
      if (!Wr.Handler)
        continue;
      auto HIt = Facts.find(Wr.Handler);
      if (HIt == Facts.end())
        continue;
      const FunctionFacts &H = *HIt->second;
      const FieldDecl *Marker = nullptr;
      bool IsFlag = false;
      for (const auto &Set : F.Flags)
        if (Set.Set)
          for (const auto &Clear : H.Flags)
            if (!Clear.Set && Clear.Field == Set.Field && !Marker) {
              Marker = Set.Field;
              IsFlag = true;
            }
      if (!Marker)
        for (const FieldDecl *Q : H.Drained)
          if (F.Referenced.count(Q) && !Marker)
            Marker = Q;
      if (Marker)
        Marks.push_back({&Wr, Marker, IsFlag});
    }
  }
  if (Marks.empty())
    return Out;
  llvm::DenseSet<const FunctionDecl *> ReadHandlers;
  for (const FunctionDecl *Key : Order)
    for (const FunctionDecl *R : Facts[Key]->ReadHandlers)
      ReadHandlers.insert(R);
  llvm::DenseSet<const CallExpr *> Reported;
  for (const FunctionDecl *Key : Order) {
    if (!ReadHandlers.count(Key))
      continue;
    const FunctionFacts &R = *Facts[Key];
    for (const CloseEvent &C : R.Closes) {
      if (!isClosing(C.Kind, Opts) || Reported.count(C.Call))
        continue;
      for (const Marked &Mk : Marks) {
        const auto &Wr = *Mk.Write;
        if (Wr.Handler == Key || Wr.Key.Owner != C.Key.Owner ||
            !related(Wr.Key.members(), C, C.Key.members()))
          continue;
        if (R.Tested.count(Mk.Marker))
          continue;
        // A helper that tests the marker itself guards its own close.
        if (C.Helper) {
          auto HF = Facts.find(C.Helper->getCanonicalDecl());
          if (HF != Facts.end() && HF->second->Tested.count(Mk.Marker))
            continue;
        }
        AsyncFinding F;
        F.Loc = C.Call->getBeginLoc();
        F.Range = C.Call->getSourceRange();
        std::string Name = channelSpelling(C.ChannelExpr, Ctx);
        if (C.Helper) {
          const Expr *Obj = cast<CXXMemberCallExpr>(C.Call)->getImplicitObjectArgument();
          if (Obj && !isa<CXXThisExpr>(peel(Obj)))
            Name = channelSpelling(Obj, Ctx);
        }
        F.Message = "'" + Name + "' is " + verbOf(C.Kind) +
                    " in a read handler while an asynchronous write on it may still be in "
                    "flight";
        F.Notes.push_back({Wr.Call->getBeginLoc(),
                           "asynchronous write started here; '" + Mk.Marker->getNameAsString() +
                               (Mk.IsFlag ? "' is set until its completion handler runs"
                                          : "' holds it until its completion handler runs")});
        if (C.Helper)
          F.Notes.push_back({C.Inner->getBeginLoc(),
                             "'" + C.Helper->getNameAsString() + "' " +
                                 presentVerbOf(C.Kind) + " the stream here"});
        F.Notes.push_back(
            {F.Loc, "this read handler can run while the write is in flight; test '" +
                        Mk.Marker->getNameAsString() +
                        "' before closing, or close from the write's completion handler"});
        Out.push_back(std::move(F));
        Reported.insert(C.Call);
        break;
      }
    }
  }
  std::sort(Out.begin(), Out.end(), [](const AsyncFinding &A, const AsyncFinding &B) {
    return A.Loc.getRawEncoding() < B.Loc.getRawEncoding();
  });
  return Out;
}

} // namespace drain
