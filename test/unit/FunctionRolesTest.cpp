//===--- FunctionRolesTest.cpp - role rows of the model and what they decide ===//
#include "TestSupport.h"
#include "analysis/checks/DiscardedIoResult.h"
#include "analysis/core/ApiModel.h"
#include "analysis/core/DiscardClassifier.h"
#include "clang/AST/Decl.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace drain;
using drain::test::findFunction;
using drain::test::parse;

namespace {

const char *Stdio = R"c(
typedef struct _IO_FILE FILE;
FILE *fopen(const char *path, const char *mode);
int fclose(FILE *f);
int fputs(const char *s, FILE *f);
)c";

/// The findings drain-discarded-io-result has for the calls of \p Callee in \p Code (C++17).
unsigned findingsAt(const std::string &Code, const std::string &Callee, const ApiModel &M) {
  auto AST = parse(Code);
  if (!AST)
    return ~0u;
  ASTContext &Ctx = AST->getASTContext();
  DiscardClassifier Classifier(Ctx);
  unsigned N = 0;
  for (const BoundNodes &B :
       match(callExpr(callee(functionDecl(hasName(Callee)))).bind("c"), Ctx))
    if (findDiscardedResult(B.getNodeAs<CallExpr>("c"), M, Classifier, {}))
      ++N;
  return N;
}

ApiModel withModelFile(const char *YAML) {
  ApiModel M;
  std::string Err;
  EXPECT_TRUE(M.loadModelYAML(YAML, "roles.yaml", Err)) << Err;
  return M;
}

// `fclose(f); discard_file(name);`: the file written through f is thrown away, so the dropped
// close loses nothing, once the model says discard_file removes the file at its argument 0.
TEST(FunctionRolesTest, ModelFileFileRemoverTakesEffect) {
  std::string Code = std::string(Stdio) + R"c(
int discard_file(const char *path);
void spool(const char *name) {
  FILE *f = fopen(name, "w");
  if (!f)
    return;
  fputs("partial", f);
  fclose(f);
  discard_file(name);
}
)c";
  EXPECT_EQ(findingsAt(Code, "fclose", ApiModel()), 1u);
  ApiModel M = withModelFile(R"(
roles:
  - name: discard_file
    role: file_remover
    arg: 0
)");
  EXPECT_EQ(findingsAt(Code, "fclose", M), 0u);
}

// A project's opener defined elsewhere, handed a read-only mode: its stream has no output to
// lose once the model names it and its mode argument.
TEST(FunctionRolesTest, ModelFileStreamOpenerTakesEffect) {
  std::string Code = std::string(Stdio) + R"c(
FILE *log_attach(const char *path, const char *mode);
void replay(const char *name) {
  FILE *f = log_attach(name, "r");
  if (!f)
    return;
  fclose(f);
}
)c";
  EXPECT_EQ(findingsAt(Code, "fclose", ApiModel()), 1u);
  ApiModel M = withModelFile(R"(
roles:
  - {name: log_attach, role: stream_opener, arg: 1}
)");
  EXPECT_EQ(findingsAt(Code, "fclose", M), 0u);
  auto AST = parse(Code);
  ASSERT_TRUE(AST);
  const RoleEntry *R =
      M.tableRole(findFunction(AST->getASTContext(), "log_attach"), FunctionRole::StreamOpener);
  ASSERT_TRUE(R);
  EXPECT_EQ(R->Arg, 1);
  EXPECT_EQ(R->Origin, RowOrigin::ModelFile);
}

// A function returning an opener's fresh stream gets an inferred StreamOpener row, recorded
// with how many wrappers deep it reaches the table; three deep is beyond the inference.
TEST(FunctionRolesTest, OpenerWrappersAreInferredRows) {
  std::string Code = std::string(Stdio) + R"c(
FILE *open_one(const char *p) { return fopen(p, "w"); }
FILE *open_two(const char *p) {
  FILE *f = open_one(p);
  if (!f)
    return 0;
  return f;
}
FILE *open_three(const char *p) { return open_two(p); }
FILE *touch(const char *p) {
  FILE *f = fopen(p, "w");
  fputs("x", f);
  return f;
}
)c";
  auto AST = parse(Code);
  ASSERT_TRUE(AST);
  ASTContext &Ctx = AST->getASTContext();
  ApiModel M;
  EXPECT_EQ(M.tableRole(findFunction(Ctx, "open_one"), FunctionRole::StreamOpener), nullptr);
  const RoleEntry *One = M.roleOf(findFunction(Ctx, "open_one"), FunctionRole::StreamOpener);
  ASSERT_TRUE(One);
  EXPECT_EQ(One->Origin, RowOrigin::Inferred);
  EXPECT_EQ(One->Depth, 1u);
  const RoleEntry *Two = M.roleOf(findFunction(Ctx, "open_two"), FunctionRole::StreamOpener);
  ASSERT_TRUE(Two);
  EXPECT_EQ(Two->Depth, 2u);
  EXPECT_EQ(M.roleOf(findFunction(Ctx, "open_three"), FunctionRole::StreamOpener), nullptr);
  // The stream was written before it is handed over: not fresh.
  EXPECT_EQ(M.roleOf(findFunction(Ctx, "touch"), FunctionRole::StreamOpener), nullptr);
  const RoleEntry *Fopen = M.roleOf(findFunction(Ctx, "fopen"), FunctionRole::StreamOpener);
  ASSERT_TRUE(Fopen);
  EXPECT_EQ(Fopen->Origin, RowOrigin::BuiltIn);
  EXPECT_EQ(Fopen->Arg, 1);
}

TEST(FunctionRolesTest, ModelFileBufferVocabularyAndErrors) {
  ApiModel M = withModelFile(R"(
buffer_methods:
  - {name: enqueue, effect: append}
buffer_function_words:
  - {name: release, effect: free}
drained_words: [idle]
)");
  EXPECT_EQ(M.bufferMethod("enqueue"), BufferEffect::Append);
  EXPECT_EQ(M.bufferMethod("append"), BufferEffect::Append);
  EXPECT_EQ(M.bufferMethod("data"), std::nullopt);
  EXPECT_EQ(M.bufferFunctionWord("release"), BufferEffect::Free);
  EXPECT_TRUE(M.drainedWord("idle"));
  EXPECT_FALSE(ApiModel().drainedWord("idle"));

  std::string Err;
  ApiModel Bad;
  EXPECT_FALSE(Bad.loadModelYAML("roles:\n  - {name: x, role: opener}\n", "bad.yaml", Err));
  EXPECT_NE(Err.find("unknown role 'opener'"), std::string::npos) << Err;
  EXPECT_FALSE(Bad.loadModelYAML("buffer_methods:\n  - {name: x, effect: grow}\n", "bad.yaml",
                                 Err));
  EXPECT_NE(Err.find("unknown effect 'grow'"), std::string::npos) << Err;
}

} // namespace
