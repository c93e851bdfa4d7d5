#!/usr/bin/env python3
"""Which drain checks are fast enough for the editor, measured the way clangd measures its own.

  bench/editor/fast-checks.py [--clangd build/llvm-19/bin/drain-clangd] [--write-inc]
                              [--instructions] [--checks CHECK,...] [--out DIR]
                              [FILE[=COMPILE_COMMANDS_DIR] ...]

clangd runs, by default (`FastCheckFilter: Strict`), only the clang-tidy checks on its list of
fast checks. Upstream makes that list with `clangd --check=FILE --check-tidy-time=GLOB` (each
check's added share of the AST build, timed until stable) over one large source: a check adding
at most 8% is fast, more than 15% slow, and in between it keeps its previous decision
(hysteresis, so jitter does not flip it between releases).

This does the same for drain's checks with drain-clangd, over several real network sources (the
reference connection and large files of the corpus, bench/corpus/fetch.sh), and takes each
check's WORST share over the files. With --write-inc it writes the decisions to
checker/tools/drain-clangd/DrainFastChecks.inc, which drain-clangd consults before clangd's own
list: a check listed FAST runs under the default filter, one listed SLOW is dropped unless the
user sets `FastCheckFilter: None`. With --checks only those checks are measured; --write-inc then keeps the other checks' lines
as they were (their figures are older). The .inc's header names the files and the date.
Writes fast-checks.csv and fast-checks-meta.txt into --out.
Needs a quiet machine (clangd discards unstable timings and retries); a benchmark, never part
of ./dev.sh test.
"""
import argparse
import collections
import csv
import datetime
import os
import platform
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
CORPUS = os.environ.get("DRAIN_CORPUS", "/work/corpus")
INC = os.path.join(ROOT, "checker", "tools", "drain-clangd", "DrainFastChecks.inc")
FAST_THRESHOLD = 8   # percent, as clangd's own list
SLOW_THRESHOLD = 15

DEFAULT_FILES = [
    os.path.join(ROOT, "reference/src/connection.cpp") + "=" + os.path.join(ROOT, "build/llvm-19"),
    os.path.join(CORPUS, "cpprest/src/Release/src/http/listener/http_server_asio.cpp"),
    os.path.join(CORPUS, "poco/src/Net/src/HTTPServerConnection.cpp"),
    os.path.join(CORPUS, "curl/src/lib/http.c"),
    os.path.join(CORPUS, "nginx/src/src/http/ngx_http_request.c"),
    os.path.join(CORPUS, "civetweb/src/src/civetweb.c"),
]


def old_decisions(path):
    if not os.path.exists(path):
        return {}
    out = {}
    for m in re.finditer(r"^(FAST|SLOW)\(([\w.-]+),", open(path).read(), re.M):
        out[m.group(2)] = m.group(1)
    return out


def measure(clangd, source, cdb_dir):
    """{check: percent} from one `--check-tidy-time` run (checks clangd could not time are absent)."""
    cmd = [clangd, "--check=" + source, "--check-locations=0", "--check-tidy-time=drain-*"]
    if cdb_dir:
        cmd.append("--compile-commands-dir=" + cdb_dir)
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=3600)
    found, recording = {}, False
    for line in p.stderr.splitlines():
        if "Timing AST build with individual clang-tidy checks" in line:
            recording = True
        elif "Finished individual clang-tidy checks" in line:
            break
        elif recording:
            m = re.search(r"(drain-[\w-]+) = (-?[\d.]+)%", line)
            if m:
                found[m.group(1)] = float(m.group(2))
    if not recording:
        sys.exit("fast-checks: %s did not time any check for %s:\n%s"
                 % (clangd, source, p.stderr[-2000:]))
    return found


DRAIN_CHECKS = ["drain-close-during-async-write", "drain-discarded-awaitable",
                "drain-discarded-io-result", "drain-ignored-completion-error",
                "drain-overlapping-async-write", "drain-partial-write",
                "drain-shutdown-before-flush"]


def instructions(clangd, source, cdb_dir, checks, work):
    """Instructions clangd spends building the file's AST (ParsedAST::build: the main file's
    parse and the clang-tidy checks, the preamble excluded) with exactly `checks` enabled,
    counted by valgrind's callgrind: the same on a loaded machine as on a quiet one."""
    home = os.path.join(work, "home")
    os.makedirs(os.path.join(home, ".config", "clangd"), exist_ok=True)
    with open(os.path.join(home, ".config", "clangd", "config.yaml"), "w") as f:
        # A non-empty Add replaces clangd's default checks, so only `checks` run.
        if checks:
            f.write("Diagnostics:\n  ClangTidy:\n    Add: [%s]\n    FastCheckFilter: None\n"
                    % ", ".join(checks))
        else:
            f.write("Diagnostics:\n  ClangTidy:\n    Remove: ['*']\n")
    out = os.path.join(work, "callgrind.out")
    cmd = ["valgrind", "--tool=callgrind", "--toggle-collect=clang::clangd::ParsedAST::build*",
           "--callgrind-out-file=" + out, clangd, "--check=" + source, "--check-locations=0",
           "--enable-config"]
    if cdb_dir:
        cmd.append("--compile-commands-dir=" + cdb_dir)
    env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"))
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                       universal_newlines=True, timeout=7200)
    m = re.search(r"Collected : (\d+)", p.stderr)
    if not m or p.returncode != 0:
        sys.exit("fast-checks: callgrind run failed for %s (%s):\n%s"
                 % (source, ",".join(checks) or "no checks", p.stderr[-2000:]))
    return int(m.group(1))


def measure_instructions(clangd, source, cdb_dir, checks=DRAIN_CHECKS):
    """{check: percent}: each drain check's added share of the AST build, in instructions."""
    import tempfile
    work = tempfile.mkdtemp(prefix="drain-fast-")
    base = instructions(clangd, source, cdb_dir, [], work)
    found = {}
    for check in checks:
        found[check] = 100.0 * (instructions(clangd, source, cdb_dir, [check], work) - base) / base
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", default=DEFAULT_FILES)
    ap.add_argument("--clangd", default=os.path.join(ROOT, "build/llvm-19/bin/drain-clangd"))
    ap.add_argument("--write-inc", action="store_true")
    ap.add_argument("--instructions", action="store_true",
                    help="count instructions under valgrind instead of clangd's wall-clock "
                         "timing (slow, but independent of the machine's load)")
    ap.add_argument("--checks", help="comma-separated drain checks to measure (default: all; "
                    "with --instructions only)")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench/results",
                                                  datetime.date.today().isoformat() + "-editor-fast"))
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rows, worst = [], collections.defaultdict(float)
    for spec in a.files:
        source, _, cdb = spec.partition("=")
        if a.instructions:
            got = measure_instructions(a.clangd, source, cdb or None,
                                       a.checks.split(",") if a.checks else DRAIN_CHECKS)
        else:
            got = measure(a.clangd, source, cdb or None)
        for check, pct in sorted(got.items()):
            rows.append((os.path.relpath(source, CORPUS if source.startswith(CORPUS) else ROOT),
                         check, pct))
            worst[check] = max(worst[check], pct)
        print("%s: %s" % (source, ", ".join("%s %.0f%%" % kv for kv in sorted(got.items()))))
    old = old_decisions(INC)
    old_lines = {}
    if os.path.exists(INC):
        for m in re.finditer(r"^((FAST|SLOW)\(([\w.-]+),.*)$", open(INC).read(), re.M):
            old_lines[m.group(3)] = m.group(1)
    decisions = {}
    for check, pct in sorted(worst.items()):
        threshold = SLOW_THRESHOLD if old.get(check) == "FAST" else FAST_THRESHOLD
        decisions[check] = ("FAST" if pct <= threshold else "SLOW", pct, threshold)
        print("%s %s: worst %.0f%% (threshold %d%%)" % (decisions[check][0], check, pct, threshold))
    with open(os.path.join(a.out, "fast-checks.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["file", "check", "percent"])
        w.writerows(rows)
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                            stdout=subprocess.PIPE, universal_newlines=True).stdout.strip()
    load = open("/proc/loadavg").read().split()[0] if os.path.exists("/proc/loadavg") else "?"
    with open(os.path.join(a.out, "fast-checks-meta.txt"), "w") as f:
        f.write("date: %s\nmachine: %s, %d cores, load %s at the end\ndrain: %s\ncommand: %s\n" % (
            datetime.datetime.now().isoformat(timespec="seconds"), platform.node(),
            os.cpu_count() or 0, load, commit, " ".join(sys.argv)))
    if a.write_inc:
        with open(INC, "w") as f:
            kept = sorted(set(old_lines) - set(decisions))
            f.write("// Generated by bench/editor/fast-checks.py (%s, drain %s%s); do not edit.\n"
                    "// Each drain check's worst added share of clangd's AST build over the files\n"
                    "// in bench/results/*-editor-fast/fast-checks.csv: FAST at most 8%% (15%% for\n"
                    "// a check that was FAST), as clangd decides its own list.\n"
                    % (datetime.date.today().isoformat(), commit,
                       ", instructions" if a.instructions else ", wall-clock"))
            for name in [os.path.relpath(s.partition("=")[0],
                                         CORPUS if s.startswith(CORPUS) else ROOT)
                         for s in a.files]:
                f.write("//   measured over %s\n" % name)
            for check in kept:
                f.write("//   not measured in this run, line kept from before: %s\n" % check)
            f.write("#ifndef FAST\n#define FAST(CHECK, DELTA)\n#endif\n"
                    "#ifndef SLOW\n#define SLOW(CHECK, DELTA)\n#endif\n\n")
            lines = {c: "%s(%s, %.0f)" % (d, c, pct) for c, (d, pct, _) in decisions.items()}
            for check in kept:
                lines[check] = old_lines[check]
            for check in sorted(lines):
                f.write(lines[check] + "\n")
            f.write("\n#undef FAST\n#undef SLOW\n")
        print("wrote", INC)


if __name__ == "__main__":
    main()
