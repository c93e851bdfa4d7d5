//===--- PartialWriteCheck.cpp - drain-partial-write ----------------------===//
#include "PartialWriteCheck.h"

using namespace clang;

namespace drain::tidy {

PartialWriteCheck::PartialWriteCheck(llvm::StringRef Name, ClangTidyContext *Context)
    : CallSiteCheck(Name, Context) {
  Opts.TlsPartialWrites = Options.get("TlsPartialWrites", false);
  Opts.AtomicWriteSize = Options.get("AtomicWriteSize", 512u);
}

void PartialWriteCheck::storeCheckOptions(ClangTidyOptions::OptionMap &O) {
  Options.store(O, "TlsPartialWrites", Opts.TlsPartialWrites);
  Options.store(O, "AtomicWriteSize", Opts.AtomicWriteSize);
}

std::optional<Finding> PartialWriteCheck::find(const CallExpr *Call,
                                               DiscardClassifier &Classifier) {
  return findPartialWrite(Call, model(), Classifier, Opts);
}

} // namespace drain::tidy
