//===--- FileStreams.cpp - C++ file streams nobody checks -----------------===//
#include "analysis/checks/DiscardedIoResult/FileStreams.h"
#include "analysis/checks/DiscardedIoResult.h"
#include "analysis/core/FailureAnswers.h"
#include "analysis/core/Identifiers.h"
#include "analysis/core/OwnBodyVisitor.h"
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
#include "clang/Basic/IdentifierTable.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"
#include <memory>
#include <string>

using namespace clang;

namespace drain {

namespace {
using FR = FunctionRole;

/// How many functions of this file deep a stream handed on is followed.
constexpr unsigned MaxHelperDepth = 2;
/// How many blocks one walk of a function's CFG visits at most.
constexpr unsigned MaxBlockVisits = 20000;
/// How far up from a reference its use is followed (`f << a << b << ...`).
constexpr unsigned MaxUseSteps = 64;

/// Words of a function's name that say its job is to save something: a function answering
/// nothing reports success by returning (`save_config`, `writeIndex`, `storeState`).
const llvm::StringRef SaveFunctionWords[] = {"save",   "store",     "write",    "persist",
                                             "export", "serialize", "serialise"};
/// Words of a name that say it is a log or a trace: its writes are best effort, and a log
/// has nowhere to report its own failure.
const llvm::StringRef LogWords[] = {"log",   "logger", "logs",   "trace",
                                    "debug", "dbg",    "journal"};

/// What one use of a stream does to it.
enum class UseKind : unsigned char {
  Write, ///< puts data into it (a write row, a helper of this file that writes it)
  Check, ///< reads its state (a state test row, a helper of this file that tests it)
  Arm,   ///< turns its failures into exceptions (a state row handed a mask)
  Close, ///< closes it (a close row)
  Open,  ///< opens it on a file (an opener row called on it)
};

struct Use {
  UseKind Kind;
  const Expr *At;
  const FunctionDecl *Via = nullptr; ///< the helper of this file that writes it
  unsigned ViaParam = 0;             ///< the helper's parameter the stream is bound to
};

const RoleEntry *roleOf(const FunctionDecl *FD, FR R, const ApiModel &Model) {
  return FD ? Model.tableRole(FD, R) : nullptr;
}

/// The operand a role row is about: an argument, or (-1) the object of a member call or of a
/// member operator (`!f`: the object is the operator's first argument).
const Expr *roleOperand(const CallExpr *Call, const RoleEntry &Row) {
  if (Row.Arg < 0) {
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
      return MC->getImplicitObjectArgument();
    const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call);
    return Op && Op->getNumArgs() > 0 && isa<CXXMethodDecl>(Op->getDirectCallee()) ? Op->getArg(0)
                                                                                   : nullptr;
  }
  return static_cast<unsigned>(Row.Arg) < Call->getNumArgs() ? Call->getArg(Row.Arg) : nullptr;
}

bool isOperand(const Expr *Operand, const Stmt *Cur) {
  return Operand && (Operand == Cur || Operand->IgnoreParenImpCasts() == Cur);
}

/// A call answering the stream it works on (`f << x`, `f.write(b, n)`, `f.flush()`): an
/// lvalue of class type, the chain goes on from it.
bool answersItsStream(const Expr *E) { return E->isLValue() && E->getType()->isRecordType(); }

/// The construction of a local \p VD when it is a file stream (its constructor is a
/// FileStreamOpener row), through the temporary of `auto f = std::ofstream(path)`.
const CXXConstructExpr *fileStreamConstruction(const VarDecl *VD, const ApiModel &Model) {
  if (!VD->hasLocalStorage() || isa<ParmVarDecl>(VD) || VD->getType()->isReferenceType() ||
      !VD->getType()->isRecordType() || !VD->getInit())
    return nullptr;
  const auto *CE = dyn_cast<CXXConstructExpr>(VD->getInit()->IgnoreImplicit());
  if (CE && CE->getConstructor()->isCopyOrMoveConstructor() && CE->getNumArgs() == 1)
    if (const auto *Inner = dyn_cast<CXXConstructExpr>(CE->getArg(0)->IgnoreImplicit()))
      CE = Inner;
  if (!CE || !roleOf(CE->getConstructor(), FR::FileStreamOpener, Model))
    return nullptr;
  return CE;
}

/// True if the construction \p CE opens a file: it is handed a path (a constructor handed
/// nothing, or another stream to move from, opens nothing).
bool opensFile(const CXXConstructExpr *CE) {
  return CE->getNumArgs() > 0 && !CE->getConstructor()->isCopyOrMoveConstructor() &&
         !isa<CXXDefaultArgExpr>(CE->getArg(0));
}

/// True if \p E, returned by a factory, is a file stream it made: a construction handed a
/// path, or a local file stream of the factory.
bool madeFileStream(const Expr *E, const ApiModel &Model) {
  E = E->IgnoreImplicit();
  // `return out;` moves the local out (before C++17, also a temporary).
  if (const auto *Move = dyn_cast<CXXConstructExpr>(E))
    if (Move->getConstructor()->isCopyOrMoveConstructor() && Move->getNumArgs() == 1)
      E = Move->getArg(0)->IgnoreImplicit();
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    return roleOf(CE->getConstructor(), FR::FileStreamOpener, Model) && opensFile(CE);
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  return VD && fileStreamConstruction(VD, Model);
}

/// True if the local \p VD is initialized from a factory of this file that answers, by
/// value, a file stream it opened (`std::ofstream out = open_output(path);`).
bool fromStreamFactory(const VarDecl *VD, const ApiModel &Model) {
  if (!VD->hasLocalStorage() || isa<ParmVarDecl>(VD) || VD->getType()->isReferenceType() ||
      !VD->getType()->isRecordType() || !VD->getInit())
    return false;
  const Expr *Init = VD->getInit()->IgnoreImplicit();
  if (const auto *CE = dyn_cast<CXXConstructExpr>(Init))
    if (CE->getConstructor()->isCopyOrMoveConstructor() && CE->getNumArgs() == 1)
      Init = CE->getArg(0)->IgnoreImplicit();
  const auto *Call = dyn_cast<CallExpr>(Init);
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  const FunctionDecl *Def = nullptr;
  if (!Callee || !Callee->hasBody(Def) || !Def || Def->isDependentContext() ||
      Def->getReturnType()->isReferenceType())
    return false;
  const SourceManager &SM = Def->getASTContext().getSourceManager();
  if (SM.isInSystemHeader(SM.getExpansionLoc(Def->getLocation())))
    return false;
  const auto *RD = VD->getType()->getAsCXXRecordDecl();
  if (!RD || llvm::none_of(RD->ctors(), [&](const CXXConstructorDecl *C) {
        return roleOf(C, FR::FileStreamOpener, Model) != nullptr;
      }))
    return false;
  struct Returns : OwnBodyVisitor<Returns> {
    llvm::SmallVector<const Expr *, 2> Values;
    bool Bare = false;
    bool VisitReturnStmt(ReturnStmt *RS) {
      if (RS->getRetValue())
        Values.push_back(RS->getRetValue());
      else
        Bare = true;
      return true;
    }
  } R;
  R.TraverseStmt(Def->getBody());
  if (R.Bare || R.Values.empty())
    return false;
  for (const Expr *V : R.Values)
    if (!madeFileStream(V, Model))
      return false;
  return true;
}

/// True if the local \p VD is a file stream opened where it is made: constructed from a
/// path, or answered by a stream factory of this file.
bool openedAtInit(const VarDecl *VD, const ApiModel &Model) {
  if (const CXXConstructExpr *CE = fileStreamConstruction(VD, Model))
    return opensFile(CE);
  return fromStreamFactory(VD, Model);
}

/// The locals of one body that are file streams, and every reference to a local.
struct BodyScan : OwnBodyVisitor<BodyScan> {
  const ApiModel &Model;
  explicit BodyScan(const ApiModel &M) : Model(M) {}
  llvm::SmallVector<const VarDecl *, 2> Streams;
  bool VisitVarDecl(VarDecl *VD) {
    if (fileStreamConstruction(VD, Model) || fromStreamFactory(VD, Model))
      Streams.push_back(VD);
    return true;
  }
};

struct RefScan : RecursiveASTVisitor<RefScan> {
  llvm::DenseMap<const ValueDecl *, llvm::SmallVector<const DeclRefExpr *, 8>> Refs;
  bool VisitDeclRefExpr(DeclRefExpr *DRE) {
    if (isa<VarDecl>(DRE->getDecl()))
      Refs[DRE->getDecl()].push_back(DRE);
    return true;
  }
};

/// What a function of this file does to the stream it is handed in a parameter.
struct HelperEffect {
  bool Unknown = false;     ///< hands it where drain cannot follow
  bool Writes = false;      ///< writes it
  bool LeavesDirty = false; ///< some return follows a write with no test of the state
  bool Tests = false;       ///< reads its state
  bool ReturnsIt = false;   ///< answers it (`std::ostream &dump(std::ostream &os)`)
};

HelperEffect helperEffect(const FunctionDecl *Def, unsigned Param, const ApiModel &Model,
                          unsigned Depth);

/// The uses of one stream (a local file stream, or a parameter of a helper) in one body.
class StreamUses {
public:
  StreamUses(const VarDecl *Stream, const ApiModel &Model, unsigned Depth, ParentMap &PM,
             RefScan &Refs)
      : Stream(Stream), Model(Model), Depth(Depth), PM(PM), Refs(Refs) {}

  /// Reads every use; false if the stream escapes.
  bool collect() {
    llvm::SmallVector<const VarDecl *, 4> Work{Stream};
    llvm::DenseSet<const VarDecl *> Seen{Stream};
    while (!Work.empty()) {
      const VarDecl *V = Work.pop_back_val();
      auto It = Refs.Refs.find(V);
      if (It == Refs.Refs.end())
        continue;
      for (const DeclRefExpr *R : It->second) {
        const VarDecl *Alias = nullptr;
        if (!follow(R, Alias))
          return false;
        if (Alias && Seen.insert(Alias).second)
          Work.push_back(Alias);
      }
    }
    return true;
  }

  llvm::DenseMap<const Stmt *, Use> Uses;
  bool Returned = false;
  bool Armed = false;
  bool Opened = false;

private:
  void add(UseKind K, const Expr *At, const FunctionDecl *Via = nullptr, unsigned Param = 0) {
    Uses.try_emplace(At, Use{K, At, Via, Param});
    if (K == UseKind::Arm)
      Armed = true;
    if (K == UseKind::Open)
      Opened = true;
  }

  /// An argument handed to a function of this file: what the function does with it.
  bool handedTo(const CallExpr *Call, const Stmt *Cur, const Expr *&Next) {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!FD)
      return false;
    // A member operator's object is its call's first argument; the rows count it so
    // (`operator<<`: 0, member or not), the parameters of its definition do not.
    unsigned Offset = isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(FD) ? 1 : 0;
    for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
      if (!isOperand(Call->getArg(I), Cur))
        continue;
      if (const RoleEntry *W = roleOf(FD, FR::StreamWrite, Model))
        if (W->Arg == static_cast<int>(I)) {
          add(UseKind::Write, Call);
          Next = answersItsStream(Call) ? Call : nullptr;
          return true;
        }
      if (I < Offset)
        return false;
      const FunctionDecl *Def = nullptr;
      if (Depth >= MaxHelperDepth || !FD->hasBody(Def) || !Def || Def->isDependentContext() ||
          I - Offset >= Def->getNumParams())
        return false;
      const SourceManager &SM = Def->getASTContext().getSourceManager();
      if (SM.isInSystemHeader(SM.getExpansionLoc(Def->getLocation())) ||
          !Def->getParamDecl(I - Offset)->getType()->isReferenceType())
        return false;
      HelperEffect E = helperEffect(Def, I - Offset, Model, Depth + 1);
      if (E.Unknown)
        return false;
      if (E.LeavesDirty)
        add(UseKind::Write, Call, Def, I - Offset);
      else if (E.Tests)
        add(UseKind::Check, Call, Def);
      Next = E.ReturnsIt && answersItsStream(Call) ? Call : nullptr;
      return true;
    }
    return false;
  }

  /// A member call on the stream: a row of the model, or a member that changes nothing
  /// drain follows (is_open, flush, seekp).
  void memberCall(const CXXMemberCallExpr *MC, const Expr *&Next) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    Next = nullptr;
    if (roleOf(MD, FR::StreamWrite, Model)) {
      add(UseKind::Write, MC);
      Next = answersItsStream(MC) ? MC : nullptr;
    } else if (roleOf(MD, FR::StreamStateTest, Model)) {
      // A state member handed an argument sets what it says (exceptions(mask)).
      add(MC->getNumArgs() > 0 ? UseKind::Arm : UseKind::Check, MC);
    } else if (roleOf(MD, FR::FileStreamClose, Model)) {
      add(UseKind::Close, MC);
    } else if (roleOf(MD, FR::FileStreamOpener, Model)) {
      add(UseKind::Open, MC);
    } else if (answersItsStream(MC)) {
      Next = MC;
    }
  }

  /// Follows one reference up to what uses it; false if the stream escapes there. \p Alias
  /// is set when the reference initializes a local reference (`std::ostream &os = f;`).
  bool follow(const DeclRefExpr *Ref, const VarDecl *&Alias) {
    const Stmt *Cur = Ref;
    for (unsigned Step = 0; Step < MaxUseSteps; ++Step) {
      const Stmt *P = PM.getParent(Cur);
      if (!P)
        return false;
      // A statement that drops the value (`f << x;` answers the stream nobody uses).
      if (!isa<Expr>(P) && !isa<ReturnStmt>(P) && !isa<DeclStmt>(P))
        return true;
      if (isa<ParenExpr>(P) || isa<ImplicitCastExpr>(P) || isa<FullExpr>(P)) {
        Cur = P;
        continue;
      }
      if (const auto *CO = dyn_cast<ConditionalOperator>(P)) {
        if (CO->getCond() == Cur)
          return false;
        Cur = P;
        continue;
      }
      if (const auto *DS = dyn_cast<DeclStmt>(P)) {
        for (const Decl *D : DS->decls())
          if (const auto *VD = dyn_cast<VarDecl>(D))
            if (VD->getInit() == Cur && VD->getType()->isLValueReferenceType() &&
                VD->hasLocalStorage()) {
              Alias = VD;
              return true;
            }
        return false;
      }
      if (const auto *ME = dyn_cast<MemberExpr>(P)) {
        const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(PM.getParent(ME));
        if (!MC || MC->getCallee()->IgnoreParens() != ME)
          return false;
        const Expr *Next = nullptr;
        memberCall(MC, Next);
        if (!Next)
          return true;
        Cur = Next;
        continue;
      }
      if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(P)) {
        const FunctionDecl *FD = Op->getDirectCallee();
        if (const RoleEntry *T = roleOf(FD, FR::StreamStateTest, Model))
          if (isOperand(roleOperand(Op, *T), Cur)) {
            add(UseKind::Check, Op);
            return true;
          }
      }
      if (const auto *Call = dyn_cast<CallExpr>(P)) {
        const Expr *Next = nullptr;
        if (!handedTo(Call, Cur, Next))
          return false;
        if (!Next)
          return true;
        Cur = Next;
        continue;
      }
      if (isa<ReturnStmt>(P)) {
        // A helper answering its parameter hands it back to its caller; a local returned
        // belongs to the caller now.
        Returned = true;
        return isa<ParmVarDecl>(Stream);
      }
      return false;
    }
    return false;
  }

  const VarDecl *Stream;
  const ApiModel &Model;
  unsigned Depth;
  ParentMap &PM;
  RefScan &Refs;
};

/// The state of the stream on a path: a set of these bits.
enum : unsigned {
  Clean = 1,       ///< nothing written since its state was last read
  Dirty = 2,       ///< written, state not read since
  ClosedDirty = 4, ///< closed while dirty, state not read since
};

struct PathState {
  unsigned Bits = 0;
  /// For ClosedDirty: the close (an explicit close() call, or where the destructor ran).
  const Stmt *Close = nullptr;
  bool Implicit = false;
  bool join(const PathState &O) {
    unsigned Old = Bits;
    Bits |= O.Bits;
    if (!Close && O.Close) {
      Close = O.Close;
      Implicit = O.Implicit;
    }
    return Bits != Old;
  }
};

/// A success exit reached with the state unread: the close to report, and the exit.
struct Unchecked {
  const Stmt *Close = nullptr;
  bool Implicit = false;
  const Stmt *Exit = nullptr;
  bool Rename = false;
};

/// True if \p V, returned by \p Fn, reports a failure: a failure answer (answersFailure), or
/// a call named as a failure (`MakeCriticalError()`).
bool isFailureReturn(const Expr *V, const FunctionDecl *Fn, ASTContext &Ctx) {
  return answersFailure(V, Fn, Ctx, [](const Expr *E) -> std::optional<bool> {
    const auto *Call = dyn_cast<CallExpr>(E);
    const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
    if (!FD)
      return std::nullopt;
    return FD->getIdentifier() && StateVocabulary::mentionsFailure(FD->getName());
  });
}

/// True if returning from \p Fn tells its caller the work was done: a function answering a
/// value that is not a failure, main, or a function answering nothing whose name says it
/// saves.
bool returnReportsSuccess(const ReturnStmt *RS, const FunctionDecl *Fn, ASTContext &Ctx) {
  if (const Expr *V = RS ? RS->getRetValue() : nullptr)
    return !Fn->getReturnType()->isVoidType() && !isFailureReturn(V, Fn, Ctx);
  if (Fn->isMain())
    return true;
  if (!Fn->getReturnType()->isVoidType() || !Fn->getIdentifier())
    return false;
  return nameHasWord(Fn->getName(), SaveFunctionWords) && !nameHasWord(Fn->getName(), LogWords);
}

/// One walk of a body's CFG for one stream: the uses change its PathState, and each success
/// exit reached with the state unread is kept in Found.
class StreamFlow {
public:
  StreamFlow(const FunctionDecl *Fn, const VarDecl *Stream, const StreamUses &U,
             const ApiModel &Model, bool Owner)
      : Fn(Fn), Stream(Stream), U(U), Model(Model), Owner(Owner) {}

  /// False if the CFG cannot be built or the walk runs out of budget.
  bool run() {
    ASTContext &Ctx = Fn->getASTContext();
    CFG::BuildOptions BO;
    BO.setAllAlwaysAdd();
    BO.AddImplicitDtors = true;
    Graph = CFG::buildCFG(Fn, Fn->getBody(), &Ctx, BO);
    if (!Graph)
      return false;
    std::vector<PathState> In(Graph->getNumBlockIDs());
    llvm::SmallVector<const CFGBlock *, 32> Work;
    In[Graph->getEntry().getBlockID()].Bits = Clean;
    Work.push_back(&Graph->getEntry());
    unsigned Visits = 0;
    while (!Work.empty()) {
      if (++Visits > MaxBlockVisits)
        return false;
      const CFGBlock *B = Work.pop_back_val();
      PathState S = In[B->getBlockID()];
      if (B == &Graph->getExit())
        continue;
      for (const CFGElement &E : *B)
        step(E, S);
      for (const CFGBlock *Succ : B->succs()) {
        if (!Succ)
          continue;
        if (Succ == &Graph->getExit() && fallsOff(B) &&
            (!Owner || returnReportsSuccess(nullptr, Fn, Ctx)))
          successExit(S, nullptr, false);
        if (In[Succ->getBlockID()].join(S) || !Reached.count(Succ)) {
          Reached.insert(Succ);
          Work.push_back(Succ);
        }
      }
    }
    return true;
  }

  llvm::SmallVector<Unchecked, 2> Found;
  llvm::DenseSet<const Stmt *> Visited;

private:
  /// True if \p B reaches the exit by falling off the end of the body (no return, no
  /// throw, no call that does not return).
  static bool fallsOff(const CFGBlock *B) {
    if (B->hasNoReturnElement())
      return false;
    if (const Stmt *T = B->getTerminatorStmt())
      if (isa<CXXThrowExpr>(T))
        return false;
    for (auto It = B->rbegin(); It != B->rend(); ++It)
      if (auto CS = It->getAs<CFGStmt>())
        return !isa<ReturnStmt>(CS->getStmt()) && !isa<CXXThrowExpr>(CS->getStmt());
    return true;
  }

  void successExit(const PathState &S, const Stmt *Exit, bool Rename) {
    if (!Owner) {
      // A helper: any exit after a write with no test leaves its caller's stream dirty.
      if (S.Bits & (Dirty | ClosedDirty))
        Found.push_back({nullptr, false, Exit, false});
      return;
    }
    if (S.Bits & ClosedDirty)
      Found.push_back({S.Close, S.Implicit, Exit, Rename});
    else if ((S.Bits & Dirty) && Exit && !Rename)
      Found.push_back({Exit, true, Exit, false}); // the destructor runs at this return
  }

  void closeDirty(PathState &S, const Stmt *At, bool Implicit) {
    if (!(S.Bits & Dirty))
      return;
    S.Bits = (S.Bits & ~Dirty) | ClosedDirty;
    S.Close = At;
    S.Implicit = Implicit;
  }

  void step(const CFGElement &E, PathState &S) {
    if (auto D = E.getAs<CFGAutomaticObjDtor>()) {
      if (D->getVarDecl() == Stream)
        closeDirty(S, D->getTriggerStmt(), true);
      return;
    }
    auto CS = E.getAs<CFGStmt>();
    if (!CS)
      return;
    const Stmt *St = CS->getStmt();
    auto It = U.Uses.find(St);
    if (It != U.Uses.end()) {
      Visited.insert(St);
      switch (It->second.Kind) {
      case UseKind::Write:
        if (S.Bits & Clean)
          S.Bits = (S.Bits & ~Clean) | Dirty;
        return;
      case UseKind::Check:
      case UseKind::Arm:
        S = PathState{Clean};
        return;
      case UseKind::Close:
        closeDirty(S, St, false);
        return;
      case UseKind::Open:
        return;
      }
    }
    if (const auto *RS = dyn_cast<ReturnStmt>(St)) {
      if (!Owner || returnReportsSuccess(RS, Fn, Fn->getASTContext()))
        successExit(S, RS, false);
      return;
    }
    if (!Owner)
      return;
    if (const auto *Call = dyn_cast<CallExpr>(St))
      if (roleOf(Call->getDirectCallee(), FR::FileRenamer, Model))
        successExit(S, Call, true);
  }

  const FunctionDecl *Fn;
  const VarDecl *Stream;
  const StreamUses &U;
  const ApiModel &Model;
  bool Owner;
  std::unique_ptr<CFG> Graph;
  llvm::DenseSet<const CFGBlock *> Reached;
};

HelperEffect helperEffect(const FunctionDecl *Def, unsigned Param, const ApiModel &Model,
                          unsigned Depth) {
  HelperEffect Effect;
  const ParmVarDecl *P = Def->getParamDecl(Param);
  ParentMap PM(Def->getBody());
  RefScan Refs;
  Refs.TraverseStmt(Def->getBody());
  StreamUses U(P, Model, Depth, PM, Refs);
  if (!U.collect()) {
    Effect.Unknown = true;
    return Effect;
  }
  Effect.ReturnsIt = U.Returned;
  for (const auto &KV : U.Uses) {
    Effect.Writes |= KV.second.Kind == UseKind::Write;
    Effect.Tests |= KV.second.Kind == UseKind::Check || KV.second.Kind == UseKind::Arm;
  }
  if (!Effect.Writes)
    return Effect;
  StreamFlow Flow(Def, P, U, Model, /*Owner=*/false);
  if (!Flow.run()) {
    Effect.Unknown = true;
    return Effect;
  }
  // A helper answering the stream leaves the check to its caller, dirty or not; one that
  // returns or falls off its end after a write with no test leaves it dirty.
  Effect.LeavesDirty = !Flow.Found.empty() && !Effect.ReturnsIt;
  if (Effect.ReturnsIt && !Effect.Tests)
    Effect.LeavesDirty = true;
  return Effect;
}

/// The helper's write when \p Exit returns its answer as the function's own
/// (`return WriteGltfStream(gltfFile, content);`), else null.
const Use *relayedHelper(const Stmt *Exit, const StreamUses &U) {
  const auto *RS = dyn_cast_or_null<ReturnStmt>(Exit);
  const Expr *V = RS ? RS->getRetValue() : nullptr;
  if (!V)
    return nullptr;
  V = V->IgnoreImplicit();
  auto It = U.Uses.find(V->IgnoreParenImpCasts());
  if (It == U.Uses.end() || It->second.Kind != UseKind::Write || !It->second.Via)
    return nullptr;
  return &It->second;
}

/// The return of the helper \p Def that answers success after writing its parameter
/// \p Param with no test of its state (tinygltf's `stream << content; return true;`), the
/// first in source order; null if every answer follows a test or reports a failure.
struct FalseAnswer {
  const ReturnStmt *At = nullptr;
  const FunctionDecl *Fn = nullptr;
  unsigned Param = 0;
};
FalseAnswer successWithoutTest(const FunctionDecl *Def, unsigned Param, const ApiModel &Model,
                               unsigned Depth = 1) {
  const ParmVarDecl *P = Def->getParamDecl(Param);
  ParentMap PM(Def->getBody());
  RefScan Refs;
  Refs.TraverseStmt(Def->getBody());
  StreamUses U(P, Model, Depth, PM, Refs);
  if (!U.collect() || U.Returned)
    return {};
  StreamFlow Flow(Def, P, U, Model, /*Owner=*/false);
  if (!Flow.run())
    return {};
  ASTContext &Ctx = Def->getASTContext();
  const ReturnStmt *First = nullptr;
  for (const Unchecked &C : Flow.Found) {
    const auto *RS = dyn_cast_or_null<ReturnStmt>(C.Exit);
    if (RS && RS->getRetValue() && returnReportsSuccess(RS, Def, Ctx) &&
        (!First || Ctx.getSourceManager().isBeforeInTranslationUnit(RS->getBeginLoc(),
                                                                    First->getBeginLoc())))
      First = RS;
  }
  // A helper answering another helper's answer (`return write_body(os, c);`): the false
  // answer is the inner one's.
  if (const Use *Inner = First && Depth < MaxHelperDepth ? relayedHelper(First, U) : nullptr) {
    FalseAnswer Deeper = successWithoutTest(Inner->Via, Inner->ViaParam, Model, Depth + 1);
    if (Deeper.At)
      return Deeper;
  }
  return {First, Def, Param};
}

SourceLocation fileLoc(const SourceManager &SM, SourceLocation L) {
  return L.isMacroID() ? SM.getExpansionLoc(L) : L;
}

/// Where the close is reported: the member's name of a close() call, the return statement
/// the destructor runs at, or the closing brace of the stream's scope.
SourceLocation closeLoc(const Unchecked &U, const SourceManager &SM) {
  if (const auto *Call = dyn_cast<CallExpr>(U.Close))
    return callDiagnosticLoc(Call, SM);
  if (const auto *CS = dyn_cast<CompoundStmt>(U.Close))
    return fileLoc(SM, CS->getRBracLoc());
  return fileLoc(SM, U.Close->getBeginLoc());
}

Finding describe(const VarDecl *Stream, const Unchecked &U, const Use &First,
                 const SourceManager &SM) {
  std::string N = Stream->getNameAsString();
  Finding F;
  F.Loc = closeLoc(U, SM);
  F.Message = "the state of '" + N +
              "' is never checked after writing; a failed write or close (a full disk) goes "
              "unnoticed";
  std::string Written = "'" + N + "' is first written here";
  if (First.Via && First.Via->getIdentifier())
    Written += ", by '" + First.Via->getName().str() + "'";
  F.Notes.push_back({fileLoc(SM, First.At->getExprLoc()), Written});
  bool AtExit = U.Close == U.Exit;
  if (U.Exit && !AtExit) {
    SourceLocation ExitLoc = isa<CallExpr>(U.Exit) ? callDiagnosticLoc(cast<CallExpr>(U.Exit), SM)
                                                   : fileLoc(SM, U.Exit->getBeginLoc());
    F.Notes.push_back({ExitLoc, U.Rename ? "the file is renamed here, as if it were complete"
                                         : "the function reports success here"});
  }
  std::string Check = "check '" + N + ".fail()' (or '!" + N + "')";
  if (!U.Implicit)
    F.Notes.push_back({F.Loc, Check + " after '" + N + ".close()' and report the failure"});
  else
    F.Notes.push_back({F.Loc, "'" + N + "' is closed here by its destructor" +
                                  (AtExit ? ", after the function has reported success" : "") +
                                  "; close it with '" + N + ".close()' and " + Check +
                                  " before reporting success"});
  return F;
}

/// The finding of a helper of this file that answers success for a stream it wrote without
/// testing it, when the function owning the file stream \p Stream returns that answer as its
/// own: the false answer is given in the helper, so it is reported there.
Finding describeRelay(const VarDecl *Stream, const Use &Via, const FalseAnswer &Lie,
                      const FunctionDecl *Fn, const SourceManager &SM) {
  std::string N = Stream->getNameAsString();
  std::string H = Lie.Fn->getNameAsString();
  std::string P = Lie.Fn->getParamDecl(Lie.Param)->getNameAsString();
  Finding F;
  F.Loc = fileLoc(SM, Lie.At->getBeginLoc());
  F.Message = "'" + H + "' answers success without checking the state of '" + P +
              "' after writing it; a failed write or close (a full disk) of the file '" + N +
              "' goes unnoticed";
  std::string Caller = Fn->getIdentifier() ? "'" + Fn->getName().str() + "'" : "the caller";
  F.Notes.push_back({fileLoc(SM, Via.At->getExprLoc()),
                     "the file stream '" + N + "' is written here by '" +
                         Via.Via->getNameAsString() + "', and " + Caller +
                         " answers what it returns"});
  F.Notes.push_back({F.Loc, "flush '" + P + "' and answer its state ('" + P + ".good()')"});
  return F;
}

/// The first write in source order: in a chain `f << a << b`, the innermost operator.
const Use *firstWrite(const StreamUses &U, const SourceManager &SM) {
  const Use *First = nullptr;
  for (const auto &KV : U.Uses)
    if (KV.second.Kind == UseKind::Write &&
        (!First ||
         SM.isBeforeInTranslationUnit(KV.second.At->getExprLoc(), First->At->getExprLoc())))
      First = &KV.second;
  return First;
}

/// True if the translation unit spells the class of some file stream constructor row (a
/// `file_stream_opener` row naming `C::C`): without <fstream> no local can be one.
bool unitHasFileStreamClass(const ASTContext &Ctx, const ApiModel &Model) {
  for (llvm::StringRef Name : Model.namesWithRole(FR::FileStreamOpener)) {
    size_t Last = Name.rfind("::");
    if (Last == llvm::StringRef::npos || Last == 0)
      continue;
    llvm::StringRef Member = Name.substr(Last + 2), Scope = Name.substr(0, Last);
    size_t Prev = Scope.rfind("::");
    llvm::StringRef Class = Prev == llvm::StringRef::npos ? Scope : Scope.substr(Prev + 2);
    if (Class == Member && Ctx.Idents.find(Class) != Ctx.Idents.end())
      return true;
  }
  return false;
}

} // namespace

std::vector<Finding> findUncheckedFileStreams(const FunctionDecl *FD, const ApiModel &Model) {
  std::vector<Finding> Out;
  if (!FD || !FD->hasBody() || !FD->doesThisDeclarationHaveABody() || FD->isDependentContext() ||
      !FD->getASTContext().getLangOpts().CPlusPlus ||
      !unitHasFileStreamClass(FD->getASTContext(), Model))
    return Out;
  BodyScan Scan(Model);
  Scan.TraverseStmt(FD->getBody());
  if (Scan.Streams.empty())
    return Out;
  const SourceManager &SM = FD->getASTContext().getSourceManager();
  ParentMap PM(FD->getBody());
  RefScan Refs;
  Refs.TraverseStmt(FD->getBody());
  for (const VarDecl *VD : Scan.Streams) {
    if (!VD->getIdentifier() || VD->isStaticLocal() || nameHasWord(VD->getName(), LogWords))
      continue;
    StreamUses U(VD, Model, 0, PM, Refs);
    if (!U.collect() || U.Armed)
      continue;
    if (!U.Opened && !openedAtInit(VD, Model))
      continue;
    const Use *First = firstWrite(U, SM);
    if (!First)
      continue;
    StreamFlow Flow(FD, VD, U, Model, /*Owner=*/true);
    if (!Flow.run() || Flow.Found.empty())
      continue;
    // A use the walk never reached runs elsewhere (a lambda) or not at all: not followed.
    if (Flow.Visited.size() != U.Uses.size())
      continue;
    const Unchecked *Best = nullptr;
    for (const Unchecked &C : Flow.Found)
      if (C.Close && (!Best || SM.isBeforeInTranslationUnit(closeLoc(C, SM), closeLoc(*Best, SM))))
        Best = &C;
    if (!Best)
      continue;
    const Use *Via = relayedHelper(Best->Exit, U);
    FalseAnswer Lie = Via ? successWithoutTest(Via->Via, Via->ViaParam, Model) : FalseAnswer();
    if (Lie.At)
      Out.push_back(describeRelay(VD, *Via, Lie, FD, SM));
    else
      Out.push_back(describe(VD, *Best, *First, SM));
  }
  return Out;
}

} // namespace drain
