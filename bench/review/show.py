#!/usr/bin/env python3
"""Prints findings of one check from a bench/corpus/run.sh result, each with its notes and the
code around it, for the by-hand review kept in bench/review/<check>.md.

  bench/review/show.py RESULTS_DIR CHECK [--sample N] [--seed S] [--context L]

RESULTS_DIR is a bench/results/<date>/ directory (its meta.txt names the logs). With
--sample, N findings are picked at random (seeded, so the sample can be re-drawn); otherwise
every finding is printed.
"""
import argparse
import csv
import glob
import os
import random
import re

WORK = os.environ.get("DRAIN_CORPUS", "/work/corpus")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("check")
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--context", type=int, default=6)
    a = ap.parse_args()
    logs = None
    for line in open(os.path.join(a.results, "meta.txt")):
        if line.startswith("logs: "):
            logs = line[6:].strip()
    rows = [r for r in csv.DictReader(open(os.path.join(a.results, "findings.csv")))
            if r["check"] == a.check]
    if a.sample and len(rows) > a.sample:
        rows = random.Random(a.seed).sample(rows, a.sample)
        rows.sort(key=lambda r: (r["package"], r["file"], int(r["line"])))
    for i, r in enumerate(rows, 1):
        src = os.path.realpath(os.path.join(WORK, r["package"], "src"))
        path = os.path.join(src, r["file"])
        ln = int(r["line"])
        print(f"=== {i}. {r['package']} {r['file']}:{ln}:{r['column']}: {r['message']}")
        # The notes: the lines after the warning in the first log that has it.
        if logs:
            want = f"{path}:{ln}:{r['column']}: warning:"
            for log in glob.glob(os.path.join(logs, r["package"], "*.log")):
                text = open(log, errors="replace").read().splitlines()
                hit = [k for k, t in enumerate(text) if t.startswith(want)]
                if not hit:
                    continue
                for t in text[hit[0] + 1:]:
                    if re.search(r": (warning|error): ", t):
                        break
                    m = re.match(r"^(/[^:]+):(\d+):(\d+): note: (.*)$", t)
                    if m:
                        print(f"    note {os.path.relpath(m.group(1), src)}:{m.group(2)}: "
                              f"{m.group(4)}")
                break
        try:
            lines = open(path, errors="replace").read().splitlines()
        except OSError:
            continue
        lo, hi = max(1, ln - a.context), min(len(lines), ln + a.context)
        for k in range(lo, hi + 1):
            print(f"{'>' if k == ln else ' '}{k:6d}  {lines[k - 1]}")
        print()


if __name__ == "__main__":
    main()
