//===--- PartialWriteCheck.h - drain-partial-write --------------*- C++ -*-===//
#ifndef DRAIN_TIDY_PARTIALWRITECHECK_H
#define DRAIN_TIDY_PARTIALWRITECHECK_H

#include "DrainCheckFactory.h"
#include "ModelOptions.h"
#include "analysis/PartialWrite.h"
#include "llvm/ADT/DenseSet.h"
#include <memory>

namespace drain::tidy {

/// Finds writes whose byte count is only checked for errors, so a short write silently drops
/// the rest of the buffer.
///
/// A write row of the API model with a byte, item or TLS count (write, send, sendmsg,
/// BIO_write, gnutls_record_send, asio write_some, fwrite, ...) whose count is never compared
/// with the requested length, used to advance the buffer, or passed on. See
/// docs/checks/partial-write.md.
class PartialWriteCheck : public ClangTidyCheck {
public:
  PartialWriteCheck(llvm::StringRef Name, ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override;

private:
  ModelOptions Model;
  PartialWriteOptions Opts;
  /// Per translation unit: which references name each local, indexed once per function.
  std::unique_ptr<DiscardClassifier> Index;
  /// A template's call is seen once per instantiation; report its spelling once.
  llvm::DenseSet<clang::SourceLocation> Reported;
};

} // namespace drain::tidy

#endif // DRAIN_TIDY_PARTIALWRITECHECK_H
