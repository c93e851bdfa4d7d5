//===--- WrittenFiles.h - descriptors of files written before their close -*- C++ -*-===//
//
// close() of a socket loses nothing when its result is dropped (the kernel keeps sending), so
// the model lets it go. close() of a regular file is different: it is where NFS, a quota or
// delayed allocation report a write the kernel took but could not store ("a file system may
// report a write error at close", close(2)); dropping that result reports a truncated file as
// saved. This file answers, for a close call, whether its descriptor is provably a file that
// was written:
//
//   a local   every value reaching the close comes from a file-opening call (open, openat,
//             creat, mkstemp, a project's `do_open(path, O_WRONLY|...)` or `do_mkstemp`) or is
//             a failure sentinel (-1), and on some path back from the close it was written
//             (a write row, a function of this file that writes that parameter, or
//             one defined elsewhere whose name says it writes) with no sync after the write;
//   a field   every value this file gives the field comes from such a call (directly or
//             through a local) or is a sentinel, and this file writes the field somewhere.
//
// Anything else (a parameter, a value from an unknown call, a socket, a file opened read-only)
// stays exempt: the rule reports only what it can show.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CORE_WRITTENFILES_H
#define DRAIN_ANALYSIS_CORE_WRITTENFILES_H

#include "analysis/core/ApiModel.h"
#include "analysis/core/DiscardClassifier.h"
#include <optional>
#include <string>

namespace clang {
class CallExpr;
class Expr;
} // namespace clang

namespace drain {

/// Why drain takes a closed descriptor for a file that was written.
struct WrittenFile {
  std::string Name;                         ///< the descriptor as spelled (`ofd`, `fd_`)
  bool Field = false;                       ///< kept in a field (judged over the whole file)
  const clang::CallExpr *Open = nullptr;    ///< a call that opened it
  std::string Opener;                       ///< that call's callee
  bool ForWriting = false;                  ///< its flags (or the call itself) say writing
  const clang::CallExpr *Write = nullptr;   ///< a call that wrote it
  std::string Writer;                       ///< that call's callee
};

/// The written file that the close \p Close (a row flagged AF_ReportsDeferredFileError,
/// descriptor at argument \p FdArg) releases, or nothing when drain cannot show that it is
/// one. \p Classifier must be focused on the function holding \p Close.
std::optional<WrittenFile> closedWrittenFile(const clang::CallExpr *Close, unsigned FdArg,
                                             const ApiModel &Model,
                                             DiscardClassifier &Classifier);

/// True if \p Close sits in the branch taken when a write to the same descriptor failed or
/// came back short (`if (write(fd, b, n) < 0) { close(fd); ... }`, the `else` of
/// `if (written >= 0)`): the write's failure is what the function is handling there, and the
/// close is cleanup, not the place where the file's fate is decided.
bool closedAfterFailedWrite(const clang::CallExpr *Close, unsigned FdArg, const ApiModel &Model,
                            DiscardClassifier &Classifier);

/// True if the file \p File that \p Close closes is removed by its path (a FileRemover row
/// of \p Model: unlink, remove) in the same function before the close, or unconditionally
/// right after it: an abandoned or anonymous file, whose deferred write error loses nothing
/// anybody keeps.
bool closedFileRemoved(const clang::CallExpr *Close, unsigned FdArg, const WrittenFile &File,
                       const ApiModel &Model, DiscardClassifier &Classifier);

} // namespace drain

#endif // DRAIN_ANALYSIS_CORE_WRITTENFILES_H
