#!/usr/bin/env bash
# drain's developer entry point. The README's two commands are `./dev.sh demo` and
# `./dev.sh test`; .ci/run calls `./dev.sh test`.
#
#   ./dev.sh demo        install what is missing, build, run drain-tidy on examples/hyper_port.cpp
#   ./dev.sh test        install what is missing, build with LLVM 19 and run every test (lit,
#                        gtest, the reference connection), then the lit suite through the plugin
#                        built for LLVM 14 and 22, and drain-clangd built for 22 (set DRAIN_LEGS=""
#                        to skip those legs)
#   ./dev.sh build       build only (LLVM 19)
#   ./dev.sh lint        clang-tidy-19 with checker/.clang-tidy over checker/*.cpp (no function
#                        over 80 lines), with build/llvm-19/compile_commands.json; any warning fails
#   ./dev.sh leg N       build the plugin (and drain-clangd, for N >= 19) for LLVM N and run the
#                        lit suite through clang-tidy-N
#   ./dev.sh sanitize    build drain-tidy and the unit tests with AddressSanitizer and
#                        UndefinedBehaviorSanitizer (build/llvm-19-sanitize) and run lit and the
#                        unit tests with them; any report fails the run
#   ./dev.sh sanitize-corpus [PKG...]  the real-code corpus through that drain-tidy
#   ./dev.sh deps [set]  install the Debian packages of scripts/packages/<set>.txt (default: all)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
LLVM="${DRAIN_LLVM_VERSION:-19}"
LEGS="${DRAIN_LEGS-14 22}"
BUILD="${DRAIN_BUILD_DIR:-$ROOT/build/llvm-$LLVM}"
JOBS="${DRAIN_JOBS:-$(nproc)}"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'dev.sh: error: %s\n' "$*" >&2; exit 2; }

# Installs the packages listed in scripts/packages/<set>.txt that are not installed yet.
# Lines may use @V@ for an LLVM major.
deps() {
  local v="$1"; shift
  local want=() missing=()
  for set in "$@"; do
    local f="$ROOT/scripts/packages/$set.txt"
    [ -f "$f" ] || die "no package list $f"
    while read -r pkg _; do
      [ -z "$pkg" ] && continue
      case "$pkg" in \#*) continue ;; esac
      want+=("${pkg//@V@/$v}")
    done < "$f"
  done
  for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "missing Debian packages (run as root or install them): ${missing[*]}"
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y --no-install-recommends "${missing[@]}" >/tmp/drain-apt.log 2>&1; then
    apt-get update >/tmp/drain-apt-update.log 2>&1 || die "apt-get update failed (/tmp/drain-apt-update.log)"
    apt-get install -y --no-install-recommends "${missing[@]}" >/tmp/drain-apt.log 2>&1 \
      || { tail -20 /tmp/drain-apt.log; die "apt-get install failed"; }
  fi
}

all_sets() { ls "$ROOT/scripts/packages" | sed -n 's/\.txt$//p' | grep -v '^leg$'; }

# configure_build V DIR [TARGET] -- [cmake args...]
configure_build() {
  local v="$1" dir="$2" target="${3:-all}"; shift 3
  cmake -S "$ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER="clang-$v" -DCMAKE_CXX_COMPILER="clang++-$v" \
    -DDRAIN_LLVM_VERSION="$v" "$@" >"$dir.configure.log" 2>&1 \
    || { tail -30 "$dir.configure.log"; die "cmake configure failed (LLVM $v)"; }
  cmake --build "$dir" -j "$JOBS" --target "$target" || die "build failed (LLVM $v)"
}

build() {
  deps "$LLVM" $(all_sets)
  mkdir -p "$ROOT/build"
  configure_build "$LLVM" "$BUILD" "${1:-all}"
}

leg() {
  local v="$1" dir="$ROOT/build/llvm-$1-leg"
  deps "$v" leg
  mkdir -p "$ROOT/build"
  log "LLVM $v leg: plugin (and drain-clangd where LLVM >= 19) + lit through clang-tidy-$v"
  # -U: DRAIN_BUILD_CLANGD takes CMake's default for this major (on from 19), also in a leg
  # directory configured when legs passed OFF.
  configure_build "$v" "$dir" all -DDRAIN_BUILD_TIDY=OFF -DDRAIN_BUILD_UNITTESTS=OFF \
    -DDRAIN_BUILD_REFERENCE=OFF -UDRAIN_BUILD_CLANGD
  (cd "$dir" && ctest --output-on-failure -R '^lit$')
}

# The sanitizer build: drain's own code instrumented (LLVM's libraries are not), every report
# fatal, leak checking on. The corpus through it (with the same options, see sanitizer_env):
#   ./dev.sh sanitize-corpus [PKG...]   -> bench/results/<date>-sanitize/corpus
sanitize() {
  local dir="$ROOT/build/llvm-$LLVM-sanitize"
  deps "$LLVM" $(all_sets)
  mkdir -p "$ROOT/build"
  log "LLVM $LLVM with -fsanitize=address,undefined: drain-tidy, unit tests, lit"
  configure_build "$LLVM" "$dir" all -DDRAIN_SANITIZE=address,undefined \
    -DDRAIN_BUILD_REFERENCE=OFF -DDRAIN_BUILD_CLANGD=OFF
  (cd "$dir" && sanitizer_env ctest --output-on-failure -j "$JOBS" --timeout 2400)
}
# The sanitizers' options: every report fatal; leaks allocated inside Debian's (uninstrumented)
# LLVM libraries are clang's, suppressed by test/sanitizers/lsan.supp (see there).
sanitizer_env() {
  ASAN_OPTIONS="halt_on_error=1:detect_stack_use_after_return=1" \
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
  LSAN_OPTIONS="suppressions=$ROOT/test/sanitizers/lsan.supp:print_suppressions=0" "$@"
}

# clang-tidy-19 with checker/.clang-tidy over the checker's sources, with the compile database
# of the LLVM 19 build; any warning (or a file that does not compile) fails.
lint() {
  local db="$ROOT/build/llvm-19" out
  [ -f "$db/compile_commands.json" ] || die "no $db/compile_commands.json (run ./dev.sh build)"
  command -v clang-tidy-19 >/dev/null || die "clang-tidy-19 is not installed"
  log "clang-tidy-19 (checker/.clang-tidy) over checker/*.cpp"
  out="$(mktemp)"
  git -C "$ROOT" ls-files -z 'checker/*.cpp' |
    xargs -0 -n 1 -P "$JOBS" clang-tidy-19 -p "$db" --quiet \
      --config-file="$ROOT/checker/.clang-tidy" >"$out" 2>&1 || true
  if grep -qE '(warning|error):' "$out"; then
    grep -vE '^[0-9]+ (warning|error)s? generated' "$out"
    rm -f "$out"
    die "lint: clang-tidy reported the above"
  fi
  rm -f "$out"
  log "lint: nothing reported"
}

case "${1:-}" in
  demo)
    build drain-tidy
    log "drain-tidy on examples/hyper_port.cpp (a C++ port of hyper's pre-fix poll loop)"
    set +e
    "$BUILD/bin/drain-tidy" "$ROOT/examples/hyper_port.cpp" -checks='-*,drain-*' -- -std=c++17
    rc=$?
    set -e
    [ $rc -le 1 ] || die "drain-tidy failed with exit $rc"
    log "the warnings above are drain's; see docs/getting-started.md for what they mean"
    ;;
  test)
    build
    log "ctest (LLVM $LLVM): lit, unit tests, reference connection"
    (cd "$BUILD" && ctest --output-on-failure -j "$JOBS" --timeout 1200)
    for v in $LEGS; do leg "$v"; done
    log "all tests passed"
    ;;
  build) build ;;
  lint) lint ;;
  sanitize) sanitize ;;
  sanitize-corpus)
    shift
    [ -x "$ROOT/build/llvm-$LLVM-sanitize/bin/drain-tidy" ] || die "run ./dev.sh sanitize first"
    sanitizer_env "$ROOT/bench/corpus/run.sh" --tidy "$ROOT/build/llvm-$LLVM-sanitize/bin/drain-tidy" \
      --out "$ROOT/bench/results/$(date +%F)-sanitize/corpus" "$@"
    ;;
  leg) [ -n "${2:-}" ] || die "usage: ./dev.sh leg N"; leg "$2" ;;
  deps) shift; deps "$LLVM" ${@:-$(all_sets)} ;;
  *) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
