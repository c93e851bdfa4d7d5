//===--- OverlappingAsyncWriteCheck.h - drain-overlapping-async-write -*- C++ -*-===//
#ifndef DRAIN_TIDY_OVERLAPPINGASYNCWRITECHECK_H
#define DRAIN_TIDY_OVERLAPPINGASYNCWRITECHECK_H

#include "DrainCheck.h"
#include "analysis/checks/OverlappingAsyncWrite.h"
#include <memory>

namespace drain::tidy {

/// Finds a second asynchronous write started on a stream while another may still be in flight,
/// so the bytes of two messages interleave.
///
/// Across the methods of a class: a write on a member stream that code outside the class can
/// start again (a public send(), a task posted to a strand) without testing a member that the
/// write's completion handler changes. See docs/checks/overlapping-async-write.md.
class OverlappingAsyncWriteCheck : public DrainCheck {
public:
  OverlappingAsyncWriteCheck(llvm::StringRef Name, ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;

private:
  void storeCheckOptions(ClangTidyOptions::OptionMap &Opts) override;
  void resetTranslationUnit() override;

  OverlapOptions Opts;
  std::string StartWords;
  std::unique_ptr<OverlapAnalysis> Analysis;
};

} // namespace drain::tidy

#endif // DRAIN_TIDY_OVERLAPPINGASYNCWRITECHECK_H
