//===--- PartialWriteTest.cpp - counts checked only for errors ------------===//
//
// Every call of write/send/fwrite in a snippet sits on a line marked `// [[partial]]` (the
// count is only checked for errors) or `// [[ok]]` (compared, advanced, passed on, dropped
// entirely, or a write that cannot be short).
//
//===----------------------------------------------------------------------===//
#include "TestSupport.h"
#include "analysis/core/ApiModel.h"
#include "analysis/core/DiscardClassifier.h"
#include "analysis/checks/PartialWrite.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "gtest/gtest.h"
#include <map>

using namespace clang;
using namespace clang::ast_matchers;
using namespace drain;

namespace {

const char *Prelude = R"cpp(
typedef unsigned long size_t;
typedef long ssize_t;
extern "C" ssize_t write(int, const void *, size_t);
extern "C" ssize_t send(int, const void *, size_t, int);
struct FILE;
extern "C" size_t fwrite(const void *, size_t, size_t, FILE *);
extern "C" int SSL_write(struct SSL *, const void *, int);
void log_count(ssize_t);
void account_sent(ssize_t);
)cpp";

void expectMarkers(const std::string &Body, PartialWriteOptions Opts = {}) {
  std::string Code = std::string(Prelude) + Body;
  for (const auto &Std : test::standards()) {
    SCOPED_TRACE("-std=" + Std);
    auto AST = test::parse(Code, Std);
    ASSERT_TRUE(AST);
    ASTContext &Ctx = AST->getASTContext();
    ApiModel Model;
    DiscardClassifier Index(Ctx);
    std::map<unsigned, std::string> Expected, Got;
    for (unsigned L : test::markedLines(Code, "partial"))
      Expected[L] = "partial";
    for (unsigned L : test::markedLines(Code, "ok"))
      Expected[L] = "ok";
    auto Calls = match(
        callExpr(callee(functionDecl(hasAnyName("write", "send", "fwrite", "SSL_write"))))
            .bind("c"),
        Ctx);
    for (const auto &B : Calls) {
      const auto *Call = B.getNodeAs<CallExpr>("c");
      unsigned Line = Ctx.getSourceManager().getExpansionLineNumber(Call->getBeginLoc());
      Got[Line] = findPartialWrite(Call, Model, Index, Opts) ? "partial" : "ok";
    }
    EXPECT_EQ(Got, Expected);
  }
}

TEST(PartialWriteTest, ErrorOnlyTestsAreReported) {
  expectMarkers(R"cpp(
void printed_after_error_test(int fd, const char *p, size_t n) {
  ssize_t r = write(fd, p, n); // [[partial]]
  if (r < 0)
    return;
  log_count(r);
}
int direct_less_than_zero(int fd, const char *p, size_t n) {
  if (send(fd, p, n, 0) < 0) // [[partial]]
    return -1;
  return 0;
}
int local_equals_minus_one(int fd, const char *p, size_t n) {
  ssize_t r = write(fd, p, n); // [[partial]]
  if (r == -1)
    return -1;
  return 0;
}
int not_operator(int fd, const char *p, size_t n) {
  ssize_t r;
  r = write(fd, p, n); // [[partial]]
  if (!r || r <= 0)
    return -1;
  return 0;
}
void retry_on_eintr_only(int fd, const char *p, size_t n, int *err) {
  while (write(fd, p, n) < 0 && *err == 4) { // [[partial]]
  }
}
int through_assignment_in_condition(int fd, const char *p, size_t n) {
  ssize_t r;
  if ((r = send(fd, p, n, 0)) <= 0) // [[partial]]
    return -1;
  return 0;
}
int fwrite_zero_test(FILE *f, const char *p, size_t n) {
  if (fwrite(p, 1, n, f) == 0) // [[partial]]
    return -1;
  return 0;
}
int as_boolean(int fd, const char *p, size_t n) {
  if (write(fd, p, n)) // [[partial]]
    return 0;
  return -1;
}
)cpp");
}

TEST(PartialWriteTest, LookedAtCountsAreNotReported) {
  expectMarkers(R"cpp(
int compared_with_length(int fd, const char *p, size_t n) {
  ssize_t r = write(fd, p, n); // [[ok]]
  if (r < 0 || (size_t)r != n)
    return -1;
  return 0;
}
int loop_advances(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t r = send(fd, p, n, 0); // [[ok]]
    if (r < 0)
      return -1;
    p += r;
    n -= r;
  }
  return 0;
}
ssize_t returned(int fd, const char *p, size_t n) {
  return write(fd, p, n); // [[ok]]
}
void passed_on(int fd, const char *p, size_t n) {
  ssize_t r = write(fd, p, n); // [[ok]]
  if (r < 0)
    return;
  account_sent(r);
}
void dropped_entirely(int fd, const char *p, size_t n) {
  write(fd, p, n); // [[ok]]
}
int fwrite_one_item(FILE *f, const char *p, size_t n) {
  return fwrite(p, n, 1, f) != 1 ? -1 : 0; // [[ok]]
}
int single_byte_cannot_be_short(int fd) {
  char c = 'x';
  if (write(fd, &c, 1) < 0) // [[ok]]
    return -1;
  if (write(fd, &c, sizeof c) < 0) // [[ok]]
    return -1;
  return 0;
}
int tls_is_all_or_nothing_by_default(struct SSL *s, const char *p, int n) {
  if (SSL_write(s, p, n) <= 0) // [[ok]]
    return -1;
  return 0;
}
int compared_with_sizeof(int fd) {
  char buf[16] = {0};
  return write(fd, buf, sizeof buf) != sizeof buf ? -1 : 0; // [[ok]]
}
)cpp");
}

TEST(PartialWriteTest, TlsOptionChecksSslWrite) {
  PartialWriteOptions Opts;
  Opts.TlsPartialWrites = true;
  expectMarkers(R"cpp(
int tls_partial(struct SSL *s, const char *p, int n) {
  if (SSL_write(s, p, n) <= 0) // [[partial]]
    return -1;
  return 0;
}
)cpp",
                Opts);
}

TEST(PartialWriteTest, RemainderMustBeWrittenNext) {
  expectMarkers(R"cpp(
struct Buf { const char *p; size_t n; };
struct Conn { int fd; const char *out; size_t len; size_t off; };
int again();
long running_total(int fd, const Buf *b, int cnt) {
  long total = 0;
  for (int i = 0; i < cnt; ++i) {
    ssize_t r = write(fd, b[i].p, b[i].n); // [[partial]]
    if (r < 0)
      return -1;
    total += r;
  }
  return total;
}
int retry_from_the_start(int fd, const char *p, size_t n) {
  size_t left = n;
  while (left) {
    ssize_t r = send(fd, p, left, 0); // [[partial]]
    if (r <= 0)
      return -1;
    left -= r;
  }
  return 0;
}
int advances(int fd, const char *p, size_t n) {
  size_t off = 0;
  while (off < n) {
    ssize_t r = send(fd, p + off, n - off, 0); // [[ok]]
    if (r <= 0)
      return -1;
    off += r;
  }
  return 0;
}
int would_block_loses_offset(int fd, const char *p, size_t n) {
  size_t off = 0;
  while (off < n) {
    ssize_t r = send(fd, p + off, n - off, 0); // [[partial]]
    if (r < 0) {
      if (again())
        return 1;
      return -1;
    }
    off = off + r;
  }
  return 0;
}
int offset_kept_in_connection(Conn *c) {
  while (c->off < c->len) {
    ssize_t r = write(c->fd, c->out + c->off, c->len - c->off); // [[ok]]
    if (r < 0)
      return again() ? 1 : -1;
    c->off += r;
  }
  return 0;
}
long counted_once(int fd, const char *p, size_t n, long total) {
  ssize_t r = write(fd, p, n); // [[ok]]
  if (r < 0)
    return -1;
  total += r;
  return total;
}
)cpp");
}

// What the summary store records of a call whose callee another file defines: the same reading
// of a call as the callers of a logged short count in the same file get.
TEST(PartialWriteTest, ResultUseOfCallSites) {
  std::string Code = R"cpp(
int sock_write(const char *buf, int len);
void note(int);
int helo(const char *b) {
  if (sock_write(b, 4) == -1) // [[status]]
    return -1;
  int rc = sock_write(b, 4); // [[status]]
  if (rc < 0)
    return -1;
  return 0;
}
void quit(const char *b) {
  sock_write(b, 6); // [[ignored]]
  (void)sock_write(b, 6); // [[ignored]]
}
int append(const char *b, int len) {
  int off = 0;
  while (off < len) {
    int n = sock_write(b + off, len - off); // [[count]]
    if (n < 0)
      return -1;
    off += n;
  }
  if (sock_write(b, len) != len) // [[count]]
    return -1;
  note(sock_write(b, len)); // [[count]]
  return sock_write(b, len); // [[count]]
}
)cpp";
  for (const auto &Std : test::standards()) {
    SCOPED_TRACE("-std=" + Std);
    auto AST = test::parse(Code, Std);
    ASSERT_TRUE(AST);
    ASTContext &Ctx = AST->getASTContext();
    DiscardClassifier Index(Ctx);
    std::map<unsigned, std::string> Expected, Got;
    for (const char *Kind : {"status", "ignored", "count"})
      for (unsigned L : test::markedLines(Code, Kind))
        Expected[L] = Kind;
    for (const char *Name : {"helo", "quit", "append"}) {
      for (const CallExpr *Call : Index.focus(test::findFunction(Ctx, Name))) {
        const FunctionDecl *Callee = Call->getDirectCallee();
        if (!Callee || Callee->getName() != "sock_write")
          continue;
        unsigned Line = Ctx.getSourceManager().getExpansionLineNumber(Call->getBeginLoc());
        ResultUse U = resultUseOf(Call, Index);
        Got[Line] = U == ResultUse::Status    ? "status"
                    : U == ResultUse::Ignored ? "ignored"
                                              : "count";
      }
      Index.unfocus();
    }
    EXPECT_EQ(Got, Expected);
  }
}

} // namespace
