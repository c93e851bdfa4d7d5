//===--- ApiModel.h - what each known I/O operation does --------*- C++ -*-===//
//
// One table, shared by every check, says what a known operation does to a channel: write,
// flush, shut down, close, test for emptiness, start an asynchronous write, and what its result
// means. In the spirit of the Static Analyzer's CallDescriptionMap: a new API is a new row,
// never a new `if`. Rows come from five places, in this order of precedence:
//   1. annotations in the user's code ([[clang::annotate("drain::flush")]], see
//      integrations/annotations/drain/annotations.h),
//   2. a YAML model file named by the ModelFile option (docs/model-file.md),
//   3. check options (semicolon lists such as FlushFunctions),
//   4. roles inferred from the project's own function bodies (RoleInference.h), in this
//      translation unit or read from a summary store written by an earlier run
//      (SummaryDatabase.h): the RoleSources,
//   5. the built-in rows in ApiModel.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CORE_APIMODEL_H
#define DRAIN_ANALYSIS_CORE_APIMODEL_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class FunctionDecl;
class NamedDecl;
class Decl;
class CallExpr;
class ValueDecl;
} // namespace clang

namespace drain {

struct Callee;
struct CallerFacts;

/// What an operation does to its channel.
enum class OpKind : unsigned char {
  Write,         ///< puts bytes toward a peer or into a buffer; may leave them buffered
  ComposedWrite, ///< writes everything or reports an error (asio::write, write_all)
  Flush,         ///< tries to drain a buffer; its result says whether it finished
  Shutdown,      ///< ends the write side (shutdown(SHUT_WR), SSL_shutdown, poll_shutdown)
  Close,         ///< releases the channel (close, fclose, uv_close)
  EmptyTest,     ///< tells whether the write buffer is drained (empty(), has_buffered_write())
  AsyncWrite,    ///< starts a write that finishes later (async_write, uv_write)
  AsyncShutdown, ///< starts a shutdown that finishes later (async_shutdown, uv_shutdown)
  Cancel,        ///< aborts the operations in flight on the channel (cancel)
  Sync,          ///< makes written data durable; reported like a flush (fsync, fdatasync)
  /// ends the life of the object that owns the channel (a smart pointer's reset): what its
  /// buffer still holds is gone, unless its destructor flushes first
  Destroy,
};

/// What the operation's result means, i.e. what "looked at" has to look for.
enum class ResultKind : unsigned char {
  None,         ///< nothing to check (void, or the result is not the status)
  ByteCount,    ///< bytes written: negative on error, short counts possible (write, send)
  ItemCount,    ///< items written, short on error (fwrite)
  Status,       ///< zero on success (shutdown, close, fflush, fclose, BIO_flush is 1)
  TlsCount,     ///< > 0 bytes, <= 0 needs SSL_get_error: WANT_WRITE is a pending state
  PendingState, ///< a type with a pending-like state (Poll, enum class Status { Pending, ... })
  Bool,         ///< true when finished
  Awaitable,    ///< std::future, a coroutine task: must be awaited or spawned
  ErrorCodeOut, ///< reports through an error_code& argument, not its result
  /// An int whose sign tells the state: negative is an error, positive pending and zero
  /// ready (or the other way round with ApiEntry::ZeroIsPending): a hand-written flush
  /// answering 1/0/-1.
  SignedState,
};

/// Where the channel is: an argument index, the implicit object, or nowhere.
enum : int { ChannelImplicitObject = -1, ChannelNone = -2 };

/// Row flags.
enum ApiFlags : unsigned {
  AF_None = 0,
  /// The name is generic (flush, drain, send_all): the row applies only when the result type
  /// carries a pending state or a completion flag, so std::ostream::flush() stays out.
  AF_RequiresPendingResult = 1u << 0,
  /// Only member functions match.
  AF_MemberOnly = 1u << 1,
  /// Only free functions match.
  AF_FreeOnly = 1u << 2,
  /// Discarding the result is fine (the row exists for the flow analysis only).
  AF_MayDiscard = 1u << 3,
  /// A completion handler/callback argument reports the result (index in HandlerArg).
  AF_HasHandler = 1u << 4,
  /// The completion reports a byte count that may be short of the buffer (async_write_some):
  /// a handler that ignores it loses the rest of the data.
  AF_PartialCompletion = 1u << 5,
  /// A completion that flushes the channel's own buffer first (fclose): data written before
  /// it is not lost by the completion itself.
  AF_FlushesFirst = 1u << 6,
  /// May be discarded (AF_MayDiscard) on a socket, but reports a write error the file system
  /// deferred (NFS, quota, a full disk) when the descriptor is a file: drain-discarded-io-result
  /// still reports a dropped result for a file written before the close (close).
  AF_ReportsDeferredFileError = 1u << 7,
  /// The channel is a stdio stream (a `FILE *` with its buffer in the process): whether a
  /// dropped flush or close of it loses anything depends on how the stream was opened and
  /// what it was given since (fflush, fclose).
  AF_StdioStream = 1u << 8,
  /// The completion callback is a C function pointer handed a status or an error, not an
  /// error code: an int status (libuv's uv_write_cb), or the parameter ApiEntry::CallbackError
  /// names (h2o's `const char *err`, NULL on success); a null callback leaves no place for it.
  AF_StatusCallback = 1u << 9,
  /// The channel is an OpenSSL BIO: a write to a local BIO that keeps its bytes in memory
  /// (BIO_s_mem, a filter chain ending in one) sends nothing anywhere and fails only when
  /// memory runs out (BIO_write).
  AF_BioChannel = 1u << 10,
  /// An inferred write-all that waits out a would-block (goes round again on it) and stops
  /// early only on a failure or when its retry budget runs out: a short answer means it gave
  /// up, and nothing is left that waiting could still send (sofia-sip's ws_raw_write). A
  /// write-all that returns on the first would-block leaves the rest to its caller.
  AF_WaitsOutWouldBlock = 1u << 11,
  /// An inferred append: copies the caller's bytes into a byte buffer of the record it is
  /// handed (the channel) and grows its count. A buffered write on that record; an answer,
  /// if it has one, says only whether the bytes were taken (a status, never a count).
  AF_BufferAppend = 1u << 12,
};

/// Where a row came from; used in notes ("modelled by the ModelFile row ...").
enum class RowOrigin : unsigned char { BuiltIn, Option, ModelFile, Annotation, Inferred };

/// One row of the table.
struct ApiEntry {
  /// The function's name with as much qualification as must match: "::write" is a global
  /// (C) function, "asio::write" matches boost::asio::write and asio::write,
  /// "asio::basic_socket::close" a member of that class template, "poll_flush" any scope.
  std::string Name;
  OpKind Kind = OpKind::Write;
  ResultKind Result = ResultKind::None;
  int Channel = 0;      ///< argument index, ChannelImplicitObject or ChannelNone
  int Length = -1;      ///< index of the requested length argument, or -1
  int HandlerArg = -1;  ///< index of the completion handler / callback argument, or -1
  unsigned Flags = AF_None;
  /// posix, stdio, openssl, gnutls, libuv, libevent, asio, beast, poll: a label shown in
  /// notes; what a row does is in its kind, result and flags.
  std::string Family;
  RowOrigin Origin = RowOrigin::BuiltIn;
  /// SignedState: zero is the pending answer and positive the ready one.
  bool ZeroIsPending = false;
  /// Index of the completion callback's parameter that receives the error, or -1 to find it
  /// by its type (an error_code, else the first integer). Needed where the error is neither:
  /// h2o's `cb(h2o_socket_t *sock, const char *err)` reports a failure as a non-null string.
  int CallbackError = -1;
};

class ApiModel;

/// What a function is to the checks besides an operation on a channel: it opens a stdio
/// stream, puts nothing into one, removes a file. Rows of the same table as the ApiEntry rows,
/// named the same way, each with the argument its role is about (docs/model-file.md, "Function
/// roles").
enum class FunctionRole : unsigned char {
  /// Opens a stdio stream; Arg: its mode (fopen: 1, fmemopen: 2). A project's function that
  /// returns such a call's stream untouched gets an inferred row (ApiModel::roleOf).
  StreamOpener,
  /// Puts nothing into a stream's output buffer: reads, asks, positions, sets the buffering,
  /// flushes; Arg: the stream (fgets: 2, ftell: 0).
  StreamNoOutput,
  /// Opens a stream to an anonymous temporary file its close deletes (tmpfile); Arg: none.
  AnonymousStreamOpener,
  /// Turns a stream into its descriptor (fileno); Arg: the stream.
  StreamDescriptor,
  /// Cuts a file back to a length (ftruncate); Arg: its descriptor.
  FileTruncator,
  /// Deletes a file by its path (unlink, remove); Arg: the path (unlinkat: 1).
  FileRemover,
  /// Classifies a failed write's result (SSL_get_error(ssl, n) says whether n <= 0 meant "try
  /// again" or a failure); Arg: the result.
  ErrorQuery,
  /// Sends a TLS session's close_notify alert over its transport (SSL_shutdown, gnutls_bye);
  /// Arg: the session.
  TlsCloseNotify,
  /// Binds a TLS session (argument 0) to its transport: a descriptor (SSL_set_fd), or a
  /// context whose integer field is one (mbedtls_ssl_set_bio's `&net`); Arg: the transport.
  TlsTransportBinder,
  /// With a non-zero mode, makes the session's close_notify call send nothing
  /// (SSL_set_quiet_shutdown(ssl, 1)); the session is argument 0; Arg: the mode.
  TlsQuietShutdown,
  // What a whole program does with its standard output (drain-discarded-io-result's rule
  // for the output of a program, checks/DiscardedIoResult/ProgramOutput.h).
  /// Writes to the standard output without naming it (printf, puts); Arg: none.
  StdoutWrite,
  /// Writes into the stream it is handed (fprintf: 0, fwrite: 3; -1: the object of a member
  /// call, std::ostream::write).
  StreamWrite,
  /// Tells whether a write to the stream failed (ferror: 0; -1: the object of a member call,
  /// std::ios::fail).
  StreamStateTest,
  /// Registers a function the program runs at exit (atexit); Arg: the function.
  ExitHandlerRegistrar,
  /// Closes or flushes the standard output and reports a failure (gnulib's close_stdout);
  /// Arg: none.
  StdoutCloser,
  /// Ends the program after flushing its streams (exit); Arg: the exit status.
  ProgramExit,
  /// Runs a test suite and answers its verdict (gtest's UnitTest::Run); Arg: none.
  TestRunner,
  /// Starts serving: detaches the process from its terminal or listens for connections
  /// (daemon, setsid, listen, evhttp_bind_socket): what such a program writes to stdout is a
  /// log, not its product; Arg: none.
  ServerStart,
  // C++ file streams whose state nobody reads after writing (drain-discarded-io-result,
  // checks/DiscardedIoResult/FileStreams.h). Their writes are StreamWrite rows (`operator<<`, write, put), the
  // tests of their state StreamStateTest rows (fail, good, `operator!`, `operator bool`).
  /// Makes or opens a C++ stream on a file that can be written: the constructors and open()
  /// of std::basic_ofstream and std::basic_fstream (a constructor handed no path opens
  /// nothing); the class of such a constructor is a file stream. Arg: the open mode.
  FileStreamOpener,
  /// Closes a C++ file stream, writing what its buffer holds; a failure only sets the
  /// stream's failbit (std::basic_ofstream::close). Arg: -1, the object of the member call.
  FileStreamClose,
  /// Moves a file to its final name, publishing what was written to it (rename,
  /// std::filesystem::rename); Arg: the source path.
  FileRenamer,
  // A TLS library's thread error queue (drain-partial-write's rule for a stale error queue,
  // checks/PartialWrite/TlsErrorQueue.h).
  /// Reads the thread's error queue before it answers, so an error an earlier call left there
  /// spoils its answer (SSL_get_error); Arg: the result it classifies.
  ErrorQueueReader,
  /// Empties the thread's error queue (ERR_clear_error); Arg: none.
  ErrorQueueClear,
  // Writes that cannot be short (core/WholeWrites.h).
  /// Sends to the destination address it is handed, so its socket is a datagram socket,
  /// where a datagram goes whole or not at all (sendto); Arg: the address.
  DatagramSend,
  /// Sends a message header whose first field, when set, names the destination (sendmsg's
  /// `msg_name`); Arg: the header.
  DatagramHeaderSend,
  /// A write that only ever goes to a socket, never to a pipe whose small writes are atomic
  /// (send, sendto, sendmsg); Arg: none.
  SocketOnlyWrite,
  /// Makes a socket and returns its descriptor (socket); Arg: its domain.
  SocketMaker,
  /// Makes a connected pair of sockets into its last argument, an array (socketpair); Arg:
  /// their domain.
  SocketPairMaker,
};

/// One role row.
struct RoleEntry {
  std::string Name; ///< as ApiEntry::Name: "fopen" (any scope), "::fopen", "ns::open_log"
  FunctionRole Role = FunctionRole::StreamOpener;
  int Arg = -1; ///< the argument the role is about, or -1
  RowOrigin Origin = RowOrigin::BuiltIn;
  /// An inferred row: how many of the project's wrappers deep its body reaches a row of the
  /// table (1: it returns an opener's call).
  unsigned Depth = 0;
};

/// A call that opens a file and returns its descriptor: never a socket. FlagsArg is the index
/// of its open flags (O_WRONLY, ...), or -1 when it always opens for writing (creat,
/// mkstemp). ByName: a project's wrapper whose name contains this one (`do_mkstemp`,
/// `safe_open`) counts too, judged by the O_ flags it is handed.
struct DescriptorOpener {
  const char *Name;
  int FlagsArg;
  bool ByName;
};
llvm::ArrayRef<DescriptorOpener> descriptorOpeners();
/// The open flags that open a file for writing (O_WRONLY, O_RDWR, O_CREAT, O_APPEND, O_TRUNC).
llvm::ArrayRef<llvm::StringRef> writeOpenFlags();
/// The prefix every open flag's macro name has ("O_").
llvm::StringRef openFlagPrefix();
/// True if a word of \p Name says it writes to a file (`write_file`, `full_write`, `pwrite`):
/// a function drain cannot see into that is handed a descriptor is taken at its word.
bool namesFileWrite(llvm::StringRef Name);

/// Rows that are not in the table: roles inferred from function bodies, or read from a
/// summary store. Asked after annotations, the model file and options, before built-in rows.
class RoleSource {
public:
  virtual ~RoleSource();
  /// The row for \p FD (any declaration of it), or null. \p M is the model asking, for
  /// looking up the calls in \p FD's body.
  virtual const ApiEntry *roleFor(const clang::FunctionDecl *FD, const ApiModel &M) = 0;
  /// The row for a call through the function pointer \p D (a field, variable or parameter),
  /// or null. Sources that read only function bodies have none.
  virtual const ApiEntry *roleForPointer(const clang::ValueDecl *D, const ApiModel &M);
  /// What the calls of \p FD in other translation units do with its result (CallerFacts.h),
  /// or null when the source knows of none. Only a summary store has them.
  virtual const CallerFacts *callerFactsFor(const clang::FunctionDecl *FD);
  /// Forgets what the source holds of the translation unit that just ended (its
  /// declarations). Called at the end of every unit: the next unit's ASTContext, and its
  /// declarations, may be allocated at the addresses the last one's had.
  virtual void endUnit() {}
};

/// What a call resolved to: the row, and the channel/length positions resolved for the call.
struct ApiOp {
  const ApiEntry *Entry = nullptr;
  OpKind kind() const { return Entry->Kind; }
  ResultKind result() const { return Entry->Result; }
  explicit operator bool() const { return Entry != nullptr; }
};

/// Names of enumerators (and accessor methods) that mean "not finished yet", "finished" and
/// "failed". Matching is case-insensitive and ignores a leading 'k'/'e' prefix and underscores.
struct StateVocabulary {
  llvm::StringSet<> Pending; ///< Pending, WouldBlock, Again, InProgress, Partial, Incomplete...
  llvm::StringSet<> Ready;   ///< Ready, Done, Complete, Ok, Flushed, Success...
  llvm::StringSet<> Error;   ///< Error, Err, Failed, Closed...
  static StateVocabulary builtIn();
  static std::string normalize(llvm::StringRef Name);
  bool isPending(llvm::StringRef Name) const;
  bool isReady(llvm::StringRef Name) const;
  bool isError(llvm::StringRef Name) const;
  /// True if any word of \p Name says failure (`MOSQ_ERR_NOMEM`, `ARCHIVE_FATAL`,
  /// `EXIT_FAILURE`, a label `fail_free`): a returned code or an exit path, not a state.
  static bool mentionsFailure(llvm::StringRef Name);
  /// True if a word of \p Name says it logs (`DBGPRINTF`'s `dbgprintf`, `log_warn`, `perror`,
  /// `syslog`, `trace`): a call that reports, not one that handles.
  static bool namesLogging(llvm::StringRef Name);
  /// True if the text of a message says something failed (`"Error copying data"`, `"unable
  /// to open %s"`, `"cannot write"`, `"could not rename"`): a message that reports a failure.
  static bool messageReportsFailure(llvm::StringRef Text);
  /// True if a word of \p Name (an enumerator of a result) says success: `Succeeded`,
  /// `Success`, `Ok`, `ERR_NONE`.
  static bool namesSuccess(llvm::StringRef Name);
  /// The operation an enumerator's name says failed, when it names a failed write, send or
  /// flush (`CannotFlushSendBuffer`, `WriteFailed`, `SEND_ERROR`): Flush or Write.
  static std::optional<OpKind> namesOutputFailure(llvm::StringRef Name);
  /// True if \p Name, an enumerator of a result, names an outcome that is neither success
  /// nor nothing: a failure (`AbnormalClose`, `Timeout`, `SendFailed`) or "not yet"
  /// (`WouldBlock`).
  bool namesUnsuccessfulOutcome(llvm::StringRef Name) const;
};

/// Which part of a result a read looks at. A result can carry its pending state in a part (a
/// member `state`, an accessor `poll()`, the value of an expected-like `*r`) next to an error
/// part (`failed`, `is_err()`, `has_value()`, `error`): reading only the error part checks the
/// result for errors only.
enum class ResultPart : unsigned char {
  Whole,       ///< the value itself (or a copy of it)
  State,       ///< the pending state, compared with named states (r.state, r.poll(), *r)
  ErrorFlag,   ///< true when the operation failed (r.failed, r.is_err(), r.has_error())
  Success,     ///< true when it did not fail (r.ok(), r.has_value(), `if (r)`)
  ErrorValue,  ///< the error itself; zero / false when there is none (r.error, r.error())
  PendingFlag, ///< true while not finished (r.is_pending())
  ReadyFlag,   ///< true when finished (r.is_ready(), r.done)
  Value,       ///< the value of an expected-like; what it is depends on the value's type
  Alternative, ///< which alternative a variant holds (`holds_alternative<Pending>(r)`); the
               ///< alternative's type name says the state
  AlternativeIndex, ///< the position of the alternative a variant holds (`r.index()`),
                    ///< compared with a constant: that alternative's type name says the state
  Element,     ///< an element of a tuple-like result by position (`std::get<1>(r)`, a
               ///< structured binding); what it is depends on the element's type
  Unrelated,   ///< says nothing about the outcome (a payload, a count beside the state)
};

/// An accessor of a result that names a part which the vocabulary cannot tell from the name
/// (`has_value`, `value`, `operator*`): a row of the model like any API.
struct ResultAccessor {
  std::string Name;
  ResultPart Part;
};

/// What a call does to a write buffer the flow analysis tracks (a connection's member such as
/// `out_buf_`, `c->wbuf`): the model's buffer vocabulary names methods of such a member
/// (`append`, `clear`) and words of the names of C functions handed one (`bipbuf_free`,
/// `sdslen`).
enum class BufferEffect : unsigned char {
  Append,    ///< queues bytes (append, push_back, write, operator<<)
  Clear,     ///< drops what it holds (clear)
  EmptyTest, ///< answers whether it is empty (empty)
  Size,      ///< answers how much it holds (size, length): tested against zero, an emptiness test
  Free,      ///< ends the buffer and what it holds (free, destroy)
};

/// One word of the buffer vocabulary: a method's name, or a word of a C function's name.
struct BufferWord {
  std::string Name;
  BufferEffect Effect;
};

/// Options a check passes to the model (all semicolon-separated lists of names).
struct ApiModelOptions {
  std::string WriteFunctions, ComposedWriteFunctions, FlushFunctions, ShutdownFunctions,
      CloseFunctions, EmptyTests, AsyncWriteFunctions, MayDiscardFunctions;
  std::string PendingStates; ///< extra pending-like enumerator names
  std::string ReadyStates;   ///< extra finished-like enumerator names
  std::string ModelFile;     ///< YAML model file, see docs/model-file.md
};

class ApiModel {
public:
  /// The built-in rows only.
  ApiModel();
  /// Built-in rows plus options and the model file. Problems (an unreadable or malformed
  /// model file, an unknown kind) are appended to \p Errors as one line each.
  ApiModel(const ApiModelOptions &Opts, std::vector<std::string> &Errors);

  /// The row for a callee, or an empty op. Annotations on \p FD (or on the declaration it
  /// overrides) win over every other source.
  ApiOp lookup(const clang::FunctionDecl *FD) const;

  /// The row for what \p C reaches: its function, or for a call through a function pointer
  /// the pointer's declaration (lookupPointer).
  ApiOp lookup(const Callee &C) const;

  /// The row for a call through the function pointer \p D: an annotation on it, a row of the
  /// user's naming it (`conn_write`, `archive_write::client_writer`), then the role sources
  /// (a guess from its name and signature, PointerRoles.h). Built-in rows never match a
  /// pointer: a field named `flush` says nothing about which library it calls.
  ApiOp lookupPointer(const clang::ValueDecl *D) const;

  /// True if \p Name (a function pointer's) says it writes or sends bytes, as one word of the
  /// name (`conn_write`, `client_writer`, `xSend`), and nothing says it writes everything
  /// (`write_all`) or reads; see PointerRoles.h.
  bool namesPointerWrite(llvm::StringRef Name) const;
  /// True if a word of \p Name says the operation is asynchronous (`async_write`,
  /// `asyncSend`): it starts the work and owns what it is handed until it completes.
  bool namesAsyncOp(llvm::StringRef Name) const;

  /// True if \p FD carries drain::may_discard or is listed in MayDiscardFunctions.
  bool mayDiscard(const clang::FunctionDecl *FD) const;

  const StateVocabulary &vocabulary() const { return Vocab; }
  /// What the method \p Name of a write-buffer member does, if the vocabulary names it.
  std::optional<BufferEffect> bufferMethod(llvm::StringRef Name) const;
  /// What a C function handed a write buffer does, by the word \p Word of its name.
  std::optional<BufferEffect> bufferFunctionWord(llvm::StringRef Word) const;
  /// True if \p Word, in the name of a test of a write buffer, says the test is true when the
  /// buffer is drained (`write_buffer_empty`, `is_flushed`; `has_buffered_write` is true while
  /// data waits).
  bool drainedWord(llvm::StringRef Word) const;
  static std::optional<BufferEffect> parseBufferEffect(llvm::StringRef S);
  /// The part an accessor of a result reads, by its name (`has_value`, `value`,
  /// `operator*`), when the model has a row for it.
  std::optional<ResultPart> accessorPart(llvm::StringRef Name) const;
  const std::deque<ApiEntry> &entries() const { return Entries; }

  /// Adds one row (used by options, the model file and tests).
  void add(ApiEntry E);

  /// Adds a source of rows asked after the user's rows and before the built-in ones; sources
  /// are asked in the order added (inference from bodies first, then a store).
  void addRoleSource(std::shared_ptr<RoleSource> S) { Sources.push_back(std::move(S)); }
  /// Forgets the rows inferred for the translation unit that just ended, in the model and in
  /// every role source (RoleSource::endUnit).
  void endUnit() const;
  const std::vector<std::shared_ptr<RoleSource>> &roleSources() const { return Sources; }
  /// The first role source's facts about the callers of \p FD in other translation units, or
  /// null.
  const CallerFacts *callerFacts(const clang::FunctionDecl *FD) const;

  /// The row for \p FD from the table only (annotations, options, model file, built-in rows),
  /// never from a RoleSource: what a body's own role must not shadow.
  ApiOp lookupTable(const clang::FunctionDecl *FD) const;

  /// The role row of the table (built in, model file) giving \p FD the role \p R; of several,
  /// the last added. Null if none.
  const RoleEntry *tableRole(const clang::FunctionDecl *FD, FunctionRole R) const;
  /// True if a row of the table gives \p FD the role \p R about argument \p Arg.
  bool hasRole(const clang::FunctionDecl *FD, FunctionRole R, int Arg) const;
  /// tableRole, else a role the model infers from \p FD's body (a StreamOpener: a function of
  /// the project returning an opener's fresh stream, StdioStreams.h), recorded as a row with
  /// the origin Inferred. Null if none.
  const RoleEntry *roleOf(const clang::FunctionDecl *FD, FunctionRole R) const;
  /// The names of the role rows giving the role \p R, as written in the rows
  /// (`std::basic_ofstream::basic_ofstream`): a translation unit that never spells one has
  /// no call that could have the role.
  llvm::SmallVector<llvm::StringRef, 8> namesWithRole(FunctionRole R) const;
  /// Adds one role row (used by the model file and tests).
  void addRole(RoleEntry E);
  static std::optional<FunctionRole> parseRole(llvm::StringRef S);
  static llvm::StringRef roleName(FunctionRole R);

  /// Parses a YAML model file's text; returns false and fills \p Error on failure.
  bool loadModelYAML(llvm::StringRef Text, llvm::StringRef FileName, std::string &Error);

  /// Name helpers shared with the rest of the library.
  static std::string qualifiedName(const clang::NamedDecl *D);
  static bool nameMatches(llvm::StringRef Pattern, llvm::StringRef Qualified, bool IsGlobal);
  static std::optional<OpKind> parseKind(llvm::StringRef S);
  static std::optional<ResultKind> parseResult(llvm::StringRef S);
  static llvm::StringRef kindName(OpKind K);
  static llvm::StringRef resultName(ResultKind R);

  /// The op named by a "drain::<kind>" annotation on \p D, if any.
  static std::optional<OpKind> annotatedKind(const clang::Decl *D);
  static bool hasAnnotation(const clang::Decl *D, llvm::StringRef Annotation);

private:
  void addBuiltIns();
  ApiOp lookupImpl(const clang::FunctionDecl *FD, bool WithSources) const;
  std::vector<std::shared_ptr<RoleSource>> Sources;
  void addList(llvm::StringRef List, OpKind Kind, ResultKind Result, RowOrigin Origin);
  /// Rows by unqualified name. Deque: pointers to rows stay valid as rows are added.
  std::deque<ApiEntry> Entries;
  llvm::StringMap<std::vector<const ApiEntry *>> ByName;
  llvm::StringSet<> MayDiscardNames;
  StateVocabulary Vocab;
  std::vector<ResultAccessor> Accessors;
  std::vector<BufferWord> BufferMethods, BufferFunctionWords;
  llvm::StringSet<> DrainedWords;
  std::deque<RoleEntry> Roles;
  llvm::StringMap<std::vector<const RoleEntry *>> RolesByName;
  /// Roles inferred from bodies, by canonical declaration (null: none), for one translation
  /// unit at a time.
  mutable std::deque<RoleEntry> InferredRoles;
  mutable llvm::DenseMap<const clang::FunctionDecl *, const RoleEntry *> InferredRoleMemo;
  mutable const clang::ASTContext *InferredFor = nullptr;
  /// Keeps a row synthesized for an annotated function or pointer.
  ApiOp addAnnotationRow(ApiEntry E) const;
  /// Rows synthesized for annotated declarations, created on demand.
  mutable std::deque<ApiEntry> AnnotationRows;
};

} // namespace drain

#endif // DRAIN_ANALYSIS_CORE_APIMODEL_H
