#include "TestSupport.h"
#include "clang/AST/Decl.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"
#include <sstream>

using namespace clang;
using namespace clang::ast_matchers;

namespace drain::test {

std::unique_ptr<ASTUnit> parse(const std::string &Code, const std::string &Std,
                               std::vector<std::string> Args) {
  Args.insert(Args.begin(), {"-std=" + Std, "-fsyntax-only", "-Wno-unused-value",
                             "-Wno-unused-result"});
  auto AST = tooling::buildASTFromCodeWithArgs(Code, Args, "input.cpp");
  EXPECT_TRUE(AST != nullptr);
  if (AST)
    EXPECT_FALSE(AST->getDiagnostics().hasErrorOccurred()) << "snippet does not compile";
  return AST;
}

const FunctionDecl *findFunction(ASTContext &Ctx, const std::string &Name) {
  auto Matches = match(functionDecl(hasName(Name), isDefinition()).bind("f"), Ctx);
  if (Matches.empty())
    Matches = match(functionDecl(hasName(Name)).bind("f"), Ctx);
  if (Matches.empty())
    return nullptr;
  return Matches.front().getNodeAs<FunctionDecl>("f");
}

std::set<unsigned> markedLines(const std::string &Code, const std::string &Marker) {
  std::set<unsigned> Lines;
  std::istringstream In(Code);
  std::string Line;
  unsigned N = 0;
  while (std::getline(In, Line)) {
    ++N;
    if (Line.find("// [[" + Marker + "]]") != std::string::npos)
      Lines.insert(N);
  }
  return Lines;
}

std::vector<std::string> standards() { return {"c++17", "c++20"}; }

} // namespace drain::test
