#!/usr/bin/env bash
# Builds drain-tidy (and drain-audit) exactly as committed at COMMIT (default HEAD), outside
# the work tree, so that benchmark figures name the code they measured even while the work tree
# holds uncommitted changes. Prints the path of the drain-tidy it built.
#   bench/build.sh [COMMIT]      -> $DRAIN_BENCH_BUILDS/<sha>/build/bin/drain-tidy
# (DRAIN_BENCH_BUILDS defaults to /work/drain-builds.) `git archive` reads the commit without
# touching the work tree or the index. Builds niced with -j2.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rev="$(git -C "$ROOT" rev-parse --short=12 "${1:-HEAD}")"
dir="${DRAIN_BENCH_BUILDS:-/work/drain-builds}/$rev"
if [ ! -x "$dir/build/bin/drain-tidy" ]; then
  rm -rf "$dir/src"; mkdir -p "$dir/src"
  git -C "$ROOT" archive "$rev" | tar -x -C "$dir/src"
  cmake -S "$dir/src" -B "$dir/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 -DDRAIN_BUILD_REFERENCE=OFF \
    -DDRAIN_BUILD_UNITTESTS=OFF -DDRAIN_BUILD_CLANGD=OFF >"$dir/configure.log" 2>&1 \
    || { tail -20 "$dir/configure.log" >&2; exit 2; }
  nice -n 10 ninja -C "$dir/build" -j2 drain-tidy >"$dir/build.log" 2>&1 \
    || { tail -30 "$dir/build.log" >&2; exit 2; }
  nice -n 10 ninja -C "$dir/build" -j2 all >>"$dir/build.log" 2>&1 || true
fi
echo "$dir/build/bin/drain-tidy"
