//===--- Overrides.h - the overrides of a virtual method in one unit -*- C++ -*-===//
//
// A call through a virtual method runs whichever override the object has. Two parts of drain
// ask which overrides a translation unit defines: role inference (a method without a body gets
// the role every override agrees on) and drain-discarded-io-result (an answer some override
// gives from a write that may fail must be looked at). This is the one index both use.
//
// It is cheap in the editor too. clangd reads the headers from a preamble, an AST file whose
// declarations are deserialized when listed; walking every declaration of every header once
// cost a third of a file's parse. The index reads only namespaces and classes from it, keeps
// the polymorphic classes, and looks an override up by name in the classes derived from the
// method's class. drain-tidy and drain-clangd see the same classes.
//
//===----------------------------------------------------------------------===//
#ifndef DRAIN_ANALYSIS_CORE_OVERRIDES_H
#define DRAIN_ANALYSIS_CORE_OVERRIDES_H

#include "llvm/ADT/ArrayRef.h"
#include <map>
#include <vector>

namespace clang {
class CXXMethodDecl;
class CXXRecordDecl;
} // namespace clang

namespace drain {

/// The overrides of virtual methods among the classes of one translation unit, outside
/// system headers (their methods are the library's, not overrides the project wrote).
class OverrideIndex {
public:
  /// Every method of the unit that overrides \p MD, directly or through another override,
  /// declared or defined (at most 32); empty for a method that is not virtual. The classes
  /// are listed on the first question; the answer for each method is kept.
  llvm::ArrayRef<const clang::CXXMethodDecl *> overridersOf(const clang::CXXMethodDecl *MD);

private:
  bool Built = false;
  /// The polymorphic class definitions: nested ones, explicit specializations and the
  /// instantiations of polymorphic class templates included; dependent ones left out.
  std::vector<const clang::CXXRecordDecl *> Polymorphic;
  /// Base method (canonical) -> its overrides (a node-based map: answers stay valid).
  std::map<const clang::CXXMethodDecl *, std::vector<const clang::CXXMethodDecl *>> Answers;
};

} // namespace drain

#endif
