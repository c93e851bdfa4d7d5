#!/usr/bin/env python3
"""Typing in the editor with drain's checks: crashes, hangs, and the time to diagnostics.

  bench/editor/typing.py [--clangd build/llvm-19/bin/drain-clangd] [--edits N] [--seed N]
                         [--timeout S] [--out DIR] [FILE[=COMPILE_COMMANDS_DIR] ...]

For each file, an LSP client (this script, over stdio, as an editor talks to clangd) opens the
file's head (everything up to its last #include and a few lines more) and then types the rest
into it the way a person does: a few lines at a time (1 to 6), and now and then (one edit in
four) a random range of up to 400 characters deleted, which the next edit puts back. After each
`didChange` it waits for the `publishDiagnostics` of that version and records the time from
the edit to its diagnostics. Every file is typed twice with the same edits (the same seed):
once with drain's checks (`.clangd`: `Add: [drain-*]`, clangd's default FastCheckFilter) and
once with them off (no clang-tidy check at all), each in a fresh server.

A crash is the server's exit before `shutdown`; a hang is an edit whose diagnostics do not
arrive within --timeout seconds. The goal (issue 17): no crash, no hang, and the 95th
percentile of the edit-to-diagnostics time with drain's checks at most 1.25x that without.

Files: by default the reference connection, three lit inputs and large files of the real-code
corpus (bench/corpus/fetch.sh); FILE=DIR gives a compile database directory, otherwise the
file's own corpus database or, for the lit inputs, a database made with `-std=c++17` (or
`-std=gnu11` for C). The configuration goes in as clangd's user config file (a private HOME). Writes
typing.csv (one row per edit), typing-summary.csv and typing-meta.txt into --out
(default bench/results/<date>-editor-typing). A benchmark, never part of ./dev.sh test; the
crash-freedom test over broken inputs is test/tools/broken-code.test.
"""
import argparse
import csv
import datetime
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
CORPUS = os.environ.get("DRAIN_CORPUS", "/work/corpus")

DEFAULT_FILES = [
    os.path.join(ROOT, "reference/src/connection.cpp") + "=" + os.path.join(ROOT, "build/llvm-19"),
    os.path.join(ROOT, "test/checkers/shutdown-before-flush.cpp"),
    os.path.join(ROOT, "test/checkers/partial-write.cpp"),
    os.path.join(ROOT, "test/checkers/discarded-io-result.cpp"),
    os.path.join(CORPUS, "curl/src/lib/http.c"),
    os.path.join(CORPUS, "nginx/src/src/http/ngx_http_request.c"),
    os.path.join(CORPUS, "poco/src/Net/src/HTTPServerConnection.cpp"),
]

sys.path.insert(0, os.path.join(ROOT, "scripts"))
from lsp_client import Closed, LspError, Server, Timeout  # noqa: E402

DRAIN_ON = "Diagnostics:\n  ClangTidy:\n    Add: [drain-*]\n"
DRAIN_OFF = "Diagnostics:\n  ClangTidy:\n    Remove: ['*']\n"


def edits_for(text, n_edits, rng):
    """The head the file is opened with, then n_edits full texts, as a person would type."""
    lines = text.splitlines(keepends=True)
    last_include = max([i for i, l in enumerate(lines) if l.lstrip().startswith("#include")],
                       default=0)
    pos = min(len(lines), last_include + 4)
    head = "".join(lines[:pos])
    versions, pending_restore = [], None
    while len(versions) < n_edits and (pos < len(lines) or pending_restore):
        cur = "".join(lines[:pos])
        if pending_restore is not None:
            versions.append(("restore", cur))
            pending_restore = None
            continue
        if rng.random() < 0.25 and len(cur) > len(head) + 10:
            a = rng.randrange(len(head), len(cur))
            b = min(len(cur), a + rng.randint(1, 400))
            versions.append(("delete", cur[:a] + cur[b:]))
            pending_restore = True
            continue
        pos = min(len(lines), pos + rng.randint(1, 6))
        versions.append(("type", "".join(lines[:pos])))
    return head, versions


def lang_of(path):
    return "c" if path.endswith(".c") else "cpp"


def corpus_cdb(path):
    if not path.startswith(CORPUS):
        return None
    d = os.path.dirname(path)
    while d.startswith(CORPUS) and d != CORPUS:
        if os.path.exists(os.path.join(d, "compile_commands.json")):
            return d
        d = os.path.dirname(d)
    return None


def run_file(clangd, source, cdb, mode, head, versions, timeout, work):
    """Types one file in one fresh server. Returns (rows, crashed, hangs)."""
    proj = os.path.join(work, mode)
    os.makedirs(proj, exist_ok=True)
    with open(os.path.join(proj, ".clangd"), "w") as f:
        f.write(DRAIN_ON if mode == "drain" else DRAIN_OFF)
    if not cdb:
        # The file keeps its path; a compile database made here gives it plain flags.
        cc = "clang" if lang_of(source) == "c" else "clang++"
        std = "-std=gnu11" if lang_of(source) == "c" else "-std=c++17"
        with open(os.path.join(proj, "compile_commands.json"), "w") as f:
            json.dump([{"directory": os.path.dirname(source), "file": source,
                        "arguments": [cc, std, "-c", source]}], f)
        cdb = proj
    # The .clangd goes through the user configuration: the file is not under proj.
    home = os.path.join(proj, "home")
    cfgdir = os.path.join(home, ".config", "clangd")
    os.makedirs(cfgdir, exist_ok=True)
    shutil.copy(os.path.join(proj, ".clangd"), os.path.join(cfgdir, "config.yaml"))
    env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"))
    cmd = [clangd, "--background-index=false", "--clang-tidy", "--enable-config", "-j=2",
           "--log=error"]
    cmd.append("--compile-commands-dir=" + cdb)
    srv = Server(cmd, proj, env, os.path.join(proj, "clangd.log"))
    uri = "file://" + os.path.abspath(source)
    rows, hangs, crashed = [], 0, False
    try:
        srv.request("initialize", {"processId": os.getpid(), "rootUri": "file://" + proj,
                                   "capabilities": {"textDocument": {"publishDiagnostics": {
                                       "versionSupport": True}}}}, timeout)
    except LspError:
        srv.proc.kill()
        return rows, True, 0
    srv.send({"method": "initialized", "params": {}})

    def diags(version):
        """The diagnostics message; "closed" if the server ended, None on a hang."""
        try:
            return srv.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                            and m["params"]["uri"] == uri
                            and m["params"].get("version") == version, timeout,
                            "diagnostics for version %d" % version)
        except Closed:
            return "closed"
        except Timeout:
            return None

    srv.send({"method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": lang_of(source), "version": 0, "text": head}}})
    got = diags(0)  # the first build includes the preamble: not an edit, not timed
    if got == "closed":
        return rows, True, 0
    for v, (kind, text) in enumerate(versions, start=1):
        t0 = time.monotonic()
        srv.send({"method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": v}, "contentChanges": [{"text": text}]}})
        got = diags(v)
        dt = time.monotonic() - t0
        if got == "closed":
            crashed = True
            break
        if got is None:
            hangs += 1
            rows.append((v, kind, None, None))
            continue
        n_drain = sum(1 for d in got["params"]["diagnostics"]
                      if str(d.get("code", "")).startswith("drain-"))
        rows.append((v, kind, dt, n_drain))
    if not crashed:
        try:
            srv.request("shutdown", None, timeout)
        except LspError:
            pass  # judged by the exit below
        srv.send({"method": "exit"})
        try:
            rc = srv.proc.wait(timeout=timeout)
            crashed = rc != 0
        except subprocess.TimeoutExpired:
            srv.proc.kill()
            hangs += 1
    else:
        srv.proc.kill()
    return rows, crashed, hangs


def pct(values, p):
    v = sorted(values)
    if not v:
        return float("nan")
    k = (len(v) - 1) * p / 100.0
    lo, hi = int(k), min(len(v) - 1, int(k) + 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", default=DEFAULT_FILES)
    ap.add_argument("--clangd", default=os.path.join(ROOT, "build/llvm-19/bin/drain-clangd"))
    ap.add_argument("--edits", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench/results",
                                                  datetime.date.today().isoformat() + "-editor-typing"))
    a = ap.parse_args()
    if not os.path.exists(a.clangd):
        sys.exit("typing.py: no drain-clangd at %s (./dev.sh build)" % a.clangd)
    os.makedirs(a.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="drain-typing-")
    all_rows, summary, failures = [], [], 0
    for spec in a.files:
        source, _, cdb = spec.partition("=")
        if not os.path.exists(source):
            print("skipped (missing): %s" % source)
            continue
        cdb = cdb or corpus_cdb(source)
        name = os.path.relpath(source, CORPUS if source.startswith(CORPUS) else ROOT)
        text = open(source, encoding="utf-8", errors="replace").read()
        head, versions = edits_for(text, a.edits, random.Random("%d:%s" % (a.seed, name)))
        lat = {}
        for mode in ("off", "drain"):
            rows, crashed, hangs = run_file(os.path.abspath(a.clangd), source, cdb, mode, head,
                                            versions, a.timeout,
                                            os.path.join(work, re.sub(r"\W", "_", name)))
            for v, kind, dt, n in rows:
                all_rows.append((name, mode, v, kind, "" if dt is None else "%.4f" % dt,
                                 "" if n is None else n))
            lat[mode] = [dt for _, _, dt, _ in rows if dt is not None]
            failures += crashed + hangs
            summary.append([name, mode, len(rows), int(crashed), hangs,
                            "%.3f" % pct(lat[mode], 50), "%.3f" % pct(lat[mode], 95)])
            print("%-50s %-5s edits %3d crash %d hangs %d p50 %.3f s p95 %.3f s" % (
                name, mode, len(rows), crashed, hangs, pct(lat[mode], 50), pct(lat[mode], 95)))
        if lat.get("off") and lat.get("drain"):
            ratio = pct(lat["drain"], 95) / pct(lat["off"], 95)
            summary.append([name, "ratio p95 drain/off", "", "", "", "", "%.2f" % ratio])
            print("%-50s p95 drain/off %.2f" % (name, ratio))
    on = [float(r[4]) for r in all_rows if r[1] == "drain" and r[4]]
    off = [float(r[4]) for r in all_rows if r[1] == "off" and r[4]]
    if on and off:
        summary.append(["all files", "ratio p95 drain/off", len(on), "", "", "",
                        "%.2f" % (pct(on, 95) / pct(off, 95))])
        print("all files: p95 drain %.3f s, off %.3f s, ratio %.2f; crashes+hangs %d" % (
            pct(on, 95), pct(off, 95), pct(on, 95) / pct(off, 95), failures))
    with open(os.path.join(a.out, "typing.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["file", "mode", "version", "edit", "seconds", "drain_diagnostics"])
        w.writerows(all_rows)
    with open(os.path.join(a.out, "typing-summary.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["file", "mode", "edits", "crashed", "hangs", "p50_s", "p95_s"])
        w.writerows(summary)
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                            stdout=subprocess.PIPE, universal_newlines=True).stdout.strip()
    load = open("/proc/loadavg").read().split()[0] if os.path.exists("/proc/loadavg") else "?"
    with open(os.path.join(a.out, "typing-meta.txt"), "w") as f:
        f.write("date: %s\nmachine: %s, %d cores, load %s at the end\ndrain: %s\ncommand: %s\n" % (
            datetime.datetime.now().isoformat(timespec="seconds"), platform.node(),
            os.cpu_count() or 0, load, commit, " ".join(sys.argv)))
    shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
