//===--- Callees.cpp - what a call reaches --------------------------------===//
#include "analysis/core/Callees.h"
#include "analysis/core/ApiModel.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace drain {

const FunctionProtoType *pointeePrototype(const ValueDecl *D) {
  if (!D)
    return nullptr;
  QualType T = D->getType();
  if (T->isPointerType() || T->isReferenceType())
    T = T->getPointeeType();
  return T->getAs<FunctionProtoType>();
}

Callee calleeOf(const CallExpr *Call) {
  Callee C;
  if (!Call)
    return C;
  if ((C.Function = Call->getDirectCallee()))
    return C;
  if (isa<CXXMemberCallExpr>(Call) || isa<CXXOperatorCallExpr>(Call))
    return C; // pointer to member, a functor's operator(): not a plain function pointer
  // getCalleeDecl looks through parentheses, implicit casts and an explicit `*`:
  // `(a->client_writer)(...)`, `(*c->write)(...)`, `send_fn(...)`.
  const auto *D = dyn_cast_or_null<ValueDecl>(Call->getCalleeDecl());
  if (!D || isa<FunctionDecl>(D))
    return C;
  if (!isa<FieldDecl>(D) && !isa<VarDecl>(D))
    return C;
  C.Pointer = D;
  C.Proto = pointeePrototype(D);
  return C;
}

QualType Callee::returnType() const {
  if (Function)
    return Function->getReturnType();
  return Proto ? Proto->getReturnType() : QualType();
}

unsigned Callee::numParams() const {
  if (Function)
    return Function->getNumParams();
  return Proto ? Proto->getNumParams() : 0;
}

QualType Callee::paramType(unsigned I) const {
  if (Function)
    return Function->getParamDecl(I)->getType();
  return Proto->getParamType(I);
}

std::string Callee::name() const {
  const NamedDecl *D = Function ? static_cast<const NamedDecl *>(Function) : Pointer;
  if (!D)
    return "";
  return D->getDeclName().isIdentifier() ? D->getName().str() : D->getNameAsString();
}

unsigned Callee::argumentShift(const CallExpr *Call) const {
  return Function && isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(Function) ? 1 : 0;
}

bool isLoggingCall(const CallExpr *CE) {
  Callee C = calleeOf(CE);
  if (!C)
    return false;
  if (C.Function && (C.Function->hasAttr<FormatAttr>() || C.Function->isVariadic()))
    return true;
  if (C.Proto && C.Proto->isVariadic())
    return true;
  return StateVocabulary::namesLogging(C.name());
}

} // namespace drain
