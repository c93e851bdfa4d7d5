//===--- DiscardedIoResultCheck.h - drain-discarded-io-result ---*- C++ -*-===//
#ifndef DRAIN_TIDY_DISCARDEDIORESULTCHECK_H
#define DRAIN_TIDY_DISCARDEDIORESULTCHECK_H

#include "DrainCheck.h"
#include "analysis/checks/DiscardedIoResult.h"

namespace drain::tidy {

/// Finds results of writes, flushes, shutdowns and closes that are never looked at, so a
/// pending, short or failed operation goes unnoticed.
///
/// The operations are the rows of the API model (built-in, options, ModelFile, annotations)
/// plus every call whose result type carries a pending state. An error_code& out-argument
/// that is never read after the call counts as a dropped result. See
/// docs/checks/discarded-io-result.md.
class DiscardedIoResultCheck : public CallSiteCheck {
public:
  DiscardedIoResultCheck(llvm::StringRef Name, ClangTidyContext *Context);

private:
  void storeCheckOptions(ClangTidyOptions::OptionMap &Opts) override;
  std::optional<Finding> find(const clang::CallExpr *Call,
                              DiscardClassifier &Classifier) override;
  void findInFunction(const clang::FunctionDecl *FD, DiscardClassifier &Classifier,
                      std::vector<Finding> &Out) override;

  DiscardedResultOptions Opts;
};

} // namespace drain::tidy

#endif // DRAIN_TIDY_DISCARDEDIORESULTCHECK_H
