//===--- ResultTypes.cpp - which result types carry a pending state -------===//
#include "analysis/core/ResultTypes.h"
#include "Compat.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"

using namespace clang;

namespace drain {

namespace {
/// Templates known to be awaitables by name, for when their definitions are not visible.
const char *const KnownAwaitables[] = {"asio::awaitable", "folly::coro::Task",
                                       "folly::coro::AsyncGenerator", "cppcoro::task",
                                       "cppcoro::shared_task", "seastar::future",
                                       "std::future", "std::shared_future",
                                       "boost::future", "boost::shared_future"};

const CXXRecordDecl *recordOf(QualType T) {
  T = T.getNonReferenceType().getCanonicalType().getUnqualifiedType();
  const auto *RD = T->getAsCXXRecordDecl();
  if (!RD)
    return nullptr;
  if (const auto *Def = RD->getDefinition())
    return Def;
  return RD;
}

std::string nameOfRecord(const CXXRecordDecl *RD) {
  if (const auto *Spec = llvm::dyn_cast<ClassTemplateSpecializationDecl>(RD))
    return ApiModel::qualifiedName(Spec->getSpecializedTemplate());
  return ApiModel::qualifiedName(RD);
}

bool enumHasPending(const EnumDecl *ED, const ApiModel &Model) {
  if (!ED)
    return false;
  if (ApiModel::hasAnnotation(ED, "drain::pending_type"))
    return true;
  for (const EnumConstantDecl *C : ED->enumerators())
    if (Model.vocabulary().isPending(C->getName()) ||
        ApiModel::hasAnnotation(C, "drain::pending"))
      return true;
  return false;
}

void fillStates(const EnumDecl *ED, const ApiModel &Model, ResultTypeInfo &Info) {
  Info.StateEnum = ED;
  for (const EnumConstantDecl *C : ED->enumerators()) {
    llvm::StringRef N = C->getName();
    if (ApiModel::hasAnnotation(C, "drain::pending") || Model.vocabulary().isPending(N))
      Info.Pending.push_back(C);
    else if (ApiModel::hasAnnotation(C, "drain::ready") || Model.vocabulary().isReady(N))
      Info.Ready.push_back(C);
    else if (Model.vocabulary().isError(N))
      Info.Error.push_back(C);
  }
  if (!Info.Pending.empty()) {
    std::string Scope = ED->getName().str();
    Info.PendingSpelling =
        (Scope.empty() ? "" : Scope + "::") + Info.Pending.front()->getName().str();
  }
}

/// A result is a small value: a Poll, a Result<T>, an optional. A connection class that
/// merely *stores* a Poll (`Poll final_;`), a smart pointer or a container is not a result,
/// even though a pending-like enum can be found inside it.
bool isResultLike(const CXXRecordDecl *RD) {
  if (!RD || !RD->hasDefinition())
    return false;
  RD = RD->getDefinition();
  if (RD->isPolymorphic() || RD->hasUserDeclaredDestructor())
    return false;
  unsigned Fields = 0;
  for (const FieldDecl *F : RD->fields()) {
    (void)F;
    ++Fields;
  }
  for (const auto &Base : RD->bases())
    if (const auto *B = Base.getType()->getAsCXXRecordDecl())
      if (B->hasDefinition())
        for (const FieldDecl *F : B->getDefinition()->fields()) {
          (void)F;
          ++Fields;
        }
  return Fields <= 4;
}

bool hasMethodNamed(const CXXRecordDecl *RD, llvm::ArrayRef<llvm::StringRef> Names) {
  if (!RD || !RD->hasDefinition())
    return false;
  for (const auto *D : RD->decls()) {
    const NamedDecl *ND = llvm::dyn_cast<NamedDecl>(D);
    if (const auto *FT = llvm::dyn_cast<FunctionTemplateDecl>(D))
      ND = FT->getTemplatedDecl();
    if (!ND || !llvm::isa<CXXMethodDecl>(ND) || !ND->getDeclName().isIdentifier())
      continue;
    for (llvm::StringRef N : Names)
      if (ND->getName() == N)
        return true;
  }
  for (const auto &Base : RD->bases())
    if (hasMethodNamed(recordOf(Base.getType()), Names))
      return true;
  return false;
}
} // namespace

const EnumDecl *findStateEnum(const CXXRecordDecl *RD, const ApiModel &Model) {
  if (!RD || !RD->hasDefinition())
    return nullptr;
  for (const auto *D : RD->decls())
    if (const auto *ED = llvm::dyn_cast<EnumDecl>(D))
      if (enumHasPending(ED, Model))
        return ED;
  for (const FieldDecl *F : RD->fields())
    if (const auto *ET = F->getType()->getAs<EnumType>())
      if (enumHasPending(ET->getDecl(), Model))
        return ET->getDecl();
  for (const auto &Base : RD->bases())
    if (const auto *ED = findStateEnum(recordOf(Base.getType()), Model))
      return ED;
  return nullptr;
}

bool isAwaitableType(QualType T) {
  const CXXRecordDecl *RD = recordOf(T);
  if (!RD)
    return false;
  std::string Name = nameOfRecord(RD);
  for (const char *K : KnownAwaitables)
    if (ApiModel::nameMatches(K, Name, false))
      return true;
  if (!RD->hasDefinition())
    return false;
  for (const auto *D : RD->decls())
    if (const auto *ND = llvm::dyn_cast<NamedDecl>(D))
      if (ND->getDeclName().isIdentifier() && ND->getName() == "promise_type")
        return true;
  if (hasMethodNamed(RD, {"await_ready"}) && hasMethodNamed(RD, {"await_suspend"}) &&
      hasMethodNamed(RD, {"await_resume"}))
    return true;
  for (const auto *D : RD->decls()) {
    const NamedDecl *ND = llvm::dyn_cast<NamedDecl>(D);
    if (const auto *FT = llvm::dyn_cast<FunctionTemplateDecl>(D))
      ND = FT->getTemplatedDecl();
    if (const auto *MD = llvm::dyn_cast_or_null<CXXMethodDecl>(ND))
      if (MD->getOverloadedOperator() == OO_Coawait)
        return true;
  }
  return false;
}

bool isErrorCodeType(QualType T) {
  const CXXRecordDecl *RD = recordOf(T);
  if (!RD || !RD->getIdentifier())
    return false;
  return RD->getName() == "error_code";
}

namespace {
/// The alternative named as a pending state of a variant-like specialization over two or more
/// types (`std::variant<Done, WouldBlock, IoError>` answers "WouldBlock"), or "".
std::string pendingAlternative(const CXXRecordDecl *RD, const ApiModel &Model) {
  const auto *Spec = llvm::dyn_cast<ClassTemplateSpecializationDecl>(RD);
  if (!Spec)
    return "";
  llvm::SmallVector<QualType, 4> Types;
  for (const TemplateArgument &A : Spec->getTemplateArgs().asArray()) {
    if (A.getKind() == TemplateArgument::Type)
      Types.push_back(A.getAsType());
    else if (A.getKind() == TemplateArgument::Pack)
      for (const TemplateArgument &P : A.pack_elements())
        if (P.getKind() == TemplateArgument::Type)
          Types.push_back(P.getAsType());
  }
  if (Types.size() < 2)
    return "";
  for (QualType T : Types)
    if (const CXXRecordDecl *Alt = T->getAsCXXRecordDecl())
      if (Alt->getIdentifier() && Model.vocabulary().isPending(Alt->getName()))
        return Alt->getName().str();
  return "";
}
} // namespace

ResultTypeInfo classifyResultType(QualType T, const ApiModel &Model) {
  ResultTypeInfo Info;
  if (T.isNull())
    return Info;
  // An lvalue reference names an object that outlives the call (`*this` from operator=, a
  // member's state): its state is still there to be tested, so dropping the reference loses
  // nothing. Only values (and rvalue references to temporaries) are results.
  if (T->isLValueReferenceType())
    return Info;
  QualType C = T.getNonReferenceType().getCanonicalType().getUnqualifiedType();
  if (C->isVoidType())
    return Info;
  if (const auto *ET = C->getAs<EnumType>()) {
    if (enumHasPending(ET->getDecl(), Model)) {
      Info.Shape = ResultShape::PendingState;
      fillStates(ET->getDecl(), Model, Info);
    }
    return Info;
  }
  const CXXRecordDecl *RD = recordOf(C);
  if (!RD)
    return Info;
  if (isErrorCodeType(C)) {
    Info.Shape = ResultShape::ErrorCode;
    return Info;
  }
  if (isAwaitableType(C)) {
    Info.Shape = ResultShape::Awaitable;
    return Info;
  }
  if (ApiModel::hasAnnotation(RD, "drain::pending_type")) {
    Info.Shape = ResultShape::PendingState;
    if (const EnumDecl *ED = findStateEnum(RD, Model))
      fillStates(ED, Model, Info);
    return Info;
  }
  // A specialization that was never instantiated (a declaration's return type) is judged by
  // its template's pattern; its arguments still come from the specialization.
  const CXXRecordDecl *Shape = RD;
  if (!RD->hasDefinition())
    if (const auto *Spec = llvm::dyn_cast<ClassTemplateSpecializationDecl>(RD))
      Shape = Spec->getSpecializedTemplate()->getTemplatedDecl();
  if (const std::string Pending = pendingAlternative(RD, Model); !Pending.empty()) {
    Info.Shape = ResultShape::PendingState;
    Info.PendingSpelling = Pending;
    return Info;
  }
  // Structural detection applies to result-like records only (see isResultLike).
  if (!isResultLike(Shape))
    return Info;
  if (const EnumDecl *ED = findStateEnum(Shape, Model)) {
    Info.Shape = ResultShape::PendingState;
    fillStates(ED, Model, Info);
    return Info;
  }
  if (hasMethodNamed(Shape, {"is_pending", "isPending", "pending", "would_block", "wouldBlock"})) {
    Info.Shape = ResultShape::PendingState;
    Info.PendingSpelling = "pending";
    return Info;
  }
  // A result-like template over a pending-carrying argument (Result<Poll>,
  // std::optional<Poll>, std::pair<Poll, size_t>); not unique_ptr<Connection> or vector<Poll>.
  if (const auto *Spec = llvm::dyn_cast<ClassTemplateSpecializationDecl>(RD))
    for (const TemplateArgument &A : Spec->getTemplateArgs().asArray())
      if (A.getKind() == TemplateArgument::Type) {
        ResultTypeInfo Inner = classifyResultType(A.getAsType(), Model);
        if (Inner.carriesPending())
          return Inner;
      }
  return Info;
}

ResultKind inferResultKind(QualType Ret, OpKind Kind, const ApiModel &Model) {
  if (Ret.isNull() || Ret->isVoidType())
    return ResultKind::None;
  ResultTypeInfo Info = classifyResultType(Ret, Model);
  if (Info.Shape == ResultShape::PendingState)
    return ResultKind::PendingState;
  if (Info.Shape == ResultShape::Awaitable)
    return ResultKind::Awaitable;
  QualType C = Ret.getCanonicalType();
  if (C->isBooleanType())
    return ResultKind::Bool;
  if (C->isIntegerType())
    return (Kind == OpKind::Write) && C->isSignedIntegerType() ? ResultKind::ByteCount
                                                                : ResultKind::Status;
  if (Info.Shape == ResultShape::ErrorCode)
    return ResultKind::Status;
  return ResultKind::None;
}

std::optional<ResultKind> effectiveResultKind(const ApiOp &Op, const FunctionDecl *FD,
                                              const ApiModel &Model) {
  if (!Op || !FD)
    return std::nullopt;
  return effectiveResultKind(Op, FD->getReturnType(), Model);
}

std::optional<ResultKind> effectiveResultKind(const ApiOp &Op, QualType Ret,
                                              const ApiModel &Model) {
  if (!Op || Ret.isNull())
    return std::nullopt;
  const ApiEntry &E = *Op.Entry;
  if (E.Origin == RowOrigin::Annotation)
    return inferResultKind(Ret, E.Kind, Model);
  if (E.Flags & AF_RequiresPendingResult) {
    ResultTypeInfo Info = classifyResultType(Ret, Model);
    if (Info.Shape == ResultShape::PendingState)
      return ResultKind::PendingState;
    if (Info.Shape == ResultShape::Awaitable)
      return ResultKind::Awaitable;
    if (!Ret.isNull() && Ret->isBooleanType())
      return ResultKind::Bool;
    return std::nullopt;
  }
  // A row that leaves the result open (options, model file without `result:`) takes it from
  // the declared return type.
  if (E.Result == ResultKind::None && E.Origin != RowOrigin::BuiltIn)
    return inferResultKind(Ret, E.Kind, Model);
  if (E.Result == ResultKind::PendingState) {
    ResultTypeInfo Info = classifyResultType(Ret, Model);
    if (Info.Shape == ResultShape::Awaitable)
      return ResultKind::Awaitable;
    if (Info.Shape != ResultShape::PendingState)
      return inferResultKind(Ret, E.Kind, Model);
  }
  return E.Result;
}

} // namespace drain
