//===--- TypestateTest.cpp - the lattice, the transfer table, the engine ---===//
//
// Lattice laws on hand-built states, then snippets run through the engine with inline
// markers: on a line with a completion (shutdown/close), `// [[dirty]]` says the channel may
// hold unconfirmed data just before it, `// [[entry]]` that it may hold what it held on entry
// (a connection's buffer), `// [[clean]]` neither. Every completion in a snippet carries one
// marker, so a test cannot pass by looking at nothing.
//
//===----------------------------------------------------------------------===//
#include "TestSupport.h"
#include "analysis/flow/FlowEngine.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace drain;
using drain::test::markedLines;
using drain::test::parse;

namespace {

//===--- the lattice ------------------------------------------------------===//

ChannelState st(uint8_t Bits) { return ChannelState::of(Bits); }

TEST(TypestateTest, JoinIsSetUnionWithBottomAsIdentity) {
  ChannelState B; // bottom: unreachable
  ChannelState C = st(SB_Clean), D = st(SB_Dirty);
  ChannelState X = B;
  X.join(C);
  EXPECT_EQ(X, C);
  X.join(D);
  EXPECT_EQ(X.May, SB_Clean | SB_Dirty);
  EXPECT_TRUE(X.may(SB_NeedsFlush));
  // Idempotent and commutative.
  ChannelState Y = D;
  Y.join(C);
  EXPECT_EQ(X, Y);
  Y.join(Y);
  EXPECT_EQ(X, Y);
}

TEST(TypestateTest, JoinKeepsOneDirtyPathWhateverTheOrder) {
  auto AST = parse("void f() { int a; int b; }");
  ASSERT_TRUE(AST);
  auto Ms = match(declStmt().bind("d"), AST->getASTContext());
  ASSERT_EQ(Ms.size(), 2u);
  const Stmt *S1 = Ms[0].getNodeAs<Stmt>("d"), *S2 = Ms[1].getNodeAs<Stmt>("d");
  if (stmtBefore(S2, S1))
    std::swap(S1, S2);
  ChannelState A = st(SB_Dirty), B = st(SB_Dirty);
  A.addEvent({PathEventKind::Written, S1, nullptr, 0});
  B.addEvent({PathEventKind::Written, S2, nullptr, 0});
  ChannelState AB = A, BA = B;
  AB.join(B);
  BA.join(A);
  EXPECT_EQ(AB, BA);
  ASSERT_EQ(AB.Path.size(), 1u);
  EXPECT_EQ(AB.Path.front().S, S1); // the path that starts first in the source
}

TEST(TypestateTest, PathIsBoundedAndKeepsItsOrigin) {
  auto AST = parse("void f() { int a0; int a1; int a2; int a3; int a4; int a5; int a6; "
                   "int a7; int a8; int a9; int a10; int a11; }");
  ASSERT_TRUE(AST);
  auto Ms = match(declStmt().bind("d"), AST->getASTContext());
  ASSERT_GT(Ms.size(), ChannelState::MaxPathEvents);
  ChannelState S = st(SB_Dirty);
  for (const auto &M : Ms)
    S.addEvent({PathEventKind::Written, M.getNodeAs<Stmt>("d"), nullptr, 0});
  S.addEvent({PathEventKind::Written, Ms.back().getNodeAs<Stmt>("d"), nullptr, 0}); // no duplicate
  EXPECT_EQ(S.Path.size(), ChannelState::MaxPathEvents);
  EXPECT_EQ(S.Path.front().S, Ms.front().getNodeAs<Stmt>("d"));
  EXPECT_EQ(S.Path.back().S, Ms.back().getNodeAs<Stmt>("d"));
}

TEST(TypestateTest, CleanDropsDirtAndPath) {
  auto AST = parse("void f() { int a; }");
  ASSERT_TRUE(AST);
  const Stmt *D = match(declStmt().bind("d"), AST->getASTContext())[0].getNodeAs<Stmt>("d");
  ChannelState S = st(SB_Dirty | SB_Unsent | SB_Entry);
  S.addEvent({PathEventKind::Written, D, nullptr, 0});
  S.clean();
  EXPECT_EQ(S.May, SB_Clean);
  EXPECT_TRUE(S.Path.empty());
}

TEST(TypestateTest, StateJoinTreatsAMissingChannelAsEntry) {
  FlowState A, B;
  A.Reached = B.Reached = true;
  ChannelKey K = ChannelKey::thisObject();
  A.set(K, st(SB_Dirty));
  A.join(B);
  EXPECT_EQ(A.get(K).May, SB_Dirty | SB_Entry);
  // An unreached side changes nothing.
  FlowState U;
  FlowState C = A;
  C.join(U);
  EXPECT_EQ(C, A);
}

TEST(TypestateTest, FactsOfOneOriginJoinPointwiseOthersAreDropped) {
  auto AST = parse("void f() { int a; int b; }");
  ASSERT_TRUE(AST);
  auto Ms = match(declStmt().bind("d"), AST->getASTContext());
  const Stmt *O1 = Ms[0].getNodeAs<Stmt>("d"), *O2 = Ms[1].getNodeAs<Stmt>("d");
  const auto *V = llvm::cast<VarDecl>(llvm::cast<DeclStmt>(O1)->getSingleDecl());
  const auto *W = llvm::cast<VarDecl>(llvm::cast<DeclStmt>(O2)->getSingleDecl());
  auto fact = [&](const Stmt *Origin, uint8_t ReadyBits) {
    Fact F;
    F.Origin = Origin;
    ClassEffect CE;
    CE.Key = ChannelKey::thisObject();
    CE.PerClass[classIndex(RC_Ready)] = st(ReadyBits);
    F.Effects.push_back(CE);
    return F;
  };
  FlowState A, B;
  A.Reached = B.Reached = true;
  A.Vars[V] = fact(O1, SB_Clean);
  B.Vars[V] = fact(O1, SB_Dirty);
  A.Vars[W] = fact(O1, SB_Clean);
  B.Vars[W] = fact(O2, SB_Clean);
  FlowState OnlyA = A;
  A.join(B);
  ASSERT_TRUE(A.factOfVar(V));
  EXPECT_EQ(A.factOfVar(V)->Effects[0].PerClass[classIndex(RC_Ready)].May, SB_Clean | SB_Dirty);
  EXPECT_FALSE(A.factOfVar(W)); // two different operations: neither can be trusted
  FlowState None;
  None.Reached = true;
  OnlyA.join(None);
  EXPECT_TRUE(OnlyA.factOfVar(V)); // no evidence against it on the other side
}

//===--- the transfer table -----------------------------------------------===//

bool Called = false;
void probeHandler(const Event &, FlowState &, const TransferContext &) { Called = true; }

TEST(TypestateTest, TransferTableHasARowPerModelledKindAndCanBeExtended) {
  TransferTable T = TransferTable::standard();
  for (EventKind K : {EventKind::Write, EventKind::BufferedWrite, EventKind::Flush,
                      EventKind::EmptyTest, EventKind::Shutdown, EventKind::Close,
                      EventKind::AsyncWrite, EventKind::Await, EventKind::SummaryCall,
                      EventKind::OpaqueCall, EventKind::BindVar, EventKind::CountUpdate,
                      EventKind::HandOff}) {
    const TransferRow *R = T.row(K);
    ASSERT_TRUE(R) << eventKindName(K).str();
    EXPECT_TRUE(R->Handler);
    EXPECT_TRUE(R->Models && *R->Models) << "every row says what it models";
  }
  EXPECT_FALSE(T.row(EventKind::Cancel)); // in flight is the async check's business
  // A check plugs in its own row.
  T.set(EventKind::Cancel, probeHandler, "cancel: test row");
  ApiModel M;
  ChannelResolver Ch;
  auto AST = parse("void f() {}");
  ASSERT_TRUE(AST);
  TransferContext TC{M, Ch, AST->getASTContext()};
  FlowState S;
  Event E;
  E.Kind = EventKind::Cancel;
  Called = false;
  T.apply(E, S, TC);
  EXPECT_TRUE(Called);
}

//===--- the engine, with markers -----------------------------------------===//

const char *Prelude = R"cpp(
typedef long ssize_t; typedef unsigned long size_t;
extern "C" ssize_t send(int, const void *, size_t, int);
extern "C" ssize_t write(int, const void *, size_t);
extern "C" int shutdown(int, int);
extern "C" int close(int);
enum class Poll { Ready, Pending, Error };
struct Stream {
  Poll poll_write(const char *);
  Poll poll_flush();
  Poll poll_shutdown();
  bool has_buffered_write() const;
};
struct Buf { bool empty() const; unsigned long size() const; void append(const char *); void clear(); };
struct Conn {
  Buf out_buf_;
  int fd_;
  Poll poll_flush();
  void close_now();
  void close_if_empty();
};
void opaque(Stream &);
)cpp";

/// Runs the engine over every function defined after the prelude and compares, line by line,
/// the completions' states with the markers.
void expectMarkers(const std::string &Body) {
  std::string Code = std::string(Prelude) + Body;
  for (const std::string &Std : test::standards()) {
    SCOPED_TRACE(Std);
    auto AST = parse(Code, Std);
    ASSERT_TRUE(AST);
    ASTContext &Ctx = AST->getASTContext();
    ApiModel Model;
    ChannelResolver Channels;
    FlowEngine Engine(Model, Channels, TransferTable::standard());
    std::set<unsigned> Dirty, Entry, Clean;
    auto Fns = match(functionDecl(isDefinition()).bind("f"), Ctx);
    for (const auto &M : Fns) {
      const auto *FD = M.getNodeAs<FunctionDecl>("f");
      const FunctionAnalysis *A = Engine.analyze(FD, Ctx);
      if (!A)
        continue;
      ASSERT_FALSE(A->Skipped);
      for (const Observation &O : A->Observations) {
        if (O.E.Kind != EventKind::Shutdown && O.E.Kind != EventKind::Close)
          continue;
        unsigned Line = Ctx.getSourceManager().getPresumedLineNumber(O.E.S->getBeginLoc());
        const auto &[K, S] = O.Before.front();
        if (S.may(SB_NeedsFlush))
          Dirty.insert(Line);
        else if (S.may(SB_Entry) && A->entryIsDirty(K))
          Entry.insert(Line);
        else
          Clean.insert(Line);
      }
    }
    EXPECT_EQ(Dirty, markedLines(Code, "dirty"));
    EXPECT_EQ(Entry, markedLines(Code, "entry"));
    EXPECT_EQ(Clean, markedLines(Code, "clean"));
  }
}

TEST(TypestateTest, WritesAndShortCounts) {
  expectMarkers(R"cpp(
void a(int fd, const char *b, size_t n) {
  send(fd, b, n, 0);
  shutdown(fd, 1); // [[dirty]]
}
void b(int fd, const char *b, size_t n) {
  if (send(fd, b, n, 0) != (ssize_t)n) return;
  shutdown(fd, 1); // [[clean]]
}
void c(int fd, const char *b, size_t n) {
  ssize_t r = send(fd, b, n, 0);
  if (r < 0) { close(fd); return; } // [[clean]]
  close(fd); // [[dirty]]
}
void d(int fd, const char *b, size_t n) {
  while (n > 0) { ssize_t r = write(fd, b, n); if (r < 0) return; b += r; n -= r; }
  close(fd); // [[clean]]
}
void e(int fd) { shutdown(fd, 1); } // [[clean]]
)cpp");
}

TEST(TypestateTest, CountsHandedToAVerdictHelperAreCompared) {
  expectMarkers(R"cpp(
struct Verdict { bool ok; explicit operator bool() const { return ok; } };
Verdict compare_eq(const ssize_t &, const ssize_t &);
bool sent_all(ssize_t, size_t);
void log_count(ssize_t);
int format(const char *, ssize_t);
void a(int fd, const char *b, size_t n) {
  if (const Verdict v = compare_eq(send(fd, b, n, 0), (ssize_t)n)) ; else return;
  shutdown(fd, 1); // [[clean]]
}
void b(int fd, const char *b, size_t n) {
  ssize_t r = send(fd, b, n, 0);
  if (!sent_all(r, n)) return;
  close(fd); // [[clean]]
}
void c(int fd, const char *b, size_t n) {
  log_count(send(fd, b, n, 0));
  close(fd); // [[dirty]]
}
void d(int fd, const char *b, size_t n) {
  ssize_t r = send(fd, b, n, 0);
  format("sent", r);
  close(fd); // [[dirty]]
}
)cpp");
}

TEST(TypestateTest, FlushResultsRefinePerEdge) {
  expectMarkers(R"cpp(
void a(Stream &s) {
  s.poll_write("x");
  (void)s.poll_flush();
  s.poll_shutdown(); // [[dirty]]
}
Poll b(Stream &s) {
  s.poll_write("x");
  Poll r = s.poll_flush();
  if (r == Poll::Error) return r;
  return s.poll_shutdown(); // [[dirty]]
}
Poll c(Stream &s) {
  s.poll_write("x");
  Poll r = s.poll_flush();
  if (r == Poll::Pending) return r;
  return s.poll_shutdown(); // [[clean]]
}
void d(Stream &s, bool stop) {
  s.poll_write("x");
  if (!stop && s.poll_flush() == Poll::Ready) s.poll_shutdown(); // [[clean]]
}
void e(Stream &s) {
  s.poll_write("x");
  switch (s.poll_flush()) {
  case Poll::Ready: s.poll_shutdown(); break; // [[clean]]
  case Poll::Pending: s.poll_shutdown(); break; // [[dirty]]
  case Poll::Error: break;
  }
}
void f(Stream &s) {
  s.poll_write("x");
  opaque(s);
  s.poll_shutdown(); // [[clean]]
}
void g(Stream &s) {
  s.poll_write("x");
  if (s.has_buffered_write()) return;
  s.poll_shutdown(); // [[clean]]
}
)cpp");
}

TEST(TypestateTest, ResultPartsAreReadWhereverTheyAreBound) {
  expectMarkers(R"cpp(
struct Res { bool failed; int error; Poll state; };
struct Done {};
struct WouldBlock {};
template <class... T> struct Variant { unsigned index() const; };
Res flush_res(Stream &s) { Poll p = s.poll_flush(); return {p == Poll::Error, 0, p}; }
Variant<Done, WouldBlock> flush_var(Stream &s);
bool is_ready(Poll);
bool is_fatal(int);
void a(Stream &s) {
  s.poll_write("x");
  auto [failed, error, state] = flush_res(s);
  if (failed) return;
  s.poll_shutdown(); // [[dirty]]
}
void b(Stream &s) {
  s.poll_write("x");
  auto [failed, error, state] = flush_res(s);
  if (failed || state == Poll::Pending) return;
  s.poll_shutdown(); // [[clean]]
}
void c(Stream &s) {
  s.poll_write("x");
  Res r = flush_res(s);
  bool done = r.failed ? false : r.state == Poll::Ready;
  if (done) s.poll_shutdown(); // [[clean]]
  else s.poll_shutdown(); // [[dirty]]
}
void d(Stream &s) {
  s.poll_write("x");
  Res r = flush_res(s);
  if (is_fatal(r.error)) return;
  s.poll_shutdown(); // [[dirty]]
}
void e(Stream &s) {
  s.poll_write("x");
  Res r = flush_res(s);
  if (r.failed || !is_ready(r.state)) return;
  s.poll_shutdown(); // [[clean]]
}
void f(Stream &s) {
  s.poll_write("x");
  Res r = flush_res(s);
  if (r.failed || r.state == Poll::Pending) s.poll_shutdown(); // [[dirty]]
}
)cpp");
}

TEST(TypestateTest, ConnectionBuffersAreDirtyOnEntry) {
  expectMarkers(R"cpp(
void Conn::close_now() { close(fd_); } // [[entry]]
void Conn::close_if_empty() {
  if (out_buf_.empty()) close(fd_); // [[clean]]
  out_buf_.append("x");
  out_buf_.clear();
  close(fd_); // [[clean]]
}
void outside(Conn &c) {
  c.out_buf_.append("x");
  close(c.fd_); // [[dirty]]
}
)cpp");
}

TEST(TypestateTest, BudgetSkipsQuietlyAndCounts) {
  std::string Code = std::string(Prelude) + R"cpp(
void big(Stream &s, int n) {
  for (int i = 0; i < n; ++i) { if (i & 1) s.poll_write("a"); else (void)s.poll_flush(); }
  for (int i = 0; i < n; ++i) { if (i & 2) s.poll_write("a"); else (void)s.poll_flush(); }
  s.poll_shutdown();
}
)cpp";
  auto AST = parse(Code);
  ASSERT_TRUE(AST);
  ASTContext &Ctx = AST->getASTContext();
  ApiModel Model;
  ChannelResolver Channels;
  EngineOptions Tight;
  Tight.MaxBlockVisits = 3;
  FlowEngine Engine(Model, Channels, TransferTable::standard(), Tight);
  const FunctionAnalysis *A = Engine.analyze(test::findFunction(Ctx, "big"), Ctx);
  ASSERT_TRUE(A);
  EXPECT_TRUE(A->Skipped);
  EXPECT_TRUE(A->Observations.empty());
  EXPECT_EQ(Engine.stats().FunctionsSkippedBudget, 1u);
  // With the default budget the same function is analysed.
  FlowEngine Roomy(Model, Channels, TransferTable::standard());
  const FunctionAnalysis *B = Roomy.analyze(test::findFunction(Ctx, "big"), Ctx);
  ASSERT_TRUE(B);
  EXPECT_FALSE(B->Skipped);
  EXPECT_EQ(Roomy.stats().FunctionsSkippedBudget, 0u);
}

} // namespace
