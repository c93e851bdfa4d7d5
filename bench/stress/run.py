#!/usr/bin/env python3
"""Stress run: drain-tidy over the C and C++ files of clang's own test suite.

Clang's tests are full of code that is broken on purpose, headers that do not exist, odd
extensions and pragmas. drain must give clear diagnostics there, never crash. A benchmark, never
part of ./dev.sh test.

  bench/stress/run.py [--every N] [--dirs D1,D2] [--timeout S] [--tidy PATH] [--out DIR]
                      [--stock PATH] [--run-lines] [--fetch-only] [--resume]

  --every N     every Nth file of the sorted list (1-based: files 1, 1+N, 1+2N...); default 1
  --dirs D,...  only these directories under clang/test (e.g. Sema,SemaCXX,Parser)
  --timeout S   per-file limit in seconds; a file that takes longer is a hang (default 60)
  --tidy PATH   the drain-tidy binary (default $DRAIN_TIDY, build-stress/, build/llvm-19/)
  --stock PATH  the stock clang-tidy the crashes are compared with (default clang-tidy-19)
  --out DIR     where the small result files go (default bench/results/<yyyy-mm-dd>/stress)
  --run-lines   also take the language flags of each file's first `%clang_cc1 ... %s` RUN line
                (-std, -triple as --target, -D/-U/-include/-isystem, and the -f/-m/-target-*
                options through -Xclang), so the odd extensions (blocks, MS extensions,
                OpenMP, SVE...) are on; results go to .../stress-run-lines
  --fetch-only  fetch and unpack the tests, then stop
  --resume      keep the per-file rows of an interrupted run with the same selection

Fetch (once, needs root for apt): bench/corpus/fetch.sh --deb-src-only adds the deb-src entry,
then `apt-get source --download-only llvm-toolchain-19=<VERSION>` (pinned below) into
$DRAIN_STRESS (default /work/stress) and only `*/clang/test/*` is taken from the orig tarball.
Debian's patches are not applied: they touch the build, not the tests.

Every .c file is run as
  drain-tidy -checks='-*,drain-*' --quiet FILE -- -x c -std=gnu17 -I<dir> -Wno-everything
and every .cpp/.cc/.cxx file with -x c++ -std=gnu++20, one at a time, niced, under `timeout`.
A file counts as
  crash   exit by a signal, or output with a crash banner ("Stack dump:", "PLEASE submit a bug
          report");
  hang    the limit was reached;
  error   exit 1 with clang errors (the file is broken on purpose, or needs flags of its RUN
          lines that are not given here): fine, that is what the run is for;
  ok      otherwise.
Each crash and hang is then rerun with the stock clang-tidy and a stock check
(-checks='-*,bugprone-unused-return-value', same flags): if that crashes or hangs too, the
failure is clang's (some tests crash clang on purpose, e.g. `#pragma clang __debug crash`),
else it is drain's.

Writes, in --out (small, meant to be committed):
  counts.csv     directory,files,ok,errors,crashes,hangs (one row per top directory, and total)
  failures.csv   file,result,exit,seconds,in_checks,stock_result,stock_exit,owner (each crash
                 and hang; in_checks: the stack dump names drain or the AST matchers, i.e. the
                 crash is past parsing, in the checks' phase)
  meta.txt       date, machine, drain commit, package version, selection, command, wall time
and under $DRAIN_STRESS/results/<selection>/: rows.tsv (every file: result, exit, seconds,
drain's warnings per check) and the logs of the files that were not ok.
"""
import argparse
import csv
import datetime
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORK = os.environ.get("DRAIN_STRESS", "/work/stress")
PACKAGE = "llvm-toolchain-19"
# What bookworm served on 2026-11-23 (apt-cache showsrc llvm-toolchain-19). Debian keeps only
# the newest revision; if apt no longer has it, update this pin (and re-run).
VERSION = "1:19.1.7-3~deb12u1"
UPSTREAM = "19.1.7"
CHECKS = "-*,drain-*"
STOCK_CHECKS = "-*,bugprone-unused-return-value"
EXTS = {".c": "c", ".cpp": "c++", ".cc": "c++", ".cxx": "c++"}
CRASH_RE = re.compile(r"^(Stack dump:|PLEASE submit a bug report)", re.M)
CHECKS_FRAME_RE = re.compile(r"^ *#\d+ .*(drain::|MatchASTConsumer|MatchFinder|MatchASTVisitor)", re.M)
WARN_RE = re.compile(r": warning: .* \[(drain-[a-z-]+)\]$", re.M)
ERROR_RE = re.compile(r"(^|: )error: ", re.M)


def log(msg):
    print("\033[1m==> %s\033[0m" % msg, file=sys.stderr, flush=True)


def test_root():
    return os.path.join(WORK, "llvm-toolchain-19_%s" % UPSTREAM, "clang", "test")


def fetch():
    if os.path.isfile(os.path.join(test_root(), "READY")):
        return
    subprocess.run(["bash", os.path.join(ROOT, "bench", "corpus", "fetch.sh"), "--deb-src-only"],
                   check=True)
    os.makedirs(WORK, exist_ok=True)
    orig = os.path.join(WORK, "llvm-toolchain-19_%s.orig.tar.xz" % UPSTREAM)
    if not os.path.exists(orig):
        log("apt-get source --download-only %s=%s" % (PACKAGE, VERSION))
        subprocess.run(["apt-get", "source", "--download-only", "%s=%s" % (PACKAGE, VERSION)],
                       cwd=WORK, check=True)
    log("unpacking */clang/test/* from %s" % os.path.basename(orig))
    subprocess.run(["nice", "-n", "10", "tar", "-xf", orig, "--wildcards", "*/clang/test/*"],
                   cwd=WORK, check=True)
    with open(os.path.join(test_root(), "READY"), "w") as fh:
        fh.write("%s=%s\n" % (PACKAGE, VERSION))


def all_files():
    root = test_root()
    out = []
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for f in files:
            if os.path.splitext(f)[1] in EXTS:
                out.append(os.path.relpath(os.path.join(d, f), root))
    return sorted(out)


def run_line_flags(path):
    """Language flags of the first `%clang_cc1 ... %s` RUN line, as driver arguments.

    Returns (lang or None, [args]). Only options that change the language are kept: -std,
    -triple, -x c/c++, -D, -U, -include, -isystem, -I and the -f, -m and -target-* options;
    diagnostics (-verify, -W), outputs (-emit-*, -o, -ast-*) and modules (cache paths) are
    dropped, and so is anything still holding a lit substitution after %s and %S.
    """
    try:
        text = open(path, errors="replace").read()
    except OSError:
        return None, []
    lines, cur = [], ""
    for ln in text.splitlines():
        m = re.search(r"RUN:(.*)$", ln)
        if not m:
            if cur:
                lines.append(cur); cur = ""
            continue
        part = m.group(1).rstrip()
        if part.endswith("\\"):
            cur += part[:-1] + " "
            continue
        lines.append(cur + part); cur = ""
    if cur:
        lines.append(cur)
    d = os.path.dirname(path)
    for ln in lines:
        if "%clang_cc1" not in ln or "%s" not in ln:
            continue
        ln = ln.split("%clang_cc1", 1)[1]
        ln = re.split(r"\||2>&1|(?<!-)>|<|&&|;", ln)[0]
        ln = ln.replace("%S", d).replace("%s", path)
        try:
            toks = shlex.split(ln)
        except ValueError:
            toks = ln.split()
        lang, out, i = None, [], 0
        while i < len(toks):
            t = toks[i]
            nxt = toks[i + 1] if i + 1 < len(toks) else ""
            i += 1
            if "%" in t:
                continue
            if t in ("-triple", "-x", "-D", "-U", "-include", "-isystem", "-I", "-target-feature",
                     "-target-cpu", "-target-abi"):
                i += 1
                if "%" in nxt or not nxt:
                    continue
                if t == "-triple":
                    out.append("--target=" + nxt)
                elif t == "-x":
                    if nxt in ("c", "c++", "c-header", "c++-header"):
                        lang = nxt.replace("-header", "")
                elif t.startswith("-target-"):
                    out += ["-Xclang", t, "-Xclang", nxt]
                else:
                    out += [t, nxt]
            elif t.startswith("-triple="):
                out.append("--target=" + t.split("=", 1)[1])
            elif t.startswith("-std="):
                out.append(t)
            elif t[:2] in ("-D", "-U", "-I") and len(t) > 2:
                out.append(t)
            elif (t.startswith("-f") or t.startswith("-m")) and "module" not in t \
                    and not t.startswith("-fsyntax-only"):
                out += ["-Xclang", t]
        return lang, out
    return None, []


RUN_LINES = False


def command(tidy, checks, path):
    lang = EXTS[os.path.splitext(path)[1]]
    extra = []
    if RUN_LINES:
        rl, extra = run_line_flags(path)
        lang = rl or lang
    std = "-std=gnu17" if lang == "c" else "-std=gnu++20"
    return [tidy, "-checks=" + checks, "--quiet", path, "--",
            "-x", lang, std, "-I" + os.path.dirname(path), "-Wno-everything"] + extra


def run_one(tidy, checks, path, timeout):
    """Returns (result, exit, seconds, output)."""
    cmd = ["timeout", "-k", "5", str(timeout), "nice", "-n", "10"] + command(tidy, checks, path)
    t0 = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL, cwd=os.path.dirname(path))
    secs = time.monotonic() - t0
    out = p.stdout.decode("utf-8", "replace")
    rc = p.returncode
    if rc in (124, 137):
        res = "hang"
    elif rc < 0 or rc >= 128 or CRASH_RE.search(out):
        res = "crash"
    elif rc != 0 and ERROR_RE.search(out):
        res = "error"
    elif rc != 0:
        res = "error"  # exit 1 without an "error:" line: counted with the errors, log kept
    else:
        res = "ok"
    return res, rc, secs, out


def default_tidy():
    for c in (os.environ.get("DRAIN_TIDY", ""),
              os.path.join(ROOT, "build-stress", "bin", "drain-tidy"),
              os.path.join(ROOT, "build", "llvm-19", "bin", "drain-tidy")):
        if c and os.access(c, os.X_OK):
            return c
    return None


def commit_of(tidy):
    m = re.search(r"/drain-builds/([0-9a-f]+)/build/bin/drain-tidy$", tidy)
    if m:
        return "%s (built by bench/build.sh)" % m.group(1)
    head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short=12", "HEAD"],
                          stdout=subprocess.PIPE, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", ROOT, "diff", "--quiet", "HEAD", "--", "checker"]).returncode
    return "work tree at %s%s" % (head, ", checker/ had uncommitted changes" if dirty else "")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--every", type=int, default=1)
    ap.add_argument("--dirs", default="")
    ap.add_argument("--timeout", type=int, default=60)
    ap.add_argument("--tidy", default=None)
    ap.add_argument("--stock", default="clang-tidy-19")
    ap.add_argument("--out", default=None)
    ap.add_argument("--run-lines", action="store_true")
    ap.add_argument("--fetch-only", action="store_true")
    ap.add_argument("--resume", action="store_true")
    a = ap.parse_args()

    global RUN_LINES
    RUN_LINES = a.run_lines
    fetch()
    if a.fetch_only:
        return 0
    tidy = a.tidy or default_tidy()
    if not tidy or not os.access(tidy, os.X_OK):
        sys.exit("run.py: no drain-tidy (build it, or pass --tidy PATH)")
    tidy = os.path.abspath(tidy)
    stock = shutil.which(a.stock) or sys.exit("run.py: no %s" % a.stock)

    files = all_files()
    total_files = len(files)
    dirs = [d for d in a.dirs.split(",") if d]
    if dirs:
        files = [f for f in files if f.split("/")[0] in dirs]
    files = files[::a.every]
    sel = "every %dth of %s (%d of %d C/C++ files under clang/test)" % (
        a.every, ",".join(dirs) if dirs else "all directories", len(files), total_files)
    if a.every == 1:
        sel = "%s (%d of %d C/C++ files under clang/test)" % (
            ",".join(dirs) if dirs else "all directories", len(files), total_files)
    log("%s; %ds per file; %s" % (sel, a.timeout, tidy))

    date = datetime.date.today().isoformat()
    out = a.out or os.path.join(ROOT, "bench", "results", date,
                                "stress-run-lines" if a.run_lines else "stress")
    os.makedirs(out, exist_ok=True)
    key = "every%d-%s%s" % (a.every, "-".join(dirs) if dirs else "all",
                            "-run-lines" if a.run_lines else "")
    resdir = os.path.join(WORK, "results", key)
    rows_path = os.path.join(resdir, "rows.tsv")
    done = {}
    if a.resume and os.path.exists(rows_path):
        for line in open(rows_path):
            f, res, rc, secs, *w = line.rstrip("\n").split("\t")
            done[f] = (res, int(rc), float(secs), w[0] if w else "")
        log("resuming: %d files already done" % len(done))
    else:
        shutil.rmtree(resdir, ignore_errors=True)
    os.makedirs(os.path.join(resdir, "logs"), exist_ok=True)

    root = test_root()
    start = time.monotonic()
    counts = {}
    with open(rows_path, "a") as rows:
        for i, f in enumerate(files):
            if f in done:
                continue
            res, rc, secs, text = run_one(tidy, CHECKS, os.path.join(root, f), a.timeout)
            # drain's warnings, as check:count,... (the checks do run on these files).
            warns = {}
            for chk in WARN_RE.findall(text):
                warns[chk] = warns.get(chk, 0) + 1
            w = ",".join("%s:%d" % kv for kv in sorted(warns.items()))
            done[f] = (res, rc, secs, w)
            rows.write("%s\t%s\t%d\t%.2f\t%s\n" % (f, res, rc, secs, w))
            rows.flush()
            if res != "ok":
                with open(os.path.join(resdir, "logs", f.replace("/", "__") + ".log"), "w") as fh:
                    fh.write(text if res in ("crash", "hang") else text[:4000])
            counts[res] = counts.get(res, 0) + 1
            if res in ("crash", "hang"):
                log("%s: %s (exit %d, %.1fs)" % (res, f, rc, secs))
            if (i + 1) % 200 == 0:
                log("%d/%d files, %.0fs; %s" % (i + 1, len(files), time.monotonic() - start,
                                                 counts))
    wall = time.monotonic() - start

    # Classify crashes and hangs against the stock clang-tidy.
    fails = []
    for f in files:
        res, rc, secs, _ = done[f]
        if res not in ("crash", "hang"):
            continue
        sres, src, _, stext = run_one(stock, STOCK_CHECKS, os.path.join(root, f), a.timeout)
        with open(os.path.join(resdir, "logs", f.replace("/", "__") + ".stock.log"), "w") as fh:
            fh.write(stext)
        owner = "clang" if sres in ("crash", "hang") else "drain"
        text = open(os.path.join(resdir, "logs", f.replace("/", "__") + ".log"),
                    errors="replace").read()
        in_checks = "yes" if CHECKS_FRAME_RE.search(text) else "no"
        fails.append([f, res, rc, "%.1f" % secs, in_checks, sres, src, owner])
        log("%s %s: stock clang-tidy %s -> %s's" % (res, f, sres, owner))

    per = {}
    for f in files:
        d = f.split("/")[0] if "/" in f else "."
        c = per.setdefault(d, {"ok": 0, "error": 0, "crash": 0, "hang": 0})
        c[done[f][0]] += 1
    tot = {"ok": 0, "error": 0, "crash": 0, "hang": 0}
    with open(os.path.join(out, "counts.csv"), "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["directory", "files", "ok", "errors", "crashes", "hangs"])
        for d in sorted(per):
            c = per[d]
            w.writerow([d, sum(c.values()), c["ok"], c["error"], c["crash"], c["hang"]])
            for k in tot:
                tot[k] += c[k]
        w.writerow(["total", sum(tot.values()), tot["ok"], tot["error"], tot["crash"], tot["hang"]])
    with open(os.path.join(out, "failures.csv"), "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["file", "result", "exit", "seconds", "in_checks", "stock_result",
                    "stock_exit", "owner"])
        w.writerows(fails)
    secs_all = sorted(v[2] for v in done.values())
    with open(os.path.join(out, "meta.txt"), "w") as fh:
        fh.write("date: %s\n" % datetime.datetime.now(datetime.timezone.utc).strftime("%FT%TZ"))
        fh.write("machine: %d cores (%s)\n" % (os.cpu_count(), " ".join(platform.uname()[:3:2])))
        fh.write("drain commit: %s\n" % commit_of(tidy))
        fh.write("drain-tidy: %s\n" % tidy)
        fh.write("tests: Debian source package %s=%s, clang/test of the orig tarball\n"
                 % (PACKAGE, VERSION))
        fh.write("selection: %s\n" % sel)
        fh.write("command: bench/stress/run.py %s\n" % " ".join(sys.argv[1:]))
        if a.run_lines:
            fh.write("run lines: plus the language flags of the first %clang_cc1 RUN line "
                     "(run_line_flags in run.py)\n")
        fh.write("per file: drain-tidy -checks='%s' --quiet FILE -- -x c -std=gnu17 "
                 "-I<dir of FILE> -Wno-everything (C++: -x c++ -std=gnu++20); timeout %ds, "
                 "one at a time, nice -n 10\n" % (CHECKS, a.timeout))
        fh.write("stock comparison: %s -checks='%s', same flags\n" % (stock, STOCK_CHECKS))
        fh.write("result: %d files, %d ok, %d errors, %d crashes, %d hangs; drain's: %d\n" % (
            sum(tot.values()), tot["ok"], tot["error"], tot["crash"], tot["hang"],
            sum(1 for r in fails if r[-1] == "drain")))
        if secs_all:
            fh.write("per-file seconds: median %.2f, max %.1f, sum %.0f\n" % (
                secs_all[len(secs_all) // 2], secs_all[-1], sum(secs_all)))
        # The analysis wall time of every invocation on these rows (a resumed run adds up).
        walls = [float(x) for x in open(os.path.join(resdir, "wall.txt")).read().split()] \
            if a.resume and os.path.exists(os.path.join(resdir, "wall.txt")) else []
        walls.append(wall)
        with open(os.path.join(resdir, "wall.txt"), "w") as wf:
            wf.write("".join("%.0f\n" % w for w in walls))
        per_check, wfiles = {}, 0
        for v in done.values():
            if v[3]:
                wfiles += 1
            for kv in filter(None, v[3].split(",")):
                k, n = kv.rsplit(":", 1)
                per_check[k] = per_check.get(k, 0) + int(n)
        fh.write("drain warnings: %d in %d files (%s)\n" % (
            sum(per_check.values()), wfiles,
            ", ".join("%s %d" % kv for kv in sorted(per_check.items())) or "none"))
        fh.write("wall: %.0fs for the files%s\n" % (
            sum(walls), "" if len(walls) == 1 else " (%d invocations: %s)" % (
                len(walls), " + ".join("%.0f" % w for w in walls))))
        fh.write("rows: %s\n" % rows_path)
    with open(os.path.join(out, "counts.csv")) as fh:
        sys.stderr.write(fh.read())
    log("results in %s" % out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
