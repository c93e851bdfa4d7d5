#include "analysis/core/UnitDecls.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclBase.h"
#include "clang/AST/ExternalASTSource.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace drain {

llvm::SmallVector<Decl *, 64> mainFileDecls(const DeclContext *DC) {
  const SourceManager &SM = DC->getParentASTContext().getSourceManager();
  llvm::SmallVector<Decl *, 64> Out;
  // With an AST file behind it, the chain holds what this file's own parse added (and what
  // was already read); the main file's declarations are among the former.
  auto Range = DC->hasExternalLexicalStorage() ? DC->noload_decls() : DC->decls();
  for (Decl *D : Range)
    if (SM.isInMainFile(SM.getExpansionLoc(D->getLocation())))
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
