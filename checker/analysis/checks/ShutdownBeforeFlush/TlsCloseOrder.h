//===--- TlsCloseOrder.h - a close_notify sent after its socket was closed -*- C++ -*-===//
//
// Part of drain-shutdown-before-flush. A TLS session ends by sending its close_notify alert
// (the model's TlsCloseNotify roles: SSL_shutdown, gnutls_bye, mbedtls_ssl_close_notify,
// wolfSSL_shutdown) over its socket; only then may the socket be shut down or closed. Sent
// after `close(fd)`, the alert goes to a closed descriptor, or, once the number is handed out
// again, into another connection.
//
// The rule, over one function: on some path of its CFG a shutdown (write side) or close of a
// descriptor (a Close or Shutdown row of the model whose channel is an integer, or the
// transport a binder was handed; or a call of a function of the main file whose own body
// ends a socket member of an argument or of its object, and sends no close_notify itself:
// sofia-sip's `ws_close(wsh)` closing `wsh->sock`) is followed by the close_notify call of a session bound to
// it: by a TlsTransportBinder call in the function (`SSL_set_fd(ssl, fd)`,
// `mbedtls_ssl_set_bio(&ssl, &net, ...)` and `close(net.fd)` or `mbedtls_net_free(&net)`), or
// by being members of one object (`c->ssl` and `c->fd`, `conn->tls` and `conn->client.sock`:
// a member of the session's owner, an integer named like a socket).
//
// Paths are pruned by what the function knows after the close: a member or local given a
// constant (`c->fd = -1`, `c->open = false`, `c->ssl = NULL`) decides the tests of it that
// follow (`if (c->fd >= 0)`). A path ends where the object is left (`c = c->next`, the local
// declared again in a loop) or the descriptor or session is given a new value. Silent: a
// session made quiet (`SSL_set_quiet_shutdown(ssl, 1)`, a TlsQuietShutdown role with a
// non-zero mode) in the function, read-side shutdowns (`SHUT_RD`, the constant 0).
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CHECKS_SHUTDOWNBEFOREFLUSH_TLSCLOSEORDER_H
#define DRAIN_ANALYSIS_CHECKS_SHUTDOWNBEFOREFLUSH_TLSCLOSEORDER_H

#include "analysis/core/ApiModel.h"
#include "analysis/core/Finding.h"
#include "llvm/ADT/StringRef.h"
#include <vector>

namespace clang {
class FunctionDecl;
} // namespace clang

namespace drain {

/// Appends to \p Out a finding at each close_notify call in \p FD reached after the socket
/// of its session was shut down or closed. \p SocketWords (semicolon-separated, as the
/// check's SocketMemberWords) name a socket member of the session's owner.
void diagnoseTlsCloseOrder(const clang::FunctionDecl *FD, const ApiModel &Model,
                           llvm::StringRef SocketWords, std::vector<Finding> &Out);

} // namespace drain

#endif // DRAIN_ANALYSIS_CHECKS_SHUTDOWNBEFOREFLUSH_TLSCLOSEORDER_H
