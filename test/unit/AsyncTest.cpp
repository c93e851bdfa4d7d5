//===--- AsyncTest.cpp - the analyses behind the three async checks -------===//
//
// Channel keys, completion tokens and handler parameter mapping (AsyncOps), the in-flight
// rule on the flow engine (AsyncInFlight: its transfer rows and its diagnoser), ignored completion errors (CompletionErrors) and lazy/eager
// awaitables (AwaitableDiscard), on snippets with their own minimal Asio-shaped prelude.
// `// [[warn]]` marks the lines a finding must be on; every other line must stay silent.
//
//===----------------------------------------------------------------------===//
#include "TestSupport.h"
#include "analysis/core/ApiModel.h"
#include "analysis/checks/CloseDuringAsyncWrite.h"
#include "analysis/core/AsyncOps.h"
#include "analysis/checks/DiscardedAwaitable.h"
#include "analysis/checks/IgnoredCompletionError.h"
#include "analysis/core/DiscardClassifier.h"
#include "analysis/core/Instantiations.h"
#include "analysis/flow/FlowEngine.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace drain;
using drain::test::markedLines;
using drain::test::parse;

namespace {

const std::string Prelude = R"cpp(
#include <cstddef>
#include <type_traits>
namespace boost { namespace system { struct error_code { explicit operator bool() const; }; } }
namespace boost { namespace asio {
using boost::system::error_code;
struct any_io_executor {};
struct use_awaitable_t {};
constexpr use_awaitable_t use_awaitable;
struct detached_t {};
constexpr detached_t detached;
template <class T> struct redirect_error_t { T t; };
template <class T> redirect_error_t<T> redirect_error(T t, error_code &);
template <class E> struct basic_yield_context {
  basic_yield_context operator[](error_code &) const;
};
using yield_context = basic_yield_context<any_io_executor>;
template <class T> struct awaitable {
  bool await_ready(); template <class H> void await_suspend(H); T await_resume();
};
template <class Tok> struct result { using type = void; };
template <> struct result<use_awaitable_t> { using type = awaitable<std::size_t>; };
template <class E> struct result<basic_yield_context<E>> { using type = std::size_t; };
template <class Tok> using result_t = typename result<std::decay_t<Tok>>::type;
struct io_context { std::size_t run(); };
template <class P> class basic_socket {
public: void close(); void shutdown(int); void cancel(); };
template <class P> class basic_stream_socket : public basic_socket<P> {
public:
  template <class B, class H> result_t<H> async_write_some(const B &, H &&h) { return result_t<H>(); }
  template <class B, class H> result_t<H> async_read_some(const B &, H &&h) { return result_t<H>(); }
};
struct tcp {};
template <class S, class B, class H> result_t<H> async_write(S &, const B &, H &&h) { return result_t<H>(); }
} }
namespace net = boost::asio;
using socket_t = net::basic_stream_socket<net::tcp>;
using net::error_code;
void use(const error_code &);
)cpp";

const CallExpr *firstCallNamed(ASTContext &Ctx, const std::string &Name) {
  auto M = match(callExpr(callee(functionDecl(hasName(Name)))).bind("c"), Ctx);
  return M.empty() ? nullptr : M.front().getNodeAs<CallExpr>("c");
}

std::set<unsigned> linesOf(const std::vector<Finding> &Fs, ASTContext &Ctx) {
  std::set<unsigned> Out;
  for (const auto &F : Fs)
    Out.insert(Ctx.getSourceManager().getPresumedLineNumber(F.Loc));
  return Out;
}

/// Runs the intra-function rule (the flow engine with inFlightTable()) over every function
/// and lambda of \p Code.
std::set<unsigned> inFlightFindings(const std::string &Code, const std::string &Std) {
  auto AST = parse(Code, Std);
  if (!AST)
    return {};
  ApiModel M;
  InFlightOptions O;
  InFlightFlow Flow(M, O);
  std::vector<Finding> All;
  auto &Ctx = AST->getASTContext();
  for (const auto &N : match(functionDecl(isDefinition()).bind("f"), Ctx)) {
    auto Fs = Flow.findings(N.getNodeAs<FunctionDecl>("f"), Ctx);
    All.insert(All.end(), Fs.begin(), Fs.end());
  }
  for (const auto &N : match(lambdaExpr().bind("l"), Ctx)) {
    auto Fs = Flow.findings(N.getNodeAs<LambdaExpr>("l")->getCallOperator(), Ctx);
    All.insert(All.end(), Fs.begin(), Fs.end());
  }
  return linesOf(All, Ctx);
}

TEST(AsyncOpsTest, ChannelKeysLookThroughAccessorsAndSelf) {
  std::string Code = Prelude + R"cpp(
struct Stream { socket_t &socket(); socket_t s; };
struct Session {
  Stream stream_;
  socket_t sock_;
  void f(Session *self) {
    stream_.socket().close();
    stream_.s.close();
    self->sock_.close();
    sock_.close();
  }
};
)cpp";
  auto AST = parse(Code);
  ASSERT_TRUE(AST);
  auto &Ctx = AST->getASTContext();
  auto Calls = match(cxxMemberCallExpr(callee(cxxMethodDecl(hasName("close")))).bind("c"), Ctx);
  ASSERT_EQ(Calls.size(), 4u);
  const auto *Method = cast<CXXMethodDecl>(test::findFunction(Ctx, "Session::f"));
  std::vector<AsyncChannel> Keys;
  for (const auto &N : Calls)
    Keys.push_back(channelOf(N.getNodeAs<CXXMemberCallExpr>("c")->getImplicitObjectArgument(),
                             Method->getParent()));
  for (const auto &K : Keys) {
    ASSERT_TRUE(K.valid());
    EXPECT_TRUE(K.rootedAtThis());
  }
  // stream_.socket() is stream_; stream_.s is a member below it; self->sock_ is sock_.
  auto find = [&](llvm::StringRef Member) {
    for (const auto &K : Keys)
      if (K.Path.size() == 2 && K.Path[1]->getName() == Member)
        return K;
    return AsyncChannel();
  };
  EXPECT_TRUE(find("stream_").valid());
  EXPECT_TRUE(find("sock_").valid());
  unsigned SockKeys = 0;
  for (const auto &K : Keys)
    SockKeys += K == find("sock_");
  EXPECT_EQ(SockKeys, 2u) << "self->sock_ and sock_ are one channel";
}

TEST(AsyncOpsTest, TokensAndHandlerParameters) {
  std::string Code = Prelude + R"cpp(
#include <functional>
struct S {
  void on_write(bool close, error_code ec, std::size_t n);
  void after();
};
template <class F, class... A> int bind_front_handler(F, A...);
void f(socket_t &s, S *obj, net::yield_context y) {
  error_code ec;
  net::async_write(s, 1, net::use_awaitable);
  net::async_write(s, 1, y[ec]);
  net::async_write(s, 1, net::redirect_error(net::use_awaitable, ec));
  net::async_write(s, 1, net::detached);
  net::async_write(s, 1, [](error_code e, std::size_t n) {});
  net::async_write(s, 1, std::bind(&S::after, obj));
}
)cpp";
  auto AST = parse(Code);
  ASSERT_TRUE(AST);
  auto &Ctx = AST->getASTContext();
  auto Calls = match(callExpr(callee(functionDecl(hasName("async_write")))).bind("c"), Ctx);
  ASSERT_EQ(Calls.size(), 6u);
  ApiModel M;
  std::vector<CompletionToken> T;
  std::vector<std::optional<HandlerCallable>> H;
  for (const auto &N : Calls) {
    auto A = matchAsyncCall(N.getNodeAs<CallExpr>("c"), M);
    ASSERT_TRUE(A);
    EXPECT_EQ(A->Op.kind(), OpKind::AsyncWrite);
    T.push_back(classifyToken(A->Handler));
    H.push_back(resolveHandler(A->Handler));
  }
  EXPECT_EQ(T[0].Kind, TokenKind::Awaitable);
  EXPECT_EQ(T[1].Kind, TokenKind::Yield);
  ASSERT_TRUE(T[1].ErrorVar);
  EXPECT_EQ(T[1].ErrorVar->getName(), "ec");
  EXPECT_EQ(T[2].Kind, TokenKind::Awaitable);
  EXPECT_TRUE(T[2].ErrorVar);
  EXPECT_EQ(T[3].Kind, TokenKind::Detached);
  EXPECT_EQ(T[4].Kind, TokenKind::Handler);
  ASSERT_TRUE(H[4]);
  EXPECT_EQ(H[4]->ErrorParam, 0);
  EXPECT_EQ(H[4]->BytesParam, 1);
  ASSERT_TRUE(H[5]);
  EXPECT_TRUE(H[5]->ErrorDropped) << "std::bind without _1 drops the error";
}

TEST(AsyncInFlightTest, PathsAndCompletions) {
  std::string Code = Prelude + R"cpp(
void positive(socket_t &s, bool b) {
  net::async_write(s, 1, [](error_code, std::size_t) {});
  if (b)
    s.close(); // [[warn]]
}
void loop(socket_t &s, int n) {
  for (int i = 0; i < n; ++i) {
    if (i > 0)
      s.cancel(); // [[warn]]
    net::async_write(s, 1, [](error_code, std::size_t) {});
  }
}
void in_handler(socket_t &s) {
  net::async_write(s, 1, [&s](error_code, std::size_t) { s.close(); });
}
void yielded(socket_t &s, net::yield_context y) {
  net::async_write(s, 1, y);
  s.close();
}
void ran(socket_t &s, net::io_context &ioc) {
  net::async_write(s, 1, [](error_code, std::size_t) {});
  ioc.run();
  s.shutdown(1);
}
void before(socket_t &s) {
  s.close();
  net::async_write(s, 1, [](error_code, std::size_t) {});
}
void other(socket_t &a, socket_t &b) {
  net::async_write(a, 1, [](error_code, std::size_t) {});
  b.close();
}
)cpp";
  for (const auto &Std : test::standards())
    EXPECT_EQ(inFlightFindings(Code, Std), markedLines(Code, "warn")) << Std;
}

TEST(AsyncInFlightTest, CoAwaitCompletesTheWrite) {
  std::string Code = R"cpp(
#include <coroutine>
)cpp" + Prelude + R"cpp(
struct task {
  struct promise_type {
    task get_return_object(); std::suspend_never initial_suspend() noexcept;
    std::suspend_never final_suspend() noexcept; void return_void(); void unhandled_exception();
  };
};
task awaited(socket_t &s) {
  co_await net::async_write(s, 1, net::use_awaitable);
  s.close();
}
task not_started_is_not_in_flight(socket_t &s) {
  net::async_write(s, 1, net::use_awaitable);
  s.close();
  co_return;
}
)cpp";
  EXPECT_EQ(inFlightFindings(Code, "c++20"), markedLines(Code, "warn"));
}

//===--- the in-flight rows, on the engine ----------------------------------===//

bool Probed = false;

TEST(AsyncInFlightTest, TableHasTheInFlightRows) {
  InFlightOptions O;
  TransferTable T = inFlightTable(O);
  for (EventKind K : {EventKind::AsyncWrite, EventKind::Await, EventKind::Cancel,
                      EventKind::Destroy, EventKind::Close, EventKind::Shutdown,
                      EventKind::SummaryCall, EventKind::BindVar}) {
    const TransferRow *R = T.row(K);
    ASSERT_TRUE(R) << eventKindName(K).str();
    EXPECT_TRUE(R->Models && *R->Models) << "every row says what it models";
  }
  // ReportCancel=false: a cancel is no event of this check at all (a later close still
  // finds the write in flight).
  O.ReportCancel = false;
  EXPECT_FALSE(inFlightTable(O).row(EventKind::Cancel));
}

TEST(AsyncInFlightTest, RowsSetAndClearTheBit) {
  auto AST = parse(Prelude + R"cpp(
void f(socket_t &a, socket_t &b) { net::async_write(a, 1, [](error_code, std::size_t) {}); }
)cpp");
  ASSERT_TRUE(AST);
  ASTContext &Ctx = AST->getASTContext();
  const FunctionDecl *F = test::findFunction(Ctx, "f");
  ASSERT_TRUE(F);
  const CallExpr *Write = firstCallNamed(Ctx, "boost::asio::async_write");
  ASSERT_TRUE(Write);
  ChannelKey A, B;
  A.Root = F->getParamDecl(0);
  B.Root = F->getParamDecl(1);
  ApiModel M;
  ChannelResolver Ch;
  TransferContext TC{M, Ch, Ctx};
  TransferTable T = inFlightTable(InFlightOptions());
  auto ev = [&](EventKind K, std::optional<ChannelKey> C) {
    Event E;
    E.Kind = K;
    E.S = Write;
    E.Channel = C;
    return E;
  };
  FlowState S;
  S.Reached = true;
  T.apply(ev(EventKind::AsyncWrite, A), S, TC);
  T.apply(ev(EventKind::AsyncWrite, B), S, TC);
  ASSERT_TRUE(S.get(A).may(SB_InFlight));
  ASSERT_EQ(S.get(A).Path.size(), 1u);
  EXPECT_EQ(S.get(A).Path.front().Kind, PathEventKind::AsyncStarted);
  // Await of one channel leaves the other in flight; an Await without a channel (the event
  // loop ran) ends every write.
  T.apply(ev(EventKind::Await, A), S, TC);
  EXPECT_FALSE(S.get(A).may(SB_InFlight));
  EXPECT_FALSE(S.get(A).isBottom());
  EXPECT_TRUE(S.get(A).Path.empty());
  EXPECT_TRUE(S.get(B).may(SB_InFlight));
  T.apply(ev(EventKind::Await, std::nullopt), S, TC);
  EXPECT_FALSE(S.get(B).may(SB_InFlight));
  // Cancel and Destroy end it; Close is the standard completion.
  for (EventKind End : {EventKind::Cancel, EventKind::Destroy, EventKind::Close}) {
    T.apply(ev(EventKind::AsyncWrite, A), S, TC);
    T.apply(ev(End, A), S, TC);
    EXPECT_FALSE(S.get(A).may(SB_InFlight)) << eventKindName(End).str();
  }
  // A status result: in flight on its success class, as before on its failure class.
  Event W = ev(EventKind::AsyncWrite, B);
  W.Result = ResultKind::Status;
  T.apply(W, S, TC);
  const Fact *Fa = nullptr;
  for (const auto &KV : S.Exprs)
    Fa = &KV.second;
  ASSERT_TRUE(Fa);
  EXPECT_EQ(Fa->Shape, FactShape::Status);
  ASSERT_EQ(Fa->Effects.size(), 1u);
  EXPECT_TRUE(Fa->Effects[0].PerClass[classIndex(RC_Ready)].may(SB_InFlight));
  EXPECT_FALSE(Fa->Effects[0].PerClass[classIndex(RC_Error)].may(SB_InFlight));
  EXPECT_TRUE(S.get(B).may(SB_InFlight)) << "untested: may be in flight";
}

/// Runs the engine with inFlightTable() over every function of \p Code; at each observed end
/// of a write (close, shutdown, cancel, destroy, a call whose summary closes), `// [[inflight]]`
/// says a write may be in flight on the channel (or one below it) just before, `// [[idle]]`
/// that none is. Every such line of a snippet carries one marker (destroys: of a
/// `local_socket`; functions: those of the snippet, not of the headers).
void expectInFlight(const std::string &Code, const std::string &Std) {
  SCOPED_TRACE(Std);
  auto AST = parse(Code, Std);
  ASSERT_TRUE(AST);
  ASTContext &Ctx = AST->getASTContext();
  ApiModel M;
  ChannelResolver Ch;
  EngineOptions EO;
  EO.AssumeBufferDirtyOnEntry = false;
  EO.LocalDestructors = true;
  EO.ObserveBelow = true;
  FlowEngine Engine(M, Ch, inFlightTable(InFlightOptions()), EO);
  std::set<unsigned> In, Idle;
  for (const auto &N :
       match(functionDecl(isDefinition(), isExpansionInMainFile()).bind("f"), Ctx)) {
    const FunctionAnalysis *A = Engine.analyze(N.getNodeAs<FunctionDecl>("f"), Ctx);
    if (!A)
      continue;
    ASSERT_FALSE(A->Skipped);
    for (const Observation &Ob : A->Observations) {
      SourceLocation Loc;
      switch (Ob.E.Kind) {
      case EventKind::Close:
      case EventKind::Shutdown:
      case EventKind::Cancel:
      case EventKind::SummaryCall:
        Loc = Ob.E.S->getBeginLoc();
        break;
      case EventKind::Destroy:
        if (Ob.E.Var->getType().getAsString() != "local_socket")
          continue;
        Loc = Ob.E.S->getEndLoc();
        break;
      default:
        continue;
      }
      bool Any = false;
      for (const auto &KS : Ob.Before)
        Any |= KS.second.may(SB_InFlight);
      (Any ? In : Idle).insert(Ctx.getSourceManager().getPresumedLineNumber(Loc));
    }
  }
  EXPECT_EQ(In, markedLines(Code, "inflight"));
  EXPECT_EQ(Idle, markedLines(Code, "idle"));
}

TEST(AsyncInFlightTest, WhatEndsInFlight) {
  std::string Code = Prelude + R"cpp(
#include <future>
#include <utility>
namespace boost { namespace asio {
struct use_future_t {};
constexpr use_future_t use_future;
template <> struct result<use_future_t> { using type = std::future<std::size_t>; };
} }
struct local_socket : socket_t { ~local_socket(); };
void take(local_socket &&);
void written(socket_t &s) {
  net::async_write(s, 1, [](error_code, std::size_t) {});
  s.close(); // [[inflight]]
}
void loop_ran(socket_t &s, net::io_context &ioc) {
  net::async_write(s, 1, [](error_code, std::size_t) {});
  ioc.run();
  s.close(); // [[idle]]
}
void yielded(socket_t &s, net::yield_context y) {
  net::async_write(s, 1, y);
  s.shutdown(1); // [[idle]]
}
void future_waited(socket_t &s) {
  auto f = net::async_write(s, 1, net::use_future);
  f.get();
  s.close(); // [[idle]]
}
void future_not_waited(socket_t &s) {
  auto f = net::async_write(s, 1, net::use_future);
  s.close(); // [[inflight]]
  f.get();
}
void future_inline(socket_t &s) {
  net::async_write(s, 1, net::use_future).wait();
  s.close(); // [[idle]]
}
void cancelled(socket_t &s) {
  net::async_write(s, 1, [](error_code, std::size_t) {});
  s.cancel(); // [[inflight]]
  s.close(); // [[idle]]
}
void destroyed() {
  local_socket s;
  net::async_write(s, 1, net::detached);
} // [[inflight]]
void moved_away() {
  local_socket s;
  net::async_write(s, 1, net::detached);
  take(std::move(s));
} // [[idle]]
void other_stream(socket_t &a, socket_t &b) {
  net::async_write(a, 1, [](error_code, std::size_t) {});
  b.close(); // [[idle]]
}
)cpp";
  for (const auto &Std : test::standards())
    expectInFlight(Code, Std);
}

TEST(AsyncInFlightTest, StatusResultsSplitPerEdge) {
  std::string Code = Prelude + R"cpp(
extern "C" {
struct uv_stream_t { int fd; };
struct uv_handle_t;
struct uv_write_t;
int uv_write(uv_write_t *, uv_stream_t *, const void *, unsigned, void (*)(uv_write_t *, int));
void uv_close(uv_handle_t *, void (*)(uv_handle_t *));
}
void on_written(uv_write_t *, int);
struct conn_t { uv_stream_t tcp; };
void not_equal_zero(uv_write_t *r, uv_stream_t *h) {
  if (uv_write(r, h, nullptr, 1, on_written) != 0)
    uv_close((uv_handle_t *)h, nullptr); // [[idle]]
  else
    uv_close((uv_handle_t *)h, nullptr); // [[inflight]]
}
void truthiness(uv_write_t *r, uv_stream_t *h) {
  if (uv_write(r, h, nullptr, 1, on_written))
    uv_close((uv_handle_t *)h, nullptr); // [[idle]]
}
void negative_through_a_variable(uv_write_t *r, uv_stream_t *h) {
  int rc;
  rc = uv_write(r, h, nullptr, 1, on_written);
  if (rc < 0) {
    uv_close((uv_handle_t *)h, nullptr); // [[idle]]
    return;
  }
  uv_close((uv_handle_t *)h, nullptr); // [[inflight]]
}
void named_failure(uv_write_t *r, uv_stream_t *h) {
  int rc = uv_write(r, h, nullptr, 1, on_written);
  if (rc == -11)
    uv_close((uv_handle_t *)h, nullptr); // [[idle]]
}
void succeeded(uv_write_t *r, uv_stream_t *h) {
  if (uv_write(r, h, nullptr, 1, on_written) == 0)
    uv_close((uv_handle_t *)h, nullptr); // [[inflight]]
}
void whole_connection(uv_write_t *r, conn_t *c) {
  uv_write(r, &c->tcp, nullptr, 1, on_written);
  uv_close((uv_handle_t *)c, nullptr); // [[inflight]]
}
)cpp";
  expectInFlight(Code, "c++17");
}

TEST(AsyncInFlightTest, SummariesCarryInFlightBothWays) {
  std::string Code = Prelude + R"cpp(
struct Conn {
  socket_t sock_;
  void start() { net::async_write(sock_, 1, [](error_code, std::size_t) {}); }
  void stop() {
    start();
    sock_.close(); // [[inflight]]
  }
  void restart() {
    sock_.close(); // [[idle]]
    start();
  }
  void do_close() { sock_.close(); } // [[idle]]
  void send_and_close() {
    net::async_write(sock_, 1, [](error_code, std::size_t) {});
    do_close(); // [[inflight]]
  }
  void close_then_send() {
    do_close(); // [[idle]]
    start();
  }
};
void close_it(socket_t &s) { s.close(); } // [[idle]]
void hand_to_helper(socket_t &s) {
  net::async_write(s, 1, [](error_code, std::size_t) {});
  close_it(s); // [[inflight]]
}
void start_on(socket_t &s) { net::async_write(s, 1, [](error_code, std::size_t) {}); }
void two_levels(socket_t &s) {
  start_on(s);
  close_it(s); // [[inflight]]
}
)cpp";
  for (const auto &Std : test::standards())
    expectInFlight(Code, Std);
}

TEST(AsyncInFlightTest, HelpersReportedAtTheCall) {
  std::string Code = Prelude + R"cpp(
struct Conn {
  socket_t sock_;
  void start() { net::async_write(sock_, 1, [](error_code, std::size_t) {}); }
  void stop() {
    start();
    sock_.close(); // [[warn]]
  }
  void restart() {
    sock_.close();
    start();
  }
};
void close_it(socket_t &s) { s.close(); }
void hand_to_helper(socket_t &s) {
  net::async_write(s, 1, [](error_code, std::size_t) {});
  close_it(s); // [[warn]]
}
void run_it(net::io_context &ioc) { ioc.run(); }
void helper_runs_the_loop(socket_t &s, net::io_context &ioc) {
  net::async_write(s, 1, [](error_code, std::size_t) {});
  run_it(ioc);
  s.close();
}
)cpp";
  for (const auto &Std : test::standards())
    EXPECT_EQ(inFlightFindings(Code, Std), markedLines(Code, "warn")) << Std;
}

TEST(CompletionErrorsTest, HandlersAndVariables) {
  std::string Code = Prelude + R"cpp(
void ignores(error_code ec, std::size_t n) {}
void reads(error_code ec, std::size_t n) { use(ec); }
void f(socket_t &s, net::yield_context y) {
  net::async_write(s, 1, ignores); // [[warn]]
  net::async_write(s, 1, reads);
  net::async_write(s, 1, [](error_code ec, std::size_t) { if (ec) return; });
  net::async_write(s, 1, [](error_code, std::size_t) {}); // [[warn]]
  s.async_write_some(1, [](error_code ec, std::size_t) { use(ec); }); // [[warn]]
  s.async_write_some(1, [](error_code ec, std::size_t n) { use(ec); (void)n; });
  s.async_read_some(1, [](error_code, std::size_t) {});
  error_code e1, e2;
  net::async_write(s, 1, y[e1]); // [[warn]]
  net::async_write(s, 1, y[e2]);
  use(e2);
  net::async_write(s, 1, net::detached); // [[warn]]
}
)cpp";
  for (const auto &Std : test::standards()) {
    auto AST = parse(Code, Std);
    ASSERT_TRUE(AST);
    auto &Ctx = AST->getASTContext();
    ApiModel M;
    DiscardClassifier C(Ctx);
    CompletionErrorOptions O;
    std::vector<Finding> All;
    for (const auto &N : match(callExpr().bind("c"), Ctx))
      if (auto F = findIgnoredCompletionError(N.getNodeAs<CallExpr>("c"), Ctx, M, C, O))
        All.push_back(*F);
    EXPECT_EQ(linesOf(All, Ctx), markedLines(Code, "warn")) << Std;
  }
}

// A template pattern is judged only where nothing instantiated it: an instantiation is
// judged by findIgnoredCompletionError with every type known, and the pattern must not say it
// again (clang-tidy would merge the two identical warnings; other front doors would not).
TEST(CompletionErrorsTest, PatternsOnlyWhereNotInstantiated) {
  std::string Code = Prelude + R"cpp(
#include <memory>
template <class T> struct never_used {
  socket_t s;
  void w() { net::async_write(s, 1, [this](error_code, std::size_t) {}); } // [[warn]]
};
template <class T> struct used {
  socket_t s;
  void w() { net::async_write(s, 1, [this](error_code, std::size_t) {}); }
};
template <class T> struct class_used_member_not {
  socket_t s;
  void w() { net::async_write(s, 1, [this](error_code, std::size_t) {}); } // [[warn]]
  void other() {}
};
template <class S> void sent(S &s) { net::async_write(s, 1, [](error_code, std::size_t) {}); }
template <class S> void unsent(S &s) { net::async_write(s, 1, [](error_code, std::size_t) {}); } // [[warn]]
template <class T> struct checked {
  socket_t s;
  void w() { net::async_write(s, 1, [this](error_code ec, std::size_t) { use(ec); }); }
};
template <class Ec> struct dependent_error {
  socket_t s;
  void w() { net::async_write(s, 1, [this](Ec, std::size_t) {}); }
};
void g(socket_t &s) {
  used<int>().w();
  class_used_member_not<int>().other();
  sent(s);
  auto generic = [](auto &s) { net::async_write(s, 1, [](error_code, std::size_t) {}); };
  generic(s);
}
)cpp";
  for (const auto &Std : test::standards()) {
    auto AST = parse(Code, Std);
    ASSERT_TRUE(AST);
    auto &Ctx = AST->getASTContext();
    ApiModel M;
    InstantiatedPatterns I(Ctx);
    CompletionErrorOptions O;
    std::vector<Finding> All;
    auto Dependent = callExpr(callee(expr(
        anyOf(unresolvedLookupExpr(), unresolvedMemberExpr(), cxxDependentScopeMemberExpr()))));
    for (const auto &N : match(Dependent.bind("c"), Ctx))
      if (auto F = findIgnoredCompletionErrorInTemplate(N.getNodeAs<CallExpr>("c"), Ctx, M, I, O))
        All.push_back(*F);
    EXPECT_EQ(linesOf(All, Ctx), markedLines(Code, "warn")) << Std;
  }
}

TEST(AwaitableDiscardTest, LazyAndEager) {
  std::string Code = R"cpp(
#include <coroutine>
#include <future>
struct lazy { struct promise_type { std::suspend_always initial_suspend() noexcept; }; };
struct eager { struct promise_type { std::suspend_never initial_suspend() noexcept; }; };
lazy l(); eager e(); std::future<int> f();
)cpp";
  auto AST = parse(Code, "c++20");
  ASSERT_TRUE(AST);
  auto &Ctx = AST->getASTContext();
  EXPECT_TRUE(isLazyAwaitable(test::findFunction(Ctx, "l")->getReturnType()));
  EXPECT_FALSE(isLazyAwaitable(test::findFunction(Ctx, "e")->getReturnType()));
  EXPECT_FALSE(isLazyAwaitable(test::findFunction(Ctx, "f")->getReturnType()));
}

TEST(AwaitableDiscardTest, WriteSummariesFollowHelpers) {
  std::string Code = Prelude + R"cpp(
net::awaitable<void> direct(socket_t &s) { return net::async_write(s, 1, net::use_awaitable), net::awaitable<void>(); }
net::awaitable<void> indirect(socket_t &s) { return direct(s); }
net::awaitable<void> none() { return {}; }
)cpp";
  auto AST = parse(Code);
  ASSERT_TRUE(AST);
  auto &Ctx = AST->getASTContext();
  ApiModel M;
  WriteSummaries W(M);
  EXPECT_TRUE(W.writeIn(test::findFunction(Ctx, "direct")));
  EXPECT_TRUE(W.writeIn(test::findFunction(Ctx, "indirect")));
  EXPECT_FALSE(W.writeIn(test::findFunction(Ctx, "none")));
}

} // namespace
