//===--- PendingOutput.h - output a record holds until it is written -*- C++ -*-===//
//
// Much buffered output lives in plain members, not in a container drain can name: a byte
// array and a fill count (rsyslog's omfwd: `uchar sndBuf[...]; int offsSndBuf;`, appended to
// with `memcpy(t->sndBuf + t->offsSndBuf, ...); t->offsSndBuf += len;` and sent with
// `TCPSendBuf(t, t->sndBuf, t->offsSndBuf, ...)`), or a position and a size of what is left
// (ZeroMQ's stream engine: `write(outpos, outsize)` then `outpos += n; outsize -= n;`). A record
// holds *pending output* when some function of the translation unit hands a buffer-like member
// (a byte array, a byte pointer, a class) together with an integer member of the same object
// to a write, a send or a flush (a row of the model, or a callee whose name says it writes),
// and some function makes that integer grow (`+=`, `++`, or its address handed to a call that
// fills it: `encoder->get_data(&outpos, &outsize)`; the member called there is the output's
// *producer*). Names play no part beyond excluding input buffers (`rbuf`, `in_len`), growth
// by what a call named as a read answered (`rplen += r` after `r = ws_raw_read(...)`), and the
// write's own name: what makes the members output is that they are written out.
//
// A *teardown* of such a record is `delete this` in one of its methods, or a call that ends
// one of the record's members or the record itself (a Close/Shutdown/Destroy row, or a callee
// or function pointer whose name says close, destroy, destruct, free, terminate: `close(s)`,
// `netstrm.Destruct(&t->pNetstrm)`, `free(c)`). teardownIn() reports the first one in a
// function that reaches it without consulting the pending output first: no condition reads
// the count, the buffer or the producer (`if (t->offsSndBuf != 0)`, `encoder->has_data()`), no
// call of the write that drains it or of a function that does, no `count = 0` (a deliberate
// drop). It stays silent when
//   - the teardown runs only on a failure path, or releases a last reference;
//   - the function is a failure handler by its name (`error()`, `abort_conn()`) or is itself a
//     function that drains the output (closing after its own failed write is error handling);
//   - every call of the function in the translation unit comes after its caller consulted or
//     drained the output, or is on a failure path (the teardown is a drop its callers guard);
//   - a function that drains the output itself ends the record once it found the output
//     empty (`if (c->bufpos == 0 && (c->flags & CLOSE_AFTER_REPLY)) freeClient(c);`): the
//     record closes gracefully through its writer, and its plain teardown is the drop.
// Constructors are not judged, nor destructors unless the check's CheckDestructors option
// asks (a destructor cannot wait for a write).
//
// The output may also wait one level down or in a container:
//   - a member that is (or points to, or owns through a smart pointer) a record with a buffer
//     and a count, written out through the owner's channel (nats.c: `write(nc->fd,
//     nc->bw->data, nc->bw->len)`): the owner holds pending output in that member, and its
//     count is the inner record's;
//   - an *output queue*: a member container (std::deque, std::vector, std::string, a
//     project's queue: a class saying its size or emptiness) that some function fills
//     (push_back, append, `+=`: the model's buffer vocabulary and core/AsyncOps'
//     memberChangeOf) and some function drains, taking elements out (pop_front, erase, clear)
//     in a function that writes them, or what was built from them, to the record's own
//     channel (a method of the record, a call handed it, or a call on or handed a member named
//     like a socket: `Socket->SendData`, `m_socket->write(&m_buf[0], ...)` after `for (auto
//     &dg : m_send_queue) m_buf += dg;`). An integer member that a fill grows and the drain
//     zeroes, or lowers by what its elements reach (`m_total_queue_size -= dg->size()`), is
//     the queue's byte total: testing it is testing the queue;
//   - an output queue named by its class's declarations alone, the bodies being in another
//     file: a `void` method whose name says queue, send or write takes the element type of
//     exactly one container member (`QueuePacket(NetworkPacket &&)`, `std::deque<NetworkPacket>
//     _outboundPackets`), a method without required arguments says send, write or flush
//     (`SendQueuedPackets()`), and the class has a socket member. Its teardown counts only
//     after the function itself queued into the same object (directly, or through a function
//     of the file handed it); the callers are not asked.
// A teardown may also be a method of a member called through a smart pointer
// (`connection.Socket->Disconnect()`) in a function handed the record by reference, or a
// smart-pointer socket member assigned null (`m_socket = nullptr`). A call of a function of
// the file whose own body ends the record unconsulted (`shutdown(lock)` on the record itself,
// `conn_shut(c)` handed it) is a teardown of the caller, judged at that call; the function
// itself is then judged only for the callers that are not. A name whose first word says news
// of an end (`receive_disconnect`, `on_close`, `handle_disconnect`) ends nothing, and such a
// function is a handler of an end that already happened. Taking the queue's elements out
// before the teardown (`m_send_queue.clear()`) drops them on purpose, as `count = 0` does.
//
// Cost: a function is looked at only when one of its own statements is a teardown of a record
// with a buffer-like and an integer member, a queue member, or a member holding a record with
// both; the evidence is gathered by one walk over the main file's function bodies, once per
// translation unit, on the first such function. Only a body that takes elements out of a
// queue member is walked a second time (for its writes and the flows of its values).
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_FLOW_PENDINGOUTPUT_H
#define DRAIN_ANALYSIS_FLOW_PENDINGOUTPUT_H

#include "analysis/flow/Channels.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringSet.h"
#include <memory>
#include <optional>

namespace clang {
class ASTContext;
class CallExpr;
class CXXMemberCallExpr;
class CXXMethodDecl;
class CXXRecordDecl;
class Expr;
class FieldDecl;
class FunctionDecl;
class NamedDecl;
class RecordDecl;
class Stmt;
} // namespace clang

namespace drain {

class ApiModel;

/// A teardown reached while the record's pending output may be non-empty.
struct PendingTeardown {
  const clang::Stmt *Site = nullptr;            ///< `delete this`, or the call that ends it
  const clang::NamedDecl *Ender = nullptr;      ///< the callee at Site (null for delete)
  const clang::FieldDecl *Buffer = nullptr;     ///< the member holding the output
  /// Its count, or the size of what is left (an output queue without a byte total: the
  /// queue itself, equal to Buffer).
  const clang::FieldDecl *Amount = nullptr;
  const clang::CallExpr *Drain = nullptr;       ///< where the output is written
  const clang::FunctionDecl *Drainer = nullptr; ///< the function holding Drain
  const clang::CallExpr *Caller = nullptr;      ///< a call of the teardown with nothing consulted
};

class PendingOutput {
public:
  PendingOutput(const ApiModel &Model, const ChannelOptions &Opts = ChannelOptions());
  ~PendingOutput();

  /// Forgets everything learnt about a translation unit.
  void reset();

  /// Judge destructors too (the check's CheckDestructors option; off by default: a
  /// destructor cannot wait for a write).
  void setCheckDestructors(bool On) { CheckDestructors = On; }

  /// True if a statement of \p FD tears down a record that has a buffer-like and an integer
  /// member (cheap: no evidence gathered).
  bool mayTearDown(const clang::FunctionDecl *FD);

  /// The first teardown in \p FD reached with the record's pending output unconsulted.
  std::optional<PendingTeardown> teardownIn(const clang::FunctionDecl *FD);

  struct Evidence;

private:
  struct Site {
    const clang::Stmt *S = nullptr;
    const clang::NamedDecl *Ender = nullptr;
    const clang::RecordDecl *Record = nullptr;
    /// A call of a function whose own body ends the record: that function, and its teardown.
    const clang::FunctionDecl *Via = nullptr;
    const clang::Stmt *Inner = nullptr;
  };
  /// The teardowns in \p FD; with \p Deep, also the calls of functions of the file (a method
  /// of the record on itself, or one handed the record) whose own statements end it.
  void sites(const clang::FunctionDecl *FD, llvm::SmallVectorImpl<Site> &Out, bool Deep = true);
  void deepSite(const clang::CallExpr *CE, const clang::FunctionDecl *FD,
                llvm::SmallVectorImpl<Site> &Out);
  bool innerTeardownJudged(const Site &St, const Evidence &E);
  /// True if \p Call, a call in \p Caller, is a teardown \p Caller is judged for itself.
  bool judgedAtCall(const clang::FunctionDecl *Caller, const clang::CallExpr *Call);
  bool hasCandidatePair(const clang::RecordDecl *RD);
  bool isBufferLike(const clang::FieldDecl *F) const;
  bool isAmount(const clang::FieldDecl *F) const;
  bool inputNamed(const clang::FieldDecl *F) const;
  /// True if \p E is the answer of a call whose name says it reads (`ws_raw_read(...)`,
  /// `recv(...)`), directly or through the local it initialized.
  bool readCount(const clang::Expr *E) const;
  bool writesOut(const clang::CallExpr *CE) const;
  bool endsSomething(const clang::CallExpr *CE) const;
  Evidence &evidence(const clang::RecordDecl *RD);
  /// The record's evidence once the file is scanned, or null if it holds no pending output.
  Evidence *evidenceFor(const clang::RecordDecl *RD);
  void scan();
  struct BodyFacts;
  void scanBody(const clang::FunctionDecl *FD);
  void scanCall(const clang::CallExpr *CE, const clang::FunctionDecl *FD, BodyFacts &Facts);
  struct Mention;
  const clang::FieldDecl *scanQueueCall(const clang::CallExpr *CE, const clang::FunctionDecl *FD,
                                        BodyFacts &Facts);
  void otherMembers(const clang::FieldDecl *Buffer, const clang::Expr *Base,
                    llvm::ArrayRef<Mention> Mentioned,
                    llvm::SmallVectorImpl<const clang::FieldDecl *> &Others);
  void ownerDrain(const clang::CallExpr *CE, const clang::FunctionDecl *FD, const Mention &B,
                  llvm::ArrayRef<const clang::FieldDecl *> Amounts,
                  llvm::ArrayRef<Mention> Mentioned);
  void scanQueueDrains(const clang::FunctionDecl *FD, const BodyFacts &Facts);
  struct QueueFlows;
  void queueFlows(const clang::FunctionDecl *FD, QueueFlows &Out) const;
  bool isQueue(const clang::FieldDecl *F) const;
  /// What a method (by name) of a queue member does to it: 1 fills, 2 takes out, 3 tests.
  int queueEffect(const clang::FunctionDecl *Method) const;
  bool grown(const clang::FieldDecl *F) const;
  bool hasPair(const clang::RecordDecl *RD) const;
  bool ownChannel(const clang::CallExpr *CE, const clang::Expr *Base) const;
  bool consultedBefore(const clang::FunctionDecl *Fn, const clang::Stmt *Site,
                       const clang::RecordDecl *Record, const Evidence &E) const;
  bool consults(const clang::Stmt *S, const clang::FunctionDecl *Fn,
                const clang::RecordDecl *Record, const Evidence &E) const;
  int emptyBranch(const clang::Expr *Cond, const Evidence &E) const;
  bool closesGracefully(Evidence &E);
  const clang::CallExpr *unguardedCaller(const clang::FunctionDecl *FD,
                                         const clang::RecordDecl *Record, const Evidence &E,
                                         bool &Any);
  /// Output queued through methods of a record defined in other files (see the file comment).
  struct DeclaredQueue;
  const DeclaredQueue *declaredQueue(const clang::RecordDecl *RD);
  const clang::FieldDecl *queueOfFill(const clang::CXXMethodDecl *M,
                                      const clang::CXXRecordDecl *RD) const;
  void scanDeclaredQueue(const clang::CXXMemberCallExpr *MCE, const clang::FunctionDecl *FD);
  bool queuedBefore(const clang::FunctionDecl *FD, const clang::Stmt *Site,
                    const DeclaredQueue &Q);

  const ApiModel &Model;
  /// The socket words of the connection classes (`fd`, `sock`, `stream`, `handle`).
  ChannelResolver Channels;
  llvm::StringSet<> InputWords;
  const clang::ASTContext *Ctx = nullptr;
  bool CheckDestructors = false;
  bool Scanned = false;
  llvm::DenseMap<const clang::RecordDecl *, bool> Candidates;
  mutable llvm::DenseMap<const clang::FieldDecl *, bool> Queues;
  llvm::DenseMap<const clang::RecordDecl *, std::unique_ptr<Evidence>> Records;
  llvm::DenseMap<const clang::RecordDecl *, std::unique_ptr<DeclaredQueue>> DeclaredQueues;
  /// Canonical callee -> (caller, call) for the main file's direct calls.
  llvm::DenseMap<
      const clang::FunctionDecl *,
      llvm::SmallVector<std::pair<const clang::FunctionDecl *, const clang::CallExpr *>, 2>>
      Calls;
};

} // namespace drain

#endif // DRAIN_ANALYSIS_FLOW_PENDINGOUTPUT_H
