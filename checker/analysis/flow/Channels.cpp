//===--- Channels.cpp - which object an I/O operation acts on -------------===//
#include "analysis/flow/Channels.h"
#include "analysis/core/Expressions.h"
#include "analysis/core/Identifiers.h"
#include "analysis/core/ApiModel.h"
#include "clang/AST/ASTContext.h"
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
bool isContainerLike(QualType T, unsigned Depth = 0) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || Depth > 8)
    return false;
  if (const auto *Def = RD->getDefinition())
    RD = Def;
  else
    return false;
  // A name lookup, not a walk of the members: in the editor the class comes from the
  // preamble, and listing its members would deserialize every one of them.
  IdentifierTable &Ids = RD->getASTContext().Idents;
  for (const char *Name : {"size", "empty"})
    if (!RD->lookup(DeclarationName(&Ids.get(Name))).empty())
      return true;
  for (const auto &B : RD->bases())
    if (isContainerLike(B.getType(), Depth + 1))
      return true;
  return false;
}

const CXXRecordDecl *definitionOf(const CXXRecordDecl *RD) {
  return RD && RD->getDefinition() ? RD->getDefinition() : RD;
}

/// The class a smart pointer points to: what its `operator->` returns a pointer to
/// (std::unique_ptr, std::shared_ptr, a project's own intrusive pointer), or null.
const CXXRecordDecl *pointeeOfSmartPointer(const CXXRecordDecl *RD) {
  if (!RD || !RD->hasDefinition())
    return nullptr;
  // A lookup of operator->, not a walk of the members (see isContainerLike).
  const CXXRecordDecl *Def = RD->getDefinition();
  DeclarationName Arrow = Def->getASTContext().DeclarationNames.getCXXOperatorName(OO_Arrow);
  for (const NamedDecl *ND : Def->lookup(Arrow))
    if (const auto *M = dyn_cast<CXXMethodDecl>(ND->getUnderlyingDecl()))
      if (M->getReturnType()->isPointerType())
        if (const CXXRecordDecl *P = M->getReturnType()->getPointeeType()->getAsCXXRecordDecl())
          return definitionOf(P);
  return nullptr;
}

const CXXRecordDecl *recordOfType(QualType T) {
  T = T.getNonReferenceType();
  if (T->isPointerType())
    T = T->getPointeeType();
  const CXXRecordDecl *RD = definitionOf(T->getAsCXXRecordDecl());
  if (const CXXRecordDecl *P = pointeeOfSmartPointer(RD))
    return P;
  return RD;
}
} // namespace

ChannelResolver::ChannelResolver(const ChannelOptions &Opts) {
  splitWords(Opts.BufferWords, BufferWords);
  splitWords(Opts.InputBufferWords, InputWords);
  splitWords(Opts.SocketWords, SocketWords);
}

const CXXRecordDecl *ChannelResolver::heldClass(QualType T) { return recordOfType(T); }

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
  // The name first: the type test lists the members of the field's class, which in the
  // editor deserializes that class from the preamble.
  if (!(F->getIdentifier() && nameHasWord(F->getName(), BufferWords) &&
        !nameHasWord(F->getName(), InputWords) && isContainerLike(F->getType())))
    return false;
  // `buf_`, `m_sBuffer`: the name says nothing of a direction; what the class does with the
  // member does.
  // (Hungarian type prefixes, `m_sBuffer`, say nothing either.)
  static const llvm::StringSet<> Neutral = {"buf", "buffer", "queue", "m", "s", "str", "sz", "p"};
  for (const std::string &W : nameWords(F->getName()))
    if (!Neutral.count(W))
      return true;
  return handedToWrite(F);
}

void ChannelResolver::forEachWrite(const CXXRecordDecl *RD, bool Async,
                                   llvm::function_ref<bool(const CallExpr *)> Visit) const {
  auto IsWrite = [this, Async](const FunctionDecl *FD) {
    if (!FD)
      return false;
    if (!Async && FD->getIdentifier() && Model->namesAsyncOp(FD->getName()))
      return false;
    if (ApiOp Op = Model->lookup(FD))
      if (Op.kind() == OpKind::Write || Op.kind() == OpKind::ComposedWrite ||
          (Async && Op.kind() == OpKind::AsyncWrite))
        return true;
    return FD->getIdentifier() && Model->namesPointerWrite(FD->getName());
  };
  for (const CXXMethodDecl *MD : RD->methods()) {
    const FunctionDecl *Def = nullptr;
    if (!MD->hasBody(Def) || !Def || !Def->getBody())
      continue;
    llvm::SmallVector<const Stmt *, 32> Work{Def->getBody()};
    for (unsigned Steps = 0; !Work.empty() && Steps < 20000; ++Steps) {
      const Stmt *S = Work.pop_back_val();
      if (!S)
        continue;
      for (const Stmt *C : S->children())
        Work.push_back(C);
      if (const auto *CE = llvm::dyn_cast<CallExpr>(S))
        if (IsWrite(CE->getDirectCallee()) && !Visit(CE))
          return;
    }
  }
}

bool ChannelResolver::handedToWrite(const FieldDecl *F) const {
  const auto *RD = llvm::dyn_cast<CXXRecordDecl>(F->getParent());
  if (!Model || !RD)
    return true;
  auto It = HandedCache.find(F);
  if (It != HandedCache.end())
    return It->second;
  HandedCache[F] = false;
  auto Mentions = [F](const Expr *A) {
    return anyMember(A, [F](const FieldDecl *M) { return M == F; });
  };
  bool Handed = false;
  forEachWrite(RD, /*Async=*/true, [&](const CallExpr *CE) {
    Handed = Handed || llvm::any_of(CE->arguments(), Mentions);
    return !Handed;
  });
  HandedCache[F] = Handed;
  return Handed;
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

bool ChannelResolver::isBufferCount(const MemberExpr *ME) const {
  if (!ME)
    return false;
  if (isBufferSizeMember(llvm::dyn_cast<FieldDecl>(ME->getMemberDecl())))
    return true;
  const auto *Inner = llvm::dyn_cast<MemberExpr>(ME->getBase()->IgnoreParenImpCasts());
  return Inner && ME->getType()->isIntegerType() && !ME->getType()->isBooleanType() &&
         isCBufferMember(llvm::dyn_cast<FieldDecl>(Inner->getMemberDecl()));
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
  return nameHasWord(F->getName(), SocketWords) || drainedInto(F);
}

namespace {
/// The member \p E names, through casts, `*`, `->` of a smart pointer and a no-argument
/// accessor call on it (`io_`, `*stream_`, `conn_->`, `io_.fd()`); null if none.
const FieldDecl *memberNamed(const Expr *E) {
  for (unsigned Steps = 0; E && Steps < 8; ++Steps) {
    E = E->IgnoreParenImpCasts();
    if (const auto *ME = llvm::dyn_cast<MemberExpr>(E))
      return llvm::dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(E)) {
      if (MC->getNumArgs() != 0)
        return nullptr;
      E = MC->getImplicitObjectArgument();
      continue;
    }
    if (const auto *OC = llvm::dyn_cast<CXXOperatorCallExpr>(E)) {
      if (OC->getNumArgs() != 1)
        return nullptr;
      E = OC->getArg(0);
      continue;
    }
    if (const auto *UO = llvm::dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() != UO_Deref)
        return nullptr;
      E = UO->getSubExpr();
      continue;
    }
    return nullptr;
  }
  return nullptr;
}
} // namespace

bool ChannelResolver::namesBufferMember(const Expr *A) const {
  return anyMember(A, [this](const FieldDecl *F) { return hasBufferName(F); });
}

bool ChannelResolver::clearsOwnBuffer(const Stmt *S) const {
  const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(S);
  const CXXMethodDecl *MD = MC ? MC->getMethodDecl() : nullptr;
  if (!Model || !MD || !MD->getIdentifier() ||
      Model->bufferMethod(MD->getName()) != BufferEffect::Clear)
    return false;
  const auto *ME = llvm::dyn_cast<MemberExpr>(MC->getImplicitObjectArgument()->IgnoreParenImpCasts());
  return ME && llvm::isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()) &&
         isBufferMember(llvm::dyn_cast<FieldDecl>(ME->getMemberDecl()));
}

bool ChannelResolver::movesBufferInto(const CallExpr *CE, const FunctionDecl *FD) const {
  const auto *MD = llvm::dyn_cast_or_null<CXXMethodDecl>(FD);
  const FunctionDecl *Def = nullptr;
  if (!Model || !MD || MD->isStatic() || MD->hasBody(Def) || !MD->getIdentifier() ||
      !Model->namesPointerWrite(MD->getName()))
    return false;
  return llvm::any_of(CE->arguments(), [this](const Expr *A) { return namesBufferMember(A); });
}

bool ChannelResolver::drainedInto(const FieldDecl *F) const {
  const RecordDecl *RD = F->getParent();
  const auto *CRD = llvm::dyn_cast<CXXRecordDecl>(RD);
  if (!Model || !CRD)
    return false;
  auto Found = DrainTargets.find(RD);
  if (Found != DrainTargets.end())
    return Found->second.count(F);
  llvm::SmallPtrSet<const FieldDecl *, 2> &Targets = DrainTargets[RD];
  auto Own = [CRD](const FieldDecl *M) { return M && M->getParent() == CRD; };
  // Synchronous writes only: an asynchronous one owns the buffer until it completes, which
  // the asynchronous checks judge (close-during-async-write).
  forEachWrite(CRD, /*Async=*/false, [&](const CallExpr *CE) {
    if (!llvm::any_of(CE->arguments(), [this](const Expr *A) { return namesBufferMember(A); }))
      return true;
    if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(CE))
      if (const FieldDecl *Obj = memberNamed(MC->getImplicitObjectArgument()); Own(Obj))
        Targets.insert(Obj);
    for (const Expr *A : CE->arguments())
      if (const FieldDecl *Arg = memberNamed(A); Own(Arg) && !hasBufferName(Arg))
        Targets.insert(Arg);
    return true;
  });
  return Targets.count(F);
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

void ChannelResolver::ownedConnections(const CXXRecordDecl *RD,
                                       llvm::SmallVectorImpl<const FieldDecl *> &Out) const {
  RD = definitionOf(RD);
  if (!RD)
    return;
  bool Self = isConnectionClass(RD);
  llvm::SmallVector<const CXXRecordDecl *, 4> Work{RD};
  for (unsigned Steps = 0; !Work.empty() && Steps < 16; ++Steps) {
    const CXXRecordDecl *C = definitionOf(Work.pop_back_val());
    if (!C || !C->hasDefinition())
      continue;
    for (const FieldDecl *F : C->fields()) {
      if (Self && (isBufferMember(F) || isSocketMember(F)))
        continue; // the owner's own buffer or socket: the object itself is the channel
      const CXXRecordDecl *FC = recordOfType(F->getType());
      if (FC && FC != RD && isConnectionClass(FC))
        Out.push_back(F);
    }
    for (const auto &B : C->bases())
      if (const CXXRecordDecl *BR = B.getType()->getAsCXXRecordDecl())
        Work.push_back(BR);
  }
}

bool ChannelResolver::isCBufferMember(const FieldDecl *F) const {
  if (!F || !F->getIdentifier() || llvm::isa<CXXRecordDecl>(F->getParent()))
    return false;
  if (ApiModel::hasAnnotation(F, "drain::write_buffer"))
    return true;
  if (!hasBufferName(F))
    return false;
  static const llvm::StringSet<> Neutral = {"buf", "buffer", "queue", "data", "len", "size"};
  bool Directional = false;
  for (const std::string &W : nameWords(F->getName()))
    Directional |= !Neutral.count(W) && BufferWords.count(W);
  if (!Directional)
    return false;
  QualType T = F->getType();
  if (holdsBytes(T))
    return true;
  // `struct outq out;`, `struct outq *out;`: a struct of its own holding the bytes.
  if (T->isPointerType())
    T = T->getPointeeType();
  if (const RecordDecl *RD = T->getAsRecordDecl())
    if (const RecordDecl *Def = RD->getDefinition())
      for (const FieldDecl *G : Def->fields())
        if (holdsBytes(G->getType()))
          return true;
  return false;
}

bool ChannelResolver::isConnectionStruct(const RecordDecl *RD) const {
  if (!RD || llvm::isa<CXXRecordDecl>(RD) || !RD->getDefinition())
    return false;
  RD = RD->getDefinition();
  auto It = StructCache.find(RD);
  if (It != StructCache.end())
    return It->second;
  bool HasBuffer = false, HasSocket = false;
  for (const FieldDecl *F : RD->fields()) {
    HasBuffer |= isCBufferMember(F);
    HasSocket |= isSocketMember(F);
  }
  return StructCache[RD] = HasBuffer && HasSocket;
}

void ChannelResolver::appendField(ChannelKey &K, const FieldDecl *F) const {
  const auto *Parent = llvm::dyn_cast<CXXRecordDecl>(F->getParent());
  if (Parent && (isBufferMember(F) || isSocketMember(F))) {
    // The member may be declared in a base of the object's class; asking about the declaring
    // class is enough, since a connection class's bases contribute their members.
    if (isConnectionClass(Parent))
      return;
  }
  // A C struct with a socket and a write buffer: `c->fd` and `c->out` are `c`.
  if (!Parent && (isCBufferMember(F) || isSocketMember(F)) &&
      isConnectionStruct(F->getParent()))
    return;
  K.Fields.push_back(F);
}

std::optional<ChannelKey> ChannelResolver::keyOf(const Expr *E) const {
  bool Sealed = false;
  std::optional<ChannelKey> K = keyOf(E, Sealed, 0);
  if (K)
    K->Sealed = Sealed;
  return K;
}

void ChannelResolver::append(ChannelKey &K, const FieldDecl *F, bool &Sealed) const {
  if (Sealed)
    return;
  size_t Before = K.Fields.size();
  appendField(K, F);
  // Collapsed into its connection: the socket member's own insides (Socket::fd_ behind
  // Buffered::sock_) are the same channel.
  Sealed = K.Fields.size() == Before;
}

/// `Socket &io_mut() { return sock_; }`, `int fd() const { return sock_.fd(); }`: the
/// this-rooted channel an accessor with no parameters and one return statement returns.
std::optional<ChannelKey> ChannelResolver::accessorKey(const CXXMethodDecl *MD, bool &Sealed,
                                                       unsigned Depth) const {
  if (!MD || MD->isStatic() || MD->getNumParams() != 0 || Depth > 3)
    return std::nullopt;
  const FunctionDecl *Def = nullptr;
  if (!MD->hasBody(Def) || !Def)
    return std::nullopt;
  const auto *Body = llvm::dyn_cast_or_null<CompoundStmt>(Def->getBody());
  if (!Body || Body->size() != 1)
    return std::nullopt;
  const auto *Ret = llvm::dyn_cast<ReturnStmt>(Body->body_front());
  if (!Ret || !Ret->getRetValue())
    return std::nullopt;
  std::optional<ChannelKey> K = keyOf(Ret->getRetValue(), Sealed, Depth + 1);
  if (!K || !K->isThisRooted() || (K->Fields.empty() && !Sealed))
    return std::nullopt; // `return *this`, a global, a parameter: not an accessor of a member
  return K;
}

/// A method answering an integer handle of its object whose body is not visible
/// (`int fd() const;` of a transport class defined in another file).
static bool opaqueHandleAccessor(const CXXMethodDecl *MD) {
  const FunctionDecl *Def = nullptr;
  return MD && !MD->isStatic() && MD->getNumParams() == 0 && !MD->hasBody(Def) &&
         MD->getReturnType()->isIntegerType() && !MD->getReturnType()->isBooleanType();
}

std::optional<ChannelKey> ChannelResolver::keyOf(const Expr *E, bool &Sealed,
                                                unsigned Depth) const {
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
    // `io_->fd()`, `*io_` on a smart pointer: the object it owns is the member's.
    if (const auto *OC = llvm::dyn_cast<CXXOperatorCallExpr>(E)) {
      if ((OC->getOperator() == OO_Arrow || OC->getOperator() == OO_Star) &&
          OC->getNumArgs() == 1) {
        E = OC->getArg(0);
        continue;
      }
      return std::nullopt;
    }
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
      auto Base = keyOf(ME->getBase(), Sealed, Depth);
      if (!Base || Base->Fields.size() >= 3)
        return std::nullopt;
      append(*Base, F, Sealed);
      return Base;
    }
    if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(E)) {
      // A trivial accessor: conn->fd() is conn->fd_, io_.io_mut() is io_.sock_.
      bool InnerSealed = false;
      std::optional<ChannelKey> Inner =
          accessorKey(MC->getMethodDecl(), InnerSealed, Depth);
      // `io_.fd()`, `sock_->native_handle()` of a class defined elsewhere: the handle of the
      // object it is called on.
      if (!Inner && opaqueHandleAccessor(MC->getMethodDecl()))
        Inner = ChannelKey::thisObject();
      if (!Inner)
        return std::nullopt;
      auto Base = keyOf(MC->getImplicitObjectArgument(), Sealed, Depth);
      if (!Base)
        return std::nullopt;
      for (const FieldDecl *F : Inner->Fields)
        append(*Base, F, Sealed);
      if (Base->Fields.size() > 3)
        return std::nullopt;
      // The accessor returned its own object's socket: the caller's object is the channel.
      if (InnerSealed && !Sealed) {
        const CXXRecordDecl *Obj = classOf(*Base, MC->getMethodDecl()->getParent());
        if (Obj && isConnectionClass(Obj))
          Sealed = true;
      }
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
