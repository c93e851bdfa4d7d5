//===--- ModelOptions.h - the model options every drain check accepts -*- C++ -*-===//
//
// Every drain check takes the same options describing the project's own I/O API (semicolon
// lists such as FlushFunctions, and a YAML ModelFile), so that one .clang-tidy entry teaches
// all of them. This glue reads them once in the check's constructor (check-local key first,
// then the global key, as clang-tidy's getLocalOrGlobal does), writes them back for
// --dump-config, builds the check's ApiModel and reports a bad model file as a configuration
// error rather than silently running with the built-in rows.
//
// It also gives the model its role sources: roles inferred from the bodies in this
// translation unit (InferRoles, default true), and the cross-file summary store named by the
// global options drain.SummaryStore (an SQLite file) and drain.SummaryStoreMode (read, the
// default, or write); drain.EmitModel names a model file to write the store's roles to.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_TIDY_MODELOPTIONS_H
#define DRAIN_TIDY_MODELOPTIONS_H

#include "Compat.h"
#include "analysis/core/ApiModel.h"
#include "clang-tidy/ClangTidyCheck.h"
#include <memory>

namespace drain::tidy {

class ModelOptions {
public:
  /// Reads the options through \p Options and builds the model; errors go to
  /// \p Check.configurationDiag as errors, so clang-tidy exits non-zero.
  ModelOptions(const clang::tidy::ClangTidyCheck &Check,
               const clang::tidy::ClangTidyCheck::OptionsView &Options);

  /// Writes every model option back (storeOptions of the owning check calls this).
  void store(clang::tidy::ClangTidyOptions::OptionMap &Opts,
             clang::tidy::ClangTidyCheck::OptionsView &Options) const;

  const ApiModel &model() const { return *Model; }
  const ApiModelOptions &values() const { return Values; }

private:
  ApiModelOptions Values;
  bool InferRoles = true;
  std::string Store, StoreMode, EmitModel;
  std::unique_ptr<ApiModel> Model;
};

} // namespace drain::tidy

#endif // DRAIN_TIDY_MODELOPTIONS_H
