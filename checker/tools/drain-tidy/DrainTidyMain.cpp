//===--- DrainTidyMain.cpp - clang-tidy with drain linked in --------------===//
//
// Every clang-tidy flag and .clang-tidy file works as it does in clang-tidy; the drain-* checks
// are simply there without --load.
//
//===----------------------------------------------------------------------===//
#include "Compat.h"
#include "clang-tidy/tool/ClangTidyMain.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

namespace drain::tidy {
extern volatile int DrainModuleAnchorSource;
} // namespace drain::tidy

int main(int argc, const char **argv) {
  // Keep the module's object (and its registration) in the link.
  (void)drain::tidy::DrainModuleAnchorSource;
  llvm::cl::AddExtraVersionPrinter([](llvm::raw_ostream &OS) {
    OS << "drain " << DRAIN_VERSION << " (built against LLVM " << LLVM_VERSION_STRING << ")\n";
  });
  return clang::tidy::clangTidyMain(argc, argv);
}
