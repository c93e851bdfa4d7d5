#include "analysis/core/Overrides.h"
#include "analysis/core/UnitDecls.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallVector.h"

using namespace clang;

namespace drain {
namespace {

void addIfPolymorphic(const CXXRecordDecl *RD, std::vector<const CXXRecordDecl *> &Out) {
  if (RD->isThisDeclarationADefinition() && !RD->isDependentContext() && RD->isDynamicClass())
    Out.push_back(RD);
}

void collectPolymorphic(const DeclContext *DC, const SourceManager &SM,
                        std::vector<const CXXRecordDecl *> &Out, unsigned Depth = 0) {
  if (Depth > 16)
    return;
  for (const Decl *D : scopesAndClasses(DC)) {
    SourceLocation Loc = SM.getExpansionLoc(D->getLocation());
    if (Loc.isInvalid() || SM.isInSystemHeader(Loc))
      continue;
    if (const auto *CT = dyn_cast<ClassTemplateDecl>(D)) {
      // Instantiations are not declared in any scope; a template that declares no virtual
      // method is not asked for them (asking loads them).
      // A mixin (`template <class B> struct Logged : B`) may override its base's methods.
      const CXXRecordDecl *Pattern = CT->getTemplatedDecl();
      if (Pattern->hasDefinition() &&
          (Pattern->getDefinition()->isDynamicClass() ||
           llvm::any_of(Pattern->getDefinition()->bases(),
                        [](const CXXBaseSpecifier &B) { return B.getType()->isDependentType(); })))
        for (const ClassTemplateSpecializationDecl *Spec : CT->specializations())
          addIfPolymorphic(Spec, Out);
      continue;
    }
    const auto *RD = dyn_cast<CXXRecordDecl>(D);
    if (RD && !RD->isThisDeclarationADefinition())
      continue;
    if (RD)
      addIfPolymorphic(RD, Out);
    collectPolymorphic(cast<DeclContext>(D), SM, Out, Depth + 1);
  }
}

/// Whether \p O overrides \p Base (canonical), directly or through intermediate overrides.
bool overridesTransitively(const CXXMethodDecl *O, const CXXMethodDecl *Base,
                           unsigned Depth = 0) {
  if (Depth > 8)
    return false;
  for (const CXXMethodDecl *B : O->overridden_methods())
    if (B->getCanonicalDecl() == Base || overridesTransitively(B, Base, Depth + 1))
      return true;
  return false;
}

} // namespace

llvm::ArrayRef<const CXXMethodDecl *> OverrideIndex::overridersOf(const CXXMethodDecl *MD) {
  if (!MD || !MD->isVirtual())
    return {};
  if (!Built) {
    Built = true;
    const ASTContext &C = MD->getASTContext();
    collectPolymorphic(C.getTranslationUnitDecl(), C.getSourceManager(), Polymorphic);
  }
  const CXXMethodDecl *Base = MD->getCanonicalDecl();
  auto [It, Inserted] = Answers.try_emplace(Base);
  if (!Inserted)
    return It->second;
  std::vector<const CXXMethodDecl *> &Found = It->second;
  const CXXRecordDecl *Parent = MD->getParent();
  // Only a class derived from the method's class can override it, and an override has the
  // method's name (a destructor aside, which no role is asked of): a lookup, not a walk of
  // every member.
  for (const CXXRecordDecl *RD : Polymorphic) {
    if (RD == Parent || !RD->isDerivedFrom(Parent))
      continue;
    for (const NamedDecl *ND : RD->lookup(MD->getDeclName()))
      if (const auto *O = dyn_cast<CXXMethodDecl>(ND))
        if (O->isVirtual() && overridesTransitively(O, Base) && Found.size() < 32)
          Found.push_back(O);
  }
  return Found;
}

} // namespace drain
