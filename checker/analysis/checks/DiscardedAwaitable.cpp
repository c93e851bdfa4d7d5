//===--- DiscardedAwaitable.cpp - awaitables of writes that nobody awaits ---===//
#include "analysis/checks/DiscardedAwaitable.h"
#include "Compat.h"
#include "analysis/core/DiscardClassifier.h"
#include "analysis/core/ResultTypes.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace drain {

namespace {

/// Eager awaitables by name: they run whether or not anybody waits.
const char *const EagerNames[] = {"std::future",   "std::shared_future", "boost::future",
                                  "boost::shared_future", "seastar::future",
                                  "folly::Future", "folly::SemiFuture"};

bool writesKind(OpKind K) {
  switch (K) {
  case OpKind::Write:
  case OpKind::ComposedWrite:
  case OpKind::Flush:
  case OpKind::Shutdown:
  case OpKind::AsyncWrite:
  case OpKind::AsyncShutdown:
  case OpKind::Sync:
    return true;
  default:
    return false;
  }
}

const CXXRecordDecl *recordOf(QualType T) {
  T = T.getNonReferenceType().getCanonicalType();
  const auto *RD = T->getAsCXXRecordDecl();
  if (RD && RD->getDefinition())
    return RD->getDefinition();
  return RD;
}

std::string nameOf(const CXXRecordDecl *RD) {
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
    return ApiModel::qualifiedName(Spec->getSpecializedTemplate());
  return ApiModel::qualifiedName(RD);
}

} // namespace

bool isLazyAwaitable(QualType T) {
  const CXXRecordDecl *RD = recordOf(T);
  if (!RD)
    return true;
  std::string Name = nameOf(RD);
  for (const char *E : EagerNames)
    if (ApiModel::nameMatches(E, Name, false))
      return false;
  // promise_type::initial_suspend(): suspend_never means the body runs at the call.
  if (RD->hasDefinition())
    for (const Decl *D : RD->decls()) {
      const auto *ND = dyn_cast<NamedDecl>(D);
      if (!ND || !ND->getDeclName().isIdentifier() || ND->getName() != "promise_type")
        continue;
      const CXXRecordDecl *Promise = nullptr;
      if (const auto *TD = dyn_cast<TypedefNameDecl>(ND))
        Promise = recordOf(TD->getUnderlyingType());
      else
        Promise = dyn_cast<CXXRecordDecl>(ND);
      if (!Promise || !Promise->hasDefinition())
        break;
      for (const CXXMethodDecl *MD : Promise->methods())
        if (MD->getDeclName().isIdentifier() && MD->getName() == "initial_suspend")
          if (const CXXRecordDecl *S = recordOf(MD->getReturnType()))
            if (S->getIdentifier() && S->getName() == "suspend_never")
              return false;
    }
  return true;
}

bool WriteSummaries::isModelWrite(const CallExpr *Call) const {
  ApiOp Op = Model.lookup(Call ? Call->getDirectCallee() : nullptr);
  return Op && writesKind(Op.kind());
}

const CallExpr *WriteSummaries::writeOf(const CallExpr *Call) {
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD)
    return nullptr;
  if (ApiOp Op = Model.lookup(FD))
    return writesKind(Op.kind()) ? Call : nullptr;
  return writeIn(FD) ? Call : nullptr;
}

const CallExpr *WriteSummaries::writeIn(const FunctionDecl *FD, unsigned Depth) {
  if (!FD || Depth > 3)
    return nullptr;
  FD = FD->getCanonicalDecl();
  auto It = Cache.find(FD);
  if (It != Cache.end())
    return It->second;
  Cache[FD] = nullptr; // recursion: assume no write until proven
  const Stmt *Body = bodyOf(FD);
  if (!Body)
    return nullptr;
  struct V : RecursiveASTVisitor<V> {
    WriteSummaries *S;
    const ApiModel *M;
    unsigned Depth;
    const CallExpr *Found = nullptr;
    bool shouldVisitTemplateInstantiations() const { return false; }
    bool VisitCallExpr(CallExpr *CE) {
      const FunctionDecl *Callee = CE->getDirectCallee();
      if (!Callee)
        return true;
      if (ApiOp Op = M->lookup(Callee)) {
        if (writesKind(Op.kind()))
          Found = CE;
      } else if (S->writeIn(Callee, Depth + 1)) {
        Found = CE;
      }
      return !Found;
    }
  } Vis;
  Vis.S = this;
  Vis.M = &Model;
  Vis.Depth = Depth;
  Vis.TraverseStmt(const_cast<Stmt *>(Body));
  Cache[FD] = Vis.Found;
  return Vis.Found;
}

std::optional<Finding> findDiscardedAwaitable(const CallExpr *Call, ASTContext &Ctx,
                                                   DiscardClassifier &Classifier,
                                                   WriteSummaries &Writes,
                                                   const DiscardedAwaitableOptions &Opts) {
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD)
    return std::nullopt;
  QualType T = Call->getType();
  if (T.isNull() || T->isDependentType() || !isAwaitableType(T))
    return std::nullopt;
  const CallExpr *Write = Writes.writeOf(Call);
  if (!Write && !Opts.AnyAwaitable)
    return std::nullopt;
  UseSite U = Classifier.classify(Call);
  if (!U.discarded() || U.Await)
    return std::nullopt;
  bool Lazy = isLazyAwaitable(T);
  if (!Lazy && Opts.AllowCastToVoid &&
      (U.Kind == UseKind::CastToVoid || U.Kind == UseKind::StdIgnore))
    return std::nullopt;

  bool Direct = Writes.isModelWrite(Call);
  std::string Name = FD->getNameAsString();
  const CXXRecordDecl *RD = recordOf(T);
  std::string What = RD && !Lazy && nameOf(RD).find("future") != std::string::npos
                         ? "future"
                         : "awaitable";
  Finding F;
  F.Loc = Call->getBeginLoc();
  F.Range = Call->getSourceRange();
  std::string Consequence =
      Lazy ? (Direct ? "the write never runs" : "the write it performs never runs")
           : (Direct ? "nobody sees whether the write finished"
                     : "nobody sees whether its write finished");
  if (!Write)
    Consequence = Lazy ? "it never runs" : "nobody sees its outcome";
  if (U.Kind == UseKind::UnreadVariable && U.Var)
    F.Message = What + " returned by '" + Name + "' is stored in '" +
                U.Var->getNameAsString() + "' and never awaited; " + Consequence;
  else
    F.Message = What + " returned by '" + Name + "' is discarded; " + Consequence;
  if (Write && !Direct) {
    // The call inside the helper that writes (or that calls the helper that does).
    if (const CallExpr *In = Writes.writeIn(FD))
      if (!Ctx.getSourceManager().isInSystemHeader(In->getBeginLoc())) {
        std::string Note = "'" + Name + "' writes here";
        if (!Writes.isModelWrite(In) && In->getDirectCallee())
          Note += ", through '" + In->getDirectCallee()->getNameAsString() + "'";
        F.Notes.push_back({In->getBeginLoc(), Note});
      }
  }
  F.Notes.push_back({F.Loc, Lazy ? "co_await it, or start it with co_spawn"
                                 : "keep it and wait for it (get() / co_await), or check its "
                                   "result in a continuation"});
  return F;
}

} // namespace drain
