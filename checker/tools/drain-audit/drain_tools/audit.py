"""drain audit: run drain's checks over every translation unit of a compile database.

  drain-audit [-p BUILD_DIR] [-j N] [options] [FILE...]
  drain-audit --record -C SRC_DIR -- BUILD COMMAND...
  drain-audit -p BUILD --shard K/N -o OUT_K            (one CI job of N)
  drain-audit merge OUT_1 ... OUT_N -o OUT [--baseline FILE]
  drain-audit merge-stores STORE... -o STORE

Runs drain-tidy once per translation unit, in parallel, never stopping at a bad one (a TU that
does not parse, crashes or runs out of time is reported and the run goes on), then prints a
summary and writes an HTML report, SARIF 2.1.0, GitLab Code Quality and JSON. A TU whose
inputs did not change since the last run comes from the cache (--cache, --no-cache).

Exit codes: 0 clean (or only baselined findings), 1 new findings, 2 a tool error: a TU that
could not be analysed, a missing or broken compile database, no check enabled, drain-tidy
missing, a missing or duplicated shard. A run with any tool error is never reported as clean.
"""
import argparse
import os
import sys
from typing import List, Optional

from .model import EXIT_TOOL_ERROR, ToolError

EPILOG = ("Exit codes: 0 clean (or only baselined findings), 1 new findings, 2 a tool error (a "
          "TU that could not be analysed, a missing or broken compile database, no check "
          "enabled). A run with any tool error is never reported as clean.")


def add_report_options(p: argparse.ArgumentParser) -> None:
    """The options a run and a merge share: where the reports go, baselines, docs, -q."""
    p.add_argument("--root", help="project root for relative paths and fingerprints (default: "
                   "the git top level, else the common directory of the TUs)")
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
    p.add_argument("-q", "--quiet", action="store_true", help="print only the summary line")


def _add_run_options(p: argparse.ArgumentParser) -> None:
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
    p.add_argument("--drain-tidy", help="the drain-tidy to run (default: next to drain-audit)")
    p.add_argument("--progress", choices=["auto", "bar", "lines", "none"], default="auto")
    p.add_argument("--record", action="store_true", help="record the compile database with bear "
                   "by running the build command given after --, in -C DIR")
    p.add_argument("-C", dest="directory", default=".", help="source directory for --record")


def _add_scale_options(p: argparse.ArgumentParser) -> None:
    from .cache import default_dir
    p.add_argument("--shard", metavar="K/N", help="analyse only the K-th of N deterministic "
                   "slices of the TUs (1-based, balanced by size) and write what `drain audit "
                   "merge` needs into OUTPUT_DIR")
    p.add_argument("--cache", metavar="DIR", default=None, help="the result cache (default: "
                   "%s, from $XDG_CACHE_HOME)" % default_dir())
    p.add_argument("--no-cache", action="store_true", help="analyse every TU, keep nothing")
    p.add_argument("--phase", choices=["summaries", "check", "all"], default="all",
                   help="summaries: only write the TUs' function summaries into a store; check: "
                   "the checks, reading --summary-store; all (default): both when a store is "
                   "asked for (--summary-store or --cross-file), else the checks alone")
    p.add_argument("--summary-store", metavar="STORE", help="the cross-file summary store "
                   "(SQLite): written by --phase summaries, read by --phase check")
    p.add_argument("--cross-file", action="store_true", help="use cross-file summaries: with "
                   "--phase all, write a store first (OUTPUT_DIR/summaries.sqlite unless "
                   "--summary-store), then check with it")
    p.add_argument("--summary-passes", type=int, default=2, metavar="N",
                   help="passes of the summaries phase over the TUs (default 2): each pass reads "
                   "the roles the earlier ones stored, so a wrapper of a wrapper defined in "
                   "another file is learnt in the second; 1 halves the phase's time")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="drain-audit",
        description="Run drain's checks over every translation unit of a compile database. "
                    "Subcommands: `merge OUT_1 ... OUT_N -o OUT` (the shards of one run), "
                    "`merge-stores STORE... -o STORE` (summary stores).",
        epilog=EPILOG)
    _add_run_options(p)
    add_report_options(p)
    _add_scale_options(p)
    return p


def parse_args(argv: List[str]) -> argparse.Namespace:
    p = build_parser()
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
    if args.shard:
        from .shards import parse_shard
        try:
            args.shard = parse_shard(args.shard)
        except ValueError as e:
            p.error(str(e))
    return args


def _guard(fn, argv: List[str], prog: str) -> int:
    try:
        return fn(argv)
    except ToolError as e:
        sys.stderr.write("%s: error: %s\n" % (prog, e))
        return EXIT_TOOL_ERROR
    except KeyboardInterrupt:
        sys.stderr.write("%s: interrupted\n" % prog)
        return EXIT_TOOL_ERROR


def _audit(argv: List[str]) -> int:
    try:
        args = parse_args(argv)
    except SystemExit as e:
        return EXIT_TOOL_ERROR if e.code not in (0, None) else 0
    from .phases import audit
    return audit(args, argv)


def main(argv: Optional[List[str]] = None) -> int:
    """drain-audit [run options] | drain-audit merge ... | drain-audit merge-stores ..."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in ("merge", "merge-stores"):
        from . import merge
        sub = merge.merge_main if argv[0] == "merge" else merge.merge_stores_main
        return _guard(sub, argv[1:], "drain-audit " + argv[0])
    return _guard(_audit, argv, "drain-audit")
