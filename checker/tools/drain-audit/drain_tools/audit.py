"""drain audit: run drain's checks over every translation unit of a compile database.

  drain-audit [-p BUILD_DIR] [-j N] [options] [FILE...]
  drain-audit --record -C SRC_DIR -- BUILD COMMAND...

Runs drain-tidy once per translation unit, in parallel, never stopping at a bad one (a TU that
does not parse, crashes or runs out of time is reported and the run goes on), then prints a
summary and writes an HTML report, SARIF 2.1.0, GitLab Code Quality and JSON.

Exit codes: 0 clean (or only baselined findings), 1 new findings, 2 a tool error: a TU that
could not be analysed, a missing or broken compile database, no check enabled, drain-tidy
missing. A run with any tool error is never reported as clean.
"""
import argparse
import collections
import concurrent.futures
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

from . import findings as F
from . import html_report
from . import sarif

EXIT_CLEAN, EXIT_FINDINGS, EXIT_TOOL_ERROR = 0, 1, 2
SOURCE_EXT = (".c", ".cc", ".cpp", ".cxx", ".c++", ".cp", ".C", ".m", ".mm")


class ToolError(Exception):
    """A problem that makes the whole run meaningless: reported, exit 2."""


def here():
    return os.path.dirname(os.path.realpath(__file__))


def prefix_dir():
    # <prefix>/share/drain/python/drain_tools/ -> <prefix>; the build tree has the same layout.
    return os.path.normpath(os.path.join(here(), "..", "..", "..", ".."))


def find_drain_tidy(explicit):
    if explicit:
        if not (os.path.isfile(explicit) and os.access(explicit, os.X_OK)):
            raise ToolError("drain-tidy not found or not executable: %s" % explicit)
        return explicit
    cands = [os.environ.get("DRAIN_TIDY"), os.path.join(prefix_dir(), "bin", "drain-tidy"),
             shutil.which("drain-tidy")]
    for c in cands:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    raise ToolError("drain-tidy not found (looked next to drain-audit and on PATH); "
                    "pass --drain-tidy PATH")


def find_docs_dir(explicit):
    for c in (explicit, os.environ.get("DRAIN_DOCS_DIR"),
              os.path.join(prefix_dir(), "share", "doc", "drain", "checks"),
              os.path.normpath(os.path.join(here(), "..", "..", "..", "..", "docs", "checks"))):
        if c and os.path.isdir(c):
            return c
    return None


def load_compile_db(p):
    """Returns (db_dir, [entries]) or raises ToolError with what is wrong."""
    candidates = []
    if p:
        candidates = [p] if p.endswith(".json") else [os.path.join(p, "compile_commands.json")]
    else:
        candidates = [os.path.join(".", "compile_commands.json"),
                      os.path.join("build", "compile_commands.json")]
    path = next((c for c in candidates if os.path.isfile(c)), None)
    if not path:
        raise ToolError("no compile database: %s not found (pass -p BUILD_DIR, or record one "
                        "with --record -- <build command>)" % " or ".join(candidates))
    try:
        with open(path, encoding="utf-8") as f:
            db = json.load(f)
    except (OSError, UnicodeDecodeError) as e:
        raise ToolError("cannot read %s: %s" % (path, e))
    except json.JSONDecodeError as e:
        raise ToolError("%s is not valid JSON: %s" % (path, e))
    if not isinstance(db, list):
        raise ToolError("%s is not a compile database (expected a JSON array)" % path)
    entries = []
    for i, e in enumerate(db):
        if not isinstance(e, dict) or "file" not in e or "directory" not in e or \
                ("command" not in e and "arguments" not in e):
            raise ToolError("%s: entry %d lacks file/directory/command" % (path, i))
        entries.append(e)
    if not entries:
        raise ToolError("%s has no entries: nothing to analyse" % path)
    return os.path.dirname(os.path.abspath(path)), path, entries


def tu_path(entry):
    p = entry["file"]
    if not os.path.isabs(p):
        p = os.path.join(entry["directory"], p)
    return os.path.normpath(p)


def git_root(path):
    try:
        out = subprocess.run(["git", "-C", path, "rev-parse", "--show-toplevel"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             universal_newlines=True, timeout=20)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        pass
    return None


def default_root(tus, db_dir):
    """The git top level; else the database's directory if every TU is under it (an in-source
    or bear-recorded database); else the TUs' common directory."""
    if not tus:
        return db_dir
    g = git_root(os.path.dirname(tus[0]))
    if g:
        return g
    if all(t.startswith(db_dir.rstrip("/") + "/") for t in tus):
        return db_dir
    return os.path.commonpath([os.path.dirname(t) for t in tus])


def list_checks(tidy, checks, config_file):
    cmd = [tidy, "--checks=" + checks, "--list-checks"]
    if config_file:
        cmd.append("--config-file=" + config_file)
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True, timeout=120)
    names = [l.strip() for l in r.stdout.splitlines() if l.startswith("    ") and l.strip()]
    if r.returncode != 0 or not names:
        raise ToolError("no check enabled by --checks=%s (%s)" % (checks, r.stdout.strip()[-300:]))
    return names


def tool_version(tidy):
    try:
        out = subprocess.run([tidy, "--version"], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, universal_newlines=True, timeout=60).stdout
    except OSError:
        return "unknown"
    m = re.search(r"^drain (\S+).*$", out, re.M)
    return m.group(1) if m else out.strip().splitlines()[-1] if out.strip() else "unknown"


class Progress:
    """A bar with counts on a TTY; one plain line per TU otherwise."""

    def __init__(self, total, stream, enabled, tty):
        self.total, self.stream, self.enabled, self.tty = total, stream, enabled, tty
        self.done = self.findings = self.errors = 0
        self.lock = threading.Lock()
        self.start = time.monotonic()

    def update(self, result, root):
        with self.lock:
            self.done += 1
            self.findings += len(result["findings"])
            self.errors += 1 if result["error"] else 0
            if not self.enabled:
                return
            name = F.display_path(result["tu"], root)
            if self.tty:
                width = 28
                fill = int(width * self.done / max(self.total, 1))
                line = "\r[%s%s] %d/%d TUs  %d findings  %d errors  %.0fs  %s" % (
                    "#" * fill, "." * (width - fill), self.done, self.total, self.findings,
                    self.errors, time.monotonic() - self.start, name[-40:])
                cols = shutil.get_terminal_size((100, 20)).columns
                self.stream.write(line[:cols - 1].ljust(cols - 1))
                if self.done == self.total:
                    self.stream.write("\n")
            else:
                status = ("ERROR (%s)" % result["error"]["kind"]) if result["error"] else \
                    ("%d finding%s" % (len(result["findings"]), "" if len(result["findings"]) == 1 else "s"))
                self.stream.write("[%d/%d] %s: %s (%.1f s)\n" % (self.done, self.total, name, status,
                                                                 result["seconds"]))
            self.stream.flush()


def run_one(tidy, db_dir, tu, args, tmpdir, idx):
    export = os.path.join(tmpdir, "tu%05d.yaml" % idx)
    cmd = [tidy, "-p", db_dir, tu, "--checks=" + args.checks, "--quiet",
           "--export-fixes=" + export]
    if args.header_filter:
        cmd.append("--header-filter=" + args.header_filter)
    if args.config_file:
        cmd.append("--config-file=" + args.config_file)
    for a in args.extra_arg:
        cmd.append("--extra-arg=" + a)
    t0 = time.monotonic()
    res = {"tu": tu, "findings": [], "error": None, "seconds": 0.0, "cmd": cmd}
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, universal_newlines=True,
                                errors="replace", start_new_session=True)
        try:
            out, _ = proc.communicate(timeout=args.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, _ = proc.communicate()
            res["error"] = {"tu": tu, "kind": "timeout",
                            "message": "no result within %d s (--timeout)" % args.timeout,
                            "detail": out[-4000:]}
            return res
    except OSError as e:
        res["error"] = {"tu": tu, "kind": "tool error", "message": str(e), "detail": ""}
        return res
    finally:
        res["seconds"] = time.monotonic() - t0
    rc = proc.returncode
    tail = "\n".join(out.strip().splitlines()[-25:])
    found, compile_errors = [], []
    if os.path.exists(export):
        try:
            found, compile_errors = F.load_export_fixes(export, tu)
        except ValueError as e:
            res["error"] = {"tu": tu, "kind": "tool error", "message": str(e), "detail": tail}
            return res
    res["findings"] = found
    if rc < 0 or rc > 1:
        sig = -rc if rc < 0 else rc - 128 if rc > 128 else None
        what = "crashed" + (" (signal %s)" % signal.Signals(sig).name
                            if sig and sig in signal.Signals._value2member_map_ else
                            " (exit %d)" % rc)
        res["error"] = {"tu": tu, "kind": "crash", "message": "drain-tidy " + what, "detail": tail}
    elif compile_errors:
        loc, msg = compile_errors[0]
        res["error"] = {"tu": tu, "kind": "does not compile",
                        "message": "%s (%d compiler error%s)" % (
                            msg, len(compile_errors), "" if len(compile_errors) == 1 else "s"),
                        "detail": tail}
    elif rc == 1 and "treated as errors" not in out:
        res["error"] = {"tu": tu, "kind": "tool error",
                        "message": (tail.splitlines() or ["drain-tidy exited with 1"])[-1],
                        "detail": tail}
    elif "Error while processing" in out:
        res["error"] = {"tu": tu, "kind": "tool error", "message": "Error while processing",
                        "detail": tail}
    return res


def record_with_bear(src_dir, build_cmd, out_stream):
    bear = shutil.which("bear")
    if not bear:
        raise ToolError("--record needs bear (Debian: apt-get install bear)")
    if not build_cmd:
        raise ToolError("--record needs a build command after --")
    db = os.path.join(src_dir, "compile_commands.json")
    out_stream.write("drain-audit: recording %s with bear: %s\n" % (db, " ".join(build_cmd)))
    r = subprocess.run([bear, "--output", db, "--"] + build_cmd, cwd=src_dir)
    if r.returncode != 0:
        raise ToolError("the build command failed under bear (exit %d)" % r.returncode)
    return src_dir


def select_entries(entries, files, excludes):
    by_file = collections.OrderedDict()
    for e in entries:
        by_file.setdefault(tu_path(e), e)
    tus = list(by_file)
    problems = []
    if files:
        # Match through symlinks: pre-commit passes paths relative to the work tree, a database
        # may name the same files through a symlinked checkout.
        real = {os.path.realpath(t): t for t in tus}
        chosen = []
        for f in files:
            w = os.path.normpath(os.path.abspath(f))
            t = by_file.get(w) and w or real.get(os.path.realpath(w))
            if t:
                if t not in chosen:
                    chosen.append(t)
            elif w.endswith(SOURCE_EXT):
                problems.append(w)
        tus = chosen
    for x in excludes:
        rx = re.compile(x)
        tus = [t for t in tus if not rx.search(t)]
    return tus, problems


def summary_text(findings, tu_errors, stats, root, docs):
    new = [f for f in findings if not f.baselined]
    lines = []
    lines.append("drain audit: %d translation unit%s in %.1f s (-j%d): %d new finding%s, "
                 "%d baselined, %d TU%s could not be analysed" % (
                     stats["tus"], "" if stats["tus"] == 1 else "s", stats["seconds"],
                     stats["jobs"], len(new), "" if len(new) == 1 else "s",
                     len(findings) - len(new), len(tu_errors), "" if len(tu_errors) == 1 else "s"))
    if new:
        lines.append("")
        lines.append("findings per check:")
        for c, n in collections.Counter(f.check for f in new).most_common():
            lines.append("  %5d  %s" % (n, c))
        lines.append("findings per directory:")
        for d, n in collections.Counter(os.path.dirname(F.display_path(f.loc.path, root)) or "."
                                        for f in new).most_common(10):
            lines.append("  %5d  %s" % (n, d))
        lines.append("worst files:")
        for p, n in collections.Counter(F.display_path(f.loc.path, root) for f in new).most_common(5):
            lines.append("  %5d  %s" % (n, p))
        lines.append("")
        for f in sorted(new, key=lambda f: (F.display_path(f.loc.path, root), f.loc.line)):
            lines.append("%s:%d:%d: %s [%s]" % (F.display_path(f.loc.path, root), f.loc.line,
                                                 f.loc.col, f.message, f.check))
            for n in f.notes:
                lines.append("    %s:%d:%d: note: %s" % (F.display_path(n.path, root), n.line,
                                                         n.col, n.message))
    if tu_errors:
        lines.append("")
        lines.append("could not analyse (never counted as clean):")
        for e in tu_errors:
            lines.append("  %s: %s: %s" % (F.display_path(e["tu"], root), e["kind"], e["message"]))
    return "\n".join(lines) + "\n"


def write_file(path, text):
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def load_baseline(path):
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as e:
        raise ToolError("cannot read the baseline %s: %s" % (path, e))
    except json.JSONDecodeError as e:
        raise ToolError("the baseline %s is not valid JSON: %s" % (path, e))
    if not isinstance(data, dict) or data.get("format") != "drain-baseline" or \
            not isinstance(data.get("findings"), list):
        raise ToolError("%s is not a drain baseline (write one with --write-baseline)" % path)
    return {f["fingerprint"] for f in data["findings"] if isinstance(f, dict) and "fingerprint" in f}


def baseline_json(findings, root):
    return json.dumps({
        "format": "drain-baseline", "version": 1,
        "comment": "Findings accepted as of this file; drain-audit --baseline fails only on new "
                   "ones. Fingerprints ignore line numbers, so edits elsewhere keep them.",
        "findings": [{"fingerprint": f.fingerprint, "check": f.check,
                      "path": F.display_path(f.loc.path, root), "message": f.message}
                     for f in sorted(findings, key=lambda f: f.fingerprint)],
    }, indent=2) + "\n"


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="drain-audit",
        description="Run drain's checks over every translation unit of a compile database.",
        epilog="Exit codes: 0 clean (or only baselined findings), 1 new findings, 2 a tool "
               "error (a TU that could not be analysed, a missing or broken compile database, "
               "no check enabled). A run with any tool error is never reported as clean.")
    p.add_argument("files", nargs="*", help="only these files (e.g. from pre-commit); default: "
                   "every TU of the database")
    p.add_argument("-p", dest="build", help="build directory with compile_commands.json (or the "
                   "file itself); default: ./ or ./build/")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                   help="parallel drain-tidy processes (default: all cores, %(default)s)")
    p.add_argument("--timeout", type=int, default=600, help="per-TU time limit in seconds "
                   "(default %(default)s); a TU that exceeds it is a tool error")
    p.add_argument("--checks", default="-*,drain-*", help="clang-tidy check globs "
                   "(default %(default)s)")
    p.add_argument("--config-file", help="a .clang-tidy file for check options")
    p.add_argument("--header-filter", help="report findings in headers matching this regex "
                   "(default: headers under the project root)")
    p.add_argument("--extra-arg", action="append", default=[], help="extra compiler argument")
    p.add_argument("--exclude", action="append", default=[], help="skip TUs whose path matches "
                   "this regex (repeatable)")
    p.add_argument("--root", help="project root for relative paths and fingerprints (default: "
                   "the git top level, else the common directory of the TUs)")
    p.add_argument("--drain-tidy", help="the drain-tidy to run (default: next to drain-audit)")
    p.add_argument("-o", "--output-dir", default="drain-audit",
                   help="where report.html, drain.sarif, gl-code-quality-report.json and "
                   "findings.json go (default ./%(default)s)")
    p.add_argument("--no-report", action="store_true", help="write no file, only the summary")
    p.add_argument("--html", help="HTML report path (default OUTPUT_DIR/report.html)")
    p.add_argument("--sarif", help="SARIF path (default OUTPUT_DIR/drain.sarif)")
    p.add_argument("--codequality", help="GitLab Code Quality path (default "
                   "OUTPUT_DIR/gl-code-quality-report.json)")
    p.add_argument("--json", help="findings JSON path (default OUTPUT_DIR/findings.json)")
    p.add_argument("--baseline", help="accept the findings in this file; fail only on new ones")
    p.add_argument("--write-baseline", metavar="FILE", help="write today's findings as a baseline")
    p.add_argument("--docs-dir", help="drain's docs/checks directory (rule descriptions)")
    p.add_argument("--docs-base-url", default=os.environ.get("DRAIN_DOCS_BASE_URL"),
                   help="base URL of drain's docs for SARIF help links "
                   "(<URL>/docs/checks/<stem>.md); default: the local docs pages")
    p.add_argument("--progress", choices=["auto", "bar", "lines", "none"], default="auto")
    p.add_argument("-q", "--quiet", action="store_true", help="print only the summary line")
    p.add_argument("--record", action="store_true", help="record the compile database with bear "
                   "by running the build command given after --, in -C DIR")
    p.add_argument("-C", dest="directory", default=".", help="source directory for --record")
    if "--" in argv:
        i = argv.index("--")
        args = p.parse_args(argv[:i])
        args.build_cmd = argv[i + 1:]
    else:
        args = p.parse_args(argv)
        args.build_cmd = []
    if args.jobs < 1:
        p.error("-j must be at least 1")
    if args.timeout < 1:
        p.error("--timeout must be at least 1")
    return args


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    try:
        args = parse_args(argv)
    except SystemExit as e:
        return EXIT_TOOL_ERROR if e.code not in (0, None) else 0
    try:
        return audit(args)
    except ToolError as e:
        sys.stderr.write("drain-audit: error: %s\n" % e)
        return EXIT_TOOL_ERROR
    except KeyboardInterrupt:
        sys.stderr.write("drain-audit: interrupted\n")
        return EXIT_TOOL_ERROR


def audit(args):
    out = sys.stderr
    started = time.time()
    if F.yaml is None:
        raise ToolError("python3-yaml is not installed (Debian: apt-get install python3-yaml)")
    if args.record:
        args.build = record_with_bear(os.path.abspath(args.directory), args.build_cmd, out)
    elif args.build_cmd:
        raise ToolError("a build command after -- needs --record")
    tidy = find_drain_tidy(args.drain_tidy)
    db_dir, db_path, entries = load_compile_db(args.build)
    checks = list_checks(tidy, args.checks, args.config_file)
    tus, not_in_db = select_entries(entries, args.files, args.exclude)
    if not tus and not args.files:
        raise ToolError("no translation unit left to analyse (--exclude removed all %d)"
                        % len(entries))
    root = os.path.abspath(args.root) if args.root else default_root(tus, db_dir)
    if args.header_filter is None:
        args.header_filter = "^" + re.escape(root.rstrip("/") + "/")
    docs = F.CheckDocs(find_docs_dir(args.docs_dir), args.docs_base_url)
    version = tool_version(tidy)

    tty = out.isatty()
    mode = args.progress
    if mode == "auto":
        mode = "bar" if tty else "lines"
    if args.quiet:
        mode = "none"
    prog = Progress(len(tus), out, mode != "none", mode == "bar")
    if mode != "none":
        out.write("drain-audit: %d translation unit%s from %s, -j%d, checks %s\n" % (
            len(tus), "" if len(tus) == 1 else "s", db_path, args.jobs, ",".join(checks)))
    results = []
    with tempfile.TemporaryDirectory(prefix="drain-audit-") as tmp:
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futs = [pool.submit(run_one, tidy, db_dir, tu, args, tmp, i)
                    for i, tu in enumerate(tus)]
            for fut in concurrent.futures.as_completed(futs):
                r = fut.result()
                results.append(r)
                prog.update(r, root)

    tu_errors = [r["error"] for r in sorted(results, key=lambda r: r["tu"]) if r["error"]]
    for p in not_in_db:
        tu_errors.append({"tu": p, "kind": "not in the compile database",
                          "message": "no compile command for this source file (re-run the "
                          "build system's configure step, or check -p)", "detail": ""})
    # A header's finding comes once per TU that includes it: keep one, remember every TU.
    merged = collections.OrderedDict()
    for r in sorted(results, key=lambda r: r["tu"]):
        for f in r["findings"]:
            k = f.key()
            if k in merged:
                merged[k].tus.append(r["tu"])
            else:
                merged[k] = f
    cache = F.SourceCache()
    allf = list(merged.values())
    for f in allf:
        cache.locate(f.loc)
        for n in f.notes:
            cache.locate(n)
    F.assign_fingerprints(allf, cache, root)
    if args.baseline:
        accepted = load_baseline(args.baseline)
        for f in allf:
            f.baselined = f.fingerprint in accepted
    allf.sort(key=lambda f: (F.display_path(f.loc.path, root), f.loc.line, f.loc.col, f.check))
    stats = {"tus": len(tus), "seconds": time.time() - started, "jobs": args.jobs,
             "started": started, "tool": "drain " + version}

    if args.write_baseline:
        write_file(args.write_baseline, baseline_json(allf, root))
    if not args.no_report:
        od = args.output_dir
        paths = {"html": args.html or os.path.join(od, "report.html"),
                 "sarif": args.sarif or os.path.join(od, "drain.sarif"),
                 "codequality": args.codequality or os.path.join(od, "gl-code-quality-report.json"),
                 "json": args.json or os.path.join(od, "findings.json")}
        write_file(paths["html"], html_report.render(allf, tu_errors, stats, root, cache, docs))
        write_file(paths["sarif"], json.dumps(sarif.to_sarif(
            allf, tu_errors, root, docs, version, checks, cache,
            command_line=" ".join(shlex.quote(a) for a in ["drain-audit"] + sys.argv[1:])),
            indent=1) + "\n")
        write_file(paths["codequality"], json.dumps(sarif.to_codequality(allf, root), indent=1) + "\n")
        write_file(paths["json"], json.dumps({
            "tool": "drain " + version, "root": root, "compile_database": db_path,
            "summary": {"translation_units": len(tus),
                        "new_findings": sum(1 for f in allf if not f.baselined),
                        "baselined": sum(1 for f in allf if f.baselined),
                        "tool_errors": len(tu_errors), "seconds": round(stats["seconds"], 2)},
            "findings": [f.to_json(root) for f in allf],
            "errors": [{"tu": F.display_path(e["tu"], root), "kind": e["kind"],
                        "message": e["message"]} for e in tu_errors],
        }, indent=1) + "\n")
    text = summary_text(allf, tu_errors, stats, root, docs)
    if args.quiet:
        text = text.splitlines()[0] + "\n"
    sys.stdout.write(text)
    if not args.no_report:
        sys.stdout.write("report: %s\n" % os.path.abspath(paths["html"]))
    if tu_errors:
        return EXIT_TOOL_ERROR
    if any(not f.baselined for f in allf):
        return EXIT_FINDINGS
    return EXIT_CLEAN
