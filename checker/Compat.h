//===--- Compat.h - every LLVM version switch drain needs -------*- C++ -*-===//
//
// drain builds against LLVM/Clang 14, 19 and 22. Every difference between them lives here, so
// the rest of the code is written once. The analysis library includes only the first part; the
// clang-tidy glue defines DRAIN_TIDY_GLUE (through its CMake target) to get the second.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_COMPAT_H
#define DRAIN_COMPAT_H

#include "clang/AST/Expr.h"
#include "clang/Basic/Version.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Config/llvm-config.h"
#include <optional>

#ifndef CLANG_VERSION_MAJOR
#error "clang/Basic/Version.h did not define CLANG_VERSION_MAJOR"
#endif

namespace drain::compat {

/// StringRef::startswith became starts_with in 16 and the old spelling is gone in 19.
inline bool startsWith(llvm::StringRef S, llvm::StringRef Prefix) {
  return S.size() >= Prefix.size() && S.substr(0, Prefix.size()) == Prefix;
}
inline bool endsWith(llvm::StringRef S, llvm::StringRef Suffix) {
  return S.size() >= Suffix.size() && S.substr(S.size() - Suffix.size()) == Suffix;
}

/// llvm::Optional (14) and std::optional (19, 22) alike: the value, or \p Default without one.
/// llvm::Optional has no value_or in 14.
template <class Opt, class T> T valueOr(const Opt &O, T Default) {
  return O ? static_cast<T>(*O) : Default;
}

/// Expr::getIntegerConstantExpr returns llvm::Optional in 14 and std::optional from 16.
inline std::optional<llvm::APSInt> integerConstant(const clang::Expr *E,
                                                   const clang::ASTContext &Ctx) {
  if (auto V = E->getIntegerConstantExpr(Ctx))
    return *V;
  return std::nullopt;
}

} // namespace drain::compat

#ifdef DRAIN_TIDY_GLUE
// ClangTidyModuleRegistry.h is deprecated in 22 (its content moved into ClangTidyModule.h) and
// including it warns.
#if CLANG_VERSION_MAJOR >= 22
#include "clang-tidy/ClangTidyModule.h"
#else
#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyModuleRegistry.h"
#endif

namespace drain::compat {
/// clang-tidy 14 has ClangTidyCheck::OptionsView::get<T> returning llvm::Optional for the
/// no-default overload; every option drain reads has a default, which is stable from 14 to 22.
} // namespace drain::compat
#endif // DRAIN_TIDY_GLUE

#endif // DRAIN_COMPAT_H
