//===--- PreambleBodies.cpp - the project's function bodies in clangd's preamble ===//
//
// clangd parses the #includes at the top of a file once, into a preamble, and skips the body
// of every function it meets there (clangd's Preamble.cpp sets SkipFunctionBodies: a smaller,
// faster preamble). drain's analysis reads the bodies of functions declared in headers: an
// inline method that appends to the write buffer is a write, one that calls ::close(fd_) is a
// close, a helper that loops over send() is a composed write (summaries, inferred roles).
// Without those bodies a connection class declared in a project header and misused in the
// file being edited is reported by drain-tidy in CI and never in the editor.
//
// Sema asks the AST consumer before it skips a body. A frontend plugin that runs before the
// main action has its consumer joined to the main one (FrontendAction's
// CreateWrappedASTConsumer), and the joint answer is "skip" only if every consumer says so
// (MultiplexConsumer). This plugin answers "keep" in preamble builds for functions outside
// system headers, so the project's own inline functions and templates are parsed as drain-tidy
// parses them; the standard library, Boost and the rest of the system headers stay skipped, as
// clangd made them. Every other compile (the file itself, the index) is left as it is.
// DRAIN_CLANGD_SKIP_PREAMBLE_BODIES=1 in drain-clangd's environment restores clangd's skipping
// (for measuring what the bodies cost, or a project whose own headers are huge).
//
//===----------------------------------------------------------------------===//
#include "clang/AST/ASTConsumer.h"
#include "clang/AST/DeclBase.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "llvm/ADT/StringRef.h"
#include <cstdlib>
#include <memory>

using namespace clang;

namespace drain::clangd {
namespace {

/// In a preamble build: keep the bodies of functions outside system headers.
class KeepProjectBodies : public ASTConsumer {
public:
  explicit KeepProjectBodies(const SourceManager &SM) : SM(SM) {}
  bool shouldSkipFunctionBody(Decl *D) override {
    return SM.isInSystemHeader(D->getLocation());
  }

private:
  const SourceManager &SM;
};

class PreambleBodiesAction : public PluginASTAction {
protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 llvm::StringRef) override {
    static const bool Off = [] {
      const char *V = std::getenv("DRAIN_CLANGD_SKIP_PREAMBLE_BODIES");
      return V && *V && llvm::StringRef(V) != "0";
    }();
    if (Off || !CI.getPreprocessorOpts().GeneratePreamble)
      return std::make_unique<ASTConsumer>(); // skips what the main consumer skips
    return std::make_unique<KeepProjectBodies>(CI.getSourceManager());
  }
  bool ParseArgs(const CompilerInstance &, const std::vector<std::string> &) override {
    return true;
  }
  ActionType getActionType() override { return AddBeforeMainAction; }
};

} // namespace

// Registered when the object is linked (drain-clangd only: checker/tools/CMakeLists.txt).
static FrontendPluginRegistry::Add<PreambleBodiesAction>
    X("drain-preamble-bodies", "keep the project's function bodies in clangd's preamble");

} // namespace drain::clangd
