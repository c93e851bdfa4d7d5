//===--- WrittenFiles.cpp - descriptors of files written before their close ----===//
#include "analysis/core/WrittenFiles.h"
#include "analysis/core/UnitDecls.h"
#include "Compat.h"
#include "analysis/core/StdioStreams.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/Builtins.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/STLFunctionalExtras.h"

using namespace clang;

namespace drain {

namespace {

using IsFd = llvm::function_ref<bool(const Expr *)>;

/// How deep writes are followed into functions of this file that are handed the descriptor.
constexpr unsigned MaxWriterDepth = 2;

std::string nameOf(const FunctionDecl *FD) {
  return FD->getIdentifier() ? FD->getName().str() : FD->getNameAsString();
}

/// Every macro the tokens of \p E were expanded from (`O_WRONLY` in `O_WRONLY | O_CREAT`,
/// also through a project's macro around them).
void macroNames(const Stmt *S, const SourceManager &SM, const LangOptions &LO,
                llvm::SmallVectorImpl<llvm::StringRef> &Out) {
  if (!S)
    return;
  for (SourceLocation L = S->getBeginLoc(); L.isMacroID(); L = SM.getImmediateMacroCallerLoc(L)) {
    llvm::StringRef N = Lexer::getImmediateMacroName(L, SM, LO);
    if (!N.empty() && !llvm::is_contained(Out, N))
      Out.push_back(N);
  }
  for (const Stmt *C : S->children())
    macroNames(C, SM, LO, Out);
}

/// What a value of a descriptor says about it.
enum class Origin : unsigned char {
  Sentinel,    ///< -1: no descriptor
  FileWrite,   ///< a file opened for writing (O_WRONLY/O_RDWR/O_CREAT/..., creat, mkstemp)
  FileUnknown, ///< a file whose flags drain cannot read (`open(path, flags)`)
  FileRead,    ///< a file opened for reading only
  Parameter,   ///< handed in by a caller
  Other,       ///< anything else: a socket, a pipe, a value from an unknown call
};

struct OriginFact {
  Origin Kind = Origin::Other;
  const CallExpr *Call = nullptr;
  std::string Opener;
};

/// The mode the open flags \p Flags name: writing, reading, or unknown when no O_ macro shows.
Origin flagsMode(const Expr *Flags, ASTContext &Ctx) {
  llvm::SmallVector<llvm::StringRef, 8> Names;
  macroNames(Flags, Ctx.getSourceManager(), Ctx.getLangOpts(), Names);
  bool AnyOpenFlag = false;
  for (llvm::StringRef N : Names) {
    if (llvm::is_contained(writeOpenFlags(), N))
      return Origin::FileWrite;
    AnyOpenFlag |= compat::startsWith(N, openFlagPrefix());
  }
  return AnyOpenFlag ? Origin::FileRead : Origin::FileUnknown;
}

/// What the call \p Call returns as a descriptor: a file (by the model's openers, or a
/// project's wrapper named after one and handed O_ flags), or something drain cannot tell.
OriginFact callOrigin(const CallExpr *Call, ASTContext &Ctx) {
  OriginFact F;
  F.Call = Call;
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getIdentifier() || isa<CXXMethodDecl>(FD) ||
      !Call->getType()->isIntegerType())
    return F;
  llvm::StringRef Name = FD->getName();
  F.Opener = Name.str();
  for (const DescriptorOpener &O : descriptorOpeners()) {
    if (Name != O.Name)
      continue;
    if (O.FlagsArg < 0) {
      F.Kind = Origin::FileWrite;
    } else if (static_cast<unsigned>(O.FlagsArg) < Call->getNumArgs()) {
      F.Kind = flagsMode(Call->getArg(O.FlagsArg), Ctx);
    }
    return F;
  }
  // A project's wrapper (`do_mkstemp(tmpl, mode)`, `do_open(path, O_WRONLY|O_CREAT, mode)`,
  // `fdevent_open_cloexec(path, 0, O_RDONLY, 0)`): judged by its name and the flags it is
  // handed; without visible O_ flags an `*open*` wrapper is not taken for a file.
  std::string Lower = Name.lower();
  for (const DescriptorOpener &O : descriptorOpeners()) {
    if (!O.ByName || llvm::StringRef(Lower).find(O.Name) == llvm::StringRef::npos)
      continue;
    if (O.FlagsArg < 0) {
      F.Kind = Origin::FileWrite;
      return F;
    }
    Origin Best = Origin::Other;
    for (const Expr *A : Call->arguments()) {
      if (!A->getType()->isIntegerType())
        continue;
      Origin M = flagsMode(A, Ctx);
      if (M == Origin::FileWrite || (M == Origin::FileRead && Best == Origin::Other))
        Best = M;
    }
    F.Kind = Best;
    return F;
  }
  return F;
}

/// The leaves of a value: both arms of `c ? a : b`.
void valueLeaves(const Expr *E, llvm::SmallVectorImpl<const Expr *> &Out, unsigned Depth = 0) {
  E = E->IgnoreParenImpCasts();
  if (const auto *CO = dyn_cast<AbstractConditionalOperator>(E); CO && Depth < 4) {
    valueLeaves(CO->getTrueExpr(), Out, Depth + 1);
    valueLeaves(CO->getFalseExpr(), Out, Depth + 1);
    return;
  }
  Out.push_back(E);
}

/// The initializer and the right sides of the plain assignments of the local \p VD in its
/// function (flow-insensitively); false if its address is taken.
bool assignedValues(const VarDecl *VD, llvm::SmallVectorImpl<const Expr *> &Out) {
  const auto *FD = dyn_cast_or_null<FunctionDecl>(VD->getParentFunctionOrMethod());
  const FunctionDecl *Def = nullptr;
  if (!FD || !FD->hasBody(Def) || !Def)
    return false;
  if (VD->getInit())
    Out.push_back(VD->getInit());
  struct Finder : RecursiveASTVisitor<Finder> {
    const VarDecl *VD;
    llvm::SmallVectorImpl<const Expr *> &Out;
    bool Escapes = false;
    Finder(const VarDecl *V, llvm::SmallVectorImpl<const Expr *> &O) : VD(V), Out(O) {}
    static bool isVD(const Expr *E, const VarDecl *VD) {
      const auto *R = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
      return R && R->getDecl() == VD;
    }
    bool VisitBinaryOperator(BinaryOperator *BO) {
      if (BO->getOpcode() == BO_Assign && isVD(BO->getLHS(), VD))
        Out.push_back(BO->getRHS());
      return true;
    }
    bool VisitUnaryOperator(UnaryOperator *UO) {
      if (UO->getOpcode() == UO_AddrOf && isVD(UO->getSubExpr(), VD))
        Escapes = true;
      return true;
    }
  } F(VD, Out);
  F.TraverseStmt(Def->getBody());
  return !F.Escapes;
}

/// The origin of one value of a descriptor. A local of another function (`c->file.fd = fd;`
/// after `fd = mkstemp(...)`) is followed one level, through its assignments.
void originsOf(const Expr *V, ASTContext &Ctx, llvm::SmallVectorImpl<OriginFact> &Out,
               bool FollowLocals) {
  llvm::SmallVector<const Expr *, 4> Leaves;
  valueLeaves(V, Leaves);
  for (const Expr *E : Leaves) {
    OriginFact F;
    Expr::EvalResult R;
    if (!E->isValueDependent() && E->getType()->isIntegerType() && E->EvaluateAsInt(R, Ctx)) {
      F.Kind = R.Val.getInt().isNegative() ? Origin::Sentinel : Origin::Other;
    } else if (const auto *Call = dyn_cast<CallExpr>(E)) {
      F = callOrigin(Call, Ctx);
    } else if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      if (VD && isa<ParmVarDecl>(VD)) {
        F.Kind = Origin::Parameter;
      } else if (VD && FollowLocals && VD->hasLocalStorage() &&
                 !VD->getType()->isReferenceType()) {
        llvm::SmallVector<const Expr *, 4> Values;
        if (assignedValues(VD, Values) && !Values.empty()) {
          for (const Expr *Inner : Values)
            originsOf(Inner, Ctx, Out, false);
          continue;
        }
      }
    }
    Out.push_back(F);
  }
}

/// True if the call \p Call writes the descriptor \p Fd picks out: a write row of the model
/// whose channel it is, a function of this file that writes the parameter it is handed, or one
/// defined elsewhere whose name says it writes. Sizing a file (ftruncate, fallocate) is not a
/// write: it reports its own errors and leaves nothing dirty for the close to report (haproxy
/// sizes a ring's backing file, maps it and closes the descriptor).
bool writesDescriptor(const CallExpr *Call, IsFd Fd, const ApiModel &Model, unsigned Depth);

/// True if the body of \p Def writes its parameter \p P.
bool parameterWritten(const FunctionDecl *Def, const ParmVarDecl *P, const ApiModel &Model,
                      unsigned Depth) {
  struct Finder : RecursiveASTVisitor<Finder> {
    const ParmVarDecl *P;
    const ApiModel &Model;
    unsigned Depth;
    bool Found = false;
    Finder(const ParmVarDecl *P, const ApiModel &M, unsigned D) : P(P), Model(M), Depth(D) {}
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
    bool VisitCallExpr(CallExpr *C) {
      Found |= writesDescriptor(
          C,
          [&](const Expr *E) {
            const auto *R = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
            return R && R->getDecl() == P;
          },
          Model, Depth);
      return !Found;
    }
  } F(P, Model, Depth);
  F.TraverseStmt(Def->getBody());
  return F.Found;
}

bool writesDescriptor(const CallExpr *Call, IsFd Fd, const ApiModel &Model, unsigned Depth) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getIdentifier() || isa<CXXOperatorCallExpr>(Call))
    return false;
  unsigned N = Call->getNumArgs();
  if (ApiOp Op = Model.lookup(FD)) {
    int Ch = Op.Entry->Channel;
    if ((Op.kind() == OpKind::Write || Op.kind() == OpKind::ComposedWrite) && Ch >= 0 &&
        static_cast<unsigned>(Ch) < N && Fd(Call->getArg(Ch)))
      return true;
  }
  for (unsigned I = 0; I < N; ++I) {
    if (!Fd(Call->getArg(I)))
      continue;
    const FunctionDecl *Def = nullptr;
    if (FD->hasBody(Def) && Def) {
      if (Depth < MaxWriterDepth && I < Def->getNumParams() &&
          parameterWritten(Def, Def->getParamDecl(I), Model, Depth + 1))
        return true;
    } else if (namesFileWrite(FD->getName())) {
      return true;
    }
  }
  return false;
}

/// True if \p Call makes what was written to the descriptor durable (fsync, fdatasync): a
/// close after a sync that was checked has nothing deferred left to report.
bool syncsDescriptor(const CallExpr *Call, IsFd Fd, const ApiModel &Model) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || isa<CXXOperatorCallExpr>(Call))
    return false;
  ApiOp Op = Model.lookup(FD);
  int Ch = Op ? Op.Entry->Channel : -1;
  return Op && Op.kind() == OpKind::Sync && Ch >= 0 &&
         static_cast<unsigned>(Ch) < Call->getNumArgs() && Fd(Call->getArg(Ch));
}

/// The first call under \p Root (in this file's main source) for which \p Pred holds.
template <class P> const CallExpr *findCall(const Stmt *Root, P Pred) {
  if (!Root || isa<LambdaExpr>(Root))
    return nullptr;
  if (const auto *C = dyn_cast<CallExpr>(Root))
    if (Pred(C))
      return C;
  for (const Stmt *Child : Root->children())
    if (const CallExpr *C = findCall(Child, Pred))
      return C;
  return nullptr;
}

/// A call of the main file that writes the field \p Field (through any object), or null;
/// with \p Only set, only calls in that function's body.
const CallExpr *fieldWrite(const FieldDecl *Field, const ApiModel &Model, ASTContext &Ctx,
                           const FunctionDecl *Only) {
  auto IsField = [&](const Expr *E) {
    const auto *ME = dyn_cast<MemberExpr>(E->IgnoreParenImpCasts());
    return ME && ME->getMemberDecl() == Field;
  };
  auto Writes = [&](const CallExpr *C) { return writesDescriptor(C, IsField, Model, 0); };
  if (Only)
    return findCall(Only->getBody(), Writes);
  struct Finder : RecursiveASTVisitor<Finder> {
    decltype(Writes) &W;
    const CallExpr *Found = nullptr;
    explicit Finder(decltype(Writes) &W) : W(W) {}
    bool VisitCallExpr(CallExpr *C) {
      if (W(C))
        Found = C;
      return !Found;
    }
  } F(Writes);
  for (Decl *D : mainFileDecls(Ctx)) {
    F.TraverseDecl(D);
    if (F.Found)
      return F.Found;
  }
  return nullptr;
}

/// The opener to name in a message among \p Facts: one that opens for writing if any.
const OriginFact *bestOpen(llvm::ArrayRef<OriginFact> Facts) {
  const OriginFact *Best = nullptr;
  for (const OriginFact &F : Facts) {
    if (F.Kind == Origin::FileWrite)
      return &F;
    if (F.Kind == Origin::FileUnknown && !Best)
      Best = &F;
  }
  return Best;
}

/// The opener to name (bestOpen) among the origins of a descriptor's \p Values, when every
/// value is a file or the -1 sentinel; nothing when one may be something else. The values of
/// a field (\p Handed given) may also be handed in by a caller, which sets \p Handed, and a
/// local of another function they come from is followed one level (originsOf).
std::optional<OriginFact> fileOpenOf(llvm::ArrayRef<const Expr *> Values, ASTContext &Ctx,
                                     bool *Handed) {
  llvm::SmallVector<OriginFact, 4> Facts;
  for (const Expr *V : Values)
    originsOf(V, Ctx, Facts, Handed != nullptr);
  for (const OriginFact &F : Facts) {
    if (F.Kind == Origin::Parameter && Handed) {
      *Handed = true;
      continue;
    }
    if (F.Kind != Origin::Sentinel && F.Kind != Origin::FileWrite &&
        F.Kind != Origin::FileUnknown)
      return std::nullopt;
  }
  if (const OriginFact *Open = bestOpen(Facts))
    return *Open;
  return std::nullopt;
}

/// The written file \p Name (a field's with \p Field), opened by \p Open and written by
/// \p Write.
WrittenFile writtenFile(std::string Name, bool Field, const OriginFact &Open,
                        const CallExpr *Write) {
  WrittenFile W;
  W.Name = std::move(Name);
  W.Field = Field;
  W.Open = Open.Call;
  W.Opener = Open.Opener;
  W.ForWriting = Open.Kind == Origin::FileWrite;
  W.Write = Write;
  W.Writer = nameOf(Write->getDirectCallee());
  return W;
}

std::optional<WrittenFile> localWrittenFile(const CallExpr *Close, const VarDecl *VD,
                                            const ApiModel &Model,
                                            DiscardClassifier &Classifier) {
  llvm::SmallVector<const Expr *, 4> Values;
  if (!Classifier.reachingValues(Close, VD, Values))
    return std::nullopt;
  std::optional<OriginFact> Open = fileOpenOf(Values, Classifier.context(), nullptr);
  if (!Open)
    return std::nullopt;
  auto IsVD = [&](const Expr *E) {
    const auto *R = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    return R && R->getDecl() == VD;
  };
  // Back from the close: a write before a sync or the open on some path.
  const CallExpr *Write = nullptr;
  bool Clean = Classifier.everyPathBackStops(Close, [&](const Stmt *S) {
    if (const auto *BO = dyn_cast<BinaryOperator>(S))
      if (BO->getOpcode() == BO_Assign && IsVD(BO->getLHS()))
        return DiscardClassifier::BackStep::Stop;
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (D == VD)
          return DiscardClassifier::BackStep::Stop;
    const auto *Call = dyn_cast<CallExpr>(S);
    if (!Call || Call == Close)
      return DiscardClassifier::BackStep::Continue;
    if (writesDescriptor(Call, IsVD, Model, 0)) {
      Write = Call;
      return DiscardClassifier::BackStep::Fail;
    }
    if (syncsDescriptor(Call, IsVD, Model))
      return DiscardClassifier::BackStep::Stop;
    return DiscardClassifier::BackStep::Continue;
  });
  if (Clean || !Write)
    return std::nullopt;
  return writtenFile(VD->getNameAsString(), false, *Open, Write);
}

std::optional<WrittenFile> fieldWrittenFile(const CallExpr *Close, const FieldDecl *Field,
                                            const ApiModel &Model,
                                            DiscardClassifier &Classifier) {
  ASTContext &Ctx = Classifier.context();
  llvm::SmallVector<const Expr *, 4> Values;
  if (collectFieldValues(Field, Ctx, Values))
    return std::nullopt; // its address is taken: values drain cannot see
  bool Handed = false;
  std::optional<OriginFact> Open = fileOpenOf(Values, Ctx, &Handed);
  if (!Open)
    return std::nullopt;
  // Every value a file: a write anywhere in this file makes it a written file. Some values
  // handed in by callers (`c->file.fd = fd;` of a parameter): only a file this file opens for
  // writing, written by the very function that closes it.
  const CallExpr *Write = nullptr;
  if (!Handed)
    Write = fieldWrite(Field, Model, Ctx, nullptr);
  else if (Open->Kind == Origin::FileWrite)
    Write = fieldWrite(Field, Model, Ctx, Classifier.focusedFunction());
  if (!Write)
    return std::nullopt;
  return writtenFile(Field->getNameAsString(), true, *Open, Write);
}

/// The path an opening call is handed: its first argument that is a character pointer.
const Expr *openedPath(const CallExpr *Open) {
  for (const Expr *A : Open->arguments()) {
    QualType T = A->IgnoreParenImpCasts()->getType();
    if (T->isPointerType() && T->getPointeeType()->isCharType())
      return A;
  }
  return nullptr;
}

/// The same storage, up to the root: the same chain of fields over locals or parameters of
/// the same type (`hctx->cache_fn` in the function that opens and in the one that removes),
/// or the same variable.
bool samePathShape(const Expr *A, const Expr *B, bool UnderField = false) {
  A = A->IgnoreParenImpCasts();
  B = B->IgnoreParenImpCasts();
  if (const auto *MA = dyn_cast<MemberExpr>(A)) {
    const auto *MB = dyn_cast<MemberExpr>(B);
    return MB && MA->getMemberDecl() == MB->getMemberDecl() && MA->isArrow() == MB->isArrow() &&
           samePathShape(MA->getBase(), MB->getBase(), true);
  }
  if (isa<CXXThisExpr>(A))
    return isa<CXXThisExpr>(B);
  const auto *DA = dyn_cast<DeclRefExpr>(A);
  const auto *DB = dyn_cast<DeclRefExpr>(B);
  if (!DA || !DB)
    return false;
  if (DA->getDecl() == DB->getDecl())
    return true;
  // Two functions' names for the same kind of object (`hctx` here and there).
  const auto *VA = dyn_cast<VarDecl>(DA->getDecl());
  const auto *VB = dyn_cast<VarDecl>(DB->getDecl());
  return UnderField && VA && VB && VA->hasLocalStorage() && VB->hasLocalStorage() &&
         VA->getDeclContext() != VB->getDeclContext() &&
         VA->getType().getCanonicalType().getUnqualifiedType() ==
             VB->getType().getCanonicalType().getUnqualifiedType();
}

/// True if \p Path is a field of the object \p Object (`hctx->jfn` or `hctx->jfn->ptr` for
/// `hctx`): a file name the same object keeps.
bool pathOfObject(const Expr *Path, const Expr *Object) {
  const Expr *E = Path->IgnoreParenImpCasts();
  for (unsigned I = 0; I < 6; ++I) {
    const auto *ME = dyn_cast<MemberExpr>(E);
    if (!ME)
      return false;
    E = ME->getBase()->IgnoreParenImpCasts();
    if (samePathShape(E, Object) && (isa<DeclRefExpr>(E) || isa<CXXThisExpr>(E)))
      return true;
  }
  return false;
}

/// The path \p C deletes the file at, if its callee is a FileRemover of the model.
const Expr *removedPath(const CallExpr *C, const ApiModel &Model) {
  const FunctionDecl *FD = C->getDirectCallee();
  if (!FD || !FD->getIdentifier())
    return nullptr;
  const RoleEntry *R = Model.tableRole(FD, FunctionRole::FileRemover);
  return R && R->Arg >= 0 && static_cast<unsigned>(R->Arg) < C->getNumArgs()
             ? C->getArg(R->Arg)
             : nullptr;
}

/// True if \p C removes the file at a path shaped like \p Path.
bool removesPath(const CallExpr *C, const Expr *Path, const ApiModel &Model) {
  const Expr *Removed = removedPath(C, Model);
  return Removed && samePathShape(Removed, Path);
}

/// Which side of a test of a write's result \p X is the failure (or short-count) side:
/// true for the then-branch, false for the else-branch, nothing when the test is not one.
std::optional<bool> failureSide(const Expr *Cond, llvm::function_ref<bool(const Expr *)> IsResult,
                                ASTContext &Ctx) {
  Cond = Cond->IgnoreParenImpCasts();
  // `__builtin_expect((n < 0), 0)` (likely()/unlikely()) tests what it wraps.
  if (const auto *C = dyn_cast<CallExpr>(Cond))
    if (C->getBuiltinCallee() == Builtin::BI__builtin_expect && C->getNumArgs() == 2)
      return failureSide(C->getArg(0), IsResult, Ctx);
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond); UO && UO->getOpcode() == UO_LNot) {
    // `if (!write_all(fd, b, n))`: nothing (or false) came back.
    if (IsResult(UO->getSubExpr()))
      return true;
    std::optional<bool> Inner = failureSide(UO->getSubExpr(), IsResult, Ctx);
    if (Inner)
      return !*Inner;
    return std::nullopt;
  }
  // `if (write_all(fd, b, n)) ... else close(fd);` of a bool result.
  if (Cond->getType()->isBooleanType() && IsResult(Cond))
    return false;
  const auto *BO = dyn_cast<BinaryOperator>(Cond);
  if (!BO)
    return std::nullopt;
  if (BO->getOpcode() == BO_LOr) {
    // `if (n < 0 || n != len)`: either side failing takes the then-branch.
    std::optional<bool> L = failureSide(BO->getLHS(), IsResult, Ctx);
    std::optional<bool> R = failureSide(BO->getRHS(), IsResult, Ctx);
    if ((L && *L) || (R && *R))
      return true;
    return std::nullopt;
  }
  if (!BO->isComparisonOp())
    return std::nullopt;
  BinaryOperatorKind Op = BO->getOpcode();
  const Expr *Other = nullptr;
  if (IsResult(BO->getLHS())) {
    Other = BO->getRHS();
  } else if (IsResult(BO->getRHS())) {
    Other = BO->getLHS();
    // Mirror `0 > n` into `n < 0`.
    if (Op == BO_LT)
      Op = BO_GT;
    else if (Op == BO_GT)
      Op = BO_LT;
    else if (Op == BO_LE)
      Op = BO_GE;
    else if (Op == BO_GE)
      Op = BO_LE;
  } else {
    return std::nullopt;
  }
  Expr::EvalResult R;
  Other = Other->IgnoreParenImpCasts();
  bool NegativeConst = !Other->isValueDependent() && Other->EvaluateAsInt(R, Ctx) &&
                       R.Val.getInt().isNegative();
  switch (Op) {
  case BO_LT:
  case BO_LE:
    return true; // n < 0, n < len
  case BO_GT:
  case BO_GE:
    return false; // n >= 0, n > 0: failure in the else-branch
  case BO_EQ:
    return NegativeConst; // n == -1: then; n == len: else
  case BO_NE:
    return !NegativeConst; // n != len: then; n != -1: else
  default:
    return std::nullopt;
  }
}

} // namespace

std::optional<WrittenFile> closedWrittenFile(const CallExpr *Close, unsigned FdArg,
                                             const ApiModel &Model,
                                             DiscardClassifier &Classifier) {
  if (FdArg >= Close->getNumArgs())
    return std::nullopt;
  const Expr *Fd = Close->getArg(FdArg)->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Fd)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD || isa<ParmVarDecl>(VD) || !VD->hasLocalStorage() ||
        VD->getType()->isReferenceType())
      return std::nullopt;
    return localWrittenFile(Close, VD, Model, Classifier);
  }
  if (const auto *ME = dyn_cast<MemberExpr>(Fd))
    if (const auto *Field = dyn_cast<FieldDecl>(ME->getMemberDecl()))
      return fieldWrittenFile(Close, Field, Model, Classifier);
  return std::nullopt;
}

bool closedAfterFailedWrite(const CallExpr *Close, unsigned FdArg, const ApiModel &Model,
                            DiscardClassifier &Classifier) {
  if (FdArg >= Close->getNumArgs())
    return false;
  const Expr *Fd = Close->getArg(FdArg)->IgnoreParenImpCasts();
  auto SameFd = [&](const Expr *E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *A = dyn_cast<DeclRefExpr>(Fd)) {
      const auto *B = dyn_cast<DeclRefExpr>(E);
      return B && A->getDecl() == B->getDecl();
    }
    if (const auto *A = dyn_cast<MemberExpr>(Fd)) {
      const auto *B = dyn_cast<MemberExpr>(E);
      return B && A->getMemberDecl() == B->getMemberDecl();
    }
    return false;
  };
  // A write's result: the call itself, or a local some assignment gives a write of this
  // descriptor (`written = write(fd, mem, len)`).
  auto IsResult = [&](const Expr *E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *C = dyn_cast<CallExpr>(E))
      return writesDescriptor(C, SameFd, Model, 0);
    if (const auto *BO = dyn_cast<BinaryOperator>(E))
      if (BO->getOpcode() == BO_Assign)
        if (const auto *C = dyn_cast<CallExpr>(BO->getRHS()->IgnoreParenImpCasts()))
          return writesDescriptor(C, SameFd, Model, 0);
    const auto *R = dyn_cast<DeclRefExpr>(E);
    const auto *VD = R ? dyn_cast<VarDecl>(R->getDecl()) : nullptr;
    if (!VD || !VD->hasLocalStorage() || isa<ParmVarDecl>(VD))
      return false;
    llvm::SmallVector<const Expr *, 4> Values;
    if (!assignedValues(VD, Values))
      return false;
    for (const Expr *V : Values)
      if (const auto *C = dyn_cast<CallExpr>(V->IgnoreParenImpCasts()))
        if (writesDescriptor(C, SameFd, Model, 0))
          return true;
    return false;
  };
  ASTContext &Ctx = Classifier.context();
  const Stmt *Cur = Close;
  for (unsigned I = 0; I < 32; ++I) {
    const Stmt *P = Classifier.parent(*Cur).get<Stmt>();
    if (!P || isa<LambdaExpr>(P))
      return false;
    if (const auto *If = dyn_cast<IfStmt>(P)) {
      bool InThen = If->getThen() == Cur, InElse = If->getElse() == Cur;
      if (InThen || InElse)
        if (std::optional<bool> Side = failureSide(If->getCond(), IsResult, Ctx))
          if (*Side == InThen)
            return true;
    }
    Cur = P;
  }
  return false;
}

bool closedFileRemoved(const CallExpr *Close, unsigned FdArg, const WrittenFile &File,
                       const ApiModel &Model, DiscardClassifier &Classifier) {
  const Expr *Path = File.Open ? openedPath(File.Open) : nullptr;
  const FunctionDecl *Fn = Classifier.focusedFunction();
  if (!Fn || !Fn->getBody())
    return false;
  // A descriptor kept in an object whose own file name is removed first (`unlink(hctx->jfn);
  // ... close(hctx->jfd);`): the object's file is being abandoned.
  const auto *FdField =
      FdArg < Close->getNumArgs()
          ? dyn_cast<MemberExpr>(Close->getArg(FdArg)->IgnoreParenImpCasts())
          : nullptr;
  const Expr *Object = FdField ? FdField->getBase()->IgnoreParenImpCasts() : nullptr;
  if (Object && !isa<DeclRefExpr>(Object) && !isa<CXXThisExpr>(Object))
    Object = nullptr;
  if (!Path && !Object)
    return false;
  const SourceManager &SM = Classifier.context().getSourceManager();
  auto Removes = [&](const CallExpr *C) {
    if (Path && removesPath(C, Path, Model))
      return true;
    const Expr *Removed = Object ? removedPath(C, Model) : nullptr;
    return Removed && pathOfObject(Removed, Object);
  };
  // Removed before the close, in this function (`if (hctx->cache_fn) unlink(hctx->cache_fn);
  // ... close(hctx->cache_fd);`, `fd = mkstemp(p); unlink(p);`).
  if (findCall(Fn->getBody(), [&](const CallExpr *C) {
        return Removes(C) &&
               SM.isBeforeInTranslationUnit(C->getBeginLoc(), Close->getBeginLoc());
      }))
    return true;
  // Removed right after it, unconditionally: the statements after the close in its block (a
  // close under `if (fd >= 0)` is judged where the `if` stands).
  const Stmt *S = Close;
  for (unsigned I = 0; I < 8; ++I) {
    const Stmt *P = Classifier.parent(*S).get<Stmt>();
    if (!P)
      return false;
    if (const auto *CS = dyn_cast<CompoundStmt>(P)) {
      bool After = false;
      for (const Stmt *B : CS->body()) {
        if (B == S) {
          After = true;
          continue;
        }
        const auto *E = dyn_cast<Expr>(B);
        const auto *C = E ? dyn_cast<CallExpr>(E->IgnoreParenImpCasts()) : nullptr;
        if (After && C && Path && removesPath(C, Path, Model))
          return true;
      }
      return false;
    }
    if (const auto *If = dyn_cast<IfStmt>(P))
      if (If->getThen() != S || If->getElse())
        return false;
    S = P;
  }
  return false;
}

} // namespace drain
