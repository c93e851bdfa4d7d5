//===--- Channels.cpp - which object an I/O operation acts on -------------===//
#include "analysis/flow/Channels.h"
#include "analysis/core/Identifiers.h"
#include "analysis/core/ApiModel.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include <cctype>

using namespace clang;

namespace drain {

namespace {
void splitWords(llvm::StringRef List, llvm::StringSet<> &Out) {
  llvm::SmallVector<llvm::StringRef, 16> Parts;
  List.split(Parts, ';', -1, false);
  for (llvm::StringRef P : Parts)
    if (!P.trim().empty())
      Out.insert(P.trim().lower());
}

/// A class with size() or empty(): std::string, std::vector, std::deque, a ring buffer.
bool isContainerLike(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD)
    return false;
  if (const auto *Def = RD->getDefinition())
    RD = Def;
  else
    return false;
  for (const auto *D : RD->decls()) {
    const NamedDecl *ND = llvm::dyn_cast<NamedDecl>(D);
    if (!ND || !ND->getDeclName().isIdentifier())
      continue;
    if (ND->getName() == "size" || ND->getName() == "empty")
      return true;
  }
  for (const auto &B : RD->bases())
    if (isContainerLike(B.getType()))
      return true;
  return false;
}

/// `int fd() const { return fd_; }`: the field a trivial accessor returns, or null.
const FieldDecl *accessedField(const CXXMethodDecl *MD) {
  if (!MD || MD->isStatic() || MD->getNumParams() != 0)
    return nullptr;
  const FunctionDecl *Def = nullptr;
  if (!MD->hasBody(Def) || !Def)
    return nullptr;
  const auto *Body = llvm::dyn_cast_or_null<CompoundStmt>(Def->getBody());
  if (!Body || Body->size() != 1)
    return nullptr;
  const auto *Ret = llvm::dyn_cast<ReturnStmt>(Body->body_front());
  if (!Ret || !Ret->getRetValue())
    return nullptr;
  const auto *ME = llvm::dyn_cast<MemberExpr>(Ret->getRetValue()->IgnoreParenImpCasts());
  if (!ME || !llvm::isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
    return nullptr;
  return llvm::dyn_cast<FieldDecl>(ME->getMemberDecl());
}

const CXXRecordDecl *recordOfType(QualType T) {
  T = T.getNonReferenceType();
  if (T->isPointerType())
    T = T->getPointeeType();
  const auto *RD = T->getAsCXXRecordDecl();
  if (RD && RD->getDefinition())
    return RD->getDefinition();
  return RD;
}
} // namespace

ChannelResolver::ChannelResolver(const ChannelOptions &Opts) {
  splitWords(Opts.BufferWords, BufferWords);
  splitWords(Opts.InputBufferWords, InputWords);
  splitWords(Opts.SocketWords, SocketWords);
}

llvm::SmallVector<std::string, 4> ChannelResolver::nameWords(llvm::StringRef Name) {
  // Hungarian m_ / s_ prefixes are not words of a member's name.
  return identifierWords(Name, {"m", "s"});
}

bool ChannelResolver::nameHasWord(llvm::StringRef Name, const llvm::StringSet<> &Words) const {
  for (const std::string &W : nameWords(Name))
    if (Words.count(W))
      return true;
  return false;
}

bool ChannelResolver::isBufferMember(const FieldDecl *F) const {
  if (!F)
    return false;
  if (ApiModel::hasAnnotation(F, "drain::write_buffer"))
    return true;
  return F->getIdentifier() && isContainerLike(F->getType()) &&
         nameHasWord(F->getName(), BufferWords) && !nameHasWord(F->getName(), InputWords);
}

bool ChannelResolver::hasBufferName(const FieldDecl *F) const {
  if (!F || !F->getIdentifier())
    return false;
  if (ApiModel::hasAnnotation(F, "drain::write_buffer"))
    return true;
  return nameHasWord(F->getName(), BufferWords) && !nameHasWord(F->getName(), InputWords);
}

bool ChannelResolver::isBufferSizeMember(const FieldDecl *F) const {
  static const llvm::StringSet<> SizeWords = {"size", "len", "length", "count", "bytes", "used"};
  return F && F->getType()->isIntegerType() && !F->getType()->isBooleanType() &&
         hasBufferName(F) && nameHasWord(F->getName(), SizeWords);
}

bool ChannelResolver::isSocketMember(const FieldDecl *F) const {
  if (!F)
    return false;
  if (ApiModel::hasAnnotation(F, "drain::socket"))
    return true;
  if (!F->getIdentifier())
    return false;
  QualType T = F->getType().getNonReferenceType();
  if (!(T->isIntegerType() || T->isPointerType() || T->isRecordType()))
    return false;
  if (T->isBooleanType() || isContainerLike(T))
    return false;
  return nameHasWord(F->getName(), SocketWords);
}

const FieldDecl *ChannelResolver::bufferMember(const CXXRecordDecl *RD) const {
  if (!RD || !RD->hasDefinition())
    return nullptr;
  RD = RD->getDefinition();
  for (const FieldDecl *F : RD->fields())
    if (isBufferMember(F))
      return F;
  for (const auto &B : RD->bases())
    if (const FieldDecl *F = bufferMember(recordOfType(B.getType())))
      return F;
  return nullptr;
}

bool ChannelResolver::isConnectionClass(const CXXRecordDecl *RD) const {
  if (!RD || !RD->hasDefinition())
    return false;
  RD = RD->getDefinition();
  auto It = ConnectionCache.find(RD);
  if (It != ConnectionCache.end())
    return It->second;
  ConnectionCache[RD] = false; // a base that names its derived class must not recurse
  bool HasBuffer = false, HasSocket = false;
  llvm::SmallVector<const CXXRecordDecl *, 4> Work{RD};
  for (unsigned Steps = 0; !Work.empty() && Steps < 16; ++Steps) {
    const CXXRecordDecl *C = Work.pop_back_val();
    for (const FieldDecl *F : C->fields()) {
      HasBuffer |= isBufferMember(F);
      HasSocket |= isSocketMember(F);
    }
    for (const auto &B : C->bases())
      if (const CXXRecordDecl *BR = recordOfType(B.getType()))
        if (BR->hasDefinition())
          Work.push_back(BR->getDefinition());
  }
  bool Result = HasBuffer && HasSocket;
  ConnectionCache[RD] = Result;
  return Result;
}

void ChannelResolver::appendField(ChannelKey &K, const FieldDecl *F) const {
  const auto *Parent = llvm::dyn_cast<CXXRecordDecl>(F->getParent());
  if (Parent && (isBufferMember(F) || isSocketMember(F))) {
    // The member may be declared in a base of the object's class; asking about the declaring
    // class is enough, since a connection class's bases contribute their members.
    if (isConnectionClass(Parent))
      return;
  }
  K.Fields.push_back(F);
}

std::optional<ChannelKey> ChannelResolver::keyOf(const Expr *E) const {
  for (unsigned Steps = 0; E && Steps < 16; ++Steps) {
    E = E->IgnoreParenCasts();
    if (const auto *UO = llvm::dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() == UO_Deref || UO->getOpcode() == UO_AddrOf) {
        E = UO->getSubExpr();
        continue;
      }
      return std::nullopt;
    }
    if (const auto *MT = llvm::dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = MT->getSubExpr();
      continue;
    }
    if (const auto *EWC = llvm::dyn_cast<ExprWithCleanups>(E)) {
      E = EWC->getSubExpr();
      continue;
    }
    if (llvm::isa<CXXThisExpr>(E))
      return ChannelKey::thisObject();
    if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(E)) {
      const auto *VD = llvm::dyn_cast<VarDecl>(DRE->getDecl());
      if (!VD)
        return std::nullopt;
      ChannelKey K;
      K.Root = VD;
      return K;
    }
    if (const auto *ME = llvm::dyn_cast<MemberExpr>(E)) {
      const auto *F = llvm::dyn_cast<FieldDecl>(ME->getMemberDecl());
      if (!F)
        return std::nullopt;
      auto Base = keyOf(ME->getBase());
      if (!Base || Base->Fields.size() >= 3)
        return std::nullopt;
      appendField(*Base, F);
      return Base;
    }
    if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(E)) {
      // A trivial accessor: conn->fd() is conn->fd_.
      const FieldDecl *F = accessedField(MC->getMethodDecl());
      if (!F)
        return std::nullopt;
      auto Base = keyOf(MC->getImplicitObjectArgument());
      if (!Base || Base->Fields.size() >= 3)
        return std::nullopt;
      appendField(*Base, F);
      return Base;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

const CXXRecordDecl *ChannelResolver::classOf(const ChannelKey &K,
                                              const CXXRecordDecl *ThisClass) const {
  if (!K.Fields.empty())
    return recordOfType(K.Fields.back()->getType());
  if (!K.Root)
    return ThisClass;
  return recordOfType(K.Root->getType());
}

} // namespace drain
