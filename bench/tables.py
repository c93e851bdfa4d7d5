#!/usr/bin/env python3
"""Prints the Markdown tables of docs/evidence.md from one bench/results/<date>/ directory, so
the page carries the measured numbers and nothing else.

  bench/tables.py bench/results/<date> [--baseline DIR]

--baseline names a run.sh result of the same corpus with stock clang-tidy
(-checks='-*,bugprone-unused-return-value'), for the corpus-wide time comparison.
"""
import argparse
import csv
import os
import statistics


def read(path):
    return list(csv.DictReader(open(path))) if os.path.exists(path) else []


def table(hdr, rows):
    out = ["| " + " | ".join(hdr) + " |", "|" + "|".join(" --- " for _ in hdr) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--baseline")
    a = ap.parse_args()
    d = a.results
    pk = read(os.path.join(d, "packages.csv"))
    counts = read(os.path.join(d, "counts.csv"))
    base = {r["package"]: r for r in read(os.path.join(a.baseline, "packages.csv"))} \
        if a.baseline else {}
    if pk:
        print("### Corpus and robustness\n")
        rows, tot = [], [0] * 6
        for r in pk:
            b = base.get(r["package"])
            rows.append([r["package"], r["version"], r["tus"], r["compile_errors"], r["crashes"],
                         r["timeouts"], r["cpu_s"], b["cpu_s"] if b else "",
                         f"{int(r['max_rss_kb']) // 1024}"])
            for k, f in enumerate(("tus", "compile_errors", "crashes", "timeouts")):
                tot[k] += int(r[f])
            tot[4] += float(r["cpu_s"])
            tot[5] += float(b["cpu_s"]) if b else 0
        rows.append(["**total**", "", tot[0], tot[1], tot[2], tot[3], f"{tot[4]:.1f}",
                     f"{tot[5]:.1f}" if base else "", ""])
        print(table(["package", "version", "TUs", "TUs with compile errors", "crashes", "hangs",
                     "drain-tidy CPU s (sum over TUs)", "stock clang-tidy CPU s", "peak MiB"], rows))
        print()
    if counts:
        checks = sorted({r["check"] for r in counts})
        short = [c.replace("drain-", "") for c in checks]
        by = {}
        for r in counts:
            by.setdefault(r["package"], {})[r["check"]] = int(r["findings"])
        print("### Findings per package and check (deduplicated by file:line:column)\n")
        rows = []
        totals = [0] * len(checks)
        for p in [r["package"] for r in pk] or sorted(by):
            vals = [by.get(p, {}).get(c, 0) for c in checks]
            totals = [t + v for t, v in zip(totals, vals)]
            rows.append([p] + vals)
        rows.append(["**total**"] + totals)
        print(table(["package"] + short, rows))
        print()
    cost = read(os.path.join(d, "cost.csv"))
    if cost:
        print("### Cost per TU (medians; CPU = user + sys)\n")
        tus = []
        for r in cost:
            if r["tu"] not in tus:
                tus.append(r["tu"])
        rows = []
        for t in tus:
            rr = {r["tool"]: r for r in cost if r["tu"] == t}
            f, s, dr = rr["floor"], rr["stock"], rr["drain"]
            rows.append([t, f["cpu_s"], s["cpu_s"], dr["cpu_s"], s["cpu_ratio"], dr["cpu_ratio"],
                         f"{float(dr['cpu_s']) / float(s['cpu_s']):.2f}",
                         f"{int(f['max_rss_kb']) // 1024}", f"{int(dr['max_rss_kb']) // 1024}"])
        g = lambda tool, col: statistics.geometric_mean(
            [float(r[col]) for r in cost if r["tool"] == tool])
        gd = statistics.geometric_mean([float(next(x for x in cost if x["tu"] == t and
                                                   x["tool"] == "drain")["cpu_s"]) /
                                        float(next(x for x in cost if x["tu"] == t and
                                                   x["tool"] == "stock")["cpu_s"]) for t in tus])
        rows.append(["**geometric mean**", "", "", "", f"{g('stock', 'cpu_ratio'):.2f}",
                     f"{g('drain', 'cpu_ratio'):.2f}", f"{gd:.2f}", "", ""])
        print(table(["TU", "floor CPU s", "stock CPU s", "drain CPU s", "stock / floor",
                     "drain / floor", "drain / stock", "floor MiB", "drain MiB"], rows))
        print()
    for name, title in (("scaling", "every drain check"),
                        ("flow", "drain-shutdown-before-flush alone, block-visit budget lifted")):
        sc = read(os.path.join(d, name + ".csv"))
        if not sc:
            continue
        print(f"### Scaling, {title} (one function of N statements; medians of CPU s)\n")
        rows = [[r["shape"], r["statements"], r["floor_cpu_s"], r["drain_cpu_s"], r["excess_s"],
                 r["ratio"], int(r["drain_max_rss_kb"]) // 1024,
                 r["warnings_per_check"].replace("drain-", "").replace(";", ", ")]
                for r in sc]
        print(table(["shape", "N", "floor s", "drain s", "drain - floor s", "drain / floor",
                     "drain MiB", "warnings"], rows))
        print()
        meta = os.path.join(d, name + "-meta.txt")
        if os.path.exists(meta):
            for line in open(meta):
                if "exponent" in line:
                    print("- " + line.strip())
            print()


if __name__ == "__main__":
    main()
