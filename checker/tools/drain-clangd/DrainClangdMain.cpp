//===--- DrainClangdMain.cpp - clangd with drain linked in ----------------===//
//
// Debian's clangd is clangdMain() from libclangdMain.a plus a two-line main; this is the same
// main with drain's module kept in the link, so the drain-* checks are registered with the
// clang-tidy that clangd runs on every edit. Every clangd flag and .clangd file works as usual.
//
// clangd runs by default (FastCheckFilter: Strict) only the checks on its list of fast checks,
// which cannot name drain's. drain-clangd answers clangd's question "is this check fast?" for
// drain's checks from DrainFastChecks.inc, measured the way clangd measures its own
// (bench/editor/fast-checks.py), and leaves every other check to clangd's list: the link
// redirects clangd's calls of isFastTidyCheck here (--wrap, see CMakeLists.txt).
//
//===----------------------------------------------------------------------===//
#include "Compat.h"
#include "analysis/core/ToolLog.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <mutex>
#include <optional>

namespace clang::clangd {
// Declared in clang-tools-extra/clangd/tool/ClangdMain.h, which Debian does not install.
int clangdMain(int argc, char *argv[]);
} // namespace clang::clangd

namespace drain::tidy {
extern volatile int DrainModuleAnchorSource;
} // namespace drain::tidy

namespace drain::clangd {

/// clangd's own answer (the definition in its TidyProvider), reached through the linker's
/// __real_ name.
std::optional<bool> clangdIsFastTidyCheck(llvm::StringRef Check)
    asm("__real_" DRAIN_CLANGD_FAST_CHECK_SYMBOL);

/// What clangd's calls of isFastTidyCheck reach: drain's measured decisions for drain's
/// checks (true fast, false slow), clangd's list for every other check.
std::optional<bool> isFastTidyCheck(llvm::StringRef Check)
    asm("__wrap_" DRAIN_CLANGD_FAST_CHECK_SYMBOL);

std::optional<bool> isFastTidyCheck(llvm::StringRef Check) {
  std::optional<bool> Drain = llvm::StringSwitch<std::optional<bool>>(Check)
#define FAST(CHECK, DELTA) .Case(#CHECK, true)
#define SLOW(CHECK, DELTA) .Case(#CHECK, false)
#include "DrainFastChecks.inc"
                                  .Default(std::nullopt);
  if (Drain)
    return Drain;
  if (Check.starts_with("drain-"))
    return std::nullopt; // not measured yet: unknown, as clangd says of a new check
  return clangdIsFastTidyCheck(Check);
}

/// The analysis' log lines (a function skipped over its work budget) in clangd's own log, in
/// its format (`I[hh:mm:ss.mmm] ...` on stderr), where editors show clangd's output.
void logToClangd(llvm::StringRef Line) {
  static std::mutex Lock;
  using namespace std::chrono;
  auto Now = system_clock::now();
  std::time_t T = system_clock::to_time_t(Now);
  unsigned Ms = duration_cast<milliseconds>(Now.time_since_epoch()).count() % 1000;
  std::tm Tm{};
  localtime_r(&T, &Tm);
  char Stamp[32];
  std::snprintf(Stamp, sizeof Stamp, "I[%02d:%02d:%02d.%03u] ", Tm.tm_hour, Tm.tm_min,
                Tm.tm_sec, Ms);
  std::lock_guard<std::mutex> Guard(Lock);
  llvm::errs() << Stamp << Line << "\n";
  llvm::errs().flush();
}

} // namespace drain::clangd

int main(int argc, char *argv[]) {
  // Keep the module's object (and its registration) in the link.
  (void)drain::tidy::DrainModuleAnchorSource;
  drain::setToolLogSink(drain::clangd::logToClangd);
  // clangd installs its own version printer, which replaces any extra one; say who we are first.
  for (int I = 1; I < argc; ++I)
    if (!std::strcmp(argv[I], "--version") || !std::strcmp(argv[I], "-version"))
      llvm::outs() << "drain " << DRAIN_VERSION << " (drain-clangd, built against LLVM "
                   << LLVM_VERSION_STRING << ")\n";
  return clang::clangd::clangdMain(argc, argv);
}
