//===--- FileStreams.h - C++ file streams nobody checks ---------*- C++ -*-===//
//
// drain-discarded-io-result's rule for C++ file streams. An std::ofstream (std::fstream,
// std::basic_ofstream<...>) reports a failed write, and the failed flush of its close (a full
// disk, a quota, NFS), only by setting its state: nothing throws, no result is dropped. A
// function that writes such a stream and then reports success without reading that state
// after its last write has told its caller that a truncated file is complete (psicash renamed
// the temporary file over the good one, tinygltf and CppMicroServices answered success).
//
// The rule, for a local file stream opened in the function (the model's FileStreamOpener
// rows), or answered by a factory of this file that opened it:
//   - it is written: a StreamWrite row handed it (`<<`, write, put), also through an
//     std::ostream& bound to it, or a function of this file handed it that writes its
//     parameter without testing it (two deep);
//   - on some path from a write to a success exit no StreamStateTest row reads its state
//     (fail, good, bad, rdstate, `!f`, `if (f)`), and the stream's exceptions were not armed;
//   - a success exit is a FileRenamer call (the file is published), a return whose value is
//     not a failure (false, a negative number, null, a name saying failure), or, in a
//     function answering nothing, returning at all when the function's name says it saves;
//   - the stream is not handed on: returned, moved, its address taken, handed to a function
//     drain cannot read (which may test it), or used in a way drain does not model.
// Reported once per stream, at its close before the success exit: an explicit close() (a
// FileStreamClose row), else its destructor at the end of its scope. When that exit returns
// what a helper of this file answered for the stream, and the helper answers success after
// writing it with no test (tinygltf's WriteGltfStream), the false answer is the helper's: it
// is reported at the helper's return instead.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CHECKS_DISCARDEDIORESULT_FILESTREAMS_H
#define DRAIN_ANALYSIS_CHECKS_DISCARDEDIORESULT_FILESTREAMS_H

#include "analysis/core/ApiModel.h"
#include "analysis/core/Finding.h"
#include <vector>

namespace clang {
class FunctionDecl;
} // namespace clang

namespace drain {

/// The findings for the local file streams of \p FD whose state is never read after writing
/// on a path to a success exit; nothing (and no work beyond one walk of the body) when \p FD
/// declares no file stream.
std::vector<Finding> findUncheckedFileStreams(const clang::FunctionDecl *FD, const ApiModel &Model);

} // namespace drain

#endif // DRAIN_ANALYSIS_CHECKS_DISCARDEDIORESULT_FILESTREAMS_H
