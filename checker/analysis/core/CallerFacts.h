//===--- CallerFacts.h - what callers in other files do with a result -*- C++ -*-===//
//
// A function that notices a short count, only logs it and returns it hands the rest of the
// buffer to its callers: it is lost when they treat the result as a status. The callers are
// often in other files (neomutt's mutt_socket_write_d in mutt_socket.c, its callers in
// smtp.c, pop_lib.c, imap/command.c). A write pass of the summary store records, for every
// call of a function declared but not defined in the translation unit, how the call site uses
// the result; a read pass adds those facts to the callers it sees in its own file.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CORE_CALLERFACTS_H
#define DRAIN_ANALYSIS_CORE_CALLERFACTS_H

#include <string>

namespace drain {

/// How one call site uses the result of the call.
enum class ResultUse {
  Ignored, ///< dropped
  Status,  ///< tested only for failure (`== -1`, `< 0`, `!n`)
  Count,   ///< compared with a length, accumulated, returned, stored, passed on
};

/// What the calls of one function in other translation units do with its result.
struct CallerFacts {
  unsigned Ignored = 0, Status = 0, Count = 0;
  /// A caller that drops the result or tests it only for failure: "path:line:column", or "".
  std::string StatusExample;
  /// The example tests the result (rather than dropping it).
  bool ExampleTests = false;
  /// A stored entry could not be used (unreadable, of another drain version, or its file
  /// changed since): some caller's use is unknown.
  bool Incomplete = false;

  unsigned total() const { return Ignored + Status + Count; }
};

} // namespace drain

#endif // DRAIN_ANALYSIS_CORE_CALLERFACTS_H
