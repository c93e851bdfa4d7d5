#!/usr/bin/env python3
"""drain audit at scale, on packages of the real-code corpus (bench/corpus/fetch.sh).

For each package (a copy of /work/corpus/<pkg> in a scratch directory, its compile database
rewritten to the copy, so the corpus is never edited), and with --together for the packages
at once (one database of all their TUs):
  nocache     drain-audit --no-cache                     the plain run
  first       drain-audit --cache EMPTY                  a cold cache: the plain run + keeping entries
  cached      drain-audit --cache FULL                   nothing changed            goal <= 5% of first
  one-file    after appending a comment to one source    one TU re-analysed         goal <= 10%
  shards-2    --shard K/2 for each K, then merge         max shard wall + merge (N machines)
  shards-4    --shard K/4 ...                            and the sum (one machine)
  run-clang-tidy  run-clang-tidy-19 -clang-tidy-binary drain-tidy, the same checks and jobs
  cpp-E       the compiler's -E over every TU            what a key over preprocessed text costs
--skip leaves out the expensive columns (nocache, shards, run-clang-tidy, cpp-E) where another
row measures them; --only-together measures only the packages as one database.
Writes audit-scale.csv and audit-scale-meta.txt into --out (default bench/results/<date>-audit-scale/)
and prints a Markdown table.
"""
import argparse
import datetime
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
CORPUS = os.environ.get("DRAIN_CORPUS", "/work/corpus")


def sh(cmd, cwd=None, ok=(0, 1, 2)):
    t0 = time.monotonic()
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True)
    secs = time.monotonic() - t0
    if p.returncode not in ok:
        sys.exit("audit-scale: %s failed (%d):\n%s" % (" ".join(cmd), p.returncode, p.stdout[-3000:]))
    return secs, p.stdout


def copy_package(pkg, scratch):
    """/work/corpus/<pkg>/src and its database, moved to scratch/<pkg>/ (paths rewritten)."""
    src, dst = os.path.join(CORPUS, pkg), os.path.join(scratch, pkg)
    if os.path.exists(dst):
        shutil.rmtree(dst)
    shutil.copytree(os.path.join(src, "src"), os.path.join(dst, "src"), symlinks=True)
    with open(os.path.join(src, "compile_commands.json")) as f:
        text = f.read()
    with open(os.path.join(dst, "compile_commands.json"), "w") as f:
        f.write(text.replace(src + "/", dst + "/"))
    return dst


def together(dirs, scratch):
    entries = []
    for d in dirs:
        with open(os.path.join(d, "compile_commands.json")) as f:
            entries += json.load(f)
    dst = os.path.join(scratch, "together")
    os.makedirs(dst, exist_ok=True)
    with open(os.path.join(dst, "compile_commands.json"), "w") as f:
        json.dump(entries, f)
    return dst


def one_source(db_dir):
    """The TU of median size: the one-file change edits it."""
    with open(os.path.join(db_dir, "compile_commands.json")) as f:
        db = json.load(f)
    files = sorted({os.path.normpath(os.path.join(e["directory"], e["file"])) for e in db},
                   key=lambda p: (os.path.getsize(p) if os.path.exists(p) else 0, p))
    return files[len(files) // 2], len(files)


def audit_cmd(a, db_dir, root, *extra):
    return [sys.executable, a.audit, "-p", db_dir, "--drain-tidy", a.tidy, "-j", str(a.jobs),
            "--root", root, "--checks=" + a.checks, "--progress", "none"] + list(extra)


def shards(a, db_dir, root, work, n):
    walls = []
    for k in range(1, n + 1):
        secs, _ = sh(audit_cmd(a, db_dir, root, "--no-cache", "--shard", "%d/%d" % (k, n),
                               "-o", os.path.join(work, "s%d-%d" % (n, k)), "--no-report"))
        walls.append(secs)
    secs, _ = sh([sys.executable, a.audit, "merge"] +
                 [os.path.join(work, "s%d-%d" % (n, k)) for k in range(1, n + 1)] +
                 ["-o", os.path.join(work, "merged-%d" % n), "--root", root])
    return max(walls) + secs, sum(walls) + secs


def preprocess_all(db_dir):
    """-E over every entry (what a key over preprocessed text would cost per run)."""
    with open(os.path.join(db_dir, "compile_commands.json")) as f:
        db = json.load(f)
    t0 = time.monotonic()
    for e in db:
        args = e.get("arguments") or shlex.split(e["command"])
        out = []
        skip = False
        for x in args[1:]:
            if skip:
                skip = False
                continue
            if x in ("-o", "-MF", "-MT", "-MQ"):
                skip = True
                continue
            if x in ("-c", "-MD", "-MMD"):
                continue
            out.append(x)
        subprocess.run([args[0] if shutil.which(args[0]) else "clang"] + out + ["-E", "-o", os.devnull],
                       cwd=e["directory"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - t0


def measure(a, name, db_dir, root):
    work = os.path.join(a.scratch, "runs-" + name)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    cache = os.path.join(work, "cache")
    row = {"package": name}
    if "nocache" not in a.skip:
        row["nocache"], _ = sh(audit_cmd(a, db_dir, root, "--no-cache", "--no-report"))
    row["first"], _ = sh(audit_cmd(a, db_dir, root, "--cache", cache, "--no-report"))
    row["cached"], out = sh(audit_cmd(a, db_dir, root, "--cache", cache, "--no-report"))
    head = out.splitlines()[0] if out else ""
    row["tus"] = int(head.split(" translation unit")[0].split()[-1]) if head else 0
    row["cached_hits"] = int(head.rsplit(", ", 1)[1].split()[0]) if "from the cache" in head else 0
    victim, _ = one_source(db_dir)
    with open(victim, "a") as f:
        f.write("\n/* drain audit-scale: one-file change */\n")
    row["one_file"], out = sh(audit_cmd(a, db_dir, root, "--cache", cache, "--no-report"))
    row["one_file_hits"] = int(out.splitlines()[0].rsplit(", ", 1)[1].split()[0])
    if "shards" not in a.skip:
        row["shards2_max"], row["shards2_sum"] = shards(a, db_dir, root, work, 2)
        row["shards4_max"], row["shards4_sum"] = shards(a, db_dir, root, work, 4)
    if "run-clang-tidy" not in a.skip:
        row["run_clang_tidy"], _ = sh(["run-clang-tidy-19", "-clang-tidy-binary", a.tidy, "-p",
                                       db_dir, "-checks=" + a.checks, "-j", str(a.jobs),
                                       "-quiet"], ok=range(0, 256))
    row["cpp_E"] = preprocess_all(db_dir) if a.preprocess and "cpp-E" not in a.skip else ""
    return row


COLUMNS = ["package", "tus", "nocache", "first", "cached", "cached_hits", "one_file",
           "one_file_hits", "shards2_max", "shards2_sum", "shards4_max", "shards4_sum",
           "run_clang_tidy", "cpp_E"]


def fmt(v):
    return "%.1f" % v if isinstance(v, float) else str(v)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("packages", nargs="+")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--tidy", default=os.path.join(ROOT, "build/llvm-19/bin/drain-tidy"))
    ap.add_argument("--audit", default=os.path.join(ROOT, "build/llvm-19/bin/drain-audit"))
    ap.add_argument("--checks", default="-*,drain-*")
    ap.add_argument("--scratch", default="/tmp/drain-audit-scale")
    ap.add_argument("--together", action="store_true", help="also all the packages as one database")
    ap.add_argument("--no-preprocess", dest="preprocess", action="store_false")
    ap.add_argument("--skip", default="", type=lambda v: set(filter(None, v.split(","))),
                    help="columns not measured, comma-separated: nocache, shards, "
                    "run-clang-tidy, cpp-E (the cache columns are always measured)")
    ap.add_argument("--only-together", action="store_true",
                    help="measure only the packages as one database, not each on its own")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench/results",
                                                  datetime.date.today().isoformat() + "-audit-scale"))
    a = ap.parse_args()
    os.makedirs(a.scratch, exist_ok=True)
    os.makedirs(a.out, exist_ok=True)
    dirs = [copy_package(p, a.scratch) for p in a.packages]
    rows = [] if a.only_together else [measure(a, p, d, d) for p, d in zip(a.packages, dirs)]
    if (a.together or a.only_together) and len(dirs) > 1:
        if not a.only_together:
            dirs = [copy_package(p, a.scratch) for p in a.packages]  # undo the one-file edits
        rows.append(measure(a, "together", together(dirs, a.scratch), a.scratch))
    with open(os.path.join(a.out, "audit-scale.csv"), "w") as f:
        f.write(",".join(COLUMNS) + "\n")
        for r in rows:
            f.write(",".join(fmt(r.get(c, "")) for c in COLUMNS) + "\n")
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                            stdout=subprocess.PIPE, universal_newlines=True).stdout.strip()
    with open(os.path.join(a.out, "audit-scale-meta.txt"), "w") as f:
        f.write("date: %s\nmachine: %s, %d cores (shared)\ndrain: %s\ncommand: %s\n" % (
            datetime.datetime.now().isoformat(timespec="seconds"), platform.node(),
            os.cpu_count() or 0, commit, " ".join(sys.argv)))
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    for r in rows:
        print("| " + " | ".join(fmt(r.get(c, "")) for c in COLUMNS) + " |")


if __name__ == "__main__":
    main()
