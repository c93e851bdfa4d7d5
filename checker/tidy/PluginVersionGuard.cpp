//===--- PluginVersionGuard.cpp - refuse a clang-tidy of another major ----===//
//
// A plugin built for one LLVM major and loaded into another clang-tidy resolves its clang
// symbols against the wrong library: it lists its checks and then silently runs nothing, exit 0.
// That is exactly the silent success drain exists to fight, so the plugin checks the host at
// load time and makes the run fail with one line that names both versions.
//
//===----------------------------------------------------------------------===//
#include "Compat.h"
#include "clang/Basic/Version.h"
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {
/// The first integer after "version " in a clang version string, or -1.
int majorOf(const std::string &Full) {
  auto Pos = Full.find("version ");
  if (Pos == std::string::npos)
    return -1;
  Pos += 8;
  int Major = 0;
  bool Any = false;
  while (Pos < Full.size() && Full[Pos] >= '0' && Full[Pos] <= '9') {
    Major = Major * 10 + (Full[Pos++] - '0');
    Any = true;
  }
  return Any ? Major : -1;
}

struct VersionGuard {
  VersionGuard() {
    // Resolved against the host's libclang-cpp, not the one this plugin was compiled with.
    int Host = majorOf(clang::getClangFullVersion());
    if (Host == CLANG_VERSION_MAJOR || std::getenv("DRAIN_SKIP_VERSION_GUARD"))
      return;
    std::fprintf(stderr,
                 "drain: error: this plugin was built for clang-tidy %d but was loaded into "
                 "clang-tidy %d; use drain-tidy, or build drain with "
                 "-DDRAIN_LLVM_VERSION=%d\n",
                 CLANG_VERSION_MAJOR, Host, Host);
    std::fflush(stderr);
    // Inside the dynamic loader: skip atexit handlers and static destructors.
    std::_Exit(2);
  }
} Guard;
} // namespace
