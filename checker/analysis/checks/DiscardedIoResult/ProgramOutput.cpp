//===--- ProgramOutput.cpp - a program's stdout nobody checks -------------===//
#include "analysis/checks/DiscardedIoResult/ProgramOutput.h"
#include "Compat.h"
#include "analysis/checks/DiscardedIoResult.h"
#include "analysis/core/BodyCfg.h"
#include "analysis/core/Analysable.h"
#include "analysis/core/Identifiers.h"
#include "analysis/core/StdioStreams.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"
#include <algorithm>
#include <memory>
#include <set>
#include <vector>

using namespace clang;

namespace drain {

namespace {
using FR = FunctionRole;

/// How deep calls from main are followed for its writes (main's callees and theirs), and
/// for the program's checks of stdout (also through the functions it hands on: an atexit
/// handler, a callback); how many functions are read at most.
constexpr unsigned MaxWriteDepth = 2;
constexpr unsigned MaxCheckDepth = 3;
constexpr unsigned MaxProgramFunctions = 256;
/// How many blocks the walks from main's writes to its exits visit, all together.
constexpr unsigned MaxBlockVisits = 20000;

/// Words of a function's name that say it prints a usage, help or version text: not the
/// program's output (`print_usage`, `show_help`, `version`).
const llvm::StringRef UsageFunctionWords[] = {"usage", "help", "version"};
/// Words of a literal that say the text is a usage or version text (`"Usage: %s [-v]\n"`,
/// `"lemon version 1.0\n"`).
const llvm::StringRef UsageTextWords[] = {"usage", "version"};

/// The definition of \p FD outside system headers, if this translation unit has one.
const FunctionDecl *projectDefinition(const FunctionDecl *FD) {
  const FunctionDecl *Def = nullptr;
  if (!FD || !FD->hasBody(Def) || !Def || !Def->getBody() || Def->isDependentContext())
    return nullptr;
  const SourceManager &SM = Def->getASTContext().getSourceManager();
  if (SM.isInSystemHeader(SM.getExpansionLoc(Def->getLocation())))
    return nullptr;
  return Def;
}

bool namedForUsage(const FunctionDecl *FD) {
  return FD && FD->getIdentifier() && nameHasWord(FD->getName(), UsageFunctionWords);
}

/// A call answering the stream it works on (`std::cout << x`, `std::cout.write(b, n)`,
/// `std::cout.flush()`): an lvalue of class type.
bool answersItsStream(const Expr *E) { return E->isLValue() && E->getType()->isRecordType(); }

/// The declaration a stream expression names, through parens, casts and the calls that
/// answer their stream (`std::cout << a << b`).
const ValueDecl *streamRoot(const Expr *E) {
  for (unsigned I = 0; E && I < 64; ++I) {
    E = E->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return DRE->getDecl();
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
      if (Op->getOperator() != OO_LessLess || Op->getNumArgs() != 2 || !answersItsStream(Op))
        return nullptr;
      E = Op->getArg(0);
      continue;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      if (!answersItsStream(MC))
        return nullptr;
      E = MC->getImplicitObjectArgument();
      continue;
    }
    return nullptr;
  }
  return nullptr;
}

bool isStdout(const Expr *E) { return E && isStandardOutputDecl(streamRoot(E)); }

/// The stream argument of a role row: an argument index, or -1 for a member call's object.
const Expr *roleStream(const CallExpr *Call, const RoleEntry &Row) {
  if (Row.Arg < 0) {
    const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
    return MC ? MC->getImplicitObjectArgument() : nullptr;
  }
  return static_cast<unsigned>(Row.Arg) < Call->getNumArgs() ? Call->getArg(Row.Arg) : nullptr;
}

const RoleEntry *role(const CallExpr *Call, FunctionRole R, const ApiModel &Model) {
  const FunctionDecl *FD = Call->getDirectCallee();
  return FD && FD->getIdentifier() ? Model.tableRole(FD, R) : nullptr;
}

/// True if a string literal among \p Call's arguments reads as a usage or version text.
bool hasUsageLiteral(const CallExpr *Call) {
  for (const Expr *A : Call->arguments())
    if (const auto *SL = dyn_cast<StringLiteral>(A->IgnoreParenImpCasts()))
      if (SL->getCharByteWidth() == 1 && nameHasWord(SL->getString(), UsageTextWords))
        return true;
  return false;
}

/// True if \p Call writes to the program's standard output: a row that writes to it without
/// naming it, a row handed stdout (or std::cout), or `<<` into std::cout. \p Cpp is set for a
/// C++ stream.
bool writesStdout(const CallExpr *Call, const ApiModel &Model, bool &Cpp) {
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call)) {
    if (Op->getOperator() == OO_LessLess && Op->getNumArgs() == 2 && answersItsStream(Op) &&
        isStdout(Op->getArg(0))) {
      Cpp = true;
      return true;
    }
    return false;
  }
  if (role(Call, FR::StdoutWrite, Model))
    return true;
  if (const RoleEntry *Row = role(Call, FR::StreamWrite, Model))
    if (isStdout(roleStream(Call, *Row))) {
      Cpp = isa<CXXMemberCallExpr>(Call);
      return true;
    }
  return false;
}

/// True if \p E is text fixed in the program: a literal, or a manipulator (`std::endl`).
bool fixedText(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (isa<StringLiteral>(E) || isa<CharacterLiteral>(E) || isa<IntegerLiteral>(E))
    return true;
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  return DRE && isa<FunctionDecl>(DRE->getDecl());
}

/// True if \p Call writes only text fixed in the program (`printf("done\n")`,
/// `puts("listening")`, `std::cout << "ok" << std::endl`): a message to whoever watches, not
/// data the program produced.
bool writesFixedText(const CallExpr *Call, const ApiModel &Model) {
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call)) {
    for (const Expr *E = Op; E;) {
      const auto *C = dyn_cast<CXXOperatorCallExpr>(E->IgnoreParenImpCasts());
      if (!C || C->getOperator() != OO_LessLess || C->getNumArgs() != 2)
        return true; // the stream at the chain's root
      if (!fixedText(C->getArg(1)))
        return false;
      E = C->getArg(0);
    }
    return true;
  }
  const RoleEntry *Row = role(Call, FR::StreamWrite, Model);
  const Expr *Stream = Row ? roleStream(Call, *Row) : nullptr;
  if (isa<CXXMemberCallExpr>(Call))
    return false; // std::cout.write(buf, n): data
  for (const Expr *A : Call->arguments())
    if (A != Stream && !fixedText(A))
      return false;
  return true;
}

/// True if a usage or version text is written (a literal in the call, or along the chain of
/// `<<` it ends: `std::cout << "usage: " << argv[0]`).
bool writesUsageText(const CallExpr *Call) {
  for (const Expr *E = Call; E;) {
    const auto *C = dyn_cast<CallExpr>(E->IgnoreParenImpCasts());
    if (!C)
      return false;
    if (hasUsageLiteral(C))
      return true;
    const auto *Op = dyn_cast<CXXOperatorCallExpr>(C);
    E = Op && Op->getOperator() == OO_LessLess && Op->getNumArgs() == 2 ? Op->getArg(0)
                                                                         : nullptr;
  }
  return false;
}

/// The calls of a body in source order, lambdas and local classes included (they run as
/// part of the program).
struct Calls : RecursiveASTVisitor<Calls> {
  llvm::SmallVector<const CallExpr *, 32> Found;
  bool VisitCallExpr(CallExpr *C) {
    Found.push_back(C);
    return Found.size() < 4096;
  }
};

/// True if the value of \p Call (a flush or close) is looked at: not in statement position,
/// not cast to void, not the left of a comma.
bool resultUsed(const Expr *Call, ParentMap &PM) {
  const Stmt *Cur = Call;
  for (const Stmt *P = PM.getParent(Cur); P; Cur = P, P = PM.getParent(Cur)) {
    if (isa<ParenExpr>(P) || isa<ImplicitCastExpr>(P) || isa<FullExpr>(P))
      continue;
    if (const auto *CE = dyn_cast<ExplicitCastExpr>(P)) {
      if (CE->getType()->isVoidType())
        return false;
      continue;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(P))
      return !(BO->getOpcode() == BO_Comma && BO->getLHS() == Cur);
    if (isa<Expr>(P) || isa<ReturnStmt>(P) || isa<DeclStmt>(P))
      return true;
    if (const auto *If = dyn_cast<IfStmt>(P))
      return If->getCond() == Cur;
    if (const auto *W = dyn_cast<WhileStmt>(P))
      return W->getCond() == Cur;
    if (const auto *D = dyn_cast<DoStmt>(P))
      return D->getCond() == Cur;
    if (const auto *F = dyn_cast<ForStmt>(P))
      return F->getCond() == Cur;
    if (const auto *S = dyn_cast<SwitchStmt>(P))
      return S->getCond() == Cur;
    return false;
  }
  return false;
}

/// A write of main to stdout: the call in main, and for a call of a function of the program,
/// the write in it.
struct OutputWrite {
  const CallExpr *InMain = nullptr;
  const CallExpr *Inner = nullptr;
  const FunctionDecl *Via = nullptr;
  bool Cpp = false;
};

/// What the program does with its stdout besides writing it.
struct ProgramFacts {
  bool Checks = false;        ///< tests its stdout somewhere
  bool Quiet = false; ///< a test runner, a server, stdout closed or sent to /dev/null
  const CallExpr *DroppedFlush = nullptr; ///< fflush(stdout)/fclose(stdout) whose result is dropped
};

class ProgramOutputAnalysis {
public:
  ProgramOutputAnalysis(const FunctionDecl *Main, const ApiModel &Model,
                        DiscardClassifier &Classifier)
      : Main(Main), Model(Model), Classifier(Classifier), Ctx(Main->getASTContext()),
        SM(Ctx.getSourceManager()) {}

  std::optional<Finding> run(bool ReportsDroppedFlush);

private:
  /// The first write to stdout \p FD makes, itself or through the functions of the program it
  /// calls (\p Depth more levels); null if none. Functions named for a usage text write none.
  const CallExpr *firstWrite(const FunctionDecl *FD, unsigned Depth, bool &Cpp);
  /// The write a call of main makes, if it writes stdout.
  std::optional<OutputWrite> writeAt(const CallExpr *Call);
  /// Reads every function of the program reachable from main (calls and functions handed on)
  /// for checks of stdout.
  void scanProgram();
  void scanCall(const CallExpr *Call, const FunctionDecl *In, std::unique_ptr<ParentMap> &PM);
  /// The success exit a path from the write at \p Block / \p Index reaches, if any; the
  /// function's closing brace for falling off its end.
  /// \p Budget counts the blocks visited, over every write; a walk out of it finds nothing.
  std::optional<SourceLocation> successExitAfter(const CallExpr *Write, const CFGBlock *Block,
                                                 unsigned Index, unsigned &Budget);
  enum class Exit { None, Success, Failure };
  /// The locals a path since the write set, and to what: a constant, or nothing known.
  using Assigned = llvm::SmallVector<std::pair<const VarDecl *, std::optional<int64_t>>, 4>;
  Exit exitStatus(const Expr *Status, const CallExpr *Write, const Assigned &Path);
  Exit exitOf(const Stmt *S, const CallExpr *Write, const Assigned &Path, SourceLocation &Loc);

  const FunctionDecl *Main;
  const ApiModel &Model;
  DiscardClassifier &Classifier;
  ASTContext &Ctx;
  const SourceManager &SM;
  ProgramFacts Facts;
  struct Memo {
    const CallExpr *Write = nullptr;
    bool Cpp = false;
  };
  llvm::DenseMap<const FunctionDecl *, Memo> Writes;
  std::unique_ptr<CFG> Graph;
};

const CallExpr *ProgramOutputAnalysis::firstWrite(const FunctionDecl *FD, unsigned Depth,
                                                  bool &Cpp) {
  const FunctionDecl *Def = projectDefinition(FD);
  if (!Def || namedForUsage(Def) || Def->isMain())
    return nullptr;
  auto It = Writes.find(Def);
  if (It != Writes.end()) {
    Cpp = It->second.Cpp;
    return It->second.Write;
  }
  Writes[Def] = Memo(); // a recursive call finds no write in progress
  Calls C;
  C.TraverseStmt(Def->getBody());
  Memo M;
  for (const CallExpr *Call : C.Found) {
    bool CallCpp = false;
    if (writesStdout(Call, Model, CallCpp)) {
      if (writesUsageText(Call) || writesFixedText(Call, Model))
        continue;
      M = {Call, CallCpp};
      break;
    }
    if (Depth > 0)
      if (const CallExpr *W = firstWrite(Call->getDirectCallee(), Depth - 1, CallCpp)) {
        M = {W, CallCpp};
        break;
      }
  }
  Writes[Def] = M;
  Cpp = M.Cpp;
  return M.Write;
}

std::optional<OutputWrite> ProgramOutputAnalysis::writeAt(const CallExpr *Call) {
  OutputWrite W;
  W.InMain = Call;
  if (writesStdout(Call, Model, W.Cpp)) {
    if (writesUsageText(Call) || writesFixedText(Call, Model))
      return std::nullopt;
    return W;
  }
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (const CallExpr *Inner = firstWrite(Callee, MaxWriteDepth - 1, W.Cpp)) {
    W.Inner = Inner;
    W.Via = Callee;
    return W;
  }
  return std::nullopt;
}

void ProgramOutputAnalysis::scanCall(const CallExpr *Call, const FunctionDecl *In,
                                     std::unique_ptr<ParentMap> &PM) {
  // std::cout's state tested: `!std::cout`, `if (std::cout)`, `std::cout.fail()`.
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call)) {
    if (Op->getOperator() == OO_Exclaim && Op->getNumArgs() == 1 && isStdout(Op->getArg(0)))
      Facts.Checks = true;
    return;
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    if (isa_and_nonnull<CXXConversionDecl>(MC->getMethodDecl()) &&
        isStdout(MC->getImplicitObjectArgument())) {
      Facts.Checks = true;
      return;
    }
  if (const RoleEntry *Row = role(Call, FR::StreamStateTest, Model))
    if (isStdout(roleStream(Call, *Row))) {
      Facts.Checks = true;
      return;
    }
  if (role(Call, FR::StdoutCloser, Model)) {
    Facts.Checks = true;
    return;
  }
  if (const RoleEntry *Row = role(Call, FR::ExitHandlerRegistrar, Model))
    if (const Expr *Fn = Row->Arg >= 0 && static_cast<unsigned>(Row->Arg) < Call->getNumArgs()
                             ? Call->getArg(Row->Arg)->IgnoreParenImpCasts()
                             : nullptr) {
      if (const auto *U = dyn_cast<UnaryOperator>(Fn))
        Fn = U->getSubExpr()->IgnoreParenImpCasts();
      const auto *DRE = dyn_cast<DeclRefExpr>(Fn);
      const auto *Handler = DRE ? dyn_cast<FunctionDecl>(DRE->getDecl()) : nullptr;
      if (Handler && Handler->getIdentifier() && Model.tableRole(Handler, FR::StdoutCloser)) {
        Facts.Checks = true;
        return;
      }
    }
  if (role(Call, FR::TestRunner, Model) || role(Call, FR::ServerStart, Model)) {
    Facts.Quiet = true;
    return;
  }
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee || !Callee->getIdentifier())
    return;
  // freopen("/dev/null", "w", stdout): the output goes nowhere anyone reads.
  if (Model.tableRole(Callee, FR::StreamOpener)) {
    bool ToStdout = false, ToNull = false;
    for (const Expr *A : Call->arguments()) {
      ToStdout |= isStdout(A);
      if (const auto *SL = dyn_cast<StringLiteral>(A->IgnoreParenImpCasts()))
        ToNull |= SL->getCharByteWidth() == 1 && SL->getString() == "/dev/null";
    }
    if (ToStdout && ToNull)
      Facts.Quiet = true;
    return;
  }
  ApiOp Op = Model.lookupTable(Callee);
  if (!Op || Op.Entry->Channel < 0 ||
      static_cast<unsigned>(Op.Entry->Channel) >= Call->getNumArgs() ||
      (Op.kind() != OpKind::Flush && Op.kind() != OpKind::Close))
    return;
  const Expr *Ch = Call->getArg(Op.Entry->Channel)->IgnoreParenImpCasts();
  if (Op.Entry->Flags & AF_StdioStream) {
    // fflush(stdout), fclose(stdout), fflush(NULL): tested, the output is checked.
    bool Null = Ch->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull);
    if (!Null && !isStdout(Ch))
      return;
    if (!PM)
      PM = std::make_unique<ParentMap>(In->getBody());
    if (resultUsed(Call, *PM))
      Facts.Checks = true;
    else if (!Null && !Facts.DroppedFlush)
      Facts.DroppedFlush = Call;
    return;
  }
  // close(STDOUT_FILENO): a daemon's stdout is gone.
  if (Op.kind() == OpKind::Close && !Ch->isValueDependent())
    if (std::optional<llvm::APSInt> V = compat::integerConstant(Ch, Ctx))
      if (*V == 1)
        Facts.Quiet = true;
}

void ProgramOutputAnalysis::scanProgram() {
  llvm::SmallVector<std::pair<const FunctionDecl *, unsigned>, 16> Work;
  llvm::DenseSet<const FunctionDecl *> Seen;
  Work.push_back({Main, 0});
  Seen.insert(Main);
  struct Refs : RecursiveASTVisitor<Refs> {
    llvm::SmallVector<const FunctionDecl *, 16> Functions;
    bool VisitDeclRefExpr(DeclRefExpr *D) {
      if (const auto *FD = dyn_cast<FunctionDecl>(D->getDecl()))
        Functions.push_back(FD);
      return true;
    }
    bool VisitMemberExpr(MemberExpr *M) {
      if (const auto *MD = dyn_cast<CXXMethodDecl>(M->getMemberDecl()))
        Functions.push_back(MD);
      return true;
    }
    bool VisitCXXConstructExpr(CXXConstructExpr *E) {
      Functions.push_back(E->getConstructor());
      return true;
    }
  };
  while (!Work.empty() && !Facts.Checks) {
    auto [FD, Depth] = Work.pop_back_val();
    Calls C;
    C.TraverseStmt(FD->getBody());
    std::unique_ptr<ParentMap> PM;
    for (const CallExpr *Call : C.Found)
      scanCall(Call, FD, PM);
    if (Depth >= MaxCheckDepth)
      continue;
    Refs R;
    R.TraverseStmt(FD->getBody());
    for (const FunctionDecl *Next : R.Functions)
      if (const FunctionDecl *Def = projectDefinition(Next))
        if (Seen.size() < MaxProgramFunctions && Seen.insert(Def).second)
          Work.push_back({Def, Depth + 1});
  }
}

namespace {
std::optional<int64_t> constantOf(const Expr *V, const ASTContext &Ctx) {
  V = V->IgnoreParenImpCasts();
  if (V->isValueDependent())
    return std::nullopt;
  if (std::optional<llvm::APSInt> I = compat::integerConstant(V, Ctx))
    return I->getExtValue();
  return std::nullopt;
}

/// The local \p S gives a value, and the value: `rc = 1`, `int rc = 0`.
const VarDecl *assignment(const Stmt *S, const Expr *&Value) {
  if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    if (!BO->isAssignmentOp())
      return nullptr;
    const auto *DRE = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts());
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    Value = BO->getOpcode() == BO_Assign ? BO->getRHS() : nullptr;
    return VD && VD->hasLocalStorage() ? VD : nullptr;
  }
  if (const auto *DS = dyn_cast<DeclStmt>(S))
    if (DS->isSingleDecl())
      if (const auto *VD = dyn_cast<VarDecl>(DS->getSingleDecl()))
        if (VD->hasLocalStorage()) {
          Value = VD->getInit();
          return VD;
        }
  return nullptr;
}
} // namespace

ProgramOutputAnalysis::Exit ProgramOutputAnalysis::exitStatus(const Expr *Status,
                                                              const CallExpr *Write,
                                                              const Assigned &Path) {
  if (!Status)
    return Exit::Success;
  Status = Status->IgnoreParenImpCasts();
  if (std::optional<int64_t> V = constantOf(Status, Ctx))
    return *V == 0 ? Exit::Success : Exit::Failure;
  // `return rc;`: the value this path gave it since the write, else every value it can hold
  // at the write; a failure when that is a nonzero constant.
  const auto *DRE = dyn_cast<DeclRefExpr>(Status);
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!VD)
    return Exit::Success; // a status computed at run time may be success
  for (auto It = Path.rbegin(); It != Path.rend(); ++It)
    if (It->first == VD)
      return It->second && *It->second != 0 ? Exit::Failure : Exit::Success;
  llvm::SmallVector<const Expr *, 4> Values;
  if (Classifier.focusedFunction() == Main && Classifier.reachingValues(Write, VD, Values) &&
      !Values.empty() && llvm::all_of(Values, [&](const Expr *V) {
        std::optional<int64_t> I = constantOf(V, Ctx);
        return I && *I != 0;
      }))
    return Exit::Failure;
  return Exit::Success;
}

ProgramOutputAnalysis::Exit ProgramOutputAnalysis::exitOf(const Stmt *S, const CallExpr *Write,
                                                          const Assigned &Path,
                                                          SourceLocation &Loc) {
  if (const auto *R = dyn_cast<ReturnStmt>(S)) {
    Loc = R->getReturnLoc();
    return exitStatus(R->getRetValue(), Write, Path);
  }
  if (isa<CXXThrowExpr>(S))
    return Exit::Failure;
  const auto *Call = dyn_cast<CallExpr>(S);
  if (!Call)
    return Exit::None;
  if (const RoleEntry *Row = role(Call, FR::ProgramExit, Model)) {
    Loc = callDiagnosticLoc(Call, SM);
    if (Row->Arg < 0 || static_cast<unsigned>(Row->Arg) >= Call->getNumArgs())
      return Exit::None;
    return exitStatus(Call->getArg(Row->Arg), Write, Path);
  }
  // abort(), err(), a project's die(): the program does not report success here.
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (Callee && Callee->isNoReturn())
    return Exit::Failure;
  return Exit::None;
}

std::optional<SourceLocation>
ProgramOutputAnalysis::successExitAfter(const CallExpr *Write, const CFGBlock *Block,
                                        unsigned Index, unsigned &Budget) {
  struct State {
    const CFGBlock *B;
    unsigned From;
    Assigned Path;
  };
  llvm::SmallVector<State, 16> Work;
  Work.push_back({Block, Index, {}});
  // A block is walked again only with other values for the locals.
  std::set<std::pair<unsigned, std::vector<std::pair<const void *, int64_t>>>> Seen;
  std::optional<SourceLocation> Best;
  auto Keep = [&](SourceLocation L) {
    if (!Best || SM.isBeforeInTranslationUnit(L, *Best))
      Best = L;
  };
  while (!Work.empty()) {
    if (Budget == 0)
      return std::nullopt;
    --Budget;
    State St = Work.pop_back_val();
    bool Ended = false;
    unsigned I = 0;
    for (const CFGElement &El : *St.B) {
      if (I++ < St.From)
        continue;
      auto CS = El.getAs<CFGStmt>();
      if (!CS)
        continue;
      const Expr *Value = nullptr;
      if (const VarDecl *VD = assignment(CS->getStmt(), Value)) {
        St.Path.push_back({VD, Value ? constantOf(Value, Ctx) : std::nullopt});
        continue;
      }
      SourceLocation L;
      Exit E = exitOf(CS->getStmt(), Write, St.Path, L);
      if (E == Exit::None)
        continue;
      if (E == Exit::Success)
        Keep(L);
      Ended = true;
      break;
    }
    if (Ended)
      continue;
    // The last value each local got on the path.
    std::vector<std::pair<const void *, int64_t>> Key;
    for (auto It = St.Path.rbegin(); It != St.Path.rend(); ++It)
      if (llvm::none_of(Key, [&](const auto &K) { return K.first == It->first; }))
        Key.push_back({It->first, It->second ? *It->second : INT64_MIN});
    llvm::sort(Key);
    for (const CFGBlock::AdjacentBlock &Succ : St.B->succs()) {
      const CFGBlock *S = Succ.getReachableBlock();
      if (!S)
        continue;
      if (S == &Graph->getExit()) {
        // Falling off the end of main returns 0.
        if (const auto *Body = dyn_cast<CompoundStmt>(Main->getBody()))
          Keep(Body->getRBracLoc());
        continue;
      }
      if (Seen.insert({S->getBlockID(), Key}).second)
        Work.push_back({S, 0, St.Path});
    }
  }
  return Best;
}

std::optional<Finding> ProgramOutputAnalysis::run(bool ReportsDroppedFlush) {
  Graph = buildBodyCfg(Main, Ctx, everyStatementOptions());
  if (!Graph)
    return std::nullopt;
  // Main's writes to stdout, in source order, with where they are in the CFG.
  struct At {
    OutputWrite W;
    const CFGBlock *Block;
    unsigned Index;
  };
  llvm::SmallVector<At, 8> Writes;
  for (const CFGBlock *B : *Graph) {
    unsigned I = 0;
    for (const CFGElement &El : *B) {
      unsigned Index = I++;
      auto CS = El.getAs<CFGStmt>();
      const auto *Call = CS ? dyn_cast<CallExpr>(CS->getStmt()) : nullptr;
      if (!Call || SM.isInSystemHeader(SM.getExpansionLoc(Call->getBeginLoc())))
        continue;
      if (std::optional<OutputWrite> W = writeAt(Call))
        Writes.push_back({*W, B, Index});
    }
  }
  if (Writes.empty())
    return std::nullopt;
  llvm::sort(Writes, [&](const At &A, const At &B) {
    return SM.isBeforeInTranslationUnit(A.W.InMain->getBeginLoc(), B.W.InMain->getBeginLoc());
  });
  unsigned Budget = MaxBlockVisits;
  const At *First = nullptr;
  std::optional<SourceLocation> ExitLoc;
  for (const At &A : Writes)
    if ((ExitLoc = successExitAfter(A.W.InMain, A.Block, A.Index + 1, Budget))) {
      First = &A;
      break;
    }
  if (!First)
    return std::nullopt;
  scanProgram();
  if (Facts.Checks || Facts.Quiet || (Facts.DroppedFlush && ReportsDroppedFlush))
    return std::nullopt;

  Finding F;
  F.Loc = SM.getFileLoc(*ExitLoc);
  F.Message = "the program reports success without checking that its output to stdout was "
              "written; a full disk or closed pipe truncates it silently";
  const OutputWrite &W = First->W;
  if (W.Via) {
    F.Notes.push_back({callDiagnosticLoc(W.InMain, SM),
                       "'" + W.Via->getNameAsString() + "' writes to stdout"});
    F.Notes.push_back({callDiagnosticLoc(W.Inner, SM), "output written to stdout here"});
  } else {
    F.Notes.push_back({callDiagnosticLoc(W.InMain, SM), "output written to stdout here"});
  }
  if (Facts.DroppedFlush)
    F.Notes.push_back({callDiagnosticLoc(Facts.DroppedFlush, SM),
                       "stdout is flushed here, but the result is discarded"});
  F.Notes.push_back({F.Loc, W.Cpp ? "flush 'std::cout' and test its state ('if "
                                    "(!std::cout)') before returning success"
                                  : "check 'fflush(stdout)' and 'ferror(stdout)' before "
                                    "returning, or close stdout at exit"});
  return F;
}
} // namespace

std::optional<Finding> findUncheckedProgramOutput(const FunctionDecl *Main,
                                                  const ApiModel &Model,
                                                  DiscardClassifier &Classifier,
                                                  bool ReportsDroppedFlush) {
  if (!Main || !Main->isMain() || !Main->doesThisDeclarationHaveABody() ||
      !isAnalysable(Main))
    return std::nullopt;
  return ProgramOutputAnalysis(Main, Model, Classifier).run(ReportsDroppedFlush);
}

} // namespace drain
