//===--- DiscardedIoResultCheck.cpp - drain-discarded-io-result -----------===//
#include "DiscardedIoResultCheck.h"

using namespace clang;

namespace drain::tidy {

DiscardedIoResultCheck::DiscardedIoResultCheck(llvm::StringRef Name,
                                               ClangTidyContext *Context)
    : CallSiteCheck(Name, Context) {
  Opts.AllowCastToVoid = Options.get("AllowCastToVoid", false);
  Opts.CheckStandardStreams = Options.get("CheckStandardStreams", false);
}

void DiscardedIoResultCheck::storeCheckOptions(ClangTidyOptions::OptionMap &O) {
  Options.store(O, "AllowCastToVoid", Opts.AllowCastToVoid);
  Options.store(O, "CheckStandardStreams", Opts.CheckStandardStreams);
}

std::optional<Finding> DiscardedIoResultCheck::find(const CallExpr *Call,
                                                    DiscardClassifier &Classifier) {
  return findDiscardedResult(Call, model(), Classifier, Opts);
}

void DiscardedIoResultCheck::findInFunction(const FunctionDecl *FD,
                                            DiscardClassifier &Classifier,
                                            std::vector<Finding> &Out) {
  Out = findHalfCheckedParameters(FD, model(), Classifier);
}

} // namespace drain::tidy
