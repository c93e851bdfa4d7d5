//===--- PendingOutput.cpp - output a record holds until it is written -----------===//
#include "analysis/flow/PendingOutput.h"
#include "analysis/core/UnitDecls.h"
#include "analysis/core/ApiModel.h"
#include "analysis/core/AsyncOps.h"
#include "analysis/core/Callees.h"
#include "analysis/core/Identifiers.h"
#include "analysis/flow/RoleInference.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/SourceManager.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/OperatorKinds.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace drain {

namespace {
/// Words of a callee's (or function pointer's) name that say it ends what it is handed.
const llvm::StringRef EndWords[] = {"close",   "destroy",   "destruct",   "destructor", "free",
                                    "dispose", "terminate", "disconnect", "teardown",   "shutdown",
                                    "fini",    "cleanup",   "unref"};
/// Words that make such a name something that starts: `ConstructFinalize`, `open_close_pair`.
const llvm::StringRef StartWords[] = {"construct", "create", "init",  "open",
                                      "new",       "alloc",  "start", "setup"};
/// Words that make such a name a question about the end, not the end: `GetLastDisconnectReason`,
/// `MHD_pool_get_free`, `is_closed`, `has_shutdown`.
const llvm::StringRef QueryWords[] = {"get", "is", "has", "query", "reason", "status"};
/// First words of a name that make it the news of an end, not the end: `receive_disconnect`
/// tells a handler the peer went away, `on_close` and `handle_disconnect` react to it.
const llvm::StringRef NewsWords[] = {"on", "handle", "receive", "notify"};
/// Words of a method's name that say it queues what it is handed (`QueuePacket`), and that
/// say it sends what is queued (`SendQueuedPackets`, `Flush`).
const llvm::StringRef QueueFillWords[] = {"queue", "enqueue", "send", "write", "post"};
const llvm::StringRef QueueSendWords[] = {"send", "write", "flush"};
/// Words of a function's name that make it a failure handler (beside the failure words of
/// the state vocabulary): what it ends was given up on.
const llvm::StringRef DropWords[] = {"abort", "kill",   "reset", "drop",    "discard",
                                     "force", "forced", "panic", "timeout", "timedout"};

/// The object an expression reaches, without parentheses, casts, `&`, `*`, or a smart
/// pointer's `operator->`/`operator*` (`connection.Socket->Disconnect()` is a method of the
/// member `Socket`).
const Expr *strip(const Expr *E) {
  for (unsigned I = 0; E && I < 8; ++I) {
    const Expr *Next = E->IgnoreParenCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(Next))
      if (UO->getOpcode() == UO_AddrOf || UO->getOpcode() == UO_Deref)
        Next = UO->getSubExpr();
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Next))
      if ((OC->getOperator() == OO_Arrow || OC->getOperator() == OO_Star) &&
          OC->getNumArgs() == 1)
        Next = OC->getArg(0);
    if (Next == E)
      break;
    E = Next;
  }
  return E;
}

const FieldDecl *fieldOf(const Expr *E, const Expr **Base = nullptr) {
  const auto *ME = dyn_cast_or_null<MemberExpr>(E ? E->IgnoreParenCasts() : nullptr);
  if (!ME)
    return nullptr;
  if (Base)
    *Base = ME->getBase();
  return dyn_cast<FieldDecl>(ME->getMemberDecl());
}

/// Two expressions that name the same object: `t->sndBuf` and `t->offsSndBuf` share `t`.
bool sameObject(const Expr *A, const Expr *B, unsigned Depth = 0) {
  if (!A || !B || Depth > 6)
    return false;
  // `wb_->data` and `wb_->len` through a smart pointer: the object it owns.
  auto Owned = [](const Expr *E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E))
      if ((OC->getOperator() == OO_Arrow || OC->getOperator() == OO_Star) &&
          OC->getNumArgs() == 1)
        return OC->getArg(0)->IgnoreParenImpCasts();
    return E;
  };
  A = Owned(A);
  B = Owned(B);
  if (isa<CXXThisExpr>(A) || isa<CXXThisExpr>(B))
    return isa<CXXThisExpr>(A) && isa<CXXThisExpr>(B);
  if (const auto *DA = dyn_cast<DeclRefExpr>(A)) {
    const auto *DB = dyn_cast<DeclRefExpr>(B);
    return DB && DA->getDecl() == DB->getDecl();
  }
  if (const auto *MA = dyn_cast<MemberExpr>(A)) {
    const auto *MB = dyn_cast<MemberExpr>(B);
    return MB && MA->getMemberDecl() == MB->getMemberDecl() &&
           sameObject(MA->getBase(), MB->getBase(), Depth + 1);
  }
  if (const auto *SA = dyn_cast<ArraySubscriptExpr>(A)) {
    const auto *SB = dyn_cast<ArraySubscriptExpr>(B);
    return SB && sameObject(SA->getBase(), SB->getBase(), Depth + 1) &&
           sameObject(SA->getIdx(), SB->getIdx(), Depth + 1);
  }
  if (const auto *IA = dyn_cast<IntegerLiteral>(A)) {
    const auto *IB = dyn_cast<IntegerLiteral>(B);
    return IB && IA->getValue() == IB->getValue();
  }
  if (const auto *UA = dyn_cast<UnaryOperator>(A)) {
    const auto *UB = dyn_cast<UnaryOperator>(B);
    return UB && UA->getOpcode() == UB->getOpcode() &&
           sameObject(UA->getSubExpr(), UB->getSubExpr(), Depth + 1);
  }
  return false;
}

/// What a visitor of walkStmts asks for after a statement: its children, not its children,
/// or the end of the walk.
enum class WalkNext { Into, Over, Stop };

/// Hands \p Root and the statements under it to \p Visit, depth first (a statement's last
/// child first), at most \p Budget of them (null children count). A lambda is neither handed
/// over nor entered unless \p Lambdas: its body is a function of its own. Every walk of a
/// body or a condition in this file goes through here, so that all share one order and one
/// way of bounding it. True if \p Visit stopped the walk.
template <typename Fn>
bool walkStmts(const Stmt *Root, unsigned Budget, Fn Visit, bool Lambdas = false) {
  llvm::SmallVector<const Stmt *, 32> Work{Root};
  for (unsigned Steps = 0; !Work.empty() && Steps < Budget; ++Steps) {
    const Stmt *S = Work.pop_back_val();
    if (!S || (!Lambdas && isa<LambdaExpr>(S)))
      continue;
    WalkNext Next = Visit(S);
    if (Next == WalkNext::Stop)
      return true;
    if (Next == WalkNext::Into)
      for (const Stmt *Ch : S->children())
        Work.push_back(Ch);
  }
  return false;
}

/// Calls `F(MemberExpr)` for the member accesses in \p S (bounded, lambdas left out).
template <typename Fn> void forMembers(const Stmt *S, Fn F, unsigned Budget = 96) {
  walkStmts(S, Budget, [&F](const Stmt *C) {
    if (const auto *ME = dyn_cast<MemberExpr>(C))
      F(ME);
    return WalkNext::Into;
  });
}

const RecordDecl *parentOf(const FieldDecl *F) {
  const RecordDecl *RD = F->getParent();
  return RD->getDefinition() ? RD->getDefinition() : RD;
}

const NamedDecl *calleeDecl(const Callee &C) {
  if (C.Function)
    return C.Function;
  return C.Pointer;
}

bool reportsAnEnd(llvm::StringRef Name) {
  llvm::SmallVector<std::string, 4> W = identifierWords(Name, {});
  return !W.empty() && llvm::is_contained(NewsWords, W.front());
}

/// A failure handler, or a handler of an end that already happened (`handle_disconnect`,
/// `on_close`): what it ends was given up on, or is gone.
bool failureNamed(const FunctionDecl *FD) {
  if (!FD->getIdentifier())
    return false;
  llvm::StringRef N = FD->getName();
  return StateVocabulary::mentionsFailure(N) || nameHasWord(N, DropWords) ||
         (reportsAnEnd(N) && nameHasWord(N, EndWords));
}


bool inMainFile(const Decl *D) {
  const SourceManager &SM = D->getASTContext().getSourceManager();
  return SM.isInMainFile(SM.getExpansionLoc(D->getLocation()));
}
} // namespace

struct PendingOutput::Evidence {
  struct Drain {
    const CallExpr *Call = nullptr;
    const FunctionDecl *Fn = nullptr;
    const FieldDecl *Buffer = nullptr;
    llvm::SmallVector<const FieldDecl *, 2> Amounts;
    /// The call is a method of the record or is handed the record itself.
    bool ViaObject = false;
    /// The object's other members the call names (`c->fd`, `socket_`).
    llvm::SmallVector<const FieldDecl *, 2> Others;
    /// For output one level down, the buffer inside the member Buffer (`nc->bw->data`).
    const FieldDecl *Inner = nullptr;
    /// A call of a method, defined in another file, that sends the record's queue.
    bool Declared = false;
  };
  llvm::SmallVector<Drain, 2> Drains;
  llvm::DenseSet<const FieldDecl *> Filled;
  llvm::DenseSet<const FieldDecl *> Producers;
  /// Members a write names beside the buffer that are its channel (`fd`, `socket_`).
  llvm::DenseSet<const FieldDecl *> Channels;
  // Resolved once the scan is done.
  bool Resolved = false;
  const Drain *Pending = nullptr;
  const FieldDecl *Amount = nullptr;
  /// The buffers and amounts of the drains whose amount grows somewhere.
  llvm::DenseSet<const FieldDecl *> Members;
  llvm::DenseSet<const FunctionDecl *> Drainers;
  /// Functions of the file that call a drainer, directly or through two more such calls
  /// (`flush_variant()` around `poll_flush()`): calling one before the teardown consults the
  /// output as the drainer would.
  llvm::DenseSet<const FunctionDecl *> DrainerCallers;
  llvm::DenseSet<const Decl *> DrainCallees;
  int Graceful = -1;
};

PendingOutput::PendingOutput(const ApiModel &Model, const ChannelOptions &Opts)
    : Model(Model), Channels(Opts) {
  llvm::SmallVector<llvm::StringRef, 16> Parts;
  llvm::StringRef(Opts.InputBufferWords).split(Parts, ';', -1, false);
  for (llvm::StringRef P : Parts)
    if (!P.trim().empty())
      InputWords.insert(P.trim().lower());
}

PendingOutput::~PendingOutput() = default;

void PendingOutput::reset() {
  Ctx = nullptr;
  Scanned = false;
  Candidates.clear();
  Queues.clear();
  Records.clear();
  DeclaredQueues.clear();
  Calls.clear();
}

bool PendingOutput::inputNamed(const FieldDecl *F) const {
  for (const std::string &W : ChannelResolver::nameWords(F->getName()))
    if (InputWords.count(W))
      return true;
  return false;
}

bool PendingOutput::readCount(const Expr *E) const {
  E = E ? E->IgnoreParenCasts() : nullptr;
  // A local holding the count: its initializer.
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (VD->isLocalVarDecl() && VD->getInit())
        E = VD->getInit()->IgnoreParenCasts();
  const auto *CE = dyn_cast_or_null<CallExpr>(E);
  const FunctionDecl *FD = CE ? CE->getDirectCallee() : nullptr;
  if (!FD || !FD->getIdentifier())
    return false;
  for (const std::string &W : ChannelResolver::nameWords(FD->getName()))
    if (InputWords.count(W))
      return true;
  return false;
}

/// A byte array, a pointer to bytes (or void), or a class (a string, a vector, a ring).
bool PendingOutput::isBufferLike(const FieldDecl *F) const {
  if (!F->getIdentifier() || inputNamed(F))
    return false;
  const ASTContext &C = F->getASTContext();
  auto Bytes = [&C](QualType E) {
    E = E.getCanonicalType();
    return E->isVoidType() || E->isCharType() ||
           (E->isIntegerType() && !E->isBooleanType() && C.getTypeSize(E) == 8);
  };
  QualType T = F->getType();
  if (const auto *AT = C.getAsConstantArrayType(T))
    return Bytes(AT->getElementType());
  if (T->isPointerType())
    return Bytes(T->getPointeeType());
  // A class that holds bytes says how many (std::string, std::vector, a ring buffer): a
  // socket or a stream object handed beside it is no buffer.
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->getDefinition())
    return false;
  for (const Decl *D : RD->getDefinition()->decls())
    if (const auto *ND = dyn_cast<NamedDecl>(D))
      if (ND->getIdentifier() && (ND->getName() == "size" || ND->getName() == "empty"))
        return true;
  return false;
}

bool PendingOutput::isAmount(const FieldDecl *F) const {
  QualType T = F->getType();
  return F->getIdentifier() && T->isIntegerType() && !T->isBooleanType() && !T->isEnumeralType() &&
         !inputNamed(F) && !Channels.isSocketMember(F);
}

/// A buffer-like and an integer member side by side.
bool PendingOutput::hasPair(const RecordDecl *RD) const {
  bool Buffer = false, Amount = false;
  if (RD && RD->getDefinition())
    for (const FieldDecl *F : RD->getDefinition()->fields()) {
      Buffer |= isBufferLike(F);
      Amount |= isAmount(F);
    }
  return Buffer && Amount;
}

/// The record a member is, points to, or owns through a smart pointer (its `operator->`).
static const RecordDecl *heldRecord(const FieldDecl *F) {
  QualType T = F->getType();
  if (T->isPointerType())
    T = T->getPointeeType();
  const RecordDecl *RD = T->getAsRecordDecl();
  if (const auto *CRD = dyn_cast_or_null<CXXRecordDecl>(RD))
    if (CRD->getDefinition()) {
      DeclarationName Arrow =
          F->getASTContext().DeclarationNames.getCXXOperatorName(OO_Arrow);
      for (const NamedDecl *ND : CRD->getDefinition()->lookup(Arrow))
        if (const auto *M = dyn_cast<CXXMethodDecl>(ND->getUnderlyingDecl()))
          if (M->getReturnType()->isPointerType())
            RD = M->getReturnType()->getPointeeType()->getAsRecordDecl();
    }
  return RD && RD->getDefinition() ? RD->getDefinition() : RD;
}

/// A record may hold pending output: a buffer-like and an integer member, a queue member, or
/// a member holding a record with a buffer and a count (one level down).
bool PendingOutput::hasCandidatePair(const RecordDecl *RD) {
  auto It = Candidates.find(RD);
  if (It != Candidates.end())
    return It->second;
  bool Found = hasPair(RD) || declaredQueue(RD);
  if (!Found && RD->getDefinition())
    for (const FieldDecl *F : RD->getDefinition()->fields()) {
      if (isQueue(F)) {
        Found = true;
        break;
      }
      const RecordDecl *Held = heldRecord(F);
      if (Held && Held != RD && hasPair(Held)) {
        Found = true;
        break;
      }
    }
  return Candidates[RD] = Found;
}

/// A member container that says its size or emptiness (std::deque, std::string, a project's
/// queue), held as an object.
bool PendingOutput::isQueue(const FieldDecl *F) const {
  auto It = Queues.find(F);
  if (It != Queues.end())
    return It->second;
  // A container is an output queue only when its name says output (the buffer vocabulary,
  // BufferMemberWords): `m_send_queue`, `outq_`, not `_missingObjects` or `peers_`, which a
  // function that also sends may fill and clear.
  bool Q = !F->getType()->isPointerType() && F->getType()->getAsCXXRecordDecl() &&
           isBufferLike(F) && Channels.isBufferMember(F);
  return Queues[F] = Q;
}

int PendingOutput::queueEffect(const FunctionDecl *Method) const {
  if (!Method)
    return 0;
  MemberChange C =
      Method->getIdentifier() ? memberChangeOf(Method->getName()) : MemberChange::None;
  std::optional<BufferEffect> B = Model.bufferMethod(Method->getNameAsString());
  if (C == MemberChange::Fill || (B && *B == BufferEffect::Append))
    return 1;
  if (C == MemberChange::Drain || (B && *B == BufferEffect::Clear))
    return 2;
  if (B && (*B == BufferEffect::EmptyTest || *B == BufferEffect::Size))
    return 3;
  return 0;
}

/// True if some function of the file makes \p F grow (a count, or a queue filled).
bool PendingOutput::grown(const FieldDecl *F) const {
  auto It = Records.find(parentOf(F));
  return It != Records.end() && It->second->Filled.count(F);
}

/// A write, a send or a flush: a row of the model, or a callee whose name says so (a
/// project's `TCPSendBuf`, a pointer `conn->send`); a logger is no write.
bool PendingOutput::writesOut(const CallExpr *CE) const {
  Callee C = calleeOf(CE);
  if (!C || isLoggingCall(CE))
    return false;
  if (ApiOp Op = Model.lookup(C))
    return Op.kind() == OpKind::Write || Op.kind() == OpKind::ComposedWrite ||
           Op.kind() == OpKind::Flush || Op.kind() == OpKind::AsyncWrite;
  const NamedDecl *D = calleeDecl(C);
  if (!D || !D->getIdentifier())
    return false;
  return Model.namesPointerWrite(D->getName()) || nameHasWord(D->getName(), {"flush"});
}

/// A close, shutdown or destroy row, or a callee whose name says it ends what it is handed.
bool PendingOutput::endsSomething(const CallExpr *CE) const {
  Callee C = calleeOf(CE);
  if (!C)
    return false;
  if (ApiOp Op = Model.lookup(C))
    return Op.kind() == OpKind::Close || Op.kind() == OpKind::Shutdown ||
           Op.kind() == OpKind::Destroy;
  const NamedDecl *D = calleeDecl(C);
  return D && D->getIdentifier() && nameHasWord(D->getName(), EndWords) &&
         !nameHasWord(D->getName(), StartWords) && !nameHasWord(D->getName(), QueryWords) &&
         !reportsAnEnd(D->getName());
}

/// The record a call's argument (or object) belongs to when it is a member of `this` or of a
/// parameter of \p FD (`&t->pNetstrm`, `s`, `sock_.close()`), or, with \p Whole, the record a
/// parameter points to (`free(c)`).
static const RecordDecl *ownRecordOf(const Expr *A, const FunctionDecl *FD, bool Whole) {
  const Expr *Base = nullptr;
  if (const FieldDecl *F = fieldOf(strip(A), &Base)) {
    Base = Base->IgnoreParenImpCasts();
    if (isa<CXXThisExpr>(Base))
      return parentOf(F);
    if (const auto *DRE = dyn_cast<DeclRefExpr>(Base))
      if (isa<ParmVarDecl>(DRE->getDecl()) && DRE->getDecl()->getDeclContext() == FD)
        return parentOf(F);
    return nullptr;
  }
  const auto *DRE = dyn_cast<DeclRefExpr>(A->IgnoreParenCasts());
  if (!Whole || !DRE || !isa<ParmVarDecl>(DRE->getDecl()))
    return nullptr;
  QualType T = DRE->getDecl()->getType();
  if (!T->isPointerType())
    return nullptr;
  const RecordDecl *RD = T->getPointeeType()->getAsRecordDecl();
  return RD && RD->getDefinition() ? RD->getDefinition() : RD;
}

/// The socket member a smart pointer assignment lets go of (`m_socket = nullptr`): like
/// `m_socket.reset()`, it destroys the socket the record owns.
static const FieldDecl *releasedSocket(const CXXOperatorCallExpr *OC, const ChannelResolver &Ch,
                                       const ASTContext &Ctx) {
  if (OC->getOperator() != OO_Equal || OC->getNumArgs() != 2)
    return nullptr;
  // `nullptr` converted to the smart pointer: a temporary constructed from it.
  const Expr *V = OC->getArg(1)->IgnoreImplicit();
  if (const auto *CCE = dyn_cast<CXXConstructExpr>(V))
    V = CCE->getNumArgs() == 1 ? CCE->getArg(0)->IgnoreImplicit() : nullptr;
  if (!V || V->isValueDependent() ||
      !V->isNullPointerConstant(const_cast<ASTContext &>(Ctx), Expr::NPC_NeverValueDependent))
    return nullptr;
  const FieldDecl *F = fieldOf(OC->getArg(0));
  return F && F->getType()->isRecordType() && Ch.isSocketMember(F) ? F : nullptr;
}

void PendingOutput::sites(const FunctionDecl *FD, llvm::SmallVectorImpl<Site> &Out, bool Deep) {
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  const RecordDecl *Own = MD ? MD->getParent()->getDefinition() : nullptr;
  walkStmts(FD->getBody(), 20000, [&](const Stmt *S) {
    // `delete this`: the object and all it holds end.
    if (const auto *DE = dyn_cast<CXXDeleteExpr>(S)) {
      const Expr *Arg = DE->getArgument();
      if (Own && Arg && isa<CXXThisExpr>(Arg->IgnoreParenCasts()) && hasCandidatePair(Own))
        Out.push_back({S, nullptr, Own});
      return WalkNext::Into;
    }
    const auto *CE = dyn_cast<CallExpr>(S);
    if (!CE)
      return WalkNext::Into;
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE))
      if (const FieldDecl *Sock = releasedSocket(OC, Channels, FD->getASTContext())) {
        const RecordDecl *RD = ownRecordOf(OC->getArg(0), FD, false);
        if (RD && hasCandidatePair(RD))
          Out.push_back({S, Sock, RD});
        return WalkNext::Into;
      }
    // A callee defined here that is handed the whole record is judged in its own body.
    const FunctionDecl *Direct = CE->getDirectCallee();
    bool Whole = !(Direct && Direct->hasBody());
    const RecordDecl *RD = nullptr;
    if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE))
      RD = ownRecordOf(MCE->getImplicitObjectArgument(), FD, false);
    for (const Expr *A : CE->arguments())
      if (!RD)
        RD = ownRecordOf(A, FD, Whole);
    if (RD && hasCandidatePair(RD) && endsSomething(CE))
      Out.push_back({S, calleeDecl(calleeOf(CE)), RD});
    else if (Deep && !Whole)
      deepSite(CE, FD, Out);
    return WalkNext::Into;
  });
}

/// A call of a function of the file whose own statements end the record it is a method of
/// (called on the record itself: `shutdown(lock)`) or that it is handed (`conn_close(c)`): the
/// teardown is this call's, judged with what this function consulted before it.
void PendingOutput::deepSite(const CallExpr *CE, const FunctionDecl *FD,
                             llvm::SmallVectorImpl<Site> &Out) {
  const FunctionDecl *Def = CE->getDirectCallee()->getDefinition();
  if (!Def || !Def->getBody() || Def == FD || isa<CXXConstructorDecl>(Def) ||
      isa<CXXDestructorDecl>(Def) || failureNamed(Def) || !inMainFile(Def))
    return;
  const RecordDecl *RD = nullptr;
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE)) {
    const Expr *Obj = MCE->getImplicitObjectArgument();
    const auto *MD = dyn_cast<CXXMethodDecl>(FD);
    if (Obj && isa<CXXThisExpr>(Obj->IgnoreParenImpCasts()) && MD)
      RD = MD->getParent()->getDefinition();
  } else {
    for (const Expr *A : CE->arguments())
      if (!RD)
        RD = ownRecordOf(A, FD, true);
  }
  if (!RD || !hasCandidatePair(RD))
    return;
  llvm::SmallVector<Site, 2> Inner;
  sites(Def, Inner, false);
  for (const Site &I : Inner)
    if (I.Record == RD) {
      Out.push_back({CE, Def, RD, Def, I.S});
      return;
    }
}

bool PendingOutput::mayTearDown(const FunctionDecl *FD) {
  if (!FD || !FD->getBody() || isa<CXXConstructorDecl>(FD) || failureNamed(FD) ||
      (isa<CXXDestructorDecl>(FD) && !CheckDestructors))
    return false;
  if (FD->getASTContext().getSourceManager().isInSystemHeader(FD->getLocation()))
    return false;
  if (Ctx != &FD->getASTContext()) {
    reset();
    Ctx = &FD->getASTContext();
  }
  // Only a method of such a record, or a function handed a pointer to one, is looked into.
  bool Candidate = false;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
    Candidate = !MD->isStatic() && !MD->getParent()->isLambda() &&
                MD->getParent()->getDefinition() &&
                hasCandidatePair(MD->getParent()->getDefinition());
  for (const ParmVarDecl *P : FD->parameters())
    if (!Candidate && (P->getType()->isPointerType() || P->getType()->isReferenceType()))
      if (const RecordDecl *RD = P->getType()->getPointeeType()->getAsRecordDecl())
        Candidate = RD->getDefinition() && hasCandidatePair(RD->getDefinition());
  if (!Candidate)
    return false;
  llvm::SmallVector<Site, 2> S;
  sites(FD, S);
  return !S.empty();
}

/// What one function body does to queue members, gathered in the file's one walk.
struct PendingOutput::BodyFacts {
  /// `q.pop_front()`, `q.clear()`: the queue and the object it belongs to.
  llvm::SmallVector<std::pair<const FieldDecl *, const Expr *>, 2> Removals;
};

/// A member an argument of a call names, with the object it is reached through and the
/// argument's index: `t->offsSndBuf` of `t`, in argument 2 of `TCPSendBuf(t, t->sndBuf,
/// t->offsSndBuf)`.
struct PendingOutput::Mention {
  const FieldDecl *F;
  const Expr *Base;
  unsigned Arg;
};

/// Drains, fills and producers in one call: `write(outpos, outsize)`,
/// `encoder->get_data(&outpos, &outsize)`, `m_send_queue.push_back(dg)`.
void PendingOutput::scanCall(const CallExpr *CE, const FunctionDecl *FD, BodyFacts &Facts) {
  if (const FunctionDecl *Direct = CE->getDirectCallee())
    Calls[Direct->getCanonicalDecl()].push_back({FD, CE});
  const FieldDecl *Producer = scanQueueCall(CE, FD, Facts);
  llvm::SmallVector<Mention, 4> Mentioned;
  for (unsigned I = 0; I < CE->getNumArgs(); ++I) {
    const Expr *A = CE->getArg(I);
    const Expr *S = A->IgnoreParenCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(S))
      if (UO->getOpcode() == UO_AddrOf)
        if (const FieldDecl *F = fieldOf(UO->getSubExpr())) {
          Evidence &E = evidence(parentOf(F));
          E.Filled.insert(F);
          if (Producer && parentOf(Producer) == parentOf(F))
            E.Producers.insert(Producer);
        }
    forMembers(A, [&](const MemberExpr *ME) {
      if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl()))
        Mentioned.push_back({F, ME->getBase(), I});
    });
  }
  for (const Mention &B : Mentioned) {
    if (!isBufferLike(B.F))
      continue;
    Evidence::Drain D;
    D.Call = CE;
    D.Fn = FD;
    D.Buffer = B.F;
    // The count handed beside the buffer first (`bufpos - sentlen`), the offset into it
    // (`buf + sentlen`) after.
    for (bool Beside : {true, false})
      for (const Mention &N : Mentioned)
        if ((N.Arg != B.Arg) == Beside && N.F != B.F && parentOf(N.F) == parentOf(B.F) &&
            isAmount(N.F) && sameObject(B.Base, N.Base) && !llvm::is_contained(D.Amounts, N.F))
          D.Amounts.push_back(N.F);
    D.ViaObject = ownChannel(CE, B.Base);
    otherMembers(B.F, B.Base, Mentioned, D.Others);
    if (!D.Amounts.empty() && writesOut(CE)) {
      ownerDrain(CE, FD, B, D.Amounts, Mentioned);
      evidence(parentOf(B.F)).Drains.push_back(std::move(D));
      return;
    }
  }
}

/// What a method or an operator called on a queue member does to it: a fill is recorded, a
/// removal kept in \p Facts for the body's second look. Also a call of a declared queue's
/// method (scanDeclaredQueue). Answers the member a method is called on, a possible producer.
const FieldDecl *PendingOutput::scanQueueCall(const CallExpr *CE, const FunctionDecl *FD,
                                              BodyFacts &Facts) {
  const FieldDecl *Producer = nullptr;
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE)) {
    scanDeclaredQueue(MCE, FD);
    const Expr *QBase = nullptr;
    Producer = fieldOf(MCE->getImplicitObjectArgument(), &QBase);
    if (Producer && isQueue(Producer))
      switch (queueEffect(MCE->getMethodDecl())) {
      case 1:
        evidence(parentOf(Producer)).Filled.insert(Producer);
        break;
      case 2:
        Facts.Removals.push_back({Producer, QBase});
        break;
      default:
        break;
      }
  }
  // `m_buf += dg`: an operator of the queue that fills it.
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE))
    if (OC->getNumArgs() == 2)
      if (const FieldDecl *Q = fieldOf(OC->getArg(0)))
        if (isQueue(Q) && queueEffect(OC->getDirectCallee()) == 1)
          evidence(parentOf(Q)).Filled.insert(Q);
  return Producer;
}

/// The members of the object \p Base beside \p Buffer that a call names (\p Mentioned), added
/// to \p Others once each; those that are a socket are the record's channels.
void PendingOutput::otherMembers(const FieldDecl *Buffer, const Expr *Base,
                                 llvm::ArrayRef<Mention> Mentioned,
                                 llvm::SmallVectorImpl<const FieldDecl *> &Others) {
  for (const Mention &M : Mentioned)
    if (M.F != Buffer && parentOf(M.F) == parentOf(Buffer) && sameObject(Base, M.Base) &&
        !llvm::is_contained(Others, M.F)) {
      Others.push_back(M.F);
      if (Channels.isSocketMember(M.F))
        evidence(parentOf(M.F)).Channels.insert(M.F);
    }
}

/// The buffer \p B a write drains is a member's (`nc->bw->data`, `out_->data`): the member's
/// owner holds the output too, and owes it when the write goes through the owner's channel.
void PendingOutput::ownerDrain(const CallExpr *CE, const FunctionDecl *FD, const Mention &B,
                               llvm::ArrayRef<const FieldDecl *> Amounts,
                               llvm::ArrayRef<Mention> Mentioned) {
  const Expr *Outer = nullptr;
  const FieldDecl *H = fieldOf(strip(B.Base), &Outer);
  if (!H || H == B.F || parentOf(H) == parentOf(B.F))
    return;
  Evidence::Drain O;
  O.Call = CE;
  O.Fn = FD;
  O.Buffer = H;
  O.Inner = B.F;
  O.Amounts.assign(Amounts.begin(), Amounts.end());
  O.ViaObject = ownChannel(CE, Outer);
  otherMembers(H, Outer, Mentioned, O.Others);
  evidence(parentOf(H)).Drains.push_back(std::move(O));
}

/// A record's output queue seen only through its methods' declarations: their bodies are in
/// another file (OpenRCT2's NetworkBase.cpp calls `connection.QueuePacket(std::move(packet))`
/// and `connection.SendQueuedPackets()` of a class defined in NetworkConnection.cpp). The queue
/// is the one container member whose element type a `void` method whose name says queue, send
/// or write takes (`std::deque<NetworkPacket> _outboundPackets`, `QueuePacket(NetworkPacket
/// &&)`); the record also has a socket member and a method without arguments whose name says
/// send, write or flush (`SendQueuedPackets()`).
struct PendingOutput::DeclaredQueue {
  const FieldDecl *Queue = nullptr;
  llvm::SmallPtrSet<const CXXMethodDecl *, 4> Fills, Sends;
};

namespace {
/// The element type of a container member (`std::deque<NetworkPacket>`): its first template
/// argument, when that is a class.
QualType elementOf(const FieldDecl *F) {
  const auto *CTSD =
      dyn_cast_or_null<ClassTemplateSpecializationDecl>(F->getType()->getAsCXXRecordDecl());
  if (!CTSD || CTSD->getTemplateArgs().size() == 0 ||
      CTSD->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return QualType();
  QualType E = CTSD->getTemplateArgs()[0].getAsType().getCanonicalType();
  return E->isRecordType() ? E.getUnqualifiedType() : QualType();
}

bool bodyInMainFile(const FunctionDecl *FD) {
  const FunctionDecl *Def = FD->getDefinition();
  return Def && inMainFile(Def);
}
} // namespace

/// The queue member \p M fills, by its declaration alone, or null.
const FieldDecl *PendingOutput::queueOfFill(const CXXMethodDecl *M,
                                            const CXXRecordDecl *RD) const {
  if (M->isStatic() || !M->getIdentifier() || !M->getReturnType()->isVoidType() ||
      bodyInMainFile(M) || !nameHasWord(M->getName(), QueueFillWords) ||
      nameHasWord(M->getName(), QueryWords) || reportsAnEnd(M->getName()))
    return nullptr;
  const FieldDecl *Found = nullptr;
  for (const FieldDecl *F : RD->fields()) {
    QualType Elem = elementOf(F);
    if (Elem.isNull() || !isBufferLike(F))
      continue;
    for (const ParmVarDecl *P : M->parameters()) {
      QualType T = P->getType().getNonReferenceType().getCanonicalType().getUnqualifiedType();
      if (T != Elem)
        continue;
      if (Found && Found != F)
        return nullptr; // two containers of the same elements: which one is output?
      Found = F;
    }
  }
  return Found;
}

const PendingOutput::DeclaredQueue *PendingOutput::declaredQueue(const RecordDecl *R) {
  auto It = DeclaredQueues.find(R);
  if (It != DeclaredQueues.end())
    return It->second.get();
  std::unique_ptr<DeclaredQueue> &Slot = DeclaredQueues[R];
  const auto *RD = dyn_cast_or_null<CXXRecordDecl>(R);
  if (!RD || !RD->getDefinition())
    return nullptr;
  RD = RD->getDefinition();
  if (llvm::none_of(RD->fields(), [this](const FieldDecl *F) { return Channels.isSocketMember(F); }))
    return nullptr;
  auto Q = std::make_unique<DeclaredQueue>();
  for (const CXXMethodDecl *M : RD->methods())
    if (const FieldDecl *F = queueOfFill(M, RD)) {
      if (Q->Queue && Q->Queue != F)
        return nullptr;
      Q->Queue = F;
      Q->Fills.insert(M->getCanonicalDecl());
    }
  if (!Q->Queue)
    return nullptr;
  for (const CXXMethodDecl *M : RD->methods())
    if (!M->isStatic() && M->getIdentifier() && !Q->Fills.count(M->getCanonicalDecl()) &&
        !isa<CXXConstructorDecl>(M) && M->getMinRequiredArguments() == 0 &&
        !bodyInMainFile(M) && nameHasWord(M->getName(), QueueSendWords) &&
        !nameHasWord(M->getName(), QueryWords) && !reportsAnEnd(M->getName()))
      Q->Sends.insert(M->getCanonicalDecl());
  if (Q->Sends.empty())
    return nullptr;
  Slot = std::move(Q);
  return DeclaredQueues[R].get();
}

/// `connection.QueuePacket(p)` fills a declared queue; `connection.SendQueuedPackets()` drains it.
void PendingOutput::scanDeclaredQueue(const CXXMemberCallExpr *MCE, const FunctionDecl *FD) {
  const CXXMethodDecl *M = MCE->getMethodDecl();
  if (!M)
    return;
  const DeclaredQueue *Q = declaredQueue(M->getParent());
  if (!Q)
    return;
  Evidence &E = evidence(parentOf(Q->Queue));
  if (Q->Fills.count(M->getCanonicalDecl())) {
    E.Filled.insert(Q->Queue);
  } else if (Q->Sends.count(M->getCanonicalDecl())) {
    Evidence::Drain D;
    D.Call = MCE;
    D.Fn = FD;
    D.Buffer = Q->Queue;
    D.Amounts.push_back(Q->Queue);
    D.ViaObject = true;
    D.Declared = true;
    E.Drains.push_back(std::move(D));
  }
}

/// True if the write at \p CE is a method of the record (`write(outpos, outsize)`) or is
/// handed the record itself (`TCPSendBuf(t, t->sndBuf, ...)`).
bool PendingOutput::ownChannel(const CallExpr *CE, const Expr *Base) const {
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE))
    if (const Expr *Obj = MCE->getImplicitObjectArgument())
      if (sameObject(Obj, Base))
        return true;
  return llvm::any_of(CE->arguments(), [Base](const Expr *A) { return sameObject(A, Base); });
}

PendingOutput::Evidence &PendingOutput::evidence(const RecordDecl *RD) {
  std::unique_ptr<Evidence> &E = Records[RD];
  if (!E)
    E = std::make_unique<Evidence>();
  return *E;
}

void PendingOutput::scanBody(const FunctionDecl *FD) {
  BodyFacts Facts;
  auto Visit = [&](const Stmt *S) {
    // A completion handler's body is its own caller: `[this](error_code ec) { if (ec)
    // do_close(); }`.
    if (const auto *LE = dyn_cast<LambdaExpr>(S)) {
      if (const CXXMethodDecl *Op = LE->getCallOperator())
        if (Op->getBody())
          scanBody(Op);
      return WalkNext::Over;
    }
    if (const auto *CE = dyn_cast<CallExpr>(S)) {
      scanCall(CE, FD, Facts);
      return WalkNext::Into;
    }
    // `t->offsSndBuf += len`, `outsize++`: the amount grows. Grown by what a read answered
    // (sofia-sip's `r = ws_raw_read(wsh, wsh->body + wsh->rplen, ...); wsh->rplen += r;`),
    // it counts input.
    const Expr *Grown = nullptr;
    if (const auto *CA = dyn_cast<CompoundAssignOperator>(S))
      if (CA->getOpcode() == BO_AddAssign && !readCount(CA->getRHS()))
        Grown = CA->getLHS();
    if (const auto *UO = dyn_cast<UnaryOperator>(S))
      if (UO->isIncrementOp())
        Grown = UO->getSubExpr();
    if (const FieldDecl *F = fieldOf(Grown))
      if (isAmount(F))
        evidence(parentOf(F)).Filled.insert(F);
    return WalkNext::Into;
  };
  walkStmts(FD->getBody(), 50000, Visit, /*Lambdas=*/true);
  if (!Facts.Removals.empty())
    scanQueueDrains(FD, Facts);
}

namespace {
/// The variables and members \p S names (bounded, lambdas left out).
void namedIn(const Stmt *S, llvm::SmallVectorImpl<const ValueDecl *> &Out) {
  walkStmts(S, 96, [&Out](const Stmt *C) {
    if (const auto *ME = dyn_cast<MemberExpr>(C))
      if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl()))
        Out.push_back(F);
    if (const auto *DRE = dyn_cast<DeclRefExpr>(C))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        Out.push_back(VD);
    return WalkNext::Into;
  });
}

/// The variable or member an assignment or a fill stores into (`m_buf`, `dg`, `msg.body`).
const ValueDecl *storedInto(const Expr *E) {
  E = strip(E);
  if (const auto *ASE = dyn_cast_or_null<ArraySubscriptExpr>(E))
    E = strip(ASE->getBase());
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(E))
    return dyn_cast<FieldDecl>(ME->getMemberDecl());
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
    return dyn_cast<VarDecl>(DRE->getDecl());
  return nullptr;
}
} // namespace

/// A function that takes elements out of a queue member (`q.pop_front()`, `q.clear()`) drains
/// it when it also writes them, or what it built from them, to the record's own channel:
/// `SendPacket(_outboundPackets.front())`, `for (auto &dg : m_send_queue) m_buf += dg;` then
/// `m_socket->write(&m_buf[0], ...)`. Only such functions are walked again, for the flows of
/// values between their variables and members, their writes and the amounts they zero.
/// What a function that takes elements out of a queue does with values: which variables and
/// members each one flows into, its writes, and the amounts it zeroes or lowers.
struct PendingOutput::QueueFlows {
  llvm::DenseMap<const ValueDecl *, llvm::SmallVector<const ValueDecl *, 2>> Flows;
  llvm::SmallVector<const CallExpr *, 4> Writes;
  llvm::SmallVector<const FieldDecl *, 2> Zeroed;
  // `m_total_queue_size -= dg->size()`: a total the drain lowers by what it takes out.
  llvm::SmallVector<std::pair<const FieldDecl *, const Expr *>, 2> Lowered;
};

void PendingOutput::queueFlows(const FunctionDecl *FD, QueueFlows &Out) const {
  auto Flow = [&Out](const Stmt *From, const ValueDecl *To) {
    if (!From || !To)
      return;
    llvm::SmallVector<const ValueDecl *, 8> Names;
    namedIn(From, Names);
    for (const ValueDecl *N : Names)
      if (N != To)
        Out.Flows[N].push_back(To);
  };
  walkStmts(FD->getBody(), 20000, [&](const Stmt *S) {
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          Flow(VD->getInit(), VD);
    } else if (const auto *RF = dyn_cast<CXXForRangeStmt>(S)) {
      Flow(RF->getRangeInit(), RF->getLoopVariable());
    } else if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      if (BO->isAssignmentOp())
        Flow(BO->getRHS(), storedInto(BO->getLHS()));
      const FieldDecl *F = fieldOf(BO->getLHS());
      if (!F || !isAmount(F))
        return WalkNext::Into;
      if (BO->getOpcode() == BO_SubAssign)
        Out.Lowered.push_back({F, BO->getRHS()});
      // `m_total_queue_size = 0`: the drain resets a total kept beside the queue.
      Expr::EvalResult R;
      if (BO->getOpcode() == BO_Assign && !BO->getRHS()->isValueDependent() &&
          BO->getRHS()->EvaluateAsInt(R, *Ctx) && R.Val.getInt().isZero())
        Out.Zeroed.push_back(F);
    } else if (const auto *CE = dyn_cast<CallExpr>(S)) {
      if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE)) {
        if (OC->getNumArgs() == 2 &&
            (OC->isAssignmentOp() || queueEffect(OC->getDirectCallee()) == 1))
          Flow(OC->getArg(1), storedInto(OC->getArg(0)));
      } else if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(CE)) {
        if (queueEffect(MCE->getMethodDecl()) == 1)
          for (const Expr *A : MCE->arguments())
            Flow(A, storedInto(MCE->getImplicitObjectArgument()));
      }
      if (writesOut(CE))
        Out.Writes.push_back(CE);
    }
    return WalkNext::Into;
  });
}

/// A function that takes elements out of a queue member (`q.pop_front()`, `q.clear()`) drains
/// it when it also writes them, or what it built from them, to the record's own channel:
/// `SendPacket(_outboundPackets.front())`, `for (auto &dg : m_send_queue) m_buf += dg;` then
/// `m_socket->write(&m_buf[0], ...)`. Only such functions are walked again, for the flows of
/// values between their variables and members, their writes and the amounts they zero.
void PendingOutput::scanQueueDrains(const FunctionDecl *FD, const BodyFacts &Facts) {
  QueueFlows QF;
  queueFlows(FD, QF);
  const auto &Flows = QF.Flows;
  const auto &Writes = QF.Writes;
  if (Writes.empty())
    return;
  for (const auto &Removal : Facts.Removals) {
    const FieldDecl *Q = Removal.first;
    const Expr *Base = Removal.second;
    const RecordDecl *RD = parentOf(Q);
    // What the queue's elements reach in this function.
    llvm::DenseSet<const ValueDecl *> Reached{Q};
    llvm::SmallVector<const ValueDecl *, 8> Todo{Q};
    while (!Todo.empty() && Reached.size() < 64) {
      auto It = Flows.find(Todo.pop_back_val());
      if (It != Flows.end())
        for (const ValueDecl *To : It->second)
          if (Reached.insert(To).second)
            Todo.push_back(To);
    }
    auto SocketOf = [&](const Expr *E) -> const FieldDecl * {
      const Expr *B = nullptr;
      const FieldDecl *F = fieldOf(strip(E), &B);
      return F && parentOf(F) == RD && sameObject(B, Base) && Channels.isSocketMember(F) ? F
                                                                                         : nullptr;
    };
    for (const CallExpr *W : Writes) {
      llvm::SmallVector<const ValueDecl *, 8> Args;
      for (const Expr *A : W->arguments())
        namedIn(A, Args);
      if (!llvm::any_of(Args, [&Reached](const ValueDecl *V) { return Reached.count(V); }))
        continue;
      // The record's own channel: a method of the record, the record handed, or a socket
      // member of it written through or handed.
      const FieldDecl *Sock = nullptr;
      if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(W))
        Sock = SocketOf(MCE->getImplicitObjectArgument());
      for (const Expr *A : W->arguments())
        if (!Sock)
          Sock = SocketOf(A);
      if (!Sock && !ownChannel(W, Base))
        continue;
      Evidence &E = evidence(RD);
      if (Sock)
        E.Channels.insert(Sock);
      Evidence::Drain D;
      D.Call = W;
      D.Fn = FD;
      D.Buffer = Q;
      for (const FieldDecl *Z : QF.Zeroed)
        if (parentOf(Z) == RD && !llvm::is_contained(D.Amounts, Z))
          D.Amounts.push_back(Z);
      for (const auto &[L, By] : QF.Lowered) {
        llvm::SmallVector<const ValueDecl *, 4> Names;
        namedIn(By, Names);
        if (parentOf(L) == RD && !llvm::is_contained(D.Amounts, L) &&
            llvm::any_of(Names, [&Reached](const ValueDecl *V) { return Reached.count(V); }))
          D.Amounts.push_back(L);
      }
      D.Amounts.push_back(Q);
      D.ViaObject = true;
      E.Drains.push_back(std::move(D));
      break;
    }
  }
}

/// One walk over the main file's function bodies (namespaces, classes, templates' patterns).
void PendingOutput::scan() {
  Scanned = true;
  llvm::SmallVector<const DeclContext *, 16> Work{Ctx->getTranslationUnitDecl()};
  for (unsigned Steps = 0; !Work.empty() && Steps < 100000; ++Steps) {
    const DeclContext *DC = Work.pop_back_val();
    // Only the main file's declarations: the editor's preamble is never read.
    for (const Decl *D : mainFileDecls(DC)) {
      if (const auto *FTD = dyn_cast<FunctionTemplateDecl>(D))
        D = FTD->getTemplatedDecl();
      if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
        if (FD->doesThisDeclarationHaveABody() && inMainFile(FD))
          scanBody(FD);
        continue;
      }
      if (isa<NamespaceDecl>(D) || isa<LinkageSpecDecl>(D) ||
          (isa<CXXRecordDecl>(D) && inMainFile(D)))
        Work.push_back(cast<DeclContext>(D));
    }
  }
}

/// True if the drain \p D writes to the record's own channel: through the record, or with a
/// member beside the buffer that is a socket, a stream or a handle (`write(c->fd, c->buf,
/// c->len)`, `async_write(socket_, ...)`). A buffer written to a descriptor it is handed
/// (`::write(fd, data_ + off_, len_ - off_)`, a packet's `net__write(mosq,
/// &packet->payload[packet->pos], packet->to_process)`) owes nothing of its own: its owner
/// does.
static bool ownsChannel(const PendingOutput::Evidence::Drain &D, const PendingOutput::Evidence &E) {
  if (D.ViaObject)
    return true;
  return llvm::any_of(D.Others, [&E](const FieldDecl *F) { return E.Channels.count(F); });
}

PendingOutput::Evidence *PendingOutput::evidenceFor(const RecordDecl *RD) {
  if (!Scanned)
    scan();
  auto It = Records.find(RD);
  if (It == Records.end())
    return nullptr;
  Evidence &E = *It->second;
  if (!E.Resolved) {
    E.Resolved = true;
    for (const Evidence::Drain &D : E.Drains) {
      // Any write of the buffer drains it, and any test of what it hands the write consults
      // it (`while (left_ > 0) send(fd_, p_, left_, 0);`), grown somewhere or not.
      // (Of a buffer one level down, the inner buffer: `if (nc->bw)` tests a pointer.)
      E.Members.insert(D.Inner ? D.Inner : D.Buffer);
      E.Members.insert(D.Amounts.begin(), D.Amounts.end());
      E.Drainers.insert(D.Fn->getCanonicalDecl());
      if (const NamedDecl *CD = calleeDecl(calleeOf(D.Call)))
        E.DrainCallees.insert(CD->getCanonicalDecl());
      for (const FieldDecl *N : D.Amounts)
        if (!E.Pending && grown(N) && ownsChannel(D, E)) {
          E.Pending = &D;
          E.Amount = N;
        }
    }
    llvm::SmallVector<const FunctionDecl *, 8> Level(E.Drainers.begin(), E.Drainers.end());
    for (unsigned Depth = 0; Depth < 3 && !Level.empty(); ++Depth) {
      llvm::SmallVector<const FunctionDecl *, 8> Next;
      for (const FunctionDecl *Callee : Level) {
        auto C = Calls.find(Callee);
        if (C == Calls.end())
          continue;
        for (const auto &[Caller, Call] : C->second)
          if (!E.Drainers.count(Caller->getCanonicalDecl()) &&
              E.DrainerCallers.insert(Caller->getCanonicalDecl()).second)
            Next.push_back(Caller->getCanonicalDecl());
      }
      Level = std::move(Next);
    }
  }
  return E.Pending ? &E : nullptr;
}

/// True if \p Branch of \p If is taken when a status is not its success value: the then
/// branch of `iRet != RS_RET_OK`, the else branch of `rc == STATUS_OK`.
static bool failedBranch(const IfStmt *If, const Stmt *Branch) {
  const auto *BO = dyn_cast_or_null<BinaryOperator>(If->getCond()->IgnoreParenImpCasts());
  if (!BO || (BO->getOpcode() != BO_NE && BO->getOpcode() != BO_EQ))
    return false;
  auto Success = [](const Expr *E) {
    const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    return DRE && isa<EnumConstantDecl>(DRE->getDecl()) && DRE->getDecl()->getIdentifier() &&
           StateVocabulary::namesSuccess(DRE->getDecl()->getName());
  };
  if (!Success(BO->getLHS()) && !Success(BO->getRHS()))
    return false;
  return Branch == (BO->getOpcode() == BO_NE ? If->getThen() : If->getElse());
}

/// True if \p Branch of \p If is taken when a read in \p Fn found the end of its input or
/// failed (`if (0 == bytes_read)` after `bytes_read = connection->recv_cls(...)`): the peer
/// is gone, and what is still queued for it has nowhere to go.
static bool peerGoneBranch(const IfStmt *If, const Stmt *Branch, const FunctionDecl *Fn) {
  static const llvm::StringRef ReadWords[] = {"read", "recv", "receive", "recvfrom", "recvmsg"};
  static const llvm::StringRef GoneWords[] = {"closed", "eof", "hup", "shutdown", "gone"};
  if (Branch != If->getThen() || !Fn->getBody())
    return false;
  // A flag saying the read side ended (`if (connection->read_closed)`).
  const Expr *Cond = If->getCond()->IgnoreParenImpCasts();
  const ValueDecl *Flag = nullptr;
  if (const auto *ME = dyn_cast<MemberExpr>(Cond))
    Flag = ME->getMemberDecl();
  else if (const auto *FR = dyn_cast<DeclRefExpr>(Cond))
    Flag = FR->getDecl();
  if (Flag && Flag->getIdentifier() && Flag->getType()->isBooleanType() &&
      nameHasWord(Flag->getName(), ReadWords) && nameHasWord(Flag->getName(), GoneWords))
    return true;
  const auto *BO = dyn_cast<BinaryOperator>(Cond);
  if (!BO)
    return false;
  const ASTContext &C = Fn->getASTContext();
  auto Zero = [&C](const Expr *E) {
    Expr::EvalResult R;
    return !E->isValueDependent() && E->EvaluateAsInt(R, C) && R.Val.getInt().isZero();
  };
  const Expr *Other = Zero(BO->getRHS()) ? BO->getLHS() : Zero(BO->getLHS()) ? BO->getRHS() : nullptr;
  bool AtOrBelow = BO->getOpcode() == BO_EQ ||
                   (Other == BO->getLHS() ? BO->getOpcode() == BO_LE || BO->getOpcode() == BO_LT
                                          : BO->getOpcode() == BO_GE || BO->getOpcode() == BO_GT);
  const auto *DRE = Other ? dyn_cast<DeclRefExpr>(Other->IgnoreParenImpCasts()) : nullptr;
  const auto *Var = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!Var || !AtOrBelow || !Var->isLocalVarDecl())
    return false;
  auto FromRead = [](const Expr *E) {
    const auto *CE = dyn_cast_or_null<CallExpr>(E ? E->IgnoreParenCasts() : nullptr);
    const NamedDecl *D = CE ? calleeDecl(calleeOf(CE)) : nullptr;
    return D && D->getIdentifier() && nameHasWord(D->getName(), ReadWords);
  };
  if (FromRead(Var->getInit()))
    return true;
  return walkStmts(Fn->getBody(), 20000, [&](const Stmt *S) {
    const auto *A = dyn_cast<BinaryOperator>(S);
    const auto *L = A && A->getOpcode() == BO_Assign
                        ? dyn_cast<DeclRefExpr>(A->getLHS()->IgnoreParenImpCasts())
                        : nullptr;
    return L && L->getDecl() == Var && FromRead(A->getRHS()) ? WalkNext::Stop : WalkNext::Into;
  });
}

/// True if \p Call runs only on the way out of a failure (RoleInference.h), or in a branch of
/// a test of an error (`if (ec) do_close();`, `if (err != 0) { conn_free(c); }`): closing
/// because the peer or the write failed loses nothing more.
static bool onFailure(const Stmt *Call, const FunctionDecl *Fn) {
  if (completesOnlyOnFailureOrRelease(Call, Fn))
    return true;
  auto NamesError = [](const Stmt *Cond) {
    auto Visit = [](const Stmt *S) {
      const auto *DRE = dyn_cast<DeclRefExpr>(S);
      if (!DRE)
        return WalkNext::Into;
      // `err`, `failed`, or a value of an error type (`std::error_code ec`).
      const ValueDecl *D = DRE->getDecl();
      const RecordDecl *T = D->getType().getNonReferenceType()->getAsRecordDecl();
      bool Error = (D->getIdentifier() && StateVocabulary::mentionsFailure(D->getName())) ||
                   (T && T->getIdentifier() && StateVocabulary::mentionsFailure(T->getName()));
      return Error ? WalkNext::Stop : WalkNext::Into;
    };
    return walkStmts(Cond, 64, Visit, /*Lambdas=*/true);
  };
  ParentMap PM(Fn->getBody());
  const Stmt *Cur = Call;
  for (unsigned Depth = 0; Depth < 32; ++Depth) {
    const Stmt *P = PM.getParent(Cur);
    if (!P)
      return false;
    if (const auto *If = dyn_cast<IfStmt>(P))
      if (If->getCond() != Cur && (NamesError(If->getCond()) || failedBranch(If, Cur) ||
                                   peerGoneBranch(If, Cur, Fn)))
        return true;
    Cur = P;
  }
  return false;
}

/// True if \p Cond reads the pending output: its buffer or amount, or a method of its producer
/// (`t->offsSndBuf != 0`, `ringbuf_used(c->buf)`, `encoder->has_data()`).
static bool readsPending(const Stmt *Cond, const PendingOutput::Evidence &E);

bool PendingOutput::consultedBefore(const FunctionDecl *Fn, const Stmt *Site,
                                    const RecordDecl *Record, const Evidence &E) const {
  const Stmt *Body = Fn->getBody();
  const SourceManager &SM = Ctx->getSourceManager();
  SourceLocation At = Site->getBeginLoc();
  return walkStmts(Body, 20000, [&](const Stmt *S) {
    if (!SM.isBeforeInTranslationUnit(S->getBeginLoc(), At))
      return WalkNext::Over;
    return consults(S, Fn, Record, E) ? WalkNext::Stop : WalkNext::Into;
  });
}

/// True if \p S, a statement of \p Fn, tests, drains or drops the pending output of
/// \p Record.
bool PendingOutput::consults(const Stmt *S, const FunctionDecl *Fn, const RecordDecl *Record,
                             const Evidence &E) const {
  const Stmt *Cond = nullptr;
  if (const auto *If = dyn_cast<IfStmt>(S))
    Cond = If->getCond();
  else if (const auto *W = dyn_cast<WhileStmt>(S))
    Cond = W->getCond();
  else if (const auto *D = dyn_cast<DoStmt>(S))
    Cond = D->getCond();
  else if (const auto *F = dyn_cast<ForStmt>(S))
    Cond = F->getCond();
  else if (const auto *CO = dyn_cast<ConditionalOperator>(S))
    Cond = CO->getCond();
  else if (const auto *Sw = dyn_cast<SwitchStmt>(S))
    Cond = Sw->getCond();
  if (Cond && readsPending(Cond, E))
    return true;
  // The drain, or a function that drains: `TCPSendBuf(t, t->sndBuf, ...)`, `conn_flush(c)`;
  // or a write or flush handed the record (`outq_flush(c)`): what its answer allows is
  // the flow analysis's to judge.
  if (const auto *CE = dyn_cast<CallExpr>(S)) {
    const FunctionDecl *Direct = CE->getDirectCallee();
    if (Direct && (E.Drainers.count(Direct->getCanonicalDecl()) ||
                   E.DrainerCallers.count(Direct->getCanonicalDecl())))
      return true;
    const NamedDecl *D = calleeDecl(calleeOf(CE));
    if (D && E.DrainCallees.count(D->getCanonicalDecl()))
      return true;
    if (llvm::any_of(CE->arguments(),
                     [&](const Expr *A) { return ownRecordOf(A, Fn, true) == Record; }) &&
        writesOut(CE))
      return true;
  }
  // `m_send_queue.clear()`: the queue's elements taken out (dropped, or handed on) before
  // the teardown.
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(S))
    if (const FieldDecl *F = fieldOf(MCE->getImplicitObjectArgument()))
      if (E.Members.count(F) && isQueue(F) && queueEffect(MCE->getMethodDecl()) == 2)
        return true;
  // `c->outlen = 0;`: dropped on purpose.
  if (const auto *BO = dyn_cast<BinaryOperator>(S))
    if (BO->getOpcode() == BO_Assign)
      if (const FieldDecl *F = fieldOf(BO->getLHS()))
        if (E.Members.count(F) && BO->getRHS()->getType()->isIntegerType()) {
          Expr::EvalResult R;
          if (BO->getRHS()->EvaluateAsInt(R, *Ctx) && R.Val.getInt().isZero())
            return true;
        }
  return false;
}

static bool readsPending(const Stmt *Cond, const PendingOutput::Evidence &E) {
  bool Reads = false;
  forMembers(Cond, [&](const MemberExpr *ME) {
    if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl()))
      Reads |= E.Members.count(F) > 0;
  });
  if (Reads)
    return true;
  auto AsksProducer = [&E](const Stmt *S) {
    if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(S))
      if (const FieldDecl *P = fieldOf(MCE->getImplicitObjectArgument()))
        if (E.Producers.count(P))
          return WalkNext::Stop;
    return WalkNext::Into;
  };
  return walkStmts(Cond, 96, AsksProducer, /*Lambdas=*/true);
}

/// Which branch of a condition finds the pending output empty: 1 the true one (`n == 0`,
/// `!n`, `q.empty()`), 2 the false one (`n != 0`, `n > 0`, `encoder->has_data()`), 0 neither.
int PendingOutput::emptyBranch(const Expr *Cond, const Evidence &E) const {
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond))
    if (UO->getOpcode() == UO_LNot) {
      int B = emptyBranch(UO->getSubExpr(), E);
      return B == 0 ? 0 : 3 - B;
    }
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond)) {
    int L = emptyBranch(BO->getLHS(), E), R = emptyBranch(BO->getRHS(), E);
    if (BO->getOpcode() == BO_LAnd)
      return L == 1 || R == 1 ? 1 : 0;
    if (BO->getOpcode() == BO_LOr)
      return L == 2 || R == 2 ? 2 : 0;
    auto Zero = [this](const Expr *X) {
      Expr::EvalResult Res;
      return !X->isValueDependent() && X->EvaluateAsInt(Res, *Ctx) && Res.Val.getInt().isZero();
    };
    const Expr *Other = Zero(BO->getRHS())   ? BO->getLHS()
                        : Zero(BO->getLHS()) ? BO->getRHS()
                                             : nullptr;
    if (!Other || !readsPending(Other, E))
      return 0;
    switch (BO->getOpcode()) {
    case BO_EQ:
    case BO_LE:
      return 1;
    case BO_NE:
    case BO_GT:
      return 2;
    default:
      return 0;
    }
  }
  if (const FieldDecl *F = fieldOf(Cond))
    return E.Members.count(F) ? 2 : 0;
  if (const auto *CE = dyn_cast<CallExpr>(Cond)) {
    if (!readsPending(CE, E))
      return 0;
    const NamedDecl *D = calleeDecl(calleeOf(CE));
    return D && D->getIdentifier() && nameHasWord(D->getName(), {"empty", "drained", "flushed"}) ? 1
                                                                                             : 2;
  }
  return 0;
}

/// True if a function that drains the output also ends the record once it found it empty
/// (`if (outsize == 0) terminate();`, `if (!has_pending(c) && c->close_after) conn_free(c);`).
bool PendingOutput::closesGracefully(Evidence &E) {
  if (E.Graceful >= 0)
    return E.Graceful;
  E.Graceful = 0;
  auto Ends = [this](const Stmt *S) {
    if (const auto *DE = dyn_cast<CXXDeleteExpr>(S))
      if (DE->getArgument() && isa<CXXThisExpr>(DE->getArgument()->IgnoreParenCasts()))
        return WalkNext::Stop;
    if (const auto *CE = dyn_cast<CallExpr>(S))
      if (endsSomething(CE))
        return WalkNext::Stop;
    return WalkNext::Into;
  };
  auto EndsWhenEmpty = [&](const Stmt *S) {
    const auto *If = dyn_cast<IfStmt>(S);
    if (!If || !If->getCond())
      return WalkNext::Into;
    int B = emptyBranch(If->getCond(), E);
    const Stmt *Branch = B == 1 ? If->getThen() : B == 2 ? If->getElse() : nullptr;
    return Branch && walkStmts(Branch, 2000, Ends) ? WalkNext::Stop : WalkNext::Into;
  };
  for (const FunctionDecl *D : E.Drainers) {
    const FunctionDecl *Def = D->getDefinition();
    if (Def && Def->getBody() && walkStmts(Def->getBody(), 20000, EndsWhenEmpty))
      return E.Graceful = 1;
  }
  return false;
}

/// A call of \p FD in this file made with the output neither consulted nor on a failure path;
/// \p Any says whether there is a call at all.
const CallExpr *PendingOutput::unguardedCaller(const FunctionDecl *FD, const RecordDecl *Record,
                                               const Evidence &E, bool &Any) {
  Any = false;
  auto It = Calls.find(FD->getCanonicalDecl());
  if (It == Calls.end())
    return nullptr;
  for (const auto &[Caller, Call] : It->second) {
    Any = true;
    // A destructor cannot wait for a write (judged only with CheckDestructors).
    if ((isa<CXXDestructorDecl>(Caller) && !CheckDestructors) ||
        isa<CXXConstructorDecl>(Caller))
      continue;
    if (failureNamed(Caller) || E.Drainers.count(Caller->getCanonicalDecl()) ||
        onFailure(Call, Caller) || consultedBefore(Caller, Call, Record, E))
      continue;
    // The caller is judged at this call, with what it consulted and what its callers did.
    if (judgedAtCall(Caller, Call))
      continue;
    return Call;
  }
  return nullptr;
}

bool PendingOutput::judgedAtCall(const FunctionDecl *Caller, const CallExpr *Call) {
  if (!mayTearDown(Caller))
    return false;
  llvm::SmallVector<Site, 4> S;
  sites(Caller, S);
  return llvm::any_of(S, [Call](const Site &St) { return St.S == Call && St.Via; });
}

/// True if the teardown inside the function a deep site calls is one its body does not
/// answer for itself: not on a failure path, nothing consulted before it, no drain.
bool PendingOutput::innerTeardownJudged(const Site &St, const Evidence &E) {
  return !E.Drainers.count(St.Via->getCanonicalDecl()) && !onFailure(St.Inner, St.Via) &&
         !consultedBefore(St.Via, St.Inner, St.Record, E);
}

/// True if \p FD queued into the record, through a method that fills its declared queue,
/// before \p Site ends it: on the same object (`connection.QueuePacket(...)`), or through a
/// function of the file handed the object that does (`Server_Send_SETDISCONNECTMSG(conn,
/// msg)`).
bool PendingOutput::queuedBefore(const FunctionDecl *FD, const Stmt *Site,
                                 const DeclaredQueue &Q) {
  const Expr *Obj = nullptr;
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(Site))
    fieldOf(strip(MCE->getImplicitObjectArgument()), &Obj);
  else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Site))
    fieldOf(OC->getArg(0), &Obj);
  if (!Obj)
    return false;
  auto Fills = [&Q](const CXXMemberCallExpr *MCE) {
    const CXXMethodDecl *M = MCE->getMethodDecl();
    return M && Q.Fills.count(M->getCanonicalDecl());
  };
  auto FillsParam = [&](const FunctionDecl *Def, const ParmVarDecl *P) {
    return walkStmts(Def->getBody(), 4000, [&](const Stmt *S) {
      if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(S))
        if (const auto *DRE = dyn_cast<DeclRefExpr>(strip(MCE->getImplicitObjectArgument())))
          if (DRE->getDecl() == P && Fills(MCE))
            return WalkNext::Stop;
      return WalkNext::Into;
    });
  };
  auto Queues = [&](const Stmt *S) {
    if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(S))
      if (Fills(MCE) && sameObject(strip(MCE->getImplicitObjectArgument()), strip(Obj)))
        return true;
    const auto *CE = dyn_cast<CallExpr>(S);
    const FunctionDecl *Def = CE && CE->getDirectCallee() ? CE->getDirectCallee()->getDefinition() : nullptr;
    if (!Def || !Def->getBody() || !inMainFile(Def) || isa<CXXMemberCallExpr>(CE))
      return false;
    for (unsigned I = 0; I < CE->getNumArgs() && I < Def->getNumParams(); ++I)
      if (sameObject(strip(CE->getArg(I)), strip(Obj)) && FillsParam(Def, Def->getParamDecl(I)))
        return true;
    return false;
  };
  const SourceManager &SM = Ctx->getSourceManager();
  return walkStmts(FD->getBody(), 20000, [&](const Stmt *S) {
    if (!SM.isBeforeInTranslationUnit(S->getBeginLoc(), Site->getBeginLoc()))
      return WalkNext::Over;
    return Queues(S) ? WalkNext::Stop : WalkNext::Into;
  });
}

std::optional<PendingTeardown> PendingOutput::teardownIn(const FunctionDecl *FD) {
  if (!mayTearDown(FD))
    return std::nullopt;
  llvm::SmallVector<Site, 2> S;
  sites(FD, S);
  const SourceManager &SM = Ctx->getSourceManager();
  llvm::sort(S, [&SM](const Site &A, const Site &B) {
    return SM.isBeforeInTranslationUnit(A.S->getBeginLoc(), B.S->getBeginLoc());
  });
  for (const Site &St : S) {
    Evidence *E = evidenceFor(St.Record);
    if (!E)
      continue;
    // Closing after its own failed write is how a writer handles the failure.
    if (E->Drainers.count(FD->getCanonicalDecl()))
      return std::nullopt;
    if (onFailure(St.S, FD) || (St.Via && !innerTeardownJudged(St, *E)))
      continue;
    if (consultedBefore(FD, St.S, St.Record, *E) || closesGracefully(*E))
      return std::nullopt;
    const CallExpr *Bad = nullptr;
    if (E->Pending->Declared) {
      // Only what this function queued is known to wait: the class's own code is elsewhere.
      const DeclaredQueue *Q = declaredQueue(St.Record);
      if (!Q || !queuedBefore(FD, St.S, *Q))
        continue;
    } else {
      bool Any = false;
      Bad = unguardedCaller(FD, St.Record, *E, Any);
      if (Any && !Bad)
        return std::nullopt;
    }
    return PendingTeardown{
        St.S, St.Ender, E->Pending->Buffer, E->Amount, E->Pending->Call, E->Pending->Fn, Bad};
  }
  return std::nullopt;
}

} // namespace drain
