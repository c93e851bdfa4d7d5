//===--- TlsCloseOrder.cpp - a close_notify sent after its socket was closed -===//
#include "analysis/checks/ShutdownBeforeFlush/TlsCloseOrder.h"
#include "analysis/core/BodyCfg.h"
#include "analysis/core/Callees.h"
#include "analysis/core/Identifiers.h"
#include "Compat.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include <deque>
#include <memory>
#include <optional>
#include <string>

using namespace clang;

namespace drain {

namespace {

/// A variable (or `this`) and a path of fields: `c->client.sock`, `net.fd`, `ssl`.
struct Ref {
  const Decl *Root = nullptr;
  llvm::SmallVector<const FieldDecl *, 3> Path;
  std::string Text;
  bool Integer = false;

  bool operator==(const Ref &O) const { return Root == O.Root && Path == O.Path; }
  bool isPrefixOf(const Ref &O) const {
    return Root == O.Root && Path.size() <= O.Path.size() &&
           std::equal(Path.begin(), Path.end(), O.Path.begin());
  }
};

std::optional<Ref> refOf(const Expr *E, const FunctionDecl *FD, unsigned Depth = 0) {
  if (!E || Depth > 8)
    return std::nullopt;
  E = E->IgnoreParenCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    if (UO->getOpcode() != UO_AddrOf && UO->getOpcode() != UO_Deref)
      return std::nullopt;
    return refOf(UO->getSubExpr(), FD, Depth + 1);
  }
  std::optional<Ref> R;
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    const auto *Field = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!Field)
      return std::nullopt;
    R = refOf(ME->getBase(), FD, Depth + 1);
    if (!R)
      return std::nullopt;
    bool ImplicitThis = isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()) &&
                        cast<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts())->isImplicit();
    R->Text = ImplicitThis ? Field->getNameAsString()
                           : R->Text + (ME->isArrow() ? "->" : ".") + Field->getNameAsString();
    R->Path.push_back(Field);
  } else if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (!isa<VarDecl>(DRE->getDecl()))
      return std::nullopt;
    R = Ref();
    R->Root = DRE->getDecl()->getCanonicalDecl();
    R->Text = DRE->getDecl()->getNameAsString();
  } else if (isa<CXXThisExpr>(E)) {
    R = Ref();
    R->Root = FD;
    R->Text = "this";
  } else {
    return std::nullopt;
  }
  R->Integer = E->getType()->isIntegerType();
  return R;
}

std::optional<long long> constantOf(const Expr *E, ASTContext &Ctx) {
  if (!E || E->isValueDependent() || E->isTypeDependent())
    return std::nullopt;
  if (E->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
    return 0;
  Expr::EvalResult R;
  if (!E->IgnoreParenCasts()->EvaluateAsInt(R, Ctx))
    return std::nullopt;
  return R.Val.getInt().getSExtValue();
}

/// The calls of one function the rule reads.
struct Calls {
  struct Notify {
    const CallExpr *Call;
    Ref Session;
  };
  struct Bind {
    Ref Session, Transport;
  };
  struct Ender {
    const CallExpr *Call;
    Ref Socket;
    bool Shutdown;
    /// A helper of the file whose body ends the socket (`ws_close(wsh)` closing
    /// `wsh->sock`); null for a row of the model.
    const FunctionDecl *Via = nullptr;
  };
  std::vector<Notify> Notifies;
  std::vector<Bind> Binds;
  std::vector<Ref> Quiet;
  std::vector<Ender> Enders;
};

const Expr *argAt(const CallExpr *CE, int I) {
  return I >= 0 && static_cast<unsigned>(I) < CE->getNumArgs() ? CE->getArg(I) : nullptr;
}

void collect(const Stmt *S, const FunctionDecl *FD, const ApiModel &Model, ASTContext &Ctx,
             Calls &Out, bool Helpers, unsigned Depth = 0);

/// \p R, a path from one of \p Callee's parameters (or its `this`), as the caller names it
/// at \p CE: `wsh->sock` of `ws_close(wsh_t *wsh)` called as `ws_close(h, 0)` is `h->sock`.
std::optional<Ref> atCall(const Ref &R, const FunctionDecl *Callee, const CallExpr *CE,
                          const FunctionDecl *Caller) {
  const Expr *Arg = nullptr;
  // The fields below the root as the callee writes them: "->sock", ".fd" ("" for the
  // parameter itself).
  llvm::StringRef Tail = R.Text;
  bool ImplicitThis = false;
  if (R.Root == Callee) {
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE))
      Arg = MC->getImplicitObjectArgument();
    ImplicitThis = !compat::startsWith(Tail, "this");
    Tail = ImplicitThis ? llvm::StringRef() : Tail.drop_front(4);
  } else {
    for (unsigned I = 0; I < Callee->getNumParams(); ++I)
      if (Callee->getParamDecl(I)->getCanonicalDecl() == R.Root) {
        Arg = argAt(CE, static_cast<int>(I));
        Tail = Tail.drop_front(std::min(Tail.size(), Callee->getParamDecl(I)->getName().size()));
      }
  }
  std::optional<Ref> Base = refOf(Arg, Caller);
  // A socket is a member, or an integer parameter itself (`sock_close(int fd)`).
  if (!Base || (R.Path.empty() && !R.Integer) || (ImplicitThis && R.Path.empty()))
    return std::nullopt;
  Ref Out = *Base;
  Out.Path.append(R.Path.begin(), R.Path.end());
  Out.Integer = R.Integer;
  std::string Fields = Tail.str();
  if (ImplicitThis) { // the callee names its member alone: `fd_`, `io_.fd`
    Fields = "->" + R.Path.front()->getNameAsString();
    for (unsigned I = 1; I < R.Path.size(); ++I)
      Fields += "." + R.Path[I]->getNameAsString();
  }
  const Expr *Bare = Arg->IgnoreParenImpCasts();
  const auto *Addr = dyn_cast<UnaryOperator>(Bare);
  bool Pointer = Bare->getType()->isPointerType() && !(Addr && Addr->getOpcode() == UO_AddrOf);
  if (Base->Text == "this" && compat::startsWith(Fields, "->"))
    Out.Text = Fields.substr(2); // so does a caller's own `this`
  else if (!Pointer && compat::startsWith(Fields, "->"))
    Out.Text = Base->Text + "." + Fields.substr(2);
  else
    Out.Text = Base->Text + Fields;
  return Out;
}

/// The sockets a helper of the file ends, as its caller names them at \p CE: the Close and
/// Shutdown rows its own body calls on its parameters or members. A helper that sends a
/// close_notify itself orders its own end (and is judged on its own).
void helperEnders(const CallExpr *CE, const FunctionDecl *Callee, const FunctionDecl *Caller,
                  const ApiModel &Model, ASTContext &Ctx, Calls &Out) {
  const FunctionDecl *Def = nullptr;
  if (!Callee->hasBody(Def) || !Def || Def == Caller || Def->isDependentContext() ||
      !Ctx.getSourceManager().isInMainFile(Def->getLocation()))
    return;
  Calls Inner;
  collect(Def->getBody(), Def, Model, Ctx, Inner, /*Helpers=*/false);
  if (!Inner.Notifies.empty())
    return;
  for (const Calls::Ender &E : Inner.Enders)
    if (std::optional<Ref> Socket = atCall(E.Socket, Def, CE, Caller))
      Out.Enders.push_back({CE, *Socket, E.Shutdown, Def});
}

void collect(const Stmt *S, const FunctionDecl *FD, const ApiModel &Model, ASTContext &Ctx,
             Calls &Out, bool Helpers, unsigned Depth) {
  if (!S || Depth > 256 || isa<LambdaExpr>(S) || isa<BlockExpr>(S))
    return;
  if (const auto *CE = dyn_cast<CallExpr>(S))
    if (const FunctionDecl *Callee = CE->getDirectCallee()) {
      if (const RoleEntry *R = Model.tableRole(Callee, FunctionRole::TlsCloseNotify)) {
        if (std::optional<Ref> Session = refOf(argAt(CE, R->Arg), FD))
          Out.Notifies.push_back({CE, *Session});
      } else if (const RoleEntry *R = Model.tableRole(Callee, FunctionRole::TlsTransportBinder)) {
        std::optional<Ref> Session = refOf(argAt(CE, 0), FD);
        std::optional<Ref> Transport = refOf(argAt(CE, R->Arg), FD);
        if (Session && Transport)
          Out.Binds.push_back({*Session, *Transport});
      } else if (const RoleEntry *R = Model.tableRole(Callee, FunctionRole::TlsQuietShutdown)) {
        std::optional<long long> Mode = constantOf(argAt(CE, R->Arg), Ctx);
        if (std::optional<Ref> Session = refOf(argAt(CE, 0), FD))
          if (!Mode || *Mode != 0)
            Out.Quiet.push_back(*Session);
      } else if (ApiOp Op = Model.lookup(calleeOf(CE));
                 Op && !(Helpers && Op.Entry->Origin == RowOrigin::Inferred)) {
        bool Shutdown = Op.kind() == OpKind::Shutdown;
        // A read-side shutdown (SHUT_RD, SD_RECEIVE: 0) leaves the write side open.
        std::optional<long long> How = constantOf(argAt(CE, 1), Ctx);
        if ((Shutdown || Op.kind() == OpKind::Close) && !(Shutdown && How && *How == 0))
          if (std::optional<Ref> Socket = refOf(argAt(CE, Op.Entry->Channel), FD))
            Out.Enders.push_back({CE, *Socket, Shutdown});
      } else if (Helpers) {
        helperEnders(CE, Callee, FD, Model, Ctx, Out);
      }
    }
  for (const Stmt *C : S->children())
    collect(C, FD, Model, Ctx, Out, Helpers, Depth + 1);
}

bool sendsCloseNotify(const Stmt *S, const ApiModel &Model, unsigned Depth = 0) {
  if (!S || Depth > 256 || isa<LambdaExpr>(S) || isa<BlockExpr>(S))
    return false;
  if (const auto *CE = dyn_cast<CallExpr>(S))
    if (const FunctionDecl *Callee = CE->getDirectCallee())
      if (Model.tableRole(Callee, FunctionRole::TlsCloseNotify))
        return true;
  for (const Stmt *C : S->children())
    if (sendsCloseNotify(C, Model, Depth + 1))
      return true;
  return false;
}

/// True if closing \p Socket ends the transport of \p Session.
bool boundTo(const Ref &Session, const Ref &Socket, const Calls &C,
             llvm::ArrayRef<llvm::StringRef> Words) {
  if (Session.isPrefixOf(Socket) || Socket.isPrefixOf(Session))
    return false;
  for (const Calls::Bind &B : C.Binds)
    if (B.Session == Session && B.Transport.isPrefixOf(Socket))
      return true;
  // Members of one object: the socket hangs off the session's owner.
  if (Session.Path.empty() || !Socket.Integer || Socket.Path.empty())
    return false;
  Ref Owner = Session;
  Owner.Path.pop_back();
  return Owner.isPrefixOf(Socket) && nameHasWord(Socket.Path.back()->getName(), Words);
}

/// What the function knows after the close: members and locals given a constant.
struct Fact {
  Ref R;
  long long V;
};
using Facts = llvm::SmallVector<Fact, 4>;

class Reach {
public:
  Reach(const Ref &Session, const Ref &Socket, const FunctionDecl *FD, ASTContext &Ctx)
      : Session(Session), Socket(Socket), FD(FD), Ctx(Ctx) {}

  /// True if a path from \p From reaches \p To.
  bool operator()(const CFG &G, const Stmt *From, const Stmt *To) {
    const CFGBlock *Start = nullptr;
    unsigned Index = 0;
    for (const CFGBlock *B : G)
      for (unsigned I = 0; I < B->size(); ++I)
        if (auto CS = (*B)[I].getAs<CFGStmt>())
          if (CS->getStmt() == From)
            Start = B, Index = I + 1;
    if (!Start)
      return false;
    std::vector<std::optional<Facts>> In(G.getNumBlockIDs());
    std::deque<const CFGBlock *> Work;
    Facts St;
    if (block(*Start, Index, St, To))
      return true;
    if (!Dead)
      propagate(*Start, St, In, Work);
    unsigned Budget = 4 * G.getNumBlockIDs() + 16;
    while (!Work.empty() && Budget--) {
      const CFGBlock *B = Work.front();
      Work.pop_front();
      Facts S = *In[B->getBlockID()];
      Dead = false;
      if (block(*B, 0, S, To))
        return true;
      if (!Dead)
        propagate(*B, S, In, Work);
    }
    return false;
  }

private:
  static void forget(Facts &F, const Ref &R) {
    llvm::erase_if(F, [&](const Fact &X) { return R.isPrefixOf(X.R); });
  }

  /// An assignment to \p R: a constant is remembered; leaving the object behind the session
  /// or the socket, or giving either another value, ends the path.
  void assigned(const Ref &R, std::optional<long long> V, Facts &F) {
    bool Holder = (R.isPrefixOf(Session) && !(R == Session)) ||
                  (R.isPrefixOf(Socket) && !(R == Socket));
    if (Holder || ((R == Session || R == Socket) && !V)) {
      Dead = true;
      return;
    }
    forget(F, R);
    if (V)
      F.push_back({R, *V});
  }

  void transfer(const Stmt *S, Facts &F) {
    if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      if (BO->isAssignmentOp())
        if (std::optional<Ref> R = refOf(BO->getLHS(), FD))
          assigned(*R, BO->getOpcode() == BO_Assign ? constantOf(BO->getRHS(), Ctx)
                                                    : std::nullopt,
                   F);
    } else if (const auto *UO = dyn_cast<UnaryOperator>(S)) {
      if (UO->isIncrementDecrementOp())
        if (std::optional<Ref> R = refOf(UO->getSubExpr(), FD))
          assigned(*R, std::nullopt, F);
    } else if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (D->getCanonicalDecl() == Session.Root || D->getCanonicalDecl() == Socket.Root)
          Dead = true;
    }
  }

  bool block(const CFGBlock &B, unsigned From, Facts &F, const Stmt *To) {
    for (unsigned I = From; I < B.size() && !Dead; ++I)
      if (auto CS = B[I].getAs<CFGStmt>()) {
        if (CS->getStmt() == To)
          return true;
        transfer(CS->getStmt(), F);
      }
    return false;
  }

  enum class Tri { False, True, Unknown };

  Tri eval(const Expr *E, const Facts &F) const {
    if (!E)
      return Tri::Unknown;
    E = E->IgnoreParenCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E))
      if (UO->getOpcode() == UO_LNot) {
        Tri T = eval(UO->getSubExpr(), F);
        return T == Tri::Unknown ? T : (T == Tri::True ? Tri::False : Tri::True);
      }
    if (const auto *BO = dyn_cast<BinaryOperator>(E))
      if (BO->isComparisonOp()) {
        std::optional<long long> L = valueOf(BO->getLHS(), F), R = valueOf(BO->getRHS(), F);
        if (!L || !R)
          return Tri::Unknown;
        bool Holds = false;
        switch (BO->getOpcode()) {
        case BO_EQ: Holds = *L == *R; break;
        case BO_NE: Holds = *L != *R; break;
        case BO_LT: Holds = *L < *R; break;
        case BO_LE: Holds = *L <= *R; break;
        case BO_GT: Holds = *L > *R; break;
        case BO_GE: Holds = *L >= *R; break;
        default: return Tri::Unknown;
        }
        return Holds ? Tri::True : Tri::False;
      }
    if (std::optional<long long> V = valueOf(E, F))
      return *V != 0 ? Tri::True : Tri::False;
    return Tri::Unknown;
  }

  std::optional<long long> valueOf(const Expr *E, const Facts &F) const {
    if (std::optional<Ref> R = refOf(E, FD)) {
      for (const Fact &X : F)
        if (X.R == *R)
          return X.V;
      return std::nullopt;
    }
    return constantOf(E, Ctx);
  }

  void propagate(const CFGBlock &B, const Facts &F, std::vector<std::optional<Facts>> &In,
                 std::deque<const CFGBlock *> &Work) {
    Tri T = Tri::Unknown;
    if (B.succ_size() == 2 && !isa_and_nonnull<SwitchStmt>(B.getTerminatorStmt()))
      T = eval(dyn_cast_or_null<Expr>(B.getTerminatorCondition()), F);
    unsigned I = 0;
    for (const CFGBlock::AdjacentBlock &Succ : B.succs()) {
      unsigned Index = I++;
      const CFGBlock *S = Succ.getReachableBlock();
      if (!S || (T == Tri::True && Index == 1) || (T == Tri::False && Index == 0))
        continue;
      std::optional<Facts> &Old = In[S->getBlockID()];
      if (!Old) {
        Old = F;
        Work.push_back(S);
        continue;
      }
      size_t Before = Old->size();
      llvm::erase_if(*Old, [&](const Fact &X) {
        return llvm::none_of(F, [&](const Fact &Y) { return Y.R == X.R && Y.V == X.V; });
      });
      if (Old->size() != Before)
        Work.push_back(S);
    }
  }

  const Ref &Session, &Socket;
  const FunctionDecl *FD;
  ASTContext &Ctx;
  bool Dead = false;
};

llvm::SmallVector<llvm::StringRef, 12> wordsOf(llvm::StringRef List) {
  llvm::SmallVector<llvm::StringRef, 12> Words;
  List.split(Words, ';', -1, false);
  for (llvm::StringRef &W : Words)
    W = W.trim();
  return Words;
}

} // namespace

void diagnoseTlsCloseOrder(const FunctionDecl *FD, const ApiModel &Model,
                           llvm::StringRef SocketWords, std::vector<Finding> &Out) {
  if (!FD || !FD->hasBody() || !FD->getBody() || FD->isDependentContext())
    return;
  // Most functions send no close_notify: asked by name only, before any other row.
  if (!sendsCloseNotify(FD->getBody(), Model))
    return;
  ASTContext &Ctx = FD->getASTContext();
  Calls C;
  collect(FD->getBody(), FD, Model, Ctx, C, /*Helpers=*/true);
  if (C.Notifies.empty() || C.Enders.empty())
    return;
  llvm::SmallVector<llvm::StringRef, 12> Words = wordsOf(SocketWords);
  std::unique_ptr<CFG> G;
  for (const Calls::Notify &N : C.Notifies) {
    if (llvm::is_contained(C.Quiet, N.Session))
      continue;
    for (const Calls::Ender &E : C.Enders) {
      if (!boundTo(N.Session, E.Socket, C, Words))
        continue;
      if (!G) {
        CFG::BuildOptions BO = everyStatementOptions();
        BO.AddImplicitDtors = false;
        BO.AddTemporaryDtors = false;
        BO.AddInitializers = false;
        BO.PruneTriviallyFalseEdges = true;
        G = buildBodyCfg(FD, Ctx, BO);
        if (!G)
          return;
      }
      Reach R(N.Session, E.Socket, FD, Ctx);
      if (!R(*G, E.Call, N.Call))
        continue;
      std::string Ended = E.Shutdown ? "shut down" : "closed";
      Finding F;
      F.Loc = N.Call->getBeginLoc();
      F.Message = "the close_notify of '" + N.Session.Text + "' is sent after its socket '" +
                  E.Socket.Text + "' was " + Ended +
                  "; the alert goes to a closed descriptor, or to the connection that reuses "
                  "it";
      F.Notes.push_back({E.Call->getBeginLoc(),
                         "'" + E.Socket.Text + "' is " + Ended + " here" +
                             (E.Via ? " by '" + E.Via->getNameAsString() + "'" : "")});
      F.Notes.push_back({F.Loc, "send the close_notify first, then shut down or close the "
                                "socket"});
      Out.push_back(std::move(F));
      break;
    }
  }
}

} // namespace drain
