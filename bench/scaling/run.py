#!/usr/bin/env python3
"""drain's scaling benchmark: how drain-tidy's time grows with the size of one function.

gen.py writes a function of N statements (two shapes: straight-line, and branchy with nested
ifs, loops and early returns) that writes, flushes and shuts down a socket and a Poll-style
connection. For each shape and N, the floor (clang-19 -fsyntax-only) and drain-tidy with every
drain check run REPS times; the medians of CPU time are kept. The growth exponent k in
time ~ N^k is the least-squares slope of log(time) over log(N), for drain-tidy's time and for
its excess over the floor (what the checks add). A benchmark, never part of ./dev.sh test.

  bench/scaling/run.sh [--reps N] [--sizes 100,300,...] [--tidy PATH] [--out DIR]
"""
import argparse
import datetime
import math
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "cost"))
from timing import built_from, measure  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))


def slope(xs, ys):
    pts = [(math.log(x), math.log(y)) for x, y in zip(xs, ys) if y > 0]
    if len(pts) < 2:
        return float("nan")
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    num = sum((p[0] - mx) * (p[1] - my) for p in pts)
    den = sum((p[0] - mx) ** 2 for p in pts)
    return num / den


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--sizes", default="100,300,1000,3000,10000,30000")
    ap.add_argument("--shapes", default="straight,branchy")
    ap.add_argument("--tidy", default=os.environ.get("DRAIN_TIDY", ""))
    ap.add_argument("--checks", default="-*,drain-*")
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--config", default="", help="drain-tidy --config (e.g. a larger budget)")
    ap.add_argument("--name", default="scaling", help="output files: NAME.csv, NAME-meta.txt")
    ap.add_argument("--out", default="")
    a = ap.parse_args()
    tidy = a.tidy
    for c in (os.path.join(ROOT, "build-e/bin/drain-tidy"),
              os.path.join(ROOT, "build/llvm-19/bin/drain-tidy")):
        if not tidy and os.access(c, os.X_OK):
            tidy = c
    if not tidy:
        sys.exit("run.py: no drain-tidy (build it or pass --tidy)")
    out = a.out or os.path.join(ROOT, "bench", "results", datetime.date.today().isoformat())
    os.makedirs(out, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="drain-scaling-")
    sizes = [int(s) for s in a.sizes.split(",")]
    rows, lines = [], []
    for shape in a.shapes.split(","):
        fl, dr, ex = [], [], []
        for n in sizes:
            src = os.path.join(tmp, f"{shape}_{n}.cpp")
            with open(src, "w") as fh:
                subprocess.run([sys.executable, os.path.join(HERE, "gen.py"), str(n), shape],
                               stdout=fh, check=True)
            floor = measure(["clang++-19", "-std=c++17", "-fsyntax-only", src], a.reps)
            cfg = [f"--config={a.config}"] if a.config else []
            drain = measure(["timeout", str(a.timeout), tidy, "--quiet", f"-checks={a.checks}"]
                            + cfg + [src, "--", "-std=c++17"], a.reps)
            # Per check: a flow check that stops warning at a size has hit its budget.
            per = {}
            for m in re.finditer(r"warning: .* \[([a-z0-9.-]+)\]$", drain[4], re.M):
                per[m.group(1)] = per.get(m.group(1), 0) + 1
            warnings = ";".join(f"{k}={v}" for k, v in sorted(per.items())) or "none"
            fl.append(floor[1]); dr.append(drain[1]); ex.append(max(drain[1] - floor[1], 1e-3))
            rows.append([shape, n, f"{floor[1]:.3f}", f"{drain[1]:.3f}",
                         f"{drain[1] - floor[1]:.3f}", f"{drain[1] / floor[1]:.2f}",
                         drain[2], warnings])
            print(f"{shape} {n}: floor {floor[1]:.2f}s drain {drain[1]:.2f}s "
                  f"(warnings: {warnings})", file=sys.stderr)
        # Fixed costs (headers, start-up) flatten the small sizes; the slope between the two
        # largest sizes says more about how the analysis itself grows.
        lines.append(f"{shape}: exponent of drain-tidy CPU time {slope(sizes, dr):.2f} "
                     f"(largest two sizes: {slope(sizes[-2:], dr[-2:]):.2f}), "
                     f"of its excess over the floor {slope(sizes, ex):.2f} "
                     f"(largest two: {slope(sizes[-2:], ex[-2:]):.2f}), "
                     f"of the floor {slope(sizes, fl):.2f}")
    with open(os.path.join(out, a.name + ".csv"), "w") as fh:
        fh.write("shape,statements,floor_cpu_s,drain_cpu_s,excess_s,ratio,drain_max_rss_kb,"
                 "warnings_per_check\n")
        for r in rows:
            fh.write(",".join(str(x) for x in r) + "\n")
    with open(os.path.join(out, a.name + "-meta.txt"), "w") as fh:
        rev = built_from(tidy, ROOT)
        fh.write(f"date: {datetime.datetime.utcnow().isoformat(timespec='seconds')}Z\n"
                 f"drain commit: {rev}\nchecks: {a.checks}\nconfig: {a.config or '-'}\n"
                 f"repetitions: {a.reps} (medians of "
                 f"CPU time, user+sys)\nsizes: {a.sizes}\n")
        fh.write("".join(l + "\n" for l in lines))
    print("\n".join(lines), file=sys.stderr)


if __name__ == "__main__":
    main()
