//===--- DiscardedAwaitableCheck.cpp - drain-discarded-awaitable ----------===//
#include "DiscardedAwaitableCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace drain::tidy {

DiscardedAwaitableCheck::DiscardedAwaitableCheck(llvm::StringRef Name, ClangTidyContext *Context)
    : DrainCheck(Name, Context) {
  Opts.AnyAwaitable = Options.get("AnyAwaitable", false);
  Opts.AllowCastToVoid = Options.get("AllowCastToVoid", true);
}

void DiscardedAwaitableCheck::storeCheckOptions(ClangTidyOptions::OptionMap &O) {
  Options.store(O, "AnyAwaitable", Opts.AnyAwaitable);
  Options.store(O, "AllowCastToVoid", Opts.AllowCastToVoid);
}

void DiscardedAwaitableCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(callExpr(callee(functionDecl()), unless(isExpansionInSystemHeader()))
                         .bind("call"),
                     this);
}

void DiscardedAwaitableCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Call = Result.Nodes.getNodeAs<CallExpr>("call");
  if (!Classifier || &Classifier->context() != Result.Context) {
    Classifier = std::make_unique<DiscardClassifier>(*Result.Context);
    Writes = std::make_unique<WriteSummaries>(Model.model());
  }
  auto F = findDiscardedAwaitable(Call, *Result.Context, *Classifier, *Writes, Opts);
  if (F)
    emit(*F);
}

void DiscardedAwaitableCheck::resetTranslationUnit() {
  Classifier.reset();
  Writes.reset();
}

} // namespace drain::tidy
