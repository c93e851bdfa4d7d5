//===--- StdioStreams.h - how stdio streams are opened ------------*- C++ -*-===//
//
// One table of the calls that open a stdio stream and where their mode is, shared by
// drain-discarded-io-result (a close or flush of a stream opened for reading loses nothing)
// and role inference (a close wrapper whose stream this file also opens for reading serves
// read-only streams, so its callers may drop its result).
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CORE_STDIOSTREAMS_H
#define DRAIN_ANALYSIS_CORE_STDIOSTREAMS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace clang {
class ASTContext;
class Expr;
class FieldDecl;
} // namespace clang

namespace drain {

/// A function that opens a stdio stream, with the index of its mode argument.
struct StreamOpener {
  const char *Name;
  unsigned ModeArg;
};
llvm::ArrayRef<StreamOpener> streamOpeners();

/// A string that reads as an fopen mode: "r", "wb", "a+", "re", "rb+", ...
bool isStdioMode(llvm::StringRef M);

/// A mode string literal that opens for reading only ("r", "rb", "re"; not "r+").
bool isReadOnlyModeLiteral(const clang::Expr *Mode);

/// True if a file of \p Ctx (the main file) assigns the stream field \p Field from an opener
/// given a read-only mode literal (`filep->access.fp = fopen(path, "r")`).
bool fieldOpenedForReading(const clang::FieldDecl *Field, const clang::ASTContext &Ctx);

} // namespace drain

#endif
