#!/usr/bin/env python3
"""drain's cost benchmark: what drain adds to a compile, on real translation units.

For each TU in TUS (real files of the corpus that bench/corpus/fetch.sh made, plus the reference
connection's sources), three tools run REPS times each, and the medians are kept:
  floor   clang-19 -fsyntax-only with the TU's own flags (parsing and semantic analysis only)
  stock   clang-tidy-19 -checks='-*,bugprone-unused-return-value' (the nearest stock check)
  drain   drain-tidy -checks='-*,drain-*' (every drain check)
Measured: wall time, CPU time (user+sys; less disturbed by other work on the machine) and peak
RSS, by /usr/bin/time. Ratios are to the floor. A benchmark, never part of ./dev.sh test.

  bench/cost/run.sh [--reps N] [--tidy PATH] [--out DIR] [--tu PKG:FILE ...]
"""
import argparse
import datetime
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import built_from, loadavg, measure  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WORK = os.environ.get("DRAIN_CORPUS", "/work/corpus")
# A row of clang-tidy's check profile: user, system, user+system, wall (each "s ( p%)"), name.
PROFILE_ROW = re.compile(r"^\s*[\d.]+ \(\s*[\d.]+%\)\s+[\d.]+ \(\s*[\d.]+%\)\s+"
                         r"([\d.]+) \(\s*[\d.]+%\)\s+[\d.]+ \(\s*[\d.]+%\)\s+(\S+)\s*$")

# (package, file relative to <corpus>/<pkg>/src); "reference" is this repository's reference/.
TUS = [
    ("libuv1", "src/unix/stream.c"),
    ("lighttpd", "src/connections.c"),
    ("curl", "lib/sendf.c"),
    ("mosquitto", "lib/net_mosq.c"),
    ("libevent", "bufferevent_sock.c"),
    ("nginx", "src/http/ngx_http_request.c"),
    ("poco", "Net/src/SocketImpl.cpp"),
    ("cpp-httplib", "example/server.cc"),
    ("cpprest", "Release/src/http/client/http_client_asio.cpp"),
    ("reference", "reference/src/connection.cpp"),
    ("reference", "reference/src/net.cpp"),
]


def reference_db(tmp):
    """A compile database for the reference connection's sources (C++17, its include dir)."""
    inc = os.path.join(ROOT, "reference", "include")
    db = []
    for f in ("connection.cpp", "net.cpp", "http_parser.cpp", "response.cpp", "app.cpp"):
        p = os.path.join(ROOT, "reference", "src", f)
        db.append({"directory": ROOT, "file": p,
                   "arguments": ["clang++-19", "-std=c++17", "-O2", "-I" + inc, "-c", p]})
    with open(os.path.join(tmp, "compile_commands.json"), "w") as fh:
        json.dump(db, fh)
    return tmp


def entry_for(dbdir, path):
    for e in json.load(open(os.path.join(dbdir, "compile_commands.json"))):
        if os.path.normpath(os.path.join(e["directory"], e["file"])) == path:
            return e
    return None


def syntax_only(entry):
    """The TU's own compile command with -fsyntax-only instead of -c/-o (and no dep files)."""
    args = entry.get("arguments") or shlex.split(entry["command"])
    cxx = entry["file"].endswith((".cc", ".cpp", ".cxx"))
    out = ["clang++-19" if cxx else "clang-19"]
    skip = False
    for a in args[1:]:
        if skip:
            skip = False
            continue
        if a in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
            continue
        if a in ("-c", "-MD", "-MMD") or a.startswith("-o"):
            continue
        out.append(a)
    return out + ["-fsyntax-only"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--tidy", default=os.environ.get("DRAIN_TIDY", ""))
    ap.add_argument("--checks", default="-*,drain-*", help="drain-tidy's -checks")
    ap.add_argument("--out", default="")
    ap.add_argument("--tu", action="append", default=[], help="PKG:FILE (repeatable)")
    a = ap.parse_args()
    tidy = a.tidy
    for c in (os.path.join(ROOT, "build-e/bin/drain-tidy"),
              os.path.join(ROOT, "build/llvm-19/bin/drain-tidy")):
        if not tidy and os.access(c, os.X_OK):
            tidy = c
    if not tidy:
        sys.exit("run.py: no drain-tidy (build it or pass --tidy)")
    date = datetime.date.today().isoformat()
    out = a.out or os.path.join(ROOT, "bench", "results", date)
    os.makedirs(out, exist_ok=True)
    tus = [tuple(t.split(":", 1)) for t in a.tu] or TUS
    tmp = tempfile.mkdtemp(prefix="drain-cost-")
    refdb = reference_db(tmp)
    rows = []
    per_check = []
    loads = []
    for pkg, rel in tus:
        if pkg == "reference":
            dbdir, path = refdb, os.path.join(ROOT, rel)
        else:
            dbdir, path = os.path.join(WORK, pkg), os.path.join(WORK, pkg, "src", rel)
            if not os.path.exists(os.path.join(dbdir, "READY")):
                print(f"run.py: {pkg} not READY, skipped", file=sys.stderr)
                continue
        path = os.path.normpath(os.path.realpath(path))
        e = entry_for(dbdir, path)
        if e is None:
            print(f"run.py: {path} not in {dbdir}/compile_commands.json, skipped", file=sys.stderr)
            continue
        tools = {
            "floor": (syntax_only(e), e["directory"]),
            "stock": (["clang-tidy-19", "-p", dbdir, "--quiet",
                       "-checks=-*,bugprone-unused-return-value", path], None),
            "drain": ([tidy, "-p", dbdir, "--quiet", f"-checks={a.checks}", path], None),
        }
        res = {}
        for name, (cmd, cwd) in tools.items():
            loads.append(loadavg())
            wall, cpu, rss, rc, _ = measure(cmd, a.reps, cwd=cwd,
                                            ok_codes=(0,) if name == "floor" else (0, 1))
            res[name] = (wall, cpu, rss)
        # Each drain check's own time, from clang-tidy's --enable-check-profile (user+system,
        # median of the repetitions): what a check costs, as a share of the floor.
        samples = {}
        for _ in range(a.reps):
            r = subprocess.run([tidy, "-p", dbdir, "--quiet", f"-checks={a.checks}",
                                "--enable-check-profile", path],
                               capture_output=True, text=True)
            for line in (r.stdout + r.stderr).splitlines():
                m = PROFILE_ROW.match(line)
                if m and m.group(2).startswith("drain-"):
                    samples.setdefault(m.group(2), []).append(float(m.group(1)))
        for check, vals in sorted(samples.items()):
            per_check.append([f"{pkg}:{rel}", check, f"{statistics.median(vals):.4f}",
                              f"{statistics.median(vals) / res['floor'][1]:.3f}"])
        f = res["floor"]
        for name in ("floor", "stock", "drain"):
            wall, cpu, rss = res[name]
            rows.append([f"{pkg}:{rel}", name, f"{wall:.3f}", f"{cpu:.3f}", rss,
                         f"{wall / f[0]:.2f}", f"{cpu / f[1]:.2f}", f"{rss / f[2]:.2f}"])
        print(f"{pkg}:{rel}: floor {f[1]:.2f}s cpu, stock x{res['stock'][1] / f[1]:.2f}, "
              f"drain x{res['drain'][1] / f[1]:.2f}", file=sys.stderr)
    hdr = ["tu", "tool", "wall_s", "cpu_s", "max_rss_kb", "wall_ratio", "cpu_ratio", "rss_ratio"]
    with open(os.path.join(out, "cost.csv"), "w") as fh:
        fh.write(",".join(hdr) + "\n")
        for r in rows:
            fh.write(",".join(str(x) for x in r) + "\n")
    with open(os.path.join(out, "cost-per-check.csv"), "w") as fh:
        fh.write("tu,check,cpu_s,share_of_floor\n")
        for r in per_check:
            fh.write(",".join(r) + "\n")
    # Geometric means of the ratios over the TUs.
    summary = []
    for name in ("stock", "drain"):
        cr = [float(r[6]) for r in rows if r[1] == name]
        rr = [float(r[7]) for r in rows if r[1] == name]
        if cr:
            summary.append(f"{name}: CPU ratio to floor geomean {statistics.geometric_mean(cr):.2f} "
                           f"(min {min(cr):.2f}, max {max(cr):.2f}); peak RSS ratio geomean "
                           f"{statistics.geometric_mean(rr):.2f}")
    checks = sorted({r[1] for r in per_check})
    for c in checks:
        shares = [float(r[3]) for r in per_check if r[1] == c]
        summary.append(f"{c}: CPU share of the floor mean {statistics.mean(shares):.3f} "
                       f"(max {max(shares):.3f})")
    with open(os.path.join(out, "cost-meta.txt"), "w") as fh:
        fh.write(f"date: {datetime.datetime.utcnow().isoformat(timespec='seconds')}Z\n")
        fh.write(f"machine: {os.cpu_count()} cores, "
                 f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.1f} GiB\n")
        rev = built_from(tidy, ROOT)
        fh.write(f"drain commit: {rev}\ndrain-tidy: {tidy} -checks='{a.checks}'\n"
                 f"repetitions: {a.reps} (medians)\n")
        fh.write(f"load average (1 min) during the run: min {min(loads):.2f}, "
                 f"max {max(loads):.2f}\n" if loads else "")
        fh.write("".join(s + "\n" for s in summary))
    print("\n".join(summary), file=sys.stderr)


if __name__ == "__main__":
    main()
