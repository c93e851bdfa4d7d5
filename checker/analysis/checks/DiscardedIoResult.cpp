//===--- DiscardedIoResult.cpp - I/O results that nobody looks at -----------===//
#include "analysis/checks/DiscardedIoResult.h"
#include "Compat.h"
#include "analysis/core/ResultTypes.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace drain {

namespace {
using K = OpKind;
using R = ResultKind;

/// What dropping each kind of result loses, and what to do instead. "%P" is the pending
/// state's spelling ("Poll::Pending"), "%N" the callee's name. Searched top down; a row with
/// no OpKind match (Any) covers the rest of its ResultKind.
struct Wording {
  R Result;
  std::optional<K> Kind;
  const char *Consequence;
  const char *Fix;
};
const Wording Wordings[] = {
    {R::PendingState, K::Flush, "%A here means the buffer still holds data",
     "check it: on %P return pending and call '%N' again when the channel is writable"},
    {R::PendingState, K::Sync, "%A here means the data is not durable yet",
     "check it: on %P call '%N' again before reporting success"},
    {R::PendingState, K::Write, "%A here means the data was not taken",
     "check it: on %P keep the data and call '%N' again when the channel is writable"},
    {R::PendingState, K::ComposedWrite, "%A here means the data was not all written",
     "check it: on %P call '%N' again when the channel is writable"},
    {R::PendingState, K::Shutdown, "%A here means the shutdown has not finished",
     "check it: on %P call '%N' again before releasing the connection"},
    {R::PendingState, K::AsyncShutdown, "%A here means the shutdown has not finished",
     "check it: on %P call '%N' again before releasing the connection"},
    {R::PendingState, K::Close, "%A here means the close has not finished",
     "check it: on %P call '%N' again before releasing the connection"},
    {R::PendingState, std::nullopt, "%A here means the operation has not finished",
     "check it: on %P return pending or retry the operation"},
    {R::ByteCount, std::nullopt, "a failed or short write goes unnoticed",
     "compare the count with the requested length and write the rest"},
    {R::ItemCount, std::nullopt, "a failed or short write goes unnoticed",
     "compare the count with the number of items and handle the error"},
    {R::TlsCount, K::Shutdown,
     "a shutdown that has not finished (0, or SSL_ERROR_WANT_WRITE) goes unnoticed",
     "call it again until it returns 1, or check SSL_get_error and retry on "
     "SSL_ERROR_WANT_WRITE"},
    {R::TlsCount, std::nullopt, "a failed write or SSL_ERROR_WANT_WRITE goes unnoticed",
     "on a result <= 0 call SSL_get_error and retry on SSL_ERROR_WANT_WRITE"},
    {R::Status, K::Flush, "a failed flush leaves data behind unnoticed",
     "check the result and handle the error"},
    {R::Status, K::Sync, "a failed sync goes unnoticed and the data may not be on disk",
     "check the result and handle the error"},
    {R::Status, K::Close, "a failed close loses buffered data unnoticed",
     "check the result and handle the error"},
    {R::Status, K::Shutdown, "a failed or unfinished shutdown goes unnoticed",
     "check the result; retry while it says the operation would block"},
    {R::Status, K::AsyncWrite, "a write that failed to start goes unnoticed, and its "
                               "callback never runs",
     "check the result and handle the error"},
    {R::Status, K::AsyncShutdown, "a shutdown that failed to start goes unnoticed, and its "
                                  "callback never runs",
     "check the result and handle the error"},
    {R::Status, K::Write, "a failed write goes unnoticed",
     "check the result and handle the error"},
    {R::Status, K::ComposedWrite, "a failed write goes unnoticed",
     "check the result and handle the error"},
    {R::Status, std::nullopt, "a failure goes unnoticed", "check the result and handle the error"},
    {R::Bool, K::Flush, "'false' here means the flush did not finish",
     "check it and retry or report the failure"},
    {R::Bool, K::Shutdown, "'false' here means the shutdown did not finish",
     "check it and retry or report the failure"},
    {R::Bool, K::Close, "'false' here means the close did not finish",
     "check it and retry or report the failure"},
    {R::Bool, std::nullopt, "'false' here means the write did not finish",
     "check it and retry or report the failure"},
    {R::ErrorCodeOut, std::nullopt, "a failed %K goes unnoticed",
     "test the error code after the call"},
};

const Wording *wordingFor(R Result, std::optional<K> Kind) {
  for (const Wording &W : Wordings)
    if (W.Result == Result && (!W.Kind || (Kind && *W.Kind == *Kind)))
      return &W;
  return nullptr;
}

llvm::StringRef kindNoun(std::optional<K> Kind) {
  if (!Kind)
    return "operation";
  switch (*Kind) {
  case K::Write:
  case K::ComposedWrite:
  case K::AsyncWrite:
    return "write";
  case K::Flush:
    return "flush";
  case K::Sync:
    return "sync";
  case K::Shutdown:
  case K::AsyncShutdown:
    return "shutdown";
  case K::Close:
    return "close";
  default:
    return "operation";
  }
}

std::string fill(llvm::StringRef Text, llvm::StringRef Pending, llvm::StringRef Name,
                 std::optional<K> Kind) {
  std::string Out;
  for (size_t I = 0; I < Text.size(); ++I) {
    if (Text[I] == '%' && I + 1 < Text.size()) {
      char C = Text[I + 1];
      if (C == 'A') { // the pending state with its article: "a Poll::Pending", "an EAGAIN"
        bool Vowel = !Pending.empty() && llvm::StringRef("AEIOUaeiou").contains(Pending[0]);
        Out += (Vowel ? "an " : "a ") + Pending.str();
        ++I;
        continue;
      }
      if (C == 'P') {
        Out += Pending.str();
        ++I;
        continue;
      }
      if (C == 'N') {
        Out += Name.str();
        ++I;
        continue;
      }
      if (C == 'K') {
        Out += kindNoun(Kind).str();
        ++I;
        continue;
      }
    }
    Out.push_back(Text[I]);
  }
  return Out;
}

std::string calleeName(const FunctionDecl *FD) {
  if (FD->getDeclName().isIdentifier())
    return FD->getName().str();
  return FD->getNameAsString();
}

/// True if a type found to carry a pending state by its enumerator names reads as a set of
/// states (Poll { Ready, Pending, Error }) rather than an error-code list that happens to
/// contain an AGAIN (curl's CURLcode: CURLE_OK, about a hundred errors, CURLE_AGAIN). Only a
/// call the model does not know is judged by its type alone, so only that path asks: more
/// than half of the enumerators must be recognised states, unless an annotation says so.
bool looksLikeStateType(const ResultTypeInfo &Info) {
  const EnumDecl *ED = Info.StateEnum;
  if (!ED)
    return true; // a class answering is_pending(), an annotated class
  if (ApiModel::hasAnnotation(ED, "drain::pending_type"))
    return true;
  for (const EnumConstantDecl *C : Info.Pending)
    if (ApiModel::hasAnnotation(C, "drain::pending"))
      return true;
  unsigned Total = 0;
  for (const EnumConstantDecl *C : ED->enumerators()) {
    (void)C;
    ++Total;
  }
  unsigned States = Info.Pending.size() + Info.Ready.size() + Info.Error.size();
  return 2 * States > Total;
}

/// The pending state an awaited or returned type carries, spelled for a message ("" when the
/// type carries none); \p IsError is set for error-code carrying results.
/// How to name the pending state in a message: Poll::Pending for a scoped enum, the bare
/// enumerator for an unscoped one (C has no `Enum::` qualification).
std::string pendingSpelling(const ResultTypeInfo &Info) {
  if (Info.StateEnum && !Info.StateEnum->isScoped() && !Info.Pending.empty())
    return Info.Pending.front()->getName().str();
  return Info.PendingSpelling.empty() ? "pending result" : Info.PendingSpelling;
}

std::string carriedState(QualType T, const ApiModel &Model, bool &IsError) {
  IsError = false;
  if (T.isNull())
    return "";
  ResultTypeInfo Info = classifyResultType(T, Model);
  if (Info.Shape == ResultShape::PendingState)
    return pendingSpelling(Info);
  if (Info.Shape == ResultShape::ErrorCode) {
    IsError = true;
    return "error code";
  }
  // tuple<error_code, size_t> (as_tuple), pair<error_code, T>, expected<T, error_code>, ...
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (const auto *Spec = llvm::dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD))
    for (const TemplateArgument &A : Spec->getTemplateArgs().asArray()) {
      if (A.getKind() == TemplateArgument::Type && isErrorCodeType(A.getAsType())) {
        IsError = true;
        return "error code";
      }
      if (A.getKind() == TemplateArgument::Pack)
        for (const TemplateArgument &P : A.pack_elements())
          if (P.getKind() == TemplateArgument::Type && isErrorCodeType(P.getAsType())) {
            IsError = true;
            return "error code";
          }
    }
  return "";
}

/// The error_code& out-argument of \p Call, when it is a plain local.
const VarDecl *errorCodeOutArg(const CallExpr *Call, const FunctionDecl *FD,
                               const Expr *&Arg) {
  unsigned Shift = isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(FD) ? 1 : 0;
  for (unsigned I = Shift; I < Call->getNumArgs(); ++I) {
    unsigned P = I - Shift;
    if (P >= FD->getNumParams())
      break;
    QualType PT = FD->getParamDecl(P)->getType();
    if (!PT->isLValueReferenceType() || PT.getNonReferenceType().isConstQualified() ||
        !isErrorCodeType(PT.getNonReferenceType()))
      continue;
    const auto *DRE = dyn_cast<DeclRefExpr>(Call->getArg(I)->IgnoreParenImpCasts());
    if (!DRE)
      return nullptr;
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD || !VD->hasLocalStorage() || VD->getType()->isReferenceType())
      return nullptr; // a member or an out-parameter: the caller gets to look at it
    Arg = DRE;
    return VD;
  }
  return nullptr;
}

/// Functions that open a stdio stream, with the index of their mode argument.
struct StreamOpener {
  const char *Name;
  unsigned ModeArg;
};
const StreamOpener StreamOpeners[] = {{"fopen", 1},   {"fopen64", 1}, {"fdopen", 1},
                                      {"popen", 1},   {"freopen", 1}, {"fmemopen", 2}};
/// The standard streams: their errors surface at exit (gnulib's close_stdout), and a CLI's
/// fflush(stdout) is not a lost network write.
const char *const StandardStreams[] = {"stdin", "stdout", "stderr"};

/// Where a wrapper's mode parameter gets its value: the call of the wrapper being followed.
struct ModeBinding {
  const FunctionDecl *Wrapper = nullptr;
  const CallExpr *Site = nullptr;
};
/// Wrappers around fopen are followed this deep (uv__open_file, lemon's file_open).
constexpr unsigned MaxWrapperDepth = 2;

bool isReadOnlyStreamValue(const Expr *E, const ModeBinding &B, unsigned Depth,
                           ASTContext &Ctx);

/// A string that reads as an fopen mode: "r", "wb", "a+", "re", "rb+", ...
bool isStdioMode(llvm::StringRef M) {
  if (M.empty() || M.size() > 4 || (M[0] != 'r' && M[0] != 'w' && M[0] != 'a'))
    return false;
  for (char C : M.drop_front())
    if (!llvm::StringRef("+bemtcx").contains(C))
      return false;
  return true;
}

/// A mode string literal without '+' that starts with 'r'; a wrapper's mode parameter is
/// looked up at the wrapper's call.
bool isReadOnlyMode(const Expr *Mode, const ModeBinding &B) {
  Mode = Mode->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Mode))
    if (const auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl()))
      if (B.Wrapper && B.Site && P->getDeclContext() == B.Wrapper &&
          P->getFunctionScopeIndex() < B.Site->getNumArgs())
        Mode = B.Site->getArg(P->getFunctionScopeIndex())->IgnoreParenImpCasts();
  const auto *Lit = dyn_cast<StringLiteral>(Mode);
  if (!Lit || Lit->getCharByteWidth() != 1)
    return false;
  llvm::StringRef M = Lit->getString();
  return !M.empty() && M[0] == 'r' && !M.contains('+');
}

/// Every value the local \p VD is given in its function (its initializer and the right sides
/// of plain assignments, flow-insensitively); false if there is none or its address is taken.
bool localValues(const VarDecl *VD, llvm::SmallVectorImpl<const Expr *> &Defs) {
  const auto *FD = dyn_cast_or_null<FunctionDecl>(VD->getParentFunctionOrMethod());
  if (!FD || !FD->hasBody() || isa<ParmVarDecl>(VD) || !VD->hasLocalStorage())
    return false;
  if (VD->getInit())
    Defs.push_back(VD->getInit());
  struct Finder : RecursiveASTVisitor<Finder> {
    const VarDecl *VD;
    llvm::SmallVectorImpl<const Expr *> &Defs;
    bool Escapes = false;
    Finder(const VarDecl *VD, llvm::SmallVectorImpl<const Expr *> &Defs) : VD(VD), Defs(Defs) {}
    bool VisitBinaryOperator(BinaryOperator *BO) {
      if (BO->getOpcode() == BO_Assign)
        if (const auto *DRE = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
          if (DRE->getDecl() == VD)
            Defs.push_back(BO->getRHS());
      return true;
    }
    bool VisitUnaryOperator(UnaryOperator *UO) {
      if (UO->getOpcode() == UO_AddrOf)
        if (const auto *DRE = dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParenImpCasts()))
          if (DRE->getDecl() == VD)
            Escapes = true;
      return true;
    }
  } F(VD, Defs);
  F.TraverseStmt(FD->getBody());
  return !F.Escapes && !Defs.empty();
}

/// True if every value the local stream \p VD ever holds is read-only: such a stream has no
/// output buffer, so its fflush/fclose cannot lose written data.
bool isReadOnlyLocalStream(const VarDecl *VD, const ModeBinding &B, unsigned Depth) {
  llvm::SmallVector<const Expr *, 4> Defs;
  if (!localValues(VD, Defs))
    return false;
  for (const Expr *D : Defs)
    if (!isReadOnlyStreamValue(D, B, Depth, VD->getASTContext()))
      return false;
  return true;
}

/// OpenSSL BIOs that keep what is written in memory. A write to one fails only when memory
/// runs out, and nothing leaves the process.
struct MemoryBioMaker {
  const char *Name;      ///< the constructor
  int MethodArg;         ///< the BIO_METHOD argument that must be a memory one, or -1: always
  int SinkArg;           ///< a chain whose sink (this argument, a local) must be memory, or -1
};
const MemoryBioMaker MemoryBioMakers[] = {
    {"BIO_new_mem_buf", -1, -1},
    {"BIO_new", 0, -1},  // BIO_new(BIO_s_mem()), or a filter: BIO_new(BIO_f_base64())
    {"BIO_push", -1, 1}, // BIO_push(filter, sink): the sink appended at the end gets the bytes
};
/// BIO_METHODs that keep bytes in memory (BIO_s_mem) or pass them on (filters, BIO_f_*).
bool isMemoryBioMethod(const Expr *E) {
  const auto *Call = dyn_cast<CallExpr>(E->IgnoreParenImpCasts());
  const FunctionDecl *M = Call ? Call->getDirectCallee() : nullptr;
  return M && M->getIdentifier() &&
         (M->getName() == "BIO_s_mem" || compat::startsWith(M->getName(), "BIO_f_"));
}
bool isMemoryBioLocal(const Expr *E, unsigned Depth);
bool isMemoryBioValue(const Expr *E, unsigned Depth) {
  const auto *Call = dyn_cast<CallExpr>(E->IgnoreParenImpCasts());
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  if (!Callee || !Callee->getIdentifier())
    return false;
  for (const MemoryBioMaker &M : MemoryBioMakers) {
    if (Callee->getName() != M.Name)
      continue;
    if (M.MethodArg >= 0)
      return static_cast<unsigned>(M.MethodArg) < Call->getNumArgs() &&
             isMemoryBioMethod(Call->getArg(M.MethodArg));
    if (M.SinkArg >= 0)
      return static_cast<unsigned>(M.SinkArg) < Call->getNumArgs() &&
             isMemoryBioLocal(Call->getArg(M.SinkArg), Depth);
    return true;
  }
  return false;
}
/// A local BIO every value of which is a memory BIO.
bool isMemoryBioLocal(const Expr *E, unsigned Depth) {
  const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  llvm::SmallVector<const Expr *, 4> Defs;
  if (!VD || Depth > 3 || !localValues(VD, Defs))
    return false;
  for (const Expr *D : Defs)
    if (!isMemoryBioValue(D, Depth + 1))
      return false;
  return true;
}

/// A write row of OpenSSL whose channel is a local memory BIO.
bool memoryBioExempt(const CallExpr *Call, const ApiEntry &Row) {
  if (Row.Family != "openssl" || Row.Kind != OpKind::Write || Row.Channel < 0 ||
      static_cast<unsigned>(Row.Channel) >= Call->getNumArgs())
    return false;
  return isMemoryBioLocal(Call->getArg(Row.Channel), 0);
}

bool isReadOnlyStreamValue(const Expr *E, const ModeBinding &B, unsigned Depth,
                           ASTContext &Ctx) {
  E = E->IgnoreParenImpCasts();
  // `FILE *f = NULL`, `f = NULL` after closing, a wrapper's failure return. (C's NULL is
  // ((void *)0), an explicit cast.)
  if (E->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
    return true;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    // `f = stdin` when the file name is "-" (curl's cookie and config readers).
    if (VD && !VD->hasLocalStorage() && VD->getIdentifier() && VD->getName() == "stdin")
      return true;
    return VD && isReadOnlyLocalStream(VD, B, Depth);
  }
  const auto *Call = dyn_cast<CallExpr>(E);
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  if (!Callee || !Callee->getDeclName().isIdentifier())
    return false;
  for (const StreamOpener &O : StreamOpeners)
    if (Callee->getName() == O.Name)
      return O.ModeArg < Call->getNumArgs() && isReadOnlyMode(Call->getArg(O.ModeArg), B);
  // A wrapper defined in this translation unit: every value it returns must be read-only,
  // with its mode parameter bound to this call's argument.
  const FunctionDecl *Def = nullptr;
  if (!Callee->hasBody(Def) || !Def) {
    // A wrapper defined elsewhere (mosquitto__fopen(path, "rb", ...)): an opener by name
    // that is handed a literal stdio mode is taken at its word.
    if (!llvm::StringRef(Callee->getName().lower()).contains("open"))
      return false;
    for (const Expr *A : Call->arguments())
      if (const auto *Lit = dyn_cast<StringLiteral>(A->IgnoreParenImpCasts()))
        if (Lit->getCharByteWidth() == 1 && isStdioMode(Lit->getString()))
          return isReadOnlyMode(Lit, B);
    return false;
  }
  if (Depth >= MaxWrapperDepth)
    return false;
  struct Returns : RecursiveASTVisitor<Returns> {
    llvm::SmallVector<const Expr *, 4> Values;
    bool Bare = false;
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
    bool VisitReturnStmt(ReturnStmt *R) {
      if (R->getRetValue())
        Values.push_back(R->getRetValue());
      else
        Bare = true;
      return true;
    }
  } R;
  R.TraverseStmt(Def->getBody());
  if (R.Bare || R.Values.empty())
    return false;
  ModeBinding Inner{Def, Call};
  for (const Expr *V : R.Values)
    if (!isReadOnlyStreamValue(V, Inner, Depth + 1, Ctx))
      return false;
  return true;
}

/// True if the stdio stream a flush or close works on cannot hold unwritten output worth a
/// report: a read-only local stream, or (unless asked for) a standard stream.
bool stdioStreamExempt(const CallExpr *Call, const ApiEntry &Row,
                       const DiscardedResultOptions &Opts) {
  if (Row.Family != "stdio" || (Row.Kind != OpKind::Flush && Row.Kind != OpKind::Close))
    return false;
  if (Row.Channel < 0 || static_cast<unsigned>(Row.Channel) >= Call->getNumArgs())
    return false;
  const auto *DRE = dyn_cast<DeclRefExpr>(Call->getArg(Row.Channel)->IgnoreParenImpCasts());
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!VD)
    return false;
  if (!Opts.CheckStandardStreams && !VD->hasLocalStorage() && VD->getIdentifier())
    for (const char *S : StandardStreams)
      if (VD->getName() == S)
        return true;
  return isReadOnlyLocalStream(VD, ModeBinding(), 0);
}

SourceLocation userLoc(const SourceManager &SM, SourceLocation L) {
  // A call written in a macro argument is the user's text; one inside a macro body is
  // reported where the macro is used.
  return SM.getFileLoc(L);
}

/// The callee's name in the call: `write` in `net::write(...)`, `poll_flush` in
/// `conn.poll_flush()`.
SourceLocation calleeNameLoc(const CallExpr *Call) {
  if (isa<CXXMemberCallExpr>(Call) || isa<CXXOperatorCallExpr>(Call))
    return Call->getExprLoc();
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(Call->getCallee()->IgnoreParenImpCasts()))
    return DRE->getLocation();
  return Call->getBeginLoc();
}

const Expr *stripToValue(const Expr *E) {
  for (unsigned I = 0; E && I < 16; ++I) {
    E = E->IgnoreParenImpCasts();
    if (const auto *FE = dyn_cast<FullExpr>(E))
      E = FE->getSubExpr();
    else if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E))
      E = M->getSubExpr();
    else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E))
      E = B->getSubExpr();
    else if (const auto *C = dyn_cast<CXXFunctionalCastExpr>(E))
      E = C->getSubExpr();
    else if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
      E = CE->getNumArgs() == 1 ? CE->getArg(0) : nullptr;
    else if (const auto *IL = dyn_cast<InitListExpr>(E))
      E = IL->getNumInits() == 1 ? IL->getInit(0) : nullptr;
    else
      return E;
  }
  return E;
}
} // namespace

SourceLocation callDiagnosticLoc(const CallExpr *Call, const SourceManager &SM) {
  return userLoc(SM, calleeNameLoc(Call));
}

bool followedByPendingReturn(const Stmt *Full, DiscardClassifier &Classifier,
                             const ApiModel &Model) {
  if (!Full)
    return false;
  const auto *CS = Classifier.parent(*Full).get<CompoundStmt>();
  if (!CS)
    return false;
  const Stmt *Next = nullptr;
  for (auto It = CS->body_begin(); It != CS->body_end(); ++It)
    if (*It == Full) {
      if (++It != CS->body_end())
        Next = *It;
      break;
    }
  const Expr *Value = nullptr;
  if (const auto *Ret = dyn_cast_or_null<ReturnStmt>(Next))
    Value = Ret->getRetValue();
  else if (const auto *CoRet = dyn_cast_or_null<CoreturnStmt>(Next))
    Value = CoRet->getOperand();
  if (!Value)
    return false;
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(stripToValue(Value));
  if (!DRE)
    return false;
  const auto *ECD = dyn_cast<EnumConstantDecl>(DRE->getDecl());
  return ECD && (ApiModel::hasAnnotation(ECD, "drain::pending") ||
                 Model.vocabulary().isPending(ECD->getName()));
}

std::optional<Finding>
findDiscardedResult(const CallExpr *Call, const ApiModel &Model, DiscardClassifier &Classifier,
                    const DiscardedResultOptions &Opts) {
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD || Model.mayDiscard(FD))
    return std::nullopt;
  ApiOp Op = Model.lookup(FD);
  if (Op && (Op.Entry->Flags & AF_MayDiscard))
    return std::nullopt;
  std::optional<ResultKind> RK;
  if (Op)
    RK = effectiveResultKind(Op, FD, Model);
  std::optional<OpKind> Kind;
  if (Op && RK)
    Kind = Op.kind();
  // Most calls in a translation unit are not I/O. Decide from the callee first: the use
  // analysis below (for a local, a CFG of the enclosing function) is the expensive part.
  if (!(Op && RK)) {
    QualType Ret = FD->getReturnType();
    bool MayCarry = Ret->isDependentType() || isAwaitableType(Ret);
    if (!MayCarry) {
      ResultTypeInfo Info = classifyResultType(Ret, Model);
      MayCarry = Info.Shape == ResultShape::PendingState && looksLikeStateType(Info);
    }
    if (!MayCarry)
      return std::nullopt;
  }
  ASTContext &Ctx = Classifier.context();
  const SourceManager &SM = Ctx.getSourceManager();
  std::string Name = calleeName(FD);

  Finding F;
  F.Loc = callDiagnosticLoc(Call, SM);

  // An error_code& out-argument that nobody reads after the call.
  if (RK == ResultKind::ErrorCodeOut) {
    const Expr *Arg = nullptr;
    const VarDecl *EC = errorCodeOutArg(Call, FD, Arg);
    if (!EC || Classifier.readAfter(Call, EC))
      return std::nullopt;
    const Wording *W = wordingFor(R::ErrorCodeOut, Kind);
    F.Message = "error code of '" + Name + "' is never read; " +
                fill(W->Consequence, "", Name, Kind);
    F.Notes.push_back({userLoc(SM, Arg->getExprLoc()),
                       "'" + EC->getNameAsString() + "' receives the error here; " + W->Fix});
    return F;
  }

  // A row may name a function that returns nothing (an option listing a void write): there
  // is no value to drop.
  if (Call->getType()->isVoidType())
    return std::nullopt;
  if (Op && (stdioStreamExempt(Call, *Op.Entry, Opts) || memoryBioExempt(Call, *Op.Entry)))
    return std::nullopt;
  UseSite Use = Classifier.classify(Call);
  if (!Use.discarded())
    return std::nullopt;
  if (Opts.AllowCastToVoid &&
      (Use.Kind == UseKind::CastToVoid || Use.Kind == UseKind::StdIgnore))
    return std::nullopt;

  std::string Pending;
  const Wording *W = nullptr;
  std::string Shown = Name;
  if (Use.Await) {
    // co_await <op>: the awaited result is what was dropped. A pending state matters for any
    // call; an error code only for the operations the model knows (a timer's error code is
    // not a lost write).
    // The completion of an asynchronous write or shutdown (a co_awaited async_write with
    // as_tuple, redirect_error, ...) is drain-ignored-completion-error's to report.
    if (Kind == OpKind::AsyncWrite || Kind == OpKind::AsyncShutdown)
      return std::nullopt;
    bool IsError = false;
    Pending = carriedState(Use.Await->getType(), Model, IsError);
    if (Pending.empty() || (IsError && !Op))
      return std::nullopt;
    if (!Op && !looksLikeStateType(classifyResultType(Use.Await->getType(), Model)))
      return std::nullopt;
    Shown = "co_await " + Name;
    if (IsError) {
      F.Message = "result of '" + Shown + "' is discarded; it carries the error code, and a "
                  "failed " + kindNoun(Kind).str() + " goes unnoticed";
      F.Notes.push_back({F.Loc, "bind the result and test the error code"});
    } else {
      W = wordingFor(R::PendingState, Kind);
    }
  } else {
    ResultTypeInfo Info = classifyResultType(FD->getReturnType(), Model);
    if (!RK) {
      // Not a row (or a generic row whose result carries no state): any call returning a
      // pending state still counts.
      if (Info.Shape != ResultShape::PendingState || !looksLikeStateType(Info))
        return std::nullopt;
      RK = ResultKind::PendingState;
      Kind.reset();
    }
    // Awaitables that are never awaited belong to drain-discarded-awaitable.
    if (*RK == ResultKind::None || *RK == ResultKind::Awaitable ||
        *RK == ResultKind::ErrorCodeOut)
      return std::nullopt;
    if (*RK == ResultKind::PendingState) {
      Pending = pendingSpelling(Info);
      // `(void)poll_flush(); return Poll::Pending;` yields: the caller polls again and the
      // flush is retried, so nothing is lost here.
      if (followedByPendingReturn(Use.FullStatement, Classifier, Model))
        return std::nullopt;
    }
    W = wordingFor(*RK, Kind);
    if (!W)
      return std::nullopt;
  }

  if (W) {
    std::string Consequence = fill(W->Consequence, Pending, Name, Kind);
    F.Message = (Use.Kind == UseKind::UnreadVariable ? "result of '" + Shown + "' is never read; "
                                                     : "result of '" + Shown + "' is discarded; ") +
                Consequence;
    F.Notes.push_back({F.Loc, fill(W->Fix, Pending, Name, Kind)});
  }
  if (Use.Var && (Use.Kind == UseKind::UnreadVariable || Use.Kind == UseKind::CastToVoid)) {
    SourceLocation L = Use.Where ? userLoc(SM, Use.Where->getBeginLoc())
                                 : userLoc(SM, Use.Var->getLocation());
    std::string V = "'" + Use.Var->getNameAsString() + "'";
    F.Notes.insert(F.Notes.begin(),
                   {L, Use.Kind == UseKind::UnreadVariable
                           ? "stored in " + V + ", which is never read after this"
                           : "stored in " + V + ", which is only cast to void"});
  }
  return F;
}

} // namespace drain
