#!/usr/bin/env bash
# Runs drain over the corpus that fetch.sh made and writes what it found, per package and per
# check, with crash and timeout counts. A benchmark, never part of ./dev.sh test.
#
#   bench/corpus/run.sh [--quick] [--jobs N] [--timeout S] [--checks GLOB] [--tidy PATH]
#                       [--out DIR] [--audit] [PKG...]
#
#   --quick     only the packages marked quick in packages.txt
#   --jobs N    translation units analysed at once (default 2)
#   --timeout S per-TU limit in seconds; a TU that takes longer counts as a hang (default 300)
#   --checks    the clang-tidy -checks value (default '-*,drain-*')
#   --tidy      the drain-tidy binary (default: $DRAIN_TIDY, build-e/, build/llvm-19/)
#   --out       where the small result files go (default bench/results/<yyyy-mm-dd>)
#   --audit     also run `drain-audit` (the user's front door) over each package and keep its
#               summary in audit.txt; its SARIF and HTML stay with the logs
#
# Every TU of a package's compile database is analysed with
#   drain-tidy -p <corpus>/<pkg> -checks=... -header-filter='^<corpus>/<pkg>/src/' FILE
# under `timeout` and /usr/bin/time, niced. The warnings of a package are deduplicated by
# file:line:column:check (a header's finding is counted once, however many TUs include it).
#
# Writes, in --out (small, meant to be committed):
#   packages.csv  package,version,tus,ok,compile_errors,crashes,timeouts,findings,tu_seconds,
#                 cpu_s,max_rss_kb  (the per-TU wall and user+sys times added up)
#   counts.csv    package,check,findings  (every check drain-tidy lists, zeros included)
#   findings.csv  package,check,file,line,column,message  (file relative to the package's src/)
#   failures.txt  each crash and timeout: the TU and the command that reproduces it
#   tus.csv       package,file,exit,seconds,cpu_s,max_rss_kb,warnings  (per TU)
#   meta.txt      date, machine, drain commit, the command line
# and the full logs under <corpus>/results/<date>-<time>/ (not committed).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="${DRAIN_CORPUS:-/work/corpus}"

# Worker: one TU. Called by xargs as `run.sh --tu LOGDIR PKG FILE`.
# (Everything is in functions so that bash has read the whole file before running any of it:
# editing the script during a run cannot change the run.)
tu_main() {
  local logdir="$2" pkg="$3" file="$4" key log rc secs rss usr sys warn
  key="$(printf '%s' "$file" | md5sum | cut -c1-12)"
  log="$logdir/$pkg/$key.log"
  set +e
  /usr/bin/time -f 'DRAIN_TIME %e %M %U %S' -o "$log.time" \
    timeout -k 10 "$DRAIN_TIMEOUT" nice -n 10 "$DRAIN_TIDY" -p "$WORK/$pkg" \
    -checks="$DRAIN_CHECKS" -header-filter="^$WORK/$pkg/src/" --quiet "$file" >"$log" 2>&1
  rc=$?
  set -e
  # /usr/bin/time prints "Command exited with non-zero status N" first when rc != 0.
  secs=0 rss=0 usr=0 sys=0
  if grep -q '^DRAIN_TIME' "$log.time"; then
    read -r _ secs rss usr sys < <(grep '^DRAIN_TIME' "$log.time")
  fi
  warn=$(grep -c -E ': warning: .* \[[a-z0-9.-]+\]$' "$log" || true)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$pkg" "$file" "$rc" "$secs" "$rss" "$warn" "$key" \
    "$(awk -v u="$usr" -v s="$sys" 'BEGIN{printf "%.2f", u + s}')" \
    >"$log.row"
}


main() {
AUDIT=0 QUICK=0 JOBS=2 TIMEOUT=300 CHECKS='-*,drain-*' TIDY="${DRAIN_TIDY:-}" OUT="" ONLY=()
local ARGS=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --audit) AUDIT=1 ;;
    --jobs) JOBS="$2"; shift ;;
    --timeout) TIMEOUT="$2"; shift ;;
    --checks) CHECKS="$2"; shift ;;
    --tidy) TIDY="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    -h|--help) sed -n '2,31p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) ONLY+=("$1") ;;
  esac
  shift
done
die() { printf 'run.sh: error: %s\n' "$*" >&2; exit 2; }
if [ -z "$TIDY" ]; then
  for c in "$ROOT/build-e/bin/drain-tidy" "$ROOT/build/llvm-19/bin/drain-tidy"; do
    [ -x "$c" ] && { TIDY="$c"; break; }
  done
fi
[ -x "$TIDY" ] || die "no drain-tidy (build it, or pass --tidy PATH)"
[ -x /usr/bin/time ] || die "/usr/bin/time missing (apt-get install time)"
DATE="$(date +%F)"
OUT="${OUT:-$ROOT/bench/results/$DATE}"
LOGS="$WORK/results/$DATE-$(date +%H%M%S)"
mkdir -p "$OUT"
rm -rf "$LOGS"; mkdir -p "$LOGS"

PKGS=() VERS=()
while read -r spec _ tag _; do
  case "$spec" in ''|\#*) continue ;; esac
  name="${spec%%=*}"
  [ $QUICK = 1 ] && [ "${tag:-}" != quick ] && continue
  if [ ${#ONLY[@]} -gt 0 ]; then printf '%s\n' "${ONLY[@]}" | grep -qx "$name" || continue; fi
  if [ ! -f "$WORK/$name/READY" ]; then echo "run.sh: $name is not READY, skipped" >&2; continue; fi
  PKGS+=("$name") VERS+=("${spec#*=}")
done <"$HERE/packages.txt"
[ ${#PKGS[@]} -gt 0 ] || die "no READY package in $WORK (run bench/corpus/fetch.sh)"

# The TU list: package<TAB>file, one line per compile database entry.
list="$LOGS/tus.txt"
for p in "${PKGS[@]}"; do
  mkdir -p "$LOGS/$p"
  python3 - "$WORK/$p/compile_commands.json" "$p" <<'PY'
import json, os, sys
for e in json.load(open(sys.argv[1])):
    print(sys.argv[2] + "\t" + os.path.normpath(os.path.join(e["directory"], e["file"])))
PY
done >"$list"
echo "run.sh: ${#PKGS[@]} packages, $(wc -l <"$list") TUs, $JOBS at a time, ${TIMEOUT}s per TU" >&2

export DRAIN_TIDY="$TIDY" DRAIN_TIMEOUT="$TIMEOUT" DRAIN_CHECKS="$CHECKS" DRAIN_CORPUS="$WORK"
start=$(date +%s)
tr '\t' '\n' <"$list" | xargs -d '\n' -n 2 -P "$JOBS" "$0" --tu "$LOGS" || true
elapsed=$(( $(date +%s) - start ))

# The same packages through drain-audit, the front door users run.
if [ $AUDIT = 1 ]; then
  audit="$(dirname "$TIDY")/drain-audit"
  [ -x "$audit" ] || audit="$ROOT/checker/tools/drain-audit/drain-audit"
  : >"$OUT/audit.txt"
  for p in "${PKGS[@]}"; do
    set +e
    nice -n 10 "$audit" -p "$WORK/$p" -j "$JOBS" --timeout "$TIMEOUT" --checks="$CHECKS" \
      --drain-tidy "$TIDY" --header-filter "^$WORK/$p/src/" --root "$WORK/$p/src" \
      -o "$LOGS/$p/audit" --progress none -q >"$LOGS/$p/audit.log" 2>&1
    rc=$?
    set -e
    printf '%s (exit %s): %s\n' "$p" "$rc" "$(grep -m1 "^drain audit:" "$LOGS/$p/audit.log" || tail -n 1 "$LOGS/$p/audit.log")" >>"$OUT/audit.txt"
  done
fi

# Summaries.
"$TIDY" -checks="$CHECKS" --list-checks -- 2>/dev/null | sed -n 's/^ *\([a-z0-9.-]*-[a-z0-9.-]*\)$/\1/p' \
  >"$LOGS/checks.txt" || true
python3 - "$LOGS" "$OUT" "$WORK" "$LOGS/checks.txt" "${PKGS[@]}" -- "${VERS[@]}" <<'PY'
import csv, glob, json, os, re, sys
logs, out, work, checksfile = sys.argv[1:5]
rest = sys.argv[5:]
i = rest.index("--")
pkgs, vers = rest[:i], rest[i + 1:]
checks = [l.strip() for l in open(checksfile) if l.strip()]
# A warning's path is absolute, or relative to its compile command's directory (clang-tidy
# runs each TU there): a database with relative file entries prints the main file that way.
warn_re = re.compile(r'^([^:\s][^:]*):(\d+):(\d+): warning: (.*) \[([a-z0-9.-]+)\]$')

def compile_dirs(pkg):
    """The compile command's directory of each TU of a package, by its absolute path."""
    dirs = {}
    try:
        db = json.load(open(os.path.join(work, pkg, "compile_commands.json")))
    except (OSError, ValueError):
        return dirs
    for e in db:
        d = e.get("directory", "")
        dirs[os.path.realpath(os.path.join(d, e.get("file", "")))] = d
    return dirs

crash_re = re.compile(r'PLEASE submit a bug report|Stack dump:|Segmentation fault|Assertion .* failed')
prow = [["package", "version", "tus", "ok", "compile_errors", "crashes", "timeouts",
         "findings", "tu_seconds", "cpu_s", "max_rss_kb"]]
crow = [["package", "check", "findings"]]
frow = [["package", "check", "file", "line", "column", "message"]]
trow = [["package", "file", "exit", "seconds", "cpu_s", "max_rss_kb", "warnings"]]
fails = []
for p, v in zip(pkgs, vers):
    src = os.path.realpath(os.path.join(work, p, "src")) + "/"
    dirs = compile_dirs(p)
    seen = {}
    n = ok = cerr = crash = tout = 0
    wall = cpu = 0.0; rss = 0
    for row in sorted(glob.glob(os.path.join(logs, p, "*.log.row"))):
        pk, f, rc, secs, kb, w, key, c = open(row).read().rstrip("\n").split("\t")
        rc = int(rc); n += 1
        wall += float(secs or 0); cpu += float(c or 0); rss = max(rss, int(kb or 0))
        text = open(os.path.join(logs, p, key + ".log"), errors="replace").read()
        rel = os.path.relpath(f, src)
        trow.append([p, rel, rc, secs, c, kb, w])
        if rc in (124, 137):
            tout += 1
            fails.append(f"timeout  {p}  {rel}")
            continue
        if rc >= 128 or rc < 0 or crash_re.search(text):
            crash += 1
            fails.append(f"crash    {p}  {rel}  (exit {rc}; log {os.path.join(logs, p, key + '.log')})")
            continue
        if re.search(r'error: .*\[clang-diagnostic-error\]|^Error while processing', text, re.M):
            cerr += 1
        else:
            ok += 1
        for line in text.splitlines():
            m = warn_re.match(line)
            if not m:
                continue
            fpath, ln, col, msg, chk = m.groups()
            if not os.path.isabs(fpath):
                fpath = os.path.join(dirs.get(os.path.realpath(f), os.path.dirname(f)), fpath)
            fpath = os.path.realpath(fpath)
            seen.setdefault((fpath, int(ln), int(col), chk), msg)
    counts = {c: 0 for c in checks}
    for (fpath, ln, col, chk), msg in sorted(seen.items()):
        counts[chk] = counts.get(chk, 0) + 1
        r = os.path.relpath(fpath, src) if fpath.startswith(src) else fpath
        frow.append([p, chk, r, ln, col, msg])
    for c in sorted(counts):
        crow.append([p, c, counts[c]])
    prow.append([p, v, n, ok, cerr, crash, tout, len(seen), f"{wall:.1f}", f"{cpu:.1f}", rss])
for name, rows in (("packages.csv", prow), ("counts.csv", crow), ("findings.csv", frow),
                   ("tus.csv", trow)):
    with open(os.path.join(out, name), "w", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
with open(os.path.join(out, "failures.txt"), "w") as fh:
    fh.write("".join(l + "\n" for l in fails) or "none\n")
PY
{
  echo "date: $(date -u +%FT%TZ)"
  echo "machine: $(nproc) cores, $(awk '/^MemTotal:/{printf "%.1f", $2/1048576}' /proc/meminfo) GiB ($(uname -srm))"
  # bench/build.sh builds a commit exactly; a binary from a work tree may hold more.
  case "$TIDY" in
    */drain-builds/*/build/bin/drain-tidy) echo "drain commit: $(basename "$(dirname "$(dirname "$(dirname "$TIDY")")")") (a build of that commit under drain-builds/)" ;;
    *) echo "drain commit: work tree at $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- checker || echo ', checker/ had uncommitted changes')" ;;
  esac
  echo "drain-tidy: $TIDY"
  echo "checks: $(tr '\n' ' ' <"$LOGS/checks.txt")"
  echo "command: bench/corpus/run.sh ${ARGS[*]}"
  echo "jobs: $JOBS, per-TU timeout: ${TIMEOUT}s, wall: ${elapsed}s"
  echo "logs: $LOGS"
} >"$OUT/meta.txt"
column -s, -t <"$OUT/packages.csv" >&2
echo "run.sh: results in $OUT" >&2
}

if [ "${1:-}" = --tu ]; then tu_main "$@"; else main "$@"; fi
