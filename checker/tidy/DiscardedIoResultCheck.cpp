//===--- DiscardedIoResultCheck.cpp - drain-discarded-io-result -----------===//
#include "DiscardedIoResultCheck.h"
#include "analysis/checks/DiscardedIoResult/FileStreams.h"
#include "analysis/checks/DiscardedIoResult/ProgramOutput.h"

using namespace clang;

namespace drain::tidy {

DiscardedIoResultCheck::DiscardedIoResultCheck(llvm::StringRef Name,
                                               ClangTidyContext *Context)
    : CallSiteCheck(Name, Context) {
  Opts.AllowCastToVoid = Options.get("AllowCastToVoid", false);
  Opts.CheckStandardStreams = Options.get("CheckStandardStreams", false);
  Opts.CheckProgramOutput = Options.get("CheckProgramOutput", true);
}

void DiscardedIoResultCheck::storeCheckOptions(ClangTidyOptions::OptionMap &O) {
  Options.store(O, "AllowCastToVoid", Opts.AllowCastToVoid);
  Options.store(O, "CheckStandardStreams", Opts.CheckStandardStreams);
  Options.store(O, "CheckProgramOutput", Opts.CheckProgramOutput);
}

std::optional<Finding> DiscardedIoResultCheck::find(const CallExpr *Call,
                                                    DiscardClassifier &Classifier) {
  return findDiscardedResult(Call, model(), Classifier, Opts);
}

void DiscardedIoResultCheck::findInFunction(const FunctionDecl *FD,
                                            DiscardClassifier &Classifier,
                                            std::vector<Finding> &Out) {
  Out = findHalfCheckedParameters(FD, model(), Classifier);
  // C++ file streams written and never checked before the function reports success.
  for (Finding &F : findUncheckedFileStreams(FD, model()))
    Out.push_back(std::move(F));
  // The output of the whole program, judged once, at its main.
  if (Opts.CheckProgramOutput && FD->isMain())
    if (std::optional<Finding> F =
            findUncheckedProgramOutput(FD, model(), Classifier, Opts.CheckStandardStreams))
      Out.push_back(std::move(*F));
}

} // namespace drain::tidy
