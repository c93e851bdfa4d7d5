//===--- ModelPacks.cpp - rows for the libraries network code uses --------===//
#include "analysis/core/ModelPacks.h"

namespace drain {

namespace {
const llvm::StringRef AssertionFailureFunctions[] = {
    "__assert_fail",  "__assert_perror_fail", "__assert_rtn", "__assert", "__assert2",
    "_assert",        "_wassert",             "__assert_func", "g_assertion_message_expr",
    "g_assertion_message_cmpnum",
};

constexpr int Obj = ChannelImplicitObject;
using K = OpKind;
using R = ResultKind;

// Channel/Length/Handler are argument indices, as in ApiModel.cpp's BuiltInRows.
const TableRow PackRows[] = {
    // Linux zero-copy and vectored writes: byte counts that may be short.
    {"::splice", K::Write, R::ByteCount, 2, 4, -1, AF_FreeOnly, "posix"},
    {"::vmsplice", K::Write, R::ByteCount, 0, -1, -1, AF_FreeOnly, "posix"},
    {"::copy_file_range", K::Write, R::ByteCount, 2, 4, -1, AF_FreeOnly, "posix"},
    {"::sendfile64", K::Write, R::ByteCount, 0, 3, -1, AF_FreeOnly, "posix"},
    {"::pwritev", K::Write, R::ByteCount, 0, -1, -1, AF_FreeOnly, "posix"},
    {"::pwritev2", K::Write, R::ByteCount, 0, -1, -1, AF_FreeOnly, "posix"},
    {"::pwritev64", K::Write, R::ByteCount, 0, -1, -1, AF_FreeOnly, "posix"},
    // sendmmsg counts messages: fewer than vlen when the socket buffer fills.
    {"::sendmmsg", K::Write, R::ItemCount, 0, 2, -1, AF_FreeOnly, "posix"},
    // OpenSSL: SSL_sendfile (kernel TLS) may send less than size.
    {"::SSL_sendfile", K::Write, R::ByteCount, 0, 3, -1, AF_FreeOnly, "openssl"},
    // GnuTLS: the record_send variants count bytes like gnutls_record_send.
    {"::gnutls_record_send2", K::Write, R::ByteCount, 0, 2, -1, AF_FreeOnly, "gnutls"},
    {"::gnutls_record_send_range", K::Write, R::ByteCount, 0, 2, -1, AF_FreeOnly, "gnutls"},
    // mbedTLS: mbedtls_ssl_write may write less than len (call again with the rest);
    // MBEDTLS_ERR_SSL_WANT_WRITE/READ are the pending states. close_notify is best effort.
    {"::mbedtls_ssl_write", K::Write, R::ByteCount, 0, 2, -1, AF_FreeOnly, "mbedtls"},
    {"::mbedtls_net_send", K::Write, R::ByteCount, 0, 2, -1, AF_FreeOnly, "mbedtls"},
    {"::mbedtls_ssl_close_notify", K::Shutdown, R::Status, 0, -1, -1, AF_FreeOnly | AF_MayDiscard, "mbedtls"},
    {"::mbedtls_ssl_free", K::Close, R::None, 0, -1, -1, AF_FreeOnly, "mbedtls"},
    // mbedtls_net_free closes the context's descriptor.
    {"::mbedtls_net_free", K::Close, R::None, 0, -1, -1, AF_FreeOnly | AF_MayDiscard, "mbedtls"},
    // Winsock closes a socket with closesocket (civetweb, mosquitto on Windows).
    {"::closesocket", K::Close, R::Status, 0, -1, -1, AF_FreeOnly | AF_MayDiscard, "winsock"},
    // wolfSSL: SSL_write's semantics (all or nothing unless partial writes are enabled).
    {"::wolfSSL_write", K::Write, R::TlsCount, 0, 2, -1, AF_FreeOnly, "wolfssl"},
    {"::wolfSSL_send", K::Write, R::TlsCount, 0, 2, -1, AF_FreeOnly, "wolfssl"},
    {"::wolfSSL_shutdown", K::Shutdown, R::TlsCount, 0, -1, -1, AF_FreeOnly | AF_MayDiscard, "wolfssl"},
    {"::wolfSSL_free", K::Close, R::None, 0, -1, -1, AF_FreeOnly, "wolfssl"},
    // libevent: appending to an evbuffer fails only when memory runs out; the reply
    // functions queue on the request's connection.
    {"::evbuffer_add", K::Write, R::Status, 0, 2, -1, AF_FreeOnly | AF_MayDiscard, "libevent"},
    {"::evhttp_send_reply", K::Write, R::None, 0, -1, -1, AF_FreeOnly | AF_MayDiscard, "libevent"},
    {"::evhttp_send_reply_start", K::Write, R::None, 0, -1, -1, AF_FreeOnly | AF_MayDiscard, "libevent"},
    {"::evhttp_send_reply_chunk", K::Write, R::None, 0, -1, -1, AF_FreeOnly | AF_MayDiscard, "libevent"},
    {"::evhttp_send_reply_end", K::Write, R::None, 0, -1, -1, AF_FreeOnly | AF_MayDiscard, "libevent"},
    // libuv: uv_try_write2 counts bytes like uv_try_write. A file-system request without a
    // callback runs synchronously and returns its count (also left in req->result); with one,
    // the return only says whether the request was queued (the handler column: a count only
    // where that argument is NULL).
    {"::uv_try_write2", K::Write, R::ByteCount, 0, -1, -1, AF_FreeOnly, "libuv"},
    {"::uv_fs_write", K::Write, R::ByteCount, 2, -1, 6, AF_FreeOnly | AF_MayDiscard | AF_StatusCallback, "libuv"},
    {"::uv_fs_sendfile", K::Write, R::ByteCount, 2, 5, 6, AF_FreeOnly | AF_MayDiscard | AF_StatusCallback, "libuv"},
    // h2o: a socket write completes in cb(h2o_socket_t *sock, const char *err), err NULL on
    // success and an error string otherwise (the last column: err is parameter 1). One write
    // at a time per socket (h2o asserts it).
    {"::h2o_socket_write", K::AsyncWrite, R::None, 0, -1, 3, AF_FreeOnly | AF_HasHandler | AF_StatusCallback, "h2o", 1},
    {"::h2o_socket_sendvec", K::AsyncWrite, R::None, 0, -1, 3, AF_FreeOnly | AF_HasHandler | AF_StatusCallback, "h2o", 1},
    // libssh2: channel and SFTP writes return how much the window took (or
    // LIBSSH2_ERROR_EAGAIN); libssh2_channel_write is a macro for the _ex form.
    {"::libssh2_channel_write_ex", K::Write, R::ByteCount, 0, 3, -1, AF_FreeOnly, "libssh2"},
    {"::libssh2_sftp_write", K::Write, R::ByteCount, 0, 2, -1, AF_FreeOnly, "libssh2"},
    // nghttp2: session_send writes until the send callback would block (0 or an error);
    // want_write is true while frames wait.
    {"::nghttp2_session_send", K::Flush, R::Status, 0, -1, -1, AF_FreeOnly, "nghttp2"},
    {"::nghttp2_session_want_write", K::EmptyTest, R::Bool, 0, -1, -1, AF_FreeOnly | AF_MayDiscard, "nghttp2"},
    {"::nghttp2_session_del", K::Close, R::None, 0, -1, -1, AF_FreeOnly, "nghttp2"},
    // zlib's gz* files: gzwrite takes everything (its count) or returns 0; gzclose flushes
    // first and reports the flush.
    {"::gzwrite", K::Write, R::Bool, 0, 2, -1, AF_FreeOnly, "zlib"},
    {"::gzfwrite", K::Write, R::ItemCount, 3, 2, -1, AF_FreeOnly, "zlib"},
    {"::gzflush", K::Flush, R::Status, 0, -1, -1, AF_FreeOnly, "zlib"},
    {"::gzclose", K::Close, R::Status, 0, -1, -1, AF_FreeOnly | AF_FlushesFirst, "zlib"},
    {"::gzclose_w", K::Close, R::Status, 0, -1, -1, AF_FreeOnly | AF_FlushesFirst, "zlib"},
    // Poco: sendBytes "may send less than the number of bytes specified", but only on a
    // non-blocking socket: on a blocking one (the default) StreamSocketImpl loops until all is
    // sent, and errors are thrown. Dropping the count is Poco's idiom (DialogSocket does it
    // throughout); comparing it for errors only is what a non-blocking user gets wrong.
    {"Poco::Net::StreamSocket::sendBytes", K::Write, R::ByteCount, Obj, 1, -1, AF_MemberOnly | AF_MayDiscard, "poco"},
    {"Poco::Net::StreamSocket::shutdownSend", K::Shutdown, R::None, Obj, -1, -1, AF_MemberOnly | AF_MayDiscard, "poco"},
    {"Poco::Net::Socket::close", K::Close, R::None, Obj, -1, -1, AF_MemberOnly, "poco"},
    // Qt: a socket's write() appends to its write buffer; disconnectFromHost() and close()
    // wait until it is written, abort() drops it.
    {"QIODevice::write", K::Write, R::None, Obj, -1, -1, AF_MemberOnly | AF_MayDiscard, "qt"},
    {"QAbstractSocket::disconnectFromHost", K::Close, R::None, Obj, -1, -1, AF_MemberOnly | AF_FlushesFirst, "qt"},
    {"QAbstractSocket::close", K::Close, R::None, Obj, -1, -1, AF_MemberOnly | AF_FlushesFirst, "qt"},
    {"QAbstractSocket::abort", K::Close, R::None, Obj, -1, -1, AF_MemberOnly, "qt"},
    // Seastar: output_stream's operations are futures that must be waited for.
    {"seastar::output_stream::write", K::Write, R::Awaitable, Obj, -1, -1, AF_MemberOnly, "seastar"},
    {"seastar::output_stream::flush", K::Flush, R::Awaitable, Obj, -1, -1, AF_MemberOnly, "seastar"},
    {"seastar::output_stream::close", K::Close, R::Awaitable, Obj, -1, -1, AF_MemberOnly | AF_FlushesFirst, "seastar"},
};

// The two answers of a TLS library's write that both mean "not yet": the write is to be
// called again once the socket is readable or writable (OpenSSL's and wolfSSL's
// SSL_get_error; mbedTLS's own codes) or the call was interrupted (GnuTLS). A
// renegotiation or a TLS 1.3 key update makes a write want to read. The values are the
// libraries' own (stable since OpenSSL 0.9.x, mbedTLS 2, GnuTLS 3).
const TlsRetryPair RetryPairs[] = {
    {"SSL_ERROR_WANT_READ", 2, "SSL_ERROR_WANT_WRITE", 3},
    {"WOLFSSL_ERROR_WANT_READ", 2, "WOLFSSL_ERROR_WANT_WRITE", 3},
    {"MBEDTLS_ERR_SSL_WANT_READ", -0x6900, "MBEDTLS_ERR_SSL_WANT_WRITE", -0x6880},
    {"GNUTLS_E_AGAIN", -28, "GNUTLS_E_INTERRUPTED", -52},
};
} // namespace

llvm::ArrayRef<TableRow> modelPackRows() { return PackRows; }

llvm::ArrayRef<TlsRetryPair> tlsRetryPairs() { return RetryPairs; }

llvm::ArrayRef<llvm::StringRef> assertionFailureFunctions() { return AssertionFailureFunctions; }

} // namespace drain
