//===--- WholeWrites.h - writes that cannot be short -------------*- C++ -*-===//
//
// One table, shared by every check that asks "can this write leave part of its bytes
// behind?": drain-partial-write (a count only tested for failure is fine for such a write)
// and the flow engine behind drain-shutdown-before-flush (no short-write state to complete).
// A write is whole when its length is a constant of one byte or item; when its length is a
// small constant and it may go to a pipe, a FIFO or an eventfd (POSIX makes writes up to
// PIPE_BUF, at least 512 bytes, atomic there, and an eventfd takes its 8 bytes or nothing);
// or when it is a send with a destination address (sendto's argument, or a sendmsg whose
// header its function gives a `msg_name`), which goes to a datagram socket where a datagram
// is sent whole or not at all. Socket-only sends (send, sendto, sendmsg) get the small-length
// rule only on a local socket their function makes itself (`socket(PF_UNIX, ...)`: a Unix
// stream socket takes a message shorter than one buffer whole or not at all); elsewhere only
// the one-byte rule: a TCP socket with less room than the message takes part of it.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CORE_WHOLEWRITES_H
#define DRAIN_ANALYSIS_CORE_WHOLEWRITES_H

#include "analysis/core/ApiModel.h"

namespace clang {
class ASTContext;
class CallExpr;
} // namespace clang

namespace drain {

/// PIPE_BUF's POSIX minimum: the default of drain-partial-write's AtomicWriteSize, and the
/// size every other check uses.
constexpr unsigned DefaultAtomicWriteSize = 512;

/// Why a write cannot be short.
enum class WholeWrite : unsigned char {
  No,         ///< it can be short
  OneUnit,    ///< a constant length of one byte or one item
  AtomicSize, ///< a small constant length to what may be a pipe, a FIFO or an eventfd
  Datagram,   ///< a send with a destination address: a datagram socket
};

/// Whether the call \p Call of the write row \p Row can leave part of its bytes behind.
/// \p AtomicWriteSize is the largest constant length taken as atomic (0: only one unit).
/// The sends and socket makers it knows are rows of \p Model's roles (datagram_send,
/// datagram_header_send, socket_only_write, socket_maker, socket_pair_maker).
WholeWrite wholeWrite(const clang::CallExpr *Call, const ApiEntry &Row, const ApiModel &Model,
                      clang::ASTContext &Ctx,
                      unsigned AtomicWriteSize = DefaultAtomicWriteSize);

} // namespace drain

#endif // DRAIN_ANALYSIS_CORE_WHOLEWRITES_H
