//===--- PartialWriteCheck.h - drain-partial-write --------------*- C++ -*-===//
#ifndef DRAIN_TIDY_PARTIALWRITECHECK_H
#define DRAIN_TIDY_PARTIALWRITECHECK_H

#include "DrainCheck.h"
#include "analysis/checks/PartialWrite.h"
#include "analysis/core/DiscardClassifier.h"
#include <memory>

namespace drain::tidy {

/// Finds writes whose byte count is only checked for errors, so a short write silently drops
/// the rest of the buffer.
///
/// A write row of the API model with a byte, item or TLS count (write, send, sendmsg,
/// BIO_write, gnutls_record_send, asio write_some, fwrite, ...) whose count is never compared
/// with the requested length, used to advance the buffer, or passed on. See
/// docs/checks/partial-write.md.
class PartialWriteCheck : public DrainCheck {
public:
  PartialWriteCheck(llvm::StringRef Name, ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;

private:
  void storeCheckOptions(ClangTidyOptions::OptionMap &Opts) override;
  void resetTranslationUnit() override { Classifier.reset(); }

  PartialWriteOptions Opts;
  /// Answers "which references name this local" once per function.
  std::unique_ptr<DiscardClassifier> Classifier;
};

} // namespace drain::tidy

#endif // DRAIN_TIDY_PARTIALWRITECHECK_H
