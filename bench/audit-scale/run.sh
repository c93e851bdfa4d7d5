#!/usr/bin/env bash
# drain audit at scale (see run.py): first run, cached re-run, a one-file change, 2 and 4
# shards (+ merge), and run-clang-tidy-19 on the same database as the anchor, per corpus
# package and over several packages at once. A benchmark, never part of ./dev.sh test.
#   bench/audit-scale/run.sh [--jobs N] [--tidy PATH] [--out DIR] [--together | --only-together]
#                            [--skip nocache,shards,run-clang-tidy,cpp-E] PKG...
# The packages are copied to a scratch directory first (the corpus is never edited).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec nice -n 10 python3 "$HERE/run.py" "$@"
