#!/usr/bin/env python3
"""Broken code is never a crash: drain's checks over mutilated copies of real inputs.

Every input (the lit inputs under test/checkers/ and the reference connection's sources) is
broken the ways code in an editor or a CI job with incomplete include paths is broken:

  include   one `#include` line removed (each one in turn)
  delete    a random range of lines deleted
  rename    one identifier mistyped (a suffix added), so what it named is unknown
  truncate  the file cut at a random character

The mutations are drawn from a fixed seed, so a run is repeatable. Each mutant goes through
drain-tidy with every drain check (and, with --clangd, through `drain-clangd --check`, which
builds the AST the way the editor does and runs the same checks). A mutant counts as

  crash   the tool died by a signal or printed a crash banner ("Stack dump:", "PLEASE submit")
  hang    the per-file limit was reached
  ok      anything else: findings, compiler errors (exit 1), nothing

The broken files themselves are the point, so compiler errors are expected; only crashes and
hangs fail the run. Exit 0 when there are none, 1 otherwise; each failure is printed with the
command that reproduces it, and the mutant is kept in --work.

  crash_freedom.py --tidy BIN --src ROOT --work DIR [--clangd BIN] [--subset fast|all]
                   [--seed N] [--deletions N] [--truncations N] [-j N] [--timeout S]

--subset fast (the test suite's run): the first include of each file, one deletion, one
truncation, the inputs that use the small stand-in headers only. --subset all adds every
include, the requested number of deletions and truncations, and the real-header inputs.
"""
import argparse
import concurrent.futures
import glob
import os
import random
import re
import shlex
import subprocess
import sys
import time

CRASH_BANNERS = ("Stack dump:", "PLEASE submit a bug report", "LLVM ERROR:")


def run_line_flags(path, src_root):
    """The language flags of the first %check_drain/%drain_clang_tidy RUN line: -std (its first
    value) and the compiler arguments after `-- --`, with %S and %drain_src expanded."""
    text = open(path, encoding="utf-8", errors="replace").read()
    runs, cur = [], ""
    for line in text.splitlines():
        m = re.match(r"\s*//\s*RUN:\s?(.*)$", line)
        if not m:
            continue
        part = m.group(1)
        if part.rstrip().endswith("\\"):
            cur += part.rstrip()[:-1] + " "
            continue
        runs.append(cur + part)
        cur = ""
    std = "c11" if path.endswith(".c") else "c++17"
    extra = []
    for run in runs:
        if "%check_drain" not in run and "%drain_clang_tidy" not in run:
            continue
        run = run.replace("%S", os.path.dirname(path)).replace("%drain_src", src_root)
        try:
            words = shlex.split(run.split("|")[0])
        except ValueError:
            continue
        for w in words:
            if w.startswith("-std="):
                std = w[len("-std="):].split(",")[0]
        if words.count("--") >= 2:
            first = words.index("--")
            extra = words[words.index("--", first + 1) + 1:]
        elif "%drain_clang_tidy" in run and "--" in words:
            extra = [w for w in words[words.index("--") + 1:] if not w.startswith("-std=")]
        break
    return ["-std=" + std] + extra


def inputs(src_root, subset):
    """(path, compiler flags, uses real system headers) for every input."""
    out = []
    checkers = os.path.join(src_root, "test", "checkers")
    for path in sorted(glob.glob(os.path.join(checkers, "*.c")) +
                       glob.glob(os.path.join(checkers, "*.cpp"))):
        flags = run_line_flags(path, src_root)
        real = "-real-" in os.path.basename(path)
        if subset == "fast" and real:
            continue
        out.append((path, flags, real))
    ref_inc = os.path.join(src_root, "reference", "include")
    for path in sorted(glob.glob(os.path.join(src_root, "reference", "src", "*.cpp"))):
        out.append((path, ["-std=c++17", "-I" + ref_inc], False))
    return out


def mutants(path, subset, rng, n_del, n_trunc, n_rename):
    """(name, text) for each mutation of one file."""
    text = open(path, encoding="utf-8", errors="replace").read()
    lines = text.splitlines(keepends=True)
    out = []
    includes = [i for i, l in enumerate(lines) if re.match(r"\s*#\s*include\b", l)]
    for i in (includes[:1] if subset == "fast" else includes):
        out.append(("include%d" % (i + 1), "".join(lines[:i] + lines[i + 1:])))
    for _ in range(n_del if subset == "all" else 1):
        if len(lines) < 4:
            break
        a = rng.randrange(len(lines))
        b = min(len(lines), a + 1 + rng.randrange(max(1, len(lines) // 8)))
        out.append(("delete%d-%d" % (a + 1, b), "".join(lines[:a] + lines[b:])))
    # A mistyped name: one identifier outside the preprocessor lines gets a suffix, so the
    # type, function or variable it named is unknown from there on.
    idents = [(i, m.start(), m.end()) for i, l in enumerate(lines)
              if not l.lstrip().startswith(("#", "//"))
              for m in re.finditer(r"\b[A-Za-z_]\w*\b", l)]
    for _ in range(n_rename if subset == "all" else 1):
        if not idents:
            break
        i, b, e = idents[rng.randrange(len(idents))]
        l = lines[i]
        out.append(("rename%d-%d" % (i + 1, b + 1),
                    "".join(lines[:i] + [l[:e] + "_typo" + l[e:]] + lines[i + 1:])))
    for _ in range(n_trunc if subset == "all" else 1):
        if len(text) < 2:
            break
        at = rng.randrange(1, len(text))
        out.append(("truncate%d" % at, text[:at]))
    return out


def classify(rc, output, timed_out):
    if timed_out:
        return "hang"
    if rc < 0 or rc >= 128 or any(b in output for b in CRASH_BANNERS):
        return "crash"
    return "ok"


def run_one(cmd, timeout, cwd):
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout)
        out = p.stdout.decode("utf-8", "replace")
        return classify(p.returncode, out, False), p.returncode, out, time.monotonic() - start
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode("utf-8", "replace")
        return "hang", None, out, time.monotonic() - start


def clangd_job(a, flag_dirs, mpath, flags):
    """drain-clangd --check reads the compile flags from compile_flags.txt in the file's
    directory (and the checks from .clang-tidy): one directory per distinct flag set."""
    key = tuple(flags)
    if key not in flag_dirs:
        d = os.path.join(a.work, "clangd-%d" % len(flag_dirs))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "compile_flags.txt"), "w") as f:
            f.write("\n".join(flags + ["-ferror-limit=0"]) + "\n")
        with open(os.path.join(d, ".clang-tidy"), "w") as f:
            f.write("Checks: '-*,drain-*'\n")
        flag_dirs[key] = d
    d = flag_dirs[key]
    target = os.path.join(d, os.path.basename(mpath))
    with open(mpath, encoding="utf-8") as fi, open(target, "w", encoding="utf-8") as fo:
        fo.write(fi.read())
    return [a.clangd, "--check=" + target, "--check-locations=0", "--clang-tidy",
            "--log=error"], d


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tidy", required=True, help="drain-tidy")
    p.add_argument("--clangd", help="drain-clangd: also run each mutant through --check")
    p.add_argument("--src", required=True, help="drain's source root")
    p.add_argument("--work", required=True)
    p.add_argument("--subset", choices=("fast", "all"), default="fast")
    p.add_argument("--seed", type=int, default=17)
    p.add_argument("--deletions", type=int, default=4)
    p.add_argument("--truncations", type=int, default=4)
    p.add_argument("--renames", type=int, default=4)
    p.add_argument("-j", type=int, default=2)
    p.add_argument("--timeout", type=int, default=120)
    p.add_argument("--only", help="a regular expression the input's path must match")
    a = p.parse_args()

    os.makedirs(a.work, exist_ok=True)
    jobs = []
    flag_dirs = {}
    for path, flags, _ in inputs(os.path.abspath(a.src), a.subset):
        if a.only and not re.search(a.only, path):
            continue
        # One generator per file, seeded from the file's name: adding an input does not move
        # the mutations of the others.
        rng = random.Random("%d:%s" % (a.seed, os.path.basename(path)))
        for name, text in mutants(path, a.subset, rng, a.deletions, a.truncations, a.renames):
            base, ext = os.path.splitext(os.path.basename(path))
            mpath = os.path.join(a.work, "%s.%s%s" % (base, name, ext))
            with open(mpath, "w", encoding="utf-8") as f:
                f.write(text)
            lang = ["-xc"] if ext == ".c" else ["-xc++"]
            # -ferror-limit=0: every error recovery path of the parser runs, not only the
            # first twenty.
            tidy = [a.tidy, mpath, "-checks=-*,drain-*", "--quiet", "--",
                    *lang, *flags, "-ferror-limit=0"]
            jobs.append(("drain-tidy", mpath, tidy, None))
            if a.clangd:
                cmd, cwd = clangd_job(a, flag_dirs, mpath, lang + flags)
                jobs.append(("drain-clangd", mpath, cmd, cwd))

    counts = {"ok": 0, "crash": 0, "hang": 0}
    failures = []
    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.j) as pool:
        futs = {pool.submit(run_one, cmd, a.timeout, cwd): (tool, mpath, cmd)
                for tool, mpath, cmd, cwd in jobs}
        for fut in concurrent.futures.as_completed(futs):
            tool, mpath, cmd = futs[fut]
            kind, rc, out, secs = fut.result()
            counts[kind] += 1
            if kind != "ok":
                failures.append((kind, tool, mpath, rc, cmd, out))
    for kind, tool, mpath, rc, cmd, out in sorted(failures, key=lambda f: f[2]):
        print("%s: %s on %s (exit %s)" % (kind.upper(), tool, os.path.basename(mpath), rc))
        print("  $ " + " ".join(shlex.quote(c) for c in cmd))
        banner = [l for l in out.splitlines() if "Stack dump" in l or l.lstrip().startswith("#")]
        for l in banner[:12]:
            print("    " + l)
    print("%d mutant runs: %d ok, %d crash, %d hang (%.0f s)" % (
        len(jobs), counts["ok"], counts["crash"], counts["hang"], time.monotonic() - start))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
