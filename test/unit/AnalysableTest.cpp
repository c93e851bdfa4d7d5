//===--- AnalysableTest.cpp - the guard every CFG and body analysis asks --===//
//
// Each function of a snippet that does not compile is asked about; a function whose line
// carries `// [[broken]]` must be rejected, every other definition accepted (dependent
// patterns aside, which isAnalysable rejects and hasErrors does not).
//
//===----------------------------------------------------------------------===//
#include "TestSupport.h"
#include "analysis/core/Analysable.h"
#include "analysis/flow/FlowEngine.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"

using namespace clang;

namespace drain {
namespace {

/// Parses code that is expected not to compile (errors are the point).
std::unique_ptr<ASTUnit> parseBroken(const std::string &Code, const std::string &Std) {
  auto AST = tooling::buildASTFromCodeWithArgs(
      Code, {"-std=" + Std, "-fsyntax-only", "-ferror-limit=0", "-Wno-everything"},
      "input.cpp");
  EXPECT_TRUE(AST != nullptr);
  return AST;
}

struct Defs : RecursiveASTVisitor<Defs> {
  std::vector<const FunctionDecl *> Out;
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitLambdaBody() const { return true; }
  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (FD->doesThisDeclarationHaveABody() && !FD->isImplicit())
      Out.push_back(FD);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr *LE) {
    Out.push_back(LE->getCallOperator());
    return true;
  }
};

unsigned lineOf(const ASTContext &Ctx, const FunctionDecl *FD) {
  return Ctx.getSourceManager().getSpellingLineNumber(FD->getBeginLoc());
}

const char *const Snippet = R"cpp(
struct Socket { int write(const char *, int); void close(); };
struct Buffer { bool empty() const; };

void unknown_local_type(Socket &s) { // [[broken]]
  Frame f;
  s.close();
}
void undeclared_call(Socket &s) { // [[broken]]
  int n = send_all(s);
  s.close();
}
void unknown_parameter_type(Socket &s, Request &r) { // [[broken]]
  s.close();
}
void member_of_unknown(Socket &s) { // [[broken]]
  auto v = make_payload();
  s.write(v.data(), v.size());
}
void mistyped_member(Socket &s) { // [[broken]]
  s.wirte("x", 1);
}
void decltype_of_nothing(Socket &s) { // [[broken]]
  decltype(missing) q = 1;
  s.close();
}
struct Conn {
  Socket sock;
  int n;
  Conn(Socket &s) : sock(s), n(undeclared_size()) {} // [[broken]]
  void flush_then_close() { sock.close(); }
};
void clean(Socket &s, Buffer &b) {
  if (b.empty())
    s.close();
}
void lambda_body_broken(Socket &s) {
  auto later = [&s] { s.close(); return nothing_here(); }; // [[broken]]
  s.close();
}
template <typename T> void pattern(T &t) { t.close(); }
void instantiates(Socket &s) { pattern(s); }
)cpp";

TEST(Analysable, RejectsBrokenFunctionsOnly) {
  for (const std::string &Std : test::standards()) {
    auto AST = parseBroken(Snippet, Std);
    ASSERT_TRUE(AST);
    ASSERT_TRUE(AST->getDiagnostics().hasErrorOccurred());
    ASTContext &Ctx = AST->getASTContext();
    std::set<unsigned> Broken = test::markedLines(Snippet, "broken");
    Defs D;
    D.TraverseDecl(Ctx.getTranslationUnitDecl());
    std::set<unsigned> Seen;
    for (const FunctionDecl *FD : D.Out) {
      unsigned Line = lineOf(Ctx, FD);
      bool Dependent = FD->isDependentContext();
      bool Expect = Broken.count(Line) != 0;
      Seen.insert(Line);
      EXPECT_EQ(hasErrors(FD), Expect) << FD->getNameAsString() << " at line " << Line;
      EXPECT_EQ(isAnalysable(FD), !Expect && !Dependent)
          << FD->getNameAsString() << " at line " << Line;
    }
    for (unsigned L : Broken)
      EXPECT_TRUE(Seen.count(L)) << "no function with a body at marked line " << L;
  }
}

// The engine asks the guard: a broken function gets no analysis (so no CFG is built for it)
// and the clean one next to it still does.
TEST(Analysable, EngineSkipsBrokenFunctions) {
  auto AST = parseBroken(Snippet, "c++17");
  ASSERT_TRUE(AST);
  ASTContext &Ctx = AST->getASTContext();
  ApiModel Model;
  ChannelResolver Channels;
  FlowEngine Engine(Model, Channels, TransferTable::standard());
  EXPECT_EQ(Engine.analyze(test::findFunction(Ctx, "unknown_local_type"), Ctx), nullptr);
  EXPECT_EQ(Engine.analyze(test::findFunction(Ctx, "member_of_unknown"), Ctx), nullptr);
  EXPECT_NE(Engine.analyze(test::findFunction(Ctx, "clean"), Ctx), nullptr);
  EXPECT_NE(Engine.analyze(test::findFunction(Ctx, "lambda_body_broken"), Ctx), nullptr);
}

} // namespace
} // namespace drain
