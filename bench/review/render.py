#!/usr/bin/env python3
"""Writes bench/review/<check>.md from a bench/corpus/run.sh result and the by-hand verdicts.

  bench/review/render.py RESULTS_DIR [--sample 60] [--seed 1]

For each check: every finding when there are at most --sample of them, else a seeded random
sample of that many. Each row gets a verdict from bench/review/verdicts.csv (one line per
finding read by hand: check,package,file,line,verdict,reason) or, failing that, from one of
the RULES below (each rule was checked by hand on the findings it covers; the row says which
rule), or "not reviewed".

Verdicts:
  TP           a write, flush or shutdown whose failure or incompleteness the code does not
               notice, and data can be lost or a peer can see a truncated stream
  intentional  the check describes the code correctly, but the code chose it on purpose and
               says so (a cast to void with a comment, a best-effort call before close):
               a true statement a user would still suppress
  FP           the check is wrong about the code, or the operation carries no data to lose
"""
import argparse
import collections
import csv
import os
import random
import re

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.environ.get("DRAIN_CORPUS", "/work/corpus")


def source_line(r):
    try:
        return open(os.path.join(WORK, r["package"], "src", r["file"]),
                    errors="replace").read().splitlines()[int(r["line"]) - 1]
    except (OSError, IndexError):
        return ""


def fopen_mode(r):
    """The mode of the fopen that opened the FILE an fclose/fflush at r closes, if visible in
    the 400 lines before it."""
    path = os.path.join(WORK, r["package"], "src", r["file"])
    try:
        lines = open(path, errors="replace").read().splitlines()
    except OSError:
        return None
    ln = int(r["line"])
    m = re.search(r"(?:fclose|fflush)\s*\(\s*([^)]*)\)", lines[ln - 1])
    if not m:
        return None
    var = re.escape(re.split(r"->|\.", m.group(1).strip())[-1])
    for k in range(ln - 2, max(0, ln - 400), -1):
        mm = re.search(var + r"\s*=\s*\w*fopen\w*\s*\((.*)", lines[k])
        if mm:
            rest = mm.group(1) + (lines[k + 1] if k + 1 < len(lines) else "")
            q = re.findall(r'"([rwa][^"]*)"', rest)
            if q:
                return q[-1]
            if "READTEXT" in rest:
                return "r"
            if "WRITETEXT" in rest or "APPENDTEXT" in rest:
                return "w"
            return None
    return None


def callee(r):
    m = re.search(r"(?:result of|by) '([^']+)'", r["message"])
    return m.group(1) if m else ""


# (check, name, predicate, verdict, reason). A rule covers a family of findings that were read
# by hand and found alike; the rendered row names the rule.
RULES = [
    ("drain-discarded-io-result", "curl-error-enum",
     lambda r: r["package"] == "curl" and "CURLE_AGAIN" in r["message"]
     and callee(r) not in ("Curl_write", "Curl_nwrite", "Curl_client_write", "Curl_sendf",
                           "Curl_flush", "Curl_write_plain"),
     "FP", "CURLcode is curl's error enum (100 codes, one is CURLE_AGAIN); this function does "
     "no socket write, so no pending state can be lost"),
    ("drain-discarded-io-result", "read-only-FILE",
     lambda r: callee(r) in ("fclose", "fflush") and (fopen_mode(r) or "").startswith("r")
     and "+" not in (fopen_mode(r) or ""),
     "FP", "the FILE was opened for reading; a close has no buffered output to lose"),
    ("drain-discarded-io-result", "written-FILE",
     lambda r: callee(r) in ("fclose", "fflush")
     and ((fopen_mode(r) or "")[:1] in ("w", "a") or "+" in (fopen_mode(r) or "")),
     "TP", "the FILE was written; a failed close/flush loses the tail unnoticed"),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--sample", type=int, default=60)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    verdicts = {}
    vpath = os.path.join(HERE, "verdicts.csv")
    if os.path.exists(vpath):
        for v in csv.DictReader(open(vpath)):
            verdicts[(v["check"], v["package"], v["file"], v["line"])] = (v["verdict"],
                                                                         v["reason"])
    meta = open(os.path.join(a.results, "meta.txt")).read()
    findings = list(csv.DictReader(open(os.path.join(a.results, "findings.csv"))))
    checks = sorted({r["check"] for r in csv.DictReader(open(os.path.join(a.results,
                                                                          "counts.csv")))})
    def judge(chk, r):
        key = (chk, r["package"], r["file"], r["line"])
        if key in verdicts:
            return verdicts[key]
        for c, name, pred, verdict, reason in RULES:
            if c == chk and pred(r):
                return verdict, f"{reason} (rule {name})"
        return "not reviewed", ""

    for chk in checks:
        rows = [r for r in findings if r["check"] == chk]
        total = len(rows)
        whole = collections.Counter(judge(chk, r)[0] for r in rows)
        if total > a.sample:
            rows = random.Random(a.seed).sample(rows, a.sample)
        rows.sort(key=lambda r: (r["package"], r["file"], int(r["line"])))
        tally = collections.Counter()
        out = []
        for i, r in enumerate(rows, 1):
            v, why = judge(chk, r)
            tally[v] += 1
            msg = r["message"].replace("|", "\\|")
            out.append(f"| {i} | {r['package']} | `{r['file']}:{r['line']}` | {msg} | "
                       f"**{v}** | {why.replace('|', '/')} |")
        stem = chk.replace("drain-", "")
        with open(os.path.join(HERE, stem + ".md"), "w") as fh:
            fh.write(f"# Review: {chk}\n\n")
            fh.write("Generated by `bench/review/render.py` from the corpus run below and the "
                     "verdicts in `verdicts.csv`; the verdict classes are defined in "
                     "`render.py`.\n\n")
            fh.write("```\n" + "".join(l for l in meta.splitlines(True)
                                        if l.split(":")[0] in ("date", "drain commit",
                                                               "checks", "command")) + "```\n\n")
            scope = ("every finding" if total <= a.sample else
                     f"a random sample of {a.sample} (seed {a.seed}) of the {total} findings")
            fh.write(f"{total} findings on the corpus; reviewed: {scope}.\n\n")
            if total:
                judged = sum(n for k, n in tally.items() if k != "not reviewed")
                fh.write("| verdict | findings |\n| --- | --- |\n")
                for k in ("TP", "intentional", "FP", "not reviewed"):
                    if tally[k]:
                        fh.write(f"| {k} | {tally[k]} |\n")
                if judged:
                    fh.write(f"\nOf the {judged} judged, {tally['TP']} true "
                             f"({100 * tally['TP'] / judged:.0f}%), {tally['intentional']} "
                             f"intentional, {tally['FP']} false.\n")
                if total > a.sample:
                    fh.write("\nAll findings, judged by a verdict or a rule where one applies: " +
                             ", ".join(f"{k} {whole[k]}" for k in
                                       ("TP", "intentional", "FP", "not reviewed") if whole[k]) +
                             ".\n")
                fh.write("\n| # | package | location | message | verdict | reason |\n"
                         "| --- | --- | --- | --- | --- | --- |\n")
                fh.write("\n".join(out) + "\n")
        print(f"{chk}: {total} findings, sample {len(rows)}: {dict(tally)}; all: {dict(whole)}")


if __name__ == "__main__":
    main()
