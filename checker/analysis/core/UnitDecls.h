//===--- UnitDecls.h - walking a translation unit without reading its preamble -*- C++ -*-===//
//
// Some facts are gathered over a whole translation unit: the overrides of a virtual method,
// the writes of the main file's functions, the values a member is given. In drain-tidy the
// unit is in memory. In clangd the headers come from a preamble, an AST file whose
// declarations are deserialized as they are listed, and listing the unit's declarations
// deserializes every function, variable and type of every header: once a third of a file's
// parse. These give the declarations such a walk needs, the same in both front doors, and
// read from the AST file only what they must.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CORE_UNITDECLS_H
#define DRAIN_ANALYSIS_CORE_UNITDECLS_H

#include "llvm/ADT/SmallVector.h"

namespace clang {
class ASTContext;
class Decl;
class DeclContext;
} // namespace clang

namespace drain {

/// The declarations directly in \p DC that the main file declares (or, for a declaration
/// expanded from a macro, whose expansion is in the main file). Nothing is read from an AST
/// file: no declaration of the main file comes from one.
llvm::SmallVector<clang::Decl *, 64> mainFileDecls(const clang::DeclContext *DC);

/// The same for the translation unit's top level.
llvm::SmallVector<clang::Decl *, 64> mainFileDecls(const clang::ASTContext &Ctx);

/// The namespaces, linkage blocks, classes and class templates directly in \p DC, wherever
/// they are declared; only declarations of those kinds are read from an AST file.
llvm::SmallVector<const clang::Decl *, 32> scopesAndClasses(const clang::DeclContext *DC);

} // namespace drain

#endif
