//===--- PointerRoles.h - writes behind function pointers -------*- C++ -*-===//
//
// C code bases send their bytes through operations tables: `conn->conn_write(conn, buf, len)`,
// `bev->ssl_ops->write(ssl, p, n)`, `(a->client_writer)(a, data, buf, len)`. No body is
// reachable from the call, so the role is read from the pointer's declaration, the way a
// reviewer reads it: a name that says it writes or sends, and the signature of a count-returning
// write (a signed integer result, a buffer followed by its length; the buffer read-only unless
// the name alone says write and nothing in it says the buffer is filled). Such a guess is
// weaker than a row or a body, so the row it yields may be dropped (AF_MayDiscard): it counts
// only where the caller's own code shows it takes the result for a count (see PartialWrite).
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CORE_POINTERROLES_H
#define DRAIN_ANALYSIS_CORE_POINTERROLES_H

#include "analysis/core/ApiModel.h"
#include <optional>

namespace clang {
class FunctionProtoType;
class ValueDecl;
} // namespace clang

namespace drain {

/// The write row for the function pointer \p D when its name and the signature it points to
/// say "count-returning write", with the reason in \p Why; otherwise std::nullopt.
std::optional<ApiEntry> guessPointerWrite(const clang::ValueDecl *D, const ApiModel &M,
                                          std::string &Why);

/// The index of the length parameter of a write-like prototype: the integer parameter right
/// after the first pointer to read-only bytes (`const void *buf, size_t len`), or -1. With
/// \p WritableBuffer the bytes may be writable too (`unsigned char *buf, int len`): only for a
/// pointer whose name already says it writes.
int writeLengthParameter(const clang::FunctionProtoType *Proto, bool WritableBuffer = false);

} // namespace drain

#endif // DRAIN_ANALYSIS_CORE_POINTERROLES_H
