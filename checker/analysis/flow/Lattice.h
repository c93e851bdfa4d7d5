//===--- Lattice.h - the lattice of the write-completion flow -*- C++ -*-===//
//
// What the flow engine knows about each channel (a socket fd, a stream, a connection object)
// at a program point, and about the values that can still refine it (a flush's result, a byte
// count, an emptiness test).
//
// A channel's state is a *may-set* of StateBits: the states the channel can be in on some path
// reaching the point. Join is set union, so the lattice is a powerset (bottom = no bits, the
// point is unreachable) and "may be dirty" is simply "has the Dirty bit". Alongside the bits a
// channel carries the path that made it dirty (PathEvents), used only for notes.
//
// The Entry bit is symbolic: "whatever the caller had". It makes one analysis of a function
// serve both as its own check (Entry is treated as dirty only for the object of a class that
// owns a write buffer and a socket) and as its summary (a caller substitutes its own state
// for Entry).
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_FLOW_LATTICE_H
#define DRAIN_ANALYSIS_FLOW_LATTICE_H

#include "analysis/core/ApiModel.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include <cstdint>
#include <map>
#include <string>

namespace clang {
class Decl;
class Expr;
class FieldDecl;
class Stmt;
class ValueDecl;
} // namespace clang

namespace drain {

/// The states a channel may be in. A ChannelState holds a set of them.
enum StateBit : uint8_t {
  SB_Clean = 1u << 0,    ///< nothing written that is not known to have left
  SB_Dirty = 1u << 1,    ///< data buffered and no flush confirmed since
  SB_Unsent = 1u << 2,   ///< a write whose short count / pending state was not checked
  SB_Entry = 1u << 3,    ///< as on entry to the function (symbolic, see file comment)
  SB_Unknown = 1u << 4,  ///< handed to code we cannot see; we no longer know
  SB_InFlight = 1u << 5, ///< an asynchronous write started and not yet confirmed
};
/// Bits that make a completion unsafe for drain-shutdown-before-flush.
constexpr uint8_t SB_NeedsFlush = SB_Dirty | SB_Unsent;

/// One step of the path that made a channel dirty, reported as a note.
enum class PathEventKind : uint8_t {
  Written,            ///< data written into a buffer / toward the peer
  ShortCount,         ///< a write whose count was not proven complete
  FlushUnconfirmed,   ///< a flush whose result was not tested for completion
  FlushPending,       ///< a test that proved the flush (or write) still pending
  CheckedOnlyForErrors, ///< a test of a flush/write result that only excludes the error state
  CallLeftDirty,      ///< a call whose summary may leave the channel dirty
  ReturnedDirty,      ///< (inside a callee) a return with the channel dirty
  AsyncStarted,       ///< an asynchronous write started (in flight)
};

struct PathEvent {
  PathEventKind Kind;
  const clang::Stmt *S = nullptr;   ///< where it happened
  const clang::Decl *D = nullptr;   ///< the callee, when there is one
  uint8_t ResultClass = 0;          ///< ReturnedDirty/FlushPending: the class involved
  bool operator==(const PathEvent &O) const {
    return Kind == O.Kind && S == O.S && D == O.D && ResultClass == O.ResultClass;
  }
};

/// The state of one channel: the may-set and the dirty path (empty unless Dirty/Unsent or
/// InFlight is possible).
struct ChannelState {
  uint8_t May = 0;
  llvm::SmallVector<PathEvent, 4> Path;

  /// How many events a path keeps. The first event (usually "data written here") is kept;
  /// beyond the cap the oldest of the others are dropped. Bounding the path bounds the
  /// lattice's height, so the fixpoint is reached.
  static constexpr unsigned MaxPathEvents = 8;

  static ChannelState of(uint8_t Bits) {
    ChannelState S;
    S.May = Bits;
    return S;
  }
  bool isBottom() const { return May == 0; }
  bool may(uint8_t Bits) const { return (May & Bits) != 0; }
  /// Appends \p E unless it is already on the path.
  void addEvent(const PathEvent &E);
  /// Joins \p O into this state (set union; the dirty path of the two that starts first in
  /// the source is kept, so the result does not depend on the order of joins).
  void join(const ChannelState &O);
  /// Removes the dirt bits and their path; adds Clean.
  void clean();
  bool operator==(const ChannelState &O) const { return May == O.May && Path == O.Path; }
  bool operator!=(const ChannelState &O) const { return !(*this == O); }
};

/// Which channel: a root (a variable, a parameter or `this`) and a short path of fields.
/// Buffer and socket members of a connection class are folded into their object by the
/// ChannelResolver, so `out_buf_.append()` and `::close(fd_)` name the same channel.
struct ChannelKey {
  const clang::ValueDecl *Root = nullptr; ///< null: `this`
  llvm::SmallVector<const clang::FieldDecl *, 2> Fields;
  /// The key has collapsed into a connection object through its socket member (`io_.sock_`
  /// is `io_`): fields below it (the socket's own `fd_`) name the same channel. Not part of
  /// the key's identity.
  bool Sealed = false;

  static ChannelKey thisObject() { return ChannelKey(); }
  bool isThisRooted() const { return Root == nullptr; }
  bool operator<(const ChannelKey &O) const;
  bool operator==(const ChannelKey &O) const { return Root == O.Root && Fields == O.Fields; }
  bool operator!=(const ChannelKey &O) const { return !(*this == O); }
  /// True if \p O is this key or a field path below it.
  bool isPrefixOf(const ChannelKey &O) const;
  /// "fd", "conn_", "c.sock", "this" (for notes and tests).
  std::string str() const;
};

/// The classes of a result that a test can tell apart. A flush's Poll::Pending, a send's
/// short count, SSL_ERROR_WANT_WRITE and "the buffer is not empty" are all RC_Pending.
enum ResultClass : uint8_t {
  RC_Pending = 1u << 0, ///< not finished: data may still be buffered / unsent
  RC_Ready = 1u << 1,   ///< finished: everything left (or the buffer is empty)
  RC_Error = 1u << 2,   ///< failed: the program saw the failure
  RC_Other = 1u << 3,   ///< a value the analysis cannot classify
  RC_All = 0xF,
};
constexpr unsigned NumResultClasses = 4;
/// Index 0..3 of a single class bit.
unsigned classIndex(uint8_t SingleClass);
llvm::StringRef className(uint8_t SingleClass);

/// How a value's tests map onto result classes.
enum class FactShape : uint8_t {
  Enum,     ///< compared with named states: Poll::Pending, SSL_ERROR_WANT_WRITE
  Bool,     ///< true is Ready (or Pending when TrueIsPending: has_buffered_write())
  Count,    ///< a byte count: equal to the length is Ready, short is Pending, < 0 is Error
  Size,     ///< a buffer's size: 0 is Ready
  Progress, ///< an accumulator of counts (off += n; Remaining: len -= n): done clears Unsent
  Derived,  ///< a bool that holds the value of a condition (bool ok = r == Poll::Ready)
  Status,   ///< an int status: zero is success (Ready), anything else a failure (Error)
  /// An int whose sign is the state (ResultKind::SignedState): negative is Error, positive
  /// Pending and zero Ready, or zero Pending and positive Ready with TrueIsPending.
  Signed,
};

/// What one class of a result means for one channel: the channel's state on paths where
/// the result is of that class. States are absolute (computed when the result was produced).
struct ClassEffect {
  ChannelKey Key;
  ChannelState PerClass[NumResultClasses];
  bool operator==(const ClassEffect &O) const;
};

/// What a value (a call's result, a local variable) can still tell about channels.
struct Fact {
  FactShape Shape = FactShape::Enum;
  bool TrueIsPending = false;   ///< Bool: true means "still pending" (has_buffered_write);
                                ///< Signed: zero means pending
  bool Remaining = false;       ///< Progress: counts down to zero (len -= n)
  bool FromFlush = false;       ///< the result of a flush (for the "checked only for errors" note)
  bool Tested = false;          ///< some condition on this path has refined it
  /// The part of the result this value is (ResultParts.h): a variable holding `r.state` or
  /// `TRY(...)`'s value is the State part of the flush's result, `r.failed` its ErrorFlag.
  ResultPart Part = ResultPart::Whole;
  uint8_t Classes = RC_All;     ///< classes still possible on this path
  const clang::Stmt *Origin = nullptr; ///< the call (or condition, for Derived)
  llvm::SmallVector<ClassEffect, 1> Effects;
  bool operator==(const Fact &O) const;
  bool operator!=(const Fact &O) const { return !(*this == O); }
  /// True if the fact says something about \p K (or a channel below it).
  bool mentions(const ChannelKey &K) const;
};

/// The abstract state at a program point.
struct FlowState {
  bool Reached = false;
  std::map<ChannelKey, ChannelState> Channels;
  std::map<const clang::ValueDecl *, Fact> Vars;   ///< facts bound to local variables
  std::map<const clang::Expr *, Fact> Exprs;       ///< facts of evaluated expressions
  /// Progress facts of write-all loop counters kept in fields (`c->out.len -= n`), keyed by
  /// the counter's member path from a variable or `this` (progressCounter, TransferTable.h):
  /// `a->len` and `b->len` are two counters, though they are one FieldDecl.
  std::map<ChannelKey, Fact> Counters;

  /// The state of \p K; channels never touched are as on entry (SB_Entry).
  ChannelState get(const ChannelKey &K) const;
  void set(const ChannelKey &K, ChannelState S) { Channels[K] = std::move(S); }
  /// The fact of a variable or expression (after stripping), or null.
  const Fact *factOfVar(const clang::ValueDecl *D) const;
  /// The progress fact of the counter field at member path \p Path, or null.
  const Fact *factOfCounter(const ChannelKey &Path) const;
  /// Forgets every fact that mentions \p K: the channel changed since they were produced.
  void invalidateFacts(const ChannelKey &K);
  /// Set union of channels; facts kept where equal or present on one side only.
  void join(const FlowState &O);
  bool operator==(const FlowState &O) const;
  bool operator!=(const FlowState &O) const { return !(*this == O); }
};

/// Source order of two statements' begin locations (raw encodings; deterministic in a TU).
bool stmtBefore(const clang::Stmt *A, const clang::Stmt *B);

} // namespace drain

#endif // DRAIN_ANALYSIS_FLOW_LATTICE_H
