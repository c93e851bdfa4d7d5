//===--- Finding.h - what every check's analysis returns --------*- C++ -*-===//
//
// One finding type for every check: a primary location and message, then notes in path order
// ("data written here", "flush result discarded here", "connection shut down here"). Findings are
// plain data; a front door turns them into diagnostics (clang-tidy's diag(), SARIF, ...).
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CORE_FINDING_H
#define DRAIN_ANALYSIS_CORE_FINDING_H

#include "clang/Basic/SourceLocation.h"
#include <string>
#include <vector>

namespace drain {

/// A note attached to a finding.
struct FindingNote {
  clang::SourceLocation Loc;
  std::string Text;
};

struct Finding {
  /// Where to warn: a location in the user's file (an expansion for code written in macros).
  clang::SourceLocation Loc;
  /// Highlighted with the warning; may be invalid.
  clang::SourceRange Range;
  std::string Message;
  std::vector<FindingNote> Notes;
};

} // namespace drain

#endif // DRAIN_ANALYSIS_CORE_FINDING_H
