//===--- Identifiers.h - the words of a C or C++ name -----------*- C++ -*-===//
//
// One splitter for every place that reads meaning into a name (a state's enumerator, a buffer
// member, a macro): `kWouldBlock`, `WOULD_BLOCK`, `m_outBuf`, `write-buffer` become lower-case
// words. Callers name the one-letter prefixes their kind of name carries.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CORE_IDENTIFIERS_H
#define DRAIN_ANALYSIS_CORE_IDENTIFIERS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include <string>

namespace drain {

/// The lower-case words of \p Name: split at every character that is not a letter or digit and
/// where a lower-case letter is followed by an upper-case one. A first word equal to one of
/// \p DroppedPrefixes (Hungarian `k`/`e` of constants, `m`/`s` of members) is dropped when other
/// words follow it.
llvm::SmallVector<std::string, 4> identifierWords(llvm::StringRef Name,
                                                  llvm::ArrayRef<llvm::StringRef> DroppedPrefixes);

/// True if one of the words of \p Name (identifierWords, no prefix dropped) is in \p Words
/// (lower case): `conn_close` and `closeConnection` have "close".
bool nameHasWord(llvm::StringRef Name, llvm::ArrayRef<llvm::StringRef> Words);

} // namespace drain

#endif // DRAIN_ANALYSIS_CORE_IDENTIFIERS_H
