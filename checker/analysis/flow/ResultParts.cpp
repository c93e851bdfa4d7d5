//===--- ResultParts.cpp - which part of a result a read looks at ---------===//
#include "analysis/flow/ResultParts.h"
#include "analysis/core/ResultTypes.h"
#include "analysis/flow/TransferTable.h"
#include "analysis/flow/Lattice.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace drain {

namespace {
const CXXRecordDecl *recordOf(QualType T) {
  if (T.isNull())
    return nullptr;
  T = T.getNonReferenceType();
  if (T->isPointerType())
    T = T->getPointeeType();
  const auto *RD = T->getAsCXXRecordDecl();
  if (RD && RD->getDefinition())
    return RD->getDefinition();
  return RD;
}

bool isStateType(QualType T, const ApiModel &Model) {
  if (T.isNull())
    return false;
  T = T.getNonReferenceType();
  if (T->isPointerType())
    T = T->getPointeeType();
  return classifyResultType(T.getUnqualifiedType(), Model).Shape == ResultShape::PendingState;
}

/// True if \p RD keeps a pending state apart from its error part: a member of the state enum
/// or a value type that carries one (expected<Poll, E>).
bool hasStatePart(const CXXRecordDecl *RD, const ApiModel &Model) {
  if (!RD || !RD->hasDefinition())
    return false;
  if (findStateEnum(RD, Model))
    return true;
  if (const auto *Spec = llvm::dyn_cast<ClassTemplateSpecializationDecl>(RD))
    for (const TemplateArgument &A : Spec->getTemplateArgs().asArray())
      if (A.getKind() == TemplateArgument::Type && isStateType(A.getAsType(), Model))
        return true;
  // Not an is_pending() flag: beside one, is_ready() is the other state, not "did not fail".
  return false;
}

/// The type arguments of \p RD's specialization, packs expanded (`std::tuple<A, B>`'s A, B).
llvm::SmallVector<QualType, 4> typeArguments(const CXXRecordDecl *RD) {
  llvm::SmallVector<QualType, 4> Out;
  const auto *Spec = llvm::dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD);
  if (!Spec)
    return Out;
  for (const TemplateArgument &A : Spec->getTemplateArgs().asArray()) {
    if (A.getKind() == TemplateArgument::Type)
      Out.push_back(A.getAsType());
    else if (A.getKind() == TemplateArgument::Pack)
      for (const TemplateArgument &P : A.pack_elements())
        if (P.getKind() == TemplateArgument::Type)
          Out.push_back(P.getAsType());
  }
  return Out;
}

/// True if one of \p RD's alternatives (type arguments) names a state (`Done`, `WouldBlock`).
bool hasStateAlternative(const CXXRecordDecl *RD, const ApiModel &Model) {
  for (QualType T : typeArguments(RD))
    if (classOfStateType(T, Model))
      return true;
  return false;
}

/// What element \p Index of a tuple-like \p RD is, by its type: the pending state, an error
/// code, or nothing we can tell (a bool or a count has no name to say what it means).
ResultPart elementPart(const CXXRecordDecl *RD, uint64_t Index, const ApiModel &Model) {
  llvm::SmallVector<QualType, 4> Args = typeArguments(RD);
  if (Index >= Args.size())
    return ResultPart::Unrelated;
  QualType T = Args[Index];
  if (isStateType(T, Model))
    return ResultPart::State;
  if (isErrorCodeType(T.getNonReferenceType()))
    return ResultPart::ErrorValue;
  return ResultPart::Unrelated;
}

/// `std::get<1>(r)` of a tuple-like result (the model's Element accessor): the element's part.
std::optional<PartRead> readElement(const CallExpr *CE, const ApiModel &Model) {
  const FunctionDecl *FD = CE->getDirectCallee();
  if (!FD || !FD->getIdentifier() || CE->getNumArgs() != 1 ||
      Model.accessorPart(FD->getName()) != ResultPart::Element)
    return std::nullopt;
  const TemplateArgumentList *TA = FD->getTemplateSpecializationArgs();
  if (!TA || TA->size() == 0 || TA->get(0).getKind() != TemplateArgument::Integral)
    return std::nullopt;
  PartRead R;
  R.Base = CE->getArg(0);
  R.Part = elementPart(recordOf(R.Base->getType()), TA->get(0).getAsIntegral().getZExtValue(),
                       Model);
  return R;
}

llvm::StringRef memberName(const NamedDecl *D) {
  if (D->getDeclName().isIdentifier())
    return D->getName();
  return "";
}
} // namespace

ResultPart partOfMember(const NamedDecl *Member, QualType MemberType, const CXXRecordDecl *Owner,
                        const ApiModel &Model) {
  if (!Member)
    return ResultPart::Unrelated;
  // `if (r)`, `!r`: has a value / did not fail.
  if (const auto *Conv = llvm::dyn_cast<CXXConversionDecl>(Member))
    return Conv->getConversionType()->isBooleanType() ? ResultPart::Success
                                                      : ResultPart::Unrelated;
  std::string Name = memberName(Member).str();
  if (Name.empty())
    if (const auto *MD = llvm::dyn_cast<CXXMethodDecl>(Member))
      Name = MD->getNameAsString(); // operator*, operator->
  if (std::optional<ResultPart> P = Model.accessorPart(Name)) {
    // `r.index()` of a variant whose alternatives name states; `get` is read as a free
    // function of a tuple-like only (a member `get()` is a smart pointer's).
    if (*P == ResultPart::AlternativeIndex)
      return hasStateAlternative(Owner, Model) ? *P : ResultPart::Unrelated;
    if (*P == ResultPart::Element)
      return ResultPart::Unrelated;
    if (*P != ResultPart::Value)
      return *P;
    // The value of an expected-like: the state when the value carries one.
    return isStateType(MemberType, Model) ? ResultPart::State : ResultPart::Unrelated;
  }
  if (MemberType.isNull())
    return ResultPart::Unrelated;
  QualType T = MemberType.getNonReferenceType();
  if (isStateType(T, Model))
    return ResultPart::State;
  const StateVocabulary &V = Model.vocabulary();
  if (T->isBooleanType()) {
    if (V.isPending(Name))
      return ResultPart::PendingFlag;
    if (V.isError(Name))
      return ResultPart::ErrorFlag;
    if (V.isReady(Name))
      // `ok` beside a state is "did not fail"; alone it is "finished".
      return hasStatePart(Owner, Model) ? ResultPart::Success : ResultPart::ReadyFlag;
    return ResultPart::Unrelated;
  }
  if ((T->isIntegerType() || T->isEnumeralType() || isErrorCodeType(T)) && V.isError(Name))
    return ResultPart::ErrorValue;
  return ResultPart::Unrelated;
}

std::optional<PartRead> readPart(const Expr *E, const ApiModel &Model) {
  if (!E)
    return std::nullopt;
  E = stripValue(E);
  PartRead R;
  // A structured binding (`auto [ok, state] = poll_flush();`): the part its binding reads,
  // `d.state` of an aggregate or `get<1>(d)` of a tuple-like.
  if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(E)) {
    const auto *BD = llvm::dyn_cast<BindingDecl>(DRE->getDecl());
    if (!BD)
      return std::nullopt;
    const Expr *Bound = BD->getBinding();
    if (const VarDecl *Holding = BD->getHoldingVar())
      Bound = Holding->getInit();
    if (!Bound || llvm::isa<DeclRefExpr>(stripValue(Bound)))
      return std::nullopt;
    return readPart(Bound, Model);
  }
  if (const auto *CE = llvm::dyn_cast<CallExpr>(E))
    if (!llvm::isa<CXXMemberCallExpr>(CE) && !llvm::isa<CXXOperatorCallExpr>(CE))
      return readElement(CE, Model);
  if (const auto *ME = llvm::dyn_cast<MemberExpr>(E)) {
    const auto *FD = llvm::dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!FD)
      return std::nullopt;
    R.Base = ME->getBase();
    R.Part = partOfMember(FD, FD->getType(), llvm::dyn_cast<CXXRecordDecl>(FD->getParent()),
                          Model);
    return R;
  }
  if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    if (!MD || MC->getNumArgs() != 0)
      return std::nullopt;
    R.Base = MC->getImplicitObjectArgument();
    R.Part = partOfMember(MD, MD->getReturnType(), MD->getParent(), Model);
    return R;
  }
  if (const auto *OC = llvm::dyn_cast<CXXOperatorCallExpr>(E)) {
    if (OC->getNumArgs() != 1 ||
        (OC->getOperator() != OO_Star && OC->getOperator() != OO_Arrow))
      return std::nullopt;
    const auto *MD = llvm::dyn_cast_or_null<CXXMethodDecl>(OC->getDirectCallee());
    if (!MD)
      return std::nullopt;
    R.Base = OC->getArg(0);
    R.Part = partOfMember(MD, MD->getReturnType(), MD->getParent(), Model);
    return R;
  }
  return std::nullopt;
}

llvm::SmallVector<QualType, 4> alternativeTypes(QualType T) {
  return typeArguments(recordOf(T));
}

uint8_t partTruthClasses(ResultPart P, bool Truth) {
  const uint8_t NotError = RC_All & ~RC_Error;
  switch (P) {
  case ResultPart::ErrorFlag:
  case ResultPart::ErrorValue:
    return Truth ? RC_Error : NotError;
  case ResultPart::Success:
    return Truth ? NotError : RC_Error;
  case ResultPart::PendingFlag:
    return Truth ? RC_Pending : static_cast<uint8_t>(RC_All & ~RC_Pending);
  case ResultPart::ReadyFlag:
    return Truth ? RC_Ready : static_cast<uint8_t>(RC_All & ~RC_Ready);
  case ResultPart::Whole:
  case ResultPart::State:
  case ResultPart::Value:
  case ResultPart::Alternative:
  case ResultPart::AlternativeIndex:
  case ResultPart::Element:
  case ResultPart::Unrelated:
    return 0;
  }
  return 0;
}

/// `return Poll::Pending;` from a function answering `Expected<Poll, E>` or
/// `StatusOr<Poll>`: a converting constructor handed only a state has that state's class.
uint8_t classOfConvertedState(const CXXConstructExpr *CC, const ApiModel &Model,
                              ASTContext &Ctx) {
  if (CC->getNumArgs() == 0 || CC->getConstructor()->isCopyOrMoveConstructor())
    return 0;
  for (unsigned I = 1; I < CC->getNumArgs(); ++I)
    if (!llvm::isa<CXXDefaultArgExpr>(CC->getArg(I)))
      return 0;
  uint8_t C = classOfConstant(CC->getArg(0), Model, Ctx);
  if (!C) // `return Pending{};` into a std::variant<Done, Pending, IoError>
    C = classOfStateType(CC->getArg(0)->getType(), Model);
  return C == RC_Other ? 0 : C;
}

uint8_t classOfBuiltResult(const Expr *E, const ApiModel &Model, ASTContext &Ctx) {
  const Expr *S = E ? stripValue(E) : nullptr;
  if (const auto *CC = llvm::dyn_cast_or_null<CXXConstructExpr>(S))
    return classOfConvertedState(CC, Model, Ctx);
  const auto *IL = llvm::dyn_cast_or_null<InitListExpr>(S);
  if (!IL)
    return 0;
  if (IL->isSyntacticForm() && IL->getSemanticForm())
    IL = IL->getSemanticForm();
  const CXXRecordDecl *RD = recordOf(IL->getType());
  if (!RD || RD->isUnion())
    return 0;
  uint8_t State = 0;
  bool Failed = false, Unknown = false;
  unsigned I = 0;
  for (const FieldDecl *F : RD->fields()) {
    if (I >= IL->getNumInits())
      break;
    const Expr *Init = IL->getInit(I++);
    ResultPart P = partOfMember(F, F->getType(), RD, Model);
    if (P == ResultPart::State) {
      State = classOfConstant(Init, Model, Ctx);
      continue;
    }
    if (!isErrorPart(P))
      continue;
    std::optional<int64_t> V = evaluateInt(Init, Ctx);
    if (!V) {
      Unknown = true; // `{false, errno, ...}`: the error part is not known here
      continue;
    }
    bool Set = *V != 0;
    Failed |= (P == ResultPart::Success) ? !Set : Set;
  }
  if (Failed)
    return RC_Error;
  if (Unknown)
    return 0;
  return State == RC_Other ? 0 : State;
}

} // namespace drain
