//===--- AsyncOps.cpp - asynchronous writes, their channels and handlers --===//
#include "analysis/core/AsyncOps.h"
#include "Compat.h"
#include "analysis/core/ResultTypes.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace drain {

namespace {

/// Token types by (suffix-matched) qualified template name.
struct TokenRow {
  const char *Name;
  TokenKind Kind;
};
const TokenRow TokenTypes[] = {
    {"asio::use_awaitable_t", TokenKind::Awaitable},
    {"asio::experimental::use_coro_t", TokenKind::Awaitable},
    {"asio::experimental::use_promise_t", TokenKind::Awaitable},
    {"asio::use_future_t", TokenKind::Future},
    {"asio::basic_yield_context", TokenKind::Yield},
    {"asio::detached_t", TokenKind::Detached},
    {"asio::deferred_t", TokenKind::Deferred},
    {"asio::experimental::deferred_t", TokenKind::Deferred},
};

/// Handler wrappers: which argument is the inner handler, and how the wrapper passes the
/// completion arguments on.
enum class Bind : unsigned char {
  Transparent, ///< passes them unchanged (bind_executor, consign, strand::wrap)
  Front,       ///< prepends its other arguments (bind_front_handler, std::bind_front, prepend)
  Placeholders ///< std::bind-style: _1, _2 say where they go
};
struct WrapperRow {
  const char *Name; ///< qualified suffix, matched like ApiModel names
  int Inner;        ///< index of the inner handler; -1 = the last argument
  Bind How;
};
const WrapperRow Wrappers[] = {
    {"asio::bind_executor", -1, Bind::Transparent},
    {"asio::bind_allocator", -1, Bind::Transparent},
    {"asio::bind_cancellation_slot", -1, Bind::Transparent},
    {"asio::bind_immediate_executor", -1, Bind::Transparent},
    {"asio::consign", 0, Bind::Transparent},
    {"asio::experimental::consign", 0, Bind::Transparent},
    {"asio::append", 0, Bind::Transparent},
    {"asio::experimental::append", 0, Bind::Transparent},
    {"asio::io_context::strand::wrap", 0, Bind::Transparent},
    {"asio::io_service::strand::wrap", 0, Bind::Transparent},
    {"asio::prepend", 0, Bind::Front},
    {"asio::experimental::prepend", 0, Bind::Front},
    {"beast::bind_front_handler", 0, Bind::Front},
    {"std::bind_front", 0, Bind::Front},
    {"beast::bind_handler", 0, Bind::Placeholders},
    {"std::bind", 0, Bind::Placeholders},
    {"boost::bind", 0, Bind::Placeholders},
};

/// Initiating functions of asynchronous reads: their handlers run while a write on the same
/// channel may be in flight. Matched by the function's own name.
struct ReadRow {
  const char *Name;
  int Handler; ///< -1 = the last argument
};
const ReadRow ReadInitiators[] = {
    {"async_read", -1},         {"async_read_some", -1},  {"async_read_until", -1},
    {"async_read_at", -1},      {"async_receive", -1},    {"async_receive_from", -1},
    {"async_read_header", -1},  {"::uv_read_start", 2},
};

/// Calls that run the event loop in place: after the full runners every handler started
/// earlier has run; after the bounded ones (run_for, run_one, poll) a write has completed or
/// the code is deliberately giving up on it (the blocking-client-with-timeout idiom).
const char *const LoopRunners[] = {"asio::io_context::run",       "asio::io_service::run",
                                   "asio::thread_pool::join",     "asio::system_context::join",
                                   "::uv_run",                    "asio::io_context::run_for",
                                   "asio::io_context::run_until", "asio::io_context::run_one",
                                   "asio::io_context::run_one_for",
                                   "asio::io_context::run_one_until",
                                   "asio::io_context::poll",      "asio::io_context::poll_one",
                                   "asio::io_service::run_one",   "asio::io_service::poll"};

bool isGlobal(const FunctionDecl *FD) {
  const DeclContext *DC = FD->getDeclContext();
  while (DC && isa<LinkageSpecDecl>(DC))
    DC = DC->getParent();
  return DC && DC->isTranslationUnit();
}

bool calleeMatches(const FunctionDecl *FD, llvm::StringRef Pattern) {
  if (!FD || !FD->getDeclName().isIdentifier())
    return false;
  return ApiModel::nameMatches(Pattern, ApiModel::qualifiedName(FD), isGlobal(FD));
}

const CXXRecordDecl *recordOfType(QualType T) {
  if (T.isNull())
    return nullptr;
  T = T.getNonReferenceType().getCanonicalType();
  if (const auto *PT = T->getAs<PointerType>())
    T = PT->getPointeeType().getCanonicalType();
  return T->getAsCXXRecordDecl();
}

std::string templateNameOf(const CXXRecordDecl *RD) {
  if (!RD)
    return {};
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
    return ApiModel::qualifiedName(Spec->getSpecializedTemplate());
  return ApiModel::qualifiedName(RD);
}

/// The class a smart pointer, pointer or reference refers to.
const CXXRecordDecl *pointee(QualType T) {
  const CXXRecordDecl *RD = recordOfType(T);
  if (!RD)
    return nullptr;
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD)) {
    llvm::StringRef N = Spec->getSpecializedTemplate()->getName();
    if ((N == "shared_ptr" || N == "unique_ptr" || N == "weak_ptr" || N == "intrusive_ptr") &&
        Spec->getTemplateArgs().size() >= 1 &&
        Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
      return recordOfType(Spec->getTemplateArgs()[0].getAsType());
  }
  return RD;
}

bool sameClass(const CXXRecordDecl *A, const CXXRecordDecl *B) {
  return A && B && A->getCanonicalDecl() == B->getCanonicalDecl();
}

/// The last argument that is not a defaulted constraint (`constraint_t<...> = 0`). A
/// defaulted completion token (a class type) counts: it is the token.
const Expr *lastHandlerArg(const CallExpr *CE) {
  for (unsigned I = CE->getNumArgs(); I-- > 0;) {
    const Expr *A = CE->getArg(I);
    if (const auto *D = dyn_cast<CXXDefaultArgExpr>(A)) {
      QualType T = D->getType().getCanonicalType();
      if (T->isIntegralOrEnumerationType() || T->isPointerType() || T->isNullPtrType())
        continue;
    }
    return A;
  }
  return nullptr;
}

const Expr *argAt(const CallExpr *CE, int Index) {
  if (Index < 0 || Index >= 1000)
    return lastHandlerArg(CE);
  if (static_cast<unsigned>(Index) >= CE->getNumArgs())
    return nullptr;
  return CE->getArg(Index);
}

/// std::placeholders::_N, boost::arg<N>, libc++'s __ph<N>: N, or 0. Asio's cpp03
/// placeholders (asio::placeholders::error) are functions returning boost::arg<N>.
unsigned placeholderIndex(const Expr *E) {
  QualType T = peel(E)->getType();
  if (const auto *FD = dyn_cast_or_null<FunctionDecl>(
          isa<DeclRefExpr>(peel(E)) ? cast<DeclRefExpr>(peel(E))->getDecl() : nullptr))
    T = FD->getReturnType();
  const CXXRecordDecl *RD = recordOfType(T);
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD);
  if (!Spec)
    return 0;
  llvm::StringRef N = Spec->getSpecializedTemplate()->getName();
  if (N != "_Placeholder" && N != "__ph" && N != "arg" && N != "placeholder")
    return 0;
  const auto &Args = Spec->getTemplateArgs();
  if (Args.size() != 1 || Args[0].getKind() != TemplateArgument::Integral)
    return 0;
  return static_cast<unsigned>(Args[0].getAsIntegral().getZExtValue());
}

const FunctionDecl *functionNamedBy(const Expr *E) {
  E = peel(E);
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    if (UO->getOpcode() == UO_AddrOf)
      E = peel(UO->getSubExpr());
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return dyn_cast<FunctionDecl>(DRE->getDecl());
  return nullptr;
}

/// operator() of a handler class: the overload that takes the completion error first.
const FunctionDecl *callOperatorOf(const CXXRecordDecl *RD) {
  if (!RD || !RD->hasDefinition())
    return nullptr;
  if (RD->isLambda())
    return RD->getLambdaCallOperator();
  const FunctionDecl *Only = nullptr;
  unsigned Count = 0;
  for (const Decl *D : RD->decls()) {
    const FunctionDecl *FD = nullptr;
    if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D))
      FD = FT->getTemplatedDecl();
    else
      FD = dyn_cast<FunctionDecl>(D);
    if (!FD || FD->getOverloadedOperator() != OO_Call)
      continue;
    ++Count;
    Only = FD;
    if (FD->getNumParams() >= 1 && isErrorCodeType(FD->getParamDecl(0)->getType()))
      return FD;
  }
  return Count == 1 ? Only : nullptr;
}

/// Places the completion error and byte count on \p H.Fn's parameters from \p Offset on.
void placeCompletionArgs(HandlerCallable &H, unsigned Offset) {
  const FunctionDecl *Fn = H.Fn;
  unsigned N = Fn->getNumParams();
  int Error = -1;
  for (unsigned I = Offset; I < N && Error < 0; ++I)
    if (isErrorCodeType(Fn->getParamDecl(I)->getType()))
      Error = static_cast<int>(I);
  if (Error < 0 && Offset < N && Fn->getParamDecl(Offset)->getType()->isDependentType())
    Error = static_cast<int>(Offset);
  if (Error < 0)
    for (unsigned I = Offset; I < N && Error < 0; ++I) {
      QualType T = Fn->getParamDecl(I)->getType().getCanonicalType();
      if (T->isIntegerType() && !T->isBooleanType())
        Error = static_cast<int>(I);
    }
  H.ErrorParam = Error;
  if (Error >= 0 && static_cast<unsigned>(Error) + 1 < N) {
    QualType T = Fn->getParamDecl(Error + 1)->getType().getCanonicalType();
    if (T->isIntegerType() || T->isDependentType())
      H.BytesParam = Error + 1;
  }
}

std::optional<HandlerCallable> resolve(const Expr *Arg, unsigned Depth);

/// A wrapper call: resolves the inner handler and applies the wrapper's binding.
std::optional<HandlerCallable> resolveWrapper(const CallExpr *CE, const WrapperRow &W,
                                              unsigned Depth) {
  // Code that does not compile (a placeholder that is not declared) says nothing.
  if (CE->containsErrors())
    return std::nullopt;
  const Expr *InnerArg = W.Inner < 0 ? lastHandlerArg(CE) : argAt(CE, W.Inner);
  if (!InnerArg)
    return std::nullopt;
  unsigned InnerIndex = W.Inner < 0 ? CE->getNumArgs() - 1 : static_cast<unsigned>(W.Inner);
  // A member call (strand.wrap(h)) has no object among its arguments.
  if (W.How == Bind::Transparent) {
    auto H = resolve(InnerArg, Depth + 1);
    if (H && H->How.empty())
      H->How = "wrapped handler";
    return H;
  }
  // The bound arguments follow the callable.
  llvm::SmallVector<const Expr *, 4> Bound;
  for (unsigned I = InnerIndex + 1; I < CE->getNumArgs(); ++I)
    if (!isa<CXXDefaultArgExpr>(CE->getArg(I)))
      Bound.push_back(CE->getArg(I));
  const FunctionDecl *Target = functionNamedBy(InnerArg);
  std::optional<HandlerCallable> Inner;
  if (Target) {
    // No body needed: a binder can drop the error whatever the function does with it.
    HandlerCallable H;
    H.Fn = Target;
    Inner = H;
  } else {
    Inner = resolve(InnerArg, Depth + 1);
    if (!Inner)
      return std::nullopt;
    Inner->ErrorParam = Inner->BytesParam = -1;
  }
  HandlerCallable H = *Inner;
  H.Site = CE;
  H.How = W.Name;
  auto Slash = H.How.rfind("::");
  if (!compat::startsWith(H.How, "std::") && Slash != std::string::npos)
    H.How = H.How.substr(Slash + 2); // keep "std::" on std::bind for the message
  // A member function's first bound argument is the object.
  bool Member = Target && isa<CXXMethodDecl>(Target) && !cast<CXXMethodDecl>(Target)->isStatic();
  unsigned ObjectArgs = Member ? 1 : 0;
  if (W.How == Bind::Front) {
    unsigned Consumed = Bound.size() >= ObjectArgs ? Bound.size() - ObjectArgs : 0;
    if (!Target) // prepend(h, v...): the values go before the completion arguments
      Consumed = Bound.size();
    placeCompletionArgs(H, Consumed);
    return H;
  }
  // Placeholders: bound argument i (after the object) goes to parameter i.
  H.ErrorParam = H.BytesParam = -1;
  bool SawError = false, SawBytes = false;
  for (unsigned I = ObjectArgs; I < Bound.size(); ++I) {
    unsigned P = placeholderIndex(Bound[I]);
    int Param = static_cast<int>(I - ObjectArgs);
    if (P == 1) {
      H.ErrorParam = Param;
      SawError = true;
    } else if (P == 2) {
      H.BytesParam = Param;
      SawBytes = true;
    }
  }
  if (static_cast<unsigned>(std::max(H.ErrorParam, H.BytesParam) + 1) > H.Fn->getNumParams())
    return std::nullopt;
  H.ErrorDropped = !SawError;
  H.BytesDropped = !SawBytes;
  return H;
}

std::optional<HandlerCallable> resolve(const Expr *Arg, unsigned Depth) {
  if (!Arg || Depth > 6)
    return std::nullopt;
  const Expr *E = peel(Arg);
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    if (const FunctionDecl *Callee = CE->getDirectCallee())
      for (const WrapperRow &W : Wrappers)
        if (calleeMatches(Callee, W.Name))
          return resolveWrapper(CE, W, Depth);
  }
  HandlerCallable H;
  H.Site = Arg; // as written: `CountingHandler{}` begins at its name, not at its braces
  if (const auto *LE = dyn_cast<LambdaExpr>(E)) {
    H.Fn = LE->getCallOperator();
    H.How = "lambda";
  } else if (const FunctionDecl *FD = functionNamedBy(E)) {
    H.Fn = FD;
    H.How = "function";
  } else if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    // A local handler variable: look at what it was initialized with.
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (VD && VD->isLocalVarDecl() && VD->getInit() && !VD->getType()->isReferenceType()) {
      auto Inner = resolve(VD->getInit(), Depth + 1);
      if (Inner)
        Inner->Site = E;
      return Inner;
    }
  }
  if (!H.Fn) {
    const CXXRecordDecl *RD = recordOfType(E->getType());
    if (!RD || E->getType()->isPointerType())
      return std::nullopt;
    H.Fn = callOperatorOf(RD);
    H.How = "handler object";
  }
  if (!H.Fn)
    return std::nullopt;
  placeCompletionArgs(H, 0);
  return H;
}

} // namespace

const Expr *peel(const Expr *E) {
  while (E) {
    const Expr *Before = E;
    E = E->IgnoreParens();
    if (const auto *EWC = dyn_cast<ExprWithCleanups>(E))
      E = EWC->getSubExpr();
    if (const auto *ICE = dyn_cast<ImplicitCastExpr>(E))
      E = ICE->getSubExpr();
    if (const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(E))
      E = MTE->getSubExpr();
    if (const auto *BTE = dyn_cast<CXXBindTemporaryExpr>(E))
      E = BTE->getSubExpr();
    if (const auto *FCE = dyn_cast<CXXFunctionalCastExpr>(E))
      if (FCE->getCastKind() == CK_ConstructorConversion || FCE->getCastKind() == CK_NoOp)
        E = FCE->getSubExpr();
    if (const auto *CCE = dyn_cast<CXXConstructExpr>(E))
      if (CCE->getNumArgs() >= 1 && CCE->getConstructor() &&
          (CCE->getConstructor()->isCopyOrMoveConstructor() ||
           CCE->getConstructor()->isConvertingConstructor(false)) &&
          !isa<CXXTemporaryObjectExpr>(CCE) &&
          (CCE->getNumArgs() == 1 || isa<CXXDefaultArgExpr>(CCE->getArg(1))))
        E = CCE->getArg(0);
    if (const auto *CE = dyn_cast<CallExpr>(E))
      if (CE->getNumArgs() == 1)
        if (const FunctionDecl *FD = CE->getDirectCallee())
          if (FD->isInStdNamespace() && FD->getDeclName().isIdentifier() &&
              (FD->getName() == "move" || FD->getName() == "forward"))
            E = CE->getArg(0);
    if (E == Before)
      return E;
  }
  return E;
}

AsyncChannel channelOf(const Expr *E, const CXXRecordDecl *ThisClass) {
  AsyncChannel K;
  llvm::SmallVector<const ValueDecl *, 4> Reversed; // stream first, root last
  for (unsigned Steps = 0; E && Steps < 16; ++Steps) {
    E = peel(E);
    if (const auto *CE = dyn_cast<ExplicitCastExpr>(E)) {
      E = CE->getSubExpr();
      continue;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() == UO_AddrOf || UO->getOpcode() == UO_Deref) {
        E = UO->getSubExpr();
        continue;
      }
      return {};
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
      // Smart pointers: self->socket_, (*conn).sock.
      if ((OC->getOperator() == OO_Arrow || OC->getOperator() == OO_Star) &&
          OC->getNumArgs() == 1) {
        E = OC->getArg(0);
        continue;
      }
      return {};
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      // An accessor that returns part of the stream: socket(), next_layer(), lowest_layer().
      const CXXMethodDecl *MD = MC->getMethodDecl();
      if (MD && MC->getNumArgs() == 0 &&
          (MD->getReturnType()->isReferenceType() || MD->getReturnType()->isPointerType())) {
        E = MC->getImplicitObjectArgument();
        continue;
      }
      return {};
    }
    if (const auto *CE = dyn_cast<CallExpr>(E)) {
      const FunctionDecl *FD = CE->getDirectCallee();
      if (FD && CE->getNumArgs() == 1 && FD->getDeclName().isIdentifier() &&
          FD->getName() == "get_lowest_layer") {
        E = CE->getArg(0);
        continue;
      }
      return {};
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      const auto *VD = dyn_cast<ValueDecl>(ME->getMemberDecl());
      if (!VD || isa<CXXMethodDecl>(VD))
        return {};
      Reversed.push_back(VD);
      E = ME->getBase();
      continue;
    }
    if (isa<CXXThisExpr>(E)) {
      Reversed.push_back(nullptr);
      break;
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      if (!VD)
        return {};
      // `self` (shared_from_this(), a pointer to this class) stands for `this` when it
      // reaches a member; a variable that is itself the stream stays a variable.
      if (!Reversed.empty() && ThisClass && sameClass(pointee(VD->getType()), ThisClass))
        Reversed.push_back(nullptr);
      else
        Reversed.push_back(VD);
      break;
    }
    return {};
  }
  if (Reversed.empty() || (Reversed.back() != nullptr && !isa<VarDecl>(Reversed.back())))
    return {};
  K.Path.assign(Reversed.rbegin(), Reversed.rend());
  if (K.Path.size() >= 2) {
    if (const auto *FD = dyn_cast<FieldDecl>(K.Path[1]))
      K.Owner = FD->getParent();
  } else if (K.rootedAtThis() && ThisClass) {
    K.Owner = ThisClass;
  }
  return K;
}

CompletionToken classifyToken(const Expr *Arg) {
  CompletionToken T;
  if (!Arg)
    return T;
  if (const auto *D = dyn_cast<CXXDefaultArgExpr>(Arg)) {
    T.Kind = TokenKind::Deferred; // the default completion token
    T.E = D;
    return T;
  }
  const Expr *E = peel(Arg);
  T.E = E;
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *FD = CE->getDirectCallee();
    if (FD && CE->getNumArgs() >= 2 && calleeMatches(FD, "asio::redirect_error")) {
      CompletionToken Inner = classifyToken(CE->getArg(0));
      Inner.E = E;
      Inner.ErrorVarRef = peel(CE->getArg(1));
      if (const auto *DRE = dyn_cast<DeclRefExpr>(Inner.ErrorVarRef))
        Inner.ErrorVar = dyn_cast<VarDecl>(DRE->getDecl());
      return Inner;
    }
    if (FD && CE->getNumArgs() >= 1 &&
        (calleeMatches(FD, "asio::as_tuple") || calleeMatches(FD, "asio::experimental::as_tuple"))) {
      CompletionToken Inner = classifyToken(CE->getArg(0));
      Inner.E = E;
      Inner.AsTuple = true;
      return Inner;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE))
      if (OC->getOperator() == OO_Subscript && OC->getNumArgs() == 2) {
        CompletionToken Inner = classifyToken(OC->getArg(0));
        if (Inner.Kind == TokenKind::Yield) {
          Inner.E = E;
          Inner.ErrorVarRef = peel(OC->getArg(1));
          if (const auto *DRE = dyn_cast<DeclRefExpr>(Inner.ErrorVarRef))
            Inner.ErrorVar = dyn_cast<VarDecl>(DRE->getDecl());
          return Inner;
        }
      }
  }
  std::string Name = templateNameOf(recordOfType(E->getType()));
  if (!Name.empty()) {
    for (const TokenRow &R : TokenTypes)
      if (ApiModel::nameMatches(R.Name, Name, false)) {
        T.Kind = R.Kind;
        return T;
      }
    // A token variable of a wrapper type keeps its secret: do not guess.
    if (compat::endsWith(Name, "redirect_error_t") ||
        compat::endsWith(Name, "as_tuple_t"))
      return T;
  }
  T.Kind = TokenKind::Handler;
  return T;
}

std::optional<HandlerCallable> resolveHandler(const Expr *Arg) { return resolve(Arg, 0); }

const Expr *channelArg(const CallExpr *CE, const ApiEntry &Row) {
  int Ch = Row.Channel;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE)) {
    if (Ch == ChannelImplicitObject)
      return MC->getImplicitObjectArgument();
    return Ch >= 0 ? argAt(CE, Ch) : nullptr;
  }
  // A free function matched by a member-style row: the channel is its first argument.
  if (Ch == ChannelImplicitObject)
    return CE->getNumArgs() ? CE->getArg(0) : nullptr;
  return Ch >= 0 ? argAt(CE, Ch) : nullptr;
}

std::optional<AsyncCall> matchAsyncCall(const CallExpr *CE, const ApiModel &Model) {
  if (!CE || CE->containsErrors())
    return std::nullopt;
  const FunctionDecl *FD = CE->getDirectCallee();
  if (!FD)
    return std::nullopt;
  ApiOp Op = Model.lookup(FD);
  // Rows from the AsyncWriteFunctions option say nothing about the handler: take the last
  // argument, as Asio's initiating functions do.
  if (!Op || !((Op.Entry->Flags & AF_HasHandler) || Op.kind() == OpKind::AsyncWrite ||
               Op.kind() == OpKind::AsyncShutdown))
    return std::nullopt;
  AsyncCall A;
  A.Call = CE;
  A.Callee = FD;
  A.Name = FD->getNameAsString();
  A.Op = Op;
  A.Channel = channelArg(CE, *Op.Entry);
  A.Handler = argAt(CE, Op.Entry->HandlerArg);
  return A;
}

namespace {

bool isAsyncRow(const ApiEntry &E) {
  return (E.Flags & AF_HasHandler) || E.Kind == OpKind::AsyncWrite ||
         E.Kind == OpKind::AsyncShutdown;
}

const FunctionDecl *asFunction(const NamedDecl *D) {
  if (!D)
    return nullptr;
  D = D->getUnderlyingDecl(); // a using-declaration's target
  if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D))
    return FT->getTemplatedDecl();
  return dyn_cast<FunctionDecl>(D);
}

/// The class template pattern a dependent object's type names (`websocket::stream<Next>`),
/// or null (a template parameter, `auto`, a dependent member type).
const CXXRecordDecl *dependentObjectClass(QualType T, bool Arrow) {
  if (T.isNull())
    return nullptr;
  T = T.getNonReferenceType();
  if (Arrow) {
    const auto *PT = T->getAs<PointerType>();
    if (!PT)
      return nullptr;
    T = PT->getPointeeType();
  }
  const auto *TST = T->getAs<TemplateSpecializationType>();
  if (!TST)
    return nullptr;
  const auto *CT = dyn_cast_or_null<ClassTemplateDecl>(TST->getTemplateName().getAsTemplateDecl());
  if (!CT || !CT->getTemplatedDecl())
    return nullptr;
  return CT->getTemplatedDecl()->getDefinition();
}

llvm::StringRef unqualified(llvm::StringRef Name) {
  auto Pos = Name.rfind("::");
  return Pos == llvm::StringRef::npos ? Name : Name.substr(Pos + 2);
}

/// The table's row for a call known only by its name: every row of that (unqualified) name
/// that such a call may be must be an asynchronous operation, and all must agree on what the
/// handler check needs. A user's row (option, model file) is preferred to a built-in one.
ApiOp rowByName(const ApiModel &Model, llvm::StringRef Name, bool Member) {
  const ApiEntry *Chosen = nullptr;
  for (const ApiEntry &E : Model.entries()) {
    if (unqualified(E.Name) != Name)
      continue;
    if ((Member && (E.Flags & AF_FreeOnly)) || (!Member && (E.Flags & AF_MemberOnly)))
      continue;
    if (!isAsyncRow(E))
      return {};
    const unsigned Relevant = AF_HasHandler | AF_PartialCompletion;
    if (Chosen &&
        (Chosen->Kind != E.Kind || Chosen->HandlerArg != E.HandlerArg ||
         (Chosen->Flags & Relevant) != (E.Flags & Relevant) || Chosen->Result != E.Result))
      return {};
    if (!Chosen || (Chosen->Origin == RowOrigin::BuiltIn && E.Origin != RowOrigin::BuiltIn))
      Chosen = &E;
  }
  return ApiOp{Chosen};
}

} // namespace

std::optional<AsyncCall> matchDependentAsyncCall(const CallExpr *CE, const ApiModel &Model) {
  if (!CE || CE->containsErrors() || !CE->getCallee())
    return std::nullopt;
  const Expr *Callee = CE->getCallee()->IgnoreParens();
  llvm::SmallVector<const NamedDecl *, 4> Found;
  DeclarationName Name;
  bool Member = false;
  const Expr *Object = nullptr; // null: the implicit `this`
  if (const auto *ULE = dyn_cast<UnresolvedLookupExpr>(Callee)) {
    Name = ULE->getName();
    for (const NamedDecl *D : ULE->decls())
      Found.push_back(D);
  } else if (const auto *UME = dyn_cast<UnresolvedMemberExpr>(Callee)) {
    Member = true;
    Name = UME->getMemberName();
    Object = UME->isImplicitAccess() ? nullptr : UME->getBase();
    for (const NamedDecl *D : UME->decls())
      Found.push_back(D);
  } else if (const auto *DSME = dyn_cast<CXXDependentScopeMemberExpr>(Callee)) {
    Member = true;
    Name = DSME->getMember();
    Object = DSME->isImplicitAccess() ? nullptr : DSME->getBase();
    if (const CXXRecordDecl *RD = dependentObjectClass(DSME->getBaseType(), DSME->isArrow()))
      for (const NamedDecl *D : RD->lookup(Name))
        Found.push_back(D);
  } else {
    return std::nullopt;
  }
  if (!Name.isIdentifier() || !Name.getAsIdentifierInfo())
    return std::nullopt;
  AsyncCall A;
  A.Call = CE;
  A.Name = Name.getAsIdentifierInfo()->getName().str();
  for (const NamedDecl *D : Found) {
    const FunctionDecl *FD = asFunction(D);
    if (!FD)
      continue;
    ApiOp Op = Model.lookupTable(FD);
    if (Op && isAsyncRow(*Op.Entry)) {
      A.Op = Op;
      A.Callee = FD;
      break;
    }
  }
  // Only a name that found nothing yet (a member of a template parameter's type, a function
  // left to argument-dependent lookup) is matched by its name alone.
  if (!A.Op && Found.empty())
    A.Op = rowByName(Model, A.Name, Member);
  if (!A.Op)
    return std::nullopt;
  int Ch = A.Op.Entry->Channel;
  if (Ch == ChannelImplicitObject)
    A.Channel = Member ? Object : (CE->getNumArgs() ? CE->getArg(0) : nullptr);
  else
    A.Channel = Ch >= 0 ? argAt(CE, Ch) : nullptr;
  A.Handler = argAt(CE, A.Op.Entry->HandlerArg);
  return A;
}

const Expr *readHandlerArg(const CallExpr *CE) {
  const FunctionDecl *FD = CE ? CE->getDirectCallee() : nullptr;
  if (!FD || !FD->getDeclName().isIdentifier())
    return nullptr;
  for (const ReadRow &R : ReadInitiators)
    if (calleeMatches(FD, R.Name))
      return argAt(CE, R.Handler);
  return nullptr;
}

bool runsEventLoop(const CallExpr *CE) {
  const FunctionDecl *FD = CE ? CE->getDirectCallee() : nullptr;
  for (const char *R : LoopRunners)
    if (calleeMatches(FD, R))
      return true;
  return false;
}

bool completesInPlace(const CallExpr *CE, const CompletionToken &T, const ApiEntry &Row) {
  if (T.Kind == TokenKind::Yield)
    return true;
  // Only where the token decides the result type (Asio's initiating functions); uv_write
  // returns a status whatever its callback.
  if (Row.Result != ResultKind::None)
    return false;
  // A handler makes the initiating function return void; a token that makes it return a
  // value that is neither an awaitable nor a future blocks until the operation is done (a
  // yield_context, or a project's own synchronous token such as Asio's close_after example).
  QualType R = CE->getType();
  return T.Kind == TokenKind::Handler && !R.isNull() && !R->isVoidType() &&
         !R->isDependentType() && !isAwaitableType(R);
}

std::string channelSpelling(const Expr *E, const ASTContext &Ctx) {
  // `(uv_handle_t *)&c->tcp` is the handle `c->tcp`.
  for (unsigned I = 0; E && I < 8; ++I) {
    E = peel(E);
    if (const auto *CE = dyn_cast<ExplicitCastExpr>(E))
      E = CE->getSubExpr();
    else if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_AddrOf)
      E = UO->getSubExpr();
    // `p->close()` on a smart pointer: the object is `p.operator->()`, spelled `p->`.
    else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
             OC && OC->getOperator() == OO_Arrow && OC->getNumArgs() >= 1)
      E = OC->getArg(0);
    else
      break;
  }
  return spelling(E, Ctx);
}

std::string spelling(const Expr *E, const ASTContext &Ctx) {
  if (!E)
    return "?";
  const SourceManager &SM = Ctx.getSourceManager();
  CharSourceRange R = CharSourceRange::getTokenRange(E->getSourceRange());
  if (R.getBegin().isMacroID() || R.getEnd().isMacroID())
    R = SM.getExpansionRange(R);
  std::string Text = Lexer::getSourceText(R, SM, Ctx.getLangOpts()).str();
  std::string Out;
  bool Space = false;
  for (char C : Text) {
    if (C == '\n' || C == '\t' || C == ' ') {
      Space = !Out.empty();
      continue;
    }
    if (Space)
      Out += ' ';
    Space = false;
    Out += C;
  }
  if (Out.size() > 48)
    Out = Out.substr(0, 45) + "...";
  return Out.empty() ? "the stream" : Out;
}

namespace {
class ParamReads : public RecursiveASTVisitor<ParamReads> {
public:
  explicit ParamReads(const ParmVarDecl *P) : P(P) {}
  bool shouldVisitTemplateInstantiations() const { return false; }
  bool shouldVisitImplicitCode() const { return false; }
  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->getOpcode() == BO_Assign)
      noteWrite(BO->getLHS());
    return true;
  }
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *OC) {
    if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2)
      noteWrite(OC->getArg(0));
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *DRE) {
    if (DRE->getDecl() == P && !Writes.count(DRE))
      Read = true;
    return !Read;
  }
  bool Read = false;

private:
  void noteWrite(const Expr *LHS) {
    if (const auto *DRE = dyn_cast<DeclRefExpr>(LHS->IgnoreParenImpCasts()))
      Writes.insert(DRE);
  }
  const ParmVarDecl *P;
  llvm::DenseSet<const DeclRefExpr *> Writes;
};
} // namespace

const Stmt *bodyOf(const FunctionDecl *FD) {
  if (!FD)
    return nullptr;
  const FunctionDecl *Def = nullptr;
  if (FD->hasBody(Def) && Def->getBody())
    return Def->getBody();
  if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern())
    if (Pattern->hasBody(Def))
      return Def->getBody();
  return nullptr;
}

bool isParamRead(const FunctionDecl *Fn, const ParmVarDecl *Param) {
  const FunctionDecl *Def = nullptr;
  if (!Fn || !Param || !Fn->hasBody(Def) || !Def->getBody())
    return true;
  if (!Param->getIdentifier() || Param->isParameterPack())
    return Param->isParameterPack();
  // The definition may be a redeclaration with its own parameter objects.
  const ParmVarDecl *P = Param;
  if (Def != Fn && Param->getFunctionScopeIndex() < Def->getNumParams())
    P = Def->getParamDecl(Param->getFunctionScopeIndex());
  // Pre-order: an assignment is visited before the reference on its left side.
  ParamReads V(P);
  V.TraverseStmt(const_cast<Stmt *>(Def->getBody()));
  return V.Read;
}

const CXXRecordDecl *thisClassOf(const FunctionDecl *FD) {
  for (unsigned Depth = 0; FD && Depth < 8; ++Depth) {
    const auto *MD = dyn_cast<CXXMethodDecl>(FD);
    if (!MD)
      return nullptr;
    const CXXRecordDecl *RD = MD->getParent();
    if (!RD->isLambda())
      return MD->isStatic() ? nullptr : RD;
    // A lambda: `this` is the enclosing function's.
    const DeclContext *DC = RD->getDeclContext();
    while (DC && !isa<FunctionDecl>(DC))
      DC = DC->getParent();
    FD = dyn_cast_or_null<FunctionDecl>(DC);
  }
  return nullptr;
}

namespace {

/// Libraries whose asynchronous write queues behind one in flight (a row's Family).
const char *const QueueingFamilies[] = {"libuv"};

/// Calls that hand a task to an executor; the task is the last argument.
const char *const Posters[] = {"asio::post",
                               "asio::dispatch",
                               "asio::defer",
                               "asio::io_context::post",
                               "asio::io_context::dispatch",
                               "asio::io_service::post",
                               "asio::io_service::dispatch",
                               "asio::io_context::strand::post",
                               "asio::io_context::strand::dispatch",
                               "asio::io_service::strand::post",
                               "asio::io_service::strand::dispatch",
                               "asio::strand::post",
                               "asio::strand::dispatch",
                               "asio::strand::defer"};

/// The prefix of Asio's (and Asio-style projects') initiating functions.
const char *const AsyncInitiatorPrefix = "async_";

struct ChangeRow {
  const char *Method;
  MemberChange Change;
};
/// Methods of containers, smart pointers, optionals and atomics that put something in a
/// member or take it out.
const ChangeRow MemberChanges[] = {
    {"push_back", MemberChange::Fill},    {"push_front", MemberChange::Fill},
    {"emplace_back", MemberChange::Fill}, {"emplace_front", MemberChange::Fill},
    {"push", MemberChange::Fill},         {"emplace", MemberChange::Fill},
    {"insert", MemberChange::Fill},       {"append", MemberChange::Fill},
    {"test_and_set", MemberChange::Fill}, {"enqueue", MemberChange::Fill},
    {"add", MemberChange::Fill},          {"dequeue", MemberChange::Drain},
    {"remove", MemberChange::Drain},      {"pop_front", MemberChange::Drain},
    {"pop_back", MemberChange::Drain},    {"pop", MemberChange::Drain},
    {"erase", MemberChange::Drain},       {"clear", MemberChange::Drain},
    {"consume", MemberChange::Drain},     {"reset", MemberChange::Drain},
    {"release", MemberChange::Drain},     {"swap", MemberChange::Both},
    {"exchange", MemberChange::Both},     {"store", MemberChange::Both},
    {"assign", MemberChange::Both}};

/// The name a call's callee has in a template pattern before it is resolved, or "".
llvm::StringRef unresolvedCalleeName(const CallExpr *CE) {
  const Expr *Callee = CE->getCallee() ? CE->getCallee()->IgnoreParens() : nullptr;
  DeclarationName Name;
  if (const auto *ULE = dyn_cast_or_null<UnresolvedLookupExpr>(Callee))
    Name = ULE->getName();
  else if (const auto *UME = dyn_cast_or_null<UnresolvedMemberExpr>(Callee))
    Name = UME->getMemberName();
  else if (const auto *DSME = dyn_cast_or_null<CXXDependentScopeMemberExpr>(Callee))
    Name = DSME->getMember();
  if (!Name.isIdentifier() || !Name.getAsIdentifierInfo())
    return {};
  return Name.getAsIdentifierInfo()->getName();
}

/// The unqualified name of the function \p CE calls, resolved or not, or "".
llvm::StringRef calleeName(const CallExpr *CE) {
  if (const FunctionDecl *FD = CE->getDirectCallee())
    return FD->getDeclName().isIdentifier() ? FD->getName() : llvm::StringRef();
  return unresolvedCalleeName(CE);
}

} // namespace

bool queuesOverlappingWrites(const ApiEntry &Row) {
  for (const char *F : QueueingFamilies)
    if (Row.Family == F)
      return true;
  return false;
}

const Expr *postedTaskArg(const CallExpr *CE) {
  if (!CE || CE->getNumArgs() == 0 || CE->containsErrors())
    return nullptr;
  if (const FunctionDecl *FD = CE->getDirectCallee()) {
    for (const char *P : Posters)
      if (calleeMatches(FD, P))
        return lastHandlerArg(CE);
    return nullptr;
  }
  llvm::StringRef Name = unresolvedCalleeName(CE);
  if (Name.empty())
    return nullptr;
  for (const char *P : Posters)
    if (unqualified(P) == Name)
      return lastHandlerArg(CE);
  return nullptr;
}

bool isAsyncInitiation(const CallExpr *CE) {
  return CE && compat::startsWith(calleeName(CE), AsyncInitiatorPrefix);
}

MemberChange memberChangeOf(llvm::StringRef Method) {
  for (const ChangeRow &R : MemberChanges)
    if (Method == R.Method)
      return R.Change;
  return MemberChange::None;
}

std::optional<HandlerCallable> resolveHandlerInPattern(const Expr *Arg) {
  if (auto H = resolveHandler(Arg))
    return H;
  const auto *CE = dyn_cast_or_null<CallExpr>(Arg ? peel(Arg) : nullptr);
  if (!CE || CE->getDirectCallee() || CE->getNumArgs() == 0)
    return std::nullopt;
  llvm::StringRef Name = unresolvedCalleeName(CE);
  for (const WrapperRow &W : Wrappers) {
    if (Name.empty() || unqualified(W.Name) != Name)
      continue;
    const Expr *Inner = W.Inner < 0 ? lastHandlerArg(CE) : argAt(CE, W.Inner);
    if (const FunctionDecl *Target = functionNamedBy(Inner)) {
      HandlerCallable H;
      H.Fn = Target;
      H.Site = CE;
      H.How = unqualified(W.Name).str();
      return H;
    }
    return resolveHandlerInPattern(Inner);
  }
  return std::nullopt;
}

} // namespace drain
