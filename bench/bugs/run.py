#!/usr/bin/env python3
"""The real-bug yardstick: drain against stock clang-tidy and the Static Analyzer on public fixes.

bench/bugs/bugs.toml lists public bug-fix commits in C and C++ where written data never fully
left the program (short writes, discarded flush/close results, close with output buffered, ...).
For each entry this runner gets the repository's tree at the parent (the buggy side) and at the
fix, parses the changed file(s) with the entry's recorded flags, and runs

  drain      drain-tidy -checks='-*,drain-*'
  stock      clang-tidy-19 bugprone-unused-return-value (CheckedFunctions = the default list
             plus write/send/flush/close functions) and cert-err33-c
  csa        clang-tidy-19 clang-analyzer-* (the Clang Static Analyzer's default checkers)

and scores each tool, per check and overall:

  DETECTED   a finding near the lines the fix changed on the buggy side, none near them on the
             fixed side
  BOTH       findings near the changed lines on both sides (the check does not tell them apart)
  MISSED     nothing near the changed lines on the buggy side

"Near" is within --near lines (default 10) of a hunk of the fix, on each side its own hunks
(the hunks recorded in the manifest, from `git diff -U0 PARENT FIX`). A side whose parse
reports an error is PARSE-ERROR and is not scored; the summary lists those apart.

drain runs per file, except for an entry whose recipe lists `summary_files` (the project's
other files that define what the changed file calls, e.g. rsync's fileio.c for receiver.c):
those are scored the way a whole-project `drain audit --cross-file` runs, in two phases per
side. First drain-tidy in `drain.SummaryStoreMode: write` over the summary files, twice as
drain audit does (the entry's flags, the same side's tree) into a fresh store, CACHE/summaries/RUN/ID/SIDE.sqlite (RUN: a
hash of the --out dir, named in meta.txt; runs into different dirs never share one); then the
entry's file with `drain.SummaryStore` reading it. meta.txt and summary.md name those entries,
parse.csv has a `drain-summaries` row per side for the first phase (its errors and store
warnings; they do not unscore the entry). The anchors always run per file.

Sources come from --mirrors DIR (bare git dirs named owner+name, or owner+name/repo), else
from a `git clone --bare --filter=blob:none` of the public repository into --cache. Trees are
unpacked with `git archive` into the cache; nothing fetched is written into this repository.

A benchmark, never part of ./dev.sh test. Needs Python 3.11 (tomllib), git, and the Debian
packages in scripts/packages/bugs.txt.opt (clang-tidy-19, python3-matplotlib, the headers the
entries include), which it installs when run as root and they are missing:

  bench/bugs/run.py [--mirrors DIR] [--cache DIR] [--tidy PATH] [--only ID,...]
                    [--near N] [--jobs N] [--timeout S] [--out DIR] [--no-anchors]
  bench/bugs/run.py --report-only RESULTS [--scaling CSV]
                        (run nothing: summary.md and the charts again from RESULTS/scores.json
                         and the manifest, e.g. after editing a summary, `doubtful` or `needs`)

Writes into RESULTS (default bench/results/<date>-bugs): findings.csv, parse.csv,
results.csv, scores.json, meta.txt, summary.md, and two charts made with Debian's
python3-matplotlib: bugs-by-family.svg (detected / both sides / missed per bug family for the
three tools) and cost-vs-size.svg (drain's CPU time against function size, from the newest
bench/results/*/scaling.csv of the scaling benchmark). Entries marked `doubtful` are listed
apart and left out of every count; misses are grouped by their `needs`.
"""
import argparse
import collections
import concurrent.futures
import csv
import datetime
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))

# Functions whose results carry a write's fate, added to bugprone-unused-return-value's
# default list for the stock anchor.
EXTRA_CHECKED = [
    "::write", "::pwrite", "::writev", "::send", "::sendto", "::sendmsg", "::sendfile",
    "::fflush", "::fclose", "::close", "::shutdown", "::fwrite", "::fputs", "::fputc",
    "::fprintf", "::fsync", "::SSL_write", "::SSL_shutdown", "::BIO_write", "::BIO_flush",
    "::mbedtls_ssl_write", "::gnutls_record_send",
]
STOCK_CHECKS = "bugprone-unused-return-value,cert-err33-c"
CSA_CHECKS = "clang-analyzer-*"
DIAG = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<sev>warning|error): "
                  r"(?P<msg>.*?)(?: \[(?P<check>[\w.,+-]+)\])?$")
ORDER = {"DETECTED": 3, "BOTH": 2, "MISSED": 1}
TOOLS = ("drain", "stock", "csa")
TOOL_LABEL = {"drain": "drain", "stock": "stock clang-tidy", "csa": "Static Analyzer"}
# What drain would need to find an entry it misses: the manifest's `needs` (bugs.toml's header
# says what each means); "other:<short>" for anything outside the list.
NEEDS = ("remainder-accounting", "function-pointer-write", "count-in-member", "cross-file-wrapper",
         "discarded-close-of-written-fd", "wrong-error-outcome", "member-buffer-close",
         "completion-callback-error", "overlapping-async-write", "void-cast-local")


def needs_ok(n):
    return n in NEEDS or (n.startswith("other:") and len(n) > len("other:"))


PACKAGES = os.path.join(ROOT, "scripts", "packages", "bugs.txt.opt")


def ensure_packages(only=None):
    """Installs the missing packages of scripts/packages/bugs.txt.opt (or of ONLY) as root;
    otherwise names them and carries on (a missing header shows up as a parse error)."""
    want = only or [l.split()[0] for l in open(PACKAGES) if l.strip() and not l.startswith("#")]
    missing = [p for p in want
               if "install ok installed" not in run(["dpkg-query", "-W", "-f=${Status}", p])[1]]
    if not missing:
        return
    if os.geteuid() != 0:
        log(f"missing Debian packages (not root, not installing): {' '.join(missing)}")
        return
    log(f"apt-get install {' '.join(missing)}")
    rc, _, err = run(["apt-get", "install", "-y", "--no-install-recommends"] + missing)
    if rc:
        log(f"apt-get install failed: {err.strip()[-300:]}")


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def run(cmd, timeout=None, cwd=None):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, errors="replace",
                       timeout=timeout)
    return p.returncode, p.stdout, p.stderr


# ---------------------------------------------------------------- sources

def git_dir(repo, mirrors, cache):
    key = repo.replace("/", "+")
    for d in ([os.path.join(mirrors, key, "repo"), os.path.join(mirrors, key)] if mirrors else []):
        if os.path.isdir(d) and run(["git", "--git-dir", d, "rev-parse", "--git-dir"])[0] == 0:
            return d
    d = os.path.join(cache, "git", key + ".git")
    if not os.path.isdir(d):
        log(f"clone {repo}")
        rc, _, err = run(["git", "clone", "--bare", "--quiet", "--filter=blob:none",
                          f"https://github.com/{repo}.git", d])
        if rc:
            raise RuntimeError(f"clone {repo}: {err.strip()}")
    return d


def tree_paths(gd, bug, commit):
    """What to unpack: the recipe's `tree`, else the files' dirs and the include dirs. "." is
    the top-level files only (snapshots of big repositories can lack their largest files)."""
    r = bug.get("recipe", {})
    want = r.get("tree") or sorted({os.path.dirname(f["path"]) or "." for f in bug["files"]}
                                   | set(r.get("includes", [])))
    want = list(want) + r.get("summary_files", [])
    paths = []
    for p in want:
        p = os.path.normpath(p)
        if p == ".":
            ls = run(["git", "--git-dir", gd, "ls-tree", commit])[1]
            paths += [l.split("\t", 1)[1] for l in ls.splitlines() if " blob " in l]
        elif not p.startswith("..") and \
                run(["git", "--git-dir", gd, "cat-file", "-e", f"{commit}:{p}"])[0] == 0:
            paths.append(p)
    return sorted(set(paths))


def tree(gd, bug, commit, cache):
    repo = bug["repo"]
    d = os.path.join(cache, "trees", bug["id"], commit)
    # a tree unpacked before the entry got its summary files is unpacked again
    if os.path.exists(os.path.join(d, ".complete")) and all(
            os.path.exists(os.path.join(d, p)) for p in summary_files(bug)):
        return d
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    paths = tree_paths(gd, bug, commit)
    arch = subprocess.Popen(["git", "--git-dir", gd, "archive", "--format=tar", commit, "--"]
                            + paths, stdout=subprocess.PIPE)
    tar = subprocess.run(["tar", "-x", "-C", d], stdin=arch.stdout, capture_output=True)
    arch.stdout.close()
    if arch.wait() or tar.returncode:
        raise RuntimeError(f"git archive {repo} {commit}: {tar.stderr.decode()[:200]}")
    open(os.path.join(d, ".complete"), "w").close()
    return d


def verify(gd, bug):
    rc, out, _ = run(["git", "--git-dir", gd, "rev-parse", bug["fix"] + "^"])
    if rc:
        return f"fix {bug['fix']} not in the repository"
    if out.strip() != bug["parent"]:
        return f"parent of {bug['fix'][:12]} is {out.strip()[:12]}, manifest says {bug['parent'][:12]}"
    return None


# ---------------------------------------------------------------- compile flags

def flags(bug, tdir, cache):
    r = bug.get("recipe", {})
    lang = r.get("lang", "c")
    std = r.get("std", "gnu11" if lang == "c" else "gnu++17")
    args = ["-x", "c" if lang == "c" else "c++", f"-std={std}"]
    for i in r.get("includes", []):
        args.append("-I" + os.path.normpath(os.path.join(tdir, i)))
    for i in r.get("system_includes", []):
        args += ["-isystem", i]
    stubs = r.get("stubs", {})
    if stubs:
        sd = os.path.join(cache, "stubs", bug["id"])
        for name, text in stubs.items():
            p = os.path.join(sd, name)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w") as f:
                f.write(text)
        args.append("-I" + sd)
    args += ["-D" + d for d in r.get("defines", [])]
    args += r.get("args", [])
    return args


# ---------------------------------------------------------------- tools

def summary_files(bug):
    """The recipe's `summary_files`: the project's other files whose summaries a cross-file
    run (drain audit --cross-file) would have when it checks the entry's file."""
    return bug.get("recipe", {}).get("summary_files", [])


def store_config(store, mode):
    return "{CheckOptions: {drain.SummaryStore: '%s', drain.SummaryStoreMode: %s}}" % (store, mode)


def tidy_cmd(tool, opts, file, args, config=None):
    if tool == "drain":
        return ([opts.tidy, "-checks=-*,drain-*", "--quiet"]
                + ([f"-config={config}"] if config else []) + [file, "--"] + args)
    cfg = ("{CheckOptions: {bugprone-unused-return-value.CheckedFunctions: '%s'}}"
           % ";".join(opts.checked_functions))
    checks = {"anchors": f"-*,{STOCK_CHECKS},{CSA_CHECKS}"}[tool]
    return [opts.clang_tidy, f"-checks={checks}", f"-config={cfg}", "--quiet", file, "--"] + args


STORE_NOTE = re.compile(r"^warning: (summary store .*?)(?: \[[\w.,+-]+\])?$")


def run_tidy(tool, opts, tdir, rel, args, config=None):
    """One tool on one file of the tree: (findings in that file, errors, store notes, seconds)."""
    path = os.path.join(tdir, rel)
    if not os.path.exists(path):
        return [], [f"{rel}: not in the tree"], [], 0.0
    t0 = datetime.datetime.now()
    try:
        rc, so, se = run(["nice", "-n", "10"] + tidy_cmd(tool, opts, path, args, config),
                         timeout=opts.timeout, cwd=tdir)
    except subprocess.TimeoutExpired:
        return [], [f"{rel}: timeout after {opts.timeout}s"], [], 0.0
    secs = (datetime.datetime.now() - t0).total_seconds()
    out, errors, notes = [], [], []
    for line in (so + se).splitlines():
        n = STORE_NOTE.match(line)
        if n:
            notes.append(f"{rel}: {n[1]}")
            continue
        m = DIAG.match(line)
        if not m:
            if "Segmentation fault" in line or "PLEASE submit a bug report" in line:
                errors.append(f"{rel}: crash")
            continue
        if m["sev"] == "error":
            errors.append(f"{os.path.relpath(m['file'], tdir)}:{m['line']}: {m['msg']}")
            continue
        if os.path.realpath(m["file"]) != os.path.realpath(path):
            continue
        for chk in (m["check"] or "").split(","):
            out.append(dict(file=rel, line=int(m["line"]), col=int(m["col"]),
                            check=chk, msg=m["msg"]))
    return out, errors, notes, secs


def write_summaries(bug, side, tdir, args, opts):
    """The cross-file recipe's first phase, as drain audit --cross-file runs it: drain-tidy in
    `write` mode over the entry's summary files (two passes, as drain audit runs them), on the same side's tree with the entry's flags,
    into a fresh store for this entry and side (under opts.store_dir, one per --out, so runs
    into different result dirs never share a store). Returns (store, errors, seconds); the findings
    of this phase are not scored (they are in other files)."""
    sd = os.path.join(opts.store_dir, bug["id"])
    os.makedirs(sd, exist_ok=True)
    store = os.path.join(sd, side + ".sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(store + suffix):
            os.remove(store + suffix)
    errors, secs = [], 0.0
    # Two passes, as drain audit's summaries phase runs by default: write mode reads the rows
    # already stored, so a wrapper of a wrapper in another summary file is learnt in the second.
    for npass in range(2):
        for rel in summary_files(bug):
            _, e, notes, t = run_tidy("drain", opts, tdir, rel, args,
                                      store_config(store, "write"))
            if npass == 0:
                errors += e + notes
            secs += t
    return store, errors, secs


def analyse(task, opts):
    """One tool on one side of one entry. For drain, an entry with `summary_files` is run the
    cross-file way: the store is written first, then the entry's files read it; the result
    carries `summary_files`, and `summary_errors` / `summary_secs` of the first phase (its
    store warnings from the second phase too)."""
    bug, side, tool, tdir, args = task
    out, errors = [], []
    secs = 0.0
    config = None
    extra = {}
    if tool == "drain" and summary_files(bug):
        store, serr, ssecs = write_summaries(bug, side, tdir, args, opts)
        config = store_config(store, "read")
        extra = dict(summary_files=summary_files(bug), summary_errors=serr, summary_secs=ssecs)
    for f in bug["files"]:
        o, e, notes, t = run_tidy(tool, opts, tdir, f["path"], args, config)
        out += o
        errors += e
        secs += t
        if extra:
            extra["summary_errors"] += notes
    return dict(id=bug["id"], side=side, tool=tool, findings=out, errors=errors, secs=secs,
                **extra)


# ---------------------------------------------------------------- scoring

def windows(bug, side, near):
    w = collections.defaultdict(list)
    for f in bug["files"]:
        for h in f["hunks"]:
            old, new = h.split(":")
            s, n = (int(x) for x in (old if side == "buggy" else new).split(","))
            # a pure insertion or deletion (n == 0) sits after line s
            lo, hi = (s, s + n - 1) if n else (s, s + 1)
            w[f["path"]].append((lo - near, hi + near))
    return w


def is_near(fd, w):
    return any(lo <= fd["line"] <= hi for lo, hi in w.get(fd["file"], []))


def family_of_check(tool, chk):
    if tool == "drain":
        return "drain"
    return "csa" if chk.startswith("clang-analyzer-") else "stock"


def score(bug, results, near):
    """Verdicts per (tool, check) and per tool for one bug; None when a side did not parse."""
    per_tool = {}
    wb, wf = windows(bug, "buggy", near), windows(bug, "fixed", near)
    for tool, anchor_tools in (("drain", ["drain"]), ("stock", ["anchors"]), ("csa", ["anchors"])):
        sides = {}
        for side in ("buggy", "fixed"):
            r = [results.get((bug["id"], side, t)) for t in anchor_tools]
            if any(x is None for x in r):
                sides = None
                break
            sides[side] = r[0]
        if sides is None:
            continue
        # scored with a summary store of the project's other files (the cross-file recipe)
        xf = {"summary_files": sides["buggy"]["summary_files"]} \
            if sides["buggy"].get("summary_files") else {}
        if sides["buggy"]["errors"] or sides["fixed"]["errors"]:
            per_tool[tool] = dict(verdict="PARSE-ERROR", checks={}, **xf)
            continue
        checks = {}
        names = {fd["check"] for s in sides.values() for fd in s["findings"]
                 if family_of_check(sides["buggy"]["tool"], fd["check"]) == tool}
        for chk in sorted(names):
            b = [fd for fd in sides["buggy"]["findings"] if fd["check"] == chk and is_near(fd, wb)]
            f = [fd for fd in sides["fixed"]["findings"] if fd["check"] == chk and is_near(fd, wf)]
            v = "DETECTED" if b and not f else "BOTH" if b else "MISSED"
            checks[chk] = dict(verdict=v, buggy=len(b), fixed=len(f),
                               lines=sorted({fd["line"] for fd in b}))
        best = max((c["verdict"] for c in checks.values()), key=ORDER.get, default="MISSED")
        per_tool[tool] = dict(verdict=best, checks=checks, **xf)
    return per_tool


# ---------------------------------------------------------------- output

def write_outputs(manifest, results, scores, opts, out):
    os.makedirs(out, exist_ok=True)
    bugs = [b for b in manifest["bug"] if not b.get("dropped")]
    with open(os.path.join(out, "findings.csv"), "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "side", "tool", "check", "file", "line", "col", "near_fix", "message"])
        for (bid, side, tool), r in sorted(results.items()):
            bug = next(b for b in bugs if b["id"] == bid)
            win = windows(bug, side, opts.near)
            for fd in r["findings"]:
                w.writerow([bid, side, tool, fd["check"], fd["file"], fd["line"], fd["col"],
                            int(is_near(fd, win)), fd["msg"]])
    with open(os.path.join(out, "parse.csv"), "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "side", "tool", "seconds", "errors", "first_error"])
        for (bid, side, tool), r in sorted(results.items()):
            w.writerow([bid, side, tool, f"{r['secs']:.1f}", len(r["errors"]),
                        r["errors"][0] if r["errors"] else ""])
            if "summary_files" in r:
                # the cross-file recipe's first phase (its errors do not unscore the entry)
                se = r["summary_errors"]
                w.writerow([bid, side, tool + "-summaries", f"{r['summary_secs']:.1f}", len(se),
                            se[0] if se else ""])
    with open(os.path.join(out, "results.csv"), "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "repo", "family", "tool", "verdict", "check", "check_verdict",
                    "buggy_near", "fixed_near", "buggy_lines"])
        for b in bugs:
            for tool, s in scores.get(b["id"], {}).items():
                if not s["checks"]:
                    w.writerow([b["id"], b["repo"], b["family"], tool, s["verdict"], "", "", 0, 0, ""])
                for chk, c in s["checks"].items():
                    w.writerow([b["id"], b["repo"], b["family"], tool, s["verdict"], chk,
                                c["verdict"], c["buggy"], c["fixed"],
                                " ".join(map(str, c["lines"]))])
    with open(os.path.join(out, "meta.txt"), "w") as fh:
        fh.write(meta(opts, bugs))


def version_line(text):
    return next((l.strip() for l in text.splitlines() if "version" in l.lower()), "?")


def meta(opts, bugs=()):
    rc, ver, _ = run([opts.clang_tidy, "--version"])
    xf = [b for b in bugs if summary_files(b)]
    cross = "".join(f"  {b['id']}: {', '.join(summary_files(b))}\n" for b in xf)
    commit = run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"])[1].strip()
    return (f"date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%dT%H:%M:%SZ}\n"
            f"drain commit (this tree): {commit}\n"
            f"drain-tidy: {opts.tidy}\n"
            f"clang-tidy: {opts.clang_tidy} ({version_line(ver) if rc == 0 else '?'})\n"
            f"near: {opts.near} lines\n"
            f"timeout: {opts.timeout} s per file and tool\n"
            f"stock: {STOCK_CHECKS}; CheckedFunctions = default + {','.join(EXTRA_CHECKED)}\n"
            f"csa: {CSA_CHECKS}\n"
            f"drain scoring: per file, except {len(xf)} "
            f"entr{'y' if len(xf) == 1 else 'ies'} scored cross-file (drain-tidy in "
            f"drain.SummaryStoreMode write over these files of the same side's tree, then the "
            f"entry's file reading that store; stores in "
            f"{getattr(opts, 'store_dir', '?')}):\n" + cross)


def short(v):
    return {"DETECTED": "**yes**", "BOTH": "both", "MISSED": "-", "PARSE-ERROR": "parse error"}.get(v, v)


def bug_row(b, scores):
    s = scores.get(b["id"], {})
    cells = []
    for tool in TOOLS:
        t = s.get(tool)
        if not t:
            cells.append("n/a")
            continue
        hit = [c for c, x in t["checks"].items() if x["verdict"] == t["verdict"]]
        name = ", ".join(h.replace("drain-", "").replace("clang-analyzer-", "")
                         for h in hit) if t["verdict"] in ("DETECTED", "BOTH") else ""
        cells.append(short(t["verdict"]) + (f" ({name})" if name else "")
                     + (", cross-file" if t.get("summary_files") else ""))
    url = f"https://github.com/{b['repo']}/commit/{b['fix']}"
    return f"| [{b['id']}]({url}) | {b['family']} | " + " | ".join(cells) + " |"


def per_check_markdown(scored, scores):
    """Per check: on how many scored entries it reported near the fix on the buggy side only
    (detected) or on both sides. Checks that never reported near a fix are left out; each
    entry's remaining verdict is "missed" for that check."""
    per = collections.defaultdict(collections.Counter)
    parsed = collections.Counter()
    for b in scored:
        for tool in TOOLS:
            t = scores.get(b["id"], {}).get(tool)
            if not t or t["verdict"] == "PARSE-ERROR":
                continue
            parsed[tool] += 1
            for chk, c in t["checks"].items():
                per[(tool, chk)][c["verdict"]] += 1
    out = ["", "## Per check", "",
           "| tool | check | detected | both sides | missed (of the entries the tool parsed) |",
           "| --- | --- | --- | --- | --- |"]
    for (tool, chk), c in sorted(per.items(), key=lambda kv: (TOOLS.index(kv[0][0]), kv[0][1])):
        if c["DETECTED"] + c["BOTH"] == 0:
            continue
        out.append(f"| {TOOL_LABEL[tool]} | {chk} | {c['DETECTED']} | {c['BOTH']} | "
                   f"{parsed[tool] - c['DETECTED'] - c['BOTH']} |")
    return out


def cross_file_markdown(bugs, scores):
    """Which entries drain was scored on with a summary store of the project's other files
    (as the scores recorded it, so --report-only tells the truth of the run it reads)."""
    xf = [(b, scores[b["id"]]["drain"]) for b in bugs
          if scores.get(b["id"], {}).get("drain", {}).get("summary_files")]
    if not xf:
        return []
    out = ["", "## Scored cross-file", "",
           "drain's verdicts marked \"cross-file\" come from two runs per side, as "
           "`drain audit --cross-file` does it: drain-tidy in `drain.SummaryStoreMode: write` over "
           "the project files below (the entry's flags, the same side's tree) into a store, then "
           "the entry's file reading that store. Every other entry is scored per file, with no "
           "store. The anchors are always per file.", "",
           "| bug | drain | summaries written from |", "| --- | --- | --- |"]
    for b, t in xf:
        out.append(f"| {b['id']} | {short(t['verdict'])} | "
                   + ", ".join(f"`{f}`" for f in t["summary_files"]) + " |")
    return out


def needs_markdown(scored, scores):
    """drain's misses (and both-sides reports) grouped by the capability each needs."""
    groups = collections.defaultdict(lambda: collections.defaultdict(list))
    for b in scored:
        t = scores.get(b["id"], {}).get("drain")
        if not t or t["verdict"] not in ("MISSED", "BOTH"):
            continue
        n = b.get("needs", "")
        groups[t["verdict"]][n if needs_ok(n) else f"(unexplained: {n or 'no needs field'})"].append(b)
    out = []
    for verdict, title in (("MISSED", "drain's misses by the capability they need"),
                           ("BOTH", "reported by drain on both sides, by the capability that "
                                    "would tell the fix apart")):
        g = groups.get(verdict)
        if not g:
            continue
        out += ["", f"## {title}", "", "| needs | bugs | entries |",
                "| --- | --- | --- |"]
        for n, bs in sorted(g.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            out.append(f"| {n} | {len(bs)} | " + ", ".join(b["id"] for b in bs) + " |")
    return out


def markdown(bugs, scores, opts):
    """The summary. Entries marked `doubtful` in the manifest (on reading the fix, not a
    lost-data bug) are listed apart and left out of every count."""
    scored = [b for b in bugs if not b.get("doubtful")]
    doubtful = [b for b in bugs if b.get("doubtful")]
    head = ["| bug | family | drain | stock clang-tidy | Static Analyzer |",
            "| --- | --- | --- | --- | --- |"]
    lines = head + [bug_row(b, scores) for b in scored]
    tally = collections.defaultdict(collections.Counter)
    for b in scored:
        for tool in TOOLS:
            t = scores.get(b["id"], {}).get(tool)
            if t:
                tally[tool][t["verdict"]] += 1
    def entries(k):
        return f"{k} entr{'y' if k == 1 else 'ies'}"
    lines += ["", f"{entries(len(scored))} scored"
              + (f", {entries(len(doubtful))} marked doubtful and not scored (below)"
                 if doubtful else "") + ".",
              "", "| tool | detected | both sides | missed | parse error |",
              "| --- | --- | --- | --- | --- |"]
    for tool in TOOLS:
        c = tally[tool]
        lines.append(f"| {TOOL_LABEL[tool]} | {c['DETECTED']} | {c['BOTH']} | {c['MISSED']} "
                     f"| {c['PARSE-ERROR']} |")
    lines += cross_file_markdown(bugs, scores)
    lines += per_check_markdown(scored, scores)
    lines += needs_markdown(scored, scores)
    if doubtful:
        lines += ["", "## Doubtful entries (not scored)", "",
                  "On reading the fix these are not clearly bugs that lost written data; each "
                  "entry's summary in bugs.toml says why.", ""] + head
        lines += [bug_row(b, scores) for b in doubtful]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- charts

FAMILY_SVG = "bugs-by-family.svg"
COST_SVG = "cost-vs-size.svg"
COLOR = {"drain": "C0", "stock": "C1", "csa": "C2"}


def newest_scaling():
    """The scaling benchmark's newest results (by the date in scaling-meta.txt), or None."""
    best = None
    for f in glob.glob(os.path.join(ROOT, "bench", "results", "*", "scaling.csv")):
        meta = os.path.join(os.path.dirname(f), "scaling-meta.txt")
        date = ""
        if os.path.exists(meta):
            m = re.search(r"^date: (\S+)", open(meta).read(), re.M)
            date = m[1] if m else ""
        if best is None or (date, f) > best:
            best = (date, f)
    return best[1] if best else None


def charts(out, bugs, scores, scaling=None):
    """bugs-by-family.svg (detected / both sides / missed per bug family for drain and the two
    anchors, doubtful entries left out) and cost-vs-size.svg (the scaling benchmark's CPU time
    against function size) in OUT. Returns the files written and the scaling CSV used."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker
    plt.rcParams["svg.hashsalt"] = "drain-bugs"   # stable ids: re-running changes no bytes
    plt.rcParams["svg.fonttype"] = "none"         # text stays text
    scored = [b for b in bugs if not b.get("doubtful")]
    fams = sorted({b["family"] for b in scored})
    n = {f: sum(1 for b in scored if b["family"] == f) for f in fams}
    count = collections.defaultdict(collections.Counter)
    for b in scored:
        for tool in TOOLS:
            t = scores.get(b["id"], {}).get(tool)
            count[(tool, b["family"])][t["verdict"] if t else "n/a"] += 1
    fig, ax = plt.subplots(figsize=(12, 5.5))
    width = 0.27
    for k, tool in enumerate(TOOLS):
        xs = [x + (k - 1) * width for x in range(len(fams))]
        det = [count[(tool, f)]["DETECTED"] for f in fams]
        both = [count[(tool, f)]["BOTH"] for f in fams]
        miss = [count[(tool, f)]["MISSED"] for f in fams]
        c = COLOR[tool]
        ax.bar(xs, det, width, color=c, edgecolor=c, label=f"{TOOL_LABEL[tool]}: detected")
        ax.bar(xs, both, width, bottom=det, color=c, alpha=0.35, hatch="//", edgecolor=c,
               label=f"{TOOL_LABEL[tool]}: reported on both sides")
        ax.bar(xs, miss, width, bottom=[d + o for d, o in zip(det, both)], color="none",
               edgecolor=c, linestyle=":", label=f"{TOOL_LABEL[tool]}: missed")
    ax.set_xticks(range(len(fams)))
    ax.set_xticklabels([f"{f}\n(n={n[f]})" for f in fams], rotation=25, ha="right", fontsize=8)
    ax.set_ylabel("bug fixes")
    ax.set_title(f"{len(scored)} real bug fixes: detected = reported near the fix on the buggy "
                 "side and silent there on the fixed side", fontsize=10)
    ax.legend(fontsize=7, ncol=3, loc="upper left")
    ax.set_ylim(0, max(n.values(), default=1) * 1.4)
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    fig.tight_layout()
    written = [os.path.join(out, FAMILY_SVG)]
    fig.savefig(written[0], metadata={"Date": None})
    plt.close(fig)
    scaling = scaling or newest_scaling()
    if scaling:
        rows = list(csv.DictReader(open(scaling)))
        fig, ax = plt.subplots(figsize=(8, 5))
        for k, shape in enumerate(sorted({r["shape"] for r in rows})):
            rr = sorted((r for r in rows if r["shape"] == shape), key=lambda r: int(r["statements"]))
            xs = [int(r["statements"]) for r in rr]
            ax.plot(xs, [float(r["drain_cpu_s"]) for r in rr], "o-", color=f"C{k}",
                    label=f"{shape}: drain-tidy, all drain checks")
            ax.plot(xs, [float(r["floor_cpu_s"]) for r in rr], "s--", color=f"C{k}", alpha=0.6,
                    label=f"{shape}: syntax-only parse (the floor)")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("statements in one function")
        ax.set_ylabel("CPU seconds (median of the repetitions)")
        rel = os.path.relpath(scaling, ROOT)
        ax.set_title(f"cost against function size ({rel})", fontsize=10)
        ax.legend(fontsize=8)
        fig.tight_layout()
        written.append(os.path.join(out, COST_SVG))
        fig.savefig(written[1], metadata={"Date": None})
        plt.close(fig)
    for w in written:
        log(f"chart: {w}")
    return written, scaling


def report(out, bugs, scores, opts):
    """summary.md and the charts from SCORES (also what --report-only does)."""
    md = markdown(bugs, scores, opts)
    try:
        written, scaling = charts(out, bugs, scores, opts.scaling)
        md += "\n## Charts\n\n" + "".join(
            f"![{os.path.splitext(os.path.basename(w))[0]}]({os.path.basename(w)})\n\n"
            for w in written)
        if scaling:
            md += f"The cost chart is drawn from `{os.path.relpath(scaling, ROOT)}`.\n"
        else:
            md += "No scaling results (bench/results/*/scaling.csv): no cost chart.\n"
    except ImportError:
        log("no matplotlib (apt-get install python3-matplotlib, for Debian's /usr/bin/python3): "
            "charts skipped")
    with open(os.path.join(out, "summary.md"), "w") as fh:
        fh.write(md)
    print(md)


# ---------------------------------------------------------------- main

def default_checked(clang_tidy):
    rc, out, _ = run([clang_tidy, "-checks=-*,bugprone-unused-return-value", "--dump-config"])
    m = re.search(r"bugprone-unused-return-value\.CheckedFunctions'?:\s*'([^']*)'", out)
    base = [x for x in (m[1] if m else "").split(";") if x]
    return base + [x for x in EXTRA_CHECKED if x not in base]


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="drain runs per file; an entry whose [bug.recipe] has summary_files = [...] is\n"
               "run cross-file, as `drain audit --cross-file` would: drain-tidy in\n"
               "drain.SummaryStoreMode write over those files into a store per entry and side\n"
               "(CACHE/summaries/RUN/), then the entry's file reading it. meta.txt, summary.md and\n"
               "parse.csv (rows drain-summaries) say which entries were run that way. The\n"
               "anchors always run per file. bench/bugs/README.md has the manifest's keys.")
    ap.add_argument("--manifest", default=os.path.join(HERE, "bugs.toml"))
    ap.add_argument("--mirrors", help="dir of bare git dirs named owner+name")
    ap.add_argument("--cache", default=os.environ.get("DRAIN_BUGS_CACHE",
                                                       os.path.expanduser("~/.cache/drain-bugs")),
                    help="clones, unpacked trees (trees/), stubs and the cross-file entries' "
                         "summary stores (summaries/RUN/ID/SIDE.sqlite); default $DRAIN_BUGS_CACHE "
                         "or ~/.cache/drain-bugs")
    ap.add_argument("--tidy", default=os.path.join(ROOT, "build", "llvm-19", "bin", "drain-tidy"))
    ap.add_argument("--clang-tidy", default="clang-tidy-19")
    ap.add_argument("--only", help="comma-separated entry ids")
    ap.add_argument("--near", type=int, default=10)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=300)
    ap.add_argument("--out")
    ap.add_argument("--scaling", help="scaling.csv for the cost chart (default: the newest in "
                    "bench/results)")
    ap.add_argument("--no-anchors", action="store_true",
                    help="drain only: skip stock clang-tidy and the Static Analyzer")
    ap.add_argument("--report-only", metavar="RESULTS",
                    help="run nothing: rewrite RESULTS/summary.md and the charts from "
                         "RESULTS/scores.json and the manifest")
    opts = ap.parse_args()
    os.environ.setdefault("DEBIAN_FRONTEND", "noninteractive")
    ensure_packages(["python3-matplotlib"] if opts.report_only else None)
    if opts.report_only:
        with open(opts.manifest, "rb") as fh:
            manifest = tomllib.load(fh)
        with open(os.path.join(opts.report_only, "scores.json")) as fh:
            scores = json.load(fh)
        bugs = [b for b in manifest["bug"] if not b.get("dropped") and b["id"] in scores]
        report(opts.report_only, bugs, scores, opts)
        return
    opts.tidy = os.path.abspath(opts.tidy)
    if not os.access(opts.tidy, os.X_OK):
        sys.exit(f"no drain-tidy at {opts.tidy} (build it, or pass --tidy PATH)")
    opts.checked_functions = default_checked(opts.clang_tidy)
    with open(opts.manifest, "rb") as fh:
        manifest = tomllib.load(fh)
    only = set(opts.only.split(",")) if opts.only else None
    bugs = [b for b in manifest["bug"] if not b.get("dropped") and (not only or b["id"] in only)]
    manifest["bug"] = bugs
    out = opts.out or os.path.join(ROOT, "bench", "results",
                                   datetime.date.today().isoformat() + "-bugs")
    opts.store_dir = os.path.join(opts.cache, "summaries", hashlib.sha1(
        os.path.abspath(out).encode()).hexdigest()[:12])
    os.makedirs(opts.store_dir, exist_ok=True)
    with open(os.path.join(opts.store_dir, "out.txt"), "w") as fh:
        fh.write(os.path.abspath(out) + "\n")
    tasks = []
    for b in bugs:
        gd = git_dir(b["repo"], opts.mirrors, opts.cache)
        bad = verify(gd, b)
        if bad:
            sys.exit(f"{b['id']}: {bad}")
        for side, commit in (("buggy", b["parent"]), ("fixed", b["fix"])):
            tdir = tree(gd, b, commit, opts.cache)
            args = flags(b, tdir, opts.cache)
            for tool in ["drain"] + ([] if opts.no_anchors else ["anchors"]):
                tasks.append((b, side, tool, tdir, args))
    results = {}
    with concurrent.futures.ThreadPoolExecutor(opts.jobs) as ex:
        for r in ex.map(lambda t: analyse(t, opts), tasks):
            results[(r["id"], r["side"], r["tool"])] = r
            e = f" ({len(r['errors'])} errors: {r['errors'][0]})" if r["errors"] else ""
            log(f"{r['id']:32} {r['side']:5} {r['tool']:7} {len(r['findings']):3} findings{e}")
    scores = {b["id"]: score(b, results, opts.near) for b in bugs}
    write_outputs(manifest, results, scores, opts, out)
    with open(os.path.join(out, "scores.json"), "w") as fh:
        json.dump(scores, fh, indent=1, sort_keys=True)
    report(out, bugs, scores, opts)


if __name__ == "__main__":
    main()
