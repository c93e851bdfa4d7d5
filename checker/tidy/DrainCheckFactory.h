//===--- DrainCheckFactory.h - glue between Checks.def and a check -*- C++ -*-===//
#ifndef DRAIN_TIDY_DRAINCHECKFACTORY_H
#define DRAIN_TIDY_DRAINCHECKFACTORY_H

#include "Compat.h"
#include "clang-tidy/ClangTidyCheck.h"
#include <memory>

namespace drain::tidy {
using clang::tidy::ClangTidyCheck;
using clang::tidy::ClangTidyContext;
} // namespace drain::tidy

/// The registry only sees a factory function per check, so it never includes the checks'
/// headers and adding a check does not touch the module file.
#define DRAIN_CHECK_FACTORY_DECL(Class)                                        \
  std::unique_ptr<::clang::tidy::ClangTidyCheck> make##Class(                  \
      ::llvm::StringRef Name, ::clang::tidy::ClangTidyContext *Context)

/// Ends every XxxCheck.cpp, inside namespace drain::tidy.
#define DRAIN_CHECK_FACTORY(Class)                                             \
  DRAIN_CHECK_FACTORY_DECL(Class) {                                            \
    return std::make_unique<Class>(Name, Context);                             \
  }

#endif
