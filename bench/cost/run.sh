#!/usr/bin/env bash
# drain's cost benchmark (see run.py): clang-19 -fsyntax-only, clang-tidy-19 with
# bugprone-unused-return-value, and drain-tidy with every drain check, on the same real TUs.
#   bench/cost/run.sh [--reps N] [--tidy PATH] [--out DIR] [--tu PKG:FILE ...]
# Writes cost.csv and cost-meta.txt to bench/results/<yyyy-mm-dd>/. Needs the corpus
# (bench/corpus/fetch.sh). Runs niced; a benchmark, never part of ./dev.sh test.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ -x /usr/bin/time ] || { echo "cost/run.sh: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }
exec nice -n 10 python3 "$HERE/run.py" "$@"
