//===--- ConnectionMethods.h - a connection class's methods seen only declared -*- C++ -*-===//
//
// A server's handler class derives from its framework's buffered socket and calls the base's
// methods, defined in another file: `WriteData(body); Close();` (InspIRCd's m_httpd before its
// fix: the data went into the socket's send queue and Close() dropped it). No body is
// reachable from the call, so the role is read from the declaration, the way a reviewer reads
// it, and only on a *connection class* (Channels.h: it owns a write buffer and a socket, so
// its writes can be queued and its close can drop what is queued):
//
//   write     a method that returns nothing, takes data and whose name says it writes or
//             sends (`void WriteData(const std::string &)`, `void send(const char *, size_t)`):
//             it cannot report a short count, so it queues what it is handed. A BufferedWrite
//             on the object.
//   flush     a method returning nothing whose name says flush: it is taken to empty the
//             queue (a flush that can be pending answers it; one that answers nothing is
//             taken at its word).
//   empty test  a method without arguments answering an integer or bool, named for the
//             queue and its amount (`getSendQSize()`, `pendingBytes()`, `sendQueueEmpty()`):
//             zero (or "empty") proves the queue drained, as for `out_buf_.empty()`.
//   close     a method whose name says close or disconnect and takes no arguments
//             (`Close()`, `closeConnection()`). One with a parameter gets no row: the argument
//             may ask it to wait for the queue (`Close(bool writeblock)`, `shutdown(int
//             linger)`) or queue a close frame behind the data (a websocket's `close(code)`).
//             Nor does `shutdown()`: a buffered connection's shutdown is usually the graceful
//             half-close sent once the output drained (muduo's TcpConnection), nor a close of
//             a class that also has a forced one (`forceClose()`, `closeNow()`): its plain
//             close is then the graceful one.
//
// Names that say a variant which waits (`CloseAfterWrite`, `close_when_done`, `closeSoon`,
// `gracefulClose`), a callback (`OnClose`, `handle_close`), a query (`IsClosed`) or a write
// of everything (`WriteAll`, `send_sync`) get no row either. A method with a body here is
// RoleInference's: its body says what it does. The rows are RowOrigin::Inferred with family
// "declared": the check never counts data possible on a method's entry against such a
// completion (the class rule stays with bodies drain can read), only data this function
// queued itself.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_FLOW_CONNECTIONMETHODS_H
#define DRAIN_ANALYSIS_FLOW_CONNECTIONMETHODS_H

#include "analysis/core/ApiModel.h"
#include "analysis/flow/Channels.h"
#include "llvm/ADT/DenseMap.h"
#include <deque>
#include <memory>

namespace clang {
class ASTContext;
class FunctionDecl;
} // namespace clang

namespace drain {

/// The family label of the rows this source makes.
inline constexpr const char *DeclaredMethodFamily = "declared";

class ConnectionMethods : public RoleSource {
public:
  explicit ConnectionMethods(ChannelOptions Opts = ChannelOptions()) : Opts(std::move(Opts)) {}

  const ApiEntry *roleFor(const clang::FunctionDecl *FD, const ApiModel &M) override;
  void endUnit() override;

  /// The row \p FD's declaration says, or std::nullopt (exposed for tests).
  std::optional<ApiEntry> guess(const clang::FunctionDecl *FD, const ApiModel &M);

private:
  ChannelOptions Opts;
  std::unique_ptr<ChannelResolver> Channels;
  const clang::ASTContext *Ctx = nullptr;
  llvm::DenseMap<const clang::FunctionDecl *, const ApiEntry *> Memo;
  std::deque<ApiEntry> Rows;
};

} // namespace drain

#endif // DRAIN_ANALYSIS_FLOW_CONNECTIONMETHODS_H
