//===--- Lattice.cpp - the lattice of the write-completion flow ---------===//
#include "analysis/flow/Lattice.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include <algorithm>
#include <optional>
#include <tuple>

namespace drain {

bool stmtBefore(const clang::Stmt *A, const clang::Stmt *B) {
  if (!A || !B)
    return A && !B;
  auto LA = A->getBeginLoc().getRawEncoding(), LB = B->getBeginLoc().getRawEncoding();
  if (LA != LB)
    return LA < LB;
  return A->getEndLoc().getRawEncoding() < B->getEndLoc().getRawEncoding();
}

//===--- ChannelState -----------------------------------------------------===//

void ChannelState::addEvent(const PathEvent &E) {
  if (llvm::is_contained(Path, E))
    return;
  if (Path.size() >= MaxPathEvents)
    Path.erase(Path.begin() + 1); // keep the first event: where the data came from
  Path.push_back(E);
}

/// A path that starts earlier in the source wins; then the shorter one; then the one whose
/// events come first. Any total order works; this one is deterministic and reads naturally.
static bool pathPreferred(llvm::ArrayRef<PathEvent> A, llvm::ArrayRef<PathEvent> B) {
  if (A.empty() != B.empty())
    return !A.empty();
  if (A.empty())
    return false;
  if (A.front().S != B.front().S)
    return stmtBefore(A.front().S, B.front().S);
  if (A.size() != B.size())
    return A.size() < B.size();
  for (size_t I = 0; I < A.size(); ++I) {
    if (A[I].S != B[I].S)
      return stmtBefore(A[I].S, B[I].S);
    if (A[I].Kind != B[I].Kind)
      return A[I].Kind < B[I].Kind;
  }
  return false;
}

void ChannelState::join(const ChannelState &O) {
  May |= O.May;
  if (pathPreferred(O.Path, Path))
    Path = O.Path;
}

void ChannelState::clean() {
  May = static_cast<uint8_t>((May & ~(SB_Dirty | SB_Unsent | SB_Entry)) | SB_Clean);
  if (!(May & SB_InFlight))
    Path.clear();
}

//===--- ChannelKey -------------------------------------------------------===//

bool ChannelKey::operator<(const ChannelKey &O) const {
  if (Root != O.Root)
    return std::less<const void *>()(Root, O.Root);
  return std::lexicographical_compare(Fields.begin(), Fields.end(), O.Fields.begin(),
                                      O.Fields.end(), std::less<const void *>());
}

bool ChannelKey::isPrefixOf(const ChannelKey &O) const {
  if (Root != O.Root || Fields.size() > O.Fields.size())
    return false;
  return std::equal(Fields.begin(), Fields.end(), O.Fields.begin());
}

std::string ChannelKey::str() const {
  std::string S;
  if (Root)
    S = Root->getNameAsString();
  for (const clang::FieldDecl *F : Fields) {
    if (!S.empty())
      S += ".";
    S += F->getNameAsString();
  }
  return S.empty() ? "this" : S;
}

//===--- result classes ---------------------------------------------------===//

unsigned classIndex(uint8_t C) {
  switch (C) {
  case RC_Pending:
    return 0;
  case RC_Ready:
    return 1;
  case RC_Error:
    return 2;
  default:
    return 3;
  }
}

llvm::StringRef className(uint8_t C) {
  switch (C) {
  case RC_Pending:
    return "pending";
  case RC_Ready:
    return "ready";
  case RC_Error:
    return "error";
  default:
    return "other";
  }
}

bool ClassEffect::operator==(const ClassEffect &O) const {
  if (Key != O.Key)
    return false;
  for (unsigned I = 0; I < NumResultClasses; ++I)
    if (PerClass[I] != O.PerClass[I])
      return false;
  return true;
}

bool Fact::operator==(const Fact &O) const {
  return Shape == O.Shape && TrueIsPending == O.TrueIsPending && Remaining == O.Remaining &&
         FromFlush == O.FromFlush && Tested == O.Tested && Classes == O.Classes &&
         Part == O.Part &&
         Origin == O.Origin &&
         Effects == O.Effects;
}

bool Fact::mentions(const ChannelKey &K) const {
  for (const ClassEffect &E : Effects)
    if (K.isPrefixOf(E.Key) || E.Key.isPrefixOf(K))
      return true;
  return false;
}

/// Facts of the same origin and shape join pointwise (a loop produces the same fact with
/// different states on each trip); different facts cannot both be trusted: none is kept.
static std::optional<Fact> joinFacts(const Fact &A, const Fact &B) {
  if (A == B)
    return A;
  if (A.Origin != B.Origin || A.Shape != B.Shape || A.TrueIsPending != B.TrueIsPending ||
      A.Remaining != B.Remaining || A.Effects.size() != B.Effects.size())
    return std::nullopt;
  Fact R = A;
  R.Classes |= B.Classes;
  R.Tested |= B.Tested;
  for (size_t I = 0; I < R.Effects.size(); ++I) {
    if (R.Effects[I].Key != B.Effects[I].Key)
      return std::nullopt;
    for (unsigned C = 0; C < NumResultClasses; ++C)
      R.Effects[I].PerClass[C].join(B.Effects[I].PerClass[C]);
  }
  return R;
}

template <typename Map> static void joinFactMaps(Map &Into, const Map &From) {
  // A fact present on one side only is kept: it only ever refines the channels it produced,
  // and on the other side the variable holds no evidence that could contradict it.
  for (const auto &KV : From) {
    auto It = Into.find(KV.first);
    if (It == Into.end()) {
      Into.insert(KV);
      continue;
    }
    if (auto J = joinFacts(It->second, KV.second))
      It->second = std::move(*J);
    else
      Into.erase(It);
  }
}

//===--- FlowState --------------------------------------------------------===//

ChannelState FlowState::get(const ChannelKey &K) const {
  auto It = Channels.find(K);
  if (It != Channels.end())
    return It->second;
  return ChannelState::of(SB_Entry);
}

const Fact *FlowState::factOfVar(const clang::ValueDecl *D) const {
  auto It = Vars.find(D);
  return It == Vars.end() ? nullptr : &It->second;
}

const Fact *FlowState::factOfCounter(const ChannelKey &Path) const {
  auto It = Counters.find(Path);
  return It == Counters.end() ? nullptr : &It->second;
}

void FlowState::invalidateFacts(const ChannelKey &K) {
  for (auto It = Vars.begin(); It != Vars.end();)
    It = It->second.mentions(K) ? Vars.erase(It) : std::next(It);
  for (auto It = Counters.begin(); It != Counters.end();)
    It = It->second.mentions(K) ? Counters.erase(It) : std::next(It);
  for (auto It = Exprs.begin(); It != Exprs.end();)
    It = It->second.mentions(K) ? Exprs.erase(It) : std::next(It);
}

void FlowState::join(const FlowState &O) {
  if (!O.Reached)
    return;
  if (!Reached) {
    *this = O;
    return;
  }
  // A channel missing on one side is at SB_Entry there.
  for (auto &KV : Channels)
    if (!O.Channels.count(KV.first))
      KV.second.join(ChannelState::of(SB_Entry));
  for (const auto &KV : O.Channels) {
    auto It = Channels.find(KV.first);
    if (It == Channels.end()) {
      ChannelState S = ChannelState::of(SB_Entry);
      S.join(KV.second);
      Channels.emplace(KV.first, std::move(S));
    } else {
      It->second.join(KV.second);
    }
  }
  joinFactMaps(Vars, O.Vars);
  joinFactMaps(Exprs, O.Exprs);
  joinFactMaps(Counters, O.Counters);
}

bool FlowState::operator==(const FlowState &O) const {
  return Reached == O.Reached && Channels == O.Channels && Vars == O.Vars && Exprs == O.Exprs &&
         Counters == O.Counters;
}

} // namespace drain
