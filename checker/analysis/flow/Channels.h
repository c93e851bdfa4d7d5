//===--- Channels.h - which object an I/O operation acts on -----*- C++ -*-===//
//
// Turns the channel argument of an operation (`fd`, `this->fd_`, `conn_`, `c->ssl`) into a
// ChannelKey, and recognises *connection classes*: classes that own both a write buffer and a
// socket. In a connection class the buffer and the socket are one channel, the object: bytes
// appended to `out_buf_` are bytes owed to `fd_`, so `out_buf_.append(...)` is a write to the
// connection and `::close(fd_)` completes it.
//
// A member is a write buffer when it is annotated [[clang::annotate("drain::write_buffer")]],
// or when its type is container-like (a class with size() or empty()) and one of the words of
// its name (split at '_' and camelCase) is in BufferWords (default: buf, buffer, out, output,
// outbuf, wbuf, obuf, sendbuf, writebuf, txbuf, pending, queue, outbox, backlog, sendq, writeq,
// outq, txq) and none is in
// InputBufferWords (default: in, input, inbuf, ibuf, rbuf, read, recv, rx, incoming, req,
// request): `in_buf_` is where a connection reads into, not what it owes its peer. A name
// that says nothing of a direction (`buf_`, `m_sBuffer`, `queue`) makes a write buffer only
// when a method of its class hands it to a write (a row of kind write, or a callee whose name
// says it writes or sends): a line reader's read-ahead buffer is filled from reads and
// consumed by a parser, and is never owed to anyone.
// A member is a socket when it is annotated drain::socket, or when one of the words of its name
// is in SocketWords (default: fd, sock, socket, sockfd, ssl, tls, bev, stream, handle) and its
// type is an integer, a pointer or a class.
//
// In C code, a struct with a socket member and a write buffer member is a *connection
// struct*, one channel as a connection class is: the buffer member's name has an output word
// other than the neutral buf/buffer/queue (`outbuf`, `wbuf`, `out`, `sendq`), and it holds
// bytes directly (`char wbuf[4096]`) or as a struct of its own (`struct outq out`, also behind
// a pointer).
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_FLOW_CHANNELS_H
#define DRAIN_ANALYSIS_FLOW_CHANNELS_H

#include "analysis/flow/Lattice.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSet.h"
#include <optional>

namespace clang {
class QualType;
class CXXRecordDecl;
class CallExpr;
class Expr;
class Stmt;
class CXXMethodDecl;
class RecordDecl;
class FieldDecl;
class FunctionDecl;
class MemberExpr;
} // namespace clang

namespace drain {

class ApiModel;

struct ChannelOptions {
  std::string BufferWords =
      "buf;buffer;out;output;outbuf;wbuf;obuf;sendbuf;writebuf;txbuf;pending;queue;outbox;"
      "backlog;sendq;writeq;outq;txq";
  std::string InputBufferWords =
      "in;input;inbuf;ibuf;rbuf;read;recv;rx;incoming;req;request";
  std::string SocketWords = "fd;sock;socket;sockfd;ssl;tls;bev;stream;handle";
};

class ChannelResolver {
public:
  explicit ChannelResolver(const ChannelOptions &Opts = ChannelOptions());

  /// The model that tells a write when a buffer's name says no direction; without one, such
  /// a name is taken as a write buffer.
  void setModel(const ApiModel *M) { Model = M; }

  /// The channel an expression names, or nullopt (a temporary, an array element, ...).
  /// Looks through parentheses, casts, `*p`, `&x` and trivial accessors (`int fd() const
  /// { return fd_; }`).
  std::optional<ChannelKey> keyOf(const clang::Expr *E) const;

  /// True if \p RD (or a base) owns a write buffer and a socket.
  bool isConnectionClass(const clang::CXXRecordDecl *RD) const;
  /// The members of \p RD (and of its bases) that hold a connection of their own, as an
  /// object, through a pointer or a smart pointer (`Buffered io_`, `std::unique_ptr<Conn>
  /// conn_`): the owner's methods can leave that connection's buffer unflushed.
  void ownedConnections(const clang::CXXRecordDecl *RD,
                        llvm::SmallVectorImpl<const clang::FieldDecl *> &Out) const;
  /// The write buffer member of a connection class (first found), or null.
  const clang::FieldDecl *bufferMember(const clang::CXXRecordDecl *RD) const;
  bool isBufferMember(const clang::FieldDecl *F) const;
  /// A member named like a write buffer (whatever its type): `write_queue` in a C struct,
  /// tested with QUEUE_EMPTY / TAILQ_EMPTY.
  bool hasBufferName(const clang::FieldDecl *F) const;
  /// An integer member that counts what a write buffer holds: `write_queue_size`,
  /// `outbuf_len`, `wbuf_used`.
  bool isBufferSizeMember(const clang::FieldDecl *F) const;
  /// True if \p ME reads what a write buffer holds: a size member (isBufferSizeMember), or
  /// an integer member of a C struct's write buffer held as a struct of its own
  /// (`c->out.len`, isCBufferMember).
  bool isBufferCount(const clang::MemberExpr *ME) const;
  bool isSocketMember(const clang::FieldDecl *F) const;
  /// True if \p CE, a call of a method \p FD whose body is not visible and whose name says
  /// write (`io_.write(out_.data(), n)`), hands it a member named like a write buffer: it
  /// moves the buffer's bytes into its object, and changes nothing else the flow tracks.
  bool movesBufferInto(const clang::CallExpr *CE, const clang::FunctionDecl *FD) const;
  /// A write buffer of a C struct: a member named like one with a word that says output
  /// (`outbuf`, `wbuf`, `out`, `sendq`; `buf` alone says nothing) holding bytes itself (a
  /// byte array or pointer) or as a struct of its own with one (`struct outq out;`).
  bool isCBufferMember(const clang::FieldDecl *F) const;
  /// True if the C struct \p RD has a socket member and a write buffer member
  /// (isCBufferMember): its buffer and socket are one channel, the object, as in a
  /// connection class. Always false for a C++ class (isConnectionClass judges those).
  bool isConnectionStruct(const clang::RecordDecl *RD) const;

  /// The class whose object \p K denotes when it is rooted at `this` in a method of
  /// \p ThisClass, or the class of the variable/field it names; null if not a class.
  const clang::CXXRecordDecl *classOf(const ChannelKey &K,
                                      const clang::CXXRecordDecl *ThisClass) const;

  /// The class of the object a value of type \p T holds: the class itself, a pointer's
  /// pointee, or a smart pointer's (whatever its `operator->` returns); null if none.
  static const clang::CXXRecordDecl *heldClass(clang::QualType T);

  /// Splits an identifier into lower-case words: "outBuf_" -> {out, buf}.
  static llvm::SmallVector<std::string, 4> nameWords(llvm::StringRef Name);

private:
  bool nameHasWord(llvm::StringRef Name, const llvm::StringSet<> &Words) const;
  /// Appends field \p F to \p K unless F is a buffer/socket member of a connection class.
  void appendField(ChannelKey &K, const clang::FieldDecl *F) const;
  /// appendField, and nothing more once the key has collapsed into a connection object.
  void append(ChannelKey &K, const clang::FieldDecl *F, bool &Sealed) const;
  std::optional<ChannelKey> keyOf(const clang::Expr *E, bool &Sealed, unsigned Depth) const;
  std::optional<ChannelKey> accessorKey(const clang::CXXMethodDecl *MD, bool &Sealed,
                                        unsigned Depth) const;
  /// True if a method of \p F's class hands F to a write (`::send(fd_, buf_.data(), ...)`).
  bool handedToWrite(const clang::FieldDecl *F) const;
  /// True if a method of \p F's class writes a member named like a write buffer into F:
  /// through a write method of F's object (`io_.write(out_.data(), n)`, `stream_->send(...)`)
  /// or a write handed F or F's accessor (`::send(io_.fd(), wbuf_.data(), ...)`). Such a
  /// member is the class's transport whatever its name (hyper's `io`).
  bool drainedInto(const clang::FieldDecl *F) const;
  /// True if \p A mentions a member named like a write buffer (`out_.data()`).
  bool namesBufferMember(const clang::Expr *A) const;
  /// Calls \p Visit with each write in the bodies of \p RD's methods (a write row of the
  /// model, or a name that says write; asynchronous ones only with \p Async) until it
  /// answers false.
  void forEachWrite(const clang::CXXRecordDecl *RD, bool Async,
                    llvm::function_ref<bool(const clang::CallExpr *)> Visit) const;
public:
  /// True if \p S drops what a write buffer member of `this` holds: `out_.clear()` (the
  /// model's buffer vocabulary says the method clears).
  bool clearsOwnBuffer(const clang::Stmt *S) const;
private:
  llvm::StringSet<> BufferWords, InputWords, SocketWords;
  const ApiModel *Model = nullptr;
  mutable llvm::DenseMap<const clang::CXXRecordDecl *, bool> ConnectionCache;
  mutable llvm::DenseMap<const clang::RecordDecl *, bool> StructCache;
  mutable llvm::DenseMap<const clang::FieldDecl *, bool> HandedCache;
  /// Per class: the members its methods drain a write buffer into (drainedInto).
  mutable llvm::DenseMap<const clang::RecordDecl *,
                         llvm::SmallPtrSet<const clang::FieldDecl *, 2>> DrainTargets;
};

} // namespace drain

#endif // DRAIN_ANALYSIS_FLOW_CHANNELS_H
