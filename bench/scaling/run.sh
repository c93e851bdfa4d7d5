#!/usr/bin/env bash
# drain's scaling benchmark (see run.py): drain-tidy's time per function size and shape, and the
# growth exponent. Writes scaling.csv and scaling-meta.txt to bench/results/<yyyy-mm-dd>/.
#   bench/scaling/run.sh [--reps N] [--sizes 100,300,1000,3000,10000,30000] [--tidy PATH] [--out DIR]
# Runs niced; a benchmark, never part of ./dev.sh test.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ -x /usr/bin/time ] || { echo "scaling/run.sh: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }
exec nice -n 10 python3 "$HERE/run.py" "$@"
