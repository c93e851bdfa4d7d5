"""drain-audit across a chain of files: session.c's session_send returns transport.c's
tx_write, which returns send's count; the callers (conn.c) check session_send(...) < 0 only.
The summaries phase runs over session.c before transport.c (compile database order, -j1): one
pass cannot learn session_send, a second pass reads tx_write's stored role and can. Prints one
line per finding per run for FileCheck."""
import argparse
import json
import os
import shutil
import subprocess
import sys


def findings(out):
    with open(os.path.join(out, "findings.json")) as f:
        data = json.load(f)
    return sorted((x["location"]["path"], x["location"]["line"], x["location"]["column"],
                   x["check"]) for x in data["findings"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--audit", required=True)
    ap.add_argument("--drain-tidy", required=True)
    ap.add_argument("--inputs", required=True, help="directory with transport.[ch], session.c")
    ap.add_argument("--callers", required=True, help="the callers' source, copied as conn.c")
    ap.add_argument("--work", required=True)
    a = ap.parse_args()

    shutil.rmtree(a.work, ignore_errors=True)
    proj = os.path.join(a.work, "proj")
    os.makedirs(proj)
    for f in ("transport.c", "transport.h", "session.c"):
        shutil.copy(os.path.join(a.inputs, f), proj)
    shutil.copy(a.callers, os.path.join(proj, "conn.c"))
    db = [{"directory": proj, "file": os.path.join(proj, f),
           "arguments": ["cc", "-std=c11", "-I" + proj, "-c", f]}
          for f in ("session.c", "transport.c", "conn.c")]
    with open(os.path.join(proj, "compile_commands.json"), "w") as f:
        json.dump(db, f)
    base = [a.audit, "-p", proj, "--root", proj, "--drain-tidy", a.drain_tidy, "--no-cache",
            "-j", "1", "--checks=-*,drain-partial-write", "--cross-file"]
    for passes in (1, 2):
        out = os.path.join(a.work, "passes-%d" % passes)
        p = subprocess.run(base + ["--summary-passes", str(passes), "-o", out],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if p.returncode not in (0, 1):
            sys.exit("drain-audit exited %d:\n%s" % (p.returncode, p.stdout))
        fs = findings(out)
        print("passes %d: %d findings" % (passes, len(fs)))
        for path, line, col, check in fs:
            print("passes %d: %s:%d:%d %s" % (passes, path, line, col, check))


if __name__ == "__main__":
    main()
