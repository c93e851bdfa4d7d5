//===--- DrainTidyModule.cpp - the drain clang-tidy module ----------------===//
//
// The one module behind every front door: the --load plugin, drain-tidy and drain-clangd all
// link this file and register the checks listed in Checks.def.
//
//===----------------------------------------------------------------------===//
#include "Compat.h"
#include "CloseDuringAsyncWriteCheck.h"
#include "DiscardedAwaitableCheck.h"
#include "DiscardedIoResultCheck.h"
#include "IgnoredCompletionErrorCheck.h"
#include "PartialWriteCheck.h"
#include "ShutdownBeforeFlushCheck.h"
#include "OverlappingAsyncWriteCheck.h"

namespace drain::tidy {

namespace {
class DrainModule : public clang::tidy::ClangTidyModule {
public:
  void addCheckFactories(clang::tidy::ClangTidyCheckFactories &Factories) override {
#define DRAIN_CHECK(Stem, Class) Factories.registerCheck<Class>("drain-" Stem);
#include "Checks.def"
  }
};
} // namespace

/// Referenced by the executables so that a static link keeps this object.
volatile int DrainModuleAnchorSource = 0;
} // namespace drain::tidy

static clang::tidy::ClangTidyModuleRegistry::Add<drain::tidy::DrainModule>
    X("drain-module", "Checks for writes that never finished (drain).");
