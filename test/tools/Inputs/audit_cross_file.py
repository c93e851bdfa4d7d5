"""drain-audit across files: a two-file project whose callers (conn.c) use wrappers defined in
the other file (net.c). Without a store the callers' findings are invisible; --cross-file on one
machine and the two-stage pipeline in shards (summaries, merged stores, checks) both find them,
the same findings. Prints one line per finding per run for FileCheck."""
import argparse
import json
import os
import shutil
import subprocess
import sys


def run(cmd, want):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode not in want:
        sys.exit(f"{' '.join(cmd)} exited {p.returncode}, expected {want}:\n{p.stdout}")
    return p.returncode


def findings(out):
    with open(os.path.join(out, "findings.json")) as f:
        data = json.load(f)
    return sorted((x["location"]["path"], x["location"]["line"], x["location"]["column"],
                   x["check"], x["fingerprint"]) for x in data["findings"])


def show(name, fs):
    print(f"{name}: {len(fs)} findings")
    for path, line, col, check, _ in fs:
        print(f"{name}: {path}:{line}:{col} {check}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--audit", required=True)
    ap.add_argument("--drain-tidy", required=True)
    ap.add_argument("--inputs", required=True, help="directory with net.c and net.h")
    ap.add_argument("--callers", required=True, help="the callers' source, copied as conn.c")
    ap.add_argument("--work", required=True)
    a = ap.parse_args()

    shutil.rmtree(a.work, ignore_errors=True)
    proj = os.path.join(a.work, "proj")
    os.makedirs(proj)
    for f in ("net.c", "net.h"):
        shutil.copy(os.path.join(a.inputs, f), proj)
    shutil.copy(a.callers, os.path.join(proj, "conn.c"))
    db = [{"directory": proj, "file": os.path.join(proj, f),
           "arguments": ["cc", "-std=c11", "-I" + proj, "-c", f]} for f in ("net.c", "conn.c")]
    with open(os.path.join(proj, "compile_commands.json"), "w") as f:
        json.dump(db, f)

    base = [a.audit, "-p", proj, "--root", proj, "--drain-tidy", a.drain_tidy, "--no-cache",
            "--checks=-*,drain-partial-write,drain-shutdown-before-flush"]
    out = lambda n: os.path.join(a.work, n)

    run(base + ["-o", out("alone")], {0, 1})
    show("alone", findings(out("alone")))

    run(base + ["--cross-file", "-o", out("one")], {1})
    one = findings(out("one"))
    show("one", one)

    for k in (1, 2):
        run(base + ["--phase", "summaries", "--shard", f"{k}/2", "-o", out(f"sum-{k}")], {0, 1})
    run([a.audit, "merge", out("sum-1"), out("sum-2"), "--root", proj, "-o", out("stage1")], {0, 1})
    store = os.path.join(out("stage1"), "summaries.sqlite")
    for k in (1, 2):
        run(base + ["--phase", "check", "--summary-store", store, "--shard", f"{k}/2",
                    "-o", out(f"chk-{k}")], {0, 1})
    run([a.audit, "merge", out("chk-1"), out("chk-2"), "--root", proj, "-o", out("two")], {1})
    two = findings(out("two"))
    show("two", two)
    print("same findings" if one == two else "DIFFERENT findings")


if __name__ == "__main__":
    main()
