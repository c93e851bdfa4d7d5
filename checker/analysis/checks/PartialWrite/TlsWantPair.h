//===--- TlsWantPair.h - a TLS write's two "not yet" answers told apart -*- C++ -*-===//
//
// Part of drain-partial-write, which owns how a TLS write's result is handled. A TLS write
// that cannot go on yet answers one of two codes (tlsRetryPairs() in ModelPacks.cpp):
// SSL_ERROR_WANT_WRITE and SSL_ERROR_WANT_READ from SSL_get_error (a renegotiation or a TLS
// 1.3 key update makes a write wait for the peer's data), MBEDTLS_ERR_SSL_WANT_WRITE and
// _WANT_READ, GNUTLS_E_AGAIN and GNUTLS_E_INTERRUPTED. Both mean "call the write again".
//
// The rule, over the function holding a write (a Write row of the model): for each pair of
// which the function names a member, the code after the write is followed twice, once with
// the write failed with each code: through the tests of the write's result (the count, and
// for a library with an error query the query's answer: `SSL_get_error(ssl, n)`, a local it
// is stored in, a switch over it), whose branches are taken by the code's value, and
// through the statements after them, up to a `return`, a `continue` or the end of a loop
// that writes again. Each path ends as "not yet" (it waits: `continue`, a loop that writes
// again, a would-block answer or errno, a `want_write` flag set) or as a failure (a failure
// answer, a negative constant, a close of the channel), or neither. One code waiting while
// the other fails is reported at the first test that told them apart.
//
// Silent: both codes tested alike (`||`, a switch whose cases fall through), a function that
// names neither (a blocking socket: every failure is fatal), paths that end neither way
// (the code handed back to the caller).
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CHECKS_PARTIALWRITE_TLSWANTPAIR_H
#define DRAIN_ANALYSIS_CHECKS_PARTIALWRITE_TLSWANTPAIR_H

#include "analysis/core/ApiModel.h"
#include "analysis/core/Finding.h"
#include <optional>

namespace clang {
class ASTContext;
class CallExpr;
class Stmt;
} // namespace clang

namespace drain {

class DiscardClassifier;

/// The finding for the write \p Call, when the code after it fails on one of a TLS library's
/// two "not yet" codes and waits on the other. \p Index is focused on the function holding
/// \p Call.
std::optional<Finding> findTlsWantPairSplit(const clang::CallExpr *Call, const ApiModel &Model,
                                            DiscardClassifier &Index);

/// True if \p S names one of the two "not yet" codes of a TLS library (tlsRetryPairs()), by
/// an enumerator or a macro: the code tells a TLS call's would-block from its failures.
bool namesTlsRetryCode(const clang::Stmt *S, clang::ASTContext &Ctx);

} // namespace drain

#endif // DRAIN_ANALYSIS_CHECKS_PARTIALWRITE_TLSWANTPAIR_H
