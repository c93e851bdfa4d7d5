#!/usr/bin/env python3
"""The editor says what CI says: drain-clangd's diagnostics against drain-tidy's, per file.

  clangd_parity.py --clangd BIN --drain-tidy BIN --checkers DIR --drain-src DIR --work DIR
                   [--clangd-config FILE] [--only REGEX] [--exclude NAME=REASON]...

Every input of the lit suite (DIR/*.c, DIR/*.cpp) is read for its RUN lines. Each drain
invocation on the file (%check_drain, %drain_clang_tidy, %clang_tidy_load; not the ones under
`not`, which test configuration errors) is a variant: its language standard(s), its compiler
flags and its -config CheckOptions. Each variant gets a copy of the file in a directory of its
own under WORK/project, with a .clang-tidy holding `Checks: '-*,drain-*'` and the variant's
CheckOptions, and an entry in WORK/project/compile_commands.json with its flags. RUN commands
that only prepare files (cp, mkdir, rm, echo, a drain run over another file) run first, in
order, with %t mapped to a directory under WORK/tmp.

drain-tidy then runs once over every copy (-p WORK/project --export-fixes), and drain-clangd,
configured by --clangd-config (a .clangd that adds drain-* and sets FastCheckFilter: None),
opens every copy in one LSP session. Per copy, the drain-* diagnostics are compared: check
name, line, column, message and notes (relatedInformation: file, line, column, message), the
notes of a diagnostic in order, the diagnostics of a file in any order (an editor sorts them).
clangd capitalises the first letter of a message; and when a diagnostic carries a source range
that contains its location, clangd's range starts where that range starts (the editor
underlines the whole range): the expected column is computed from drain-tidy's exported ranges
the same way, so a difference is never explained away by a tolerance. LSP columns count UTF-16
code units, clang's count bytes: converted with the line's text. The "expanded from macro"
notes that clang's text renderer adds are not drain's and clangd has none: they are left out.

Prints one line per variant (`same  <variant>: N diagnostic(s)`) or its differences
(`DIFF  <variant>`, or `KNOWN` for an input named by --known, and every missing or extra
diagnostic), then a summary. An input named by --known that no longer differs is reported
(`AGREE`) and counts as a difference, so the list stays true. Exit 0 when all agree, 1
otherwise, 2 when the run itself failed (drain-tidy finds an input that does not compile, a
tool error).
"""
import argparse
import glob
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                "scripts"))
from lsp_client import LspError, Server, uri  # noqa: E402

import yaml

DRIVERS = ("%check_drain", "%drain_clang_tidy", "%clang_tidy_load")


def fail(msg):
    sys.stderr.write("clangd_parity.py: error: " + msg + "\n")
    sys.exit(2)


# ---------------------------------------------------------------------------------------------
# RUN lines -> variants


def run_commands(path):
    """The RUN commands of a lit file, continuation lines joined."""
    cmds, cur = [], None
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.search(r"\bRUN:(.*)$", line)
            if not m:
                continue
            part = m.group(1).rstrip()
            if cur is not None:
                part = cur + " " + part.strip()
            if part.endswith("\\"):
                cur = part[:-1].rstrip()
                continue
            cur = None
            cmds.append(part.strip())
    return cmds


def substitute(cmd, subst):
    # Longer names first (%drain_clang_tidy before %drain_src...).
    for k in sorted(subst, key=len, reverse=True):
        cmd = cmd.replace(k, subst[k])
    return cmd


def split_pipeline(cmd):
    """The first command of a pipeline (up to a top-level '|' or '2>&1'), as tokens."""
    toks = shlex.split(cmd)
    out = []
    for t in toks:
        if t in ("|", "2>&1", "&&", ">", ">>"):
            break
        out.append(t)
    return out


def parse_check_drain(toks, src, inputs_dir):
    """check_drain.py's own argument handling (test/check_drain.py): one variant per -std."""
    split = toks.index("--") if "--" in toks else len(toks)
    head, rest = toks[:split], toks[split:]
    config, stds = None, "c++17"
    for t in head:
        if t.startswith("-config="):
            config = t[len("-config="):]
        elif t.startswith("-std="):
            stds = t[len("-std="):]
    clang_extra = []
    if rest:
        rest = rest[1:]
        if "--" in rest:
            i = rest.index("--")
            tidy_extra, clang_extra = rest[:i], rest[i + 1:]
        else:
            tidy_extra = rest
        for t in tidy_extra:
            if t.startswith("-config=") or t.startswith("--config="):
                config = t.split("=", 1)[1]
    is_c = src.endswith(".c")
    variants = []
    for std in stds.split(","):
        flags = [("-std=" + std.replace("c++", "c")) if is_c else "-std=" + std]
        if os.path.isdir(inputs_dir):
            flags += ["-isystem", inputs_dir]
        flags += clang_extra
        variants.append((flags, config))
    return variants


def parse_clang_tidy(toks):
    """A direct clang-tidy invocation: its -config and the compiler flags after `--`."""
    split = toks.index("--") if "--" in toks else len(toks)
    config = None
    for t in toks[:split]:
        if t.startswith("-config=") or t.startswith("--config="):
            config = t.split("=", 1)[1]
    return [(toks[split + 1:], config)]


def variants_of(path, args, tmp):
    """[(flags, config)] for the drain invocations on PATH, and the setup commands."""
    src_dir = os.path.dirname(os.path.abspath(path))
    subst = {"%s": os.path.abspath(path), "%S": src_dir, "%t": tmp,
             "%drain_src": args.drain_src, "%python": sys.executable,
             "%drain_clang_tidy": args.drain_tidy, "%clang_tidy_load": args.drain_tidy,
             "%check_drain": "%check_drain"}
    variants, setup = [], []
    seen_variant = False
    for raw in run_commands(path):
        first = raw.split()[0] if raw.split() else ""
        if first == "not":
            continue  # a configuration error's exit code and message, not diagnostics
        if first in DRIVERS:
            cmd = substitute(raw, subst)
            toks = split_pipeline(cmd)
            target = [t for t in toks[1:] if os.path.abspath(t) == os.path.abspath(path)]
            if first == "%check_drain":
                variants += parse_check_drain(toks[1:], path, os.path.join(src_dir, "Inputs"))
                seen_variant = True
            elif target:
                variants += parse_clang_tidy(toks[1:])
                seen_variant = True
            elif not seen_variant:
                # A drain run over another file (a summary store being written): setup.
                setup.append(cmd.split("|")[0])
            continue
        # Only the preparation before the first variant: what comes later prepares a later
        # step (a damaged store, an edited source) that the variants before it must not see.
        if not seen_variant and (first in ("rm", "mkdir", "cp", "echo") or
                                 (first == "%python" and "%s" not in raw)):
            setup.append(substitute(raw, subst))
    # Identical variants (two RUN lines that differ only in what they FileCheck) once.
    seen, unique = set(), []
    for flags, config in variants:
        key = (tuple(flags), config)
        if key not in seen:
            seen.add(key)
            unique.append((flags, config))
    return unique, setup


def clang_tidy_file(config):
    """A .clang-tidy with all of drain's checks and the variant's CheckOptions."""
    opts = []
    if config:
        parsed = yaml.safe_load(config) or {}
        co = parsed.get("CheckOptions", [])
        if isinstance(co, dict):
            co = [{"key": k, "value": v} for k, v in co.items()]
        for kv in co:
            v = kv["value"]
            if isinstance(v, bool):
                v = "true" if v else "false"
            opts.append({"key": str(kv["key"]), "value": str(v)})
    return yaml.safe_dump({"Checks": "-*,drain-*", "CheckOptions": opts},
                          default_flow_style=False, sort_keys=False)


# ---------------------------------------------------------------------------------------------
# positions


class Text:
    """Offsets, lines and UTF-16 columns of one file."""

    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = f.read()
        self.starts = [0]
        for i, b in enumerate(self.data):
            if b == 0x0A:
                self.starts.append(i + 1)

    def line_col(self, offset):
        """1-based line, 1-based UTF-16 column of a byte offset."""
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        prefix = self.data[self.starts[lo]:offset].decode("utf-8", errors="replace")
        return lo + 1, len(prefix.encode("utf-16-le")) // 2 + 1


_texts = {}


def text_of(path):
    path = os.path.realpath(path)
    if path not in _texts:
        _texts[path] = Text(path)
    return _texts[path]


def first_lower(msg):
    return msg[:1].lower() + msg[1:]


def tidy_position(msg):
    """Where clangd puts a clang-tidy diagnostic message: the start of a range of the message
    that contains its location, else the location (clangd's diagnosticRange)."""
    path = os.path.realpath(msg["FilePath"])
    off = msg["FileOffset"]
    for r in msg.get("Ranges") or []:
        if os.path.realpath(r["FilePath"]) == path and \
                r["FileOffset"] <= off < r["FileOffset"] + max(r["Length"], 1):
            off = r["FileOffset"]
            break
    return (path,) + text_of(path).line_col(off)


def tidy_diags(fixes_yaml):
    """{main file: [diagnostic]} from drain-tidy's --export-fixes."""
    with open(fixes_yaml, encoding="utf-8") as f:
        doc = yaml.safe_load(f) or {}
    out = {}
    for d in doc.get("Diagnostics") or []:
        name = d["DiagnosticName"]
        if not name.startswith("drain-"):
            continue
        m = d["DiagnosticMessage"]
        path, line, col = tidy_position(m)
        notes = []
        for n in d.get("Notes") or []:
            if n["Message"].startswith("expanded from macro "):
                continue  # clang's text renderer adds these; clangd publishes no such notes
            npath, nline, ncol = tidy_position(n)
            notes.append((npath, nline, ncol, first_lower(n["Message"])))
        out.setdefault(path, []).append(
            (name, line, col, first_lower(m["Message"]), tuple(notes)))
    return out


def clangd_diags(path, diags):
    out = []
    for d in diags:
        if d.get("source") != "clang-tidy" or not str(d.get("code", "")).startswith("drain-"):
            continue
        s = d["range"]["start"]
        notes = []
        for ri in d.get("relatedInformation") or []:
            loc = ri["location"]
            npath = os.path.realpath(re.sub(r"^file://", "", loc["uri"]))
            ns = loc["range"]["start"]
            notes.append((npath, ns["line"] + 1, ns["character"] + 1, first_lower(ri["message"])))
        out.append((d["code"], s["line"] + 1, s["character"] + 1, first_lower(d["message"]),
                    tuple(notes)))
    return out


# ---------------------------------------------------------------------------------------------
# the language server


def clangd_session(a, proj, files, env):
    """{path: [LSP diagnostic]} for every file, opened a few at a time in one session."""
    cmd = [os.path.abspath(a.clangd), "--log=info", "--background-index=false",
           "--clang-tidy", "--enable-config", "-j=%d" % a.jobs, "--pch-storage=memory",
           "--compile-commands-dir=" + proj]
    srv = Server(cmd, proj, env, os.path.join(a.work, "clangd.log"))
    t = a.timeout
    init = srv.request("initialize", {
        "processId": os.getpid(), "rootUri": uri(proj),
        "capabilities": {"textDocument": {"publishDiagnostics": {
            "relatedInformation": True, "versionSupport": True}}},
    }, t)
    if "result" not in init:
        fail("initialize failed: %r" % init)
    srv.notify("initialized", {})
    results, pending, todo = {}, {}, list(files)
    while todo or pending:
        while todo and len(pending) < a.jobs:
            path = todo.pop(0)
            u = uri(path)
            pending[u] = path
            with open(path, encoding="utf-8") as f:
                text = f.read()
            srv.notify("textDocument/didOpen", {"textDocument": {
                "uri": u, "languageId": "c" if path.endswith(".c") else "cpp",
                "version": 1, "text": text}})
        m = srv.next(t, "publishDiagnostics for %s" % ", ".join(pending.values()))
        if m.get("method") != "textDocument/publishDiagnostics":
            continue
        u = m["params"]["uri"]
        if u in pending and m["params"].get("version") == 1:
            path = pending.pop(u)
            results[path] = m["params"]["diagnostics"]
            srv.notify("textDocument/didClose", {"textDocument": {"uri": u}})
    srv.request("shutdown", None, t)
    srv.notify("exit", None)
    try:
        rc = srv.proc.wait(timeout=t)
    except subprocess.TimeoutExpired:
        srv.proc.kill()
        fail("the server did not exit after shutdown/exit")
    if rc != 0:
        fail("the server exited with %d (log: %s)" % (rc, srv.log.name))
    return results


# ---------------------------------------------------------------------------------------------


def show(d):
    name, line, col, msg, notes = d
    s = "%d:%d %s [%s]" % (line, col, msg, name)
    for npath, nline, ncol, nmsg in notes:
        s += "\n          note %s:%d:%d %s" % (os.path.basename(npath), nline, ncol, nmsg)
    return s


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--clangd", required=True)
    p.add_argument("--drain-tidy", required=True)
    p.add_argument("--checkers", required=True, help="the lit inputs (test/checkers)")
    p.add_argument("--drain-src", required=True)
    p.add_argument("--clangd-config", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--only", help="only the inputs whose file name matches this regex")
    p.add_argument("--exclude", action="append", default=[], metavar="NAME=REASON",
                   help="leave an input out, saying why (repeatable)")
    p.add_argument("--known", action="append", default=[], metavar="NAME=REASON",
                   help="an input whose variants are known to differ, and why (repeatable): "
                        "its differences are printed as KNOWN and must still be there")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--timeout", type=int, default=300)
    a = p.parse_args()
    a.drain_src = os.path.abspath(a.drain_src)
    a.drain_tidy = os.path.abspath(a.drain_tidy)
    a.work = os.path.abspath(a.work)

    def reasons(opt, values):
        out = {}
        for e in values:
            name, _, reason = e.partition("=")
            if not reason:
                fail("%s %s needs a reason (NAME=REASON)" % (opt, e))
            out[name] = reason
        return out
    excluded = reasons("--exclude", a.exclude)
    known = reasons("--known", a.known)

    if os.path.exists(a.work):
        shutil.rmtree(a.work)
    proj = os.path.join(a.work, "project")
    home = os.path.join(a.work, "home")
    os.makedirs(proj)
    os.makedirs(home)
    shutil.copy(a.clangd_config, os.path.join(proj, ".clangd"))
    # A private HOME/XDG_CONFIG_HOME: no user-level clangd config may change the outcome.
    env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"))

    inputs = sorted(glob.glob(os.path.join(a.checkers, "*.c")) +
                    glob.glob(os.path.join(a.checkers, "*.cpp")))
    if a.only:
        inputs = [i for i in inputs if re.search(a.only, os.path.basename(i))]
    unused = (set(excluded) | set(known)) - {os.path.basename(i) for i in inputs}
    if unused and not a.only:
        fail("--exclude/--known names no input: %s" % ", ".join(sorted(unused)))

    db, copies, labels = [], [], {}
    for path in inputs:
        base = os.path.basename(path)
        if base in excluded:
            print("excluded %s: %s" % (base, excluded[base]))
            continue
        tmp = os.path.join(a.work, "tmp", base)
        variants, setup = variants_of(path, a, tmp)
        if not variants:
            fail("%s: no drain invocation in its RUN lines" % base)
        for cmd in setup:
            r = subprocess.run(cmd, shell=True, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, universal_newlines=True, env=env)
            if r.returncode != 0:
                fail("%s: setup command failed (%d): %s\n%s" % (base, r.returncode, cmd,
                                                                 r.stdout))
        for n, (flags, config) in enumerate(variants):
            # A model file that another variant emits (drain.EmitModel) does not exist before
            # the session: that variant cannot be reproduced in one session. (A missing summary
            # store is a case of its own, which drain reports and runs without.)
            missing = [m for m in re.findall(r"ModelFile, value: '([^']+)'", config or "")
                       if m.startswith(tmp) and not os.path.exists(m)]
            if missing:
                print("skipped %s#%d: its ModelFile %s is written by another variant"
                      % (base, n, ", ".join(missing)))
                continue
            vdir = os.path.join(proj, "%s.%d" % (base, n))
            os.makedirs(vdir)
            copy = os.path.join(vdir, base)
            shutil.copy(path, copy)
            with open(os.path.join(vdir, ".clang-tidy"), "w") as f:
                f.write(clang_tidy_file(config))
            driver = "clang" if base.endswith(".c") else "clang++"
            db.append({"directory": vdir, "file": copy,
                       "arguments": [driver] + flags + ["-fsyntax-only", copy]})
            copies.append(copy)
            labels[copy] = "%s#%d (%s%s)" % (base, n, " ".join(flags),
                                             ", with CheckOptions" if config else "")
    with open(os.path.join(proj, "compile_commands.json"), "w") as f:
        json.dump(db, f, indent=1)
    print("%d input(s), %d variant(s)" % (len(inputs) - len(excluded), len(copies)))

    # drain-tidy over every copy, concurrently with the language server.
    fixes = os.path.join(a.work, "drain-tidy-fixes.yaml")
    tidy_out = open(os.path.join(a.work, "drain-tidy.out"), "w")
    t0 = time.monotonic()
    tidy = subprocess.Popen([a.drain_tidy, "-p", proj, "--quiet", "--export-fixes=" + fixes]
                            + copies, cwd=proj, env=env, stdout=tidy_out,
                            stderr=subprocess.STDOUT)
    lsp = clangd_session(a, proj, copies, env)
    t_clangd = time.monotonic() - t0
    rc = tidy.wait()
    t_tidy = time.monotonic() - t0
    tidy_out.close()
    with open(tidy_out.name, encoding="utf-8", errors="replace") as f:
        tidy_text = f.read()
    if re.search(r"error: .*\[clang-diagnostic-error\]", tidy_text):
        fail("drain-tidy: an input does not compile:\n%s" % tidy_text)
    if rc != 0 or not os.path.exists(fixes):
        fail("drain-tidy exited with %d:\n%s" % (rc, tidy_text))
    tidy_by_file = tidy_diags(fixes)

    differing, total, known_seen = [], 0, set()
    for copy in copies:
        base = os.path.basename(copy)
        tag = "KNOWN" if base in known else "DIFF "
        want = tidy_by_file.get(os.path.realpath(copy), [])
        diags = lsp[copy]
        errors = [d for d in diags if d.get("severity") == 1 and d.get("source") != "clang-tidy"]
        got = clangd_diags(copy, diags)
        total += len(want)
        # clang-tidy prints in source order, clangd publishes in the order of emission (an
        # editor sorts them): the diagnostics are a multiset, the notes of each a sequence.
        missing, extra = list(want), []
        for d in got:
            if d in missing:
                missing.remove(d)
            else:
                extra.append(d)
        if errors:
            print("DIFF  %s: does not compile in clangd: %s" % (labels[copy],
                                                             errors[0]["message"]))
            differing.append(copy)  # never a known difference
        if missing or extra:
            if base in known:
                known_seen.add(base)
            elif copy not in differing:
                differing.append(copy)
            print("%s %s: drain-tidy %d, drain-clangd %d" % (tag, labels[copy], len(want),
                                                           len(got)))
            for d in missing:
                print("  only drain-tidy:  " + show(d))
            for d in extra:
                print("  only drain-clangd: " + show(d))
        elif not errors:
            print("same  %s: %d diagnostic(s)" % (labels[copy], len(want)))
    print("drain-tidy %.1f s, drain-clangd %.1f s (concurrently)" % (t_tidy, t_clangd),
          file=sys.stderr)
    print("%d variant(s), %d drain-tidy diagnostic(s), %d variant(s) differ"
          % (len(copies), total, len(differing)))
    for base in sorted(set(known) - known_seen):
        if a.only and base not in {os.path.basename(c) for c in copies}:
            continue
        print("AGREE %s: listed as a known difference (%s) but drain-tidy and drain-clangd now "
              "agree on it: drop it from the list" % (base, known[base]))
        differing.append(base)
    for base in sorted(known_seen):
        print("known %s: %s" % (base, known[base]))
    if total == 0:
        fail("drain-tidy reported nothing at all: the comparison would prove nothing")
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    try:
        main()
    except LspError as e:
        fail(str(e))
