//===--- ModelPacks.h - rows for the libraries network code uses -*- C++ -*-===//
//
// Tables that extend the built-in model of ApiModel.cpp without changing it: the functions an
// assertion macro calls when its condition fails (a value read only in such a condition is
// not read at all under NDEBUG), and the model packs, rows for libraries beyond POSIX, stdio
// and the ones ApiModel.cpp names, loaded by default (docs/model-file.md#model-packs).
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_MODELPACKS_H
#define DRAIN_ANALYSIS_MODELPACKS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace drain {

/// Functions that assertion macros call when the asserted condition is false (glibc's and
/// musl's `assert` call `__assert_fail`, macOS's `__assert_rtn`, MSVC's `_wassert`, GLib's
/// `g_assert` `g_assertion_message_expr`). A value compared only in the condition of such a
/// call is compared only in debug builds.
llvm::ArrayRef<llvm::StringRef> assertionFailureFunctions();

} // namespace drain

#endif // DRAIN_ANALYSIS_MODELPACKS_H
