//===--- ProgramOutput.h - a program's stdout nobody checks -----*- C++ -*-===//
//
// drain-discarded-io-result's rule for the output of a whole program: `main` writes to the
// standard output (printf, puts, fwrite(stdout), std::cout <<), itself or through a function
// of this file it calls, and then reports success (returns 0, falls off its end, exit(0))
// without the program ever checking that output: no tested fflush/fclose of stdout, no
// ferror(stdout), no closer of stdout registered with atexit, no test of std::cout's state.
// The C library flushes stdout at exit and nobody reads that flush's result, so a full disk
// or a closed pipe truncates the output while the exit status says it is complete.
//
// Only the translation unit that defines main is judged, and only when main writes stdout.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CHECKS_DISCARDEDIORESULT_PROGRAMOUTPUT_H
#define DRAIN_ANALYSIS_CHECKS_DISCARDEDIORESULT_PROGRAMOUTPUT_H

#include "analysis/core/ApiModel.h"
#include "analysis/core/DiscardClassifier.h"
#include "analysis/core/Finding.h"
#include <optional>

namespace clang {
class FunctionDecl;
} // namespace clang

namespace drain {

/// The finding for \p Main (the program's `main`), reported at the success exit that output
/// to stdout reaches, with notes at the first write and at the fix; nothing if main is not the
/// program's main, writes nothing to stdout on a path to success, or the program checks its
/// stdout somewhere. \p ReportsDroppedFlush: a dropped `fflush(stdout)` is already reported
/// (CheckStandardStreams), so a program that has one is left to that report.
std::optional<Finding> findUncheckedProgramOutput(const clang::FunctionDecl *Main,
                                                  const ApiModel &Model,
                                                  DiscardClassifier &Classifier,
                                                  bool ReportsDroppedFlush);

} // namespace drain

#endif // DRAIN_ANALYSIS_CHECKS_DISCARDEDIORESULT_PROGRAMOUTPUT_H
