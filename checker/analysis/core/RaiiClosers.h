//===--- RaiiClosers.h - streams closed by an RAII holder's deleter -*- C++ -*-===//
//
// C++ code rarely calls fclose() where it writes a file: it hands the stream to a holder
// (`std::unique_ptr<FILE, decltype(&fclose)>`, `unique_ptr<FILE, FileCloser>`, a project's
// own auto_deleter or scope guard with a close helper) whose destructor closes it. fclose is
// where the last buffered block is written, and a destructor has nowhere to put its answer:
// the deleter drops it. A function that writes through such a stream and answers whether the
// write worked (a bool, an int or an enum status) then answers before the file is complete,
// and a failure of the last block (a full disk, a quota, NFS) is lost.
//
// The rule, asked at the call that opens the stream:
//   - the opener's value initializes a local holder (a class object, not a reference);
//   - the holder's deleter closes the stream and drops the result: a close function handed
//     to the constructor (the close row itself, or a project's helper whose body closes with
//     the result dropped), a function object or lambda of the holder's type, or the holder's
//     own destructor;
//   - the stream is written: a mode that writes ("w", "ab", both branches of a choice), or a
//     write row handed the holder's stream; a stream opened for reading is never reported;
//   - the function answers a status (bool, integer, enum);
//   - the function neither closes, flushes or syncs the holder's stream itself (the fix:
//     `fclose(file.release()) == 0`; a tested fflush), nor hands the holder or the raw
//     stream on (a move, a return, the address taken), nor hands it to a callee of this file
//     that flushes it.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CORE_RAIICLOSERS_H
#define DRAIN_ANALYSIS_CORE_RAIICLOSERS_H

#include "analysis/core/ApiModel.h"
#include "analysis/core/DiscardClassifier.h"
#include "analysis/core/Finding.h"
#include <optional>

namespace clang {
class CallExpr;
} // namespace clang

namespace drain {

/// The finding for \p Open, a call that opens a stdio stream, when the stream goes into an
/// RAII holder whose deleter is its only close and drops the close's result, in a function
/// that answers whether its write worked. \p Classifier must be focused on the function
/// holding \p Open.
std::optional<Finding> findHolderDroppedClose(const clang::CallExpr *Open, const ApiModel &Model,
                                              DiscardClassifier &Classifier);

} // namespace drain

#endif // DRAIN_ANALYSIS_CORE_RAIICLOSERS_H
