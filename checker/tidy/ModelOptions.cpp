//===--- ModelOptions.cpp - the model options every drain check accepts ---===//
#include "ModelOptions.h"
#include "analysis/checks/PartialWrite.h"
#include "analysis/flow/ConnectionMethods.h"
#include "analysis/flow/RoleInference.h"
#include "analysis/flow/SummaryDatabase.h"
#include <string>
#include <vector>

using clang::tidy::ClangTidyCheck;
using clang::tidy::ClangTidyOptions;

namespace drain::tidy {

namespace {
/// The option keys and where each lands in ApiModelOptions: one table, so reading and storing
/// cannot drift apart.
struct OptionField {
  const char *Key;
  std::string ApiModelOptions::*Field;
};
const OptionField Fields[] = {
    {"WriteFunctions", &ApiModelOptions::WriteFunctions},
    {"ComposedWriteFunctions", &ApiModelOptions::ComposedWriteFunctions},
    {"FlushFunctions", &ApiModelOptions::FlushFunctions},
    {"ShutdownFunctions", &ApiModelOptions::ShutdownFunctions},
    {"CloseFunctions", &ApiModelOptions::CloseFunctions},
    {"EmptyTests", &ApiModelOptions::EmptyTests},
    {"AsyncWriteFunctions", &ApiModelOptions::AsyncWriteFunctions},
    {"MayDiscardFunctions", &ApiModelOptions::MayDiscardFunctions},
    {"PendingStates", &ApiModelOptions::PendingStates},
    {"ReadyStates", &ApiModelOptions::ReadyStates},
    {"ModelFile", &ApiModelOptions::ModelFile},
};
} // namespace

ModelOptions::ModelOptions(const ClangTidyCheck &Check,
                           const ClangTidyCheck::OptionsView &Options) {
  // The global key (e.g. a bare `ModelFile` in CheckOptions) lets one line configure every
  // drain check; a check-local key wins over it.
  for (const OptionField &F : Fields)
    Values.*F.Field = std::string(Options.getLocalOrGlobal(F.Key, ""));
  InferRoles = Options.getLocalOrGlobal("InferRoles", true);
  // The store's keys are global only: one store serves every check.
  Store = std::string(Options.getLocalOrGlobal("drain.SummaryStore", ""));
  StoreMode = std::string(Options.getLocalOrGlobal("drain.SummaryStoreMode", "read"));
  EmitModel = std::string(Options.getLocalOrGlobal("drain.EmitModel", ""));
  std::vector<std::string> Errors;
  Model = std::make_unique<ApiModel>(Values, Errors);
  for (const std::string &E : Errors)
    Check.configurationDiag("%0", clang::DiagnosticIDs::Error) << E;
  if (InferRoles) {
    Model->addRoleSource(std::make_shared<RoleInference>());
    // After the bodies: a connection class's methods drain can see only declared.
    Model->addRoleSource(std::make_shared<ConnectionMethods>());
  }
  if (!Store.empty()) {
    if (StoreMode != "read" && StoreMode != "write")
      Check.configurationDiag("drain.SummaryStoreMode is '%0'; expected read or write",
                              clang::DiagnosticIDs::Error)
          << StoreMode;
    // The check outlives every lookup of its translation unit, so the callback may hold it.
    const ClangTidyCheck *C = &Check;
    auto Db = std::make_shared<SummaryDatabase>(
        Store,
        StoreMode == "write" ? SummaryDatabase::Mode::Write : SummaryDatabase::Mode::Read,
        [C](const std::string &Msg) {
          C->configurationDiag("%0", clang::DiagnosticIDs::Warning) << Msg;
        });
    Db->setEmitModel(EmitModel);
    // The callers of a function that returns a logged short count may be in other files: a
    // write pass records how each call uses its result, as drain-partial-write reads a call.
    Db->setCallerUse(&resultUseOf);
    Model->addRoleSource(std::move(Db));
  }
}

void ModelOptions::store(ClangTidyOptions::OptionMap &Opts,
                         ClangTidyCheck::OptionsView &Options) const {
  for (const OptionField &F : Fields)
    Options.store(Opts, F.Key, Values.*F.Field);
  Options.store(Opts, "InferRoles", InferRoles);
}

} // namespace drain::tidy
