//===--- DrainClangdMain.cpp - clangd with drain linked in ----------------===//
//
// Debian's clangd is clangdMain() from libclangdMain.a plus a two-line main; this is the same
// main with drain's module kept in the link, so the drain-* checks are registered with the
// clang-tidy that clangd runs on every edit. Every clangd flag and .clangd file works as usual.
//
//===----------------------------------------------------------------------===//
#include "Compat.h"
#include "llvm/Support/raw_ostream.h"
#include <cstring>

namespace clang::clangd {
// Declared in clang-tools-extra/clangd/tool/ClangdMain.h, which Debian does not install.
int clangdMain(int argc, char *argv[]);
} // namespace clang::clangd

namespace drain::tidy {
extern volatile int DrainModuleAnchorSource;
} // namespace drain::tidy

int main(int argc, char *argv[]) {
  // Keep the module's object (and its registration) in the link.
  (void)drain::tidy::DrainModuleAnchorSource;
  // clangd installs its own version printer, which replaces any extra one; say who we are first.
  for (int I = 1; I < argc; ++I)
    if (!std::strcmp(argv[I], "--version") || !std::strcmp(argv[I], "-version"))
      llvm::outs() << "drain " << DRAIN_VERSION << " (drain-clangd, built against LLVM "
                   << LLVM_VERSION_STRING << ")\n";
  return clang::clangd::clangdMain(argc, argv);
}
