#!/usr/bin/env python3
"""End-to-end test of drain-audit on a small fake project, with the real drain-tidy.

  audit_check.py --audit BIN --drain-tidy BIN --check NAME --buggy SRC --fixed SRC --work DIR
                 [--expect-notes]

The project: src/net/conn.cpp (--buggy: findings of NAME), src/net/broken.cpp (does not
parse), src/util/clean.cpp (--fixed: clean). Asserts the exit codes (0/1/2), the summary, the
SARIF (validated against the 2.1.0 schema), Code Quality, JSON and HTML outputs, the baseline
(accepts today's findings, survives a line shift, catches a new one), bad inputs (missing or
broken database, no check enabled, a source file not in the database, missing drain-tidy),
a crashing and a hanging drain-tidy, and the progress bar on a terminal.
"""
import argparse
import json
import os
import pty
import select
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
STEP = [0]


def fail(msg):
    sys.stderr.write("audit_check.py: FAIL [step %d]: %s\n" % (STEP[0], msg))
    sys.exit(1)


def step(title):
    STEP[0] += 1
    print("--- step %d: %s" % (STEP[0], title))


class Run:
    def __init__(self, rc, out, err, secs):
        self.rc, self.out, self.err, self.secs = rc, out, err, secs


def run(cmd, cwd, expect_rc=None, env=None):
    t0 = time.monotonic()
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, env=env, timeout=900)
    r = Run(p.returncode, p.stdout, p.stderr, time.monotonic() - t0)
    print("$ %s\n  -> exit %d in %.1f s" % (" ".join(cmd), r.rc, r.secs))
    if expect_rc is not None and r.rc != expect_rc:
        fail("expected exit %d, got %d\nstdout:\n%s\nstderr:\n%s" % (expect_rc, r.rc, r.out, r.err))
    return r


def must(cond, msg, r=None):
    if not cond:
        if r is not None:
            msg += "\nstdout:\n%s\nstderr:\n%s" % (r.out, r.err)
        fail(msg)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def make_db(proj, files, std="c++17"):
    db = [{"directory": proj, "file": f,
           "arguments": ["clang++", "-std=" + std, "-c", f, "-o", f + ".o"]} for f in files]
    write(os.path.join(proj, "compile_commands.json"), json.dumps(db, indent=1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--audit", required=True)
    ap.add_argument("--drain-tidy", required=True)
    ap.add_argument("--check", required=True)
    ap.add_argument("--buggy", required=True)
    ap.add_argument("--fixed", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--expect-notes", action="store_true")
    ap.add_argument("--checks", default="-*,drain-*")
    a = ap.parse_args()
    audit = [sys.executable, os.path.abspath(a.audit)]
    tidy = os.path.abspath(a.drain_tidy)
    validate = [sys.executable, os.path.join(HERE, "validate_sarif.py")]

    if os.path.exists(a.work):
        shutil.rmtree(a.work)
    proj = os.path.join(a.work, "proj")
    buggy = open(a.buggy, encoding="utf-8").read()
    fixed = open(a.fixed, encoding="utf-8").read()
    write(os.path.join(proj, "src/net/conn.cpp"), buggy)
    write(os.path.join(proj, "src/net/broken.cpp"), "int broken() { return ; }\nint x = ;\n")
    write(os.path.join(proj, "src/util/clean.cpp"), fixed)
    tus = ["src/net/conn.cpp", "src/net/broken.cpp", "src/util/clean.cpp"]
    make_db(proj, tus)
    base = audit + ["-p", proj, "--drain-tidy", tidy, "-j", "2", "--root", proj,
                    "--checks=" + a.checks]

    step("the whole project: a finding, a TU that does not parse, a clean TU -> exit 2")
    r = run(base + ["-o", "out1"], proj, expect_rc=2)
    first = r.out.splitlines()[0]
    must(first.startswith("drain audit: 3 translation units"), "summary line: %r" % first, r)
    must("1 TU could not be analysed" in first, "the broken TU is not counted: %r" % first, r)
    must("src/net/broken.cpp: does not compile" in r.out, "the broken TU is not named", r)
    must("findings per check:" in r.out and a.check in r.out, "no findings per check", r)
    must("findings per directory:" in r.out and "src/net" in r.out, "no findings per directory", r)
    must("worst files:" in r.out and "src/net/conn.cpp" in r.out, "no worst files", r)
    must("[1/3]" in r.err and "[3/3]" in r.err, "no per-TU progress lines off a terminal", r)
    with open(os.path.join(proj, "out1/findings.json")) as f:
        fj = json.load(f)
    n_find = fj["summary"]["new_findings"]
    must(n_find >= 1 and all(x["check"] == a.check for x in fj["findings"]),
         "findings.json: %r" % fj["summary"])
    must(fj["summary"]["tool_errors"] == 1 and fj["errors"][0]["tu"] == "src/net/broken.cpp",
         "findings.json errors: %r" % fj["errors"])
    for x in fj["findings"]:
        must(x["location"]["path"] == "src/net/conn.cpp" and x["location"]["line"] > 0,
             "finding location: %r" % x["location"])
        if a.expect_notes:
            must(x["notes"], "a finding without notes: %r" % x)
    v = run(validate + [os.path.join(proj, "out1/drain.sarif"), "--expect-results", str(n_find),
                        "--expect-rule", a.check, "--expect-failed-invocation"]
            + (["--expect-related", "--expect-codeflow"] if a.expect_notes else []), proj)
    must(v.rc == 0, "SARIF validation failed:\n" + v.out + v.err)
    with open(os.path.join(proj, "out1/gl-code-quality-report.json")) as f:
        cq = json.load(f)
    must(len(cq) == n_find and all(i["check_name"] == a.check and i["fingerprint"]
                                   and i["location"]["path"] == "src/net/conn.cpp"
                                   and i["location"]["lines"]["begin"] >= 1 and i["severity"]
                                   for i in cq), "Code Quality report: %r" % cq)
    html = open(os.path.join(proj, "out1/report.html"), encoding="utf-8").read()
    must(html.startswith("<!doctype html>") and "<script" not in html and "http://" not in html
         and "https://" not in html.split("</style>")[0], "report.html is not self-contained")
    must(a.check in html and "src/net/broken.cpp" in html, "report.html lacks the finding/error")
    flagged = fj["findings"][0]["location"]["line"]
    line_text = buggy.splitlines()[flagged - 1].strip()
    import html as H
    must(H.escape(line_text, quote=True) in html, "report.html lacks the code excerpt %r" % line_text)
    for x in fj["findings"]:
        for n in x["notes"]:
            must(H.escape(n["message"], quote=True) in html, "report.html lacks note %r" % n["message"])

    step("excluding the broken TU -> exit 1 (findings), SARIF says the run succeeded")
    r = run(base + ["-o", "out2", "--exclude", "broken", "--write-baseline", "baseline.json"],
            proj, expect_rc=1)
    must("2 translation units" in r.out.splitlines()[0], "summary: %r" % r.out.splitlines()[0], r)
    v = run(validate + [os.path.join(proj, "out2/drain.sarif"), "--expect-results", str(n_find)], proj)
    must(v.rc == 0, "SARIF validation failed:\n" + v.out + v.err)
    bl = json.load(open(os.path.join(proj, "baseline.json")))
    must(bl["format"] == "drain-baseline" and len(bl["findings"]) == n_find, "baseline: %r" % bl)

    step("with the baseline: today's findings are accepted -> exit 0")
    r = run(base + ["--no-report", "--exclude", "broken", "--baseline", "baseline.json"], proj,
            expect_rc=0)
    must("0 new findings, %d baselined" % n_find in r.out, "summary: %r" % r.out, r)

    step("lines shift above the findings: still accepted -> exit 0")
    shifted = "// a comment\n// another one\n\n#include <cstddef>\n\n" + buggy
    write(os.path.join(proj, "src/net/conn.cpp"), shifted)
    r = run(base + ["-o", "out4", "--exclude", "broken", "--baseline", "baseline.json"], proj,
            expect_rc=0)
    must("0 new findings, %d baselined" % n_find in r.out, "summary: %r" % r.out, r)
    fj4 = json.load(open(os.path.join(proj, "out4/findings.json")))
    must(fj4["findings"][0]["location"]["line"] == flagged + 5, "the finding did not move 5 lines")
    v = run(validate + [os.path.join(proj, "out4/drain.sarif"), "--expect-results", str(n_find)], proj)
    must(v.rc == 0, "SARIF validation failed:\n" + v.out + v.err)
    must(json.load(open(os.path.join(proj, "out4/gl-code-quality-report.json"))) == [],
         "baselined findings must not reach Code Quality")

    step("a new bug in a new file next to the baselined one -> exit 1, only the new one counts")
    write(os.path.join(proj, "src/net/conn2.cpp"), buggy)
    make_db(proj, tus + ["src/net/conn2.cpp"])
    r = run(base + ["--no-report", "--exclude", "broken", "--baseline", "baseline.json"], proj,
            expect_rc=1)
    must("%d new finding" % n_find in r.out and "%d baselined" % n_find in r.out,
         "summary: %r" % r.out.splitlines()[0], r)
    must("src/net/conn2.cpp" in r.out, "the new finding is not listed", r)
    make_db(proj, tus)

    step("only the clean file (as pre-commit passes it) -> exit 0")
    r = run(base + ["--no-report", "src/util/clean.cpp"], proj, expect_rc=0)
    must(r.out.startswith("drain audit: 1 translation unit") and "0 new findings" in r.out,
         "summary: %r" % r.out, r)

    step("the pre-commit hook's own command on the staged files")
    hooks = open(os.path.join(HERE, "..", "..", "..", "integrations", "pre-commit",
                              ".pre-commit-hooks.yaml"), encoding="utf-8").read()
    import shlex
    entry = [l.split(":", 1)[1].strip() for l in hooks.splitlines() if l.strip().startswith("entry:")][0]
    argv = shlex.split(entry)
    must(argv[0] == "drain-audit", "hook entry %r" % entry)
    hook = audit + argv[1:] + ["--drain-tidy", tidy, "-p", proj, "--checks=" + a.checks]
    r = run(hook + ["src/util/clean.cpp", "src/net/conn.h"], proj, expect_rc=0)
    r = run(hook + ["src/util/clean.cpp", "src/net/conn.cpp"], proj, expect_rc=1)
    must(a.check in r.out, "the hook does not show the finding", r)
    must(not os.path.exists(os.path.join(proj, "drain-audit")), "the hook wrote a report")
    write(os.path.join(proj, "src/util/new.cpp"), fixed)
    r = run(hook + ["src/util/new.cpp"], proj, expect_rc=2)
    must("not in the compile database" in r.out, "a staged source missing from the database "
         "must fail the hook", r)

    step("bad inputs are tool errors (exit 2) with a clear message, never clean")
    empty = os.path.join(a.work, "nodb")
    os.makedirs(empty)
    r = run(audit + ["-p", empty, "--drain-tidy", tidy], a.work, expect_rc=2)
    must("no compile database" in r.err, "missing database message", r)
    write(os.path.join(a.work, "brokendb/compile_commands.json"), "[{\"directory\": ")
    r = run(audit + ["-p", os.path.join(a.work, "brokendb"), "--drain-tidy", tidy], a.work, expect_rc=2)
    must("not valid JSON" in r.err, "broken database message", r)
    write(os.path.join(a.work, "emptydb/compile_commands.json"), "[]")
    r = run(audit + ["-p", os.path.join(a.work, "emptydb"), "--drain-tidy", tidy], a.work, expect_rc=2)
    must("no entries" in r.err, "empty database message", r)
    r = run(base + ["--checks=-*,drain-no-such-check"], proj, expect_rc=2)
    must("no check enabled" in r.err, "no-check message", r)
    r = run(audit + ["-p", proj, "--drain-tidy", os.path.join(a.work, "nope")], proj, expect_rc=2)
    must("drain-tidy not found" in r.err, "missing drain-tidy message", r)
    r = run(audit + ["-p", proj, "--drain-tidy", tidy, "--bogus-flag"], proj, expect_rc=2)
    r = run(base + ["--exclude", "src/"], proj, expect_rc=2)
    must("no translation unit left to analyse" in r.err, "everything excluded must not be clean", r)

    step("a drain-tidy that crashes on one TU and hangs on another: both reported, run goes on")
    fake = os.path.join(a.work, "fake-drain-tidy")
    write(fake, "#!/bin/sh\n"
          "for a in \"$@\"; do case \"$a\" in\n"
          "  */conn.cpp) kill -SEGV $$ ;;\n"
          "  */clean.cpp) exec sleep 60 ;;\n"
          "esac; done\n"
          "exec %s \"$@\"\n" % shlex.quote(tidy))
    os.chmod(fake, 0o755)
    make_db(proj, tus + ["src/net/conn2.cpp"])
    r = run(audit + ["-p", proj, "--drain-tidy", fake, "--root", proj, "--timeout", "5",
                     "--checks=" + a.checks,
                     "--no-report", "-j", "4"], proj, expect_rc=2)
    must("src/net/conn.cpp: crash: drain-tidy crashed (signal SIGSEGV)" in r.out, "crash not reported", r)
    must("src/util/clean.cpp: timeout" in r.out, "timeout not reported", r)
    must("src/net/broken.cpp: does not compile" in r.out, "broken TU not reported", r)
    must("src/net/conn2.cpp" in r.out and a.check in r.out,
         "the run did not go on past the crash (conn2.cpp's finding is missing)", r)
    must(r.secs < 40, "the hung TU was not killed at its time limit")
    make_db(proj, tus)

    step("--record: a build command run under bear, its database audited")
    rec = os.path.join(a.work, "rec")
    write(os.path.join(rec, "conn.cpp"), buggy)
    cxx = shutil.which("clang++") or shutil.which("c++") or shutil.which("g++")
    must(cxx, "no C++ compiler on PATH for the --record step")
    r = run(audit + ["--drain-tidy", tidy, "--checks=" + a.checks, "--no-report", "--record",
                     "-C", rec, "--", cxx, "-std=c++17", "-c", "conn.cpp", "-o", "conn.o"],
            rec, expect_rc=1)
    must(os.path.isfile(os.path.join(rec, "compile_commands.json")), "bear wrote no database", r)
    must(r.out.startswith("drain audit: 1 translation unit") and a.check in r.out,
         "the recorded TU was not audited", r)
    r = run(audit + ["--drain-tidy", tidy, "--record", "-C", rec, "--", "false"], rec, expect_rc=2)
    must("the build command failed under bear" in r.err, "a failing build must be a tool error", r)

    step("a progress bar with counts on a terminal")
    master, slave = pty.openpty()
    p = subprocess.Popen(base + ["--no-report", "--exclude", "broken"], cwd=proj,
                         stdin=slave, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    buf = b""
    while True:
        rl, _, _ = select.select([master], [], [], 120)
        if not rl:
            break
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        buf += chunk
    p.wait(timeout=120)
    os.close(master)
    text = buf.decode("utf-8", "replace")
    must("\r[" in text and "2/2 TUs" in text and "findings" in text and "#" in text,
         "no progress bar on a terminal: %r" % text[-400:])
    print("ok: %d finding(s) of %s per copy of the buggy file" % (n_find, a.check))


if __name__ == "__main__":
    main()
