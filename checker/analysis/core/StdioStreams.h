//===--- StdioStreams.h - how stdio streams are opened ------------*- C++ -*-===//
//
// What the model's stream rows (StreamOpener, StreamNoOutput) say about a call, and the modes
// and fields of stdio streams, shared by drain-discarded-io-result (a close or flush of a
// stream opened for reading loses nothing) and role inference (a close wrapper whose stream
// this file also opens for reading serves read-only streams, so its callers may drop its
// result).
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CORE_STDIOSTREAMS_H
#define DRAIN_ANALYSIS_CORE_STDIOSTREAMS_H

#include "analysis/core/ApiModel.h"
#include "clang/AST/Type.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include <optional>

namespace clang {
class ASTContext;
class CallExpr;
class FunctionDecl;
class Expr;
class FieldDecl;
class ValueDecl;
} // namespace clang

namespace drain {

/// True if \p Call opens a stdio stream: a StreamOpener row of \p Model, or a project's
/// function (up to two deep) that returns such a call's stream untouched, or null (a fresh
/// stream, with an empty buffer): the model's inferred StreamOpener role.
bool isStreamOpenerCall(const clang::Expr *Call, const ApiModel &Model);

/// How many wrappers deep the project's function \p FD reaches a StreamOpener row when every
/// value it returns is a fresh stream or null (1: it returns an opener's call); nothing if it
/// does not, or only deeper than two. The inference behind ApiModel::roleOf(StreamOpener).
std::optional<unsigned> streamOpenerWrapperDepth(const clang::FunctionDecl *FD,
                                                 const ApiModel &Model);

/// True if \p Call has a StreamNoOutput row of \p Model about its argument \p Arg: it gives
/// the stream it is handed there no output (`fileno`, `setvbuf`, `ferror`, `fgets`, `fflush`).
bool givesStreamNoOutput(const clang::CallExpr *Call, unsigned Arg, const ApiModel &Model);

/// A string that reads as an fopen mode: "r", "wb", "a+", "re", "rb+", ...
bool isStdioMode(llvm::StringRef M);

/// A mode string literal that opens for reading only ("r", "rb", "re"; not "r+").
bool isReadOnlyModeLiteral(const clang::Expr *Mode);

/// A `FILE *` (the stdio typedef, through any sugar).
bool isFilePointer(clang::QualType T);

/// True if \p D is the standard output of the program: the C library's `stdout` (glibc's
/// name, or the BSDs' `__stdoutp` its macro expands to) or C++'s `std::cout`/`std::wcout`.
bool isStandardOutputDecl(const clang::ValueDecl *D);

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
bool fieldOpenedForReading(const clang::FieldDecl *Field, const clang::ASTContext &Ctx,
                           const ApiModel &Model);

} // namespace drain

#endif
