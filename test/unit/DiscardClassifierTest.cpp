//===--- DiscardClassifierTest.cpp - how a call's value is used -----------===//
//
// Every call of `io` (and `io2`) in a snippet must sit on a line marked with the use the
// classifier reports for it: `// [[used]]`, `// [[statement]]`, `// [[void]]`,
// `// [[ignore]]`, `// [[unread]]`, `// [[comma]]`. A marker with no call, or a call on an
// unmarked line, fails the test too, so the markers are the whole expectation.
//
//===----------------------------------------------------------------------===//
#include "TestSupport.h"
#include "analysis/core/DiscardClassifier.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "gtest/gtest.h"
#include <algorithm>
#include <map>
#include <set>

using namespace clang;
using namespace clang::ast_matchers;
using namespace drain;

namespace {

const char *const Markers[] = {"used", "statement", "void", "ignore", "unread", "comma"};

std::string markerFor(UseKind K) {
  switch (K) {
  case UseKind::Used:
    return "used";
  case UseKind::Statement:
    return "statement";
  case UseKind::CastToVoid:
    return "void";
  case UseKind::StdIgnore:
    return "ignore";
  case UseKind::UnreadVariable:
    return "unread";
  case UseKind::CommaLHS:
    return "comma";
  }
  return "?";
}

/// Classifies every call of io/io2 and compares line -> kind with the markers. Calls in
/// template instantiations and the pattern land on the same line and must agree.
void expectMarkers(const std::string &Code, const std::string &Std,
                   std::vector<std::string> Args = {}) {
  SCOPED_TRACE("-std=" + Std);
  auto AST = test::parse(Code, Std, Args);
  ASSERT_TRUE(AST);
  ASTContext &Ctx = AST->getASTContext();
  std::map<unsigned, std::string> Expected;
  for (const char *M : Markers)
    for (unsigned L : test::markedLines(Code, M)) {
      ASSERT_EQ(Expected.count(L), 0u) << "two markers on line " << L;
      Expected[L] = M;
    }
  DiscardClassifier C(Ctx);
  std::map<unsigned, std::string> Got;
  auto Calls =
      match(callExpr(callee(functionDecl(hasAnyName("io", "io2")))).bind("call"), Ctx);
  const SourceManager &SM = Ctx.getSourceManager();
  for (const auto &B : Calls) {
    const auto *Call = B.getNodeAs<CallExpr>("call");
    unsigned Line = SM.getExpansionLineNumber(Call->getBeginLoc());
    std::string Kind = markerFor(C.classify(Call).Kind);
    auto It = Got.find(Line);
    if (It != Got.end())
      EXPECT_EQ(It->second, Kind) << "calls on line " << Line << " disagree";
    Got[Line] = Kind;
  }
  for (const auto &[Line, Kind] : Expected) {
    auto It = Got.find(Line);
    if (It == Got.end()) {
      ADD_FAILURE() << "line " << Line << " is marked [[" << Kind << "]] but has no io call";
      continue;
    }
    EXPECT_EQ(It->second, Kind) << "line " << Line;
  }
  for (const auto &[Line, Kind] : Got)
    EXPECT_TRUE(Expected.count(Line)) << "line " << Line << " has an io call (" << Kind
                                      << ") but no marker";

  // The checks ask one function body at a time (focus): its calls, with parents from a map of
  // that body alone. Every call must be found that way, with the same answer.
  DiscardClassifier F(Ctx);
  std::map<unsigned, std::string> Focused;
  for (const auto &B : match(functionDecl(isDefinition()).bind("fn"), Ctx))
    for (const CallExpr *Call : F.focus(B.getNodeAs<FunctionDecl>("fn"))) {
      const FunctionDecl *Callee = Call->getDirectCallee();
      if (!Callee || !Callee->getIdentifier() ||
          (Callee->getName() != "io" && Callee->getName() != "io2"))
        continue;
      Focused[SM.getExpansionLineNumber(Call->getBeginLoc())] = markerFor(F.classify(Call).Kind);
    }
  EXPECT_EQ(Focused, Got) << "focused classification differs from the whole-TU one";
}

void expectMarkersAllStds(const std::string &Code) {
  for (const auto &Std : test::standards())
    expectMarkers(Code, Std);
}

TEST(DiscardClassifierTest, EveryStatementPositionDiscards) {
  expectMarkersAllStds(R"cpp(
long io(int);
void positions(int c, int *arr) {
  io(1); // [[statement]]
  if (c)
    io(2); // [[statement]]
  else
    io(3); // [[statement]]
  if (io(4); c) {} // [[statement]]
  while (c)
    io(5); // [[statement]]
  do
    io(6); // [[statement]]
  while (c);
  for (io(7); c; io(8)) // [[statement]]
    io(9); // [[statement]]
  int xs[2] = {1, 2};
  for (int x : xs)
    io(x); // [[statement]]
  switch (c) {
  case 1:
    io(10); // [[statement]]
    break;
  default:
    io(11); // [[statement]]
  }
again:
  io(12); // [[statement]]
  if (c > 3) goto again;
  auto l = [] { io(13); }; // [[statement]]
  l();
  int v = ({ io(14); 2; }); // [[statement]]
  (void)v;
  c ? io(15) : io(16); // [[statement]]
  c && io(17); // [[statement]]
  (io(18)); // [[statement]]
  (int)io(19); // [[statement]]
}
)cpp");
}

TEST(DiscardClassifierTest, LookedAtValuesAreUsed) {
  expectMarkersAllStds(R"cpp(
long io(int);
void sink(long);
struct S { long last; void store() { last = io(1); } }; // [[used]]
long global;
long used(int c) {
  if (io(2) < 0) return -1; // [[used]]
  while (io(3)) {} // [[used]]
  sink(io(4)); // [[used]]
  global = io(5); // [[used]]
  static long kept = io(6); // [[used]]
  int v = ({ 1; io(7); }); // [[used]]
  sink(v);
  long r = io(8); // [[used]]
  if (r == 0) return r;
  if (io(9) && c) {} // [[used]]
  long arr[2] = {io(10), 0}; // [[used]]
  sink(arr[0]);
  for (; io(11) > 0;) {} // [[used]]
  switch (io(12)) { default: break; } // [[used]]
  auto l = [] { return io(13); }; // [[used]]
  return io(14) + l(); // [[used]]
}
)cpp");
}

TEST(DiscardClassifierTest, CastsAndIgnore) {
  expectMarkersAllStds(R"cpp(
namespace std {
struct _Swallow_assign {
  template <class T> const _Swallow_assign &operator=(const T &) const { return *this; }
};
constexpr _Swallow_assign ignore{};
}
long io(int);
void casts() {
  (void)io(1); // [[void]]
  static_cast<void>(io(2)); // [[void]]
  void(io(3)); // [[void]]
  std::ignore = io(4); // [[ignore]]
  (void)(io(5)); // [[void]]
}
)cpp");
}

TEST(DiscardClassifierTest, LocalsReadOnSomePath) {
  expectMarkersAllStds(R"cpp(
long io(int);
long io2(int);
void sink(long);
void sinkp(long *);
void locals(int c) {
  long a = io(1); // [[unread]]
  [[maybe_unused]] long b = io(2); // [[unread]]
  long d = io(3); // [[void]]
  (void)d;
  long e = io(4); // [[unread]]
  e = 0;
  sink(e);
  long f = 0;
  f = io(5); // [[unread]]
  long g;
  g = io(6); // [[used]]
  if (c) sink(g);
  long h = io(7); // [[used]]
  sinkp(&h);
  long k = io(8); // [[used]]
  auto l = [&k] { sink(k); };
  l();
  long m;
  if ((m = io(9)) < 0) return; // [[used]]
  long n = 0;
  for (int i = 0; i < 3; ++i) {
    if (n < 0) break;
    n = io(10); // [[used]]
  }
  if (long p = io(11)) {} // [[used]]
  long q = io(12); // [[unread]]
  q = io2(13); // [[unread]]
}
)cpp");
}

TEST(DiscardClassifierTest, CommaOperands) {
  expectMarkersAllStds(R"cpp(
long io(int);
long io2(int);
long comma() {
  io(1), // [[comma]]
      io2(2); // [[statement]]
  return (io(3), 0); // [[comma]]
}
long comma2() {
  return (0, io(4)); // [[used]]
}
)cpp");
}

TEST(DiscardClassifierTest, TemplatesAndMacros) {
  expectMarkersAllStds(R"cpp(
long io(int);
template <class T> long io(T *);
#define IGNORE(x) (void)(x)
#define WRITE(n) io(n)
template <class T> void tmpl(T t) {
  io(&t); // [[statement]]
  long r = io(1); // [[used]]
  if (r) {}
}
void inst() {
  tmpl(1);
  tmpl(2.0);
  IGNORE(io(2)); // [[void]]
  WRITE(3); // [[statement]]
  long v = WRITE(4); // [[unread]]
}
)cpp");
}

const char *CoroutineMocks = R"cpp(
namespace std {
template <class R, class...> struct coroutine_traits { using promise_type = typename R::promise_type; };
template <class P = void> struct coroutine_handle;
template <> struct coroutine_handle<void> {
  static coroutine_handle from_address(void *) { return {}; }
};
template <class P> struct coroutine_handle {
  static coroutine_handle from_address(void *) { return {}; }
  operator coroutine_handle<>() const { return {}; }
};
struct suspend_never {
  bool await_ready() noexcept { return true; }
  void await_suspend(coroutine_handle<>) noexcept {}
  void await_resume() noexcept {}
};
}
struct error_code { int v; explicit operator bool() const { return v != 0; } };
template <class T> struct Task {
  struct promise_type {
    Task get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_value(T) {}
    void unhandled_exception() {}
  };
  bool await_ready() { return true; }
  void await_suspend(std::coroutine_handle<>) {}
  T await_resume() { return T{}; }
};
)cpp";

TEST(DiscardClassifierTest, CoAwaitResults) {
  std::string Code = std::string(CoroutineMocks) + R"cpp(
Task<error_code> io(int);
Task<int> coro() {
  co_await io(1); // [[statement]]
  error_code ec = co_await io(2); // [[used]]
  if (ec) co_return 1;
  (void)co_await io(3); // [[void]]
  error_code lost = co_await io(4); // [[unread]]
  co_return 0;
}
)cpp";
  expectMarkers(Code, "c++20");
}

TEST(DiscardClassifierTest, CoAwaitIsRecorded) {
  std::string Code = std::string(CoroutineMocks) + R"cpp(
Task<error_code> io(int);
Task<int> coro() {
  co_await io(1);
  io(2);
  co_return 0;
}
)cpp";
  auto AST = test::parse(Code, "c++20");
  ASSERT_TRUE(AST);
  DiscardClassifier C(AST->getASTContext());
  auto Calls = match(callExpr(callee(functionDecl(hasName("io")))).bind("c"),
                     AST->getASTContext());
  // The awaited call is reachable twice (operand and the coroutine's common expression).
  std::set<const CallExpr *> Unique;
  for (const auto &B : Calls)
    Unique.insert(B.getNodeAs<CallExpr>("c"));
  ASSERT_EQ(Unique.size(), 2u);
  unsigned Awaited = 0, Plain = 0;
  for (const CallExpr *Call : Unique) {
    UseSite U = C.classify(Call);
    EXPECT_EQ(U.Kind, UseKind::Statement);
    (U.Await ? Awaited : Plain)++;
  }
  EXPECT_EQ(Awaited, 1u);
  EXPECT_EQ(Plain, 1u);
}

TEST(DiscardClassifierTest, ErrorCodeOutArgumentReadAfterTheCall) {
  const char *Code = R"cpp(
struct error_code { int v; explicit operator bool() const { return v != 0; } };
void io(int, error_code &);
void fail(const error_code &);
void checked(int s) {
  error_code ec;
  io(s, ec);
  if (ec) fail(ec);
}
void overwritten(int s) {
  error_code ec;
  io(s, ec);
  io(s, ec);
  if (ec) fail(ec);
}
void never(int s) {
  error_code ec;
  io(s, ec);
}
)cpp";
  for (const auto &Std : test::standards()) {
    auto AST = test::parse(Code, Std);
    ASSERT_TRUE(AST);
    ASTContext &Ctx = AST->getASTContext();
    DiscardClassifier C(Ctx);
    auto Calls = match(callExpr(callee(functionDecl(hasName("io"))),
                                hasArgument(1, declRefExpr().bind("ec")))
                           .bind("c"),
                       Ctx);
    std::vector<std::pair<unsigned, bool>> Got;
    for (const auto &B : Calls) {
      const auto *Call = B.getNodeAs<CallExpr>("c");
      const auto *VD = cast<VarDecl>(B.getNodeAs<DeclRefExpr>("ec")->getDecl());
      Got.push_back({Ctx.getSourceManager().getExpansionLineNumber(Call->getBeginLoc()),
                     C.readAfter(Call, VD)});
    }
    std::sort(Got.begin(), Got.end());
    std::vector<std::pair<unsigned, bool>> Want = {
        {7, true}, {12, false}, {13, true}, {18, false}};
    EXPECT_EQ(Got, Want);
  }
}

// everyPathBackStops: each function calls `at()` once; a call of `stop()` settles a path, a
// call of `bad()` fails the walk. A function marked [[stops]] must answer true, every other
// false (a path from the entry, a bad call on one path, a loop's back edge).
TEST(DiscardClassifierTest, EveryPathBackStops) {
  const std::string Code = R"cpp(
void at(); void stop(); void bad(); void other();
void straight() { stop(); other(); at(); } // [[stops]]
void both_branches(int c) { if (c) stop(); else stop(); other(); at(); } // [[stops]]
void one_branch(int c) { if (c) stop(); at(); }
void bad_on_one_path(int c) { stop(); if (c) bad(); at(); }
void loop_after_stop(int n) { stop(); for (int i = 0; i < n; i++) { at(); } } // [[stops]]
void back_edge_bad(int n) { stop(); for (int i = 0; i < n; i++) { at(); bad(); } }
void stop_in_loop(int n) { for (int i = 0; i < n; i++) { stop(); at(); } } // [[stops]]
void nothing() { at(); }
)cpp";
  std::set<unsigned> Want = test::markedLines(Code, "stops");
  for (const auto &Std : test::standards()) {
    SCOPED_TRACE("-std=" + Std);
    auto AST = test::parse(Code, Std);
    ASSERT_TRUE(AST);
    ASTContext &Ctx = AST->getASTContext();
    const SourceManager &SM = Ctx.getSourceManager();
    DiscardClassifier C(Ctx);
    auto calls = [](const Stmt *S, llvm::StringRef Name) {
      const auto *Call = dyn_cast<CallExpr>(S);
      const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
      return FD && FD->getIdentifier() && FD->getName() == Name;
    };
    std::set<unsigned> Got;
    unsigned Asked = 0;
    for (const auto &B : match(functionDecl(isDefinition()).bind("fn"), Ctx))
      for (const CallExpr *Call : C.focus(B.getNodeAs<FunctionDecl>("fn"))) {
        if (!calls(Call, "at"))
          continue;
        ++Asked;
        bool Stops = C.everyPathBackStops(Call, [&](const Stmt *S) {
          if (calls(S, "stop"))
            return DiscardClassifier::BackStep::Stop;
          if (calls(S, "bad"))
            return DiscardClassifier::BackStep::Fail;
          return DiscardClassifier::BackStep::Continue;
        });
        if (Stops)
          Got.insert(SM.getExpansionLineNumber(Call->getBeginLoc()));
      }
    EXPECT_EQ(Asked, 8u);
    EXPECT_EQ(Got, Want);
  }
}

// A local named in an unevaluated operand (`decltype(n)`, `sizeof(n)`) is not read there: its
// references are the evaluated ones, each a statement of the body the focus maps.
TEST(DiscardClassifierTest, UnevaluatedNamesAreNoReferences) {
  const std::string Code = R"cpp(
long put(int, const void *, unsigned long);
long f(int fd, const char *p) {
  long n = put(fd, p, 4);
  for (decltype(n) i = 0; i < n; i++) {} // [[read]]
  unsigned long s = sizeof(n);
  return n + (long)s; // [[read]]
}
)cpp";
  std::set<unsigned> Want = test::markedLines(Code, "read");
  for (const auto &Std : test::standards()) {
    SCOPED_TRACE("-std=" + Std);
    auto AST = test::parse(Code, Std);
    ASSERT_TRUE(AST);
    ASTContext &Ctx = AST->getASTContext();
    const SourceManager &SM = Ctx.getSourceManager();
    DiscardClassifier C(Ctx);
    const auto *N = selectFirst<VarDecl>("n", match(varDecl(hasName("n")).bind("n"), Ctx));
    ASSERT_TRUE(N);
    (void)C.focus(dyn_cast<FunctionDecl>(N->getDeclContext()));
    std::set<unsigned> Got;
    for (const DeclRefExpr *Ref : C.references(N))
      Got.insert(SM.getSpellingLineNumber(Ref->getBeginLoc()));
    EXPECT_EQ(Got, Want);
    EXPECT_EQ(C.references(N).size(), 2u); // `i < n` and `return n + ...`
  }
}

} // namespace
