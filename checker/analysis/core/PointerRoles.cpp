//===--- PointerRoles.cpp - writes behind function pointers ---------------===//
#include "analysis/core/PointerRoles.h"
#include "analysis/core/Callees.h"
#include "analysis/core/Identifiers.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Type.h"

using namespace clang;

namespace drain {

namespace {
/// Bytes as a write takes them: void, char and their signed/unsigned kin (uint8_t, gchar).
bool isByteType(QualType T) {
  T = T.getCanonicalType();
  if (T->isVoidType())
    return true;
  if (const auto *BT = T->getAs<BuiltinType>())
    return BT->isCharType() || BT->getKind() == BuiltinType::UChar ||
           BT->getKind() == BuiltinType::SChar;
  return false;
}

bool isPlainInteger(QualType T) {
  T = T.getCanonicalType();
  return T->isIntegerType() && !T->isBooleanType() && !T->isEnumeralType() &&
         !T->isAnyCharacterType();
}
} // namespace

int writeLengthParameter(const FunctionProtoType *Proto) {
  if (!Proto)
    return -1;
  for (unsigned I = 0; I + 1 < Proto->getNumParams(); ++I) {
    QualType P = Proto->getParamType(I);
    if (!P->isPointerType())
      continue;
    QualType Pointee = P->getPointeeType();
    // A read-only buffer: a read callback takes a writable one.
    if (!Pointee.isConstQualified() || !isByteType(Pointee))
      continue;
    return isPlainInteger(Proto->getParamType(I + 1)) ? static_cast<int>(I + 1) : -1;
  }
  return -1;
}

std::optional<ApiEntry> guessPointerWrite(const ValueDecl *D, const ApiModel &M,
                                          std::string &Why) {
  if (!D || !D->getDeclName().isIdentifier())
    return std::nullopt;
  const FunctionProtoType *Proto = pointeePrototype(D);
  if (!Proto)
    return std::nullopt;
  // A count: negative on error, short when the peer is slow. bool, enums and unsigned
  // results are statuses or can carry no error.
  QualType Ret = Proto->getReturnType().getCanonicalType();
  if (!isPlainInteger(Ret) || !Ret->isSignedIntegerType())
    return std::nullopt;
  int Length = writeLengthParameter(Proto);
  if (Length < 0)
    return std::nullopt;
  if (!M.namesPointerWrite(D->getName()))
    return std::nullopt;
  ApiEntry E;
  E.Name = ApiModel::qualifiedName(D);
  E.Kind = OpKind::Write;
  E.Result = ResultKind::ByteCount;
  // The buffer first (`write(buf, len)`) leaves no handle; otherwise the first argument is.
  E.Channel = Length == 1 ? ChannelNone : 0;
  E.Length = Length;
  E.Flags = AF_MayDiscard;
  E.Family = "pointer";
  E.Origin = RowOrigin::Inferred;
  Why = "a function pointer named like a write, with a write's signature";
  return E;
}

} // namespace drain
