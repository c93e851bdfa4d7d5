//===--- OverlappingAsyncWriteCheck.cpp - drain-overlapping-async-write ---===//
#include "OverlappingAsyncWriteCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/ADT/StringExtras.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace drain::tidy {

namespace {
std::string joined(const std::vector<std::string> &Words) {
  std::string Out;
  for (const std::string &W : Words)
    Out += (Out.empty() ? "" : ";") + W;
  return Out;
}
} // namespace

OverlappingAsyncWriteCheck::OverlappingAsyncWriteCheck(llvm::StringRef Name,
                                                       ClangTidyContext *Context)
    : DrainCheck(Name, Context) {
  StartWords = Options.get("StartFunctionWords", joined(Opts.StartWords));
  llvm::SmallVector<llvm::StringRef, 12> Parts;
  llvm::StringRef(StartWords).split(Parts, ';', -1, false);
  Opts.StartWords.clear();
  for (llvm::StringRef P : Parts)
    Opts.StartWords.push_back(P.trim().lower());
}

void OverlappingAsyncWriteCheck::storeCheckOptions(ClangTidyOptions::OptionMap &O) {
  Options.store(O, "StartFunctionWords", StartWords);
}

void OverlappingAsyncWriteCheck::registerMatchers(MatchFinder *Finder) {
  // Every function and lambda body names the class it belongs to; the classes are judged
  // whole at the end of the translation unit.
  Finder->addMatcher(functionBodies(), this);
  Finder->addMatcher(lambdaBodies(), this);
}

void OverlappingAsyncWriteCheck::check(const MatchFinder::MatchResult &Result) {
  if (!Analysis)
    Analysis = std::make_unique<OverlapAnalysis>(*Result.Context, model(), Opts);
  Analysis->addFunction(matchedFunction(Result));
}

void OverlappingAsyncWriteCheck::resetTranslationUnit() {
  if (Analysis)
    for (const Finding &F : Analysis->findings())
      emit(F);
  Analysis.reset();
}

} // namespace drain::tidy
