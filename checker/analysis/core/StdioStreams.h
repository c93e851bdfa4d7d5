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

#include "clang/AST/Type.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

namespace clang {
class ASTContext;
class CallExpr;
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

/// True if \p Call is one of streamOpeners(), or a project's function (up to two deep) that
/// returns such a call's stream untouched, or null (a fresh stream, with an empty buffer).
bool isStreamOpenerCall(const clang::Expr *Call);

/// A call that gives a stream no output: it reads from it, asks about it, sets its buffering,
/// moves in it or turns it into its descriptor (`fileno`, `setvbuf`, `ferror`, `fgets`), or
/// flushes it (which adds nothing). StreamArg is the index of the stream argument.
struct StreamQuery {
  const char *Name;
  unsigned StreamArg;
};
llvm::ArrayRef<StreamQuery> streamCallsWithoutOutput();

/// True if \p Call is one of streamCallsWithoutOutput() and its argument \p Arg is the stream.
bool givesStreamNoOutput(const clang::CallExpr *Call, unsigned Arg);

/// A string that reads as an fopen mode: "r", "wb", "a+", "re", "rb+", ...
bool isStdioMode(llvm::StringRef M);

/// A mode string literal that opens for reading only ("r", "rb", "re"; not "r+").
bool isReadOnlyModeLiteral(const clang::Expr *Mode);

/// A `FILE *` (the stdio typedef, through any sugar).
bool isFilePointer(clang::QualType T);

/// Every value the main file gives the field \p Field (assignments and constructor
/// initializers) into \p Values; true if the field's address is taken there (it may get
/// values nobody sees).
bool collectFieldValues(const clang::FieldDecl *Field, const clang::ASTContext &Ctx,
                        llvm::SmallVectorImpl<const clang::Expr *> &Values);

/// Every value a field of a stream type is given in the main file; false if its address is
/// taken or no value but NULL is seen (a field this file only resets gets its stream, and
/// its mode, in another file).
bool fieldValues(const clang::FieldDecl *Field, clang::ASTContext &Ctx,
                 llvm::SmallVectorImpl<const clang::Expr *> &Values);

/// True if the main file gives the stream field \p Field a stream opened for reading on some
/// path: an opener whose mode is a read-only literal, or a choice one of whose modes is
/// (`filep->access.fp = fopen(path, "r")`, `fp_(fopen(p, ro ? "r" : "w"))`).
bool fieldOpenedForReading(const clang::FieldDecl *Field, const clang::ASTContext &Ctx);

} // namespace drain

#endif
