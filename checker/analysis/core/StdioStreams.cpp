//===--- StdioStreams.cpp - how stdio streams are opened ------------------===//
#include "analysis/core/StdioStreams.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace drain {

namespace {
const StreamOpener Openers[] = {{"fopen", 1},   {"fopen64", 1}, {"fdopen", 1},
                                {"popen", 1},   {"freopen", 1}, {"fmemopen", 2}};
} // namespace

llvm::ArrayRef<StreamOpener> streamOpeners() { return Openers; }

bool isStdioMode(llvm::StringRef M) {
  if (M.empty() || M.size() > 4 || (M[0] != 'r' && M[0] != 'w' && M[0] != 'a'))
    return false;
  for (char C : M.drop_front())
    if (!llvm::StringRef("+bemtcx").contains(C))
      return false;
  return true;
}

bool isReadOnlyModeLiteral(const Expr *Mode) {
  const auto *Lit = Mode ? dyn_cast<StringLiteral>(Mode->IgnoreParenImpCasts()) : nullptr;
  if (!Lit || Lit->getCharByteWidth() != 1)
    return false;
  llvm::StringRef M = Lit->getString();
  return !M.empty() && M[0] == 'r' && !M.contains('+');
}

bool fieldOpenedForReading(const FieldDecl *Field, const ASTContext &Ctx) {
  struct Finder : RecursiveASTVisitor<Finder> {
    const FieldDecl *Field;
    bool Found = false;
    explicit Finder(const FieldDecl *F) : Field(F) {}
    bool VisitBinaryOperator(BinaryOperator *BO) {
      if (BO->getOpcode() != BO_Assign)
        return true;
      const auto *ME = dyn_cast<MemberExpr>(BO->getLHS()->IgnoreParenImpCasts());
      if (!ME || ME->getMemberDecl() != Field)
        return true;
      const auto *Call = dyn_cast<CallExpr>(BO->getRHS()->IgnoreParenImpCasts());
      const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
      if (!Callee || !Callee->getIdentifier())
        return true;
      for (const StreamOpener &O : Openers)
        if (Callee->getName() == O.Name && O.ModeArg < Call->getNumArgs() &&
            isReadOnlyModeLiteral(Call->getArg(O.ModeArg)))
          Found = true;
      return !Found;
    }
  } F(Field);
  const SourceManager &SM = Ctx.getSourceManager();
  for (Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    if (F.Found)
      break;
    if (SM.isInMainFile(SM.getExpansionLoc(D->getLocation())))
      F.TraverseDecl(D);
  }
  return F.Found;
}

} // namespace drain
