//===--- FailureAnswers.cpp - a write's failure answered as "not yet" -----===//
#include "analysis/core/FailureAnswers.h"
#include "analysis/core/Callees.h"
#include "analysis/core/OwnBodyVisitor.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/CharInfo.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseMap.h"

using namespace clang;

namespace drain {

namespace {

/// One constant the function answers.
struct Answer {
  const ReturnStmt *Ret = nullptr;
  llvm::APSInt Value;
  std::string Spelling; ///< as written: `HANDLER_ERROR`, `-1`, `NGX_AGAIN`
};

/// A write whose answer the function keeps: in a local, or tested as the call itself.
struct WriteSite {
  const CallExpr *Call = nullptr;
  const VarDecl *Local = nullptr;
};

/// Walks one body: its constant answers, its writes and its if statements.
class BodyFacts : public OwnBodyVisitor<BodyFacts> {
public:
  BodyFacts(ASTContext &Ctx, const ApiModel &Model) : Ctx(Ctx), Model(Model) {}
  bool VisitReturnStmt(ReturnStmt *R);
  bool VisitBinaryOperator(BinaryOperator *BO);
  bool VisitVarDecl(VarDecl *VD);
  bool VisitIfStmt(IfStmt *If) {
    Ifs.push_back(If);
    return true;
  }
  bool VisitCallExpr(CallExpr *Call) {
    if (isWrite(Call))
      Calls.push_back(Call);
    return true;
  }
  bool isWrite(const CallExpr *Call) const;

  ASTContext &Ctx;
  const ApiModel &Model;
  std::vector<Answer> Answers;
  std::vector<WriteSite> Stored;
  /// Other assignments to locals: a test after one of them is about that value.
  std::vector<std::pair<const VarDecl *, const BinaryOperator *>> Assigned;
  std::vector<const CallExpr *> Calls;
  std::vector<const IfStmt *> Ifs;
};

/// The text \p E is written with in the file (a macro's name, not its expansion).
std::string writtenText(const Expr *E, const ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  CharSourceRange R = SM.getExpansionRange(E->getSourceRange());
  return Lexer::getSourceText(R, SM, Ctx.getLangOpts()).trim().str();
}

bool BodyFacts::VisitReturnStmt(ReturnStmt *R) {
  const Expr *V = R->getRetValue();
  Expr::EvalResult Res;
  if (!V || V->isValueDependent() || !V->EvaluateAsInt(Res, Ctx))
    return true;
  Answers.push_back({R, Res.Val.getInt(), writtenText(V, Ctx)});
  return true;
}

bool BodyFacts::VisitBinaryOperator(BinaryOperator *BO) {
  if (BO->getOpcode() != BO_Assign)
    return true;
  const auto *L = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts());
  const auto *Call = dyn_cast<CallExpr>(BO->getRHS()->IgnoreParenCasts());
  const auto *VD = L ? dyn_cast<VarDecl>(L->getDecl()) : nullptr;
  if (VD && VD->hasLocalStorage() && Call && isWrite(Call))
    Stored.push_back({Call, VD});
  else if (VD)
    Assigned.push_back({VD, BO});
  return true;
}

bool BodyFacts::VisitVarDecl(VarDecl *VD) {
  const auto *Call =
      VD->getInit() ? dyn_cast<CallExpr>(VD->getInit()->IgnoreParenCasts()) : nullptr;
  if (VD->hasLocalStorage() && Call && isWrite(Call))
    Stored.push_back({Call, VD});
  return true;
}

/// A function pointer handed a descriptor and the output queue it drains (`int
/// (*network_backend_write)(server *, connection *, int fd, chunkqueue *cq)`): a plain
/// integer parameter and a pointer to a writable record, answering a signed integer.
bool queueWritePrototype(const FunctionProtoType *Proto) {
  if (!Proto || !Proto->getReturnType()->isSignedIntegerType())
    return false;
  bool Descriptor = false, Queue = false;
  for (QualType P : Proto->getParamTypes()) {
    P = P.getCanonicalType();
    if (P->isIntegerType() && !P->isBooleanType() && !P->isEnumeralType())
      Descriptor = true;
    else if (P->isPointerType() && P->getPointeeType()->isRecordType() &&
             !P->getPointeeType().isConstQualified())
      Queue = Descriptor; // the queue comes after the descriptor
  }
  return Descriptor && Queue;
}

bool BodyFacts::isWrite(const CallExpr *Call) const {
  Callee C = calleeOf(Call);
  if (!C)
    return false;
  if (ApiOp Op = Model.lookup(C)) {
    OpKind K = Op.kind();
    // A TLS count's or a state type's failure-looking answer may be "want write" itself.
    ResultKind R = Op.result();
    return (K == OpKind::Write || K == OpKind::ComposedWrite || K == OpKind::Flush) &&
           !(Op.Entry->Flags & AF_HasHandler) && R != ResultKind::TlsCount &&
           R != ResultKind::PendingState;
  }
  return !C.Function && C.Pointer && C.Pointer->getDeclName().isIdentifier() &&
         Model.namesPointerWrite(C.Pointer->getName()) && queueWritePrototype(C.Proto);
}

/// True if \p Name says "again" by the model's vocabulary; errno's names carry an 'E'
/// prefix (EAGAIN, EWOULDBLOCK).
bool namesPending(llvm::StringRef Name, const StateVocabulary &V) {
  if (Name.size() > 2 && Name[0] == 'E' && Name.upper() == Name && V.isPending(Name.drop_front()))
    return true;
  return V.isPending(Name);
}

/// An errno constant (EINTR, EAGAIN, EPIPE) as written.
bool errnoConstant(llvm::StringRef Name) {
  return Name.size() > 2 && Name[0] == 'E' && Name.upper() == Name &&
         llvm::all_of(Name, [](char C) { return isUppercase(C) || isDigit(C); });
}

/// True if \p S compares a value with a name that says "again" or with an errno constant:
/// the code tells a retry apart from a failure there.
bool comparesRetryOrErrno(const Stmt *S, const ASTContext &Ctx, const StateVocabulary &V,
                          unsigned Depth = 0) {
  if (!S || Depth > 32)
    return false;
  if (const auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->isEqualityOp()) {
    for (const Expr *Side : {BO->getLHS(), BO->getRHS()}) {
      std::string T = writtenText(Side, Ctx);
      if (errnoConstant(T) || namesPending(T, V))
        return true;
    }
  }
  if (isa<CallExpr>(S))
    return false; // a log's arguments (strerror(errno)) tell nothing
  for (const Stmt *C : S->children())
    if (comparesRetryOrErrno(C, Ctx, V, Depth + 1))
      return true;
  return false;
}

/// True if \p Cond tests \p Subject (the local or the call) for failure: `== K` or `<= K`
/// with K negative, `< K` with K <= 0; K not named like "again" (NGX_AGAIN is -2).
bool testsFailure(const Expr *Cond, const Expr *CallE, const VarDecl *Local, const ASTContext &Ctx,
                  const StateVocabulary &V) {
  const auto *BO = dyn_cast<BinaryOperator>(Cond->IgnoreParenImpCasts());
  if (!BO || !BO->isComparisonOp())
    return false;
  auto IsSubject = [&](const Expr *E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return Local && DRE->getDecl() == Local;
    return !Local && E == CallE;
  };
  BinaryOperatorKind Op = BO->getOpcode();
  const Expr *K = BO->getRHS();
  if (IsSubject(BO->getRHS())) {
    K = BO->getLHS();
    Op = BinaryOperator::reverseComparisonOp(Op);
  } else if (!IsSubject(BO->getLHS())) {
    return false;
  }
  Expr::EvalResult Res;
  if (K->isValueDependent() || !K->EvaluateAsInt(Res, Ctx) || namesPending(writtenText(K, Ctx), V))
    return false;
  llvm::APSInt Val = Res.Val.getInt();
  if (Op == BO_EQ || Op == BO_LE)
    return Val.isNegative();
  return Op == BO_LT && !Val.isStrictlyPositive();
}

/// The statement a branch ends with.
const Stmt *lastStatement(const Stmt *S) {
  while (const auto *CS = dyn_cast_or_null<CompoundStmt>(S))
    S = CS->body_empty() ? nullptr : CS->body_back();
  return S;
}

bool isFailureAnswer(const Answer &A, const StateVocabulary &V) {
  if (StateVocabulary::mentionsFailure(A.Spelling))
    return true;
  return A.Value.isNegative() && !namesPending(A.Spelling, V);
}

bool sameValue(const Answer &A, const Answer &B) {
  return llvm::APSInt::isSameValue(A.Value, B.Value);
}

} // namespace

namespace {
/// What the function answers besides the branch's \p W: its failure answer, and whether W
/// reads as "not finished yet".
struct AnswerFacts {
  const Answer *Failure = nullptr;
  bool WaitAnswer = false;
};

AnswerFacts judgeAnswers(const BodyFacts &B, const Answer &W, const CallExpr *Write,
                         const StateVocabulary &V) {
  AnswerFacts F;
  const SourceManager &SM = B.Ctx.getSourceManager();
  // W is an answer of the function's own after the write, and not its only answer besides
  // failure: a function answering done / not yet / failed (three states), where a failure
  // answered with either of the other two is lost.
  bool AgainLater = false, OtherState = false;
  for (const Answer &A : B.Answers) {
    if (&A == &W)
      continue;
    bool Failure = isFailureAnswer(A, V);
    // A failure named as one (HANDLER_ERROR) is the one to name, before a bare -1.
    if (Failure && !sameValue(A, W) &&
        (!F.Failure || (StateVocabulary::mentionsFailure(A.Spelling) &&
                        !StateVocabulary::mentionsFailure(F.Failure->Spelling))))
      F.Failure = &A;
    if (sameValue(A, W) && SM.isBeforeInTranslationUnit(Write->getBeginLoc(), A.Ret->getBeginLoc()))
      AgainLater = true;
    if (!Failure && !sameValue(A, W))
      OtherState = true;
  }
  F.WaitAnswer = namesPending(W.Spelling, V) || (AgainLater && OtherState);
  return F;
}

/// True if the local holding \p S's answer is given another value before \p If.
bool reassignedBetween(const BodyFacts &B, const WriteSite &S, const IfStmt *If) {
  const SourceManager &SM = B.Ctx.getSourceManager();
  return S.Local && llvm::any_of(B.Assigned, [&](const auto &A) {
           return A.first == S.Local &&
                  SM.isBeforeInTranslationUnit(S.Call->getEndLoc(), A.second->getBeginLoc()) &&
                  SM.isBeforeInTranslationUnit(A.second->getBeginLoc(), If->getBeginLoc());
         });
}

/// The write tested by \p If: the nearest write before it whose local (or call) the
/// condition tests for failure.
const WriteSite *testedWrite(const BodyFacts &B, const IfStmt *If,
                             llvm::SmallVectorImpl<WriteSite> &Sites, const StateVocabulary &V) {
  const SourceManager &SM = B.Ctx.getSourceManager();
  const WriteSite *Best = nullptr;
  for (const WriteSite &S : Sites) {
    bool Inside = S.Local == nullptr;
    if (!Inside && !SM.isBeforeInTranslationUnit(S.Call->getEndLoc(), If->getBeginLoc()))
      continue;
    if (!testsFailure(If->getCond(), S.Call, S.Local, B.Ctx, V) || reassignedBetween(B, S, If))
      continue;
    if (!Best || SM.isBeforeInTranslationUnit(Best->Call->getBeginLoc(), S.Call->getBeginLoc()))
      Best = &S;
  }
  return Best;
}

Finding describe(const FunctionDecl *FD, const Answer &W, const Answer &Failure,
                 const CallExpr *Write) {
  Callee C = calleeOf(Write);
  std::string Fn = FD->getNameAsString();
  Finding F;
  F.Loc = W.Ret->getBeginLoc();
  if (F.Loc.isMacroID())
    F.Loc = FD->getASTContext().getSourceManager().getExpansionLoc(F.Loc);
  F.Message = "'" + Fn + "' answers '" + W.Spelling + "' when '" + C.name() +
              "' fails, the answer it gives while the write is not finished, not its failure "
              "answer '" +
              Failure.Spelling + "'; the caller waits for a write that failed";
  F.Notes.push_back({Write->getBeginLoc(), "the write whose failure is answered so"});
  F.Notes.push_back({Failure.Ret->getBeginLoc(), "'" + Fn + "' answers '" + Failure.Spelling +
                                                     "' on its other failures; "
                                                     "answer the write's failure the same way"});
  return F;
}
} // namespace

std::vector<Finding> findWriteFailuresAnsweredAsWait(const FunctionDecl *FD,
                                                     const ApiModel &Model) {
  std::vector<Finding> Out;
  QualType Ret = FD ? FD->getReturnType() : QualType();
  if (Ret.isNull() || !(Ret->isIntegerType() || Ret->isEnumeralType()) || Ret->isBooleanType() ||
      !FD->hasBody() || StateVocabulary::namesLogging(FD->getName()))
    return Out;
  BodyFacts B(FD->getASTContext(), Model);
  B.TraverseStmt(FD->getBody());
  if (B.Calls.empty() || B.Answers.size() < 3)
    return Out;
  llvm::SmallVector<WriteSite, 4> Sites(B.Stored.begin(), B.Stored.end());
  for (const CallExpr *Call : B.Calls)
    Sites.push_back({Call, nullptr});
  const StateVocabulary &V = Model.vocabulary();
  llvm::DenseMap<const Stmt *, const Answer *> ByReturn;
  for (const Answer &A : B.Answers)
    ByReturn[A.Ret] = &A;
  for (const IfStmt *If : B.Ifs) {
    const WriteSite *Site = testedWrite(B, If, Sites, V);
    const Answer *W = Site ? ByReturn.lookup(lastStatement(If->getThen())) : nullptr;
    if (!W || isFailureAnswer(*W, V) || comparesRetryOrErrno(If->getCond(), B.Ctx, V) ||
        comparesRetryOrErrno(If->getThen(), B.Ctx, V))
      continue;
    AnswerFacts F = judgeAnswers(B, *W, Site->Call, V);
    if (F.Failure && F.WaitAnswer)
      Out.push_back(describe(FD, *W, *F.Failure, Site->Call));
  }
  return Out;
}

} // namespace drain
