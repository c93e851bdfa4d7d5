//===--- Summaries.cpp - what a function does to its channels, for its callers ---===//
#include "analysis/flow/Summaries.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace drain {

SummaryStore::~SummaryStore() = default;

const SummaryChannel *FunctionSummary::find(const ChannelKey &K) const {
  for (const SummaryChannel &C : Channels)
    if (C.Key == K)
      return &C;
  return nullptr;
}

bool FunctionSummary::mayLeaveDirty() const {
  for (const SummaryChannel &C : Channels)
    for (const ChannelState &S : C.Exit)
      if (S.may(SB_NeedsFlush))
        return true;
  return false;
}

bool FunctionSummary::confirmsFlush() const {
  for (const SummaryChannel &C : Channels) {
    const ChannelState &R = C.Exit[classIndex(RC_Ready)];
    // A channel shut down without flushing is "clean" afterwards only because nothing more
    // can be lost on it.
    if (!R.isBottom() && !R.may(SB_NeedsFlush | SB_Entry | SB_Unknown) &&
        !C.UnconfirmedCompletion)
      return true;
  }
  return false;
}

bool FunctionSummary::completesWithoutFlush() const {
  for (const SummaryChannel &C : Channels)
    if (C.UnconfirmedCompletion)
      return true;
  return false;
}

bool FunctionSummary::cleansObject() const {
  const SummaryChannel *C = find(ChannelKey::thisObject());
  if (!C || C->UnconfirmedCompletion)
    return false;
  for (const ChannelState &S : C->Exit)
    if (S.may(SB_Clean))
      return true;
  return false;
}

bool FunctionSummary::returnsReadyWithUnconfirmedFlush() const {
  // Not merely "returns Ready with data buffered" (that is what poll_write does): a flush was
  // tried on the way and its pending state dropped.
  for (const SummaryChannel &C : Channels) {
    const ChannelState &R = C.Exit[classIndex(RC_Ready)];
    if (R.may(SB_NeedsFlush))
      for (const PathEvent &E : R.Path)
        if (E.Kind == PathEventKind::FlushUnconfirmed ||
            E.Kind == PathEventKind::CheckedOnlyForErrors)
          return true;
  }
  return false;
}

SummaryBuilder::SummaryBuilder(const FunctionDecl *FD) { Sum.FD = FD; }

/// Keys a caller can map: rooted at `this` (in a method) or at one of the parameters.
bool SummaryBuilder::isInterfaceKey(const ChannelKey &K) const {
  if (K.isThisRooted())
    return llvm::isa<CXXMethodDecl>(Sum.FD) && !llvm::cast<CXXMethodDecl>(Sum.FD)->isStatic();
  const auto *P = llvm::dyn_cast<ParmVarDecl>(K.Root);
  return P && llvm::is_contained(Sum.FD->parameters(), P);
}

static SummaryChannel &channelFor(FunctionSummary &Sum, const ChannelKey &K) {
  for (SummaryChannel &C : Sum.Channels)
    if (C.Key == K)
      return C;
  Sum.Channels.push_back(SummaryChannel());
  Sum.Channels.back().Key = K;
  return Sum.Channels.back();
}

void SummaryBuilder::addExit(const FlowState &State, uint8_t Class, const Stmt *Ret,
                             uint8_t Signs) {
  Exit X{Class, Signs, Ret, {}};
  for (const auto &KV : State.Channels)
    if (isInterfaceKey(KV.first))
      X.Channels.insert(KV);
  Exits.push_back(std::move(X));
}

void SummaryBuilder::addCompletion(const ChannelKey &K, const ChannelState &Before,
                                   const Stmt *Site, EventKind Kind, bool EntryDirty) {
  if (!isInterfaceKey(K))
    return;
  SummaryChannel &C = channelFor(Sum, K);
  if (Before.may(SB_Entry)) {
    // The caller's data may still be there: the call completes without flushing.
    if (!C.UnconfirmedCompletion || stmtBefore(Site, C.UnconfirmedCompletion)) {
      C.UnconfirmedCompletion = Site;
      C.CompletionKind = Kind;
      C.JudgedByCallee = EntryDirty;
    }
    C.CompletesConfirmed = false;
  } else if (!C.UnconfirmedCompletion) {
    C.CompletesConfirmed = true;
  }
}

FunctionSummary SummaryBuilder::finish(FactShape ResultShape, bool CollapseClasses) {
  if (CollapseClasses)
    for (Exit &X : Exits)
      X.Class = RC_Other;
  for (const Exit &X : Exits)
    for (const auto &KV : X.Channels)
      channelFor(Sum, KV.first);
  for (const Exit &X : Exits) {
    Sum.ReturnClasses |= X.Class;
    unsigned Idx = classIndex(X.Class);
    for (SummaryChannel &C : Sum.Channels) {
      auto It = X.Channels.find(C.Key);
      ChannelState S = It == X.Channels.end() ? ChannelState::of(SB_Entry) : It->second;
      if (S.may(SB_NeedsFlush) && X.Ret)
        S.addEvent({PathEventKind::ReturnedDirty, X.Ret, Sum.FD, X.Class});
      C.Exit[Idx].join(S);
    }
  }
  Sum.ResultShape = ResultShape;
  Sum.Usable = true;
  return std::move(Sum);
}

FunctionSummary SummaryBuilder::finishBySign(bool ZeroIsPending) {
  const uint8_t ZeroClass = ZeroIsPending ? RC_Pending : RC_Ready;
  const uint8_t PosClass = ZeroIsPending ? RC_Ready : RC_Pending;
  std::vector<Exit> BySign;
  for (Exit &X : Exits) {
    const uint8_t Signs = X.Signs ? X.Signs : static_cast<uint8_t>(RS_Any);
    for (auto [Sign, Class] : {std::pair<uint8_t, uint8_t>{RS_Negative, RC_Error},
                               {RS_Zero, ZeroClass},
                               {RS_Positive, PosClass}})
      if (Signs & Sign) {
        BySign.push_back(X);
        BySign.back().Class = Class;
      }
  }
  Exits = std::move(BySign);
  FunctionSummary S = finish(FactShape::Signed);
  S.TrueIsPending = ZeroIsPending;
  return S;
}

std::optional<ChannelKey> mapKey(const ChannelKey &CalleeKey, const FunctionDecl *Callee,
                                 const std::optional<ChannelKey> &Object,
                                 llvm::ArrayRef<std::optional<ChannelKey>> Args) {
  std::optional<ChannelKey> Base;
  if (CalleeKey.isThisRooted()) {
    Base = Object ? Object : std::nullopt;
    // A call of a method on `this` without an explicit object: implicit `this`.
    if (!Object)
      return std::nullopt;
  } else {
    for (unsigned I = 0; I < Callee->getNumParams() && I < Args.size(); ++I)
      if (Callee->getParamDecl(I) == CalleeKey.Root)
        Base = Args[I];
    if (!Base)
      return std::nullopt;
  }
  if (Base->Sealed)
    return Base; // the callee's insides of a connection's socket are the connection
  for (const FieldDecl *F : CalleeKey.Fields) {
    if (Base->Fields.size() >= 4)
      return std::nullopt;
    Base->Fields.push_back(F);
  }
  return Base;
}

llvm::SmallVector<CallerCompletion, 2> unconfirmedCompletions(const Event &E) {
  llvm::SmallVector<CallerCompletion, 2> Out;
  for (const SummaryChannel &SC : E.Summary->Channels) {
    if (!SC.UnconfirmedCompletion)
      continue;
    if (auto CK = mapKey(SC.Key, E.Summary->FD, E.Object, E.Args))
      Out.push_back({&SC, std::move(*CK)});
  }
  return Out;
}

ChannelState substitute(const ChannelState &Exit, const ChannelState &Pre, const Stmt *Call,
                        const FunctionDecl *Callee) {
  if (Exit.isBottom())
    return Exit;
  ChannelState Out;
  Out.May = static_cast<uint8_t>(Exit.May & ~SB_Entry);
  bool CalleeDirty = Exit.may(SB_NeedsFlush | SB_InFlight) && !Exit.Path.empty();
  if (CalleeDirty) {
    Out.Path = Exit.Path;
    Out.addEvent({PathEventKind::CallLeftDirty, Call, Callee, 0});
  }
  if (Exit.may(SB_Entry)) {
    ChannelState P = Pre;
    Out.join(P);
    // The caller's own dirt came first: its path reads better than the callee's.
    if (P.may(SB_NeedsFlush | SB_InFlight) && !P.Path.empty())
      Out.Path = P.Path;
  }
  return Out;
}

} // namespace drain
