//===--- ModelPacks.h - rows for the libraries network code uses -*- C++ -*-===//
//
// Tables that extend the built-in model of ApiModel.cpp without changing it: the functions an
// assertion macro calls when its condition fails (a value read only in such a condition is
// not read at all under NDEBUG), and the model packs, rows for libraries beyond POSIX, stdio
// and the ones ApiModel.cpp names, loaded by default (docs/model-file.md#model-packs).
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CORE_MODELPACKS_H
#define DRAIN_ANALYSIS_CORE_MODELPACKS_H

#include "analysis/core/ApiModel.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace drain {

/// Functions that assertion macros call when the asserted condition is false (glibc's and
/// musl's `assert` call `__assert_fail`, macOS's `__assert_rtn`, MSVC's `_wassert`, GLib's
/// `g_assert` `g_assertion_message_expr`). A value compared only in the condition of such a
/// call is compared only in debug builds.
llvm::ArrayRef<llvm::StringRef> assertionFailureFunctions();

/// One row of a table written in drain's source: the built-in rows of ApiModel.cpp and the
/// model packs. The fields are those of ApiEntry.
struct TableRow {
  const char *Name;
  OpKind Kind;
  ResultKind Result;
  int Channel;
  int Length;
  int Handler;
  unsigned Flags;
  const char *Family;
  int CallbackError = -1; ///< ApiEntry::CallbackError; most rows leave it out
};

/// The rows of every pack, loaded with the built-in rows (options and model files win).
llvm::ArrayRef<TableRow> modelPackRows();

/// Two constants a TLS library answers a write with that both mean "call it again later"
/// (SSL_ERROR_WANT_READ and SSL_ERROR_WANT_WRITE), with their values.
struct TlsRetryPair {
  const char *First;
  long long FirstValue;
  const char *Second;
  long long SecondValue;
};
llvm::ArrayRef<TlsRetryPair> tlsRetryPairs();

} // namespace drain

#endif // DRAIN_ANALYSIS_CORE_MODELPACKS_H
