//===--- PartialWriteCheck.h - drain-partial-write --------------*- C++ -*-===//
#ifndef DRAIN_TIDY_PARTIALWRITECHECK_H
#define DRAIN_TIDY_PARTIALWRITECHECK_H

#include "DrainCheck.h"
#include "analysis/checks/PartialWrite.h"

namespace drain::tidy {

/// Finds writes whose byte count is only checked for errors, so a short write silently drops
/// the rest of the buffer.
///
/// A write row of the API model with a byte, item or TLS count (write, send, sendmsg,
/// BIO_write, gnutls_record_send, asio write_some, fwrite, ...) whose count is never compared
/// with the requested length, used to advance the buffer, or passed on. See
/// docs/checks/partial-write.md.
class PartialWriteCheck : public CallSiteCheck {
public:
  PartialWriteCheck(llvm::StringRef Name, ClangTidyContext *Context);

private:
  void storeCheckOptions(ClangTidyOptions::OptionMap &Opts) override;
  std::optional<Finding> find(const clang::CallExpr *Call,
                              DiscardClassifier &Classifier) override;

  PartialWriteOptions Opts;
};

} // namespace drain::tidy

#endif // DRAIN_TIDY_PARTIALWRITECHECK_H
