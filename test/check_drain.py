#!/usr/bin/env python3
"""Run drain's checks over a lit test file through every front door and FileCheck the output.

In the spirit of clang-tidy's check_clang_tidy.py, written for drain:

  check_drain.py [driver options] [-config=YAML] [-std=c++17[,c++20]] [-check-suffix=S]
                 <source> <checks> <temp> [-- <clang-tidy args> [-- <compiler args>]]

* <checks> is a clang-tidy glob of drain checks, e.g. drain-discarded-io-result.
* `// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: ...` lines check warnings and errors; every
  warning or error that is printed must be expected (FileCheck --implicit-check-not).
* `// CHECK-NOTES:` lines check warnings *and* notes; then every note must be expected too.
* A file with neither must produce no warning at all (a pure negative test).
* Every front door named by --front-doors (the --load plugin, drain-tidy) runs; all must agree.
"""
import argparse
import os
import re
import shlex
import subprocess
import sys


def fail(msg):
    sys.stderr.write("check_drain.py: error: " + msg + "\n")
    sys.exit(1)


def main():
    p = argparse.ArgumentParser(add_help=True)
    p.add_argument("--front-doors", default="plugin,tidy")
    p.add_argument("--host-clang-tidy", default="clang-tidy")
    p.add_argument("--plugin", default="")
    p.add_argument("--drain-tidy", default="drain-tidy")
    p.add_argument("--filecheck", default="FileCheck")
    p.add_argument("-config", default=None)
    p.add_argument("-std", default="c++17")
    p.add_argument("-check-suffix", "-check-suffixes", dest="suffixes", default="")
    p.add_argument("-expect-clang-error", action="store_true",
                   help="the input does not compile; errors are expected via CHECK-MESSAGES")
    p.add_argument("source")
    p.add_argument("checks")
    p.add_argument("temp")
    # argparse swallows the first "--"; split it off ourselves so "-- <tidy args> -- <compiler
    # args>" reaches the code below intact.
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    args, rest = p.parse_known_args(argv[:split])
    rest += argv[split:]

    tidy_extra, clang_extra = [], []
    if rest:
        if rest[0] != "--":
            fail("unexpected arguments: %s" % " ".join(rest))
        rest = rest[1:]
        if "--" in rest:
            i = rest.index("--")
            tidy_extra, clang_extra = rest[:i], rest[i + 1:]
        else:
            tidy_extra = rest

    with open(args.source, encoding="utf-8") as f:
        text = f.read()

    suffixes = [s for s in args.suffixes.split(",") if s] or [""]
    msg_prefixes = ["CHECK-MESSAGES" + ("-" + s if s else "") for s in suffixes]
    note_prefixes = ["CHECK-NOTES" + ("-" + s if s else "") for s in suffixes]
    def present(prefixes):
        return [x for x in prefixes if re.search(r"\b" + re.escape(x) + r"(-NOT|-DAG|-NEXT|-SAME)?:", text)]
    has_msgs, has_notes = present(msg_prefixes), present(note_prefixes)
    if has_msgs and has_notes:
        fail("use either CHECK-MESSAGES or CHECK-NOTES for one suffix, not both")

    inputs_dir = os.path.join(os.path.dirname(os.path.abspath(args.source)), "Inputs")
    is_c = args.source.endswith(".c")
    doors = [d for d in args.front_doors.split(",") if d]
    if not doors:
        fail("no front door to run")

    for std in args.std.split(","):
        for door in doors:
            if door == "plugin":
                if not args.plugin or not os.path.exists(args.plugin):
                    fail("plugin not built: %s" % args.plugin)
                tool = [args.host_clang_tidy, "--load=" + args.plugin]
            elif door == "tidy":
                tool = [args.drain_tidy]
            else:
                fail("unknown front door %r" % door)
            cmd = tool + [args.source, "-checks=-*," + args.checks, "--quiet"]
            if args.config is not None:
                cmd.append("-config=" + args.config)
            cmd += tidy_extra
            cmd += ["--", ("-std=" + std.replace("c++", "c")) if is_c else "-std=" + std]
            if os.path.isdir(inputs_dir):
                cmd += ["-isystem", inputs_dir]
            cmd += clang_extra
            run(cmd, door, std, args, text, has_msgs, has_notes)


def run(cmd, door, std, args, text, has_msgs, has_notes):
    label = "[%s %s]" % (door, std)
    print(label, " ".join(shlex.quote(c) for c in cmd))
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True)
    out = proc.stdout
    out_file = "%s.%s.%s.out" % (args.temp, door, std.replace("+", "p"))
    os.makedirs(os.path.dirname(os.path.abspath(out_file)), exist_ok=True)
    with open(out_file, "w", encoding="utf-8") as f:
        f.write(out)
    print("------------------------ %s clang-tidy output ------------------------" % label)
    print(out.rstrip())
    print("----------------------------------------------------------------------")
    compile_errors = "clang-diagnostic-error" in out or re.search(r"\berror: .*\[clang-diagnostic", out)
    if proc.returncode != 0 and not args.expect_clang_error:
        fail("%s exited with %d (a tool error, or code that does not compile)" % (label, proc.returncode))
    if compile_errors and not args.expect_clang_error:
        fail("%s the test input does not compile" % label)

    if not has_msgs and not has_notes:
        bad = [l for l in out.splitlines() if re.search(r"\b(warning|error):", l)]
        if bad:
            fail("%s expected no diagnostics, got:\n%s" % (label, "\n".join(bad)))
        return
    prefixes = has_notes or has_msgs
    implicit = "{{note|warning|error}}:" if has_notes else "{{warning|error}}:"
    fc = [args.filecheck, "-input-file=" + out_file, args.source,
          "-check-prefixes=" + ",".join(prefixes), "--implicit-check-not=" + implicit,
          "--dump-input=fail"]
    r = subprocess.run(fc)
    if r.returncode != 0:
        fail("%s FileCheck failed" % label)


if __name__ == "__main__":
    main()
