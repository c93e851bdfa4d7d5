//===--- ApiModel.cpp - the built-in API table and its extensions ---------===//
#include "analysis/core/ApiModel.h"
#include "analysis/core/Identifiers.h"
#include "analysis/core/Callees.h"
#include "analysis/core/PointerRoles.h"
#include "Compat.h"
#include "analysis/core/ModelPacks.h"
#include "analysis/core/StdioStreams.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/YAMLTraits.h"
#include <cctype>

using namespace clang;

namespace drain {

namespace {
constexpr int Obj = ChannelImplicitObject;
constexpr int Last = 1000; ///< "the last argument" for HandlerArg

using K = OpKind;
using R = ResultKind;

// The built-in rows. Channel/Length/Handler are argument indices (Obj: the implicit object;
// for a free function matched by a member-style row it is argument 0).
const TableRow BuiltInRows[] = {
    // POSIX. Counts are ssize_t: negative on error, short when the socket buffer is full.
    {"::write", K::Write, R::ByteCount, 0, 2, -1, AF_FreeOnly, "posix"},
    {"::writev", K::Write, R::ByteCount, 0, -1, -1, AF_FreeOnly, "posix"},
    {"::pwrite", K::Write, R::ByteCount, 0, 2, -1, AF_FreeOnly, "posix"},
    {"::pwrite64", K::Write, R::ByteCount, 0, 2, -1, AF_FreeOnly, "posix"},
    {"::send", K::Write, R::ByteCount, 0, 2, -1, AF_FreeOnly, "posix"},
    {"::sendto", K::Write, R::ByteCount, 0, 2, -1, AF_FreeOnly, "posix"},
    {"::sendmsg", K::Write, R::ByteCount, 0, -1, -1, AF_FreeOnly, "posix"},
    {"::sendfile", K::Write, R::ByteCount, 0, 3, -1, AF_FreeOnly, "posix"},
    // shutdown/close fail only for a bad or unconnected descriptor, never for data still in
    // flight (the kernel keeps sending after close), so dropping their status is not a lost
    // write; the flow analysis still needs the rows. A file is the exception: close(2) reports
    // write-back errors deferred by NFS or a quota ("a file system may report a write error
    // at close").
    {"::shutdown", K::Shutdown, R::Status, 0, -1, -1, AF_FreeOnly | AF_MayDiscard, "posix"},
    {"::close", K::Close, R::Status, 0, -1, -1,
     AF_FreeOnly | AF_MayDiscard | AF_ReportsDeferredFileError, "posix"},
    // stdio: FILE* buffers in user space until fflush/fclose. A failed fwrite/fputs sets the
    // stream's sticky error indicator, which ferror and the fflush/fclose status still report:
    // dropping their result loses nothing (a short count checked only for errors still does).
    {"::fwrite", K::Write, R::ItemCount, 3, 2, -1, AF_FreeOnly | AF_MayDiscard | AF_StdioStream, "stdio"},
    {"::fputs", K::Write, R::Status, 1, -1, -1, AF_FreeOnly | AF_MayDiscard | AF_StdioStream, "stdio"},
    {"::fflush", K::Flush, R::Status, 0, -1, -1, AF_FreeOnly | AF_StdioStream, "stdio"},
    {"::fclose", K::Close, R::Status, 0, -1, -1, AF_FreeOnly | AF_FlushesFirst | AF_StdioStream, "stdio"},
    {"::fsync", K::Sync, R::Status, 0, -1, -1, AF_FreeOnly, "posix"},
    {"::fdatasync", K::Sync, R::Status, 0, -1, -1, AF_FreeOnly, "posix"},
    // OpenSSL: <= 0 needs SSL_get_error; SSL_ERROR_WANT_WRITE is the pending state.
    {"::SSL_write", K::Write, R::TlsCount, 0, 2, -1, AF_FreeOnly, "openssl"},
    {"::SSL_write_ex", K::Write, R::Bool, 0, 2, -1, AF_FreeOnly, "openssl"},
    // A one-way close_notify is best effort by design ("it is acceptable for an application to
    // only send its shutdown alert and then close", SSL_shutdown(3)); dropping its result loses
    // no written data. Same for gnutls_bye below.
    {"::SSL_shutdown", K::Shutdown, R::TlsCount, 0, -1, -1, AF_FreeOnly | AF_MayDiscard, "openssl"},
    {"::BIO_write", K::Write, R::ByteCount, 0, 2, -1, AF_FreeOnly | AF_BioChannel, "openssl"},
    {"::BIO_write_ex", K::Write, R::Bool, 0, 2, -1, AF_FreeOnly | AF_BioChannel, "openssl"},
    // FIXME: in OpenSSL's headers BIO_flush is a macro over BIO_ctrl(b, BIO_CTRL_FLUSH, ...);
    // this row matches only a function of that name. Match BIO_ctrl by its command argument.
    {"::BIO_flush", K::Flush, R::Status, 0, -1, -1, AF_FreeOnly, "openssl"},
    // GnuTLS: GNUTLS_E_AGAIN / GNUTLS_E_INTERRUPTED are the pending states.
    {"::gnutls_record_send", K::Write, R::ByteCount, 0, 2, -1, AF_FreeOnly, "gnutls"},
    {"::gnutls_bye", K::Shutdown, R::Status, 0, -1, -1, AF_FreeOnly | AF_MayDiscard, "gnutls"},
    // libuv: uv_write completes in its callback; uv_try_write may write less (or UV_EAGAIN).
    {"::uv_write", K::AsyncWrite, R::Status, 1, -1, 4, AF_FreeOnly | AF_HasHandler | AF_StatusCallback, "libuv"},
    {"::uv_write2", K::AsyncWrite, R::Status, 1, -1, 5, AF_FreeOnly | AF_HasHandler | AF_StatusCallback, "libuv"},
    {"::uv_try_write", K::Write, R::ByteCount, 0, -1, -1, AF_FreeOnly, "libuv"},
    {"::uv_shutdown", K::AsyncShutdown, R::Status, 1, -1, 2, AF_FreeOnly | AF_HasHandler | AF_StatusCallback, "libuv"},
    {"::uv_close", K::Close, R::None, 0, -1, 1, AF_FreeOnly, "libuv"},
    // libevent: bufferevent_write appends to the output evbuffer; freeing drops what is left.
    {"::bufferevent_write", K::Write, R::Status, 0, 2, -1, AF_FreeOnly, "libevent"},
    {"::bufferevent_write_buffer", K::Write, R::Status, 0, -1, -1, AF_FreeOnly, "libevent"},
    {"::bufferevent_flush", K::Flush, R::Status, 0, -1, -1, AF_FreeOnly, "libevent"},
    {"::bufferevent_free", K::Close, R::None, 0, -1, -1, AF_FreeOnly, "libevent"},
    {"::evbuffer_write", K::Write, R::ByteCount, 1, -1, -1, AF_FreeOnly, "libevent"},
    {"::evbuffer_write_atmost", K::Write, R::ByteCount, 1, 2, -1, AF_FreeOnly, "libevent"},
    // Asio (boost::asio and standalone asio). Composed operations write everything or fail;
    // the error_code& overloads report through that argument.
    {"asio::write", K::ComposedWrite, R::ErrorCodeOut, 0, -1, -1, AF_FreeOnly, "asio"},
    {"asio::write_at", K::ComposedWrite, R::ErrorCodeOut, 0, -1, -1, AF_FreeOnly, "asio"},
    {"asio::async_write", K::AsyncWrite, R::None, 0, -1, Last, AF_FreeOnly | AF_HasHandler, "asio"},
    {"asio::async_write_at", K::AsyncWrite, R::None, 0, -1, Last, AF_FreeOnly | AF_HasHandler, "asio"},
    {"asio::basic_stream_socket::write_some", K::Write, R::ByteCount, Obj, -1, -1, AF_MemberOnly, "asio"},
    {"asio::basic_stream_socket::send", K::Write, R::ByteCount, Obj, -1, -1, AF_MemberOnly, "asio"},
    {"asio::basic_stream_socket::async_write_some", K::AsyncWrite, R::None, Obj, -1, Last, AF_MemberOnly | AF_HasHandler | AF_PartialCompletion, "asio"},
    {"asio::basic_stream_socket::async_send", K::AsyncWrite, R::None, Obj, -1, Last, AF_MemberOnly | AF_HasHandler | AF_PartialCompletion, "asio"},
    // Closing, shutting down or cancelling with an error_code& is how Asio code says "ignore
    // errors here" (the peer may be gone); the error says nothing about unsent data.
    {"asio::basic_socket::shutdown", K::Shutdown, R::ErrorCodeOut, Obj, -1, -1, AF_MemberOnly | AF_MayDiscard, "asio"},
    {"asio::basic_socket::close", K::Close, R::ErrorCodeOut, Obj, -1, -1, AF_MemberOnly | AF_MayDiscard, "asio"},
    {"asio::basic_socket::cancel", K::Cancel, R::ErrorCodeOut, Obj, -1, -1, AF_MemberOnly | AF_MayDiscard, "asio"},
    {"asio::basic_stream_socket::shutdown", K::Shutdown, R::ErrorCodeOut, Obj, -1, -1, AF_MemberOnly | AF_MayDiscard, "asio"},
    {"asio::basic_stream_socket::close", K::Close, R::ErrorCodeOut, Obj, -1, -1, AF_MemberOnly | AF_MayDiscard, "asio"},
    {"asio::ssl::stream::write_some", K::Write, R::ByteCount, Obj, -1, -1, AF_MemberOnly, "asio"},
    {"asio::ssl::stream::async_write_some", K::AsyncWrite, R::None, Obj, -1, Last, AF_MemberOnly | AF_HasHandler | AF_PartialCompletion, "asio"},
    {"asio::ssl::stream::shutdown", K::Shutdown, R::ErrorCodeOut, Obj, -1, -1, AF_MemberOnly | AF_MayDiscard, "asio"},
    {"asio::ssl::stream::async_shutdown", K::AsyncShutdown, R::None, Obj, -1, Last, AF_MemberOnly | AF_HasHandler, "asio"},
    // Beast.
    {"beast::http::write", K::ComposedWrite, R::ErrorCodeOut, 0, -1, -1, AF_FreeOnly, "beast"},
    {"beast::http::write_some", K::Write, R::ErrorCodeOut, 0, -1, -1, AF_FreeOnly, "beast"},
    {"beast::http::write_header", K::Write, R::ErrorCodeOut, 0, -1, -1, AF_FreeOnly, "beast"},
    {"beast::http::async_write", K::AsyncWrite, R::None, 0, -1, Last, AF_FreeOnly | AF_HasHandler, "beast"},
    {"beast::http::async_write_some", K::AsyncWrite, R::None, 0, -1, Last, AF_FreeOnly | AF_HasHandler, "beast"},
    {"beast::http::async_write_header", K::AsyncWrite, R::None, 0, -1, Last, AF_FreeOnly | AF_HasHandler, "beast"},
    {"beast::basic_stream::write_some", K::Write, R::ByteCount, Obj, -1, -1, AF_MemberOnly, "beast"},
    {"beast::basic_stream::async_write_some", K::AsyncWrite, R::None, Obj, -1, Last, AF_MemberOnly | AF_HasHandler | AF_PartialCompletion, "beast"},
    {"beast::basic_stream::close", K::Close, R::None, Obj, -1, -1, AF_MemberOnly, "beast"},
    {"beast::basic_stream::cancel", K::Cancel, R::None, Obj, -1, -1, AF_MemberOnly, "beast"},
    {"beast::websocket::stream::write", K::ComposedWrite, R::ErrorCodeOut, Obj, -1, -1, AF_MemberOnly, "beast"},
    {"beast::websocket::stream::async_write", K::AsyncWrite, R::None, Obj, -1, Last, AF_MemberOnly | AF_HasHandler, "beast"},
    {"beast::websocket::stream::close", K::Close, R::ErrorCodeOut, Obj, -1, -1, AF_MemberOnly | AF_MayDiscard, "beast"},
    {"beast::websocket::stream::async_close", K::AsyncShutdown, R::None, Obj, -1, Last, AF_MemberOnly | AF_HasHandler, "beast"},
    // Owning smart pointers: reset() destroys the object they hold (a connection, a buffered
    // writer, the socket below a buffer). Its body is the library's; the row says what it does.
    {"std::unique_ptr::reset", K::Destroy, R::None, Obj, -1, -1, AF_MemberOnly | AF_MayDiscard, "std"},
    {"std::shared_ptr::reset", K::Destroy, R::None, Obj, -1, -1, AF_MemberOnly | AF_MayDiscard, "std"},
    // libstdc++ declares shared_ptr's reset() in its base __shared_ptr.
    {"std::__shared_ptr::reset", K::Destroy, R::None, Obj, -1, -1, AF_MemberOnly | AF_MayDiscard, "std"},
    // Poll-style state machines, ported from Rust or written by hand. The names are generic, so
    // these rows apply only when the result carries a pending state (or a completion flag).
    {"poll_write", K::Write, R::PendingState, Obj, -1, -1, AF_RequiresPendingResult, "poll"},
    {"poll_write_buf", K::Write, R::PendingState, Obj, -1, -1, AF_RequiresPendingResult, "poll"},
    {"poll_flush", K::Flush, R::PendingState, Obj, -1, -1, AF_RequiresPendingResult, "poll"},
    {"poll_shutdown", K::Shutdown, R::PendingState, Obj, -1, -1, AF_RequiresPendingResult, "poll"},
    {"poll_close", K::Shutdown, R::PendingState, Obj, -1, -1, AF_RequiresPendingResult, "poll"},
    {"flush", K::Flush, R::PendingState, Obj, -1, -1, AF_RequiresPendingResult, "poll"},
    {"try_flush", K::Flush, R::PendingState, Obj, -1, -1, AF_RequiresPendingResult, "poll"},
    {"flush_some", K::Flush, R::PendingState, Obj, -1, -1, AF_RequiresPendingResult, "poll"},
    {"drain", K::Flush, R::PendingState, Obj, -1, -1, AF_RequiresPendingResult, "poll"},
    {"send_all", K::ComposedWrite, R::PendingState, Obj, -1, -1, AF_RequiresPendingResult, "poll"},
    {"write_all", K::ComposedWrite, R::PendingState, Obj, -1, -1, AF_RequiresPendingResult, "poll"},
    {"try_write", K::Write, R::PendingState, Obj, -1, -1, AF_RequiresPendingResult, "poll"},
    // Emptiness tests of a connection's write buffer.
    {"has_buffered_write", K::EmptyTest, R::Bool, Obj, -1, -1, AF_MemberOnly | AF_MayDiscard, "poll"},
    {"has_pending_write", K::EmptyTest, R::Bool, Obj, -1, -1, AF_MemberOnly | AF_MayDiscard, "poll"},
    {"has_pending_writes", K::EmptyTest, R::Bool, Obj, -1, -1, AF_MemberOnly | AF_MayDiscard, "poll"},
    {"write_buffer_empty", K::EmptyTest, R::Bool, Obj, -1, -1, AF_MemberOnly | AF_MayDiscard, "poll"},
    {"is_flushed", K::EmptyTest, R::Bool, Obj, -1, -1, AF_MemberOnly | AF_MayDiscard, "poll"},
};

// The built-in role rows: what a function is besides an operation on a channel.
using FR = FunctionRole;
const struct {
  const char *Name;
  FunctionRole Role;
  int Arg;
} BuiltInRoles[] = {
    // Openers of a stdio stream, with the index of their mode argument.
    {"fopen", FR::StreamOpener, 1},   {"fopen64", FR::StreamOpener, 1},
    {"fdopen", FR::StreamOpener, 1},  {"popen", FR::StreamOpener, 1},
    {"freopen", FR::StreamOpener, 1}, {"fmemopen", FR::StreamOpener, 2},
    // Calls that put nothing into a stream's output buffer, with the index of the stream. A
    // stream handed only to these since it was opened has nothing buffered to lose.
    // reads
    {"fgets", FR::StreamNoOutput, 2}, {"fgetc", FR::StreamNoOutput, 0},
    {"getc", FR::StreamNoOutput, 0}, {"getc_unlocked", FR::StreamNoOutput, 0},
    {"fgetc_unlocked", FR::StreamNoOutput, 0}, {"fread", FR::StreamNoOutput, 3},
    {"fread_unlocked", FR::StreamNoOutput, 3}, {"fscanf", FR::StreamNoOutput, 0},
    {"vfscanf", FR::StreamNoOutput, 0}, {"getline", FR::StreamNoOutput, 2},
    {"getdelim", FR::StreamNoOutput, 3}, {"ungetc", FR::StreamNoOutput, 1},
    // questions
    {"feof", FR::StreamNoOutput, 0}, {"ferror", FR::StreamNoOutput, 0},
    {"feof_unlocked", FR::StreamNoOutput, 0}, {"ferror_unlocked", FR::StreamNoOutput, 0},
    {"clearerr", FR::StreamNoOutput, 0}, {"fileno", FR::StreamNoOutput, 0},
    {"fileno_unlocked", FR::StreamNoOutput, 0}, {"ftell", FR::StreamNoOutput, 0},
    {"ftello", FR::StreamNoOutput, 0}, {"ftello64", FR::StreamNoOutput, 0},
    {"fgetpos", FR::StreamNoOutput, 0}, {"fgetpos64", FR::StreamNoOutput, 0},
    // positioning and locking
    {"fseek", FR::StreamNoOutput, 0}, {"fseeko", FR::StreamNoOutput, 0},
    {"fseeko64", FR::StreamNoOutput, 0}, {"fsetpos", FR::StreamNoOutput, 0},
    {"fsetpos64", FR::StreamNoOutput, 0}, {"rewind", FR::StreamNoOutput, 0},
    {"flockfile", FR::StreamNoOutput, 0}, {"funlockfile", FR::StreamNoOutput, 0},
    {"ftrylockfile", FR::StreamNoOutput, 0},
    // buffering (setvbuf and setbuf must come before any I/O on the stream)
    {"setvbuf", FR::StreamNoOutput, 0}, {"setbuf", FR::StreamNoOutput, 0},
    {"setbuffer", FR::StreamNoOutput, 0}, {"setlinebuf", FR::StreamNoOutput, 0},
    // a flush writes out what is buffered and adds nothing
    {"fflush", FR::StreamNoOutput, 0}, {"fflush_unlocked", FR::StreamNoOutput, 0},
    // Openers of anonymous temporary files: the file is deleted when the stream is closed, so
    // a failed close loses nothing that would have outlived it.
    {"tmpfile", FR::AnonymousStreamOpener, -1}, {"tmpfile64", FR::AnonymousStreamOpener, -1},
    // The call that turns a stream into its descriptor (`ftruncate(fileno(f), n)`).
    {"fileno", FR::StreamDescriptor, 0},
    // Calls that cut a file back (the bytes just flushed are thrown away).
    {"ftruncate", FR::FileTruncator, 0}, {"ftruncate64", FR::FileTruncator, 0},
    // Calls that delete a file by its path.
    {"unlink", FR::FileRemover, 0}, {"remove", FR::FileRemover, 0},
    {"unlinkat", FR::FileRemover, 1},
    // Functions that classify a failed write's result, with the index of the result.
    {"::SSL_get_error", FR::ErrorQuery, 1}, {"::wolfSSL_get_error", FR::ErrorQuery, 1},
    // Calls that send a TLS session's close_notify, with the index of the session: it must
    // go out before the session's socket is shut down or closed.
    {"::SSL_shutdown", FR::TlsCloseNotify, 0}, {"::wolfSSL_shutdown", FR::TlsCloseNotify, 0},
    {"::gnutls_bye", FR::TlsCloseNotify, 0}, {"::mbedtls_ssl_close_notify", FR::TlsCloseNotify, 0},
    // Calls that bind a session (argument 0) to its transport, with the index of the
    // transport. In GnuTLS's header gnutls_transport_set_int is a macro over the _int2 form.
    {"::SSL_set_fd", FR::TlsTransportBinder, 1}, {"::SSL_set_wfd", FR::TlsTransportBinder, 1},
    {"::wolfSSL_set_fd", FR::TlsTransportBinder, 1},
    {"::gnutls_transport_set_int", FR::TlsTransportBinder, 1},
    {"::gnutls_transport_set_int2", FR::TlsTransportBinder, 1},
    {"::gnutls_transport_set_ptr", FR::TlsTransportBinder, 1},
    {"::mbedtls_ssl_set_bio", FR::TlsTransportBinder, 1},
    // Calls after which (given a non-zero mode) the close_notify call sends nothing.
    {"::SSL_set_quiet_shutdown", FR::TlsQuietShutdown, 1},
    {"::wolfSSL_set_quiet_shutdown", FR::TlsQuietShutdown, 1},
    {"::SSL_set_shutdown", FR::TlsQuietShutdown, 1},
    // The output of a whole program (drain-discarded-io-result): writes to stdout without
    // naming it, writes into a stream handed to them, the tests of a stream's error state,
    // exit handlers, gnulib-style closers of stdout, the exit that flushes, test runners and
    // the calls that start a server (a program whose stdout is a test report, or a server's
    // log, reports no output).
    {"printf", FR::StdoutWrite, -1}, {"vprintf", FR::StdoutWrite, -1},
    {"puts", FR::StdoutWrite, -1}, {"putchar", FR::StdoutWrite, -1},
    {"putchar_unlocked", FR::StdoutWrite, -1}, {"wprintf", FR::StdoutWrite, -1},
    {"vwprintf", FR::StdoutWrite, -1}, {"putwchar", FR::StdoutWrite, -1},
    {"fprintf", FR::StreamWrite, 0}, {"vfprintf", FR::StreamWrite, 0},
    {"fwprintf", FR::StreamWrite, 0}, {"vfwprintf", FR::StreamWrite, 0},
    {"fputs", FR::StreamWrite, 1}, {"fputs_unlocked", FR::StreamWrite, 1},
    {"fputc", FR::StreamWrite, 1}, {"fputc_unlocked", FR::StreamWrite, 1},
    {"putc", FR::StreamWrite, 1}, {"putc_unlocked", FR::StreamWrite, 1},
    {"fputws", FR::StreamWrite, 1}, {"fputwc", FR::StreamWrite, 1},
    {"putwc", FR::StreamWrite, 1}, {"fwrite", FR::StreamWrite, 3},
    {"fwrite_unlocked", FR::StreamWrite, 3},
    {"std::basic_ostream::write", FR::StreamWrite, -1},
    {"std::basic_ostream::put", FR::StreamWrite, -1},
    {"ferror", FR::StreamStateTest, 0}, {"ferror_unlocked", FR::StreamStateTest, 0},
    {"std::basic_ios::fail", FR::StreamStateTest, -1},
    {"std::basic_ios::bad", FR::StreamStateTest, -1},
    {"std::basic_ios::good", FR::StreamStateTest, -1},
    {"std::basic_ios::rdstate", FR::StreamStateTest, -1},
    {"std::basic_ios::exceptions", FR::StreamStateTest, -1},
    {"::atexit", FR::ExitHandlerRegistrar, 0}, {"::on_exit", FR::ExitHandlerRegistrar, 0},
    {"close_stdout", FR::StdoutCloser, -1}, {"close_stdio", FR::StdoutCloser, -1},
    {"flush_stdout", FR::StdoutCloser, -1},
    {"::exit", FR::ProgramExit, 0},
    {"testing::UnitTest::Run", FR::TestRunner, -1},
    {"testing::InitGoogleTest", FR::TestRunner, -1},
    {"Catch::Session::run", FR::TestRunner, -1},
    {"doctest::Context::run", FR::TestRunner, -1},
    {"::daemon", FR::ServerStart, -1}, {"::setsid", FR::ServerStart, -1},
    {"::listen", FR::ServerStart, -1}, {"::uv_listen", FR::ServerStart, -1},
    {"::evconnlistener_new", FR::ServerStart, -1},
    {"::evconnlistener_new_bind", FR::ServerStart, -1},
    {"::evhttp_bind_socket", FR::ServerStart, -1},
    {"::evhttp_bind_socket_with_handle", FR::ServerStart, -1},
    {"::evhttp_accept_socket", FR::ServerStart, -1},
    {"::evhttp_accept_socket_with_handle", FR::ServerStart, -1},
    {"::MHD_start_daemon", FR::ServerStart, -1}, {"::mg_start", FR::ServerStart, -1},
    {"asio::basic_socket_acceptor::listen", FR::ServerStart, -1},
    {"Poco::Net::ServerSocket::listen", FR::ServerStart, -1},
    {"httplib::Server::listen", FR::ServerStart, -1},
    // C++ file streams (drain-discarded-io-result, checks/DiscardedIoResult/FileStreams.h): the streams on a
    // file that can be written, their close, the insertion operator (a member of
    // basic_ostream or a free function, the stream its first operand), the tests of their
    // state, and the renames that publish a file once it is written.
    {"std::basic_ofstream::basic_ofstream", FR::FileStreamOpener, 1},
    {"std::basic_ofstream::open", FR::FileStreamOpener, 1},
    {"std::basic_fstream::basic_fstream", FR::FileStreamOpener, 1},
    {"std::basic_fstream::open", FR::FileStreamOpener, 1},
    {"std::basic_ofstream::close", FR::FileStreamClose, -1},
    {"std::basic_fstream::close", FR::FileStreamClose, -1},
    {"operator<<", FR::StreamWrite, 0},
    {"std::basic_ios::operator!", FR::StreamStateTest, -1},
    {"std::basic_ios::operator bool", FR::StreamStateTest, -1},
    {"std::basic_ios::operator void *", FR::StreamStateTest, -1},
    {"::rename", FR::FileRenamer, 0}, {"::renameat", FR::FileRenamer, 1},
    {"::renameat2", FR::FileRenamer, 1}, {"std::filesystem::rename", FR::FileRenamer, 0},
    {"std::experimental::filesystem::rename", FR::FileRenamer, 0},
    {"boost::filesystem::rename", FR::FileRenamer, 0},
    // OpenSSL (and BoringSSL, LibreSSL): SSL_get_error looks at the thread's error queue
    // first, so the queue must be empty before the I/O call whose result it classifies.
    {"::SSL_get_error", FR::ErrorQueueReader, 1},
    {"::ERR_clear_error", FR::ErrorQueueClear, -1},
    // Writes that cannot be short (core/WholeWrites.h): a datagram's send, the sends that
    // reach only sockets, and the calls that make a socket (their domain says AF_UNIX).
    {"::sendto", FR::DatagramSend, 4},
    {"::sendmsg", FR::DatagramHeaderSend, 1},
    {"::send", FR::SocketOnlyWrite, -1}, {"::sendto", FR::SocketOnlyWrite, -1},
    {"::sendmsg", FR::SocketOnlyWrite, -1},
    {"::socket", FR::SocketMaker, 0},
    {"::socketpair", FR::SocketPairMaker, 0},
};

/// Methods of a write-buffer member and what they do to the connection. Buffer methods not
/// listed (data, erase, begin...) change nothing the analysis tracks; erase() drains part of
/// the buffer and proves nothing.
using BE = BufferEffect;
const struct {
  const char *Name;
  BufferEffect Effect;
} BuiltInBufferMethods[] = {
    {"append", BE::Append},     {"push_back", BE::Append}, {"emplace_back", BE::Append},
    {"insert", BE::Append},     {"push", BE::Append},      {"emplace", BE::Append},
    {"write", BE::Append},      {"put", BE::Append},       {"sputn", BE::Append},
    {"assign", BE::Append},     {"operator+=", BE::Append}, {"operator<<", BE::Append},
    {"clear", BE::Clear},       {"empty", BE::EmptyTest},  {"size", BE::Size},
    {"length", BE::Size},
};
/// C functions over a buffer handed as their first argument (`bipbuf_free(c->buf)`,
/// `free(c->wbuf)`, `bipbuf_used(c->buf)`, `sdslen(c->outbuf)`), by a word of their name:
/// freeing the buffer ends what it holds, a size or emptiness answer tests it.
const struct {
  const char *Word;
  BufferEffect Effect;
} BuiltInBufferFunctionWords[] = {
    {"free", BE::Free},  {"destroy", BE::Free}, {"destruct", BE::Free}, {"dispose", BE::Free},
    {"unref", BE::Free}, {"used", BE::Size},    {"size", BE::Size},     {"len", BE::Size},
    {"length", BE::Size}, {"empty", BE::EmptyTest},
};
/// Words that make a test of a write buffer true when it is drained.
const char *const BuiltInDrainedWords[] = {"empty", "flushed", "drained", "done"};
const struct {
  BufferEffect Effect;
  const char *Name;
} BufferEffectNames[] = {
    {BE::Append, "append"}, {BE::Clear, "clear"}, {BE::EmptyTest, "empty_test"},
    {BE::Size, "size"},     {BE::Free, "free"},
};

const struct {
  FunctionRole Role;
  const char *Name;
} RoleNames[] = {
    {FR::StreamOpener, "stream_opener"},
    {FR::StreamNoOutput, "stream_no_output"},
    {FR::AnonymousStreamOpener, "anonymous_stream_opener"},
    {FR::StreamDescriptor, "stream_descriptor"},
    {FR::FileTruncator, "file_truncator"},
    {FR::FileRemover, "file_remover"},
    {FR::ErrorQuery, "error_query"},
    {FR::TlsCloseNotify, "tls_close_notify"},
    {FR::TlsTransportBinder, "tls_transport_binder"},
    {FR::TlsQuietShutdown, "tls_quiet_shutdown"},
    {FR::StdoutWrite, "stdout_write"},
    {FR::StreamWrite, "stream_write"},
    {FR::StreamStateTest, "stream_state_test"},
    {FR::ExitHandlerRegistrar, "exit_handler_registrar"},
    {FR::StdoutCloser, "stdout_closer"},
    {FR::ProgramExit, "program_exit"},
    {FR::TestRunner, "test_runner"},
    {FR::ServerStart, "server_start"},
    {FR::FileStreamOpener, "file_stream_opener"},
    {FR::FileStreamClose, "file_stream_close"},
    {FR::FileRenamer, "file_renamer"},
    {FR::ErrorQueueReader, "error_queue_reader"},
    {FR::ErrorQueueClear, "error_queue_clear"},
    {FR::DatagramSend, "datagram_send"},
    {FR::DatagramHeaderSend, "datagram_header_send"},
    {FR::SocketOnlyWrite, "socket_only_write"},
    {FR::SocketMaker, "socket_maker"},
    {FR::SocketPairMaker, "socket_pair_maker"},
};

const char *const PendingWords[] = {"pending",  "wouldblock", "again",   "eagain",
                                    "inprogress", "partial",  "incomplete", "notready",
                                    "blocked",  "wantwrite",  "wantread", "retry",   "busy"};
const char *const ReadyWords[] = {"ready", "done",    "complete", "completed", "ok",
                                  "success", "finished", "flushed", "drained", "sent"};
/// Accessors of expected-like and optional-like results whose names the state vocabulary
/// does not cover. The rest is structural: a member of the pending-state enum is the state, a
/// bool named like an error is the error flag, a conversion to bool says "has a value".
const struct {
  const char *Name;
  ResultPart Part;
} BuiltInAccessors[] = {
    {"has_value", ResultPart::Success}, {"value", ResultPart::Value},
    {"operator*", ResultPart::Value},   {"operator->", ResultPart::Value},
    {"value_or", ResultPart::Value},
    {"holds_alternative", ResultPart::Alternative}, {"get_if", ResultPart::Alternative},
    {"index", ResultPart::AlternativeIndex},        {"get", ResultPart::Element},
};

const char *const ErrorWords[] = {"error", "err", "failed", "failure", "fail", "closed",
                                  "eof",   "reset", "aborted"};

struct KindName {
  OpKind Kind;
  const char *Name;
} const KindNames[] = {
    {K::Write, "write"},           {K::ComposedWrite, "composed_write"},
    {K::Flush, "flush"},           {K::Shutdown, "shutdown"},
    {K::Close, "close"},           {K::EmptyTest, "empty_test"},
    {K::AsyncWrite, "async_write"}, {K::AsyncShutdown, "async_shutdown"},
    {K::Cancel, "cancel"},         {K::Sync, "sync"},
    {K::Destroy, "destroy"},
};
struct ResultName {
  ResultKind Result;
  const char *Name;
} const ResultNames[] = {
    {R::None, "none"},          {R::ByteCount, "byte_count"},     {R::ItemCount, "item_count"},
    {R::Status, "status"},      {R::TlsCount, "tls_count"},       {R::PendingState, "pending_state"},
    {R::Bool, "bool"},          {R::Awaitable, "awaitable"},      {R::ErrorCodeOut, "error_code_out"},
    {R::SignedState, "signed_state"},
};

/// The words of a state's name; a leading Hungarian 'k'/'e' (kPending, ePending) is no word.
llvm::SmallVector<std::string, 4> words(llvm::StringRef Name) {
  return identifierWords(Name, {"k", "e"});
}

/// True if some suffix of \p Name's words, joined, is in \p Set.
bool suffixIn(const llvm::StringSet<> &Set, llvm::StringRef Name) {
  auto W = words(Name);
  for (size_t I = 0; I < W.size(); ++I) {
    std::string Joined;
    for (size_t J = I; J < W.size(); ++J)
      Joined += W[J];
    if (Set.count(Joined))
      return true;
  }
  return false;
}

void splitList(llvm::StringRef List, llvm::SmallVectorImpl<llvm::StringRef> &Out) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  List.split(Parts, ';', -1, false);
  for (llvm::StringRef P : Parts) {
    P = P.trim();
    if (!P.empty())
      Out.push_back(P);
  }
}
} // namespace

//===--- vocabulary -------------------------------------------------------===//

StateVocabulary StateVocabulary::builtIn() {
  StateVocabulary V;
  for (const char *W : PendingWords)
    V.Pending.insert(W);
  for (const char *W : ReadyWords)
    V.Ready.insert(W);
  for (const char *W : ErrorWords)
    V.Error.insert(W);
  return V;
}

std::string StateVocabulary::normalize(llvm::StringRef Name) {
  std::string S;
  for (const auto &W : words(Name))
    S += W;
  return S;
}

bool StateVocabulary::isPending(llvm::StringRef Name) const { return suffixIn(Pending, Name); }
bool StateVocabulary::isReady(llvm::StringRef Name) const {
  return !isPending(Name) && suffixIn(Ready, Name);
}
namespace {
const llvm::StringRef FailureWords[] = {"error", "err",   "errors",  "fail",  "failed", "failure",
                                        "fatal", "invalid", "abort", "aborted", "bail"};
} // namespace

namespace {
const llvm::StringRef LoggingWords[] = {"log",   "logger",  "logf",   "print", "printf",
                                        "debug", "dbg",     "dprint", "dbgprintf", "trace",
                                        "warn",  "warning", "perror", "syslog", "verbose"};
} // namespace

bool StateVocabulary::namesLogging(llvm::StringRef Name) {
  for (const std::string &W : identifierWords(Name, {}))
    if (llvm::is_contained(LoggingWords, W))
      return true;
  return false;
}

namespace {
/// Words that make a failure-worded name a success: `MOSQ_ERR_SUCCESS`, `ERROR_NONE`,
/// `ERR_OK`, `NOERROR`; and `NO_ERROR`, where "no" comes right before the failure word
/// (`ERR_NO_MEMORY` stays a failure).
const llvm::StringRef SuccessWords[] = {"success", "succeeded", "ok", "none", "noerror"};
} // namespace

bool StateVocabulary::mentionsFailure(llvm::StringRef Name) {
  llvm::SmallVector<std::string, 4> Words = identifierWords(Name, {});
  bool Failure = false;
  for (size_t I = 0; I < Words.size(); ++I) {
    bool Negated = I > 0 && Words[I - 1] == "no";
    if (llvm::is_contained(SuccessWords, Words[I]))
      return false;
    if (llvm::is_contained(FailureWords, Words[I])) {
      if (Negated)
        return false;
      Failure = true;
    }
  }
  return Failure;
}

bool StateVocabulary::namesSuccess(llvm::StringRef Name) {
  for (const std::string &W : identifierWords(Name, {"k", "e"}))
    if (llvm::is_contained(SuccessWords, W))
      return true;
  return false;
}

namespace {
/// Words that say an operation could not be done, beside FailureWords.
const llvm::StringRef CouldNotWords[] = {"cannot", "cant", "unable", "couldnt"};
/// Output operations an enumerator may say failed, and the kind each one is.
const std::pair<llvm::StringRef, OpKind> OutputWords[] = {
    {"flush", OpKind::Flush}, {"flushing", OpKind::Flush}, {"send", OpKind::Write},
    {"sending", OpKind::Write}, {"write", OpKind::Write}, {"writing", OpKind::Write},
    {"tx", OpKind::Write}};
/// Words of an outcome that ended a connection or an operation early.
const llvm::StringRef EarlyEndWords[] = {"abnormal", "close", "closed", "timeout", "timedout",
                                         "disconnected", "refused", "broken", "lost"};
} // namespace

std::optional<OpKind> StateVocabulary::namesOutputFailure(llvm::StringRef Name) {
  bool Failed = false;
  std::optional<OpKind> Op;
  for (const std::string &W : identifierWords(Name, {"k", "e"})) {
    if (llvm::is_contained(SuccessWords, W))
      return std::nullopt;
    Failed |= llvm::is_contained(FailureWords, W) || llvm::is_contained(CouldNotWords, W);
    for (const auto &O : OutputWords)
      if (!Op && W == O.first)
        Op = O.second;
  }
  return Failed ? Op : std::nullopt;
}

bool StateVocabulary::namesUnsuccessfulOutcome(llvm::StringRef Name) const {
  if (namesSuccess(Name))
    return false;
  if (isPending(Name) || isError(Name) || mentionsFailure(Name) || namesOutputFailure(Name))
    return true;
  for (const std::string &W : identifierWords(Name, {"k", "e"}))
    if (llvm::is_contained(EarlyEndWords, W) || llvm::is_contained(CouldNotWords, W))
      return true;
  return false;
}

namespace {
/// Words of a message, beyond FailureWords, that say something could not be done.
const llvm::StringRef FailureMessageWords[] = {"unable", "cannot", "couldn"};
/// Two words that say so together ("could not", "can not", "can't" split at the quote).
const std::pair<llvm::StringRef, llvm::StringRef> FailureMessagePairs[] = {
    {"could", "not"}, {"can", "not"}, {"can", "t"}};
} // namespace

bool StateVocabulary::messageReportsFailure(llvm::StringRef Text) {
  llvm::SmallVector<std::string, 4> W = identifierWords(Text, {});
  for (size_t I = 0; I < W.size(); ++I) {
    if (llvm::is_contained(FailureWords, W[I]) || llvm::is_contained(FailureMessageWords, W[I]))
      return true;
    if (I + 1 < W.size())
      for (const auto &P : FailureMessagePairs)
        if (W[I] == P.first && W[I + 1] == P.second)
          return true;
  }
  return false;
}

bool StateVocabulary::isError(llvm::StringRef Name) const {
  return !isPending(Name) && suffixIn(Error, Name);
}

//===--- names ------------------------------------------------------------===//

std::string ApiModel::qualifiedName(const NamedDecl *D) {
  llvm::SmallVector<std::string, 6> Parts;
  if (const auto *FD = llvm::dyn_cast<FunctionDecl>(D)) {
    if (FD->getDeclName().isIdentifier())
      Parts.push_back(FD->getName().str());
    else if (const auto *Ctor = llvm::dyn_cast<CXXConstructorDecl>(FD))
      Parts.push_back(Ctor->getParent()->getName().str()); // without template arguments
    else
      Parts.push_back(FD->getNameAsString());
  } else {
    Parts.push_back(D->getNameAsString());
  }
  for (const DeclContext *DC = D->getDeclContext(); DC; DC = DC->getParent()) {
    if (const auto *NS = llvm::dyn_cast<NamespaceDecl>(DC)) {
      if (NS->isInline() || NS->isAnonymousNamespace())
        continue;
      Parts.push_back(NS->getName().str());
    } else if (const auto *RD = llvm::dyn_cast<RecordDecl>(DC)) {
      if (const auto *Spec = llvm::dyn_cast<ClassTemplateSpecializationDecl>(RD))
        Parts.push_back(Spec->getSpecializedTemplate()->getName().str());
      else if (RD->getIdentifier())
        Parts.push_back(RD->getName().str());
    }
  }
  std::string Out;
  for (auto It = Parts.rbegin(); It != Parts.rend(); ++It) {
    if (!Out.empty())
      Out += "::";
    Out += *It;
  }
  return Out;
}

bool ApiModel::nameMatches(llvm::StringRef Pattern, llvm::StringRef Qualified, bool IsGlobal) {
  if (compat::startsWith(Pattern, "::"))
    return IsGlobal && Qualified == Pattern.drop_front(2);
  if (Pattern.contains("::"))
    return Qualified == Pattern ||
           (compat::endsWith(Qualified, Pattern) &&
            compat::endsWith(Qualified.drop_back(Pattern.size()), "::"));
  auto Pos = Qualified.rfind("::");
  llvm::StringRef Last = Pos == llvm::StringRef::npos ? Qualified : Qualified.substr(Pos + 2);
  return Last == Pattern;
}

static llvm::StringRef lastComponent(llvm::StringRef Pattern) {
  auto Pos = Pattern.rfind("::");
  return Pos == llvm::StringRef::npos ? Pattern : Pattern.substr(Pos + 2);
}

static bool isGlobalFunction(const FunctionDecl *FD) {
  const DeclContext *DC = FD->getDeclContext();
  while (DC && llvm::isa<LinkageSpecDecl>(DC))
    DC = DC->getParent();
  return DC && DC->isTranslationUnit();
}

std::optional<OpKind> ApiModel::parseKind(llvm::StringRef S) {
  for (const auto &KN : KindNames)
    if (S == KN.Name)
      return KN.Kind;
  return std::nullopt;
}
std::optional<ResultKind> ApiModel::parseResult(llvm::StringRef S) {
  for (const auto &RN : ResultNames)
    if (S == RN.Name)
      return RN.Result;
  return std::nullopt;
}
llvm::StringRef ApiModel::kindName(OpKind Kind) {
  for (const auto &KN : KindNames)
    if (KN.Kind == Kind)
      return KN.Name;
  return "?";
}
llvm::StringRef ApiModel::resultName(ResultKind Result) {
  for (const auto &RN : ResultNames)
    if (RN.Result == Result)
      return RN.Name;
  return "?";
}

bool ApiModel::hasAnnotation(const Decl *D, llvm::StringRef Annotation) {
  if (!D)
    return false;
  for (const auto *A : D->specific_attrs<AnnotateAttr>())
    if (A->getAnnotation() == Annotation)
      return true;
  return false;
}

std::optional<OpKind> ApiModel::annotatedKind(const Decl *D) {
  if (!D)
    return std::nullopt;
  for (const auto *A : D->specific_attrs<AnnotateAttr>()) {
    llvm::StringRef Ann = A->getAnnotation();
    if (!compat::startsWith(Ann, "drain::"))
      continue;
    if (auto K = parseKind(Ann.drop_front(7)))
      return K;
  }
  return std::nullopt;
}

//===--- table ------------------------------------------------------------===//

ApiModel::ApiModel() : Vocab(StateVocabulary::builtIn()) { addBuiltIns(); }

ApiModel::ApiModel(const ApiModelOptions &Opts, std::vector<std::string> &Errors)
    : ApiModel() {
  addList(Opts.WriteFunctions, OpKind::Write, ResultKind::ByteCount, RowOrigin::Option);
  addList(Opts.ComposedWriteFunctions, OpKind::ComposedWrite, ResultKind::None,
          RowOrigin::Option);
  addList(Opts.FlushFunctions, OpKind::Flush, ResultKind::PendingState, RowOrigin::Option);
  addList(Opts.ShutdownFunctions, OpKind::Shutdown, ResultKind::Status, RowOrigin::Option);
  addList(Opts.CloseFunctions, OpKind::Close, ResultKind::Status, RowOrigin::Option);
  addList(Opts.EmptyTests, OpKind::EmptyTest, ResultKind::Bool, RowOrigin::Option);
  addList(Opts.AsyncWriteFunctions, OpKind::AsyncWrite, ResultKind::None, RowOrigin::Option);
  llvm::SmallVector<llvm::StringRef, 8> Names;
  splitList(Opts.MayDiscardFunctions, Names);
  for (llvm::StringRef N : Names)
    MayDiscardNames.insert(N);
  Names.clear();
  splitList(Opts.PendingStates, Names);
  for (llvm::StringRef N : Names)
    Vocab.Pending.insert(StateVocabulary::normalize(N));
  Names.clear();
  splitList(Opts.ReadyStates, Names);
  for (llvm::StringRef N : Names)
    Vocab.Ready.insert(StateVocabulary::normalize(N));
  if (!Opts.ModelFile.empty()) {
    auto Buf = llvm::MemoryBuffer::getFile(Opts.ModelFile);
    if (!Buf) {
      Errors.push_back("cannot read model file '" + Opts.ModelFile +
                       "': " + Buf.getError().message());
    } else {
      std::string Error;
      if (!loadModelYAML((*Buf)->getBuffer(), Opts.ModelFile, Error))
        Errors.push_back(Error);
    }
  }
}

void ApiModel::add(ApiEntry E) {
  Entries.push_back(std::move(E));
  const ApiEntry *P = &Entries.back();
  ByName[lastComponent(P->Name)].push_back(P);
}

void ApiModel::addBuiltIns() {
  for (const auto &A : BuiltInAccessors)
    Accessors.push_back({A.Name, A.Part});
  auto AddRow = [this](const TableRow &Rw) {
    ApiEntry E{Rw.Name, Rw.Kind, Rw.Result, Rw.Channel, Rw.Length, Rw.Handler, Rw.Flags,
               Rw.Family, RowOrigin::BuiltIn};
    E.CallbackError = Rw.CallbackError;
    add(std::move(E));
  };
  for (const TableRow &Rw : BuiltInRows)
    AddRow(Rw);
  // The model packs (ModelPacks.cpp): rows for more libraries, loaded by default.
  for (const TableRow &Rw : modelPackRows())
    AddRow(Rw);
  for (const auto &Rl : BuiltInRoles)
    addRole(RoleEntry{Rl.Name, Rl.Role, Rl.Arg, RowOrigin::BuiltIn});
  for (const auto &M : BuiltInBufferMethods)
    BufferMethods.push_back({M.Name, M.Effect});
  for (const auto &W : BuiltInBufferFunctionWords)
    BufferFunctionWords.push_back({W.Word, W.Effect});
  for (const char *W : BuiltInDrainedWords)
    DrainedWords.insert(W);
}

//===--- buffer vocabulary ------------------------------------------------===//

namespace {
/// The effect of the last word of \p Words named \p Name: rows added later win.
std::optional<BufferEffect> effectOf(const std::vector<BufferWord> &Words, llvm::StringRef Name) {
  for (auto It = Words.rbegin(); It != Words.rend(); ++It)
    if (It->Name == Name)
      return It->Effect;
  return std::nullopt;
}
} // namespace

std::optional<BufferEffect> ApiModel::bufferMethod(llvm::StringRef Name) const {
  return effectOf(BufferMethods, Name);
}

std::optional<BufferEffect> ApiModel::bufferFunctionWord(llvm::StringRef Word) const {
  return effectOf(BufferFunctionWords, Word);
}

bool ApiModel::drainedWord(llvm::StringRef Word) const { return DrainedWords.count(Word); }

std::optional<BufferEffect> ApiModel::parseBufferEffect(llvm::StringRef S) {
  for (const auto &N : BufferEffectNames)
    if (S == N.Name)
      return N.Effect;
  return std::nullopt;
}

//===--- roles ------------------------------------------------------------===//

void ApiModel::addRole(RoleEntry E) {
  Roles.push_back(std::move(E));
  const RoleEntry *P = &Roles.back();
  RolesByName[lastComponent(P->Name)].push_back(P);
}

llvm::SmallVector<llvm::StringRef, 8> ApiModel::namesWithRole(FunctionRole R) const {
  llvm::SmallVector<llvm::StringRef, 8> Names;
  for (const RoleEntry &E : Roles)
    if (E.Role == R)
      Names.push_back(E.Name);
  return Names;
}

std::optional<FunctionRole> ApiModel::parseRole(llvm::StringRef S) {
  for (const auto &RN : RoleNames)
    if (S == RN.Name)
      return RN.Role;
  return std::nullopt;
}

llvm::StringRef ApiModel::roleName(FunctionRole R) {
  for (const auto &RN : RoleNames)
    if (RN.Role == R)
      return RN.Name;
  return "?";
}

namespace {
/// Every role row of \p Rows naming \p FD with the role \p R, the last added first.
template <class Fn>
const RoleEntry *findRole(const llvm::StringMap<std::vector<const RoleEntry *>> &Rows,
                          const FunctionDecl *FD, FunctionRole R, Fn Accept) {
  if (!FD)
    return nullptr;
  // Rows name constructors by their class (`basic_ofstream`) and operators by their
  // spelling (`operator<<`, `operator bool`).
  std::string Spelled;
  llvm::StringRef Key;
  DeclarationName N = FD->getDeclName();
  if (N.isIdentifier())
    Key = FD->getName();
  else if (const auto *Ctor = llvm::dyn_cast<CXXConstructorDecl>(FD))
    Key = Ctor->getParent()->getName();
  else if (N.getNameKind() == DeclarationName::CXXOperatorName ||
           N.getNameKind() == DeclarationName::CXXConversionFunctionName)
    Key = Spelled = N.getAsString();
  else
    return nullptr;
  auto It = Rows.find(Key);
  if (It == Rows.end())
    return nullptr;
  std::string Qualified;
  for (auto Rw = It->second.rbegin(); Rw != It->second.rend(); ++Rw) {
    const RoleEntry *E = *Rw;
    if (E->Role != R || !Accept(*E))
      continue;
    if (Qualified.empty())
      Qualified = ApiModel::qualifiedName(FD);
    if (ApiModel::nameMatches(E->Name, Qualified, isGlobalFunction(FD)))
      return E;
  }
  return nullptr;
}
} // namespace

const RoleEntry *ApiModel::tableRole(const FunctionDecl *FD, FunctionRole R) const {
  return findRole(RolesByName, FD, R, [](const RoleEntry &) { return true; });
}

bool ApiModel::hasRole(const FunctionDecl *FD, FunctionRole R, int Arg) const {
  return findRole(RolesByName, FD, R, [&](const RoleEntry &E) { return E.Arg == Arg; });
}

void ApiModel::endUnit() const {
  InferredFor = nullptr;
  InferredRoleMemo.clear();
  InferredRoles.clear();
  for (const std::shared_ptr<RoleSource> &S : Sources)
    S->endUnit();
}

const RoleEntry *ApiModel::roleOf(const FunctionDecl *FD, FunctionRole R) const {
  if (const RoleEntry *E = tableRole(FD, R))
    return E;
  if (!FD || R != FunctionRole::StreamOpener)
    return nullptr;
  // Inferred rows hold declarations of one translation unit.
  if (InferredFor != &FD->getASTContext()) {
    InferredFor = &FD->getASTContext();
    InferredRoleMemo.clear();
    InferredRoles.clear();
  }
  const FunctionDecl *Key = FD->getCanonicalDecl();
  auto It = InferredRoleMemo.find(Key);
  if (It != InferredRoleMemo.end())
    return It->second;
  const RoleEntry *Row = nullptr;
  if (std::optional<unsigned> Depth = streamOpenerWrapperDepth(FD, *this)) {
    InferredRoles.push_back(
        RoleEntry{qualifiedName(FD), R, -1, RowOrigin::Inferred, *Depth});
    Row = &InferredRoles.back();
  }
  InferredRoleMemo[Key] = Row;
  return Row;
}

void ApiModel::addList(llvm::StringRef List, OpKind Kind, ResultKind Result, RowOrigin Origin) {
  llvm::SmallVector<llvm::StringRef, 8> Names;
  splitList(List, Names);
  for (llvm::StringRef N : Names) {
    ApiEntry E;
    E.Name = N.str();
    E.Kind = Kind;
    E.Result = Result;
    // A member is its own channel; a free function's channel is its first argument.
    E.Channel = ChannelImplicitObject;
    E.Family = "user";
    E.Origin = Origin;
    add(std::move(E));
  }
}

namespace {
// Calls that return the descriptor of a file (never a socket), and where their flags are.
const DescriptorOpener DescriptorOpeners[] = {
    {"open", 1, true},       {"open64", 1, false},     {"openat", 2, false},
    {"openat64", 2, false},  {"creat", -1, false},     {"creat64", -1, false},
    {"mkstemp", -1, true},   {"mkstemp64", -1, false}, {"mkostemp", -1, true},
    {"mkstemps", -1, false}, {"mkostemps", -1, false},
};
const llvm::StringRef WriteOpenFlags[] = {"O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND",
                                          "O_TRUNC"};
/// Words of a function's name that say it writes to a file, whole or in part.
const llvm::StringRef FileWriteWords[] = {"write", "writev", "pwrite", "pwritev", "writer"};
} // namespace

llvm::ArrayRef<DescriptorOpener> descriptorOpeners() { return DescriptorOpeners; }
llvm::ArrayRef<llvm::StringRef> writeOpenFlags() { return WriteOpenFlags; }
llvm::StringRef openFlagPrefix() { return "O_"; }

bool namesFileWrite(llvm::StringRef Name) {
  for (const std::string &W : identifierWords(Name, {}))
    if (llvm::is_contained(FileWriteWords, W))
      return true;
  return false;
}

RoleSource::~RoleSource() = default;

const ApiEntry *RoleSource::roleForPointer(const ValueDecl *, const ApiModel &) {
  return nullptr;
}

const CallerFacts *RoleSource::callerFactsFor(const FunctionDecl *) { return nullptr; }

const CallerFacts *ApiModel::callerFacts(const FunctionDecl *FD) const {
  for (const auto &S : Sources)
    if (const CallerFacts *F = S->callerFactsFor(FD))
      return F;
  return nullptr;
}

namespace {
/// Words of a function pointer's name that say it puts bytes toward a peer or a file.
const llvm::StringRef PointerWriteWords[] = {"write",  "writer", "writev",  "send",
                                             "sender", "sendv",  "sendmsg", "xmit"};
/// Words that say otherwise: it writes everything or fails (`write_all`, a composed write),
/// it reads, or it is a log sink whose tail nobody resends.
const llvm::StringRef PointerNotWriteWords[] = {
    "all",  "full", "fully", "exact", "exactly", "whole", "entire", "read",
    "recv", "receive", "peek", "log", "trace", "debug", "print", "dump"};
/// What may stand before a write word in one lower-case word and change its meaning:
/// `rewrite` edits, `overwrite` clobbers memory, `prewrite`/`postwrite` are hooks around a
/// write, `unsend` takes back.
const llvm::StringRef PointerWritePrefixesNot[] = {"re",   "over", "under", "copy", "hand",
                                                   "ghost", "type", "pre",  "post", "un"};

/// True if the one word \p W says write: it is a write word, or it ends in one after a
/// prefix that names the transport (`mqttwrite`, `sockwrite`, `netsend`, `tlswrite`), as C
/// code bases spell their network layer's hooks. The prefix must not change the meaning
/// (`rewrite`, `overwrite`) nor hide a word that says otherwise (`readwrite`, `logwrite`,
/// `fullwrite`).
/// Words that make an operation asynchronous (namesAsyncOp).
const llvm::StringRef AsyncWords[] = {"async"};

bool wordSaysWrite(llvm::StringRef W) {
  if (llvm::is_contained(PointerWriteWords, W))
    return true;
  for (llvm::StringRef Suffix : PointerWriteWords) {
    if (!compat::endsWith(W, Suffix) || W.size() == Suffix.size())
      continue;
    llvm::StringRef Prefix = W.drop_back(Suffix.size());
    if (llvm::is_contained(PointerWritePrefixesNot, Prefix))
      return false;
    for (llvm::StringRef Not : PointerNotWriteWords)
      if (Prefix.contains(Not))
        return false;
    return true;
  }
  return false;
}
} // namespace

bool ApiModel::namesAsyncOp(llvm::StringRef Name) const {
  for (const std::string &W : identifierWords(Name, {}))
    if (llvm::is_contained(AsyncWords, W))
      return true;
  return false;
}

bool ApiModel::namesPointerWrite(llvm::StringRef Name) const {
  bool Write = false;
  for (const std::string &W : identifierWords(Name, {})) {
    if (llvm::is_contained(PointerNotWriteWords, W))
      return false;
    Write |= wordSaysWrite(W);
  }
  return Write;
}

ApiOp ApiModel::addAnnotationRow(ApiEntry E) const {
  E.Family = "annotation";
  E.Origin = RowOrigin::Annotation;
  if (E.Kind == OpKind::EmptyTest)
    E.Flags |= AF_MayDiscard;
  AnnotationRows.push_back(std::move(E));
  return ApiOp{&AnnotationRows.back()};
}

ApiOp ApiModel::lookup(const Callee &C) const {
  if (C.Function)
    return lookup(C.Function);
  return lookupPointer(C.Pointer);
}

ApiOp ApiModel::lookupPointer(const ValueDecl *D) const {
  if (!D)
    return {};
  std::string Qualified = qualifiedName(D);
  if (std::optional<OpKind> Ann = annotatedKind(D)) {
    for (const ApiEntry &E : AnnotationRows)
      if (E.Name == Qualified && E.Kind == *Ann)
        return ApiOp{&E};
    ApiEntry E;
    E.Name = Qualified;
    E.Kind = *Ann;
    E.Result = ResultKind::None; // refined from the return type by ResultTypes
    const FunctionProtoType *Proto = pointeePrototype(D);
    E.Length = writeLengthParameter(Proto);
    E.Channel = Proto && Proto->getNumParams() > 0 && E.Length != 1 ? 0 : ChannelNone;
    return addAnnotationRow(std::move(E));
  }
  auto It = D->getDeclName().isIdentifier() ? ByName.find(D->getName()) : ByName.end();
  if (It != ByName.end()) {
    bool Global = isa<VarDecl>(D) && D->getDeclContext()->getRedeclContext()->isFileContext();
    for (auto R = It->second.rbegin(); R != It->second.rend(); ++R) {
      const ApiEntry *E = *R;
      if (E->Origin == RowOrigin::BuiltIn || (E->Flags & AF_MemberOnly))
        continue;
      if (nameMatches(E->Name, Qualified, Global))
        return ApiOp{E};
    }
  }
  for (const auto &S : Sources)
    if (const ApiEntry *E = S->roleForPointer(D, *this))
      return ApiOp{E};
  return {};
}

ApiOp ApiModel::lookup(const FunctionDecl *FD) const { return lookupImpl(FD, true); }

ApiOp ApiModel::lookupTable(const FunctionDecl *FD) const { return lookupImpl(FD, false); }

ApiOp ApiModel::lookupImpl(const FunctionDecl *FD, bool WithSources) const {
  if (!FD)
    return {};
  FD = FD->getCanonicalDecl();
  // Annotations first: on this declaration, any redeclaration, or an overridden method.
  std::optional<OpKind> Ann;
  for (const FunctionDecl *R : FD->redecls())
    if ((Ann = annotatedKind(R)))
      break;
  if (!Ann)
    if (const auto *MD = llvm::dyn_cast<CXXMethodDecl>(FD))
      for (const CXXMethodDecl *O : MD->overridden_methods())
        if ((Ann = annotatedKind(O)))
          break;
  if (!Ann)
    if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern())
      Ann = annotatedKind(Pattern);
  if (Ann) {
    for (const ApiEntry &E : AnnotationRows)
      if (E.Name == qualifiedName(FD) && E.Kind == *Ann)
        return ApiOp{&E};
    ApiEntry E;
    E.Name = qualifiedName(FD);
    E.Kind = *Ann;
    E.Result = ResultKind::None; // refined from the return type by ResultTypes
    E.Channel = llvm::isa<CXXMethodDecl>(FD) && !llvm::cast<CXXMethodDecl>(FD)->isStatic()
                    ? ChannelImplicitObject
                    : 0;
    for (unsigned I = 0; I < FD->getNumParams(); ++I) {
      if (hasAnnotation(FD->getParamDecl(I), "drain::channel"))
        E.Channel = static_cast<int>(I);
      if (hasAnnotation(FD->getParamDecl(I), "drain::length"))
        E.Length = static_cast<int>(I);
    }
    return addAnnotationRow(std::move(E));
  }

  auto It = FD->getDeclName().isIdentifier() ? ByName.find(FD->getName()) : ByName.end();
  // Rows of the user's (options, model file) win over roles inferred from bodies, which win
  // over the built-in rows: a project's own `flush()` with a body is what its body says.
  auto Search = [&](bool BuiltIn) -> ApiOp {
    if (It == ByName.end())
      return {};
    std::string Qualified = qualifiedName(FD);
    bool Global = isGlobalFunction(FD);
    const auto *MD = llvm::dyn_cast<CXXMethodDecl>(FD);
    bool IsMember = MD && !MD->isStatic();
    // Later rows (model file after options) win: search from the back.
    for (auto R = It->second.rbegin(); R != It->second.rend(); ++R) {
      const ApiEntry *E = *R;
      if ((E->Origin == RowOrigin::BuiltIn) != BuiltIn)
        continue;
      if ((E->Flags & AF_MemberOnly) && !IsMember)
        continue;
      if ((E->Flags & AF_FreeOnly) && IsMember)
        continue;
      if (nameMatches(E->Name, Qualified, Global))
        return ApiOp{E};
      // A member row of a class template also matches the method of a derived class.
      if (IsMember && llvm::StringRef(E->Name).contains("::"))
        for (const CXXMethodDecl *O : MD->overridden_methods())
          if (nameMatches(E->Name, qualifiedName(O), false))
            return ApiOp{E};
    }
    return {};
  };
  if (ApiOp Op = Search(false))
    return Op;
  if (WithSources)
    for (const auto &S : Sources)
      if (const ApiEntry *E = S->roleFor(FD, *this))
        return ApiOp{E};
  return Search(true);
}

std::optional<ResultPart> ApiModel::accessorPart(llvm::StringRef Name) const {
  for (const ResultAccessor &A : Accessors)
    if (A.Name == Name)
      return A.Part;
  return std::nullopt;
}

bool ApiModel::mayDiscard(const FunctionDecl *FD) const {
  if (!FD)
    return false;
  for (const FunctionDecl *R : FD->redecls())
    if (hasAnnotation(R, "drain::may_discard"))
      return true;
  if (MayDiscardNames.empty() || !FD->getDeclName().isIdentifier())
    return false;
  std::string Q = qualifiedName(FD);
  for (const auto &N : MayDiscardNames)
    if (nameMatches(N.getKey(), Q, isGlobalFunction(FD)))
      return true;
  return false;
}

//===--- model file -------------------------------------------------------===//

namespace {
struct ModelFunction {
  std::string Name, Kind, Result, Channel, Family;
  int Length = -1, Handler = -1, CallbackError = -1;
  bool MayDiscard = false, RequiresPendingResult = false, FlushesFirst = false,
       ZeroIsPending = false, StdioStream = false, StatusCallback = false, BioChannel = false;
};
struct ModelRole {
  std::string Name, Role;
  int Arg = -1;
};
struct ModelBufferWord {
  std::string Name, Effect;
};
struct ModelFile {
  int Version = 1;
  std::vector<ModelFunction> Functions;
  std::vector<ModelRole> Roles;
  std::vector<ModelBufferWord> BufferMethods, BufferFunctionWords;
  std::vector<std::string> DrainedWords;
  std::vector<std::string> PendingStates, ReadyStates, MayDiscard;
};
} // namespace
} // namespace drain

LLVM_YAML_IS_SEQUENCE_VECTOR(drain::ModelFunction)
LLVM_YAML_IS_SEQUENCE_VECTOR(drain::ModelRole)
LLVM_YAML_IS_SEQUENCE_VECTOR(drain::ModelBufferWord)

namespace llvm::yaml {
template <> struct MappingTraits<drain::ModelFunction> {
  static void mapping(IO &Io, drain::ModelFunction &F) {
    Io.mapRequired("name", F.Name);
    Io.mapRequired("kind", F.Kind);
    Io.mapOptional("result", F.Result, std::string());
    Io.mapOptional("channel", F.Channel, std::string());
    Io.mapOptional("length", F.Length, -1);
    Io.mapOptional("handler", F.Handler, -1);
    Io.mapOptional("may_discard", F.MayDiscard, false);
    Io.mapOptional("requires_pending_result", F.RequiresPendingResult, false);
    Io.mapOptional("flushes_first", F.FlushesFirst, false);
    Io.mapOptional("zero_is_pending", F.ZeroIsPending, false);
    Io.mapOptional("stdio_stream", F.StdioStream, false);
    Io.mapOptional("status_callback", F.StatusCallback, false);
    Io.mapOptional("callback_error", F.CallbackError, -1);
    Io.mapOptional("bio_channel", F.BioChannel, false);
    Io.mapOptional("family", F.Family, std::string("model-file"));
  }
};
template <> struct MappingTraits<drain::ModelRole> {
  static void mapping(IO &Io, drain::ModelRole &R) {
    Io.mapRequired("name", R.Name);
    Io.mapRequired("role", R.Role);
    Io.mapOptional("arg", R.Arg, -1);
  }
};
template <> struct MappingTraits<drain::ModelBufferWord> {
  static void mapping(IO &Io, drain::ModelBufferWord &W) {
    Io.mapRequired("name", W.Name);
    Io.mapRequired("effect", W.Effect);
  }
};
template <> struct MappingTraits<drain::ModelFile> {
  static void mapping(IO &Io, drain::ModelFile &M) {
    Io.mapOptional("version", M.Version, 1);
    Io.mapOptional("functions", M.Functions);
    Io.mapOptional("roles", M.Roles);
    Io.mapOptional("buffer_methods", M.BufferMethods);
    Io.mapOptional("buffer_function_words", M.BufferFunctionWords);
    Io.mapOptional("drained_words", M.DrainedWords);
    Io.mapOptional("pending_states", M.PendingStates);
    Io.mapOptional("ready_states", M.ReadyStates);
    Io.mapOptional("may_discard", M.MayDiscard);
  }
};
} // namespace llvm::yaml

namespace drain {

/// The row a model file's function entry describes, or nothing with \p Error filled.
static std::optional<ApiEntry> modelRow(const ModelFunction &F, llvm::StringRef FileName,
                                        std::string &Error) {
  auto Kind = ApiModel::parseKind(F.Kind);
  if (!Kind) {
    Error = "model file '" + FileName.str() + "': function '" + F.Name +
            "' has unknown kind '" + F.Kind +
            "' (expected write, composed_write, flush, shutdown, close, empty_test, "
            "async_write, async_shutdown, cancel, sync or destroy)";
    return std::nullopt;
  }
  ResultKind Result = ResultKind::None;
  if (!F.Result.empty()) {
    auto RK = ApiModel::parseResult(F.Result);
    if (!RK) {
      Error = "model file '" + FileName.str() + "': function '" + F.Name +
              "' has unknown result '" + F.Result + "'";
      return std::nullopt;
    }
    Result = *RK;
  }
  ApiEntry E;
  E.Name = F.Name;
  E.Kind = *Kind;
  E.Result = Result;
  if (F.Channel.empty() || F.Channel == "this")
    E.Channel = ChannelImplicitObject;
  else if (F.Channel == "none")
    E.Channel = ChannelNone;
  else if (llvm::StringRef(F.Channel).getAsInteger(10, E.Channel)) {
    Error = "model file '" + FileName.str() + "': function '" + F.Name +
            "' has channel '" + F.Channel + "' (expected an argument index, this or none)";
    return std::nullopt;
  }
  E.Length = F.Length;
  E.HandlerArg = F.Handler;
  if (F.Handler >= 0)
    E.Flags |= AF_HasHandler;
  if (F.MayDiscard)
    E.Flags |= AF_MayDiscard;
  if (F.RequiresPendingResult)
    E.Flags |= AF_RequiresPendingResult;
  if (F.FlushesFirst)
    E.Flags |= AF_FlushesFirst;
  if (F.StdioStream)
    E.Flags |= AF_StdioStream;
  if (F.StatusCallback)
    E.Flags |= AF_StatusCallback;
  // The error's place in the callback: a C callback's, so it implies status_callback.
  if (F.CallbackError >= 0) {
    if (F.Handler < 0) {
      Error = "model file '" + FileName.str() + "': function '" + F.Name +
              "' has callback_error but no handler";
      return std::nullopt;
    }
    E.Flags |= AF_StatusCallback;
    E.CallbackError = F.CallbackError;
  }
  if (F.BioChannel)
    E.Flags |= AF_BioChannel;
  E.ZeroIsPending = F.ZeroIsPending;
  E.Family = F.Family;
  E.Origin = RowOrigin::ModelFile;
  return E;
}

/// Appends a model file's buffer words to \p Out; false with \p Error filled on an unknown
/// effect.
static bool loadBufferWords(const std::vector<ModelBufferWord> &In, std::vector<BufferWord> &Out,
                            llvm::StringRef FileName, std::string &Error) {
  for (const ModelBufferWord &W : In) {
    std::optional<BufferEffect> Effect = ApiModel::parseBufferEffect(W.Effect);
    if (!Effect) {
      Error = "model file '" + FileName.str() + "': buffer word '" + W.Name +
              "' has unknown effect '" + W.Effect +
              "' (expected append, clear, empty_test, size or free)";
      return false;
    }
    Out.push_back({W.Name, *Effect});
  }
  return true;
}

bool ApiModel::loadModelYAML(llvm::StringRef Text, llvm::StringRef FileName,
                             std::string &Error) {
  ModelFile M;
  std::string Diag;
  llvm::yaml::Input In(Text, nullptr,
                       [](const llvm::SMDiagnostic &D, void *Ctx) {
                         auto *Out = static_cast<std::string *>(Ctx);
                         if (Out->empty())
                           *Out = (llvm::Twine(D.getLineNo()) + ":" +
                                   llvm::Twine(D.getColumnNo() + 1) + ": " + D.getMessage())
                                      .str();
                       },
                       &Diag);
  In >> M;
  if (In.error()) {
    Error = "malformed model file '" + FileName.str() + "'" + (Diag.empty() ? "" : ": " + Diag);
    return false;
  }
  if (M.Version != 1) {
    Error = "model file '" + FileName.str() + "' has version " + std::to_string(M.Version) +
            "; this drain reads version 1";
    return false;
  }
  for (const ModelFunction &F : M.Functions) {
    std::optional<ApiEntry> E = modelRow(F, FileName, Error);
    if (!E)
      return false;
    add(std::move(*E));
  }
  for (const ModelRole &R : M.Roles) {
    std::optional<FunctionRole> Role = parseRole(R.Role);
    if (!Role) {
      std::string Known;
      for (const auto &RN : RoleNames)
        Known += (Known.empty() ? "" : ", ") + std::string(RN.Name);
      Error = "model file '" + FileName.str() + "': role row '" + R.Name +
              "' has unknown role '" + R.Role + "' (expected one of " + Known + ")";
      return false;
    }
    addRole(RoleEntry{R.Name, *Role, R.Arg, RowOrigin::ModelFile});
  }
  if (!loadBufferWords(M.BufferMethods, BufferMethods, FileName, Error) ||
      !loadBufferWords(M.BufferFunctionWords, BufferFunctionWords, FileName, Error))
    return false;
  for (const auto &W : M.DrainedWords)
    DrainedWords.insert(W);
  for (const auto &S : M.PendingStates)
    Vocab.Pending.insert(StateVocabulary::normalize(S));
  for (const auto &S : M.ReadyStates)
    Vocab.Ready.insert(StateVocabulary::normalize(S));
  for (const auto &S : M.MayDiscard)
    MayDiscardNames.insert(S);
  return true;
}

} // namespace drain
