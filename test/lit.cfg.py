# -*- Python -*-
# lit configuration for drain's check tests. Run through ctest (`ctest -R lit`) or directly:
#   python3 /usr/lib/llvm-19/build/utils/lit/lit.py -sv build/test
import os
import shutil

import lit.formats

config.name = "drain"
config.test_format = lit.formats.ShTest(not lit_config.isWindows)
config.suffixes = [".cpp", ".c", ".test"]
config.excludes = ["Inputs", "unit", "CMakeLists.txt", "lit.cfg.py", "check_drain.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.drain_obj_root, "test")

config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, config.environment.get("PATH", os.environ.get("PATH", ""))])
for var in ("HOME", "TMPDIR", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
    if var in os.environ:
        config.environment[var] = os.environ[var]
# drain-audit's result cache: the tests' own, never the user's ~/.cache/drain.
config.environment["XDG_CACHE_HOME"] = os.path.join(config.drain_obj_root, "test", "xdg-cache")

driver = os.path.join(config.test_source_root, "check_drain.py")
check_drain = " ".join([
    config.python, driver,
    "--front-doors=" + config.drain_front_doors,
    "--host-clang-tidy=" + config.host_clang_tidy,
    "--plugin=" + config.drain_plugin,
    "--drain-tidy=" + config.drain_tidy,
    "--filecheck=" + config.filecheck,
])
config.substitutions.append(("%check_drain", check_drain))
# %drain_clang_tidy: a clang-tidy that has drain's checks, whichever front door was built
# (drain-tidy, or the host clang-tidy with --load in the lighter LLVM 14/22 legs). Listed
# before %drain_tidy so that the longer name is substituted first.
if "tidy" in config.drain_front_doors.split(","):
    config.substitutions.append(("%drain_clang_tidy", config.drain_tidy))
else:
    config.substitutions.append(("%drain_clang_tidy",
                                 config.host_clang_tidy + " --load=" + config.drain_plugin))
config.substitutions.append(("%drain_tidy", config.drain_tidy))
config.substitutions.append(("%drain_plugin", config.drain_plugin))
config.substitutions.append(("%host_clang_tidy", config.host_clang_tidy))
if "plugin" in config.drain_front_doors.split(","):
    config.substitutions.append(("%clang_tidy_load",
                                 config.host_clang_tidy + " --load=" + config.drain_plugin))
else:
    # No plugin front door (a sanitizer build: an instrumented plugin cannot be loaded into
    # Debian's clang-tidy): the lines that also try the plugin run drain-tidy instead.
    config.substitutions.append(("%clang_tidy_load", config.drain_tidy))
config.substitutions.append(("%FileCheck", config.filecheck))
config.substitutions.append(("%python", config.python))
config.substitutions.append(("%{llvm_version}", config.drain_llvm_version))
config.substitutions.append(("%drain_src", config.drain_src_root))
config.substitutions.append(("%drain_obj", config.drain_obj_root))

config.available_features.add("llvm-" + config.drain_llvm_version)
for door in config.drain_front_doors.split(","):
    config.available_features.add("front-door-" + door)
for tool in ("clang-tidy-14", "clang-tidy-22", "clang-tidy-19", "curl", "strace", "nvim"):
    if shutil.which(tool):
        config.available_features.add(tool)

# The reference connection is in the compile database when it was built (DRAIN_BUILD_REFERENCE).
_db = os.path.join(config.drain_obj_root, "compile_commands.json")
if os.path.exists(_db) and "/reference/src/" in open(_db).read():
    config.available_features.add("reference")

# A clang-tidy of another LLVM major, to prove the plugin's version guard refuses it.
for other in ("14", "19", "22"):
    if other != config.drain_llvm_version and shutil.which("clang-tidy-" + other):
        config.available_features.add("other-clang-tidy")
        config.substitutions.append(("%other_clang_tidy", shutil.which("clang-tidy-" + other)))
        config.substitutions.append(("%other_llvm_version", other))
        break

# drain-clangd (-DDRAIN_BUILD_CLANGD, on by default for LLVM >= 19) and the tool tests under tools/.
config.drain_clangd = os.path.join(config.drain_obj_root, "bin", "drain-clangd")
if getattr(config, "drain_build_clangd", "OFF").upper() in ("ON", "1", "TRUE", "YES", "Y"):
    config.available_features.add("drain-clangd")
config.substitutions.append(("%drain_clangd", config.drain_clangd))
# Real asynchronous I/O headers (scripts/packages/async.txt) for the real-header tests.
for feature, header in (("boost-asio", "/usr/include/boost/asio.hpp"),
                        ("boost-beast", "/usr/include/boost/beast.hpp"),
                        ("asio", "/usr/include/asio.hpp"),
                        ("libuv", "/usr/include/uv.h")):
    if os.path.exists(header):
        config.available_features.add(feature)
