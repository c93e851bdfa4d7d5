//===--- RoleInferenceTest.cpp - roles learned from function bodies -------===//
//
// Each function is marked on its first line with the role its body plays
// (`// [[write]]`, `// [[composed_write]]`, `// [[flush]]`, `// [[close]]`) or `// [[none]]`.
//
//===----------------------------------------------------------------------===//
#include "TestSupport.h"
#include "analysis/core/ApiModel.h"
#include "analysis/flow/RoleInference.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "gtest/gtest.h"
#include <map>

using namespace clang;

namespace drain {
namespace {

const char *Prelude = R"cpp(
typedef long ssize_t;
typedef unsigned long size_t;
extern "C" {
void exit(int) __attribute__((noreturn));
ssize_t send(int, const void *, size_t, int);
ssize_t write(int, const void *, size_t);
ssize_t recv(int, void *, size_t, int);
int close(int);
int shutdown(int, int);
int *__errno_location(void);
void *memmove(void *, const void *, size_t);
}
#define errno (*__errno_location())
#define EINTR 4
#define EAGAIN 11
struct outq { int fd; char buf[64]; size_t len; };
enum class FlushState { Done, Pending, Failed };
// curl's shape: an error enum that has an "again" code among many.
enum Code { CODE_OK, CODE_AGAIN, CODE_SEND_ERROR, CODE_TIMEDOUT };
struct Answer { bool failed; FlushState state; static Answer pending() { return {false, FlushState::Pending}; } };
)cpp";

const char *Code = R"cpp(
ssize_t plain(int fd, const void *b, size_t n) { return send(fd, b, n, 0); } // [[write]]
ssize_t through_local(int fd, const void *b, size_t n) { // [[write]]
  ssize_t r = write(fd, b, n);
  return r;
}
ssize_t eintr(int fd, const void *b, size_t n) { // [[write]]
  ssize_t r;
  do { r = send(fd, b, n, 0); } while (r < 0 && errno == EINTR);
  return r;
}
ssize_t negated_errno(int fd, const void *b, size_t n) { // [[write]]
  ssize_t r = send(fd, b, n, 0);
  return r < 0 ? -errno : r;
}
ssize_t via_lambda(int fd, const void *b, size_t n) { // [[write]]
  auto op = [&] { return send(fd, b, n, 0); };
  return op();
}
ssize_t wrapper_of_wrapper(outq *q, const char *s, size_t n) { return eintr(q->fd, s, n); } // [[write]]
template <class T> ssize_t tsend(T &t, const void *b, size_t n) { return send(t.fd, b, n, 0); } // [[write]]
ssize_t use_template(outq &q) { return tsend(q, "x", 1); } // [[write]]
int all(int fd, const char *b, size_t n) { // [[composed_write]]
  while (n > 0) {
    ssize_t r = send(fd, b, n, 0);
    if (r < 0) return -1;
    b += r;
    n -= (size_t)r;
  }
  return 0;
}
int flush_signed(outq *q) { // [[flush]]
  while (q->len > 0) {
    ssize_t r = send(q->fd, q->buf, q->len, 0);
    if (r < 0) { if (errno == EAGAIN) return 1; return -1; }
    memmove(q->buf, q->buf + r, q->len - (size_t)r);
    q->len -= (size_t)r;
  }
  return 0;
}
bool flush_bool(outq *q) { // [[flush]]
  ssize_t r = write(q->fd, q->buf, q->len);
  if (r < (ssize_t)q->len) return false;
  q->len = 0;
  return true;
}
FlushState flush_enum(outq *q) { // [[flush]]
  ssize_t r = write(q->fd, q->buf, q->len);
  if (r < 0) return errno == EAGAIN ? FlushState::Pending : FlushState::Failed;
  q->len -= (size_t)r;
  return q->len ? FlushState::Pending : FlushState::Done;
}
Code blocking_tx(outq *q) { // [[none]]
  ssize_t r = send(q->fd, q->buf, q->len, 0);
  if (r < 0) return CODE_SEND_ERROR;
  q->len = 0;
  return CODE_OK;
}
Code state_machine(outq *q) { // [[none]]
  Code result = blocking_tx(q);
  return result;
}
Code hands_on(outq *q) { // [[flush]]
  Code result = CODE_OK;
  if (q->len) {
    ssize_t r = send(q->fd, q->buf, q->len, 0);
    if (r < 0) result = errno == EAGAIN ? CODE_AGAIN : CODE_SEND_ERROR;
    else q->len -= (size_t)r;
  }
  return result;
}
Code via_flush(outq *q) { return hands_on(q); } // [[flush]]
Answer flush_struct(outq *q) { // [[flush]]
  ssize_t r = write(q->fd, q->buf, q->len);
  if (r < 0) return {true, FlushState::Failed};
  if ((size_t)r < q->len) return Answer::pending();
  return {false, FlushState::Done};
}
struct Conn {
  int fd_;
  void close_now() { close(fd_); fd_ = -1; } // [[close]]
};
void release(outq *q) { close(q->fd); q->fd = -1; } // [[close]]
int stop(int fd) { return shutdown(fd, 1); } // [[shutdown]]
ssize_t reads(int fd, void *b, size_t n) { return recv(fd, b, n, 0); } // [[none]]
int exact(int fd, const void *b, size_t n) { return send(fd, b, n, 0) == (ssize_t)n ? 0 : -1; } // [[none]]
ssize_t total(int fd, const char *b, size_t n) { // [[none]]
  ssize_t sum = 0;
  sum += send(fd, b, n, 0);
  return sum;
}
static char *module_buf; // rsync's fileio.c: the module's own write buffer
static size_t module_cnt;
static const char greeting[] = "hello";
int flush_module(int f) { // [[flush]]
  int ret = 0;
  char *bp = module_buf;
  while (module_cnt > 0) {
    if ((ret = write(f, bp, module_cnt)) < 0) return ret;
    module_cnt -= ret;
    bp += ret;
  }
  return ret;
}
int greet(int fd) { // [[none]]
  size_t off = 0;
  while (off < sizeof greeting) {
    ssize_t r = write(fd, greeting + off, sizeof greeting - off);
    if (r < 0) return -1;
    off += r;
  }
  return 0;
}
int formatted(int fd, const char *text, size_t n) { // [[composed_write]]
  char buf[64];
  memmove(buf, text, n);
  if (all(fd, buf, n) < 0)
    return -1;
  return 0;
}
bool formatted_bool(int fd, const char *text, size_t n) { // [[composed_write]]
  bool ok = true;
  if (all(fd, text, n) < 0)
    ok = false;
  return ok;
}
int counted(int fd, const char *text, size_t n) { // [[none]]
  if (all(fd, text, n) < 0)
    return -1;
  return 1;
}
int all_or_exit(int fd, const char *b, size_t n) { // [[composed_write]]
  while (n > 0) {
    ssize_t r = send(fd, b, n, 0);
    if (r < 0) exit(1);
    b += r;
    n -= (size_t)r;
  }
  return 0;
}
void send_then_close(outq *q) { send(q->fd, q->buf, q->len, 0); close(q->fd); } // [[none]]
int add(int a, int b) { return a + b; } // [[none]]
)cpp";

void collect(const DeclContext *DC, std::vector<const FunctionDecl *> &Out) {
  for (const Decl *D : DC->decls()) {
    if (const auto *FTD = dyn_cast<FunctionTemplateDecl>(D)) {
      for (const FunctionDecl *S : FTD->specializations())
        Out.push_back(S);
    } else if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
      if (FD->isThisDeclarationADefinition())
        Out.push_back(FD);
    } else if (const auto *RD = dyn_cast<CXXRecordDecl>(D)) {
      collect(RD, Out);
    }
  }
}

TEST(RoleInference, EachMarkedFunctionHasItsRole) {
  std::string Src = std::string(Prelude) + Code;
  for (const std::string &Std : {std::string("c++17"), std::string("c++20")}) {
    auto AST = test::parse(Src, Std);
    ASSERT_TRUE(AST);
    ASTContext &Ctx = AST->getASTContext();
    ApiModel M;
    auto Inf = std::make_shared<RoleInference>();
    M.addRoleSource(Inf);
    std::map<unsigned, std::string> Want;
    for (const char *K : {"write", "composed_write", "flush", "close", "shutdown", "none"})
      for (unsigned L : test::markedLines(Src, K))
        Want[L] = K;
    std::vector<const FunctionDecl *> Fns;
    collect(Ctx.getTranslationUnitDecl(), Fns);
    const SourceManager &SM = Ctx.getSourceManager();
    unsigned Seen = 0;
    for (const FunctionDecl *FD : Fns) {
      if (!SM.isInMainFile(FD->getLocation()))
        continue;
      unsigned Line = SM.getSpellingLineNumber(FD->getLocation());
      auto It = Want.find(Line);
      if (It == Want.end())
        continue;
      ++Seen;
      ApiOp Op = M.lookup(FD);
      std::string Got = Op ? ApiModel::kindName(Op.kind()).str() : "none";
      EXPECT_EQ(Got, It->second) << FD->getNameAsString() << " (" << Std << ")";
      if (Op && It->second != "none")
        EXPECT_EQ(Op.Entry->Origin, RowOrigin::Inferred) << FD->getNameAsString();
    }
    // Every marked function was found and looked up (a marker that matches nothing would
    // make this test vacuous).
    EXPECT_GE(Want.size(), 20u);
    EXPECT_EQ(Seen, Want.size());
  }
}

TEST(RoleInference, DetailsOfTheRows) {
  std::string Src = std::string(Prelude) + Code;
  auto AST = test::parse(Src, "c++17");
  ASTContext &Ctx = AST->getASTContext();
  ApiModel M;
  M.addRoleSource(std::make_shared<RoleInference>());
  ApiOp Plain = M.lookup(test::findFunction(Ctx, "plain"));
  ASSERT_TRUE(Plain);
  EXPECT_EQ(Plain.Entry->Name, "::plain");
  EXPECT_EQ(Plain.result(), ResultKind::ByteCount);
  EXPECT_EQ(Plain.Entry->Channel, 0);
  EXPECT_EQ(Plain.Entry->Length, 2);
  ApiOp Wrapped = M.lookup(test::findFunction(Ctx, "wrapper_of_wrapper"));
  ASSERT_TRUE(Wrapped);
  EXPECT_EQ(Wrapped.Entry->Channel, 0); // q->fd is rooted at q
  EXPECT_EQ(Wrapped.Entry->Length, 2);
  ApiOp Signed = M.lookup(test::findFunction(Ctx, "flush_signed"));
  ASSERT_TRUE(Signed);
  EXPECT_EQ(Signed.result(), ResultKind::SignedState);
  EXPECT_FALSE(Signed.Entry->ZeroIsPending);
  ApiOp Bool = M.lookup(test::findFunction(Ctx, "flush_bool"));
  ASSERT_TRUE(Bool);
  EXPECT_EQ(Bool.result(), ResultKind::Bool);
  ApiOp Enum = M.lookup(test::findFunction(Ctx, "flush_enum"));
  ASSERT_TRUE(Enum);
  EXPECT_EQ(Enum.result(), ResultKind::PendingState);
  // A write-all's answer is the only news of a failure: it must be looked at, unless the
  // helper exits on failure itself.
  ApiOp All = M.lookup(test::findFunction(Ctx, "all"));
  ASSERT_TRUE(All);
  EXPECT_EQ(All.result(), ResultKind::Status);
  EXPECT_FALSE(All.Entry->Flags & AF_MayDiscard);
  ApiOp Exits = M.lookup(test::findFunction(Ctx, "all_or_exit"));
  ASSERT_TRUE(Exits);
  EXPECT_TRUE(Exits.Entry->Flags & AF_MayDiscard);
  ApiOp Formatted = M.lookup(test::findFunction(Ctx, "formatted"));
  ASSERT_TRUE(Formatted);
  EXPECT_EQ(Formatted.result(), ResultKind::Status);
  EXPECT_EQ(Formatted.Entry->Channel, 0);
  EXPECT_FALSE(Formatted.Entry->Flags & AF_MayDiscard);
  ApiOp Module = M.lookup(test::findFunction(Ctx, "flush_module"));
  ASSERT_TRUE(Module);
  EXPECT_EQ(Module.result(), ResultKind::Status);
  EXPECT_EQ(Module.Entry->Channel, 0);
  ApiOp Close = M.lookup(test::findFunction(Ctx, "release"));
  ASSERT_TRUE(Close);
  EXPECT_TRUE(Close.Entry->Flags & AF_MayDiscard);
}

// The end of a translation unit forgets what was inferred from its bodies: a function of the
// next unit with the same name (or, in one process, at the same address) is judged afresh.
TEST(RoleInference, EndOfUnitForgetsTheUnitsRoles) {
  auto First = test::parse(std::string(Prelude) + R"cpp(
ssize_t helper(int fd, const void *b, size_t n) { return send(fd, b, n, 0); }
)cpp");
  auto Inference = std::make_shared<RoleInference>();
  ApiModel M;
  M.addRoleSource(Inference);
  ApiOp Write = M.lookup(test::findFunction(First->getASTContext(), "helper"));
  ASSERT_TRUE(Write);
  EXPECT_EQ(Write.kind(), OpKind::Write);
  EXPECT_FALSE(Inference->roles().empty());
  M.endUnit();
  EXPECT_TRUE(Inference->roles().empty());
  auto Second = test::parse(std::string(Prelude) + R"cpp(
ssize_t helper(int fd, const void *b, size_t n) { (void)fd; (void)b; return (ssize_t)n; }
)cpp");
  EXPECT_FALSE(M.lookup(test::findFunction(Second->getASTContext(), "helper")));
}

// The user's rows win over inferred ones; inferred ones win over built-in rows.
TEST(RoleInference, Precedence) {
  std::string Src = std::string(Prelude) + R"cpp(
ssize_t sock_send(int fd, const void *b, size_t n) { return send(fd, b, n, 0); }
struct S { int fd; };
int flush(S *s) { return close(s->fd); }
)cpp";
  auto AST = test::parse(Src, "c++17");
  ASTContext &Ctx = AST->getASTContext();
  ApiModelOptions O;
  O.FlushFunctions = "sock_send";
  std::vector<std::string> Errors;
  ApiModel M(O, Errors);
  M.addRoleSource(std::make_shared<RoleInference>());
  ApiOp User = M.lookup(test::findFunction(Ctx, "sock_send"));
  ASSERT_TRUE(User);
  EXPECT_EQ(User.kind(), OpKind::Flush);
  EXPECT_EQ(User.Entry->Origin, RowOrigin::Option);
  ApiOp Body = M.lookup(test::findFunction(Ctx, "flush"));
  ASSERT_TRUE(Body);
  EXPECT_EQ(Body.kind(), OpKind::Close); // its body says so, whatever its name
  EXPECT_EQ(Body.Entry->Origin, RowOrigin::Inferred);
}

// A virtual method without a body gets what every override defined here agrees on.
TEST(RoleInference, VirtualCallsGetTheRoleTheOverridesAgreeOn) {
  std::string Src = std::string(Prelude) + R"cpp(
struct Stream { virtual ssize_t put(const void *b, size_t n) = 0; virtual ~Stream(); };
struct Tcp : Stream { int fd_; ssize_t put(const void *b, size_t n) override { return send(fd_, b, n, 0); } };
struct Raw : Stream { int fd_; ssize_t put(const void *b, size_t n) override { return write(fd_, b, n); } };
struct Sink { virtual ssize_t put(const void *b, size_t n) = 0; virtual ~Sink(); };
struct Net : Sink { int fd_; ssize_t put(const void *b, size_t n) override { return send(fd_, b, n, 0); } };
struct Counter : Sink { ssize_t put(const void *, size_t n) override { return (ssize_t)n; } };
struct Lonely { virtual ssize_t put(const void *b, size_t n) = 0; virtual ~Lonely(); };
)cpp";
  auto AST = test::parse(Src, "c++17");
  ASTContext &Ctx = AST->getASTContext();
  ApiModel M;
  M.addRoleSource(std::make_shared<RoleInference>());
  auto Method = [&](const char *Class) -> const CXXMethodDecl * {
    for (const Decl *D : Ctx.getTranslationUnitDecl()->decls())
      if (const auto *RD = dyn_cast<CXXRecordDecl>(D))
        if (RD->getName() == Class && RD->isThisDeclarationADefinition())
          for (const CXXMethodDecl *MD : RD->methods())
            if (MD->getIdentifier() && MD->getName() == "put")
              return MD;
    return nullptr;
  };
  ApiOp Agreed = M.lookup(Method("Stream"));
  ASSERT_TRUE(Agreed);
  EXPECT_EQ(Agreed.kind(), OpKind::Write);
  EXPECT_EQ(Agreed.result(), ResultKind::ByteCount);
  EXPECT_EQ(Agreed.Entry->Channel, ChannelImplicitObject);
  EXPECT_FALSE(M.lookup(Method("Sink")));   // Counter::put writes nothing
  EXPECT_FALSE(M.lookup(Method("Lonely"))); // no override to ask
}

} // namespace
} // namespace drain
