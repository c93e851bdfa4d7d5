#!/usr/bin/env python3
"""Drive drain-clangd as a real language server over stdio and check what it publishes.

  lsp_check.py --clangd BIN --clangd-config FILE --buggy SRC --fixed SRC --check NAME --work DIR
               [--std c++17] [--expect-notes] [--expect-absent] [--present CHECK]... [--absent CHECK]...
               [--tidy-config FILE] [--print-log REGEX]

1. initialize / initialized, didOpen --buggy: a diagnostic with source "clang-tidy" and code
   NAME must arrive; its notes (relatedInformation) are printed and must be present when
   --expect-notes is given.
2. didChange to --fixed: the next publishDiagnostics for that version must not contain NAME.
3. shutdown / exit: the server must exit with 0.
--expect-absent turns 1 into "NAME must not arrive" (and skips 2); each --absent CHECK must not
arrive on --buggy either, each --present CHECK must. --tidy-config puts a .clang-tidy beside the file; --print-log prints
the server log's matching lines after it exited (for FileCheck).
Every wait has a generous timeout (the first parse includes the standard headers); this is a
functional test, not a timed one. Exit 0 on success, 1 on a failed expectation.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                "scripts"))
from lsp_client import LspError, Server, uri  # noqa: E402


def fail(msg):
    sys.stderr.write("lsp_check.py: FAIL: " + msg + "\n")
    sys.exit(1)


def show(diags):
    for d in diags:
        r = d["range"]["start"]
        print("  %d:%d %s [%s %s]" % (r["line"] + 1, r["character"] + 1, d["message"].splitlines()[0],
                                       d.get("source"), d.get("code")))
        for ri in d.get("relatedInformation", []):
            s = ri["location"]["range"]["start"]
            print("      note %d:%d %s" % (s["line"] + 1, s["character"] + 1, ri["message"]))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--clangd", required=True)
    p.add_argument("--clangd-config", required=True, help=".clangd file to put in the project")
    p.add_argument("--buggy", required=True)
    p.add_argument("--fixed", required=True)
    p.add_argument("--check", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--std", default="c++17")
    p.add_argument("--flag", action="append", default=[], metavar="FLAG",
                   help="another compile flag for compile_flags.txt (repeatable)")
    p.add_argument("--expect-notes", action="store_true")
    p.add_argument("--expect-absent", action="store_true",
                   help="assert the check does NOT fire on --buggy (a negative control)")
    p.add_argument("--present", action="append", default=[], metavar="CHECK",
                   help="another check that must report on --buggy (repeatable)")
    p.add_argument("--absent", action="append", default=[], metavar="CHECK",
                   help="a check that must NOT report on --buggy (repeatable)")
    p.add_argument("--tidy-config", help=".clang-tidy file to put in the project")
    p.add_argument("--print-log", metavar="REGEX",
                   help="after exit, print the server log's lines matching REGEX")
    p.add_argument("--timeout", type=int, default=180)
    a = p.parse_args()

    if os.path.exists(a.work):
        shutil.rmtree(a.work)
    proj = os.path.join(a.work, "project")
    home = os.path.join(a.work, "home")
    os.makedirs(proj)
    os.makedirs(home)
    shutil.copy(a.clangd_config, os.path.join(proj, ".clangd"))
    if a.tidy_config:
        shutil.copy(a.tidy_config, os.path.join(proj, ".clang-tidy"))
    with open(os.path.join(proj, "compile_flags.txt"), "w") as f:
        f.write("-std=%s\n-xc++\n" % a.std)
        for flag in a.flag:
            f.write(flag + "\n")
    src = os.path.join(proj, "conn.cpp")
    buggy = open(a.buggy, encoding="utf-8").read()
    fixed = open(a.fixed, encoding="utf-8").read()
    with open(src, "w", encoding="utf-8") as f:
        f.write(buggy)

    # A private HOME/XDG_CONFIG_HOME: no user-level clangd config may change the outcome.
    env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"))
    cmd = [os.path.abspath(a.clangd), "--log=verbose", "--pretty", "--background-index=false",
           "--clang-tidy", "--enable-config", "-j=2"]
    print("$", " ".join(cmd))
    srv = Server(cmd, proj, env, os.path.join(a.work, "clangd.log"))
    t = a.timeout

    init = srv.request("initialize", {
        "processId": os.getpid(), "rootUri": uri(proj),
        "capabilities": {"textDocument": {"publishDiagnostics": {
            "relatedInformation": True, "versionSupport": True, "codeDescriptionSupport": True}}},
    }, t)
    if "result" not in init:
        fail("initialize failed: %r" % init)
    print("server:", init["result"].get("serverInfo"))
    srv.notify("initialized", {})
    file_uri = uri(src)
    srv.notify("textDocument/didOpen", {"textDocument": {
        "uri": file_uri, "languageId": "cpp", "version": 1, "text": buggy}})
    diags = srv.diagnostics(file_uri, 1, t)
    print("version 1 (buggy): %d diagnostic(s)" % len(diags))
    show(diags)
    errors = [d for d in diags if d.get("severity") == 1 and d.get("source") != "clang-tidy"]
    if errors:
        fail("the buggy file does not compile in clangd: %s" % errors[0]["message"])
    hits = [d for d in diags if d.get("source") == "clang-tidy" and d.get("code") == a.check]
    for other in a.present:
        if not any(d.get("source") == "clang-tidy" and d.get("code") == other for d in diags):
            fail("no clang-tidy diagnostic %s on the buggy file" % other)
    for other in a.absent:
        if any(d.get("source") == "clang-tidy" and d.get("code") == other for d in diags):
            fail("%s reported on the buggy file although it was expected to be filtered out"
                 % other)
    if a.expect_absent:
        if hits:
            fail("%s fired although it was expected to be filtered out" % a.check)
    else:
        if not hits:
            fail("no clang-tidy diagnostic %s on the buggy file" % a.check)
        if a.expect_notes and not any(d.get("relatedInformation") for d in hits):
            fail("%s arrived without notes (relatedInformation)" % a.check)

        srv.notify("textDocument/didChange", {
            "textDocument": {"uri": file_uri, "version": 2},
            "contentChanges": [{"text": fixed}]})
        diags = srv.diagnostics(file_uri, 2, t)
        print("version 2 (fixed): %d diagnostic(s)" % len(diags))
        show(diags)
        if any(d.get("code") == a.check for d in diags):
            fail("%s is still reported after the fix" % a.check)
        errors = [d for d in diags if d.get("severity") == 1 and d.get("source") != "clang-tidy"]
        if errors:
            fail("the fixed file does not compile in clangd: %s" % errors[0]["message"])

    srv.request("shutdown", None, t)
    srv.notify("exit", None)
    try:
        rc = srv.proc.wait(timeout=t)
    except subprocess.TimeoutExpired:
        srv.proc.kill()
        fail("the server did not exit after shutdown/exit")
    if rc != 0:
        fail("the server exited with %d" % rc)
    if a.print_log:
        srv.log.close()
        with open(srv.log.name, encoding="utf-8", errors="replace") as f:
            for line in f:
                if re.search(a.print_log, line):
                    print("log:", line.rstrip("\n"))
    print("ok")


if __name__ == "__main__":
    try:
        main()
    except LspError as e:
        fail(str(e))
