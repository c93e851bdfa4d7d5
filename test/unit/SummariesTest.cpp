//===--- SummariesTest.cpp - summaries of functions, read by their callers ---===//
//
// Each function of a snippet is summarized; markers on the line of its name say which
// properties the summary must have, and every unmarked function must have none of them:
//   [[leaves-dirty]]        some return may leave a channel dirty
//   [[confirms]]            some Ready return has flushed what the caller had
//   [[completes-unflushed]] it shuts down / closes with the caller's data possibly there
//                           (also when it does so through a callee)
//   [[ready-unconfirmed]]   it returns Ready with a flush unconfirmed (hyper's poll_loop)
// Then `// [[warn]]` marks the lines where drain-shutdown-before-flush must report.
//
//===----------------------------------------------------------------------===//
#include "TestSupport.h"
#include "analysis/checks/ShutdownBeforeFlush.h"
#include "analysis/flow/FlowEngine.h"
#include "clang/AST/Decl.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace drain;
using drain::test::markedLines;
using drain::test::parse;

namespace {

const char *Code = R"cpp(
typedef long ssize_t; typedef unsigned long size_t;
extern "C" ssize_t send(int, const void *, size_t, int);
extern "C" int shutdown(int, int);
extern "C" int close(int);
enum class Poll { Ready, Pending, Error };
struct Buf { bool empty() const; unsigned long size() const; const char *data() const;
             void append(const char *); void erase(unsigned long, unsigned long); };

struct Io { Poll poll_write(); Poll poll_flush(); Poll poll_shutdown(); };

class Conn {
public:
  Poll poll_write() { // [[leaves-dirty]]
    out_buf_.append("HTTP/1.1 200 OK\r\n\r\n");
    return Poll::Ready;
  }
  Poll poll_flush() { // [[confirms]]
    while (!out_buf_.empty()) {
      ssize_t n = send(fd_, out_buf_.data(), out_buf_.size(), 0);
      if (n < 0) return Poll::Pending;
      out_buf_.erase(0, (unsigned long)n);
    }
    return Poll::Ready;
  }
  Poll poll_shutdown() { // [[completes-unflushed]]
    shutdown(fd_, 1); // [[warn]]
    return Poll::Ready;
  }
  Poll poll_shutdown_fixed() { // [[confirms]]
    if (poll_flush() == Poll::Pending) return Poll::Pending;
    shutdown(fd_, 1);
    return Poll::Ready;
  }
private:
  Buf out_buf_;
  int fd_;
};

struct Dispatcher {
  Conn conn_;
  Io io_;
  Poll poll_loop() { // [[leaves-dirty]] // [[ready-unconfirmed]]
    (void)conn_.poll_write();
    (void)conn_.poll_flush();
    return Poll::Ready;
  }
  Poll poll_loop_yields() { // [[leaves-dirty]] // [[confirms]]
    (void)io_.poll_write();
    if (io_.poll_flush() == Poll::Pending) return Poll::Pending;
    return Poll::Ready;
  }
  Poll poll_inner() { // [[completes-unflushed]]
    if (poll_loop() == Poll::Pending) return Poll::Pending;
    return conn_.poll_shutdown(); // [[warn]]
  }
  Poll poll_inner_fixed_conn() { // [[confirms]] // [[leaves-dirty]]
    if (poll_loop() == Poll::Pending) return Poll::Pending;
    return conn_.poll_shutdown_fixed();
  }
  Poll poll_inner_fixed_loop() { // [[leaves-dirty]]
    if (poll_loop_yields() == Poll::Pending) return Poll::Pending;
    return io_.poll_shutdown();
  }
};

void reply(int fd) { send(fd, "hello", 5, 0); } // [[leaves-dirty]]
void hang_up(int fd) { shutdown(fd, 1); } // [[completes-unflushed]]
void reply_then_hang_up(int fd) { // [[completes-unflushed]]
  reply(fd);
  hang_up(fd); // [[warn]]
}
void hang_up_fresh(int fd) { hang_up(fd); } // [[completes-unflushed]]
)cpp";

std::set<unsigned> linesWhere(ASTContext &Ctx, FlowEngine &Engine,
                              bool (FunctionSummary::*Prop)() const) {
  std::set<unsigned> Lines;
  for (const auto &M : match(functionDecl(isDefinition()).bind("f"), Ctx)) {
    const auto *FD = M.getNodeAs<FunctionDecl>("f");
    const FunctionAnalysis *A = Engine.analyze(FD, Ctx);
    if (A && !A->Skipped && (A->Summary.*Prop)())
      Lines.insert(Ctx.getSourceManager().getPresumedLineNumber(FD->getLocation()));
  }
  return Lines;
}

TEST(SummariesTest, PropertiesMatchMarkers) {
  for (const std::string &Std : test::standards()) {
    SCOPED_TRACE(Std);
    auto AST = parse(Code, Std);
    ASSERT_TRUE(AST);
    ASTContext &Ctx = AST->getASTContext();
    ApiModel Model;
    ChannelResolver Channels;
    FlowEngine Engine(Model, Channels, TransferTable::standard());
    EXPECT_EQ(linesWhere(Ctx, Engine, &FunctionSummary::mayLeaveDirty),
              markedLines(Code, "leaves-dirty"));
    EXPECT_EQ(linesWhere(Ctx, Engine, &FunctionSummary::confirmsFlush),
              markedLines(Code, "confirms"));
    EXPECT_EQ(linesWhere(Ctx, Engine, &FunctionSummary::completesWithoutFlush),
              markedLines(Code, "completes-unflushed"));
    EXPECT_EQ(linesWhere(Ctx, Engine, &FunctionSummary::returnsReadyWithUnconfirmedFlush),
              markedLines(Code, "ready-unconfirmed"));
  }
}

TEST(SummariesTest, ReturnClassesSplitTheExitStates) {
  auto AST = parse(Code);
  ASSERT_TRUE(AST);
  ASTContext &Ctx = AST->getASTContext();
  ApiModel Model;
  ChannelResolver Channels;
  FlowEngine Engine(Model, Channels, TransferTable::standard());
  const FunctionAnalysis *A =
      Engine.analyze(test::findFunction(Ctx, "Dispatcher::poll_loop_yields"), Ctx);
  ASSERT_TRUE(A);
  const FunctionSummary &S = A->Summary;
  EXPECT_EQ(S.ReturnClasses, RC_Pending | RC_Ready);
  ASSERT_EQ(S.Channels.size(), 1u);
  EXPECT_EQ(S.Channels[0].Key.str(), "io_");
  EXPECT_TRUE(S.Channels[0].Exit[classIndex(RC_Pending)].may(SB_Dirty));
  EXPECT_EQ(S.Channels[0].Exit[classIndex(RC_Ready)].May, SB_Clean);
  EXPECT_TRUE(S.Channels[0].Exit[classIndex(RC_Error)].isBottom());
}

TEST(SummariesTest, CallersWarnWhereMarked) {
  for (const std::string &Std : test::standards()) {
    SCOPED_TRACE(Std);
    auto AST = parse(Code, Std);
    ASSERT_TRUE(AST);
    ASTContext &Ctx = AST->getASTContext();
    ApiModel Model;
    ChannelResolver Channels;
    FlowEngine Engine(Model, Channels, TransferTable::standard());
    std::set<unsigned> Warned;
    for (const auto &M : match(functionDecl(isDefinition()).bind("f"), Ctx)) {
      const FunctionAnalysis *A = Engine.analyze(M.getNodeAs<FunctionDecl>("f"), Ctx);
      if (!A)
        continue;
      for (const Finding &F : diagnoseShutdownBeforeFlush(*A, Channels, Ctx)) {
        Warned.insert(Ctx.getSourceManager().getPresumedLineNumber(F.Loc));
        EXPECT_FALSE(F.Notes.empty()) << "every finding explains itself";
      }
    }
    EXPECT_EQ(Warned, markedLines(Code, "warn"));
  }
}

TEST(SummariesTest, RecursionIsOpaqueAndTerminates) {
  auto AST = parse(R"cpp(
extern "C" int shutdown(int, int);
void ping(int fd, int n);
void pong(int fd, int n) { if (n) ping(fd, n - 1); }
void ping(int fd, int n) { if (n) pong(fd, n - 1); shutdown(fd, 1); }
)cpp");
  ASSERT_TRUE(AST);
  ASTContext &Ctx = AST->getASTContext();
  ApiModel Model;
  ChannelResolver Channels;
  FlowEngine Engine(Model, Channels, TransferTable::standard());
  const FunctionAnalysis *A = Engine.analyze(test::findFunction(Ctx, "ping"), Ctx);
  ASSERT_TRUE(A);
  EXPECT_FALSE(A->Skipped);
  EXPECT_TRUE(A->Summary.completesWithoutFlush());
}

} // namespace

namespace {

// A transport with no buffer below a writer that owns the buffer: the transport's own
// completion is judged by whoever owns the buffer (the caller), a writer's by the writer.
const char *OwnedCode = R"cpp(
extern "C" int shutdown(int, int);
enum class Poll { Ready, Pending };
struct Buf { bool empty() const; void append(const char *); void clear(); };
class Socket {
public:
  Poll poll_shutdown() { shutdown(fd_, 1); return Poll::Ready; }
private:
  int fd_;
};
class Buffered {
public:
  Poll poll_flush();
  Poll poll_shutdown_lazy() { return sock_.poll_shutdown(); } // [[warn]]
  Socket &io_mut() { return sock_; }
private:
  Socket sock_;
  Buf write_buf_;
};
class Conn {
public:
  Poll end_transport() { return io_.io_mut().poll_shutdown(); } // [[warn]]
  Poll end_through_writer() { return io_.poll_shutdown_lazy(); }
  Poll end_after_flush() {
    if (io_.poll_flush() == Poll::Pending) return Poll::Pending;
    return io_.io_mut().poll_shutdown();
  }
  Poll end_through_helper() { return end_transport(); }
private:
  Buffered io_;
};
)cpp";

TEST(SummariesTest, OwnersJudgeTheirTransportsCompletions) {
  for (const std::string &Std : test::standards()) {
    SCOPED_TRACE(Std);
    auto AST = parse(OwnedCode, Std);
    ASSERT_TRUE(AST);
    ASTContext &Ctx = AST->getASTContext();
    ApiModel Model;
    ChannelResolver Channels;
    FlowEngine Engine(Model, Channels, TransferTable::standard());
    std::set<unsigned> Warned;
    for (const auto &M : match(functionDecl(isDefinition()).bind("f"), Ctx)) {
      const FunctionAnalysis *A = Engine.analyze(M.getNodeAs<FunctionDecl>("f"), Ctx);
      if (!A)
        continue;
      for (const Finding &F : diagnoseShutdownBeforeFlush(*A, Channels, Ctx))
        Warned.insert(Ctx.getSourceManager().getPresumedLineNumber(F.Loc));
    }
    EXPECT_EQ(Warned, markedLines(OwnedCode, "warn"));

    auto Judged = [&](const char *Name) {
      const FunctionAnalysis *A = Engine.analyze(test::findFunction(Ctx, Name), Ctx);
      EXPECT_TRUE(A);
      for (const SummaryChannel &C : A->Summary.Channels)
        if (C.UnconfirmedCompletion)
          return C.JudgedByCallee;
      ADD_FAILURE() << Name << " completes nothing unconfirmed";
      return false;
    };
    EXPECT_FALSE(Judged("Socket::poll_shutdown")); // no buffer: the owner above judges
    EXPECT_TRUE(Judged("Buffered::poll_shutdown_lazy"));
    EXPECT_TRUE(Judged("Conn::end_transport")); // reported there, not again by its callers
  }
}

} // namespace

namespace {

TEST(SummariesTest, DestructorsThatFlushCleanTheirObject) {
  auto AST = parse(R"cpp(
typedef long ssize_t;
extern "C" ssize_t send(int, const void *, unsigned long, int);
extern "C" int close(int);
struct Buf { bool empty() const; unsigned long size() const; const char *data() const;
             void append(const char *); void erase(unsigned long, unsigned long); };
struct Flushes {
  ~Flushes() {
    while (!out_buf_.empty()) {
      ssize_t n = send(fd_, out_buf_.data(), out_buf_.size(), 0);
      if (n <= 0) return;
      out_buf_.erase(0, (unsigned long)n);
    }
  }
  Buf out_buf_; int fd_;
};
struct Closes { ~Closes() { close(fd_); } Buf out_buf_; int fd_; };
struct FlushesThenCloses {
  ~FlushesThenCloses() { if (out_buf_.empty()) close(fd_); }
  Buf out_buf_; int fd_;
};
)cpp");
  ASSERT_TRUE(AST);
  ASTContext &Ctx = AST->getASTContext();
  ApiModel Model;
  ChannelResolver Channels;
  FlowEngine Engine(Model, Channels, TransferTable::standard());
  auto Cleans = [&](const char *Name) {
    const FunctionAnalysis *A = Engine.analyze(test::findFunction(Ctx, Name), Ctx);
    return A && !A->Skipped && A->Summary.cleansObject();
  };
  EXPECT_TRUE(Cleans("Flushes::~Flushes"));
  EXPECT_FALSE(Cleans("Closes::~Closes"));
  EXPECT_TRUE(Cleans("FlushesThenCloses::~FlushesThenCloses"));
}

} // namespace

namespace {

// A lambda capturing `this` handed to a call runs later: its object may hold data then. One
// called in place, or one that does not capture `this`, is not judged that way.
TEST(SummariesTest, PostedLambdasSeeTheirObjectAsMethodsDo) {
  const char *Code = R"cpp(
extern "C" int shutdown(int, int);
struct Buf { bool empty() const; void append(const char *); };
struct Loop { template <class F> void post(F f); };
class Conn {
public:
  void later(Loop &L) { L.post([this] { shutdown(fd_, 1); }); } // [[warn]]
  void later_when_empty(Loop &L) {
    L.post([this] { if (out_buf_.empty()) shutdown(fd_, 1); });
  }
  void in_place() { auto F = [this] { shutdown(fd_, 1); }; F(); }
  void no_this(Loop &L, int fd) { L.post([fd] { shutdown(fd, 1); }); }
private:
  Buf out_buf_;
  int fd_;
};
)cpp";
  for (const std::string &Std : test::standards()) {
    SCOPED_TRACE(Std);
    auto AST = parse(Code, Std);
    ASSERT_TRUE(AST);
    ASTContext &Ctx = AST->getASTContext();
    ApiModel Model;
    ChannelResolver Channels;
    FlowEngine Engine(Model, Channels, TransferTable::standard());
    std::set<unsigned> Warned;
    for (const auto &M : match(lambdaExpr().bind("l"), Ctx)) {
      const auto *L = M.getNodeAs<LambdaExpr>("l");
      const FunctionAnalysis *A = Engine.analyze(L->getCallOperator(), Ctx);
      if (!A)
        continue;
      for (const Finding &F : diagnoseShutdownBeforeFlush(*A, Channels, Ctx))
        Warned.insert(Ctx.getSourceManager().getPresumedLineNumber(F.Loc));
    }
    EXPECT_EQ(Warned, markedLines(Code, "warn"));
  }
}

} // namespace
