//===--- TlsErrorQueue.cpp - a TLS write classified through a stale error queue ---===//
#include "analysis/checks/PartialWrite/TlsErrorQueue.h"
#include "analysis/checks/PartialWrite/TlsWantPair.h"
#include "analysis/checks/PartialWrite/WriteCalls.h"
#include "analysis/core/Callees.h"
#include "analysis/core/DiscardClassifier.h"
#include "analysis/core/Expressions.h"
#include "analysis/core/OwnBodyVisitor.h"
#include "analysis/core/UnitDecls.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ParentMap.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace drain {

namespace {

/// The calls of \p FD's own body (core/OwnBodyVisitor.h).
std::vector<const CallExpr *> callsIn(const FunctionDecl *FD) {
  std::vector<const CallExpr *> Calls;
  if (FD)
    collectOwnCalls(FD->getBody(), Calls);
  return Calls;
}

/// The definition \p CE calls, when this file has one (not \p Except).
const FunctionDecl *definitionCalled(const CallExpr *CE, const FunctionDecl *Except) {
  const FunctionDecl *FD = CE->getDirectCallee();
  const FunctionDecl *Def = nullptr;
  if (!FD || !FD->hasBody(Def) || !Def || Def == Except || Def->isDependentContext())
    return nullptr;
  return Def;
}

/// True if \p CE empties the thread's error queue: a clear, or a function of this file that
/// calls one (nginx's ngx_ssl_clear_error).
bool isClear(const CallExpr *CE, const FunctionDecl *In, const ApiModel &Model) {
  const FunctionDecl *Callee = CE->getDirectCallee();
  if (!Callee)
    return false;
  if (Model.tableRole(Callee, FunctionRole::ErrorQueueClear))
    return true;
  if (const FunctionDecl *Def = definitionCalled(CE, In))
    for (const CallExpr *Inner : callsIn(Def))
      if (const FunctionDecl *C = Inner->getDirectCallee())
        if (Model.tableRole(C, FunctionRole::ErrorQueueClear))
          return true;
  return false;
}

/// True if \p FD empties the error queue before \p At in the source (a clear after the
/// write, as in a classifier that clears once it has asked, leaves the queue as other code
/// filled it for the next write).
bool clearsBefore(const FunctionDecl *FD, const Stmt *At, const ApiModel &Model,
                  const SourceManager &SM) {
  for (const CallExpr *CE : callsIn(FD))
    if (SM.isBeforeInTranslationUnit(CE->getBeginLoc(), At->getBeginLoc()) &&
        isClear(CE, FD, Model))
      return true;
  return false;
}

/// Collects the calls of \p Target in the functions the main file defines under \p DC.
void callsOf(const DeclContext *DC, const FunctionDecl *Target,
             llvm::SmallVectorImpl<std::pair<const FunctionDecl *, const CallExpr *>> &Out,
             unsigned Depth = 0) {
  if (Depth > 8)
    return;
  for (const Decl *D : mainFileDecls(DC)) {
    if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
      if (FD->doesThisDeclarationHaveABody() && !FD->isDependentContext())
        for (const CallExpr *CE : callsIn(FD))
          if (const FunctionDecl *Callee = CE->getDirectCallee())
            if (Callee->getCanonicalDecl() == Target->getCanonicalDecl())
              Out.push_back({FD, CE});
    } else if (const auto *Inner = dyn_cast<DeclContext>(D)) {
      if (isa<NamespaceDecl>(D) || isa<LinkageSpecDecl>(D) || isa<CXXRecordDecl>(D))
        callsOf(Inner, Target, Out, Depth + 1);
    }
  }
}

/// True if \p FD is called in this file, and every call is after a clear in its caller:
/// a wrapper whose callers clear for it.
bool callersClear(const FunctionDecl *FD, const ApiModel &Model, ASTContext &Ctx) {
  llvm::SmallVector<std::pair<const FunctionDecl *, const CallExpr *>, 4> Calls;
  callsOf(Ctx.getTranslationUnitDecl(), FD, Calls);
  if (Calls.empty())
    return false;
  return llvm::all_of(Calls, [&](const auto &C) {
    return C.first != FD && clearsBefore(C.first, C.second, Model, Ctx.getSourceManager());
  });
}

/// True if \p E is the write's result: the call itself or the local holding it.
bool isResult(const Expr *E, const CallExpr *Call, const VarDecl *Local) {
  E = E->IgnoreParenCasts();
  if (E == Call)
    return true;
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  return Local && DRE && DRE->getDecl() == Local;
}

/// True if \p Param is \p E (through casts).
bool isParam(const Expr *E, const ParmVarDecl *Param) {
  const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenCasts());
  return DRE && DRE->getDecl() == Param;
}

/// Where the write's result is classified: a reader call and the function it is in.
struct Query {
  const CallExpr *Reader = nullptr;
  const FunctionDecl *In = nullptr;
};

/// A reader of \p FD handed \p Result: its argument the role names is \p Result, or (a
/// write answering a bool) its session argument is the write's \p Channel.
template <typename IsResult>
std::optional<Query> readerIn(const FunctionDecl *FD, const ApiModel &Model, IsResult Matches,
                              const Expr *Channel) {
  for (const CallExpr *CE : callsIn(FD)) {
    const FunctionDecl *Callee = CE->getDirectCallee();
    const RoleEntry *R = Callee ? Model.tableRole(Callee, FunctionRole::ErrorQueueReader)
                                : nullptr;
    if (!R || R->Arg < 0 || unsigned(R->Arg) >= CE->getNumArgs())
      continue;
    if (Matches(CE->getArg(R->Arg)) ||
        (Channel && CE->getNumArgs() > 0 && sameReference(CE->getArg(0), Channel)))
      return Query{CE, FD};
  }
  return std::nullopt;
}

/// The reader of the write's result: in \p FD, or in a function of this file \p FD hands the
/// result to (mosquitto's `net__handle_ssl(mosq, ret)`).
std::optional<Query> findQuery(const CallExpr *Call, const FunctionDecl *FD, const Expr *Channel,
                               const ApiModel &Model) {
  ParentMap PM(FD->getBody());
  const VarDecl *Local = localHolding(Call, PM);
  auto Direct = [&](const Expr *E) { return isResult(E, Call, Local); };
  if (std::optional<Query> Q = readerIn(FD, Model, Direct, Channel))
    return Q;
  for (const CallExpr *CE : callsIn(FD)) {
    const FunctionDecl *Def = definitionCalled(CE, FD);
    if (!Def || CE == Call)
      continue;
    for (unsigned I = 0; I < CE->getNumArgs() && I < Def->getNumParams(); ++I) {
      if (!isResult(CE->getArg(I), Call, Local))
        continue;
      const ParmVarDecl *P = Def->getParamDecl(I);
      auto ViaParam = [&](const Expr *E) { return isParam(E, P); };
      if (std::optional<Query> Q = readerIn(Def, Model, ViaParam, nullptr))
        return Q;
    }
  }
  return std::nullopt;
}

/// True if the translation unit spells the name of some error-queue reader row: without
/// one, no write's result can reach a reader.
bool unitSpellsReader(const ASTContext &Ctx, const ApiModel &Model) {
  for (llvm::StringRef Name : Model.namesWithRole(FunctionRole::ErrorQueueReader)) {
    size_t Last = Name.rfind("::");
    llvm::StringRef Base = Last == llvm::StringRef::npos ? Name : Name.substr(Last + 2);
    if (Ctx.Idents.find(Base) != Ctx.Idents.end())
      return true;
  }
  return false;
}

std::string nameOf(const CallExpr *Call) {
  Callee C = calleeOf(Call);
  return C ? C.name() : std::string("the write");
}

} // namespace

std::optional<Finding> findStaleTlsErrorQueue(const CallExpr *Call, const ApiModel &Model,
                                              DiscardClassifier &Index) {
  const FunctionDecl *FD = Index.focusedFunction();
  if (!FD || !FD->getBody() || FD->isDependentContext())
    return std::nullopt;
  ASTContext &Ctx = Index.context();
  if (!unitSpellsReader(Ctx, Model))
    return std::nullopt;
  std::optional<PlainWrite> Row = plainWrite(Call, Model);
  if (!Row)
    return std::nullopt;
  const ApiOp &Op = Row->Op;
  const Expr *Channel = rowArgument(Call, Op.Entry->Channel, Row->C.argumentShift(Call));
  // A write answering a bool (SSL_write_ex) hands the reader no count: its session is what
  // ties the reader to it. A count-returning write's session may be asked about another
  // call's result (a read's) in the same function.
  if (Op.result() != ResultKind::Bool)
    Channel = nullptr;
  std::optional<Query> Q = findQuery(Call, FD, Channel, Model);
  if (!Q || !namesTlsRetryCode(Q->In->getBody(), Ctx))
    return std::nullopt;
  if (clearsBefore(FD, Call, Model, Ctx.getSourceManager()) || callersClear(FD, Model, Ctx))
    return std::nullopt;
  std::string Write = nameOf(Call), Reader = nameOf(Q->Reader);
  Finding F;
  F.Loc = Ctx.getSourceManager().getFileLoc(Call->getBeginLoc());
  F.Message = "'" + Reader + "' classifies the result of '" + Write +
              "' from the thread's error queue, which is not cleared before the write: an "
              "error an earlier call left there turns a would-block into a failure, and the "
              "connection is dropped with its data unsent";
  F.Notes.push_back({Q->Reader->getBeginLoc(),
                     "'" + Reader + "' answers from the error queue when it is not empty"});
  F.Notes.push_back({F.Loc, "clear the thread's error queue right before '" + Write + "'"});
  return F;
}

} // namespace drain
