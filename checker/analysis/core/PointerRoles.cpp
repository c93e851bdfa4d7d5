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

/// Words that say the pointer's buffer is filled by the callee or that the pointer is an
/// event handler around a write, whatever the rest of its name says.
const llvm::StringRef FilledBufferWords[] = {"into", "fill",    "get",      "produce", "generate",
                                             "on",   "cb",      "callback", "handler", "done",
                                             "complete", "completed", "ready"};

bool namesFilledBuffer(llvm::StringRef Name) {
  for (const std::string &W : identifierWords(Name, {}))
    if (llvm::is_contained(FilledBufferWords, W))
      return true;
  return false;
}

bool isPlainInteger(QualType T) {
  T = T.getCanonicalType();
  return T->isIntegerType() && !T->isBooleanType() && !T->isEnumeralType() &&
         !T->isAnyCharacterType();
}
} // namespace

int writeLengthParameter(const FunctionProtoType *Proto, bool WritableBuffer) {
  if (!Proto)
    return -1;
  for (unsigned I = 0; I + 1 < Proto->getNumParams(); ++I) {
    QualType P = Proto->getParamType(I);
    if (!P->isPointerType())
      continue;
    QualType Pointee = P->getPointeeType();
    // A read-only buffer: a read callback takes a writable one.
    if ((!WritableBuffer && !Pointee.isConstQualified()) || !isByteType(Pointee))
      continue;
    if (isPlainInteger(Proto->getParamType(I + 1)))
      return static_cast<int>(I + 1);
    // A writable `void *` first is the handle (`void *ctx, unsigned char *buf, int len`):
    // look further. A read-only one without its length is no write.
    if (!WritableBuffer)
      return -1;
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
  if (!M.namesPointerWrite(D->getName()))
    return std::nullopt;
  // The name says write and nothing in it says read (namesPointerWrite), so the buffer need
  // not be declared const: older C network layers take `unsigned char *` for both directions
  // (paho's `int (*mqttwrite)(Network *, unsigned char *, int, int)`). A name that says the
  // buffer is filled (`write_into`, an `on_write` event that produces the bytes) still needs
  // the const to be read as a write.
  int Length = writeLengthParameter(Proto);
  if (Length < 0 && !namesFilledBuffer(D->getName()))
    Length = writeLengthParameter(Proto, /*WritableBuffer=*/true);
  if (Length < 0)
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
