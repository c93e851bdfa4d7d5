//===--- IgnoredCompletionError.cpp - completion errors nobody reads ------------===//
#include "analysis/checks/IgnoredCompletionError.h"
#include "analysis/core/Analysable.h"
#include "Compat.h"
#include "analysis/core/DiscardClassifier.h"
#include "analysis/core/Instantiations.h"
#include "analysis/core/ResultTypes.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/STLExtras.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace drain {

namespace {

const Stmt *parentStmt(ASTContext &Ctx, const Stmt *S) {
  TraversalKindScope Scope(Ctx, TK_AsIs);
  auto Parents = Ctx.getParents(*S);
  return Parents.empty() ? nullptr : Parents[0].get<Stmt>();
}

/// The innermost loop around \p S inside \p Body, or null.
const Stmt *enclosingLoop(ASTContext &Ctx, const Stmt *S, const Stmt *Body) {
  for (unsigned Depth = 0; S && S != Body && Depth < 64; ++Depth) {
    S = parentStmt(Ctx, S);
    if (S && (isa<ForStmt>(S) || isa<WhileStmt>(S) || isa<DoStmt>(S) || isa<CXXForRangeStmt>(S)))
      return S;
  }
  return nullptr;
}

/// References to a variable that receives a completion error, sorted into reads, writes
/// (assignments, clear()) and redirects (redirect_error(..., v), yield[v]).
struct ErrorVarUses : RecursiveASTVisitor<ErrorVarUses> {
  const VarDecl *V;
  llvm::DenseSet<const DeclRefExpr *> NotReads;
  llvm::SmallVector<const DeclRefExpr *, 4> Reads;
  llvm::SmallVector<SourceLocation, 4> Redirects;
  bool shouldVisitTemplateInstantiations() const { return false; }

  const DeclRefExpr *refTo(const Expr *E) {
    const auto *DRE = dyn_cast_or_null<DeclRefExpr>(peel(E));
    return DRE && DRE->getDecl() == V ? DRE : nullptr;
  }
  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->getOpcode() == BO_Assign)
      if (const auto *R = refTo(BO->getLHS()))
        NotReads.insert(R);
    return true;
  }
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *OC) {
    if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2)
      if (const auto *R = refTo(OC->getArg(0)))
        NotReads.insert(R);
    return true;
  }
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MC) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    if (MD && MD->getDeclName().isIdentifier() && MD->getName() == "clear")
      if (const auto *R = refTo(MC->getImplicitObjectArgument()))
        NotReads.insert(R);
    return true;
  }
  bool VisitCallExpr(CallExpr *CE) {
    // Every redirect of the error into V, whatever the operation.
    for (const Expr *A : CE->arguments()) {
      CompletionToken T = classifyToken(A);
      if (T.ErrorVar == V && T.ErrorVarRef)
        if (const auto *R = refTo(T.ErrorVarRef)) {
          NotReads.insert(R);
          Redirects.push_back(R->getBeginLoc());
        }
    }
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *DRE) {
    if (DRE->getDecl() == V)
      Reads.push_back(DRE);
    return true;
  }
};

bool before(SourceLocation A, SourceLocation B, const SourceManager &SM) {
  return SM.isBeforeInTranslationUnit(A, B);
}

/// Is the error variable read after \p Call, before the next redirect into it (or anywhere in
/// a loop around the call)?
bool errorVarRead(const CallExpr *Call, const VarDecl *V, const Stmt *Body, ASTContext &Ctx) {
  if (!V->hasLocalStorage() || V->getType()->isReferenceType())
    return true; // a member or an out-parameter: someone else may read it
  ErrorVarUses U;
  U.V = V;
  U.TraverseStmt(const_cast<Stmt *>(Body));
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation After = Call->getEndLoc();
  SourceLocation Next;
  for (SourceLocation L : U.Redirects)
    if (before(After, L, SM) && (Next.isInvalid() || before(L, Next, SM)))
      Next = L;
  const Stmt *Loop = enclosingLoop(Ctx, Call, Body);
  for (const DeclRefExpr *R : U.Reads) {
    if (U.NotReads.count(R))
      continue;
    SourceLocation L = R->getBeginLoc();
    if (Loop && !before(L, Loop->getBeginLoc(), SM) && !before(Loop->getEndLoc(), L, SM))
      return true;
    if (before(After, L, SM) && (Next.isInvalid() || before(L, Next, SM)))
      return true;
  }
  return false;
}

/// The function body around \p S (a lambda's, a function's).
const Stmt *enclosingBody(ASTContext &Ctx, const Stmt *S, const FunctionDecl *&FD) {
  FD = innermostFunction(Ctx, S);
  return FD ? FD->getBody() : nullptr;
}

std::string opName(const AsyncCall &A) { return A.Name; }

bool isStatus(const ParmVarDecl *P) {
  QualType T = P->getType().getCanonicalType();
  return T->isIntegerType() && !isErrorCodeType(P->getType());
}

std::string paramNote(const ParmVarDecl *P, bool Error) {
  if (!P->getIdentifier())
    return std::string("the ") + (Error ? (isStatus(P) ? "status" : "error") : "byte count") +
           " parameter is unnamed";
  return "'" + P->getNameAsString() + "' is never read in the handler";
}

/// What receives the value of \p Call through co_await: the co_await expression and, for
/// `auto [ec, n] = co_await ...`, the decomposition. The call is shared by the co_await's
/// operand and the promise's await_transform argument, so every parent is followed.
struct AwaitUse {
  const CoawaitExpr *Await = nullptr;
  const DecompositionDecl *Binding = nullptr;
};
AwaitUse awaitUseOf(ASTContext &Ctx, const CallExpr *Call) {
  AwaitUse U;
  TraversalKindScope Scope(Ctx, TK_AsIs);
  llvm::SmallVector<DynTypedNode, 8> Work;
  Work.push_back(DynTypedNode::create(*static_cast<const Stmt *>(Call)));
  for (unsigned Steps = 0; !Work.empty() && Steps < 32; ++Steps) {
    DynTypedNode N = Work.pop_back_val();
    for (const DynTypedNode &P : Ctx.getParents(N)) {
      if (const auto *DD = P.get<DecompositionDecl>()) {
        if (U.Await)
          U.Binding = DD;
        return U;
      }
      const Stmt *PS = P.get<Stmt>();
      if (!PS)
        continue;
      if (const auto *CA = dyn_cast<CoawaitExpr>(PS)) {
        if (U.Await)
          return U; // a co_await of the co_await's value: not ours
        U.Await = CA;
        Work.clear();
        Work.push_back(P);
        break;
      }
      bool PassesOn = isa<ImplicitCastExpr>(PS) || isa<MaterializeTemporaryExpr>(PS) ||
                      isa<CXXBindTemporaryExpr>(PS) || isa<ExprWithCleanups>(PS) ||
                      isa<ParenExpr>(PS) || isa<OpaqueValueExpr>(PS) ||
                      isa<CXXConstructExpr>(PS);
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(PS))
        if (const CXXMethodDecl *MD = MC->getMethodDecl())
          PassesOn |= !U.Await && MD->getDeclName().isIdentifier() &&
                      MD->getName() == "await_transform";
      if (PassesOn)
        Work.push_back(P);
    }
  }
  return U;
}

bool bindingRead(const BindingDecl *B, const Stmt *Body) {
  struct V : RecursiveASTVisitor<V> {
    const BindingDecl *B;
    bool Found = false;
    bool VisitDeclRefExpr(DeclRefExpr *DRE) {
      Found |= DRE->getDecl() == B;
      return !Found;
    }
  } Vis;
  Vis.B = B;
  Vis.TraverseStmt(const_cast<Stmt *>(Body));
  return Vis.Found;
}

const char *const FixError = "test the error before treating the data as sent (at least log "
                             "it and stop using the connection)";
const char *const FixCount = "write the remaining bytes, or use async_write, which writes "
                             "all of them";

/// The asynchronous write being judged.
struct WriteCall {
  const CallExpr *Call;
  AsyncCall Async;
  std::string Op; ///< its name, for messages
  bool IsUv;      ///< a C callback (AF_StatusCallback: libuv's, h2o's), not an Asio handler
  bool Partial;   ///< a write-some operation: its byte count matters too

  /// A finding at the call, before its message.
  Finding finding() const {
    Finding F;
    F.Loc = Call->getBeginLoc();
    F.Range = Call->getSourceRange();
    return F;
  }
};

/// The function body around \p Call, or null when it has none or does not compile ("never
/// read" cannot be told there: its errors may have swallowed the read).
const Stmt *compilingBody(ASTContext &Ctx, const CallExpr *Call) {
  const FunctionDecl *EnclosingFD = nullptr;
  const Stmt *Body = enclosingBody(Ctx, Call, EnclosingFD);
  return Body && containsErrors(Body) ? nullptr : Body;
}

// A null libuv callback: no place for the error at all.
std::optional<Finding> noCallback(const WriteCall &W, const Expr *H,
                                  const CompletionErrorOptions &Opts) {
  if (!Opts.ReportNoHandler)
    return std::nullopt;
  Finding F = W.finding();
  F.Message = "'" + W.Op + "' has no callback, so a failed write goes unnoticed";
  F.Notes.push_back({H->getBeginLoc(), "pass a callback that tests its status"});
  return F;
}

// asio::detached: the error is dropped by the token.
std::optional<Finding> detached(const WriteCall &W, const CompletionToken &T,
                                const CompletionErrorOptions &Opts) {
  if (!Opts.ReportNoHandler)
    return std::nullopt;
  Finding F = W.finding();
  F.Message = "'" + W.Op + "' is detached, so a failed write goes unnoticed";
  F.Notes.push_back({T.E->getBeginLoc(), "use a handler (or co_await the write) and test "
                                         "its error"});
  return F;
}

// The error goes into a variable: redirect_error(token, ec) or yield[ec].
std::optional<Finding> errorVariable(const WriteCall &W, const CompletionToken &T,
                                     ASTContext &Ctx) {
  const Stmt *Body = compilingBody(Ctx, W.Call);
  if (!Body || errorVarRead(W.Call, T.ErrorVar, Body, Ctx))
    return std::nullopt;
  std::string V = T.ErrorVar->getNameAsString();
  Finding F = W.finding();
  F.Message = "error of '" + W.Op + "' is stored in '" + V +
              "', which is never read after the write; a failed write goes unnoticed";
  F.Notes.push_back({T.ErrorVarRef->getBeginLoc(),
                     "the error is stored in '" + V + "' here; test it after the write"});
  return F;
}

// The error comes back in a tuple: auto [ec, n] = co_await ...(as_tuple(use_awaitable)).
std::optional<Finding> tupleBinding(const WriteCall &W, ASTContext &Ctx) {
  const DecompositionDecl *DD = awaitUseOf(Ctx, W.Call).Binding;
  if (!DD || DD->bindings().empty())
    return std::nullopt;
  const Stmt *Body = compilingBody(Ctx, W.Call);
  if (!Body)
    return std::nullopt;
  const BindingDecl *Ec = DD->bindings()[0];
  bool EcRead = bindingRead(Ec, Body);
  bool BytesRead = DD->bindings().size() < 2 || bindingRead(DD->bindings()[1], Body);
  if (EcRead && (!W.Partial || BytesRead))
    return std::nullopt;
  const BindingDecl *Unread = EcRead ? DD->bindings()[1] : Ec;
  Finding F = W.finding();
  F.Message = EcRead ? "byte count of '" + W.Op + "' is bound to '" +
                           Unread->getNameAsString() +
                           "', which is never read; a short write loses the rest of the buffer"
                     : "error of '" + W.Op + "' is bound to '" + Unread->getNameAsString() +
                           "', which is never read; a failed write goes unnoticed";
  F.Notes.push_back({Unread->getLocation(), EcRead ? FixCount
                                                   : "test '" + Unread->getNameAsString() +
                                                         "' after the write"});
  return F;
}

// An awaitable, a yield context or a future hands the byte count back as the value (the
// co_await's for an awaitable, the call's own otherwise).
std::optional<Finding> countValue(const WriteCall &W, const CompletionToken &T, ASTContext &Ctx,
                                  DiscardClassifier &Classifier) {
  const Expr *Value = W.Call;
  if (T.Kind == TokenKind::Awaitable) {
    Value = awaitUseOf(Ctx, W.Call).Await;
    if (!Value)
      return std::nullopt; // never awaited: drain-discarded-awaitable
  }
  if (!Classifier.classify(Value).discarded())
    return std::nullopt;
  Finding F = W.finding();
  F.Message = "byte count of '" + W.Op +
              "' is discarded; a short write loses the rest of the buffer";
  F.Notes.push_back({F.Loc, FixCount});
  return F;
}

/// What a completion handler leaves unread: the error (or status) and, for a write-some
/// operation, the byte count; a note for each.
struct UnreadParams {
  bool Error = false;
  bool Status = false; ///< the unread error is a C callback's int status
  bool Bytes = false;
  llvm::SmallVector<FindingNote, 3> Notes;
};

/// True if \p P's type is known where the handler is written: not dependent, or one of the
/// handler's own template parameters (a generic lambda's `auto`), which receives whatever the
/// operation passes. A type that depends on an enclosing template's arguments
/// (`typename Traits::error_type`) is only known in an instantiation.
bool typeKnown(const FunctionDecl *Fn, const ParmVarDecl *P) {
  QualType T = P->getType();
  if (T.isNull() || !T->isDependentType())
    return true;
  const auto *Parm = T.getNonReferenceType()->getAs<TemplateTypeParmType>();
  const FunctionTemplateDecl *Own = Fn->getDescribedFunctionTemplate();
  // By depth: in a dependent context the parameter's type may be canonical, without its
  // declaration.
  return Parm && Own && Own->getTemplateParameters() &&
         Parm->getDepth() == Own->getTemplateParameters()->getDepth();
}

/// The definition of \p Fn, or \p Fn itself.
const FunctionDecl *definitionOf(const FunctionDecl *Fn) {
  const FunctionDecl *Def = nullptr;
  return Fn->hasBody(Def) && Def ? Def : Fn;
}

/// The parameter \p Index of \p Fn's definition if it exists, its type is known and it is
/// never read.
const ParmVarDecl *unreadParam(const FunctionDecl *Fn, int Index) {
  Fn = definitionOf(Fn);
  if (Index < 0 || static_cast<unsigned>(Index) >= Fn->getNumParams())
    return nullptr;
  const ParmVarDecl *P = Fn->getParamDecl(Index);
  return !typeKnown(Fn, P) || isParamRead(Fn, P) ? nullptr : P;
}

UnreadParams unreadParams(const HandlerCallable &HC, SourceLocation Site, bool Partial) {
  UnreadParams U;
  if (HC.ErrorDropped) {
    U.Error = true;
    U.Notes.push_back({Site, "'" + HC.How + "' passes the error to no parameter; add a "
                                            "placeholder for it"});
  } else if (const ParmVarDecl *P = unreadParam(HC.Fn, HC.ErrorParam)) {
    U.Error = true;
    U.Status = isStatus(P);
    U.Notes.push_back({P->getLocation(), paramNote(P, true)});
  }
  if (!Partial)
    return U;
  if (HC.BytesDropped && !HC.ErrorDropped) {
    U.Bytes = true;
    U.Notes.push_back({Site, "'" + HC.How + "' passes the byte count to no parameter"});
  } else if (const ParmVarDecl *P = unreadParam(HC.Fn, HC.BytesParam)) {
    U.Bytes = true;
    U.Notes.push_back({P->getLocation(), paramNote(P, false)});
  }
  return U;
}

/// Does a reference in \p Body assign to \p V (`v = ...`)? Collects the assigned values.
struct Assignments : RecursiveASTVisitor<Assignments> {
  const VarDecl *V;
  llvm::SmallVector<const Expr *, 2> Values;
  bool Escapes = false; ///< its address is taken: it may be set through a pointer
  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->getOpcode() == BO_Assign)
      if (const auto *DRE = dyn_cast<DeclRefExpr>(peel(BO->getLHS())))
        if (DRE->getDecl() == V)
          Values.push_back(BO->getRHS());
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator *UO) {
    if (UO->getOpcode() == UO_AddrOf)
      if (const auto *DRE = dyn_cast<DeclRefExpr>(peel(UO->getSubExpr())))
        Escapes |= DRE->getDecl() == V;
    return true;
  }
};

/// The functions a callback argument may name: both arms of a conditional (`in_progress ?
/// on_send_next : on_send_complete`), and what a local function pointer holds when it is given
/// a value once (its initializer or one assignment). Anything else is returned as it is, for
/// resolveHandler().
void handlerArms(const Expr *H, llvm::function_ref<const Stmt *()> BodyOf,
                 llvm::SmallVectorImpl<const Expr *> &Out, unsigned Depth = 0) {
  const Expr *E = peel(H);
  if (Depth > 4) {
    Out.push_back(H);
    return;
  }
  if (const auto *CO = dyn_cast<ConditionalOperator>(E)) {
    handlerArms(CO->getTrueExpr(), BodyOf, Out, Depth + 1);
    handlerArms(CO->getFalseExpr(), BodyOf, Out, Depth + 1);
    return;
  }
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  // The enclosing body is looked up only for a local function pointer: finding it may build
  // the translation unit's parent map, which costs a second on a large Asio TU.
  const Stmt *Body = nullptr;
  if (VD && VD->isLocalVarDecl() && VD->getType()->isPointerType() &&
      VD->getType()->getPointeeType()->isFunctionType() && (Body = BodyOf())) {
    Assignments A;
    A.V = VD;
    A.TraverseStmt(const_cast<Stmt *>(Body));
    if (A.Escapes)
      return; // set through a pointer: what it holds is not known here
    if (VD->getInit())
      A.Values.push_back(VD->getInit());
    if (A.Values.size() == 1)
      handlerArms(A.Values.front(), BodyOf, Out, Depth + 1);
    return; // never or more than once given a value: not known here
  }
  Out.push_back(H);
}

/// Where the finding about \p HC goes: a function named as a C callback (libuv's, h2o's) is
/// reported at its definition, where its error is ignored and the fix goes, when that is in
/// the file of the write; anything else (a lambda, a binder, an Asio handler) where the
/// handler is written.
SourceLocation findingLoc(const WriteCall &W, const HandlerCallable &HC, SourceLocation Site,
                          const ASTContext &Ctx) {
  const CallExpr *Call = W.Call;
  if (!W.IsUv || HC.How != "function" || HC.ErrorDropped)
    return Site;
  const FunctionDecl *Def = definitionOf(HC.Fn);
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation DefLoc = Def->getLocation();
  if (!Def->doesThisDeclarationHaveABody() || DefLoc.isMacroID() ||
      SM.getFileID(DefLoc) != SM.getFileID(SM.getExpansionLoc(Call->getBeginLoc())))
    return Site;
  return DefLoc;
}

// A completion handler (or C callback) whose parameters receive the error and the byte
// count; each function the argument may name is judged.
std::optional<Finding> handlerParams(const WriteCall &W, ASTContext &Ctx) {
  llvm::SmallVector<const Expr *, 2> Arms;
  const Stmt *Body = nullptr;
  bool Looked = false;
  handlerArms(
      W.Async.Handler,
      [&]() {
        if (!Looked) {
          Body = compilingBody(Ctx, W.Call);
          Looked = true;
        }
        return Body;
      },
      Arms);
  std::optional<Finding> F;
  for (const Expr *Arm : Arms) {
    auto HC = resolveHandler(Arm);
    if (!HC || !HC->Fn || hasErrors(HC->Fn))
      continue;
    // A row that names the callback's error parameter (h2o's `const char *err`) says where
    // the error is for a callback written for it; binders place it themselves.
    int RowError = W.Async.Op.Entry->CallbackError;
    if (RowError >= 0 && (HC->How == "function" || HC->How == "lambda")) {
      if (static_cast<unsigned>(RowError) >= HC->Fn->getNumParams())
        continue;
      HC->ErrorParam = RowError;
      HC->BytesParam = -1;
    }
    SourceLocation Site = HC->Site ? HC->Site->getBeginLoc() : W.Call->getBeginLoc();
    UnreadParams U = unreadParams(*HC, Site, W.Partial);
    if (!U.Error && !U.Bytes)
      continue;
    if (F) {
      // Another arm of the same argument: one warning per write, a note per arm.
      if (!U.Notes.empty())
        F->Notes.push_back({U.Notes.front().Loc,
                            "'" + HC->Fn->getNameAsString() + "', the other callback, " +
                                (U.Error ? "ignores the error too" : "ignores the byte count "
                                                                     "too")});
      continue;
    }
    F = W.finding();
    std::string Who =
        W.IsUv ? "callback of '" + W.Op + "'" : "completion handler of '" + W.Op + "'";
    if (W.IsUv && HC->How == "function")
      Who = "callback '" + HC->Fn->getNameAsString() + "' of '" + W.Op + "'";
    if (U.Error && U.Bytes)
      F->Message = Who + " ignores the error and the byte count; a failed or short write goes "
                         "unnoticed";
    else if (U.Error)
      F->Message = Who + " ignores " +
                   (U.Status ? std::string("the status") : std::string("the error")) +
                   "; a failed write goes unnoticed";
    else
      F->Message =
          Who + " ignores the byte count; a short write loses the rest of the buffer";
    F->Loc = findingLoc(W, *HC, Site, Ctx);
    F->Range = SourceRange(); // a lambda spans many lines: point at its start only
    F->Notes.assign(U.Notes.begin(), U.Notes.end());
    if (F->Loc != Site)
      F->Notes.push_back(
          {W.Async.Handler->getBeginLoc(), "passed as the callback of this '" + W.Op + "'"});
    F->Notes.push_back({F->Loc, U.Error ? FixError : FixCount});
  }
  return F;
}

} // namespace

std::optional<Finding> findIgnoredCompletionError(const CallExpr *Call, ASTContext &Ctx,
                                                  const ApiModel &Model,
                                                  DiscardClassifier &Classifier,
                                                  const CompletionErrorOptions &Opts) {
  auto A = matchAsyncCall(Call, Model);
  if (!A || A->Op.kind() != OpKind::AsyncWrite || !A->Handler)
    return std::nullopt;
  WriteCall W{Call, *A, opName(*A), (A->Op.Entry->Flags & AF_StatusCallback) != 0,
              Opts.CheckByteCount && (A->Op.Entry->Flags & AF_PartialCompletion)};
  const Expr *H = peel(A->Handler);
  if (W.IsUv && H->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
    return noCallback(W, H, Opts);
  CompletionToken T = classifyToken(A->Handler);
  if (T.Kind == TokenKind::Detached)
    return detached(W, T, Opts);
  if (T.ErrorVar)
    return errorVariable(W, T, Ctx);
  if (T.AsTuple)
    return tupleBinding(W, Ctx);
  if ((T.Kind == TokenKind::Awaitable || T.Kind == TokenKind::Yield ||
       T.Kind == TokenKind::Future) &&
      W.Partial)
    return countValue(W, T, Ctx, Classifier);
  if (T.Kind != TokenKind::Handler || completesInPlace(Call, T, *A->Op.Entry))
    return std::nullopt;
  return handlerParams(W, Ctx);
}

std::optional<Finding> findIgnoredCompletionErrorInTemplate(const CallExpr *Call, ASTContext &Ctx,
                                                            const ApiModel &Model,
                                                            InstantiatedPatterns &Instantiated,
                                                            const CompletionErrorOptions &Opts) {
  auto A = matchDependentAsyncCall(Call, Model);
  if (!A || A->Op.kind() != OpKind::AsyncWrite || !A->Handler)
    return std::nullopt;
  WriteCall W{Call, *A, opName(*A), (A->Op.Entry->Flags & AF_StatusCallback) != 0,
              Opts.CheckByteCount && (A->Op.Entry->Flags & AF_PartialCompletion)};
  // A token that drops the error, and a handler's parameters. Error variables, as_tuple
  // bindings and the value of an awaited write-some are left to instantiations: they ask
  // the flow of values around the call, which a dependent body does not settle.
  // FIXME: judge them in patterns too, once the discard classifier is safe on dependent
  // expressions.
  CompletionToken T = classifyToken(A->Handler);
  std::optional<Finding> F;
  if (T.Kind == TokenKind::Detached)
    F = detached(W, T, Opts);
  else if (T.Kind == TokenKind::Handler && !T.ErrorVar && !T.AsTuple)
    F = handlerParams(W, Ctx);
  // Asked last, since it may walk the translation unit: an instantiation is analysed with
  // every type known, and the pattern would only repeat it. A lambda handler's closure
  // is declared in the function around the call.
  const DeclContext *Around = nullptr;
  if (const auto *LE = dyn_cast_or_null<LambdaExpr>(peel(A->Handler)))
    if (const CXXRecordDecl *Closure = LE->getLambdaClass())
      Around = Closure->getDeclContext();
  if (!F || Instantiated.enclosingInstantiated(Call, Around))
    return std::nullopt;
  return F;
}

} // namespace drain
