//===--- RefinementTable.cpp - what a branch condition tells about the state ---===//
#include "analysis/flow/RefinementTable.h"
#include "analysis/flow/Channels.h"
#include "analysis/flow/ResultParts.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/Stmt.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <algorithm>
#include <map>

using namespace clang;

namespace drain {

//===--- helpers ----------------------------------------------------------===//

namespace {

const uint8_t RC_Known = RC_Pending | RC_Ready | RC_Error;

BinaryOperatorKind mirror(BinaryOperatorKind Op) {
  switch (Op) {
  case BO_LT: return BO_GT;
  case BO_GT: return BO_LT;
  case BO_LE: return BO_GE;
  case BO_GE: return BO_LE;
  default: return Op;
  }
}

BinaryOperatorKind negate(BinaryOperatorKind Op) {
  switch (Op) {
  case BO_LT: return BO_GE;
  case BO_GE: return BO_LT;
  case BO_GT: return BO_LE;
  case BO_LE: return BO_GT;
  case BO_EQ: return BO_NE;
  case BO_NE: return BO_EQ;
  default: return Op;
  }
}

bool isRelational(BinaryOperatorKind Op) {
  return Op == BO_EQ || Op == BO_NE || Op == BO_LT || Op == BO_GT || Op == BO_LE ||
         Op == BO_GE;
}

std::optional<BinaryOperatorKind> comparisonOf(OverloadedOperatorKind O) {
  switch (O) {
  case OO_EqualEqual: return BO_EQ;
  case OO_ExclaimEqual: return BO_NE;
  case OO_Less: return BO_LT;
  case OO_Greater: return BO_GT;
  case OO_LessEqual: return BO_LE;
  case OO_GreaterEqual: return BO_GE;
  default: return std::nullopt;
  }
}

/// Classes a byte count `n Op V` selects. Counts: Ready is n == len, Pending 0 < n < len
/// (a short write), Error n <= 0 (a socket write of a non-empty buffer returns 0 only when
/// something is wrong; EAGAIN is -1). TLS counts (SSL_write): Ready is n > 0, <= 0 is Pending
/// or Error (SSL_get_error tells). \p V is the constant compared with, or nullopt for a
/// non-constant (the length).
uint8_t countMask(BinaryOperatorKind Op, std::optional<int64_t> V, bool Tls) {
  const uint8_t Written = Tls ? RC_Ready : RC_Ready | RC_Pending; // n > 0
  const uint8_t Failed = Tls ? RC_Pending | RC_Error : RC_Error; // n <= 0
  if (V && *V <= 0) {
    // n Op 0 or n Op -1: a test that separates n > 0 from n <= 0 (or says nothing).
    bool Zero = *V == 0;
    switch (Op) {
    case BO_LT: return Zero ? Failed : (Tls ? Failed : RC_Error);
    case BO_LE: return Failed;
    case BO_EQ: return Failed;
    case BO_GT: return Zero ? Written : RC_Known;
    case BO_GE: return RC_Known;
    default: return RC_Known;
    }
  }
  // Compared with the length (or a positive constant: a fixed-size message).
  switch (Op) {
  case BO_EQ: case BO_GE: return RC_Ready;
  case BO_NE: case BO_LT: return RC_Pending | RC_Error;
  default: return RC_Known;
  }
}

/// The class of an enumerator by name (for switch defaults, where there is no expression).
uint8_t classOfEnumerator(const EnumConstantDecl *C, const ApiModel &Model) {
  if (ApiModel::hasAnnotation(C, "drain::pending"))
    return RC_Pending;
  if (ApiModel::hasAnnotation(C, "drain::ready"))
    return RC_Ready;
  const StateVocabulary &V = Model.vocabulary();
  if (V.isPending(C->getName()))
    return RC_Pending;
  if (V.isReady(C->getName()))
    return RC_Ready;
  if (V.isError(C->getName()))
    return RC_Error;
  return RC_Other;
}

/// True if the constant is the only one of its class in its enum (so `!= it` excludes the
/// class). Macro constants (SSL_ERROR_WANT_WRITE) are taken as the only one.
bool soleOfClass(const Expr *E, uint8_t Class, const ApiModel &Model) {
  const auto *DRE = llvm::dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  if (!DRE)
    return true;
  const auto *ECD = llvm::dyn_cast<EnumConstantDecl>(DRE->getDecl());
  if (!ECD)
    return true;
  const auto *ED = llvm::dyn_cast<EnumDecl>(ECD->getDeclContext());
  if (!ED)
    return true;
  unsigned N = 0;
  for (const EnumConstantDecl *C : ED->enumerators())
    if (classOfEnumerator(C, Model) == Class)
      ++N;
  return N <= 1;
}

/// The classes `x == C` (or `x != C`) leaves for a value compared with a constant of class
/// \p C: `!=` excludes C only when the constant is the only one of its class.
uint8_t equalityMask(BinaryOperatorKind Op, const Expr *Constant, uint8_t C,
                     const ApiModel &Model) {
  if (Op == BO_EQ)
    return C;
  return (C == RC_Other || !soleOfClass(Constant, C, Model)) ? static_cast<uint8_t>(RC_All)
                                                               : static_cast<uint8_t>(RC_All & ~C);
}

bool isLoop(const Stmt *T) {
  return llvm::isa<WhileStmt>(T) || llvm::isa<ForStmt>(T) || llvm::isa<DoStmt>(T);
}

const Expr *loopCondition(const Stmt *T) {
  if (const auto *W = llvm::dyn_cast<WhileStmt>(T))
    return W->getCond();
  if (const auto *F = llvm::dyn_cast<ForStmt>(T))
    return F->getCond();
  if (const auto *D = llvm::dyn_cast<DoStmt>(T))
    return D->getCond();
  return nullptr;
}

/// Calls \p Fn for each variable with a Progress fact that \p E mentions.
template <typename Fn> void forEachProgressVar(FlowState &S, const Expr *E, Fn &&F) {
  llvm::SmallVector<const Stmt *, 16> Work{E};
  llvm::SmallVector<Fact, 2> Found;
  for (unsigned Steps = 0; !Work.empty() && Steps < 64; ++Steps) {
    const Stmt *Cur = Work.pop_back_val();
    if (!Cur)
      continue;
    const Fact *P = nullptr;
    if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(Cur))
      P = S.factOfVar(DRE->getDecl());
    else if (const auto *ME = llvm::dyn_cast<MemberExpr>(Cur))
      if (std::optional<ChannelKey> Counter = progressCounter(ME))
        P = S.factOfCounter(*Counter);
    if (P && P->Shape == FactShape::Progress)
      Found.push_back(*P);
    for (const Stmt *Child : Cur->children())
      Work.push_back(Child);
  }
  for (const Fact &P : Found)
    F(P);
}

/// The write-buffer member an expression mentions (`&stream->write_queue`), if any.
const MemberExpr *bufferMemberIn(const Expr *E, const ChannelResolver &Channels) {
  llvm::SmallVector<const Stmt *, 16> Work{E};
  for (unsigned Steps = 0; !Work.empty() && Steps < 64; ++Steps) {
    const Stmt *Cur = Work.pop_back_val();
    if (!Cur)
      continue;
    if (const auto *ME = llvm::dyn_cast<MemberExpr>(Cur))
      if (Channels.hasBufferName(llvm::dyn_cast<FieldDecl>(ME->getMemberDecl())))
        return ME;
    for (const Stmt *C : Cur->children())
      Work.push_back(C);
  }
  return nullptr;
}

/// The buffer size member \p E is (`c->outbuf_len`; `c->out.len`, the count of a C struct's
/// write buffer held as a struct of its own), if it is one.
const MemberExpr *bufferSizeMember(const Expr *E, const ChannelResolver &Channels) {
  const auto *ME = llvm::dyn_cast<MemberExpr>(E);
  return Channels.isBufferCount(ME) ? ME : nullptr;
}

/// The fact \p E reads and the part of it (ResultParts.h): a variable's or expression's own
/// fact with its part, or the fact of the value whose part \p E reads (`r.failed`).
Fact *partFact(FlowState &S, const Expr *E, const ApiModel &Model, ResultPart &Part) {
  if (Fact *F = refinement::mutableFact(S, E)) {
    Part = F->Part;
    return F;
  }
  std::optional<PartRead> P = readPart(E, Model);
  if (!P || P->Part == ResultPart::Unrelated)
    return nullptr;
  Fact *F = refinement::mutableFact(S, P->Base);
  if (!F || F->Part != ResultPart::Whole || F->Shape != FactShape::Enum)
    return nullptr;
  Part = P->Part;
  return F;
}

/// The condition of a two-way branch at the end of \p E's block, as the CFG has it; null for
/// any other terminator.
const Expr *twoWayCondition(const BranchEdge &E) {
  if (E.From->succ_size() != 2)
    return nullptr;
  return llvm::dyn_cast_or_null<Expr>(E.From->getTerminatorCondition(false));
}

/// The condition of the loop that the false edge of \p T leaves: T is the loop, or the `&&`
/// of a loop's condition (its left operand false skips the rest and leaves the loop).
const Expr *exitedLoopCondition(const Stmt *T, const ParentMap &Parents) {
  if (isLoop(T))
    return loopCondition(T);
  const auto *BO = llvm::dyn_cast<BinaryOperator>(T);
  if (!BO || BO->getOpcode() != BO_LAnd)
    return nullptr;
  const Stmt *Cur = BO;
  for (unsigned Steps = 0; Steps < 16; ++Steps) {
    const Stmt *P = Parents.getParent(Cur);
    if (!P)
      return nullptr;
    if (const auto *PB = llvm::dyn_cast<BinaryOperator>(P)) {
      if (PB->getOpcode() != BO_LAnd)
        return nullptr;
    } else if (isLoop(P)) {
      return loopCondition(P) == Cur ? loopCondition(P) : nullptr;
    } else if (!llvm::isa<ParenExpr>(P)) {
      return nullptr;
    }
    Cur = P;
  }
  return nullptr;
}

/// The owners whose write buffer \p Cond tests for emptiness: a buffer test event (`empty()`,
/// `size()`, `bipbuf_used(c->buf)`), a size member (`c->outbuf_len`), an *EMPTY* macro.
llvm::SmallVector<ChannelKey, 1> drainedOwners(const Expr *Cond, const Refiner &R) {
  const ChannelResolver &Channels = R.context().Channels;
  llvm::SmallVector<ChannelKey, 1> Out;
  llvm::SmallVector<const Stmt *, 16> Work{Cond};
  for (unsigned Steps = 0; !Work.empty() && Steps < 64; ++Steps) {
    const Stmt *Cur = Work.pop_back_val();
    if (!Cur)
      continue;
    if (const auto *ME = llvm::dyn_cast<MemberExpr>(Cur))
      if (bufferSizeMember(ME, Channels))
        if (auto K = Channels.keyOf(ME->getBase()))
          Out.push_back(*K);
    if (llvm::isa<CallExpr>(Cur))
      for (const Event &E : R.eventsOf(Cur))
        if (E.Kind == EventKind::EmptyTest && E.Channel)
          Out.push_back(*E.Channel);
    for (const Stmt *C : Cur->children())
      Work.push_back(C);
  }
  return Out;
}

/// The classes a `switch` over \p SW's condition leaves on its default edge: a class is
/// excluded when every value of it has its own case.
uint8_t defaultEdgeExcluded(const SwitchStmt *SW, const ApiModel &Model, ASTContext &Ctx) {
  llvm::SmallPtrSet<const EnumConstantDecl *, 8> Covered;
  const EnumDecl *ED = nullptr;
  uint8_t MacroCovered = 0;
  for (const SwitchCase *SC = SW->getSwitchCaseList(); SC; SC = SC->getNextSwitchCase()) {
    const auto *CS = llvm::dyn_cast<CaseStmt>(SC);
    if (!CS || CS->getRHS())
      continue;
    const auto *DRE = llvm::dyn_cast<DeclRefExpr>(CS->getLHS()->IgnoreParenImpCasts());
    const auto *ECD = DRE ? llvm::dyn_cast<EnumConstantDecl>(DRE->getDecl()) : nullptr;
    if (ECD) {
      Covered.insert(ECD);
      ED = llvm::dyn_cast<EnumDecl>(ECD->getDeclContext());
    } else if (uint8_t C = classOfConstant(CS->getLHS(), Model, Ctx)) {
      if (C != RC_Other)
        MacroCovered |= C;
    }
  }
  uint8_t Excluded = MacroCovered;
  if (ED) {
    uint8_t Seen = 0, Missing = 0;
    for (const EnumConstantDecl *C : ED->enumerators()) {
      uint8_t K = classOfEnumerator(C, Model);
      Seen |= K;
      if (!Covered.count(C))
        Missing |= K;
    }
    Excluded |= static_cast<uint8_t>(Seen & ~Missing);
  }
  return Excluded;
}

} // namespace

//===--- what refinement does to a state ----------------------------------===//

namespace refinement {

Fact *mutableFact(FlowState &S, const Expr *E) {
  if (!E)
    return nullptr;
  E = stripValue(E);
  // `(off += n) != len`: an assignment is its left operand.
  if (const auto *BO = llvm::dyn_cast<BinaryOperator>(E))
    if (BO->isAssignmentOp())
      E = stripValue(BO->getLHS());
  if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(E)) {
    auto It = S.Vars.find(DRE->getDecl());
    return It == S.Vars.end() ? nullptr : &It->second;
  }
  if (std::optional<ChannelKey> Counter = progressCounter(E)) {
    auto It = S.Counters.find(*Counter);
    if (It != S.Counters.end() && It->second.Shape == FactShape::Progress)
      return &It->second;
  }
  auto It = S.Exprs.find(E);
  return It == S.Exprs.end() ? nullptr : &It->second;
}

void applyMask(FlowState &S, Fact &F, uint8_t Mask, const Expr *At) {
  uint8_t Old = F.Classes;
  uint8_t New = static_cast<uint8_t>(Old & Mask);
  if (!New) {
    // The value cannot be of these classes here: the edge is never taken.
    S.Reached = false;
    return;
  }
  F.Classes = New;
  F.Tested = true;
  for (const ClassEffect &CE : F.Effects) {
    ChannelState St;
    for (unsigned C = 0; C < NumResultClasses; ++C)
      if (New & (1u << C))
        St.join(CE.PerClass[C]);
    if (St.isBottom())
      continue;
    if (St.may(SB_NeedsFlush)) {
      // Notes: why the dirt survived this test.
      if (F.FromFlush && (Old & RC_Error) && !(New & RC_Error) && (New & RC_Pending))
        St.addEvent({PathEventKind::CheckedOnlyForErrors, At, nullptr, 0});
      else if (New == RC_Pending)
        St.addEvent({PathEventKind::FlushPending, At, nullptr, RC_Pending});
    }
    S.set(CE.Key, std::move(St));
  }
}

void applyProgress(FlowState &S, Fact F) {
  // The write-all loop exits only when everything was written: the short counts it saw are
  // made good.
  for (const ClassEffect &CE : F.Effects) {
    // The counts of the loop's writes say nothing more: a later `if (n < 0)` must not bring
    // back the short state they remember. Progress facts stay (the loop may be tested again).
    std::map<const ValueDecl *, Fact> Progress;
    for (const auto &KV : S.Vars)
      if (KV.second.Shape == FactShape::Progress)
        Progress.insert(KV);
    std::map<ChannelKey, Fact> Counters = S.Counters; // all progress facts
    S.invalidateFacts(CE.Key);
    for (auto &KV : Progress)
      S.Vars[KV.first] = std::move(KV.second);
    S.Counters = std::move(Counters);
    S.set(CE.Key, failureSeen(S.get(CE.Key)));
  }
}

void cleanOwner(FlowState &S, const ChannelKey &Owner) {
  // `stream->io_watcher.fd` and `stream->write_queue` belong to `stream`.
  for (auto &KV : S.Channels)
    if (Owner.isPrefixOf(KV.first))
      KV.second.clean();
  ChannelState O = S.get(Owner);
  O.clean();
  S.set(Owner, std::move(O));
  S.invalidateFacts(Owner);
}

} // namespace refinement

using namespace refinement;

//===--- edge rows --------------------------------------------------------===//

namespace {

// `switch (r)` over a result's state: a case edge has its label's class; the default edge
// excludes the classes every value of which has its own case.
bool switchCase(const BranchEdge &Edge, FlowState &S, const Refiner &R) {
  const auto *SW = llvm::dyn_cast<SwitchStmt>(Edge.Terminator);
  if (!SW)
    return false;
  const TransferContext &TC = R.context();
  ResultPart Part = ResultPart::Whole;
  Fact *F = partFact(S, SW->getCond(), TC.Model, Part);
  if (!F || (F->Shape != FactShape::Enum && F->Shape != FactShape::Bool) ||
      (Part != ResultPart::Whole && Part != ResultPart::State))
    return true;
  // `switch (r.state)`: the state part says nothing about the error part.
  const uint8_t Keep = Part == ResultPart::State ? RC_Error : 0;
  const Stmt *Label = Edge.To ? Edge.To->getLabel() : nullptr;
  if (const auto *CS = llvm::dyn_cast_or_null<CaseStmt>(Label)) {
    if (CS->getRHS()) // a GNU case range
      return true;
    if (uint8_t C = classOfConstant(CS->getLHS(), TC.Model, TC.Ctx))
      applyMask(S, *F, C | Keep, CS->getLHS());
    return true;
  }
  if (uint8_t Excluded = defaultEdgeExcluded(SW, TC.Model, TC.Ctx))
    applyMask(S, *F, static_cast<uint8_t>((RC_All & ~Excluded) | Keep), SW->getCond());
  return true;
}

// `if (c)`, `while (c)`, `c ? a : b`: a two-way branch; its first edge is c true. In
// `if (a && b)` the CFG split `a` into its own block: this block evaluated `b`.
bool branch(const BranchEdge &Edge, FlowState &S, const Refiner &R) {
  const Expr *Cond = twoWayCondition(Edge);
  if (!Cond)
    return true;
  for (unsigned Steps = 0; Steps < 32; ++Steps) {
    const auto *BO = llvm::dyn_cast<BinaryOperator>(Cond->IgnoreParens());
    if (!BO || !BO->isLogicalOp() || BO == Edge.Terminator)
      break;
    Cond = BO->getRHS();
  }
  R.refine(S, Cond, Edge.Index == 0, 0);
  return false;
}

// Leaving a write-all loop (its condition tests a write's progress) through its condition,
// by whichever conjunct (`while (left > 0 && !stopping)`): the writing ended on purpose; what
// is unsent then is the loop's own decision, not a count nobody read.
bool writeAllLoopExit(const BranchEdge &Edge, FlowState &S, const Refiner &) {
  if (Edge.Index != 1 || !S.Reached || !twoWayCondition(Edge) || !isLoop(Edge.Terminator))
    return false;
  if (const Expr *LoopCond = loopCondition(Edge.Terminator))
    forEachProgressVar(S, LoopCond, [&](const Fact &F) { applyProgress(S, F); });
  return false;
}

// Leaving a drain loop (its condition tests the write buffer: `while (c->c != NULL &&
// bipbuf_used(c->buf)) poll(c);`), by whichever conjunct: the buffer it tests is empty.
bool drainLoopExit(const BranchEdge &Edge, FlowState &S, const Refiner &R) {
  if (Edge.Index != 1 || !S.Reached || !twoWayCondition(Edge))
    return false;
  if (const Expr *LoopCond = exitedLoopCondition(Edge.Terminator, R.parents()))
    for (const ChannelKey &Owner : drainedOwners(LoopCond, R))
      cleanOwner(S, Owner);
  return false;
}

//===--- condition rows ---------------------------------------------------===//

// QUEUE_EMPTY(&stream->write_queue), TAILQ_EMPTY(&c->out_q): a macro named *EMPTY* that is
// the whole condition and mentions a write-buffer member.
bool emptyMacro(const Condition &C, FlowState &S, const Refiner &R) {
  const TransferContext &TC = R.context();
  const SourceManager &SM = TC.Ctx.getSourceManager();
  const LangOptions &LO = TC.Ctx.getLangOpts();
  SourceLocation B = C.Written->getBeginLoc(), E = C.Written->getEndLoc();
  if (!B.isMacroID() || !E.isMacroID())
    return false;
  SourceLocation MacroBegin, MacroEnd;
  if (!Lexer::isAtStartOfMacroExpansion(B, SM, LO, &MacroBegin) ||
      !Lexer::isAtEndOfMacroExpansion(E, SM, LO, &MacroEnd))
    return false;
  bool Empty = false;
  for (const std::string &W :
       ChannelResolver::nameWords(Lexer::getImmediateMacroName(B, SM, LO)))
    Empty |= W == "empty";
  if (!Empty)
    return false;
  const MemberExpr *ME = bufferMemberIn(C.Written, TC.Channels);
  if (!ME)
    return false;
  if (auto Owner = TC.Channels.keyOf(ME->getBase()))
    if (C.Truth)
      cleanOwner(S, *Owner);
  return true;
}

// `if (!c->outbuf_len)`: a write buffer's size member as a truth value; zero empties it.
bool bufferSizeTruth(const Condition &C, FlowState &S, const Refiner &R) {
  const MemberExpr *ME = bufferSizeMember(C.E, R.context().Channels);
  if (!ME)
    return false;
  if (!C.Truth)
    if (auto Owner = R.context().Channels.keyOf(ME->getBase()))
      cleanOwner(S, *Owner);
  return true;
}

// `!x`: x with the other truth; no other built-in unary operator tells anything.
bool unaryOperator(const Condition &C, FlowState &S, const Refiner &R) {
  const auto *UO = llvm::dyn_cast<UnaryOperator>(C.E);
  if (!UO)
    return false;
  if (UO->getOpcode() == UO_LNot)
    R.refine(S, UO->getSubExpr(), !C.Truth, C.Depth + 1);
  return true;
}

// `a && b` true, `a || b` false (only a bool holding them gets here: the CFG splits them in
// conditions), a built-in comparison, `(x, y)`; no other built-in binary operator tells
// anything.
/// A condition and the truth it is known to have on one way through a disjunction.
struct Held {
  const Expr *E;
  bool Truth;
};

/// The join of two ways a condition can hold: \p First alone, or \p Second and \p Third.
void refineEither(FlowState &S, const Refiner &R, unsigned Depth, Held First, Held Second,
                  Held Third) {
  FlowState One = S;
  R.refine(One, First.E, First.Truth, Depth + 1);
  R.refine(S, Second.E, Second.Truth, Depth + 1);
  R.refine(S, Third.E, Third.Truth, Depth + 1);
  S.join(One);
}

// `true`, `0` as a condition (an arm of `ok ? r == Poll::Ready : false`): the way where it has
// the other truth is never taken.
bool literalCondition(const Condition &C, FlowState &S, const Refiner &) {
  std::optional<bool> Value;
  if (const auto *BL = llvm::dyn_cast<CXXBoolLiteralExpr>(C.E))
    Value = BL->getValue();
  else if (const auto *IL = llvm::dyn_cast<IntegerLiteral>(C.E))
    Value = IL->getValue() != 0;
  if (!Value)
    return false;
  if (*Value != C.Truth)
    S.Reached = false;
  return true;
}

// `c ? a : b` as a condition: c and a hold, or c fails and b holds.
bool conditionalOperator(const Condition &C, FlowState &S, const Refiner &R) {
  const auto *CO = llvm::dyn_cast<ConditionalOperator>(C.E);
  if (!CO)
    return false;
  FlowState One = S;
  R.refine(One, CO->getCond(), true, C.Depth + 1);
  R.refine(One, CO->getTrueExpr(), C.Truth, C.Depth + 1);
  R.refine(S, CO->getCond(), false, C.Depth + 1);
  R.refine(S, CO->getFalseExpr(), C.Truth, C.Depth + 1);
  S.join(One);
  return true;
}

bool binaryOperator(const Condition &C, FlowState &S, const Refiner &R) {
  const auto *BO = llvm::dyn_cast<BinaryOperator>(C.E);
  if (!BO)
    return false;
  const bool And = BO->getOpcode() == BO_LAnd, Or = BO->getOpcode() == BO_LOr;
  if ((And && C.Truth) || (Or && !C.Truth)) {
    R.refine(S, BO->getLHS(), C.Truth, C.Depth + 1);
    R.refine(S, BO->getRHS(), C.Truth, C.Depth + 1);
  } else if (And || Or) {
    // `a || b` true, `a && b` false: a holds (or fails), or it does not and b does.
    refineEither(S, R, C.Depth, {BO->getLHS(), C.Truth}, {BO->getLHS(), !C.Truth},
                 {BO->getRHS(), C.Truth});
  } else if (BO->isComparisonOp()) {
    R.compare(S, BO->getLHS(), BO->getOpcode(), BO->getRHS(), C.Truth, BO);
  } else if (BO->getOpcode() == BO_Comma) {
    R.refine(S, BO->getRHS(), C.Truth, C.Depth + 1);
  }
  return true;
}

// `r == Poll::Ready`, `!r` through an overloaded operator.
bool overloadedOperator(const Condition &C, FlowState &S, const Refiner &R) {
  const auto *OC = llvm::dyn_cast<CXXOperatorCallExpr>(C.E);
  if (!OC)
    return false;
  if (auto Op = comparisonOf(OC->getOperator()))
    if (OC->getNumArgs() == 2) {
      R.compare(S, OC->getArg(0), *Op, OC->getArg(1), C.Truth, OC);
      return true;
    }
  if (OC->getOperator() == OO_Exclaim && OC->getNumArgs() == 1) {
    R.refine(S, OC->getArg(0), !C.Truth, C.Depth + 1);
    return true;
  }
  return false;
}

// `if (r.failed)`, `if (!r)`, `r.is_pending()`: a truth test of a part of a result.
bool partTest(const Condition &C, FlowState &S, const Refiner &R) {
  ResultPart Part = ResultPart::Whole;
  Fact *F = partFact(S, C.E, R.context().Model, Part);
  if (!F || Part == ResultPart::Whole)
    return false;
  if (uint8_t Mask = partTruthClasses(Part, C.Truth))
    applyMask(S, *F, Mask, C.E);
  return true;
}

// `std::holds_alternative<Pending>(r)`, `std::get_if<Done>(&r)`: which alternative a variant
// holds; the alternative's type name says its class (the model's Alternative accessors).
bool alternativeTest(const Condition &C, FlowState &S, const Refiner &R) {
  const auto *CE = llvm::dyn_cast<CallExpr>(C.E);
  const FunctionDecl *FD = CE ? CE->getDirectCallee() : nullptr;
  if (!FD || !FD->getIdentifier() || CE->getNumArgs() != 1)
    return false;
  const ApiModel &M = R.context().Model;
  std::optional<ResultPart> P = M.accessorPart(FD->getName());
  if (!P || *P != ResultPart::Alternative)
    return false;
  const TemplateArgumentList *TA = FD->getTemplateSpecializationArgs();
  if (!TA || TA->size() == 0 || TA->get(0).getKind() != TemplateArgument::Type)
    return true;
  const Expr *Arg = CE->getArg(0)->IgnoreParenImpCasts();
  if (const auto *UO = llvm::dyn_cast<UnaryOperator>(Arg))
    if (UO->getOpcode() == UO_AddrOf)
      Arg = UO->getSubExpr();
  Fact *F = mutableFact(S, Arg);
  uint8_t Class = classOfStateType(TA->get(0).getAsType(), M);
  if (F && Class && F->Shape == FactShape::Enum)
    applyMask(S, *F, C.Truth ? Class : static_cast<uint8_t>(RC_All & ~Class), C.E);
  return true;
}

// `r.is_pending()`, `r.is_ready()`: a state accessor on a value with a fact.
bool stateAccessor(const Condition &C, FlowState &S, const Refiner &R) {
  const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(C.E);
  Fact *F = MC ? mutableFact(S, MC->getImplicitObjectArgument()) : nullptr;
  if (!F)
    return false;
  const CXXMethodDecl *MD = MC->getMethodDecl();
  if (!MD || !MD->getIdentifier() ||
      (F->Shape != FactShape::Enum && F->Shape != FactShape::Bool))
    return true;
  const StateVocabulary &V = R.context().Model.vocabulary();
  uint8_t Class = V.isPending(MD->getName()) ? RC_Pending
                  : V.isReady(MD->getName()) ? RC_Ready
                  : V.isError(MD->getName()) ? RC_Error
                                             : 0;
  if (Class)
    applyMask(S, *F, C.Truth ? Class : static_cast<uint8_t>(RC_All & ~Class), C.E);
  return true;
}

// `if (is_done(r))`, `if (std::visit(done_visitor{}, r))`: a result whose pending state can
// still be told handed to code the analysis does not read. The program looked at the outcome:
// it is no longer taken for an unconfirmed flush, on either edge (a guess kept to what the
// state part can say; handing on only the error part, `is_fatal(r.error)`, proves nothing).
bool handedToPredicate(const Condition &C, FlowState &S, const Refiner &R) {
  const Expr *Arg = transfer::handedResult(S, C.E, R.context().Model);
  if (!Arg)
    return false;
  ResultPart Part = ResultPart::Whole;
  if (Fact *F = partFact(S, Arg, R.context().Model, Part))
    if (uint8_t Keep = F->Classes & static_cast<uint8_t>(~RC_Pending))
      applyMask(S, *F, Keep, C.E);
  return true;
}

// A value with a fact (a flush's result, a count, a bool holding a condition) tested for
// truth: the row of its shape.
bool factTruth(const Condition &C, FlowState &S, const Refiner &R) {
  Fact *F = mutableFact(S, C.E);
  if (!F)
    return false;
  if (const FactRow *Row = R.table().fact(F->Shape))
    if (Row->Truth)
      Row->Truth(*F, C, S, R);
  return true;
}

//===--- comparison rows --------------------------------------------------===//

// `r.state == Poll::Pending`, `TRY(...) != Poll::Ready`, `r.error != 0`: a part of a result
// compared.
bool partComparison(const Comparison &Cmp, FlowState &S, const Refiner &R) {
  const TransferContext &TC = R.context();
  const Expr *L = Cmp.L, *Rhs = Cmp.R;
  BinaryOperatorKind Op = Cmp.Op;
  ResultPart Part = ResultPart::Whole;
  Fact *F = partFact(S, L, TC.Model, Part);
  if (!F || Part == ResultPart::Whole) {
    Part = ResultPart::Whole;
    F = partFact(S, Rhs, TC.Model, Part);
    if (!F || Part == ResultPart::Whole)
      return false;
    std::swap(L, Rhs);
    Op = mirror(Op);
  }
  if (!Cmp.Truth)
    Op = negate(Op);
  if (Op != BO_EQ && Op != BO_NE)
    return true;
  const Expr *RS = stripValue(Rhs);
  // `r.failed == true`, `r.error != 0`: a truth test of the part.
  std::optional<bool> Truthy;
  if (const auto *BL = llvm::dyn_cast<CXXBoolLiteralExpr>(RS))
    Truthy = BL->getValue();
  uint8_t C = classOfConstant(RS, TC.Model, TC.Ctx);
  if (!Truthy && !C && Part != ResultPart::State)
    if (std::optional<int64_t> V = evaluateInt(RS, TC.Ctx))
      Truthy = *V != 0;
  if (Truthy) {
    if (uint8_t Mask = partTruthClasses(Part, (Op == BO_EQ) == *Truthy))
      applyMask(S, *F, Mask, Cmp.At);
    return true;
  }
  if ((Part != ResultPart::State && Part != ResultPart::ErrorValue) || !C)
    return true;
  uint8_t Mask = equalityMask(Op, RS, C, TC.Model);
  // The state part says nothing about the error part: a failure stays possible either way.
  if (Part == ResultPart::State)
    Mask |= RC_Error;
  applyMask(S, *F, Mask, Cmp.At);
  return true;
}

// `r.index() == 0`, `r.index() != 2` of a `std::variant<Done, WouldBlock, IoError>`: the
// alternative at that position; its type's name says its class, as for holds_alternative.
bool alternativeIndexComparison(const Comparison &Cmp, FlowState &S, const Refiner &R) {
  const TransferContext &TC = R.context();
  const Expr *L = Cmp.L, *Rhs = Cmp.R;
  std::optional<PartRead> P = readPart(L, TC.Model);
  if (!P || P->Part != ResultPart::AlternativeIndex) {
    std::swap(L, Rhs);
    P = readPart(L, TC.Model);
    if (!P || P->Part != ResultPart::AlternativeIndex)
      return false;
  }
  Fact *F = mutableFact(S, P->Base);
  std::optional<int64_t> Index = evaluateInt(Rhs, TC.Ctx);
  BinaryOperatorKind Op = Cmp.Truth ? Cmp.Op : negate(Cmp.Op);
  if (!F || F->Shape != FactShape::Enum || !Index || (Op != BO_EQ && Op != BO_NE))
    return true;
  uint8_t Mask = 0;
  unsigned I = 0;
  for (QualType T : alternativeTypes(P->Base->getType())) {
    uint8_t C = classOfStateType(T, TC.Model);
    if ((static_cast<int64_t>(I++) == *Index) == (Op == BO_EQ))
      Mask |= C ? C : RC_Other;
  }
  if (Mask)
    applyMask(S, *F, Mask, Cmp.At);
  return true;
}

// `r == Poll::Ready`, `n != len`, `ok == true`: a value with a fact compared (on either
// side): the row of its shape, or a truth test when compared with a bool literal.
bool factComparison(const Comparison &Cmp, FlowState &S, const Refiner &R) {
  const Expr *L = Cmp.L, *Rhs = Cmp.R;
  BinaryOperatorKind Op = Cmp.Op;
  Fact *F = mutableFact(S, L);
  if (!F) {
    F = mutableFact(S, Rhs);
    if (!F)
      return false;
    std::swap(L, Rhs);
    Op = mirror(Op);
  }
  if (!Cmp.Truth)
    Op = negate(Op);
  const Expr *RS = stripValue(Rhs);
  // `ok == true`, `flushed != false`: truthiness.
  if (const auto *BL = llvm::dyn_cast<CXXBoolLiteralExpr>(RS)) {
    if (Op == BO_EQ || Op == BO_NE)
      R.refine(S, L, (Op == BO_EQ) == BL->getValue(), 1);
    return true;
  }
  FactComparison FC{Op, RS, evaluateInt(RS, R.context().Ctx), Cmp.At};
  if (const FactRow *Row = R.table().fact(F->Shape))
    if (Row->Compare)
      Row->Compare(*F, FC, S, R);
  return true;
}

// `c->outbuf_len == 0`, `stream->write_queue_size > 0`: a write buffer's size member
// compared with zero.
bool bufferSizeComparison(const Comparison &Cmp, FlowState &S, const Refiner &R) {
  const TransferContext &TC = R.context();
  const Expr *Rhs = Cmp.R;
  BinaryOperatorKind Op = Cmp.Op;
  const MemberExpr *ME = bufferSizeMember(stripValue(Cmp.L), TC.Channels);
  if (!ME) {
    ME = bufferSizeMember(stripValue(Cmp.R), TC.Channels);
    Rhs = Cmp.L;
    Op = mirror(Op);
  }
  if (!ME)
    return false;
  std::optional<int64_t> Zero = evaluateInt(stripValue(Rhs), TC.Ctx);
  if (!Zero || *Zero != 0)
    return false;
  if (!Cmp.Truth)
    Op = negate(Op);
  if (Op == BO_EQ || Op == BO_LE)
    if (auto Owner = TC.Channels.keyOf(ME->getBase()))
      cleanOwner(S, *Owner);
  return true;
}

//===--- fact rows: truth tests -------------------------------------------===//

// A bool holding a condition (`bool ok = r == Poll::Ready; if (ok)`): the condition.
void derivedTruth(Fact &F, const Condition &C, FlowState &S, const Refiner &R) {
  R.refine(S, llvm::cast<Expr>(F.Origin), C.Truth, C.Depth + 1);
}

// `if (flushed)`, `if (has_buffered_write())`: true is Ready (Pending with TrueIsPending).
void boolTruth(Fact &F, const Condition &C, FlowState &S, const Refiner &) {
  uint8_t Class = (C.Truth != F.TrueIsPending) ? RC_Ready : RC_Pending;
  applyMask(S, F, Class | RC_Other, C.E);
}

// `if (buf.size())`: a size is Pending when non-zero.
void sizeTruth(Fact &F, const Condition &C, FlowState &S, const Refiner &) {
  applyMask(S, F, C.Truth ? RC_Pending : RC_Ready, C.E);
}

// `if (!n)`: a count of zero.
void countTruth(Fact &F, const Condition &C, FlowState &S, const Refiner &) {
  if (!C.Truth)
    applyMask(S, F, countMask(BO_EQ, 0, F.TrueIsPending), C.E);
}

// `while (left)`: a remaining length of zero ends the write-all loop.
void progressTruth(Fact &F, const Condition &C, FlowState &S, const Refiner &) {
  if (!C.Truth && F.Remaining)
    applyProgress(S, F);
}

// `if (uv_write(...))`: a non-zero status is a failure.
void statusTruth(Fact &F, const Condition &C, FlowState &S, const Refiner &) {
  applyMask(S, F, C.Truth ? RC_Error : RC_Ready, C.E);
}

// `if (r)` of a signed state: non-zero.
void signedTruth(Fact &F, const Condition &C, FlowState &S, const Refiner &) {
  applyMask(S, F,
            C.Truth ? static_cast<uint8_t>(RC_Error | (F.TrueIsPending ? RC_Ready : RC_Pending))
                    : (F.TrueIsPending ? RC_Pending : RC_Ready),
            C.E);
}

//===--- fact rows: comparisons -------------------------------------------===//

// `r == Poll::Ready`, `r != Poll::Pending`: the class of the named state (`!=` excludes it
// only when it is the only state of its class).
void stateComparison(Fact &F, const FactComparison &FC, FlowState &S, const Refiner &R) {
  const TransferContext &TC = R.context();
  uint8_t C = classOfConstant(FC.Other, TC.Model, TC.Ctx);
  if (!C || (FC.Op != BO_EQ && FC.Op != BO_NE))
    return;
  applyMask(S, F, equalityMask(FC.Op, FC.Other, C, TC.Model), FC.At);
}

// `n == len`, `n < 0`, `n != -1`: the classes of a byte count (countMask).
void countComparison(Fact &F, const FactComparison &FC, FlowState &S, const Refiner &) {
  if (!isRelational(FC.Op))
    return;
  uint8_t Mask = countMask(FC.Op, FC.Value, F.TrueIsPending);
  Fact Before = F;
  applyMask(S, F, Mask, FC.At);
  // `if ((size_t)n != len) { result = WRITE_ERROR; ... }`: the program compared the count
  // with the length and knows it is short; what it does next is its error handling (a
  // pending TLS write, by contrast, asks to be retried).
  if (S.Reached && !F.TrueIsPending && (!FC.Value || *FC.Value > 0) && !(Mask & RC_Ready))
    for (const ClassEffect &CE : Before.Effects)
      S.set(CE.Key, failureSeen(S.get(CE.Key)));
}

// `buf.size() == 0`, `size() > 0`: empty is Ready.
void sizeComparison(Fact &F, const FactComparison &FC, FlowState &S, const Refiner &) {
  if (!FC.Value || *FC.Value != 0)
    return;
  if (FC.Op == BO_EQ || FC.Op == BO_LE)
    applyMask(S, F, RC_Ready, FC.At);
  else if (FC.Op == BO_NE || FC.Op == BO_GT)
    applyMask(S, F, RC_Pending, FC.At);
}

// `off == len`, `off >= len`, `left == 0`: a write-all loop's progress is complete.
void progressComparison(Fact &F, const FactComparison &FC, FlowState &S, const Refiner &) {
  std::optional<int64_t> V = FC.Value;
  BinaryOperatorKind Op = FC.Op;
  bool Done = F.Remaining ? (V && *V == 0 && (Op == BO_EQ || Op == BO_LE))
                          : ((!V || *V > 0) && (Op == BO_EQ || Op == BO_GE));
  if (Done)
    applyProgress(S, F);
}

/// True if `X Op V`.
bool holds(int64_t X, BinaryOperatorKind Op, int64_t V) {
  switch (Op) {
  case BO_EQ: return X == V;
  case BO_NE: return X != V;
  case BO_LT: return X < V;
  case BO_GT: return X > V;
  case BO_LE: return X <= V;
  case BO_GE: return X >= V;
  default: return true;
  }
}

// outq_flush(q) < 0, r == 1, r != 0, r > 0: the signs the comparison admits.
void signedComparison(Fact &F, const FactComparison &FC, FlowState &S, const Refiner &) {
  if (!FC.Value || !isRelational(FC.Op))
    return;
  const int64_t V = *FC.Value;
  uint8_t ZeroClass = F.TrueIsPending ? RC_Pending : RC_Ready;
  uint8_t PosClass = F.TrueIsPending ? RC_Ready : RC_Pending;
  uint8_t Mask = 0;
  // A sign is admitted when some value of it satisfies the comparison with V.
  if (holds(std::min<int64_t>(-1, V - 1), FC.Op, V) || (V < 0 && holds(V, FC.Op, V)))
    Mask |= RC_Error;
  if (holds(0, FC.Op, V))
    Mask |= ZeroClass;
  if (holds(std::max<int64_t>(1, V + 1), FC.Op, V) || (V > 0 && holds(V, FC.Op, V)))
    Mask |= PosClass;
  applyMask(S, F, Mask, FC.At);
}

// uv_write(...) != 0, r < 0, r == UV_EAGAIN: zero is success, anything else a failure.
void statusComparison(Fact &F, const FactComparison &FC, FlowState &S, const Refiner &) {
  if (!FC.Value)
    return;
  const int64_t V = *FC.Value;
  BinaryOperatorKind Op = FC.Op;
  uint8_t Mask = RC_Ready | RC_Error;
  if (V == 0 && (Op == BO_EQ || Op == BO_GE))
    Mask = RC_Ready;
  else if (V == 0 && (Op == BO_NE || Op == BO_LT || Op == BO_GT))
    Mask = RC_Error;
  else if (V != 0 && Op == BO_EQ)
    Mask = RC_Error;
  if (Mask != (RC_Ready | RC_Error))
    applyMask(S, F, Mask, FC.At);
}

} // namespace

//===--- the table --------------------------------------------------------===//

RefinementTable RefinementTable::standard() {
  RefinementTable T;
  T.addEdge(switchCase, "a switch over a result: each case edge has its label's class");
  T.addEdge(branch, "a two-way branch: its condition true on the first edge, false on the other");
  T.addEdge(writeAllLoopExit, "leaving a write-all loop: its short counts are made good");
  T.addEdge(drainLoopExit, "leaving a drain loop: the buffer it tests is empty");

  T.addCondition(literalCondition, "a literal as a condition: the other way is not taken");
  T.addCondition(emptyMacro, "an *EMPTY* macro over a write-buffer member");
  T.addCondition(bufferSizeTruth, "a write buffer's size member as a truth value");
  T.addCondition(unaryOperator, "`!x`: x with the other truth");
  T.addCondition(binaryOperator, "`&&`, `||` held in a bool, a comparison, a comma");
  T.addCondition(overloadedOperator, "an overloaded comparison or `!`");
  T.addCondition(partTest, "a truth test of a part of a result (`r.failed`, `!r`)");
  T.addCondition(stateAccessor, "a state accessor on a value with a fact (`r.is_pending()`)");
  T.addCondition(alternativeTest, "which alternative a variant holds (`holds_alternative<T>`)");
  T.addCondition(conditionalOperator, "`c ? a : b`: c and a, or not c and b");
  T.addCondition(handedToPredicate, "a result handed to a predicate the analysis cannot read");
  T.addCondition(factTruth, "a value with a fact tested for truth: its shape's row");

  T.addComparison(alternativeIndexComparison,
                  "the position of a variant's alternative compared (`r.index() == 0`)");
  T.addComparison(partComparison, "a part of a result compared (`r.state == Poll::Pending`)");
  T.addComparison(factComparison, "a value with a fact compared: its shape's row");
  T.addComparison(bufferSizeComparison, "a write buffer's size member compared with zero");

  T.setFact(FactShape::Enum, nullptr, stateComparison, "a state compared with a named state");
  T.setFact(FactShape::Bool, boolTruth, stateComparison, "a bool: true is Ready (or Pending)");
  T.setFact(FactShape::Count, countTruth, countComparison, "a byte count: short is Pending");
  T.setFact(FactShape::Size, sizeTruth, sizeComparison, "a buffer's size: zero is Ready");
  T.setFact(FactShape::Progress, progressTruth, progressComparison,
            "a write-all loop's progress: complete makes its short counts good");
  T.setFact(FactShape::Derived, derivedTruth, nullptr, "a bool holding a condition");
  T.setFact(FactShape::Status, statusTruth, statusComparison, "an int status: zero is success");
  T.setFact(FactShape::Signed, signedTruth, signedComparison, "an int whose sign is the state");
  return T;
}

void RefinementTable::setFact(FactShape S, FactTruthRefiner Truth, FactComparisonRefiner Compare,
                              const char *Models) {
  Facts[static_cast<size_t>(S)] = FactRow{Truth, Compare, Models};
}

const FactRow *RefinementTable::fact(FactShape S) const {
  const auto &R = Facts[static_cast<size_t>(S)];
  return R ? &*R : nullptr;
}

//===--- Refiner ----------------------------------------------------------===//

void Refiner::refineEdge(const CFGBlock *B, const CFGBlock *Succ, unsigned SuccIdx,
                         FlowState &S) const {
  const Stmt *T = B->getTerminatorStmt();
  if (!T)
    return;
  BranchEdge Edge{B, Succ, SuccIdx, T};
  for (const RefinementRow<EdgeRefiner> &Row : Table.edges())
    if (Row.Refine(Edge, S, *this))
      return;
}

void Refiner::refine(FlowState &S, const Expr *Cond, bool Truth, unsigned Depth) const {
  if (!Cond || Depth > 8 || !S.Reached)
    return;
  Condition C{Cond, stripValue(Cond), Truth, Depth};
  for (const RefinementRow<ConditionRefiner> &Row : Table.conditions())
    if (Row.Refine(C, S, *this))
      return;
}

void Refiner::compare(FlowState &S, const Expr *L, BinaryOperatorKind Op, const Expr *R,
                      bool Truth, const Expr *At) const {
  Comparison Cmp{L, Op, R, Truth, At};
  for (const RefinementRow<ComparisonRefiner> &Row : Table.comparisons())
    if (Row.Refine(Cmp, S, *this))
      return;
}

} // namespace drain
