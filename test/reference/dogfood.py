#!/usr/bin/env python3
"""Run drain-tidy with every drain check over the reference connection's sources, as recorded
in the build's compile database, and fail on any warning.

  dogfood.py --drain-tidy BIN -p BUILD_DIR --root SRC/reference [--exclude twin ...]

The reference is the code people copy when they want a connection to end right: drain must
accept it with zero warnings. The deliberately buggy twin is excluded here and checked by
twin.test instead.
"""
import argparse
import json
import os
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--drain-tidy", required=True)
    ap.add_argument("-p", dest="build", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--exclude", action="append", default=[])
    args = ap.parse_args()

    db_path = os.path.join(args.build, "compile_commands.json")
    if not os.path.exists(db_path):
        sys.exit("dogfood.py: error: no compile database at %s" % db_path)
    root = os.path.realpath(args.root)
    excluded = [os.path.join(root, e) + os.sep for e in args.exclude]
    files = set()
    for entry in json.load(open(db_path)):
        f = os.path.realpath(os.path.join(entry["directory"], entry["file"]))
        if f.startswith(root + os.sep) and not any(f.startswith(e) for e in excluded):
            files.add(f)
    if not files:
        sys.exit("dogfood.py: error: no reference sources in %s (built with "
                 "-DDRAIN_BUILD_REFERENCE=OFF?)" % db_path)
    bad = 0
    for f in sorted(files):
        cmd = [args.drain_tidy, "-p", args.build, "-checks=-*,drain-*",
               "--warnings-as-errors=drain-*", "--quiet", f]
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True)
        status = "clean" if r.returncode == 0 else "FINDINGS (exit %d)" % r.returncode
        print("%-60s %s" % (os.path.relpath(f, root), status))
        if r.returncode != 0:
            bad += 1
            print(r.stdout)
    print("%d files checked, %d with findings" % (len(files), bad))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
