//===--- FailureAnswers.cpp - a write's failure answered as "not yet" -----===//
#include "analysis/core/FailureAnswers.h"
#include "analysis/core/BodyCfg.h"
#include "analysis/core/Callees.h"
#include "analysis/core/Identifiers.h"
#include "analysis/core/OwnBodyVisitor.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/Stmt.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/CharInfo.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <memory>
#include <optional>
#include <set>
#include <tuple>

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

/// The names \p E is written with: its text and, inside macros, the macro names from the
/// innermost out (`EINTR` within `EVUTIL_ERR_RW_RETRIABLE(e)`, whose text is the whole call).
llvm::SmallVector<std::string, 4> namesOf(const Expr *E, const ASTContext &Ctx) {
  llvm::SmallVector<std::string, 4> Out{writtenText(E, Ctx)};
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation L = E->getBeginLoc();
  for (unsigned I = 0; L.isMacroID() && I < 8; ++I) {
    Out.push_back(Lexer::getImmediateMacroNameForDiagnostics(L, SM, Ctx.getLangOpts()).str());
    L = SM.getImmediateMacroCallerLoc(L);
  }
  return Out;
}

/// True if \p E is written as (or in a macro named as) an "again" name: EAGAIN, EWOULDBLOCK.
bool saysAgain(const Expr *E, const ASTContext &Ctx, const StateVocabulary &V) {
  return llvm::any_of(namesOf(E, Ctx), [&](const std::string &N) { return namesPending(N, V); });
}

/// True if \p S compares a value with a name that says "again" or (unless \p AgainOnly) with
/// an errno constant: the code tells a retry apart from a failure there.
bool comparesRetryOrErrno(const Stmt *S, const ASTContext &Ctx, const StateVocabulary &V,
                          bool AgainOnly = false, unsigned Depth = 0) {
  if (!S || Depth > 32)
    return false;
  if (const auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->isEqualityOp()) {
    for (const Expr *Side : {BO->getLHS(), BO->getRHS()})
      for (const std::string &T : namesOf(Side, Ctx))
        if ((!AgainOnly && errnoConstant(T)) || namesPending(T, V))
          return true;
  }
  if (isa<CallExpr>(S))
    return false; // a log's arguments (strerror(errno)) tell nothing
  for (const Stmt *C : S->children())
    if (comparesRetryOrErrno(C, Ctx, V, AgainOnly, Depth + 1))
      return true;
  return false;
}

/// Which branch of a test of a write's answer is its failure.
enum class FailSide { None, Then, Else };

/// Which branch of \p Cond, a comparison of \p Subject (the local or the call) with a
/// constant K not named like "again" (NGX_AGAIN is -2), is the failure: the true one for
/// `== K` or `<= K` with K negative and `< K` with K <= 0, the false one for their negations
/// (`!= -1`, `>= 0`, `> -1`). With \p ZeroFails a zero count fails too (`n <= 0`, the false
/// branch of `n > 0`), for a caller that also sees errno examined there.
FailSide failureSide(const Expr *Cond, const Expr *CallE, const VarDecl *Local,
                     const ASTContext &Ctx, const StateVocabulary &V, bool ZeroFails = false) {
  const auto *BO = dyn_cast<BinaryOperator>(Cond->IgnoreParenImpCasts());
  if (!BO || !BO->isComparisonOp())
    return FailSide::None;
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
    return FailSide::None;
  }
  Expr::EvalResult Res;
  if (K->isValueDependent() || !K->EvaluateAsInt(Res, Ctx) || namesPending(writtenText(K, Ctx), V))
    return FailSide::None;
  llvm::APSInt Val = Res.Val.getInt();
  bool Neg = Val.isNegative(), NotPos = !Val.isStrictlyPositive();
  switch (Op) {
  case BO_EQ:
    return Neg ? FailSide::Then : FailSide::None;
  case BO_NE:
    return Neg ? FailSide::Else : FailSide::None;
  case BO_LE:
    return Neg || (ZeroFails && NotPos) ? FailSide::Then : FailSide::None;
  case BO_LT:
    return NotPos ? FailSide::Then : FailSide::None;
  case BO_GE:
    return NotPos ? FailSide::Else : FailSide::None;
  case BO_GT:
    return Neg || (ZeroFails && NotPos) ? FailSide::Else : FailSide::None;
  default:
    return FailSide::None;
  }
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

/// True if the local holding \p S's answer is given another value before \p At.
bool reassignedBetween(const BodyFacts &B, const WriteSite &S, SourceLocation At) {
  const SourceManager &SM = B.Ctx.getSourceManager();
  return S.Local && llvm::any_of(B.Assigned, [&](const auto &A) {
           return A.first == S.Local &&
                  SM.isBeforeInTranslationUnit(S.Call->getEndLoc(), A.second->getBeginLoc()) &&
                  SM.isBeforeInTranslationUnit(A.second->getBeginLoc(), At);
         });
}

/// The write tested by \p Cond (written at \p At): the nearest write before it whose local
/// (or call) the condition tests for failure, and which branch is the failure (the false one
/// only if \p Untold asks: `if (n >= 0) ... else`, and then a zero count fails too).
const WriteSite *testedWrite(const BodyFacts &B, const Expr *Cond, SourceLocation At,
                             llvm::ArrayRef<WriteSite> Sites, const StateVocabulary &V,
                             FailSide &Side, bool Untold = false) {
  const SourceManager &SM = B.Ctx.getSourceManager();
  const WriteSite *Best = nullptr;
  for (const WriteSite &S : Sites) {
    bool Inside = S.Local == nullptr;
    if (!Inside && !SM.isBeforeInTranslationUnit(S.Call->getEndLoc(), At))
      continue;
    FailSide F = failureSide(Cond, S.Call, S.Local, B.Ctx, V, Untold);
    if (F == FailSide::None || (F == FailSide::Else && !Untold) || reassignedBetween(B, S, At))
      continue;
    if (!Best || SM.isBeforeInTranslationUnit(Best->Call->getBeginLoc(), S.Call->getBeginLoc())) {
      Best = &S;
      Side = F;
    }
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
    FailSide Side = FailSide::None;
    const WriteSite *Site = testedWrite(B, If->getCond(), If->getBeginLoc(), Sites, V, Side);
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

//===--- a write's failure told to no one ---------------------------------===//

namespace drain {

namespace {

/// Words of a callee's name that tell someone of a failure: a close or shutdown of the
/// channel or its owner, an error handler, a state change, a release of the owner.
const llvm::StringRef TellWords[] = {
    "close",      "closed", "closing",   "shutdown", "disconnect", "disconnected", "error",
    "err",        "errors", "fail",      "failed",   "failure",    "fatal",        "abort",
    "reset",      "kill",   "terminate", "destroy",  "teardown",   "cleanup",      "hangup",
    "invalidate", "drop",   "stop",      "release",  "unref",      "exit",         "die",
    "panic",      "bail",   "del",       "delete",   "remove",     "unregister",   "state",
    "status",     "mark",   "broken",    "dead",     "eof",        "throw",        "raise"};
/// Words of a callee's name that try the data again or keep it for later: a re-queue.
const llvm::StringRef RequeueWords[] = {"write",    "send",  "queue", "enqueue", "append",
                                        "push",     "retry", "again", "resend",  "flush",
                                        "schedule", "post",  "defer", "enable",  "arm",
                                        "wait",     "watch", "later", "add",     "pending"};
/// Words of a function's own name that say its writes are a best-effort notice: a self-pipe
/// wake-up, a signal to another thread. Its failure has no one to tell.
const llvm::StringRef NoticeWords[] = {"wake", "wakeup",    "notify", "signal",
                                       "kick", "interrupt", "alert"};
/// Words of a function's own name that say it runs while the connection is torn down or an
/// error is reported (`send_error_reply`, `close_with_goodbye`): whoever called it already
/// knows, and its write's failure has no one more to tell.
const llvm::StringRef TearDownWords[] = {
    "close", "closing",  "shutdown", "disconnect", "error",     "err",    "fail",    "failure",
    "abort", "teardown", "destroy",  "cleanup",    "terminate", "reject", "goodbye", "bye"};

bool namesTelling(llvm::StringRef Name) {
  return nameHasWord(Name, TellWords) || nameHasWord(Name, RequeueWords);
}

/// What a path knows: locals given a constant on it (a flag set on the failure path), and
/// whether the write's local still holds the failed answer.
struct PathFacts {
  std::vector<std::pair<const VarDecl *, bool>> Known;
  bool WriteFailed = false;
  std::optional<bool> valueOf(const VarDecl *VD) const {
    for (const auto &K : Known)
      if (K.first == VD)
        return K.second;
    return std::nullopt;
  }
  void set(const VarDecl *VD, std::optional<bool> Value) {
    llvm::erase_if(Known, [&](const auto &K) { return K.first == VD; });
    if (Value)
      Known.push_back({VD, *Value});
    llvm::sort(Known, [](const auto &A, const auto &B) { return A.first < B.first; });
  }
};

/// The truth of a constant as a condition, if \p E is one.
std::optional<bool> constantTruth(const Expr *E, const ASTContext &Ctx) {
  Expr::EvalResult Res;
  if (E->isValueDependent() || !E->EvaluateAsInt(Res, Ctx))
    return std::nullopt;
  return Res.Val.getInt().getBoolValue();
}

const VarDecl *localOf(const Expr *E) {
  const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  return VD && VD->hasLocalStorage() && !VD->getType()->isReferenceType() ? VD : nullptr;
}

/// True if assigning to \p LHS stores outside the function's own locals: a member, a pointee,
/// a global (`conn->state = ERROR`, `this->error_ = errno`, `*err = n`, `c->closing = 1`).
bool storesOutside(const Expr *LHS) {
  const Expr *E = LHS->IgnoreParenImpCasts();
  for (unsigned I = 0; I < 16; ++I) {
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      if (ME->isArrow())
        return true;
      E = ME->getBase()->IgnoreParenImpCasts();
    } else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
      if (AS->getBase()->IgnoreParenImpCasts()->getType()->isPointerType())
        return true;
      E = AS->getBase()->IgnoreParenImpCasts();
    } else if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      return !VD || !VD->hasLocalStorage() || VD->getType()->isReferenceType();
    } else {
      return true;
    }
  }
  return true;
}

/// One function body read for the rule: its parent map, its writes, the locals that carry the
/// error (the write's answer, a copy of errno, a flag set on the failure path).
class UntoldFailures {
public:
  UntoldFailures(const FunctionDecl *FD, const ApiModel &Model, BodyFacts &B)
      : FD(FD), Model(Model), Ctx(FD->getASTContext()), V(Model.vocabulary()), B(B),
        PM(FD->getBody()) {}
  std::vector<Finding> run();

private:
  struct Walk {
    bool Told = false, Returns = false, GaveUp = false;
    const Stmt *Exit = nullptr;
  };
  struct Start {
    const CFGBlock *Block;
    unsigned Index;
    PathFacts Facts;
  };
  const IfStmt *enclosingIf(const Expr *Cond, FailSide &Side) const;
  std::optional<bool> eval(const Expr *E, const PathFacts &P) const;
  std::optional<bool> evalComparison(const BinaryOperator *BO, const PathFacts &P) const;
  bool inLogging(const Stmt *S) const;
  bool mentionsError(const Stmt *S) const;
  bool argumentTells(const Expr *Arg) const;
  bool bodyTells(const FunctionDecl *Callee) const;
  bool callTells(const CallExpr *Call) const;
  bool tells(const Stmt *S) const;
  void learn(const Stmt *S, PathFacts &P) const;
  Walk walk(Start From) const;
  void successAnswers(const CFGBlock *From);
  bool judge(const WriteSite &Site, const CFGBlock *TestBlock, const Expr *Cond, FailSide Side,
             std::vector<Finding> &Out);
  Finding describe(const WriteSite &Site, const Stmt *At, const VarDecl *Flag, const Walk &W) const;

  const FunctionDecl *FD;
  const ApiModel &Model;
  ASTContext &Ctx;
  const StateVocabulary &V;
  BodyFacts &B;
  ParentMap PM;
  std::unique_ptr<CFG> G;
  CfgPositions Positions;
  const WriteSite *Site = nullptr;
  llvm::SmallPtrSet<const VarDecl *, 4> ErrorLocals;
  std::vector<llvm::APSInt> SuccessValues;
};

/// The if statement whose branch \p Cond's failure side is, through `(...)`, `!` and the left
/// side of `&&` (`if (n < 0 && errno != EAGAIN)`); \p Side becomes the if's branch.
const IfStmt *UntoldFailures::enclosingIf(const Expr *Cond, FailSide &Side) const {
  const Stmt *S = Cond;
  for (unsigned I = 0; I < 16; ++I) {
    const Stmt *P = PM.getParent(S);
    if (const auto *If = dyn_cast_or_null<IfStmt>(P))
      return If->getCond() == S ? If : nullptr;
    if (isa_and_nonnull<ParenExpr, ImplicitCastExpr>(P)) {
      S = P;
      continue;
    }
    if (const auto *UO = dyn_cast_or_null<UnaryOperator>(P); UO && UO->getOpcode() == UO_LNot) {
      Side = Side == FailSide::Then ? FailSide::Else : FailSide::Then;
      S = P;
      continue;
    }
    // Only `fail && more` keeps the failure on the true branch; `ok && more` does not.
    const auto *BO = dyn_cast_or_null<BinaryOperator>(P);
    if (!BO || BO->getOpcode() != BO_LAnd || Side != FailSide::Then)
      return nullptr;
    S = P;
  }
  return nullptr;
}

std::optional<bool> UntoldFailures::evalComparison(const BinaryOperator *BO,
                                                   const PathFacts &P) const {
  // errno == EAGAIN, RETRIABLE(e): the walk follows a failure that is no retry.
  if (BO->isEqualityOp() && (saysAgain(BO->getLHS(), Ctx, V) || saysAgain(BO->getRHS(), Ctx, V)))
    return BO->getOpcode() == BO_NE;
  if (P.WriteFailed) {
    FailSide S = failureSide(BO, Site->Call, Site->Local, Ctx, V);
    if (S != FailSide::None)
      return S == FailSide::Then;
  }
  if (!BO->isEqualityOp())
    return std::nullopt;
  for (auto [L, R] : {std::pair{BO->getLHS(), BO->getRHS()}, {BO->getRHS(), BO->getLHS()}}) {
    const VarDecl *VD = localOf(L);
    std::optional<bool> Known = VD ? P.valueOf(VD) : std::nullopt;
    std::optional<bool> K = constantTruth(R, Ctx);
    if (Known && K) // a flag compared with true/false, 0/1
      return (*Known == *K) == (BO->getOpcode() == BO_EQ);
  }
  return std::nullopt;
}

/// What \p E is as a condition on a path with \p P, if the path decides it.
std::optional<bool> UntoldFailures::eval(const Expr *E, const PathFacts &P) const {
  E = E->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_LNot) {
    std::optional<bool> R = eval(UO->getSubExpr(), P);
    return R ? std::optional<bool>(!*R) : std::nullopt;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    if (BO->isLogicalOp()) {
      std::optional<bool> L = eval(BO->getLHS(), P), R = eval(BO->getRHS(), P);
      bool And = BO->getOpcode() == BO_LAnd;
      if ((L && *L != And) || (R && *R != And))
        return !And; // one side decides: false for &&, true for ||
      if (L && R)
        return And;
      return std::nullopt;
    }
    if (BO->isComparisonOp())
      return evalComparison(BO, P);
    return std::nullopt;
  }
  if (const VarDecl *VD = localOf(E))
    return P.valueOf(VD);
  return std::nullopt;
}

/// True if \p S reports rather than handles: a logging call, written in a logging macro
/// (`LOG_ERROR << ...`, `LOG(ERROR) << ...`), a stream insertion into std::cerr or std::clog,
/// or an argument of one of those (`strerror(serrno)` in the message).
bool UntoldFailures::inLogging(const Stmt *S) const {
  for (unsigned I = 0; S && I < 32; ++I, S = PM.getParent(S)) {
    const auto *Call = dyn_cast<CallExpr>(S);
    if (!Call)
      continue;
    if (isLoggingCall(Call))
      return true;
    llvm::SmallVector<std::string, 4> Names = namesOf(Call, Ctx);
    for (size_t N = 1; N < Names.size(); ++N) // the macros it is written in
      if (StateVocabulary::namesLogging(Names[N]))
        return true;
    const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call);
    if (Op && Op->getOperator() == OO_LessLess && Op->getNumArgs() == 2) {
      const Expr *L = Op->getArg(0)->IgnoreParenImpCasts();
      while (const auto *Inner = dyn_cast<CXXOperatorCallExpr>(L))
        L = Inner->getArg(0)->IgnoreParenImpCasts();
      const auto *DRE = dyn_cast<DeclRefExpr>(L);
      llvm::StringRef Name =
          DRE && DRE->getDecl()->getIdentifier() ? DRE->getDecl()->getName() : llvm::StringRef();
      if (Name == "cerr" || Name == "clog")
        return true;
    }
  }
  return false;
}

/// True if \p S is written inside a macro named like a logger (`LOG_WARN(...)`).
bool writtenInLoggingMacro(const Stmt *S, const ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation L = S->getBeginLoc();
  for (unsigned I = 0; L.isMacroID() && I < 8; ++I) {
    if (StateVocabulary::namesLogging(
            Lexer::getImmediateMacroNameForDiagnostics(L, SM, Ctx.getLangOpts())))
      return true;
    L = SM.getImmediateMacroCallerLoc(L);
  }
  return false;
}

/// True if \p S reads the error: the write's answer, a local holding it, errno.
bool UntoldFailures::mentionsError(const Stmt *S) const {
  if (!S)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()); VD && ErrorLocals.count(VD))
      return true;
  if (const auto *Call = dyn_cast<CallExpr>(S)) {
    llvm::SmallVector<std::string, 4> Names = namesOf(Call, Ctx);
    if (llvm::is_contained(llvm::ArrayRef<std::string>(Names).drop_front(), "errno"))
      return true;
  }
  for (const Stmt *C : S->children())
    if (mentionsError(C))
      return true;
  return false;
}

/// True if \p Arg names a function that closes or handles an error (`std::bind(
/// &Conn::HandleClose, ...)`) or a constant saying a failure or a close (`CON_STATE_ERROR`).
bool UntoldFailures::argumentTells(const Expr *Arg) const {
  if (!Arg)
    return false;
  const auto *DRE = dyn_cast<DeclRefExpr>(Arg);
  const NamedDecl *D = DRE ? DRE->getDecl() : nullptr;
  if (const auto *ME = dyn_cast<MemberExpr>(Arg))
    D = ME->getMemberDecl();
  if (D && (isa<FunctionDecl>(D) || isa<EnumConstantDecl>(D)) && D->getIdentifier() &&
      nameHasWord(D->getName(), TellWords))
    return true;
  if (Arg->getBeginLoc().isMacroID()) {
    llvm::SmallVector<std::string, 4> Names = namesOf(Arg, Ctx);
    for (size_t N = 1; N < Names.size(); ++N)
      if (nameHasWord(Names[N], TellWords))
        return true;
  }
  for (const Stmt *C : Arg->children())
    if (argumentTells(dyn_cast_or_null<Expr>(C)))
      return true;
  return false;
}

namespace {
/// A callee's body, one level: does it store outside its locals or call something that tells?
class BodyScan : public OwnBodyVisitor<BodyScan> {
public:
  explicit BodyScan(const ApiModel &Model) : Model(Model) {}
  bool VisitBinaryOperator(BinaryOperator *BO) {
    Tells |= BO->isAssignmentOp() && storesOutside(BO->getLHS());
    return !Tells;
  }
  bool VisitUnaryOperator(UnaryOperator *UO) {
    Tells |= UO->isIncrementDecrementOp() && storesOutside(UO->getSubExpr());
    return !Tells;
  }
  bool VisitCXXThrowExpr(CXXThrowExpr *) {
    Tells = true;
    return false;
  }
  bool VisitCallExpr(CallExpr *Call) {
    Callee C = calleeOf(Call);
    if (C && !isLoggingCall(Call))
      Tells |= !C.Function || Model.lookup(C) || namesTelling(C.name());
    return !Tells;
  }
  const ApiModel &Model;
  bool Tells = false;
};
} // namespace

/// True if \p Callee, defined in this translation unit outside system headers, changes
/// something outside its locals (`mark_dead(c)` setting `c->dead = 1`).
bool UntoldFailures::bodyTells(const FunctionDecl *Callee) const {
  const FunctionDecl *Def = nullptr;
  if (!Callee->hasBody(Def) || !Def || Ctx.getSourceManager().isInSystemHeader(Def->getLocation()))
    return false;
  BodyScan Scan(Model);
  Scan.TraverseStmt(Def->getBody());
  return Scan.Tells;
}

/// True if \p Call object is a local of this function (`msg.clear()`).
bool onLocalObject(const CallExpr *Call) {
  const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
  const Expr *Obj = MC ? MC->getImplicitObjectArgument() : nullptr;
  return Obj && localOf(Obj);
}

bool UntoldFailures::callTells(const CallExpr *Call) const {
  if (inLogging(Call))
    return false;
  QualType T = Call->getType();
  if (T->isPointerType() && T->getPointeeType()->isAnyCharacterType())
    return false; // a message: strerror(errno), gai_strerror(rc)
  Callee C = calleeOf(Call);
  if (!C || !C.Function)
    return true; // a callback tells whoever installed it
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call)) {
    if (Op->getOperator() == OO_Call)
      return true;
    return Op->isAssignmentOp() && storesOutside(Op->getArg(0));
  }
  if (ApiOp Op = Model.lookup(C); Op && Op.kind() != OpKind::EmptyTest)
    return true; // a close, a shutdown, another write
  if (C.Function->isNoReturn() || namesTelling(C.name()))
    return true;
  for (const Expr *A : Call->arguments())
    if (argumentTells(A) || mentionsError(A))
      return true;
  return !onLocalObject(Call) && bodyTells(C.Function);
}

/// True if \p S, on the path after the failure, tells someone: closes, records the error
/// outside the function, hands it on, throws, answers a failure, or tries the data again.
bool UntoldFailures::tells(const Stmt *S) const {
  if (S == Site->Call)
    return true; // the write again: a retry
  if (const auto *Call = dyn_cast<CallExpr>(S))
    return callTells(Call);
  if (isa<CXXThrowExpr>(S) || isa<CXXDeleteExpr>(S))
    return true;
  if (writtenInLoggingMacro(S, Ctx))
    return false;
  if (const auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->isAssignmentOp())
    return storesOutside(BO->getLHS());
  if (const auto *UO = dyn_cast<UnaryOperator>(S); UO && UO->isIncrementDecrementOp())
    return storesOutside(UO->getSubExpr());
  const auto *Ret = dyn_cast<ReturnStmt>(S);
  const Expr *Val = Ret ? Ret->getRetValue() : nullptr;
  if (!Val || FD->getReturnType()->isVoidType())
    return false;
  Expr::EvalResult Res;
  if (Val->isValueDependent() || !Val->EvaluateAsInt(Res, Ctx))
    return true; // an answer computed: it may carry the failure
  Answer A{Ret, Res.Val.getInt(), writtenText(Val, Ctx)};
  if (isFailureAnswer(A, V) || (FD->getReturnType()->isBooleanType() && A.Value.isZero()))
    return true;
  return llvm::none_of(
      SuccessValues, [&](const llvm::APSInt &S) { return llvm::APSInt::isSameValue(S, A.Value); });
}

/// What \p S tells the path: a local given a constant, the write's local given another value.
void UntoldFailures::learn(const Stmt *S, PathFacts &P) const {
  if (const auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->getOpcode() == BO_Assign) {
    if (const VarDecl *VD = localOf(BO->getLHS())) {
      if (VD == Site->Local)
        P.WriteFailed = false;
      P.set(VD, constantTruth(BO->getRHS(), Ctx));
    }
  } else if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D); VD && VD->getInit())
        P.set(VD, constantTruth(VD->getInit(), Ctx));
  }
}

/// Every path from \p From to the function's end, as far as the facts decide its branches;
/// paths through a call that does not return (an assertion's) are not normal returns.
UntoldFailures::Walk UntoldFailures::walk(Start From) const {
  Walk W;
  std::vector<Start> Work{std::move(From)};
  // A block is walked again only with facts not seen there yet.
  std::set<std::tuple<unsigned, bool, std::vector<std::pair<const VarDecl *, bool>>>> Seen;
  for (unsigned Steps = 0; !Work.empty(); ++Steps) {
    if (Steps > 4000) {
      W.GaveUp = true;
      return W;
    }
    Start S = std::move(Work.back());
    Work.pop_back();
    if (S.Block == &G->getExit()) {
      W.Returns = true;
      continue;
    }
    if (S.Block->hasNoReturnElement())
      continue;
    for (unsigned I = S.Index; I < S.Block->size(); ++I) {
      auto El = (*S.Block)[I].getAs<CFGStmt>();
      if (!El)
        continue;
      if (tells(El->getStmt())) {
        W.Told = true;
        return W;
      }
      learn(El->getStmt(), S.Facts);
      if (!W.Exit && isa<ReturnStmt>(El->getStmt()))
        W.Exit = El->getStmt();
    }
    const auto *Cond = dyn_cast_or_null<Expr>(S.Block->getTerminatorCondition());
    std::optional<bool> Known =
        Cond && S.Block->succ_size() == 2 ? eval(Cond, S.Facts) : std::nullopt;
    unsigned Index = 0;
    for (const CFGBlock::AdjacentBlock &Succ : S.Block->succs()) {
      const CFGBlock *N = Succ.getReachableBlock();
      unsigned Edge = Index++; // 0: the condition holds, 1: it does not
      if (!N || (Known && Edge == (*Known ? 1u : 0u)))
        continue;
      PathFacts F = S.Facts;
      if (Seen.insert({N->getBlockID(), F.WriteFailed, F.Known}).second)
        Work.push_back({N, 0, std::move(F)});
    }
  }
  return W;
}

/// The constants the function answers on the paths from \p From (the write's success).
void UntoldFailures::successAnswers(const CFGBlock *From) {
  SuccessValues.clear();
  llvm::SmallPtrSet<const CFGBlock *, 32> Seen{From};
  std::vector<const CFGBlock *> Work{From};
  while (!Work.empty() && Seen.size() < 4000) {
    const CFGBlock *Blk = Work.back();
    Work.pop_back();
    for (const CFGElement &El : *Blk) {
      auto S = El.getAs<CFGStmt>();
      const auto *Ret = S ? dyn_cast<ReturnStmt>(S->getStmt()) : nullptr;
      Expr::EvalResult Res;
      if (Ret && Ret->getRetValue() && !Ret->getRetValue()->isValueDependent() &&
          Ret->getRetValue()->EvaluateAsInt(Res, Ctx))
        SuccessValues.push_back(Res.Val.getInt());
    }
    for (const CFGBlock::AdjacentBlock &Succ : Blk->succs())
      if (const CFGBlock *N = Succ.getReachableBlock(); N && Seen.insert(N).second)
        Work.push_back(N);
  }
}

namespace {
/// The flags a failure branch sets: `write_error = true;`, `failed = 1;`.
class FlagSets : public OwnBodyVisitor<FlagSets> {
public:
  explicit FlagSets(const ASTContext &Ctx) : Ctx(Ctx) {}
  bool VisitBinaryOperator(BinaryOperator *BO) {
    const VarDecl *VD = BO->getOpcode() == BO_Assign ? localOf(BO->getLHS()) : nullptr;
    std::optional<bool> K = VD ? constantTruth(BO->getRHS(), Ctx) : std::nullopt;
    if (K && *K && (VD->getType()->isBooleanType() || VD->getType()->isIntegerType()))
      Sets.push_back({BO, VD});
    return true;
  }
  const ASTContext &Ctx;
  std::vector<std::pair<const BinaryOperator *, const VarDecl *>> Sets;
};

/// Statements of a failure branch written before a point: the path up to a flag.
class BranchBefore : public OwnBodyVisitor<BranchBefore> {
public:
  BranchBefore(const SourceManager &SM, SourceLocation Limit,
               llvm::function_ref<bool(const Stmt *)> Tells)
      : SM(SM), Limit(Limit), Tells(Tells) {}
  bool VisitStmt(Stmt *S) {
    if (SM.isBeforeInTranslationUnit(S->getBeginLoc(), Limit) && Tells(S))
      Told = true;
    return !Told;
  }
  const SourceManager &SM;
  SourceLocation Limit;
  llvm::function_ref<bool(const Stmt *)> Tells;
  bool Told = false;
};
} // namespace

/// Judges the failure of \p S tested at the end of \p TestBlock: from the failure edge, and
/// from each flag the failure branch sets, every normal path to the function's end.
bool UntoldFailures::judge(const WriteSite &S, const CFGBlock *TestBlock, const Expr *Cond,
                           FailSide Side, std::vector<Finding> &Out) {
  FailSide BranchSide = Side;
  const IfStmt *If = enclosingIf(Cond, BranchSide);
  if (!If)
    return false;
  const Stmt *Branch = BranchSide == FailSide::Then ? If->getThen() : If->getElse();
  // Only a failure told apart from "would block" (EAGAIN, EWOULDBLOCK compared): the channel
  // is non-blocking and stays open after the function returns. EINTR and EPIPE alone say
  // nothing of that (a blocking pipe to a parent that may have quit).
  if (!comparesRetryOrErrno(If->getCond(), Ctx, V, true) &&
      !comparesRetryOrErrno(Branch, Ctx, V, true))
    return false;
  Site = &S;
  auto Succ = TestBlock->succ_begin();
  const CFGBlock *Fail = Succ[Side == FailSide::Then ? 0 : 1].getReachableBlock();
  const CFGBlock *Ok = Succ[Side == FailSide::Then ? 1 : 0].getReachableBlock();
  if (!Fail)
    return false;
  if (Ok)
    successAnswers(Ok);
  PathFacts AtFailure;
  AtFailure.WriteFailed = true;
  Walk W = walk({Fail, 0, AtFailure});
  if (!W.Told && W.Returns && !W.GaveUp) {
    Out.push_back(describe(S, Cond, nullptr, W));
    return true;
  }
  FlagSets Flags(Ctx);
  Flags.TraverseStmt(const_cast<Stmt *>(Branch));
  for (auto [Set, Flag] : Flags.Sets) {
    auto Pos = Positions.find(Set);
    if (!Pos)
      continue;
    ErrorLocals.insert(Flag);
    auto Tells = [&](const Stmt *St) { return tells(St); };
    BranchBefore Before(Ctx.getSourceManager(), Set->getBeginLoc(), Tells);
    Before.TraverseStmt(const_cast<Stmt *>(Branch));
    PathFacts Facts;
    Facts.set(Flag, true);
    W = Before.Told ? Walk{true} : walk({Pos->first, Pos->second + 1, Facts});
    ErrorLocals.erase(Flag);
    if (!W.Told && W.Returns && !W.GaveUp) {
      Out.push_back(describe(S, Set, Flag, W));
      return true;
    }
  }
  return false;
}

Finding UntoldFailures::describe(const WriteSite &S, const Stmt *At, const VarDecl *Flag,
                                 const Walk &W) const {
  const SourceManager &SM = Ctx.getSourceManager();
  std::string Fn = FD->getNameAsString(), Write = calleeOf(S.Call).name();
  Finding F;
  F.Loc = SM.getExpansionLoc(At->getBeginLoc());
  F.Message = "'" + Fn + "' notices that '" + Write +
              "' failed and tells no one: it returns normally, and no path after the failure "
              "closes the connection, records the error or returns it";
  F.Notes.push_back({SM.getExpansionLoc(S.Call->getBeginLoc()), "the write that failed"});
  if (Flag)
    F.Notes.push_back({SM.getExpansionLoc(At->getBeginLoc()),
                       "the failure is kept only in the local '" + Flag->getNameAsString() +
                           "', which nothing outside '" + Fn + "' sees"});
  SourceLocation End = W.Exit ? W.Exit->getBeginLoc() : FD->getBody()->getEndLoc();
  F.Notes.push_back(
      {SM.getExpansionLoc(End), "'" + Fn +
                                    "' returns here as if the data had been sent; close the "
                                    "connection, record the error or return it"});
  return F;
}

/// The write's channel is a standard stream (`write(2, ...)`, `STDERR_FILENO`): a log.
bool writesStandardStream(const CallExpr *Call, const ApiModel &Model, const ASTContext &Ctx) {
  ApiOp Op = Model.lookup(calleeOf(Call));
  if (!Op || Op.Entry->Channel < 0 || unsigned(Op.Entry->Channel) >= Call->getNumArgs())
    return false;
  Expr::EvalResult Res;
  const Expr *Ch = Call->getArg(Op.Entry->Channel);
  return !Ch->isValueDependent() && Ch->EvaluateAsInt(Res, Ctx) &&
         Res.Val.getInt().getExtValue() >= 0 && Res.Val.getInt().getExtValue() <= 2;
}

std::vector<Finding> UntoldFailures::run() {
  std::vector<Finding> Out;
  llvm::SmallVector<WriteSite, 4> Sites;
  for (const WriteSite &S : B.Stored)
    Sites.push_back(S);
  for (const CallExpr *Call : B.Calls)
    Sites.push_back({Call, nullptr});
  llvm::erase_if(Sites,
                 [&](const WriteSite &S) { return writesStandardStream(S.Call, Model, Ctx); });
  if (Sites.empty())
    return Out;
  G = buildBodyCfg(FD, Ctx, everyStatementOptions());
  if (!G)
    return Out;
  Positions = CfgPositions(*G);
  for (const WriteSite &S : Sites)
    if (S.Local)
      ErrorLocals.insert(S.Local);
  llvm::SmallPtrSet<const CallExpr *, 4> Judged;
  for (const CFGBlock *Blk : *G) {
    const auto *Cond = dyn_cast_or_null<Expr>(Blk->getTerminatorCondition());
    if (!Cond || Blk->succ_size() != 2)
      continue;
    FailSide Side = FailSide::None;
    const WriteSite *S = testedWrite(B, Cond, Cond->getBeginLoc(), Sites, V, Side, true);
    if (S && !Judged.count(S->Call) && judge(*S, Blk, Cond, Side, Out))
      Judged.insert(S->Call);
  }
  return Out;
}

} // namespace

std::vector<Finding> findWriteFailuresToldToNoOne(const FunctionDecl *FD, const ApiModel &Model) {
  if (!FD || !FD->hasBody() || !FD->getIdentifier() ||
      StateVocabulary::namesLogging(FD->getName()) || nameHasWord(FD->getName(), NoticeWords) ||
      nameHasWord(FD->getName(), TearDownWords))
    return {}; // (a destructor has no identifier: the object ends with the function)
  ASTContext &Ctx = FD->getASTContext();
  // Cheap first: a write, and "again" compared somewhere in the body.
  if (!comparesRetryOrErrno(FD->getBody(), Ctx, Model.vocabulary(), true))
    return {};
  BodyFacts B(Ctx, Model);
  B.TraverseStmt(FD->getBody());
  if (B.Calls.empty())
    return {};
  return UntoldFailures(FD, Model, B).run();
}

} // namespace drain

//===--- a returned value that answers a failure ---------------------------===//

namespace drain {

bool answersFailure(const Expr *V, const FunctionDecl *Fn, ASTContext &Ctx,
                    llvm::function_ref<std::optional<bool>(const Expr *)> Judge) {
  if (!V)
    return false;
  // The macro the value is spelled with, if it is one.
  SourceLocation L = V->getBeginLoc();
  if (L.isMacroID() &&
      StateVocabulary::mentionsFailure(
          Lexer::getImmediateMacroName(L, Ctx.getSourceManager(), Ctx.getLangOpts())))
    return true;
  V = V->IgnoreParenImpCasts();
  if (const auto *C = dyn_cast<ExprWithCleanups>(V))
    V = C->getSubExpr()->IgnoreParenImpCasts();
  QualType Ret = Fn->getReturnType();
  if (Ret->isPointerType() && V->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
    return true;
  if (const auto *B = dyn_cast<CXXBoolLiteralExpr>(V))
    return !B->getValue();
  if (const auto *R = dyn_cast<DeclRefExpr>(V))
    if (const auto *ECD = dyn_cast<EnumConstantDecl>(R->getDecl()))
      return StateVocabulary::mentionsFailure(ECD->getName());
  if (Judge)
    if (std::optional<bool> Judged = Judge(V))
      return *Judged;
  Expr::EvalResult Val;
  if (!V->isValueDependent() && V->EvaluateAsInt(Val, Ctx)) {
    const llvm::APSInt &I = Val.Val.getInt();
    if (Ret->isBooleanType())
      return I == 0;
    return I.isNegative() || (Fn->isMain() && I != 0);
  }
  return false;
}

} // namespace drain
