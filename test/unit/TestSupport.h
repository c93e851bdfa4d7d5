//===--- TestSupport.h - helpers for the analysis unit tests ----*- C++ -*-===//
//
// Snippets are parsed with clang::tooling::buildASTFromCodeWithArgs. Lines can carry inline
// markers in the style of clang's dataflow unit tests: `// [[warn]]`, `// [[dirty]]`, ... ;
// markedLines() returns the 1-based line numbers that carry a marker.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_TEST_UNIT_TESTSUPPORT_H
#define DRAIN_TEST_UNIT_TESTSUPPORT_H

#include "clang/AST/ASTContext.h"
#include "clang/Frontend/ASTUnit.h"
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace drain::test {

/// Parses \p Code as C++ (\p Std, e.g. "c++17") with extra \p Args; fails the test on errors.
std::unique_ptr<clang::ASTUnit> parse(const std::string &Code, const std::string &Std = "c++17",
                                      std::vector<std::string> Args = {});

/// The function or method named \p Name (qualified names allowed), or null.
const clang::FunctionDecl *findFunction(clang::ASTContext &Ctx, const std::string &Name);

/// Line numbers (1-based) of lines containing `// [[Marker]]`.
std::set<unsigned> markedLines(const std::string &Code, const std::string &Marker);

/// The C++ standards every snippet test runs under.
std::vector<std::string> standards();

} // namespace drain::test

#endif
