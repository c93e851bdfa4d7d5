//===--- PartialWrite.h - counts checked only for errors --------*- C++ -*-===//
//
// The analysis behind drain-partial-write: a write that may take fewer bytes than asked for
// (a model row of kind write with a byte, item or TLS count result: write, send, sendto,
// sendmsg, writev, BIO_write, gnutls_record_send, asio write_some, fwrite) whose count is
// only ever tested for failure (`< 0`, `== -1`, `<= 0`, `!n`, `if (n)`), never compared with
// the requested length, used to advance a buffer, or passed on. The short write's tail is
// then silently dropped.
//
// The count is followed through the locals it is stored in, flow-insensitively over the
// enclosing function: any use anywhere that compares it with something other than a
// constant <= 0, does arithmetic with it, stores it outside the function, returns it or
// passes it to a call counts as "looked at". That errs on the side of silence: a count that
// is compared on one path and only error-checked on another is not reported. A read inside
// an assertion's condition (a call to one of assertionFailureFunctions()) is no read.
//
// A count returned after a short count was noticed and only logged is the callers' to handle;
// it is lost when every call of the function in this file only tests the result for failure.
//
// Remainder accounting: a count that only grows or shrinks variables (total += n, left -= n,
// c->sentlen += n) inside a loop around the write must reach the next write's buffer. It is
// reported when only the length shrinks (the retry resends the start), when the running
// total is compared but the buffer stays (the retry resends everything), when the loop moves
// to other data and the total goes nowhere but a return, and, for a loop that advances, when
// a would-block return inside the loop neither returns nor stores the local progress.
//
// Short paths: on the CFG, from the write along the branches a short count (0 < n < len) can
// take, even where the count is compared: the data's offset advanced by the length argument
// instead of the count, and a retry whose pointer grows by the count while its length stays.
// Whatever the count is otherwise used for, the data pointer must not move backwards: a term
// of the data argument that the count moves against its sign there (`p -= n`, `base - off`
// with `off += n`) on a short path, where a loop or a goto leads back to the write or the term
// is a member kept for the next call.
//
// A failure counted as written: on a path a failed write's -1 takes past a test of its count
// (a `continue` from the EINTR branch into the skipping at the top of a retry loop), the count
// updates progress or is used up as bytes written.
//
// Resumed from the start: a length reduced by progress the count grows (`total - done`, a local
// clamped to `sz - l`) while the data is not advanced by it, where the write runs again with
// that progress (a loop, a goto, a member, or a local fetched at entry: a resumed coroutine).
// The call may be a project's own put no row names: an integer result growing the progress
// that shrinks its own length, next to data read through a pointer to const.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CHECKS_PARTIALWRITE_H
#define DRAIN_ANALYSIS_CHECKS_PARTIALWRITE_H

#include "analysis/core/ApiModel.h"
#include "analysis/core/CallerFacts.h"
#include "analysis/checks/DiscardedIoResult.h"
#include <optional>

namespace clang {
class ASTContext;
class CallExpr;
} // namespace clang

namespace drain {

struct PartialWriteOptions {
  /// SSL_write is all-or-nothing unless SSL_MODE_ENABLE_PARTIAL_WRITE is set; with this
  /// option the TLS count rows are checked too.
  bool TlsPartialWrites = false;
  /// Writes of a constant length up to this many bytes are taken as atomic (PIPE_BUF on
  /// pipes, eventfd, self-pipe wakeups); 0 checks them too (one byte is always atomic).
  /// Socket-only sends (send, sendto, sendmsg) get only the one-byte rule.
  unsigned AtomicWriteSize = 512;
};

/// How the call \p Call uses its result, by the rule above for the callers of a function
/// that returns a logged short count: dropped, tested only for failure, or used as a count.
/// \p Index is focused on the function holding \p Call. A summary store's write pass records
/// it for calls of functions defined in other files.
ResultUse resultUseOf(const clang::CallExpr *Call, DiscardClassifier &Index);

/// \p Index answers "which references name this local" once per function (keep one per
/// ASTContext, as for the discard check).
std::optional<Finding> findPartialWrite(const clang::CallExpr *Call,
                                                    const ApiModel &Model,
                                                    DiscardClassifier &Index,
                                                    const PartialWriteOptions &Opts);

} // namespace drain

#endif // DRAIN_ANALYSIS_CHECKS_PARTIALWRITE_H
