//===--- RaiiClosers.cpp - streams closed by an RAII holder's deleter -----===//
#include "analysis/core/RaiiClosers.h"
#include "analysis/core/Callees.h"
#include "analysis/core/StdioStreams.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace drain {

namespace {

/// How deep a closer's body, or the values on the way from the opener to the holder, are
/// followed; real code nests neither deeply.
constexpr unsigned MaxDepth = 24;

/// A close the model knows (fclose, a project's close helper inferred from its body).
bool isCloseCall(const CallExpr *Call, const ApiModel &Model) {
  Callee C = calleeOf(Call);
  ApiOp Op = C ? Model.lookup(C) : ApiOp();
  return Op && Op.kind() == OpKind::Close;
}

/// What a closer's body does with the closes it calls.
struct CloseScan {
  unsigned Total = 0;
  unsigned Dropped = 0;
  const CallExpr *First = nullptr;
};

/// True if \p Child of \p S is in a slot whose value nobody sees: a statement of a block, the
/// branch of an if, a cast to void, or the value a deleter returns to a holder that ignores it.
bool droppingSlot(const Stmt *S, const Stmt *Child) {
  if (isa<CompoundStmt>(S) || isa<ReturnStmt>(S))
    return true;
  if (const auto *If = dyn_cast<IfStmt>(S))
    return Child == If->getThen() || Child == If->getElse();
  if (const auto *Cast = dyn_cast<ExplicitCastExpr>(S))
    return Cast->getType()->isVoidType();
  return false;
}

void scanCloses(const Stmt *S, bool Dropping, const ApiModel &Model, CloseScan &Out,
                unsigned Depth) {
  if (!S || Depth > MaxDepth || isa<LambdaExpr>(S))
    return;
  if (const auto *Call = dyn_cast<CallExpr>(S); Call && isCloseCall(Call, Model)) {
    ++Out.Total;
    if (Dropping) {
      ++Out.Dropped;
      if (!Out.First)
        Out.First = Call;
    }
  }
  // Implicit nodes and parentheses hand the slot on to what they wrap.
  bool Wrapper = isa<ImplicitCastExpr>(S) || isa<ParenExpr>(S) || isa<ExprWithCleanups>(S);
  for (const Stmt *Child : S->children())
    scanCloses(Child, (Wrapper && Dropping) || droppingSlot(S, Child), Model, Out, Depth + 1);
}

/// The closer: the function that closes the stream for the holder.
struct Deleter {
  const FunctionDecl *Fn = nullptr;
  std::string Phrase; ///< "the deleter 'close_file'", "a lambda deleter"
};

const CXXMethodDecl *callOperator(const CXXRecordDecl *RD) {
  if (!RD || !RD->hasDefinition())
    return nullptr;
  if (RD->isLambda())
    return RD->getLambdaCallOperator();
  for (const CXXMethodDecl *M : RD->methods())
    if (M->getOverloadedOperator() == OO_Call)
      return M;
  return nullptr;
}

std::optional<Deleter> functionObjectDeleter(QualType T) {
  const CXXRecordDecl *RD = T.isNull() ? nullptr : T->getAsCXXRecordDecl();
  const CXXMethodDecl *Op = callOperator(RD);
  if (!Op)
    return std::nullopt;
  if (RD->isLambda())
    return Deleter{Op, "a lambda deleter"};
  return Deleter{Op, "the deleter '" + RD->getNameAsString() + "'"};
}

/// The deleter handed to the holder's constructor: a function (`close_file`, `&fclose`), a
/// lambda, a local holding one, or a function object.
std::optional<Deleter> argumentDeleter(const Expr *Arg) {
  const Expr *E = Arg->IgnoreParenImpCasts();
  for (unsigned I = 0; I < 4; ++I) {
    if (const auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_AddrOf)
      E = U->getSubExpr()->IgnoreParenImpCasts();
    else if (const auto *CE = dyn_cast<CXXConstructExpr>(E); CE && CE->getNumArgs() == 1)
      E = CE->getArg(0)->IgnoreParenImpCasts();
    else if (const auto *MT = dyn_cast<MaterializeTemporaryExpr>(E))
      E = MT->getSubExpr()->IgnoreParenImpCasts();
    else
      break;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl()))
      return Deleter{FD, "the deleter '" + FD->getNameAsString() + "'"};
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    const auto *L =
        VD && VD->getInit() ? dyn_cast<LambdaExpr>(VD->getInit()->IgnoreImplicit()) : nullptr;
    if (L)
      return Deleter{L->getCallOperator(), "the deleter '" + VD->getNameAsString() + "'"};
  }
  if (const auto *L = dyn_cast<LambdaExpr>(E))
    return Deleter{L->getCallOperator(), "a lambda deleter"};
  return functionObjectDeleter(E->getType());
}

/// Who closes what \p Construct is handed: a deleter argument, a function object named by
/// the holder's type (`unique_ptr<FILE, FileCloser>`), or the holder's own destructor.
std::optional<Deleter> deleterOf(const CXXConstructExpr *Construct, const Expr *StreamArg,
                                 const CXXRecordDecl *RD) {
  for (const Expr *Arg : Construct->arguments())
    if (Arg != StreamArg && !isa<CXXDefaultArgExpr>(Arg))
      if (std::optional<Deleter> D = argumentDeleter(Arg))
        return D;
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
    for (const TemplateArgument &TA : Spec->getTemplateArgs().asArray())
      if (TA.getKind() == TemplateArgument::Type)
        if (std::optional<Deleter> D = functionObjectDeleter(TA.getAsType()))
          return D;
  if (const CXXDestructorDecl *Dtor = RD->getDestructor(); Dtor && Dtor->isUserProvided())
    return Deleter{Dtor, "the destructor of '" + RD->getNameAsString() + "'"};
  return std::nullopt;
}

/// The close the deleter \p Fn makes with its result dropped: the close row itself (the
/// holder drops what it answers), or the one close a body of this file calls, none of whose
/// closes is looked at. Sets \p CloseName to the close's callee.
bool dropsClose(const FunctionDecl *Fn, const ApiModel &Model, std::string &CloseName,
                const CallExpr *&Close) {
  const FunctionDecl *Def = Fn->getDefinition();
  const SourceManager &SM = Fn->getASTContext().getSourceManager();
  if (!Def || SM.isInSystemHeader(Def->getLocation())) {
    ApiOp Op = Model.lookup(Fn);
    if (!Op || Op.kind() != OpKind::Close || !(Op.Entry->Flags & AF_StdioStream))
      return false;
    CloseName = Fn->getNameAsString();
    return true;
  }
  CloseScan Scan;
  scanCloses(Def->getBody(), false, Model, Scan, 0);
  if (!Scan.Total || Scan.Dropped != Scan.Total)
    return false;
  Close = Scan.First;
  const FunctionDecl *Callee = Close->getDirectCallee();
  CloseName = Callee ? Callee->getNameAsString() : calleeOf(Close).name();
  return true;
}

/// The text of a string literal of any character width, if it is plain ASCII.
std::optional<std::string> asciiText(const StringLiteral *SL) {
  std::string S;
  for (unsigned I = 0, N = SL->getLength(); I < N; ++I) {
    uint32_t C = SL->getCodeUnit(I);
    if (C > 127)
      return std::nullopt;
    S.push_back(static_cast<char>(C));
  }
  return S;
}

/// Collects the stdio modes \p E may be: a literal or a choice between literals.
void collectModes(const Expr *E, llvm::SmallVectorImpl<std::string> &Modes, unsigned Depth) {
  E = E->IgnoreParenImpCasts();
  if (const auto *CO = dyn_cast<ConditionalOperator>(E); CO && Depth < 4) {
    collectModes(CO->getTrueExpr(), Modes, Depth + 1);
    collectModes(CO->getFalseExpr(), Modes, Depth + 1);
  } else if (const auto *SL = dyn_cast<StringLiteral>(E)) {
    if (std::optional<std::string> T = asciiText(SL); T && isStdioMode(*T))
      Modes.push_back(*T);
  }
}

/// Whether the opener's modes write (every mode it may be writes), read (one reads only), or
/// are not to be seen (none is a literal).
std::optional<bool> modeWrites(const CallExpr *Open) {
  llvm::SmallVector<std::string, 2> Modes;
  for (const Expr *Arg : Open->arguments())
    collectModes(Arg, Modes, 0);
  if (Modes.empty())
    return std::nullopt;
  return llvm::none_of(
      Modes, [](const std::string &M) { return M[0] == 'r' && M.find('+') == std::string::npos; });
}

/// What the function does with the holder and the stream it holds.
struct HolderUses {
  bool Written = false;    ///< a write row is handed the stream
  bool ClosedHere = false; ///< the function closes, flushes or syncs it (or a callee flushes it)
  bool Escapes = false;    ///< the holder or the raw stream leaves the function's hands
};

/// True if \p Def, a function of this file, flushes, closes or syncs its parameter \p Param.
bool calleeCompletes(const FunctionDecl *Def, const ParmVarDecl *Param, const ApiModel &Model,
                     const Stmt *S, unsigned Depth) {
  if (!S || Depth > MaxDepth)
    return false;
  if (const auto *Call = dyn_cast<CallExpr>(S)) {
    Callee C = calleeOf(Call);
    ApiOp Op = C ? Model.lookup(C) : ApiOp();
    int Ch = Op ? Op.Entry->Channel : ChannelNone;
    bool Completes = Op && (Op.kind() == OpKind::Flush || Op.kind() == OpKind::Close ||
                            Op.kind() == OpKind::Sync);
    if (Completes && Ch >= 0 && static_cast<unsigned>(Ch) < Call->getNumArgs()) {
      const auto *DRE = dyn_cast<DeclRefExpr>(Call->getArg(Ch)->IgnoreParenImpCasts());
      if (DRE && DRE->getDecl() == Param)
        return true;
    }
  }
  for (const Stmt *Child : S->children())
    if (calleeCompletes(Def, Param, Model, Child, Depth + 1))
      return true;
  return false;
}

/// What the call \p Call does with the stream handed as its argument \p Index.
void streamArgument(const CallExpr *Call, unsigned Index, const ApiModel &Model, HolderUses &U) {
  Callee C = calleeOf(Call);
  ApiOp Op = C ? Model.lookup(C) : ApiOp();
  if (Op && Op.Entry->Channel == static_cast<int>(Index)) {
    OpKind K = Op.kind();
    if (K == OpKind::Write || K == OpKind::ComposedWrite)
      U.Written = true;
    if (K == OpKind::Flush || K == OpKind::Close || K == OpKind::Sync)
      U.ClosedHere = true;
    return;
  }
  const FunctionDecl *Def = C.Function ? C.Function->getDefinition() : nullptr;
  if (!Def || Index >= Def->getNumParams())
    return;
  const SourceManager &SM = Def->getASTContext().getSourceManager();
  if (!SM.isInSystemHeader(Def->getLocation()) &&
      calleeCompletes(Def, Def->getParamDecl(Index), Model, Def->getBody(), 0))
    U.ClosedHere = true;
}

void followStream(const Expr *E, const ApiModel &Model, DiscardClassifier &Classifier,
                  HolderUses &U, unsigned Depth);

/// The uses of a local handed the raw stream (`FILE *raw = f.release();`).
void followLocal(const VarDecl *VD, const ApiModel &Model, DiscardClassifier &Classifier,
                 HolderUses &U, unsigned Depth) {
  if (!VD->hasLocalStorage() || Depth > 1) {
    U.Escapes = true;
    return;
  }
  for (const DeclRefExpr *Ref : Classifier.references(VD))
    followStream(Ref, Model, Classifier, U, Depth + 1);
}

/// Where the stream \p E (taken from the holder) goes: a write, a completion, a callee of
/// this file, a local, or out of the function.
void followStream(const Expr *E, const ApiModel &Model, DiscardClassifier &Classifier,
                  HolderUses &U, unsigned Depth) {
  const Stmt *Cur = E;
  for (unsigned I = 0; I < MaxDepth; ++I) {
    DynTypedNode P = Classifier.parent(*Cur);
    if (const auto *VD = P.get<VarDecl>())
      return followLocal(VD, Model, Classifier, U, Depth);
    const Stmt *PS = P.get<Stmt>();
    if (!PS)
      return;
    if (isa<ImplicitCastExpr>(PS) || isa<ParenExpr>(PS) || isa<ExplicitCastExpr>(PS)) {
      Cur = PS;
      continue;
    }
    if (const auto *Call = dyn_cast<CallExpr>(PS)) {
      for (unsigned A = 0; A < Call->getNumArgs(); ++A)
        if (Call->getArg(A) == Cur)
          streamArgument(Call, A, Model, U);
      return;
    }
    const auto *BO = dyn_cast<BinaryOperator>(PS);
    if (isa<ReturnStmt>(PS) || (BO && BO->isAssignmentOp() && BO->getRHS() == Cur))
      U.Escapes = true;
    return;
  }
}

/// True if the holder's method \p MD closes or flushes what it holds itself (`bool
/// File::close()` answering fclose's result): a row of the model, or a body of this file that
/// calls a close.
bool memberCompletes(const CXXMethodDecl *MD, const ApiModel &Model) {
  if (!MD || isa<CXXDestructorDecl>(MD))
    return false;
  ApiOp Op = Model.lookup(MD);
  if (Op && (Op.kind() == OpKind::Flush || Op.kind() == OpKind::Close || Op.kind() == OpKind::Sync))
    return true;
  const FunctionDecl *Def = MD->getDefinition();
  if (!Def || Def->getASTContext().getSourceManager().isInSystemHeader(Def->getLocation()))
    return false;
  CloseScan Scan;
  scanCloses(Def->getBody(), false, Model, Scan, 0);
  return Scan.Total > 0;
}

/// The uses of the holder itself: a member or operator that yields the stream (`file.data`,
/// `f.get()`, `f.release()`, `*f`) is followed; the holder handed anywhere else (moved,
/// passed by reference, returned, its address taken) escapes.
HolderUses holderUses(const VarDecl *Holder, QualType StreamType, const ApiModel &Model,
                      DiscardClassifier &Classifier) {
  HolderUses U;
  for (const DeclRefExpr *Ref : Classifier.references(Holder)) {
    const Stmt *Cur = Ref;
    DynTypedNode P = Classifier.parent(*Cur);
    while (P.get<ImplicitCastExpr>() || P.get<ParenExpr>()) {
      Cur = P.get<Stmt>();
      P = Classifier.parent(*Cur);
    }
    const Expr *Stream = nullptr;
    if (const auto *ME = P.get<MemberExpr>()) {
      Stream = ME;
      DynTypedNode PP = Classifier.parent(*ME);
      if (const auto *MC = PP.get<CXXMemberCallExpr>(); MC && MC->getCallee() == ME) {
        Stream = MC;
        if (memberCompletes(MC->getMethodDecl(), Model))
          U.ClosedHere = true;
      }
    } else if (const auto *Op = P.get<CXXOperatorCallExpr>();
               Op && Op->getNumArgs() >= 1 && Op->getArg(0) == Cur) {
      Stream = Op;
    } else {
      U.Escapes = true;
      continue;
    }
    // A holder template's `T *` or `pointer` has lost the FILE spelling: compare types.
    if (Stream->getType().getCanonicalType() == StreamType)
      followStream(Stream, Model, Classifier, U, 0);
  }
  return U;
}

/// The local holder \p Open's stream initializes, and the construction that hands it over.
const VarDecl *holderOf(const CallExpr *Open, DiscardClassifier &Classifier,
                        const CXXConstructExpr *&Construct, const Expr *&StreamArg) {
  const Stmt *Cur = Open;
  Construct = nullptr;
  for (unsigned I = 0; I < MaxDepth; ++I) {
    DynTypedNode P = Classifier.parent(*Cur);
    if (const auto *VD = P.get<VarDecl>())
      return Construct ? VD : nullptr;
    const Stmt *PS = P.get<Stmt>();
    if (!PS)
      return nullptr;
    if (const auto *CE = dyn_cast<CXXConstructExpr>(PS); CE && !Construct) {
      Construct = CE;
      StreamArg = cast<Expr>(Cur);
    } else if (!isa<ImplicitCastExpr>(PS) && !isa<ParenExpr>(PS) &&
               !isa<MaterializeTemporaryExpr>(PS) && !isa<CXXBindTemporaryExpr>(PS) &&
               !isa<ExprWithCleanups>(PS) && !isa<CXXFunctionalCastExpr>(PS) &&
               !isa<CXXConstructExpr>(PS)) {
      return nullptr;
    }
    Cur = PS;
  }
  return nullptr;
}

/// A function's answer that says whether its work was done: bool, an integer, an enum.
bool answersStatus(const FunctionDecl *FD) {
  QualType T = FD->getReturnType();
  return !T.isNull() && (T->isBooleanType() || T->isIntegerType() || T->isEnumeralType());
}

} // namespace

std::optional<Finding> findHolderDroppedClose(const CallExpr *Open, const ApiModel &Model,
                                              DiscardClassifier &Classifier) {
  // Cheap tests first: this is asked about every call.
  const FunctionDecl *Fn = Classifier.focusedFunction();
  if (!Fn || !isFilePointer(Open->getType()) || !answersStatus(Fn) ||
      !isStreamOpenerCall(Open, Model))
    return std::nullopt;
  const CXXConstructExpr *Construct = nullptr;
  const Expr *StreamArg = nullptr;
  const VarDecl *Holder = holderOf(Open, Classifier, Construct, StreamArg);
  const CXXRecordDecl *RD = Holder ? Holder->getType()->getAsCXXRecordDecl() : nullptr;
  if (!RD || !Holder->hasLocalStorage() || Holder->getType()->isReferenceType())
    return std::nullopt;
  std::optional<bool> Writes = modeWrites(Open);
  if (Writes && !*Writes)
    return std::nullopt;
  std::optional<Deleter> D = deleterOf(Construct, StreamArg, RD);
  std::string CloseName;
  const CallExpr *Close = nullptr;
  if (!D || !dropsClose(D->Fn, Model, CloseName, Close))
    return std::nullopt;
  HolderUses U = holderUses(Holder, Open->getType().getCanonicalType(), Model, Classifier);
  if (U.Escapes || U.ClosedHere || !(U.Written || Writes.value_or(false)))
    return std::nullopt;

  Finding F;
  F.Loc = Holder->getLocation();
  F.Message = "stream '" + Holder->getNameAsString() + "' is closed only by " + D->Phrase +
              ", which drops the result of '" + CloseName + "'; '" + Fn->getNameAsString() +
              "' can answer success for data that never reached the file";
  if (Close)
    F.Notes.push_back({Close->getBeginLoc(), "the stream is closed here and the result of '" +
                                                 CloseName + "' is dropped"});
  F.Notes.push_back({F.Loc, "close the stream in the function and test the result (the holder "
                            "then closes it only on the failure paths), or flush it and test "
                            "that before answering"});
  return F;
}

} // namespace drain
