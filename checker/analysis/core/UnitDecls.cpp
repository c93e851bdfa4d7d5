#include "analysis/core/UnitDecls.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclBase.h"
#include "clang/AST/ExternalASTSource.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace drain {

namespace {
/// Whether a declaration's expansion lies in the main file. Every file entered gets its own
/// stretch of the source space, so for the main file this compares offsets, where
/// SourceManager::isInMainFile looks each location's file up: a search per declaration of
/// every header, most of a walk over a unit's top level. A main file with line markers
/// (`# 1 "x.h" 1` in preprocessed input) is left to the source manager, which reads them.
class MainFileStretch {
public:
  explicit MainFileStretch(const SourceManager &SM) : SM(SM) {
    FileID Main = SM.getMainFileID();
    bool Invalid = false;
    const SrcMgr::SLocEntry &E = SM.getSLocEntry(Main, &Invalid);
    ByOffset = !Invalid && E.isFile() && !E.getFile().hasLineDirectives();
    if (ByOffset) {
      Begin = SM.getLocForStartOfFile(Main);
      End = SM.getLocForEndOfFile(Main);
    }
  }
  bool contains(SourceLocation Loc) const {
    Loc = SM.getExpansionLoc(Loc);
    if (!ByOffset)
      return SM.isInMainFile(Loc);
    return Loc.isValid() && !(Loc < Begin) && !(End < Loc);
  }

private:
  const SourceManager &SM;
  bool ByOffset = false;
  SourceLocation Begin, End;
};
} // namespace

llvm::SmallVector<Decl *, 64> mainFileDecls(const DeclContext *DC) {
  MainFileStretch Main(DC->getParentASTContext().getSourceManager());
  llvm::SmallVector<Decl *, 64> Out;
  // With an AST file behind it, the chain holds what this file's own parse added (and what
  // was already read); the main file's declarations are among the former.
  auto Range = DC->hasExternalLexicalStorage() ? DC->noload_decls() : DC->decls();
  for (Decl *D : Range)
    if (Main.contains(D->getLocation()))
      Out.push_back(D);
  return Out;
}

llvm::SmallVector<Decl *, 64> mainFileDecls(const ASTContext &Ctx) {
  return mainFileDecls(Ctx.getTranslationUnitDecl());
}

namespace {
bool isScopeOrClass(Decl::Kind K) {
  return K == Decl::Namespace || K == Decl::LinkageSpec || K == Decl::CXXRecord ||
         K == Decl::ClassTemplateSpecialization || K == Decl::ClassTemplate;
}
} // namespace

llvm::SmallVector<const Decl *, 32> scopesAndClasses(const DeclContext *DC) {
  llvm::SmallVector<const Decl *, 32> Out;
  ExternalASTSource *Source = DC->getParentASTContext().getExternalSource();
  if (!Source || !DC->hasExternalLexicalStorage()) {
    for (const Decl *D : DC->decls())
      if (isScopeOrClass(D->getKind()))
        Out.push_back(D);
    return Out;
  }
  llvm::SmallVector<Decl *, 32> External;
  Source->FindExternalLexicalDecls(DC, isScopeOrClass, External);
  llvm::SmallPtrSet<const Decl *, 32> Seen;
  for (const Decl *D : External)
    if (Seen.insert(D).second)
      Out.push_back(D);
  for (const Decl *D : DC->noload_decls()) // what this file's own parse added
    if (isScopeOrClass(D->getKind()) && Seen.insert(D).second)
      Out.push_back(D);
  return Out;
}

} // namespace drain
