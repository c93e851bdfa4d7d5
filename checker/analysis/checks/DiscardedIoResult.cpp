//===--- DiscardedIoResult.cpp - I/O results that nobody looks at -----------===//
#include "analysis/checks/DiscardedIoResult.h"
#include "Compat.h"
#include "analysis/flow/ResultParts.h"
#include "analysis/core/ResultTypes.h"
#include "analysis/core/Callees.h"
#include "analysis/core/FailureAnswers.h"
#include "analysis/core/StdioStreams.h"
#include "analysis/core/RaiiClosers.h"
#include "analysis/core/WrittenFiles.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/CharInfo.h"
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
    {R::SignedState, K::Flush, "a result saying the buffer still holds data goes unnoticed",
     "check it: while it says pending, call '%N' again when the channel is writable"},
    {R::SignedState, std::nullopt, "a result saying the operation has not finished goes "
                                   "unnoticed",
     "check it and retry while it says pending"},
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

/// The values \p Def returns (lambdas inside it aside) into \p Values; false when it has a
/// bare `return;` or returns nothing, so no claim can be made about its result.
bool returnedValues(const FunctionDecl *Def, llvm::SmallVectorImpl<const Expr *> &Values) {
  struct Returns : RecursiveASTVisitor<Returns> {
    llvm::SmallVectorImpl<const Expr *> &Values;
    bool Bare = false;
    explicit Returns(llvm::SmallVectorImpl<const Expr *> &V) : Values(V) {}
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
    bool VisitReturnStmt(ReturnStmt *R) {
      if (R->getRetValue())
        Values.push_back(R->getRetValue());
      else
        Bare = true;
      return true;
    }
  } R(Values);
  R.TraverseStmt(Def->getBody());
  return !R.Bare && !Values.empty();
}

bool isReadOnlyStreamValue(const Expr *E, const ModeBinding &B, unsigned Depth,
                           ASTContext &Ctx, const ApiModel &Model);

/// A mode string literal without '+' that starts with 'r'; a wrapper's mode parameter is
/// looked up at the wrapper's call.
bool isReadOnlyMode(const Expr *Mode, const ModeBinding &B) {
  Mode = Mode->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Mode))
    if (const auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl()))
      if (B.Wrapper && B.Site && P->getDeclContext() == B.Wrapper &&
          P->getFunctionScopeIndex() < B.Site->getNumArgs())
        Mode = B.Site->getArg(P->getFunctionScopeIndex())->IgnoreParenImpCasts();
  return isReadOnlyModeLiteral(Mode);
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
bool isReadOnlyLocalStream(const VarDecl *VD, const ModeBinding &B, unsigned Depth,
                           const ApiModel &Model) {
  llvm::SmallVector<const Expr *, 4> Defs;
  if (!localValues(VD, Defs))
    return false;
  for (const Expr *D : Defs)
    if (!isReadOnlyStreamValue(D, B, Depth, VD->getASTContext(), Model))
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

/// A write row to a BIO (AF_BioChannel) whose channel is a local memory BIO.
bool memoryBioExempt(const CallExpr *Call, const ApiEntry &Row) {
  if (!(Row.Flags & AF_BioChannel) || Row.Kind != OpKind::Write || Row.Channel < 0 ||
      static_cast<unsigned>(Row.Channel) >= Call->getNumArgs())
    return false;
  return isMemoryBioLocal(Call->getArg(Row.Channel), 0);
}

bool isReadOnlyStreamValue(const Expr *E, const ModeBinding &B, unsigned Depth,
                           ASTContext &Ctx, const ApiModel &Model) {
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
    return VD && isReadOnlyLocalStream(VD, B, Depth, Model);
  }
  const auto *Call = dyn_cast<CallExpr>(E);
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  if (!Callee || !Callee->getDeclName().isIdentifier())
    return false;
  if (const RoleEntry *O = Model.tableRole(Callee, FunctionRole::StreamOpener))
    return O->Arg >= 0 && static_cast<unsigned>(O->Arg) < Call->getNumArgs() &&
           isReadOnlyMode(Call->getArg(O->Arg), B);
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
  llvm::SmallVector<const Expr *, 4> Values;
  if (!returnedValues(Def, Values))
    return false;
  ModeBinding Inner{Def, Call};
  for (const Expr *V : Values)
    if (!isReadOnlyStreamValue(V, Inner, Depth + 1, Ctx, Model))
      return false;
  return true;
}

/// A flush or close of a stdio stream: a row of one (AF_StdioStream), or a project's own
/// wrapper inferred from one whose channel argument is the `FILE *` itself
/// (`safe_fclose(fp)`), so the stream's mode can be judged at the wrapper's call as at
/// fclose's.
bool isStdioStreamCompletion(const CallExpr *Call, const ApiEntry &Row) {
  if (Row.Kind != OpKind::Flush && Row.Kind != OpKind::Close)
    return false;
  if (Row.Channel < 0 || static_cast<unsigned>(Row.Channel) >= Call->getNumArgs())
    return false;
  if (Row.Flags & AF_StdioStream)
    return true;
  if (Row.Origin != RowOrigin::Inferred)
    return false;
  return isFilePointer(Call->getArg(Row.Channel)->IgnoreParenImpCasts()->getType());
}

/// True if the stdio stream a flush or close works on cannot hold unwritten output worth a
/// report: a read-only local stream, or (unless asked for) a standard stream.
bool stdioStreamExempt(const CallExpr *Call, const ApiEntry &Row,
                       const DiscardedResultOptions &Opts, const ApiModel &Model) {
  if (!isStdioStreamCompletion(Call, Row))
    return false;
  const auto *DRE = dyn_cast<DeclRefExpr>(Call->getArg(Row.Channel)->IgnoreParenImpCasts());
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!VD)
    return false;
  if (!Opts.CheckStandardStreams && !VD->hasLocalStorage() && VD->getIdentifier())
    for (const char *S : StandardStreams)
      if (VD->getName() == S)
        return true;
  return isReadOnlyLocalStream(VD, ModeBinding(), 0, Model);
}

/// The role row of the table for \p Call's callee, if it has the role \p R.
const RoleEntry *calleeRole(const CallExpr *Call, FunctionRole R, const ApiModel &Model) {
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  return FD && FD->getIdentifier() ? Model.tableRole(FD, R) : nullptr;
}

/// Argument \p Arg of \p Call, if the row names one it has.
const Expr *roleArg(const CallExpr *Call, const RoleEntry &Row) {
  return Row.Arg >= 0 && static_cast<unsigned>(Row.Arg) < Call->getNumArgs()
             ? Call->getArg(Row.Arg)
             : nullptr;
}

/// The same variable, or the same chain of fields over the same variable (`outs->stream`).
bool sameStorage(const Expr *A, const Expr *B) {
  A = A->IgnoreParenImpCasts();
  B = B->IgnoreParenImpCasts();
  if (const auto *DA = dyn_cast<DeclRefExpr>(A)) {
    const auto *DB = dyn_cast<DeclRefExpr>(B);
    return DB && DA->getDecl() == DB->getDecl();
  }
  if (const auto *MA = dyn_cast<MemberExpr>(A)) {
    const auto *MB = dyn_cast<MemberExpr>(B);
    return MB && MA->getMemberDecl() == MB->getMemberDecl() && MA->isArrow() == MB->isArrow() &&
           sameStorage(MA->getBase(), MB->getBase());
  }
  if (const auto *UA = dyn_cast<UnaryOperator>(A)) {
    const auto *UB = dyn_cast<UnaryOperator>(B);
    return UA->getOpcode() == UO_Deref && UB && UB->getOpcode() == UO_Deref &&
           sameStorage(UA->getSubExpr(), UB->getSubExpr());
  }
  if (isa<CXXThisExpr>(A))
    return isa<CXXThisExpr>(B);
  return false;
}

/// What a close or flush can lose, by the value the stream holds.
enum StreamValueBits : unsigned {
  SV_ReadOnly = 1,  ///< opened for reading (or null, or stdin): no output buffer
  SV_Anonymous = 2, ///< a tmpfile(): deleted by its close
  SV_Opaque = 4,    ///< a fresh stream from an opener whose mode drain cannot see
  SV_Other = 8,     ///< anything else: may hold output
};

/// A call returning a `FILE *` from a function drain cannot see into, handed no stdio mode
/// literal (libuv's uv__open_file(path), defined in another file).
bool isOpaqueOpener(const CallExpr *Call) {
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  if (!Callee || Callee->hasBody() || !Call->getType()->isPointerType())
    return false;
  if (!isFilePointer(Call->getType()))
    return false;
  for (const Expr *A : Call->arguments())
    if (const auto *Lit = dyn_cast<StringLiteral>(A->IgnoreParenImpCasts()))
      if (Lit->getCharByteWidth() == 1 && isStdioMode(Lit->getString()))
        return false; // the mode is given: isReadOnlyStreamValue took it at its word
  return true;
}

/// A stream from tmpfile(), directly or through a wrapper of this translation unit whose
/// every return is one (or null).
bool isAnonymousStreamValue(const Expr *E, ASTContext &Ctx, unsigned Depth,
                            const ApiModel &Model) {
  E = E->IgnoreParenImpCasts();
  const auto *Call = dyn_cast<CallExpr>(E);
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  if (!Callee || !Callee->getIdentifier())
    return false;
  if (Model.tableRole(Callee, FunctionRole::AnonymousStreamOpener))
    return true;
  const FunctionDecl *Def = nullptr;
  if (Depth >= MaxWrapperDepth || !Callee->hasBody(Def) || !Def)
    return false;
  llvm::SmallVector<const Expr *, 4> Values;
  if (!returnedValues(Def, Values))
    return false;
  bool Any = false;
  for (const Expr *V : Values) {
    if (V->IgnoreParenImpCasts()->isNullPointerConstant(Ctx,
                                                         Expr::NPC_ValueDependentIsNotNull))
      continue;
    if (!isAnonymousStreamValue(V, Ctx, Depth + 1, Model))
      return false;
    Any = true;
  }
  return Any;
}

/// \p B binds the parameters of the function that stored \p E through an out-parameter
/// (`*out = fopen(name, mode)`) to its caller's arguments.
unsigned streamValueBits(const Expr *E, ASTContext &Ctx, const ApiModel &Model,
                         const ModeBinding &B = ModeBinding()) {
  E = E->IgnoreParenImpCasts();
  // `use_stdin ? stdin : fopen(name, "r")`
  if (const auto *CO = dyn_cast<AbstractConditionalOperator>(E))
    return streamValueBits(CO->getTrueExpr(), Ctx, Model, B) |
           streamValueBits(CO->getFalseExpr(), Ctx, Model, B);
  if (isReadOnlyStreamValue(E, B, 0, Ctx, Model))
    return SV_ReadOnly;
  if (isAnonymousStreamValue(E, Ctx, 0, Model))
    return SV_Anonymous;
  if (isOpaqueOpener(dyn_cast<CallExpr>(E)))
    return SV_Opaque;
  return SV_Other;
}

/// True if \p Call is a stdio close or flush (a row of the table) of the stream \p Stream.
bool closesOrFlushes(const CallExpr *Call, const Stmt *Stream, const ApiModel &Model) {
  ApiOp Op = Model.lookupTable(Call->getDirectCallee());
  if (!Op || (Op.kind() != OpKind::Close && Op.kind() != OpKind::Flush))
    return false;
  int Ch = Op.Entry->Channel;
  return Ch >= 0 && static_cast<unsigned>(Ch) < Call->getNumArgs() && Call->getArg(Ch) == Stream;
}

/// True if the local stream \p VD gets no output in its function: every use reads from it,
/// asks about it, compares it, assigns it or closes it.
bool onlyReadLocally(const VarDecl *VD, DiscardClassifier &Classifier, const ApiModel &Model) {
  for (const DeclRefExpr *Ref : Classifier.references(VD)) {
    const Stmt *Cur = Ref;
    DynTypedNode P = Classifier.parent(*Cur);
    while (const Stmt *PS = P.get<Stmt>()) {
      if (!isa<ImplicitCastExpr>(PS) && !isa<ParenExpr>(PS))
        break;
      Cur = PS;
      P = Classifier.parent(*Cur);
    }
    const Stmt *PS = P.get<Stmt>();
    if (!PS)
      return false; // initializes another variable: followed no further
    if (const auto *BO = dyn_cast<BinaryOperator>(PS)) {
      if (BO->isEqualityOp() || (BO->getOpcode() == BO_Assign && BO->getLHS() == Cur) ||
          BO->isLogicalOp())
        continue;
      return false;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(PS)) {
      if (UO->getOpcode() == UO_LNot ||
          (UO->getOpcode() == UO_AddrOf && Classifier.addressDiscarded(UO)))
        continue;
      return false;
    }
    if (isa<IfStmt>(PS) || isa<WhileStmt>(PS) || isa<ConditionalOperator>(PS))
      continue;
    const auto *Call = dyn_cast<CallExpr>(PS);
    const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
    if (!Callee || !Callee->getIdentifier())
      return false;
    bool Known = false;
    for (unsigned I = 0; I < Call->getNumArgs(); ++I)
      Known |= Call->getArg(I) == Cur && givesStreamNoOutput(Call, I, Model);
    // A close or flush of the stream writes nothing new.
    Known |= closesOrFlushes(Call, Cur, Model);
    if (!Known)
      return false;
  }
  return true;
}

/// The statements after \p S in its enclosing compound statement.
llvm::ArrayRef<const Stmt *> followingStatements(const Stmt *S, DiscardClassifier &Classifier) {
  const auto *CS = S ? Classifier.parent(*S).get<CompoundStmt>() : nullptr;
  if (!CS)
    return {};
  llvm::ArrayRef<Stmt *> Body(CS->body_begin(), CS->body_end());
  for (size_t I = 0; I < Body.size(); ++I)
    if (Body[I] == S)
      return llvm::ArrayRef<const Stmt *>(Body.data() + I + 1, Body.size() - I - 1);
  return {};
}

/// True if a call under \p Root satisfies \p Pred.
template <class P> bool anyCall(const Stmt *Root, P Pred) {
  if (!Root)
    return false;
  if (const auto *C = dyn_cast<CallExpr>(Root))
    if (Pred(C))
      return true;
  for (const Stmt *Child : Root->children())
    if (anyCall(Child, Pred))
      return true;
  return false;
}

/// `fflush(f); ftruncate(fileno(f), start);`: the flush only precedes throwing the bytes away
/// (curl cuts a failed download back to where it resumed).
bool flushBeforeTruncate(const Expr *Stream, const UseSite &Use, DiscardClassifier &Classifier,
                         const ApiModel &Model) {
  llvm::ArrayRef<const Stmt *> Next = followingStatements(Use.FullStatement, Classifier);
  if (Next.empty())
    return false;
  return anyCall(Next.front(), [&](const CallExpr *C) {
    const RoleEntry *T = calleeRole(C, FunctionRole::FileTruncator, Model);
    const Expr *FdArg = T ? roleArg(C, *T) : nullptr;
    const auto *Fd = FdArg ? dyn_cast<CallExpr>(FdArg->IgnoreParenImpCasts()) : nullptr;
    const RoleEntry *D = calleeRole(Fd, FunctionRole::StreamDescriptor, Model);
    const Expr *Of = D ? roleArg(Fd, *D) : nullptr;
    return Of && Fd->getNumArgs() == 1 && sameStorage(Of, Stream);
  });
}

/// A literal that redraws a terminal line: it starts with a carriage return, not a CRLF.
bool redrawLiteral(const Expr *A) {
  const auto *Lit = dyn_cast<StringLiteral>(A->IgnoreParenImpCasts());
  return Lit && Lit->getCharByteWidth() == 1 && compat::startsWith(Lit->getString(), "\r") &&
         !compat::startsWith(Lit->getString(), "\r\n");
}

/// \p A names a local buffer that a call in \p Body formats from a redraw literal: curl's
/// progress bar builds its format with `snprintf(format, n, "\r%%-%ds ...", w)` and prints
/// with `fprintf(out, format, ...)`.
bool formattedAsRedraw(const Expr *A, const Stmt *Body) {
  const auto *Ref = dyn_cast<DeclRefExpr>(A->IgnoreParenImpCasts());
  const auto *Buf = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  if (!Buf || !Buf->hasLocalStorage())
    return false;
  return anyCall(Body, [&](const CallExpr *C) {
    if (C->getNumArgs() < 2)
      return false;
    const auto *Dest = dyn_cast<DeclRefExpr>(C->getArg(0)->IgnoreParenImpCasts());
    return Dest && Dest->getDecl() == Buf &&
           llvm::any_of(C->arguments(), [](const Expr *E) { return redrawLiteral(E); });
  });
}

/// A flush of a stream this function redraws with carriage returns (`fprintf(out, "\r%3d%%",
/// p)`): a progress line on a terminal, overwritten by the next one; nothing is left
/// incomplete for a reader.
bool flushOfTerminalRedraw(const Expr *Stream, const CallExpr *Flush,
                           DiscardClassifier &Classifier) {
  // The enclosing function's body: walk up the parents to the root.
  const Stmt *Cur = Flush;
  for (unsigned I = 0; I < 256; ++I) {
    DynTypedNode P = Classifier.parent(*Cur);
    const Stmt *PS = P.get<Stmt>();
    if (!PS)
      break;
    Cur = PS;
  }
  return anyCall(Cur, [&](const CallExpr *C) {
    if (C == Flush)
      return false;
    bool OnStream = false, Redraw = false;
    for (const Expr *A : C->arguments()) {
      OnStream |= sameStorage(A, Stream);
      Redraw |= redrawLiteral(A) || formattedAsRedraw(A, Cur);
    }
    return OnStream && Redraw;
  });
}

/// `fclose(f); unlink(name);` where f was opened from name: the file is thrown away, and a
/// failed close loses nothing anybody keeps.
bool closeBeforeRemove(llvm::ArrayRef<const Expr *> Values, const UseSite &Use,
                       DiscardClassifier &Classifier, const ApiModel &Model) {
  const Expr *Path = nullptr;
  for (const Expr *V : Values) {
    const auto *Call = dyn_cast<CallExpr>(V->IgnoreParenImpCasts());
    const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
    if (!Callee || !Callee->getIdentifier() || Call->getNumArgs() == 0)
      return false;
    const RoleEntry *O = Model.tableRole(Callee, FunctionRole::StreamOpener);
    bool Named = O && O->Arg == 1; // fopen(path, mode)
    if (!Named || (Path && !sameStorage(Path, Call->getArg(0))))
      return false;
    Path = Call->getArg(0);
  }
  if (!Path)
    return false;
  for (const Stmt *S : followingStatements(Use.FullStatement, Classifier))
    if (anyCall(S, [&](const CallExpr *C) {
          const RoleEntry *R = calleeRole(C, FunctionRole::FileRemover, Model);
          const Expr *Removed = R ? roleArg(C, *R) : nullptr;
          return Removed && sameStorage(Removed, Path);
        }))
      return true;
  return false;
}

/// True if \p Cond tests \p VD for failure: `rc`, `rc != 0`, `rc != OK`, `rc < 0`.
bool testsForFailure(const Expr *Cond, const VarDecl *VD) {
  auto IsVD = [&](const Expr *E) {
    const auto *R = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    return R && R->getDecl() == VD;
  };
  Cond = Cond->IgnoreParenImpCasts();
  if (IsVD(Cond))
    return true;
  const auto *BO = dyn_cast<BinaryOperator>(Cond);
  if (!BO)
    return false;
  if (BO->getOpcode() == BO_NE)
    return IsVD(BO->getLHS()) || IsVD(BO->getRHS());
  return BO->getOpcode() == BO_LT && IsVD(BO->getLHS());
}

/// True if \p V, returned from \p Fn in the branch \p Guard takes, reports a failure: a
/// failure answer (answersFailure), or the very status the guard tested (`if (rc) { ...;
/// return rc; }`). Any other variable reports none.
bool isFailureValue(const Expr *V, const IfStmt *Guard, const FunctionDecl *Fn,
                    ASTContext &Ctx) {
  return answersFailure(V, Fn, Ctx, [Guard](const Expr *E) -> std::optional<bool> {
    const auto *R = dyn_cast<DeclRefExpr>(E);
    if (!R)
      return std::nullopt;
    const auto *VD = dyn_cast<VarDecl>(R->getDecl());
    return VD && Guard && VD->hasLocalStorage() && testsForFailure(Guard->getCond(), VD);
  });
}

/// A `throw` (as a statement).
bool isThrow(const Stmt *S) {
  const auto *E = dyn_cast_or_null<Expr>(S);
  if (!E)
    return false;
  E = E->IgnoreParenImpCasts();
  if (const auto *EWC = dyn_cast<ExprWithCleanups>(E))
    E = EWC->getSubExpr()->IgnoreParenImpCasts();
  return isa<CXXThrowExpr>(E);
}

/// A statement control never falls through: return, goto, break, continue, throw.
bool isJump(const Stmt *S) {
  return isa<ReturnStmt>(S) || isa<GotoStmt>(S) || isa<BreakStmt>(S) ||
         isa<ContinueStmt>(S) || isThrow(S);
}

/// True if a jump is written anywhere under \p S.
bool containsJump(const Stmt *S) {
  if (!S)
    return false;
  if (isJump(S) || isa<IndirectGotoStmt>(S))
    return true;
  if (isa<LambdaExpr>(S))
    return false;
  for (const Stmt *Child : S->children())
    if (containsJump(Child))
      return true;
  return false;
}

/// True if \p S calls a function that ends the program: one declared noreturn, or one whose
/// name has the word exit, abort, die or panic (rsync's `exit_cleanup(RERR_FILEIO)`, a
/// project's `die("...")`: their declarations often lack the attribute).
bool endsProgram(const Stmt *S) {
  const auto *E = dyn_cast_or_null<Expr>(S);
  const auto *C = E ? dyn_cast<CallExpr>(E->IgnoreParenImpCasts()) : nullptr;
  const FunctionDecl *FD = C ? C->getDirectCallee() : nullptr;
  if (!FD)
    return false;
  if (FD->isNoReturn())
    return true;
  if (!FD->getIdentifier())
    return false;
  llvm::SmallVector<llvm::StringRef, 4> Words;
  FD->getName().split(Words, '_', -1, false);
  for (llvm::StringRef W : Words)
    if (W.equals_insensitive("exit") || W.equals_insensitive("abort") ||
        W.equals_insensitive("die") || W.equals_insensitive("panic"))
      return true;
  return false;
}

/// True if the block \p S ends by leaving the function (return, goto, throw, a call that
/// ends the program): what it logs never reaches the statements after it.
bool blockLeaves(const Stmt *S) {
  const auto *CS = dyn_cast_or_null<CompoundStmt>(S);
  if (CS && CS->body_empty())
    return false;
  const Stmt *Last = CS ? CS->body_back() : S;
  return Last && (isa<ReturnStmt>(Last) || isa<GotoStmt>(Last) || isThrow(Last) ||
                  endsProgram(Last));
}

/// True if \p S logs a message saying something failed (`fprintf(stderr, "Error copying
/// %s", ...)`, `log_printf(NULL, LOG_ERR, "Error: %s.", err)`) on a way that goes on past it:
/// a message in a branch that returns on its own (`if (!p) { log("open failed"); return
/// ERR; }`) tells nothing about the statements after \p S.
bool logsFailure(const Stmt *S) {
  if (!S || isa<LambdaExpr>(S))
    return false;
  if (const auto *C = dyn_cast<CallExpr>(S)) {
    if (isLoggingCall(C))
      for (const Expr *A : C->arguments())
        if (const auto *Lit = dyn_cast<StringLiteral>(A->IgnoreParenImpCasts()))
          if (Lit->getCharByteWidth() == 1 &&
              StateVocabulary::messageReportsFailure(Lit->getString()))
            return true;
  }
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    if (logsFailure(If->getCond()))
      return true;
    for (const Stmt *Branch : {If->getThen(), If->getElse()})
      if (Branch && !blockLeaves(Branch) && logsFailure(Branch))
        return true;
    return false;
  }
  for (const Stmt *Child : S->children())
    if (logsFailure(Child))
      return true;
  return false;
}

/// True if \p Guard tests a local status for failure that \p Fn returns (`if (result) {
/// ...; break; }` in a loop of a function ending `return result;`): a break out of that
/// branch carries the failure to the function's return.
bool breaksWithReturnedFailure(const IfStmt *Guard, const FunctionDecl *Fn) {
  struct Returns : RecursiveASTVisitor<Returns> {
    const Expr *Cond;
    bool Found = false;
    bool VisitReturnStmt(ReturnStmt *R) {
      const Expr *V = R->getRetValue() ? R->getRetValue()->IgnoreParenImpCasts() : nullptr;
      const auto *DRE = dyn_cast_or_null<DeclRefExpr>(V);
      const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
      Found |= VD && VD->hasLocalStorage() && testsForFailure(Cond, VD);
      return !Found;
    }
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  } R;
  R.Cond = Guard->getCond();
  R.TraverseStmt(Fn->getBody());
  return R.Found;
}

/// True if the block \p CS, holding \p S, leaves the function \p Fn reporting a failure
/// after \p S: it ends by returning a failure (isFailureValue), by a goto to a failure label,
/// by a throw, or by a break that carries a tested failure to the return; or \p S follows a
/// failure label (`error:`) that only a goto reaches, on the way to the block's return; or the statements from the last entry into the block up to its
/// return log a message saying something failed and the return is a nonzero constant
/// (`fprintf(stderr, "Error copying ..."); fclose(f); return 1;`: a message alone, or a 1
/// alone, may be a success).
bool blockExitsOnFailure(const Stmt *S, const CompoundStmt *CS, const FunctionDecl *Fn,
                         DiscardClassifier &Classifier) {
  llvm::ArrayRef<Stmt *> Body(CS->body_begin(), CS->body_end());
  size_t Idx = Body.size();
  for (size_t I = 0; I < Body.size(); ++I)
    if (Body[I] == S)
      Idx = I;
  if (Idx + 1 >= Body.size())
    return false;
  const Stmt *Last = Body.back();
  if (const auto *G = dyn_cast<GotoStmt>(Last))
    return StateVocabulary::mentionsFailure(G->getLabel()->getName());
  // The exit must leave the focused function, not a lambda inside it (focus() leaves a
  // lambda's body to its own call operator).
  for (const Stmt *P = CS; P && P != Fn->getBody();) {
    DynTypedNode N = Classifier.parent(*P);
    P = N.get<Stmt>();
    if (!P)
      return false;
  }
  if (isThrow(Last))
    return true;
  const IfStmt *Guard = nullptr;
  if (const auto *If = Classifier.parent(*CS).get<IfStmt>())
    if (If->getThen() == CS)
      Guard = If;
  if (isa<BreakStmt>(Last))
    return Guard && breaksWithReturnedFailure(Guard, Fn);
  const auto *RS = dyn_cast<ReturnStmt>(Last);
  if (!RS)
    return false;
  ASTContext &Ctx = Classifier.context();
  if (isFailureValue(RS->getRetValue(), Guard, Fn, Ctx))
    return true;
  // Where control last enters the block before S: after a jump, or at a label.
  size_t Start = 0;
  const LabelStmt *Entry = nullptr;
  for (size_t I = Idx + 1; I-- > 0;) {
    if (const auto *L = dyn_cast<LabelStmt>(Body[I])) {
      Start = I;
      Entry = L;
      break;
    }
    if (I < Idx && isJump(Body[I])) {
      Start = I + 1;
      break;
    }
  }
  for (size_t I = Idx + 1; I < Body.size(); ++I)
    if (isa<LabelStmt>(Body[I]))
      return false; // another way in joins before the return
  if (Entry && StateVocabulary::mentionsFailure(Entry->getName()) && Start > 0 &&
      isJump(Body[Start - 1]))
    return true;
  const Expr *V = RS->getRetValue();
  QualType Ret = Fn->getReturnType();
  Expr::EvalResult Val;
  if (!V || V->isValueDependent() || !Ret->isIntegralOrEnumerationType() ||
      Ret->isBooleanType() || !V->EvaluateAsInt(Val, Ctx) || Val.Val.getInt() == 0)
    return false;
  for (size_t I = Start; I + 1 < Body.size(); ++I)
    if (logsFailure(Body[I]))
      return true;
  return false;
}

/// `if (rc) { fclose(out); unlink(tmp); return rc; }`: the close sits on the way out of a
/// function that is already reporting a failure (blockExitsOnFailure). The output is being
/// abandoned and the caller told so; a failed close there loses nothing it was going to keep.
/// A close under an `if` without else (`if (fp) fclose(fp);`, `if (fp) { fclose(fp); fp =
/// NULL; }`) is judged where the `if` stands.
bool closedOnFailureExit(const Stmt *S, DiscardClassifier &Classifier) {
  const FunctionDecl *Fn = Classifier.focusedFunction();
  if (!S || !Fn || !Fn->getBody())
    return false;
  for (unsigned Depth = 0; Depth < 8; ++Depth) {
    const Stmt *P = Classifier.parent(*S).get<Stmt>();
    if (!P)
      return false;
    if (const auto *If = dyn_cast<IfStmt>(P)) {
      if (If->getThen() != S || If->getElse())
        return false;
      S = If;
      continue;
    }
    if (isa<LabelStmt>(P) || isa<AttributedStmt>(P)) {
      S = P;
      continue;
    }
    const auto *CS = dyn_cast<CompoundStmt>(P);
    if (!CS)
      return false;
    if (blockExitsOnFailure(S, CS, Fn, Classifier))
      return true;
    const auto *If = Classifier.parent(*CS).get<IfStmt>();
    if (!If || If->getThen() != CS || If->getElse())
      return false;
    for (const Stmt *After : followingStatements(S, Classifier))
      if (containsJump(After))
        return false;
    S = If;
  }
  return false;
}

/// Where a stream is kept: the declaration its storage hangs from (`f` in `f`, `fh` in
/// `*fh`, `s` in `s->out.fp`) or the object (`fp_`).
struct StreamStorage {
  const Expr *Stream = nullptr;
  const ValueDecl *Root = nullptr;
  bool This = false;
  /// A local variable (or a field of one) whose address is never taken: nothing but this
  /// function's own statements can reach the stream.
  bool Private = false;

  bool isRootRef(const Stmt *S) const {
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      return Root && DRE->getDecl() == Root;
    return This && isa<CXXThisExpr>(S);
  }
};

std::optional<StreamStorage> streamStorage(const Expr *Stream) {
  StreamStorage St;
  St.Stream = Stream;
  bool Deref = false;
  const Expr *E = Stream;
  for (unsigned I = 0; I < 8; ++I) {
    E = E->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      if (!VD || VD->getType()->isReferenceType())
        return std::nullopt;
      St.Root = VD;
      St.Private = !Deref && VD->hasLocalStorage() && !isa<ParmVarDecl>(VD);
      return St;
    }
    if (isa<CXXThisExpr>(E)) {
      St.This = true;
      return St;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      Deref |= ME->isArrow();
      E = ME->getBase();
      continue;
    }
    const auto *UO = dyn_cast<UnaryOperator>(E);
    if (!UO || UO->getOpcode() != UO_Deref)
      return std::nullopt;
    Deref = true;
    E = UO->getSubExpr();
  }
  return std::nullopt;
}

/// True if some reference to the local \p VD has its address taken or is bound to a
/// reference (directly or through a field): the stream may then be written through another
/// name.
bool addressTaken(const VarDecl *VD, DiscardClassifier &Classifier) {
  for (const DeclRefExpr *Ref : Classifier.references(VD)) {
    const Stmt *Cur = Ref;
    for (unsigned I = 0; I < 8; ++I) {
      DynTypedNode P = Classifier.parent(*Cur);
      if (const auto *Var = P.get<VarDecl>())
        if (Var->getType()->isReferenceType())
          return true;
      const Stmt *PS = P.get<Stmt>();
      if (!PS)
        break;
      if (const auto *UO = dyn_cast<UnaryOperator>(PS))
        if (UO->getOpcode() == UO_AddrOf && !Classifier.addressDiscarded(UO))
          return true;
      if (!isa<ParenExpr>(PS) && !isa<ImplicitCastExpr>(PS) && !isa<MemberExpr>(PS))
        break;
      Cur = PS;
    }
  }
  return false;
}

/// True if the body of \p FD (this translation unit's definition) names \p Global.
bool bodyNames(const FunctionDecl *FD, const ValueDecl *Global) {
  const FunctionDecl *Def = nullptr;
  if (!FD->hasBody(Def) || !Def)
    return false;
  struct Finder : RecursiveASTVisitor<Finder> {
    const ValueDecl *Global;
    bool Found = false;
    bool VisitDeclRefExpr(DeclRefExpr *E) {
      Found |= E->getDecl() == Global;
      return !Found;
    }
  } F;
  F.Global = Global;
  F.TraverseStmt(Def->getBody());
  return F.Found;
}

using BackStep = DiscardClassifier::BackStep;

/// What a reference to the stream's root (\p Ref) does on the way back to the open: a read of
/// the stream by a call that gives it no output, a test of it, or a field beside it is
/// harmless; the stream handed to any other call, copied or its container passed on may
/// have been written to.
BackStep rootUse(const Stmt *Ref, const StreamStorage &St, const CallExpr *At,
                 DiscardClassifier &Classifier, const ApiModel &Model) {
  const Stmt *Cur = Ref;
  bool Whole = false;
  const MemberExpr *Beside = nullptr;
  for (unsigned I = 0; I < 12; ++I) {
    if (const auto *E = dyn_cast<Expr>(Cur))
      if (sameStorage(E, St.Stream))
        Whole = true;
    // A scalar field beside the stream (`s->count`) cannot carry it.
    if (!Whole && Beside == Cur && isa<FieldDecl>(Beside->getMemberDecl()) &&
        (Beside->getType()->isArithmeticType() || Beside->getType()->isEnumeralType()))
      return BackStep::Continue;
    const Stmt *P = Classifier.parent(*Cur).get<Stmt>();
    if (!P)
      return BackStep::Fail;
    if (isa<ParenExpr>(P) || isa<ImplicitCastExpr>(P)) {
      Cur = P;
      continue;
    }
    if (!Whole) {
      if (const auto *ME = dyn_cast<MemberExpr>(P)) {
        if (ME->getBase() == Cur) {
          Beside = ME;
          Cur = P;
          continue;
        }
      }
      if (const auto *UO = dyn_cast<UnaryOperator>(P))
        if (UO->getOpcode() == UO_Deref) {
          Cur = P;
          continue;
        }
    }
    // Cur is the stream (Whole), or a part of its container that is not the stream.
    if (const auto *Call = dyn_cast<CallExpr>(P)) {
      if (Call == At)
        return BackStep::Continue;
      for (unsigned A = 0; A < Call->getNumArgs(); ++A)
        if (Call->getArg(A) == Cur)
          return Whole && givesStreamNoOutput(Call, A, Model) ? BackStep::Continue
                                                              : BackStep::Fail;
      break;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(P)) {
      if (BO->isEqualityOp() || BO->isRelationalOp() || BO->isLogicalOp())
        return BackStep::Continue;
      break;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(P)) {
      if (UO->getOpcode() == UO_LNot)
        return BackStep::Continue;
      break;
    }
    const Expr *Cond = nullptr;
    if (const auto *If = dyn_cast<IfStmt>(P))
      Cond = If->getCond();
    else if (const auto *W = dyn_cast<WhileStmt>(P))
      Cond = W->getCond();
    else if (const auto *CO = dyn_cast<AbstractConditionalOperator>(P))
      Cond = CO->getCond();
    if (Cond && Cond == Cur)
      return BackStep::Continue;
    break;
  }
  return BackStep::Fail;
}

/// True if on every path to the flush or close \p At the stream was opened in this function
/// (by one of the openers of StdioStreams.h) and given no output since: it was only asked
/// about, read, tested, or had its buffering set (`f = fopen(name, "a"); fclose(f);` creates a
/// file; `fstat(fileno(*fh), &sb)`; `setvbuf(fp, ...)` failing). Nothing is buffered, so a
/// failed close or flush loses nothing. A stream kept where other functions can reach it (a
/// global, a field of `this`) must also not be named by a function of this file called in
/// between.
bool nothingWrittenSinceOpen(const Expr *Stream, const CallExpr *At,
                             DiscardClassifier &Classifier, const ApiModel &Model) {
  std::optional<StreamStorage> St = streamStorage(Stream);
  if (!St)
    return false;
  if (St->Private && addressTaken(cast<VarDecl>(St->Root), Classifier))
    return false;
  const auto *Global = dyn_cast_or_null<VarDecl>(St->Root);
  if (Global && !Global->hasGlobalStorage())
    Global = nullptr;
  return Classifier.everyPathBackStops(At, [&](const Stmt *S) {
    // The stream (re)defined: by an opener, a fresh stream; by anything else, unknown.
    if (const auto *BO = dyn_cast<BinaryOperator>(S))
      if (BO->getOpcode() == BO_Assign && sameStorage(BO->getLHS(), Stream))
        return isStreamOpenerCall(BO->getRHS(), Model) ? BackStep::Stop : BackStep::Fail;
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (D == St->Root) {
          const auto *VD = cast<VarDecl>(D);
          return isa<DeclRefExpr>(Stream->IgnoreParenImpCasts()) && VD->getInit() &&
                         isStreamOpenerCall(VD->getInit(), Model)
                     ? BackStep::Stop
                     : BackStep::Fail;
        }
    if (St->isRootRef(S))
      return rootUse(S, *St, At, Classifier, Model);
    // Any other call may reach a stream that is not private to this function.
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      if (Call == At || St->Private)
        return BackStep::Continue;
      const FunctionDecl *FD = Call->getDirectCallee();
      if (!FD)
        return BackStep::Fail; // through a pointer: anything
      if (Global && bodyNames(FD, Global))
        return BackStep::Fail;
    }
    return BackStep::Continue;
  });
}

/// The parameter \p E dereferences: `*out`.
const ParmVarDecl *derefOfParam(const Expr *E) {
  const auto *UO = dyn_cast<UnaryOperator>(E->IgnoreParenImpCasts());
  const auto *DRE = UO && UO->getOpcode() == UO_Deref
                        ? dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParenImpCasts())
                        : nullptr;
  return DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
}

/// True if the discarded flush or close of a stdio stream at \p Call cannot lose output
/// anybody keeps, judged from the values the stream can hold there: a stream opened for
/// reading on every path that reaches the call (a local reused for different files, a field
/// every assignment of this file gives a read-only stream), an anonymous temporary file
/// (closed), a stream from an opener drain cannot see that this function only reads, a file
/// removed right after its close, a flush right before the file is truncated, a flush of a
/// progress line redrawn with carriage returns.
bool streamLosesNothing(const CallExpr *Call, const ApiEntry &Row, const UseSite &Use,
                        DiscardClassifier &Classifier, const ApiModel &Model) {
  if (!isStdioStreamCompletion(Call, Row))
    return false;
  ASTContext &Ctx = Classifier.context();
  const Expr *Stream = Call->getArg(Row.Channel)->IgnoreParenImpCasts();
  bool IsFlush = Row.Kind == OpKind::Flush;
  if (nothingWrittenSinceOpen(Stream, Call, Classifier, Model))
    return true;
  if (IsFlush && (flushBeforeTruncate(Stream, Use, Classifier, Model) ||
                  flushOfTerminalRedraw(Stream, Call, Classifier)))
    return true;
  llvm::SmallVector<const Expr *, 4> Values;
  llvm::SmallVector<const CallExpr *, 4> Through; // the out-parameter call of each value
  const VarDecl *Local = nullptr;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Stream)) {
    Local = dyn_cast<VarDecl>(DRE->getDecl());
    if (!Local || !Classifier.reachingValues(Call, Local, Values, &Through))
      return false;
  } else if (const auto *ME = dyn_cast<MemberExpr>(Stream)) {
    const auto *Field = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!Field || !fieldValues(Field, Ctx, Values))
      return false;
  } else if (const ParmVarDecl *Out = derefOfParam(Stream)) {
    // `*out = fopen(name, "rb"); ... fclose(*out);` inside the opener itself.
    if (!Classifier.reachingStoredValues(Call, Out, Values))
      return false;
  } else {
    return false;
  }
  if (!IsFlush && Local && closeBeforeRemove(Values, Use, Classifier, Model))
    return true;
  unsigned Bits = 0;
  for (size_t I = 0; I < Values.size(); ++I) {
    const CallExpr *Via = I < Through.size() ? Through[I] : nullptr;
    const FunctionDecl *Def = nullptr;
    if (Via && Via->getDirectCallee())
      Via->getDirectCallee()->hasBody(Def);
    Bits |= streamValueBits(Values[I], Ctx, Model, ModeBinding{Def, Def ? Via : nullptr});
  }
  if (Bits & SV_Other)
    return false;
  if ((Bits & SV_Anonymous) && IsFlush) // a temporary file is often read back
    return false;
  if (Bits & SV_Opaque)
    return Local && onlyReadLocally(Local, Classifier, Model);
  return true;
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
  const Expr *Fn = Call->getCallee()->IgnoreParenImpCasts();
  // `(*c->ops->write)(...)`: the pointer's name.
  if (const auto *UO = dyn_cast<UnaryOperator>(Fn))
    if (UO->getOpcode() == UO_Deref)
      Fn = UO->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Fn))
    return DRE->getLocation();
  if (const auto *ME = dyn_cast<MemberExpr>(Fn))
    return ME->getMemberLoc();
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

/// The expression that reads a part of \p Value (its parent through wrappers), if any.
const Expr *partReader(const Expr *Value, DiscardClassifier &Classifier) {
  const Stmt *Cur = Value;
  for (unsigned I = 0; I < 6; ++I) {
    const Expr *P = Classifier.parent(*Cur).get<Expr>();
    if (!P)
      return nullptr;
    if (isa<ImplicitCastExpr>(P) || isa<ParenExpr>(P) || isa<MaterializeTemporaryExpr>(P) ||
        isa<CXXBindTemporaryExpr>(P)) {
      Cur = P;
      continue;
    }
    // `r.error()`, `!r` (an explicit operator bool): a method named is read by its call.
    if (const auto *ME = dyn_cast<MemberExpr>(P); ME && isa<CXXMethodDecl>(ME->getMemberDecl())) {
      const auto *Call = Classifier.parent(*ME).get<CXXMemberCallExpr>();
      return Call ? Call : P;
    }
    if (isa<MemberExpr>(P) || isa<CXXMemberCallExpr>(P) || isa<CXXOperatorCallExpr>(P))
      return P;
    return nullptr;
  }
  return nullptr;
}

/// True if \p Ref lies in the branch an error-part test of \p VD takes on failure
/// (`if (r.failed) return r;`): handing the result on there propagates the error.
bool inFailureBranch(const DeclRefExpr *Ref, const VarDecl *VD, DiscardClassifier &Classifier,
                     const ApiModel &Model) {
  const Stmt *Cur = Ref;
  for (unsigned I = 0; I < 12; ++I) {
    const Stmt *P = Classifier.parent(*Cur).get<Stmt>();
    if (!P)
      return false;
    if (const auto *If = dyn_cast<IfStmt>(P)) {
      if (Cur == If->getThen() || Cur == If->getElse()) {
        bool Negated = false;
        const Expr *C = If->getCond();
        for (unsigned J = 0; J < 4 && C; ++J) {
          C = C->IgnoreParenImpCasts();
          const auto *UO = dyn_cast<UnaryOperator>(C);
          if (!UO || UO->getOpcode() != UO_LNot)
            break;
          Negated = !Negated;
          C = UO->getSubExpr();
        }
        std::optional<PartRead> PR = readPart(C, Model);
        const auto *Base = PR ? dyn_cast<DeclRefExpr>(PR->Base->IgnoreParenImpCasts()) : nullptr;
        if (Base && Base->getDecl() == VD && isErrorPart(PR->Part)) {
          bool FailedWhenTrue = PR->Part != ResultPart::Success;
          bool ThenIsFailure = FailedWhenTrue != Negated;
          return (Cur == If->getThen()) == ThenIsFailure;
        }
      }
    }
    Cur = P;
  }
  return false;
}

/// What the reads of a result tell: whether its error part and its state were looked at.
struct PartUse {
  bool Error = false, State = false;
};

void notePartRead(const Expr *Reader, PartUse &U, DiscardClassifier &Classifier,
                  const ApiModel &Model) {
  std::optional<PartRead> PR = readPart(Reader, Model);
  if (!PR || PR->Part == ResultPart::Whole) {
    U.State = true;
    return;
  }
  if (isErrorPart(PR->Part))
    U.Error = true;
  else if (PR->Part != ResultPart::Unrelated && !Classifier.classify(Reader).discarded())
    U.State = true;
}

/// `auto [failed, error, state] = poll_flush();`: the parts that the bindings used in the
/// body read (a binding never named reads nothing).
PartUse bindingsUse(const DecompositionDecl *DD, const ApiModel &Model) {
  PartUse U;
  const auto *FD = dyn_cast_or_null<FunctionDecl>(DD->getParentFunctionOrMethod());
  if (!FD || !FD->getBody())
    return U;
  llvm::SmallVector<const Stmt *, 32> Work{FD->getBody()};
  for (unsigned Steps = 0; !Work.empty() && Steps < 20000; ++Steps) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      if (const auto *B = dyn_cast<BindingDecl>(DRE->getDecl());
          B && llvm::is_contained(DD->bindings(), B)) {
        std::optional<PartRead> PR = readPart(DRE, Model);
        if (PR && isErrorPart(PR->Part))
          U.Error = true;
        else if (!PR || PR->Part != ResultPart::Unrelated)
          U.State = true;
      }
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return U;
}

/// True if the result of \p Call is read only through its error part (`r.failed`, `!r`,
/// `TRY(...)` as a statement): a pending state falls through unnoticed.
bool checkedOnlyForErrors(const CallExpr *Call, DiscardClassifier &Classifier,
                          const ApiModel &Model) {
  PartUse U;
  if (const Expr *Reader = partReader(Call, Classifier)) {
    notePartRead(Reader, U, Classifier, Model);
    return U.Error && !U.State;
  }
  const Stmt *Cur = Call;
  const VarDecl *VD = nullptr;
  for (unsigned I = 0; I < 6 && !VD; ++I) {
    DynTypedNode P = Classifier.parent(*Cur);
    VD = P.get<VarDecl>();
    const Expr *PE = P.get<Expr>();
    if (VD || !PE || !(isa<ImplicitCastExpr>(PE) || isa<ParenExpr>(PE) || isa<FullExpr>(PE) ||
                       isa<MaterializeTemporaryExpr>(PE) || isa<CXXBindTemporaryExpr>(PE) ||
                       isa<CXXConstructExpr>(PE)))
      break;
    Cur = PE;
  }
  if (!VD || !VD->hasLocalStorage() || isa<ParmVarDecl>(VD) || VD->getType()->isReferenceType())
    return false;
  if (const auto *DD = dyn_cast<DecompositionDecl>(VD)) {
    U = bindingsUse(DD, Model);
    return U.Error && !U.State;
  }
  for (const DeclRefExpr *Ref : Classifier.references(VD)) {
    if (const Expr *Reader = partReader(Ref, Classifier)) {
      notePartRead(Reader, U, Classifier, Model);
    } else if (inFailureBranch(Ref, VD, Classifier, Model)) {
      U.Error = true;
    } else {
      U.State = true;
    }
    if (U.State)
      return false;
  }
  return U.Error;
}

/// True if the statement holding \p Call is followed in its block, within two statements, by
/// a return of a pending result (`return Poll::Pending;`, `return IoResult::pending();`): the
/// function yields and is polled again, so the flush is retried (hyper#4143's shape).
bool yieldsAfter(const CallExpr *Call, DiscardClassifier &Classifier, const ApiModel &Model) {
  const Stmt *Cur = Call;
  const CompoundStmt *Block = nullptr;
  for (unsigned I = 0; I < 24 && !Block; ++I) {
    DynTypedNode N = Classifier.parent(*Cur);
    const Stmt *P = N.get<Stmt>();
    if (const auto *VD = N.get<VarDecl>()) {
      // `IoResult r = (call);` inside TRY: on to its declaration statement. Asked only of a
      // result already found checked only for errors, so the context's map is rarely built.
      for (const DynTypedNode &DP : Classifier.context().getParents(*VD))
        if ((P = DP.get<DeclStmt>()))
          break;
    }
    if (!P)
      return false;
    if (const auto *CS = dyn_cast<CompoundStmt>(P))
      if (!Classifier.parent(*CS).get<StmtExpr>()) {
        Block = CS;
        break;
      }
    Cur = P;
  }
  if (!Block)
    return false;
  unsigned Seen = 0;
  bool After = false;
  for (const Stmt *S : Block->body()) {
    if (S == Cur) {
      After = true;
      continue;
    }
    if (!After)
      continue;
    if (++Seen > 2)
      return false;
    const auto *Ret = dyn_cast<ReturnStmt>(S);
    if (!Ret)
      continue;
    const Expr *V = Ret->getRetValue();
    if (!V)
      return false;
    V = V->IgnoreParenImpCasts();
    if (const auto *C = dyn_cast<CallExpr>(stripToValue(V)))
      if (const FunctionDecl *FD = C->getDirectCallee())
        return FD->getIdentifier() && C->getNumArgs() == 0 &&
               Model.vocabulary().isPending(FD->getName());
    const auto *DRE = dyn_cast<DeclRefExpr>(stripToValue(V));
    const auto *ECD = DRE ? dyn_cast<EnumConstantDecl>(DRE->getDecl()) : nullptr;
    return ECD && Model.vocabulary().isPending(ECD->getName());
  }
  return false;
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

namespace {
/// A dropped result of a row that may be dropped (close(): a socket's close loses nothing) is
/// fine unless the call closes a file that was written, where close reports the write errors
/// the file system deferred. True if the drop is fine; otherwise \p Written says which file.
bool rowAllowsDrop(const CallExpr *Call, const ApiOp &Op, const ApiModel &Model,
                   DiscardClassifier &Classifier, std::optional<WrittenFile> &Written) {
  if (!(Op.Entry->Flags & AF_ReportsDeferredFileError) || Op.Entry->Channel < 0 ||
      !Classifier.classify(Call).discarded())
    return true;
  unsigned FdArg = static_cast<unsigned>(Op.Entry->Channel);
  Written = closedWrittenFile(Call, FdArg, Model, Classifier);
  return !Written || closedAfterFailedWrite(Call, FdArg, Model, Classifier) ||
         closedFileRemoved(Call, FdArg, *Written, Model, Classifier);
}

/// An override reached by a call through a virtual method, and its row.
struct OverrideRow {
  ApiOp Op;
  const CXXMethodDecl *Override = nullptr;
};

/// The virtual method \p Call dispatches through: a member call, not qualified
/// (`Stream::write(...)` calls that very body), on an object whose dynamic type is not its
/// static one (a reference, a pointer, `this`), of a method that is not final. Null otherwise.
const CXXMethodDecl *dispatchedMethod(const CallExpr *Call, const FunctionDecl *FD) {
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(FD);
  const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
  if (!MD || !MC || !MD->isVirtual() || MD->hasAttr<FinalAttr>() ||
      MD->getParent()->hasAttr<FinalAttr>())
    return nullptr;
  const auto *ME = dyn_cast<MemberExpr>(MC->getCallee()->IgnoreParens());
  if (!ME || ME->hasQualifier())
    return nullptr;
  // `SocketStream s; s.write(...)`: an object, not a reference to one, has its own type.
  if (!ME->isArrow())
    if (const auto *DRE = dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts()))
      if (!DRE->getDecl()->getType()->isReferenceType())
        return nullptr;
  return MD;
}

/// A call through a virtual method (`strm.write(buf, n)` on a `Stream &`) runs whichever
/// override the object has. The method gets a row of its own only when every override agrees
/// (RoleInference.h); a buffer stream that appends and answers the length beside a socket
/// stream that answers send()'s count leaves it without one. An answer that some override
/// gives from a write, flush or close that may fail must still be looked at: the row of the
/// first such override defined in this translation unit. Empty when every override answers
/// something nobody needs to check (a constant, the length it was handed).
OverrideRow failingOverride(const CallExpr *Call, const FunctionDecl *FD, const ApiModel &Model,
                            DiscardClassifier &Classifier) {
  const CXXMethodDecl *MD = dispatchedMethod(Call, FD);
  if (!MD || MD->getReturnType()->isVoidType())
    return {};
  for (const CXXMethodDecl *O : Classifier.overriders(MD)) {
    if (!O->hasBody())
      continue;
    ApiOp Op = Model.lookup(O);
    if (!Op || (Op.Entry->Flags & AF_MayDiscard))
      continue;
    switch (Op.kind()) {
    case OpKind::Write:
    case OpKind::ComposedWrite:
    case OpKind::Flush:
    case OpKind::Sync:
    case OpKind::Shutdown:
    case OpKind::Close:
      break;
    default:
      continue;
    }
    std::optional<ResultKind> RK = effectiveResultKind(Op, O, Model);
    if (RK && *RK != ResultKind::None && *RK != ResultKind::Awaitable &&
        *RK != ResultKind::ErrorCodeOut)
      return {Op, O};
  }
  return {};
}

/// Without a row that says what the result is, a call matters only when its result may carry
/// a pending state (or is dependent, or an awaitable whose awaited value may).
bool resultMayCarryState(QualType Ret, const ApiModel &Model) {
  if (Ret->isDependentType() || isAwaitableType(Ret))
    return true;
  ResultTypeInfo Info = classifyResultType(Ret, Model);
  return Info.Shape == ResultShape::PendingState && looksLikeStateType(Info);
}

/// What the tests of an enum result look at: the enumerators it is compared with (`==`,
/// `!=`, a switch's cases), and where the first test stands.
struct EnumTests {
  llvm::SmallVector<const EnumConstantDecl *, 4> Named;
  const Expr *First = nullptr; ///< the result as the first test reads it
  bool Other = false;          ///< some read is no comparison with an enumerator
};

/// \p E, when it names an enumerator of \p ED.
const EnumConstantDecl *enumeratorOf(const Expr *E, const EnumDecl *ED) {
  const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  const auto *ECD = DRE ? dyn_cast<EnumConstantDecl>(DRE->getDecl()) : nullptr;
  const auto *Of = ECD ? dyn_cast<EnumDecl>(ECD->getDeclContext()) : nullptr;
  return Of && Of->getCanonicalDecl() == ED->getCanonicalDecl() ? ECD : nullptr;
}

/// The tests of a switch on \p Cond: its case labels; a default, a range or a label that is
/// no enumerator of \p ED makes the switch something else than a test of named outcomes.
void noteSwitchCases(const SwitchStmt *SW, const EnumDecl *ED, EnumTests &T) {
  for (const SwitchCase *SC = SW->getSwitchCaseList(); SC; SC = SC->getNextSwitchCase()) {
    const auto *CS = dyn_cast<CaseStmt>(SC);
    const EnumConstantDecl *ECD =
        CS && !CS->getRHS() ? enumeratorOf(CS->getLHS(), ED) : nullptr;
    if (!ECD) {
      T.Other = true;
      return;
    }
    T.Named.push_back(ECD);
  }
}

/// Records what the read \p Value (a reference to the result, or the call itself) does with
/// it: a comparison with an enumerator, a switch, a new value (`r = poll()`), or anything
/// else (handed on, returned, stored: looked at elsewhere).
void noteEnumRead(const Expr *Value, const EnumDecl *ED, DiscardClassifier &Classifier,
                  EnumTests &T) {
  const Stmt *Cur = Value;
  for (unsigned I = 0; I < 8; ++I) {
    const Stmt *P = Classifier.parent(*Cur).get<Stmt>();
    if (P && (isa<ImplicitCastExpr>(P) || isa<ParenExpr>(P) || isa<ConstantExpr>(P))) {
      Cur = P;
      continue;
    }
    if (const auto *BO = dyn_cast_or_null<BinaryOperator>(P)) {
      if (BO->getOpcode() == BO_Assign && BO->getLHS() == Cur)
        return;
      const Expr *With = BO->getLHS() == Cur ? BO->getRHS() : BO->getLHS();
      const EnumConstantDecl *ECD = BO->isEqualityOp() ? enumeratorOf(With, ED) : nullptr;
      T.Other |= !ECD;
      if (ECD)
        T.Named.push_back(ECD);
    } else if (const auto *SW = dyn_cast_or_null<SwitchStmt>(P)) {
      if (SW->getCond() == Cur)
        noteSwitchCases(SW, ED, T);
      else
        T.Other = true;
    } else {
      T.Other = true;
    }
    if (!T.First)
      T.First = Value;
    return;
  }
  T.Other = true;
}

/// The local \p Call's value initializes (`auto r = poll();`) or is assigned to, or null.
const VarDecl *resultLocal(const CallExpr *Call, DiscardClassifier &Classifier) {
  const Stmt *Cur = Call;
  for (unsigned I = 0; I < 6; ++I) {
    DynTypedNode N = Classifier.parent(*Cur);
    const VarDecl *VD = N.get<VarDecl>();
    if (const auto *BO = N.get<BinaryOperator>())
      if (BO->getOpcode() == BO_Assign && BO->getRHS() == Cur)
        if (const auto *L = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParens()))
          VD = dyn_cast<VarDecl>(L->getDecl());
    if (VD)
      return VD->hasLocalStorage() && !VD->getType()->isReferenceType() ? VD : nullptr;
    const Expr *P = N.get<Expr>();
    if (!P || !(isa<ImplicitCastExpr>(P) || isa<ParenExpr>(P) || isa<FullExpr>(P)))
      return nullptr;
    Cur = P;
  }
  return nullptr;
}

/// The outcomes an enum result names that a test must keep apart: its success, and an
/// answer that says a write, send or flush failed, by its name (`CannotFlushSendBuffer`,
/// `WriteFailed`) or because a producer of the result returns it where a write or flush it
/// tested failed (`if (!flush_out(c)) return Status::Closed;`).
struct EnumOutcomes {
  llvm::SmallVector<const EnumConstantDecl *, 2> Success;
  const EnumConstantDecl *Failure = nullptr;
  OpKind FailedOp = OpKind::Write;
  const ReturnStmt *Evidence = nullptr; ///< the producer's return of Failure, if that told
  const FunctionDecl *Producer = nullptr;
};

/// True if \p S calls a write, flush, shutdown or close of the model.
bool callsOutput(const Stmt *S, const ApiModel &Model, OpKind &Kind) {
  return anyCall(S, [&](const CallExpr *C) {
    ApiOp Op = Model.lookup(calleeOf(C));
    if (!Op || (Op.kind() != OpKind::Write && Op.kind() != OpKind::ComposedWrite &&
                Op.kind() != OpKind::Flush && Op.kind() != OpKind::Close))
      return false;
    Kind = Op.kind() == OpKind::Flush ? OpKind::Flush : OpKind::Write;
    return true;
  });
}

/// True if \p Cond calls a write or flush of the model, or reads a local initialized by one
/// (`ssize_t w = send(...); if (w < 0)`).
bool testsOutput(const Expr *Cond, const ApiModel &Model, OpKind &Kind) {
  if (callsOutput(Cond, Model, Kind))
    return true;
  struct Locals : RecursiveASTVisitor<Locals> {
    const ApiModel &Model;
    OpKind &Kind;
    bool Found = false;
    Locals(const ApiModel &M, OpKind &K) : Model(M), Kind(K) {}
    bool VisitDeclRefExpr(DeclRefExpr *E) {
      const auto *VD = dyn_cast<VarDecl>(E->getDecl());
      Found |= VD && VD->hasLocalStorage() && VD->getInit() &&
               callsOutput(VD->getInit(), Model, Kind);
      return !Found;
    }
  } L(Model, Kind);
  L.TraverseStmt(const_cast<Expr *>(Cond));
  return L.Found;
}

/// A `return <enumerator of ED>;` in \p Def that a failed write or flush leads to: the
/// return is the then-branch of an `if` (or ends it) whose condition tests one.
void failureFromBody(const FunctionDecl *Def, const EnumDecl *ED, const ApiModel &Model,
                     EnumOutcomes &Out) {
  struct Finder : RecursiveASTVisitor<Finder> {
    const EnumDecl *ED;
    const ApiModel &Model;
    EnumOutcomes &Out;
    Finder(const EnumDecl *ED, const ApiModel &M, EnumOutcomes &O) : ED(ED), Model(M), Out(O) {}
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
    bool VisitIfStmt(IfStmt *If) {
      const Stmt *Then = If->getThen();
      if (const auto *CS = dyn_cast_or_null<CompoundStmt>(Then))
        Then = CS->body_empty() ? nullptr : CS->body_back();
      const auto *Ret = dyn_cast_or_null<ReturnStmt>(Then);
      const Expr *V = Ret ? Ret->getRetValue() : nullptr;
      const EnumConstantDecl *ECD = V ? enumeratorOf(stripToValue(V), ED) : nullptr;
      OpKind Kind = OpKind::Write;
      if (!ECD || llvm::is_contained(Out.Success, ECD) || !testsOutput(If->getCond(), Model, Kind))
        return true;
      Out.Failure = ECD;
      Out.FailedOp = Kind;
      Out.Evidence = Ret;
      return false;
    }
  } F(ED, Model, Out);
  F.TraverseStmt(Def->getBody());
  if (Out.Evidence)
    Out.Producer = Def;
}

/// The outcomes of \p ED. \p Producers are functions of this translation unit that answer
/// it, read only when no enumerator's name says a write or flush failed.
EnumOutcomes enumOutcomes(const EnumDecl *ED, llvm::ArrayRef<const FunctionDecl *> Producers,
                          const ApiModel &Model) {
  EnumOutcomes Out;
  for (const EnumConstantDecl *C : ED->enumerators()) {
    if (StateVocabulary::namesSuccess(C->getName()) || Model.vocabulary().isReady(C->getName())) {
      Out.Success.push_back(C);
      continue;
    }
    if (!Out.Failure)
      if (std::optional<OpKind> K = StateVocabulary::namesOutputFailure(C->getName())) {
        Out.Failure = C;
        Out.FailedOp = *K;
      }
  }
  for (const FunctionDecl *P : Producers) {
    const FunctionDecl *Def = nullptr;
    if (Out.Failure || Out.Success.empty())
      break;
    if (P->hasBody(Def) && Def && !Def->isDependentContext())
      failureFromBody(Def, ED, Model, Out);
  }
  return Out;
}

/// `'A'`, `'A' and 'B'`, `'A', 'B' and 'C'`.
std::string quotedList(llvm::ArrayRef<const EnumConstantDecl *> Named) {
  llvm::SmallVector<const EnumConstantDecl *, 4> Unique;
  for (const EnumConstantDecl *C : Named)
    if (!llvm::is_contained(Unique, C))
      Unique.push_back(C);
  std::string Out;
  for (size_t I = 0; I < Unique.size(); ++I) {
    if (I > 0)
      Out += I + 1 == Unique.size() ? " and " : ", ";
    Out += "'" + Unique[I]->getNameAsString() + "'";
  }
  return Out;
}

/// A result whose tests (\p T) name only outcomes other than its success and its failed
/// write or flush, at least one of them unsuccessful itself (`if (r == AbnormalClose)
/// close();`): the failure takes the success path. \p Subject names the result in the
/// message, \p Loc is where it is tested first.
std::optional<Finding> halfCheckedFinding(const EnumTests &T, const EnumOutcomes &O,
                                          const std::string &Subject, SourceLocation Loc,
                                          const ApiModel &Model, const SourceManager &SM) {
  if (T.Other || !T.First || T.Named.empty() || !O.Failure || O.Success.empty())
    return std::nullopt;
  bool Unsuccessful = false;
  for (const EnumConstantDecl *C : T.Named) {
    if (C == O.Failure || llvm::is_contained(O.Success, C))
      return std::nullopt;
    Unsuccessful |= Model.vocabulary().namesUnsuccessfulOutcome(C->getName());
  }
  if (!Unsuccessful)
    return std::nullopt;
  std::string Fail = "'" + O.Failure->getNameAsString() + "'";
  std::string Ok = "'" + O.Success.front()->getNameAsString() + "'";
  std::string Noun = kindNoun(O.FailedOp).str();
  Finding F;
  F.Loc = Loc;
  F.Message = Subject + " is tested only for " + quotedList(T.Named) + "; " + Fail +
              " takes the path of " + Ok + ", and a failed " + Noun + " goes unnoticed";
  if (O.Evidence)
    F.Notes.push_back({userLoc(SM, O.Evidence->getBeginLoc()),
                       "'" + calleeName(O.Producer) + "' answers " + Fail + " here, when the " +
                           Noun + " fails"});
  else
    F.Notes.push_back({userLoc(SM, O.Failure->getLocation()),
                       Fail + " says the " + Noun + " failed"});
  F.Notes.push_back({Loc, "compare with " + Ok + " so that every other result is handled as "
                          "a failure, or handle " + Fail + " too"});
  return F;
}

/// The enum a result of type \p T is, when it has a definition.
const EnumDecl *resultEnum(QualType T) {
  const auto *ET = T.isNull() ? nullptr : T.getNonReferenceType()->getAs<EnumType>();
  return ET ? ET->getDecl()->getDefinition() : nullptr;
}

/// The tests of the value of \p Call, an enum (directly, or through the local it is kept in),
/// when they let a failed write or flush through as success (halfCheckedFinding).
std::optional<Finding> halfCheckedEnumResult(const CallExpr *Call, QualType RetT,
                                             const FunctionDecl *FD, const ApiModel &Model,
                                             DiscardClassifier &Classifier) {
  const EnumDecl *ED = resultEnum(RetT);
  if (!ED)
    return std::nullopt;
  EnumTests T;
  const VarDecl *VD = resultLocal(Call, Classifier);
  if (VD && isa<ParmVarDecl>(VD))
    return std::nullopt; // an out-parameter: the caller looks at it
  if (VD) {
    for (const DeclRefExpr *Ref : Classifier.references(VD))
      if (noteEnumRead(Ref, ED, Classifier, T), T.Other)
        return std::nullopt;
  } else {
    noteEnumRead(Call, ED, Classifier, T);
  }
  if (T.Other || !T.First)
    return std::nullopt;
  llvm::SmallVector<const FunctionDecl *, 1> Producers;
  if (FD)
    Producers.push_back(FD);
  const SourceManager &SM = Classifier.context().getSourceManager();
  std::string Name = FD ? calleeName(FD) : calleeOf(Call).name();
  return halfCheckedFinding(T, enumOutcomes(ED, Producers, Model),
                            VD ? "'" + VD->getNameAsString() + "'" : "result of '" + Name + "'",
                            VD ? userLoc(SM, T.First->getExprLoc()) : callDiagnosticLoc(Call, SM),
                            Model, SM);
}

/// What the report says, decided from the kind of result that was dropped.
struct Report {
  std::string Name;  ///< the callee as messages name it
  std::string Shown; ///< the dropped expression (`co_await read_some`)
  std::optional<ResultKind> RK;
  std::optional<OpKind> Kind;
  std::string Pending; ///< the pending state's spelling
  const Wording *W = nullptr;
};

/// An error_code& out-argument that nobody reads after the call.
std::optional<Finding> unreadErrorCodeOut(const CallExpr *Call, const FunctionDecl *FD,
                                          const Report &Rep, DiscardClassifier &Classifier,
                                          Finding F) {
  if (!FD)
    return std::nullopt;
  const Expr *Arg = nullptr;
  const VarDecl *EC = errorCodeOutArg(Call, FD, Arg);
  if (!EC || Classifier.readAfter(Call, EC))
    return std::nullopt;
  const SourceManager &SM = Classifier.context().getSourceManager();
  const Wording *W = wordingFor(R::ErrorCodeOut, Rep.Kind);
  F.Message = "error code of '" + Rep.Name + "' is never read; " +
              fill(W->Consequence, "", Rep.Name, Rep.Kind);
  F.Notes.push_back({userLoc(SM, Arg->getExprLoc()),
                     "'" + EC->getNameAsString() + "' receives the error here; " + W->Fix});
  return F;
}

/// A result that is looked at, but perhaps only for errors: `TRY(flush())`, `if (r.failed)
/// return r;`.
std::optional<Finding> errorsOnlyFinding(const CallExpr *Call, QualType RetT,
                                         const Report &Rep, const ApiModel &Model,
                                         DiscardClassifier &Classifier, Finding F) {
  if (Rep.RK != ResultKind::PendingState || !checkedOnlyForErrors(Call, Classifier, Model) ||
      yieldsAfter(Call, Classifier, Model))
    return std::nullopt;
  std::string Pending = pendingSpelling(classifyResultType(RetT, Model));
  const Wording *W = wordingFor(R::PendingState, Rep.Kind);
  if (!W)
    return std::nullopt;
  F.Message = "result of '" + Rep.Name + "' is checked only for errors; " +
              fill(W->Consequence, Pending, Rep.Name, Rep.Kind);
  F.Notes.push_back({F.Loc, fill(W->Fix, Pending, Rep.Name, Rep.Kind)});
  return F;
}

/// True if \p Name has a word (split at `_` and lower-to-upper case changes) that names a log:
/// `log`, `logger`, `errlog`, `fdlog`, `syslog` (not `catalog`, `dialog`, `backlog`, `login`).
bool namesLog(llvm::StringRef Name) {
  llvm::SmallVector<std::string, 6> Words;
  std::string W;
  for (size_t I = 0; I < Name.size(); ++I) {
    char Ch = Name[I];
    bool Boundary = Ch == '_' || (I > 0 && isUppercase(Ch) && isLowercase(Name[I - 1]));
    if (Boundary && !W.empty()) {
      Words.push_back(W);
      W.clear();
    }
    if (Ch != '_')
      W += toLowercase(Ch);
  }
  if (!W.empty())
    Words.push_back(W);
  for (const std::string &Word : Words) {
    llvm::StringRef R(Word);
    if (R == "log" || R == "logs" || R == "logger" || R == "logfile" || R == "logfd")
      return true;
    if (R.size() > 3 && R.substr(R.size() - 3) == "log" && R != "catalog" && R != "dialog" &&
        R != "backlog" && R != "analog" && R != "blog")
      return true;
  }
  return false;
}

/// True if the channel argument of \p Call is a standard descriptor (`STDOUT_FILENO`, `2`,
/// `fileno(stderr)`) or a log's (`errh->fd` of a `log_error_st`, `log_fd`), or the calling
/// function is named for a log (lighttpd's `log_error_write`). A write-all there has nowhere
/// to report its own failure, and a standard stream's errors are left to the exit status as
/// they are for fflush(stdout).
bool writesToLogOrStandardStream(const CallExpr *Call, const ApiEntry &Row,
                                 const FunctionDecl *Caller, ASTContext &Ctx) {
  if (Caller && Caller->getIdentifier() && namesLog(Caller->getName()))
    return true;
  if (Row.Channel < 0 || static_cast<unsigned>(Row.Channel) >= Call->getNumArgs())
    return false;
  const Expr *A = Call->getArg(static_cast<unsigned>(Row.Channel))->IgnoreParenImpCasts();
  Expr::EvalResult Val;
  if (!A->isValueDependent() && A->EvaluateAsInt(Val, Ctx)) {
    const llvm::APSInt &I = Val.Val.getInt();
    return I == 1 || I == 2;
  }
  for (const Expr *E = A; E;) {
    E = E->IgnoreParenImpCasts();
    const ValueDecl *D = nullptr;
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      D = ME->getMemberDecl();
      if (namesLog(D->getName()))
        return true;
      QualType Base = ME->getBase()->getType();
      if (Base->isPointerType())
        Base = Base->getPointeeType();
      if (const auto *RD = Base->getAsRecordDecl())
        if (RD->getIdentifier() && namesLog(RD->getName()))
          return true;
      E = ME->getBase();
      continue;
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      D = DRE->getDecl();
      return D->getIdentifier() && namesLog(D->getName());
    }
    if (const auto *CE = dyn_cast<CallExpr>(E)) {
      // fileno(stderr)
      const FunctionDecl *FD = CE->getDirectCallee();
      if (FD && FD->getIdentifier() && FD->getName() == "fileno" && CE->getNumArgs() == 1)
        if (const auto *S = dyn_cast<DeclRefExpr>(CE->getArg(0)->IgnoreParenImpCasts()))
          return S->getDecl()->getIdentifier() &&
                 (S->getDecl()->getName() == "stdout" || S->getDecl()->getName() == "stderr");
    }
    return false;
  }
  return false;
}

/// True if \p Call writes to descriptor 2, the standard error (`write(2, ...)`, a project's
/// `ngx_write_fd(ngx_stderr, ...)`): a diagnostic, which has nowhere to report its own
/// failure.
bool writesToStandardError(const CallExpr *Call, const ApiEntry &Row, ASTContext &Ctx) {
  if ((Row.Kind != OpKind::Write && Row.Kind != OpKind::ComposedWrite) || Row.Channel < 0)
    return false;
  Callee C = calleeOf(Call);
  unsigned Index = static_cast<unsigned>(Row.Channel) + (C ? C.argumentShift(Call) : 0);
  if (Index >= Call->getNumArgs())
    return false;
  const Expr *A = Call->getArg(Index)->IgnoreParenImpCasts();
  Expr::EvalResult Val;
  return !A->isValueDependent() && A->getType()->isIntegerType() && A->EvaluateAsInt(Val, Ctx) &&
         Val.Val.getInt() == 2;
}

/// True if the code may drop this result: a cast to void where the options allow it, a stdio
/// stream with nothing to lose, a close, flush, sync or shutdown on a failure exit, a
/// project's write-all to a log or a standard descriptor.
bool dropExempt(const CallExpr *Call, const ApiOp &Op, std::optional<OpKind> Kind,
                const UseSite &Use, const DiscardedResultOptions &Opts,
                DiscardClassifier &Classifier, const ApiModel &Model) {
  if (Opts.AllowCastToVoid &&
      (Use.Kind == UseKind::CastToVoid || Use.Kind == UseKind::StdIgnore))
    return true;
  if (Op && streamLosesNothing(Call, *Op.Entry, Use, Classifier, Model))
    return true;
  if (Op && writesToStandardError(Call, *Op.Entry, Classifier.context()))
    return true;
  if (Op && Op.Entry->Origin == RowOrigin::Inferred && Op.kind() == OpKind::ComposedWrite &&
      writesToLogOrStandardStream(Call, *Op.Entry, Classifier.focusedFunction(),
                                  Classifier.context()))
    return true;
  return Kind &&
         (*Kind == OpKind::Close || *Kind == OpKind::Flush || *Kind == OpKind::Sync ||
          *Kind == OpKind::Shutdown) &&
         Use.Kind == UseKind::Statement && closedOnFailureExit(Use.FullStatement, Classifier);
}

/// co_await <op>: the awaited result is what was dropped. A pending state matters for any
/// call; an error code only for the operations the model knows (a timer's error code is not a
/// lost write). The completion of an asynchronous write or shutdown (a co_awaited async_write
/// with as_tuple, redirect_error, ...) is drain-ignored-completion-error's to report. False if
/// nothing is reported; an error code is worded into \p F here, a pending state through
/// Rep.W.
bool awaitedWording(const UseSite &Use, const ApiOp &Op, const ApiModel &Model, Report &Rep,
                    Finding &F) {
  if (Rep.Kind == OpKind::AsyncWrite || Rep.Kind == OpKind::AsyncShutdown)
    return false;
  bool IsError = false;
  Rep.Pending = carriedState(Use.Await->getType(), Model, IsError);
  if (Rep.Pending.empty() || (IsError && !Op))
    return false;
  if (!Op && !looksLikeStateType(classifyResultType(Use.Await->getType(), Model)))
    return false;
  Rep.Shown = "co_await " + Rep.Name;
  if (IsError) {
    F.Message = "result of '" + Rep.Shown + "' is discarded; it carries the error code, and a "
                "failed " + kindNoun(Rep.Kind).str() + " goes unnoticed";
    F.Notes.push_back({F.Loc, "bind the result and test the error code"});
  } else {
    Rep.W = wordingFor(R::PendingState, Rep.Kind);
  }
  return true;
}

/// The wording for a dropped plain result; false if it is not reported.
bool resultWording(QualType RetT, const UseSite &Use, const ApiModel &Model,
                   DiscardClassifier &Classifier, Report &Rep) {
  ResultTypeInfo Info = classifyResultType(RetT, Model);
  if (!Rep.RK) {
    // Not a row (or a generic row whose result carries no state): any call returning a
    // pending state still counts.
    if (Info.Shape != ResultShape::PendingState || !looksLikeStateType(Info))
      return false;
    Rep.RK = ResultKind::PendingState;
    Rep.Kind.reset();
  }
  // Awaitables that are never awaited belong to drain-discarded-awaitable.
  if (*Rep.RK == ResultKind::None || *Rep.RK == ResultKind::Awaitable ||
      *Rep.RK == ResultKind::ErrorCodeOut)
    return false;
  if (*Rep.RK == ResultKind::PendingState) {
    Rep.Pending = pendingSpelling(Info);
    // `(void)poll_flush(); return Poll::Pending;` yields: the caller polls again and the
    // flush is retried, so nothing is lost here.
    if (followedByPendingReturn(Use.FullStatement, Classifier, Model))
      return false;
  }
  Rep.W = wordingFor(*Rep.RK, Rep.Kind);
  return Rep.W != nullptr;
}

std::string droppedLead(const UseSite &Use, const std::string &Shown) {
  return Use.Kind == UseKind::UnreadVariable ? "result of '" + Shown + "' is never read; "
                                             : "result of '" + Shown + "' is discarded; ";
}

/// Says what made drain take the closed descriptor for a written file.
void describeWrittenFile(const WrittenFile &Written, const UseSite &Use, const Report &Rep,
                         const SourceManager &SM, Finding &F) {
  std::string What = "'" + Written.Name + "' " +
                     (Written.Field ? "holds a file this code opens with '"
                                    : "is a file opened with '") +
                     Written.Opener + "'" + (Written.ForWriting ? " for writing" : "") +
                     (Written.Field ? " and writes with '" : " and written by '") +
                     Written.Writer + "'";
  F.Message = droppedLead(Use, Rep.Shown) + What +
              ", and a write error reported only at close (NFS, quota, a full disk) "
              "goes unnoticed";
  F.Notes.push_back({userLoc(SM, calleeNameLoc(Written.Open)),
                     "'" + Written.Name + "' opened here"});
  F.Notes.push_back({userLoc(SM, calleeNameLoc(Written.Write)), "written here"});
  F.Notes.push_back(
      {F.Loc, "check the result and report the failure: the file may be incomplete"});
}

/// The local the result went into, when that is where it was lost.
void noteStoredIn(const UseSite &Use, const SourceManager &SM, Finding &F) {
  if (!Use.Var || (Use.Kind != UseKind::UnreadVariable && Use.Kind != UseKind::CastToVoid))
    return;
  SourceLocation L = Use.Where ? userLoc(SM, Use.Where->getBeginLoc())
                               : userLoc(SM, Use.Var->getLocation());
  std::string V = "'" + Use.Var->getNameAsString() + "'";
  F.Notes.insert(F.Notes.begin(),
                 {L, Use.Kind == UseKind::UnreadVariable
                         ? "stored in " + V + ", which is never read after this"
                         : "stored in " + V + ", which is only cast to void"});
}
} // namespace

std::optional<Finding>
findDiscardedResult(const CallExpr *Call, const ApiModel &Model, DiscardClassifier &Classifier,
                    const DiscardedResultOptions &Opts) {
  // A function, or a function pointer (an ops table's `write`): the pointer's rows are the
  // user's and its annotations; a guess from its name may be dropped (PointerRoles.h).
  Callee C = calleeOf(Call);
  const FunctionDecl *FD = C.Function;
  QualType RetT = C.returnType();
  if (!C || RetT.isNull() || (FD && Model.mayDiscard(FD)))
    return std::nullopt;
  // An opened stream whose only close is an RAII holder's deleter dropping the result.
  if (std::optional<Finding> Held = findHolderDroppedClose(Call, Model, Classifier))
    return Held;
  ApiOp Op = Model.lookup(C);
  OverrideRow Via;
  if (!Op && FD && isa<CXXMethodDecl>(FD)) {
    Via = failingOverride(Call, FD, Model, Classifier);
    Op = Via.Op;
  }
  std::optional<WrittenFile> Written;
  if (Op && (Op.Entry->Flags & AF_MayDiscard) &&
      rowAllowsDrop(Call, Op, Model, Classifier, Written))
    return std::nullopt;
  Report Rep;
  if (Op)
    Rep.RK = effectiveResultKind(Op, RetT, Model);
  if (Op && Rep.RK)
    Rep.Kind = Op.kind();
  // An enum answer tested only for outcomes beside its failed write or flush.
  if (RetT->isEnumeralType())
    if (std::optional<Finding> H = halfCheckedEnumResult(Call, RetT, FD, Model, Classifier))
      return H;
  // Most calls in a translation unit are not I/O. Decide from the callee first: the use
  // analysis below (for a local, a CFG of the enclosing function) is the expensive part.
  if (!(Op && Rep.RK) && !resultMayCarryState(RetT, Model))
    return std::nullopt;
  const SourceManager &SM = Classifier.context().getSourceManager();
  Rep.Name = FD ? calleeName(FD) : C.name();
  Rep.Shown = Rep.Name;

  Finding F;
  F.Loc = callDiagnosticLoc(Call, SM);
  if (Rep.RK == ResultKind::ErrorCodeOut)
    return unreadErrorCodeOut(Call, FD, Rep, Classifier, std::move(F));

  // A row may name a function that returns nothing (an option listing a void write): there
  // is no value to drop. In a template's own body a call of a member of the template is
  // typed only in the instantiation: ask the callee's declared return type.
  if (Call->getType()->isVoidType() || RetT->isVoidType())
    return std::nullopt;
  if (Op &&
      (stdioStreamExempt(Call, *Op.Entry, Opts, Model) || memoryBioExempt(Call, *Op.Entry)))
    return std::nullopt;
  UseSite Use = Classifier.classify(Call);
  if (!Use.discarded())
    return errorsOnlyFinding(Call, RetT, Rep, Model, Classifier, std::move(F));
  if (dropExempt(Call, Op, Rep.Kind, Use, Opts, Classifier, Model))
    return std::nullopt;
  bool Reported = Use.Await ? awaitedWording(Use, Op, Model, Rep, F)
                            : resultWording(RetT, Use, Model, Classifier, Rep);
  if (!Reported)
    return std::nullopt;
  if (Written) {
    describeWrittenFile(*Written, Use, Rep, SM, F);
  } else if (Rep.W) {
    F.Message = droppedLead(Use, Rep.Shown) + fill(Rep.W->Consequence, Rep.Pending, Rep.Name,
                                                    Rep.Kind);
    F.Notes.push_back({F.Loc, fill(Rep.W->Fix, Rep.Pending, Rep.Name, Rep.Kind)});
  }
  noteStoredIn(Use, SM, F);
  if (Via.Override)
    F.Notes.push_back({userLoc(SM, Via.Override->getLocation()),
                       "the call may run '" + Via.Override->getQualifiedNameAsString() +
                           "', whose result reports a failed " + kindNoun(Rep.Kind).str()});
  return F;
}

std::vector<Finding> findHalfCheckedParameters(const FunctionDecl *FD, const ApiModel &Model,
                                               DiscardClassifier &Classifier) {
  std::vector<Finding> Out;
  if (!FD || !FD->hasBody() || FD->isDependentContext())
    return Out;
  const SourceManager &SM = Classifier.context().getSourceManager();
  for (const ParmVarDecl *P : FD->parameters()) {
    QualType PT = P->getType();
    // A non-const reference is an out-parameter: this function answers it, not tests it.
    if (PT->isLValueReferenceType() && !PT.getNonReferenceType().isConstQualified())
      continue;
    const EnumDecl *ED = resultEnum(PT);
    if (!ED)
      continue;
    EnumTests T;
    for (const DeclRefExpr *Ref : Classifier.references(P))
      if (noteEnumRead(Ref, ED, Classifier, T), T.Other)
        break;
    if (T.Other || !T.First)
      continue;
    // The methods of the same class that answer this enum say when it means a failure.
    llvm::SmallVector<const FunctionDecl *, 2> Producers;
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
      for (const CXXMethodDecl *M : MD->getParent()->methods())
        if (resultEnum(M->getReturnType()) == ED)
          Producers.push_back(M);
    if (std::optional<Finding> F =
            halfCheckedFinding(T, enumOutcomes(ED, Producers, Model),
                               "'" + P->getNameAsString() + "'",
                               userLoc(SM, T.First->getExprLoc()), Model, SM))
      Out.push_back(std::move(*F));
  }
  return Out;
}

} // namespace drain
