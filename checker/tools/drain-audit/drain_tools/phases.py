"""The audit run, phase by phase: set up (database, drain-tidy, checks, the TUs of this
shard), then `summaries` (drain-tidy writes the TUs' function summaries into a store) and/or
`check` (drain's checks, reading the store if there is one), then the reports."""
import dataclasses
import os
import re
import shlex
import sys
import tempfile
import time
from typing import List, Optional

from . import cache as C
from . import compiledb, shards, stores, tidy
from .checkdocs import CheckDocs
from .facts import ToolFacts
from .model import EXIT_CLEAN, EXIT_TOOL_ERROR, RunStats, ToolError, TuResult, display_path
from .paths import find_docs_dir
from .progress import Progress
from .report import build_report
from .runner import DirConfigs, RunContext, run_all
from .writers import publish


@dataclasses.dataclass
class Setup:
    """Everything a phase needs, decided once."""
    args: object
    opts: tidy.TidyOptions
    db: compiledb.CompileDb
    checks: List[str]
    selected: List[str]   # the TUs of the whole run (every shard)
    tus: List[str]        # the TUs of this shard
    not_in_db: List[str]
    root: str
    version: str
    started: float
    facts: ToolFacts      # drain-tidy's answers (version, checks, configurations), kept


def _select(args, db: compiledb.CompileDb):
    tus, not_in_db = compiledb.select_entries(db.entries, args.files, args.exclude)
    if not tus and not args.files:
        raise ToolError("no translation unit left to analyse (--exclude removed all %d)"
                        % len(db.entries))
    mine = tus
    if args.shard:
        mine = shards.partition(tus, args.shard.n, db.directory)[args.shard.k - 1]
        if args.shard.k != 1:
            not_in_db = []  # reported once, by the first shard
    return tus, mine, not_in_db


def prepare(args) -> Setup:
    started = time.time()
    if tidy.exportfixes.yaml is None:
        raise ToolError("python3-yaml is not installed (Debian: apt-get install python3-yaml)")
    if args.record:
        args.build = compiledb.record_with_bear(os.path.abspath(args.directory), args.build_cmd,
                                                sys.stderr)
    elif args.build_cmd:
        raise ToolError("a build command after -- needs --record")
    exe = tidy.find_drain_tidy(args.drain_tidy)
    db = compiledb.load_compile_db(args.build)
    facts = ToolFacts(None if args.no_cache else (args.cache or C.default_dir()), exe, _cache_warning)
    checks = tidy.list_checks(exe, args.checks, args.config_file, facts)
    selected, tus, not_in_db = _select(args, db)
    root = os.path.abspath(args.root) if args.root else compiledb.default_root(selected,
                                                                                db.directory)
    if args.header_filter is None:
        # Headers under the root, and headers clang names by a relative path (a relative -I,
        # as Makefile and autotools builds use): clang-tidy matches the name as included.
        args.header_filter = "^(%s|[^/])" % re.escape(root.rstrip("/") + "/")
    opts = tidy.TidyOptions(exe, db.directory, args.checks, args.timeout, args.header_filter,
                            args.config_file, list(args.extra_arg))
    return Setup(args, opts, db, checks, selected, tus, not_in_db, root,
                 tidy.tool_version(exe, facts), started, facts)


def _cache_warning(msg: str) -> None:
    sys.stderr.write("drain-audit: cache: %s\n" % msg)


def _progress(setup: Setup, phase: str, cached: bool) -> Progress:
    args, out = setup.args, sys.stderr
    mode = args.progress
    if mode == "auto":
        mode = "bar" if out.isatty() else "lines"
    if args.quiet:
        mode = "none"
    if mode != "none":
        n = len(setup.tus)
        shard = (", shard %s" % args.shard) if args.shard else ""
        what = "checks %s" % ",".join(setup.checks) if phase == "check" else \
            "writing function summaries"
        out.write("drain-audit: %d translation unit%s from %s%s, -j%d, %s\n" % (
            n, "" if n == 1 else "s", setup.db.path, shard, args.jobs, what))
    return Progress(len(setup.tus), out, mode != "none", mode == "bar", cached)


def _cache(setup: Setup, store: Optional[str], configs: DirConfigs):
    """The result cache and its key's fixed part, or (None, None) with --no-cache."""
    args = setup.args
    if args.no_cache:
        return None, None
    directory = args.cache or C.default_dir()
    key_base = {"format": C.VERSION, "drain_tidy": tidy.binary_hash(setup.opts.tidy, setup.facts),
                "drain_version": setup.version,
                "checks": args.checks, "header_filter": args.header_filter,
                "extra_args": list(args.extra_arg),
                "config_file": tidy.file_hash(args.config_file) if args.config_file else "",
                "summary_store": stores.content_hash(store)}
    return C.ResultCache(directory, C.FileHashes(), _cache_warning), key_base


def _manifest(setup: Setup, phase: str, results: List[TuResult], extra: dict) -> None:
    args = setup.args
    if not args.shard:
        return
    rel = lambda t: os.path.relpath(t, setup.db.directory)  # noqa: E731
    shards.write_manifest(args.output_dir, dict({
        "shard": args.shard.k, "of": args.shard.n, "phase": phase,
        "selection": shards.selection_id(setup.selected, setup.db.directory),
        "total_tus": len(setup.selected), "tus": [rel(t) for t in setup.tus],
        "tool": setup.version, "root": setup.root, "compile_database": setup.db.path,
        "checks": setup.checks, "jobs": args.jobs, "started": setup.started,
        "seconds": round(time.time() - setup.started, 3),
        "not_in_db": setup.not_in_db,
        "results": [r.to_raw() for r in sorted(results, key=lambda r: r.tu)]}, **extra))


def phase_summaries(setup: Setup, store: str) -> int:
    """drain-tidy over the TUs in write mode: their function summaries go into STORE."""
    opts = dataclasses.replace(setup.opts, check_options=stores.store_options(store, "write"))
    if os.path.exists(store):
        os.remove(store)  # a store holds one run's summaries, never a stale function's
    os.makedirs(os.path.dirname(os.path.abspath(store)), exist_ok=True)
    # Each pass reads what the earlier ones stored (drain-tidy's write mode reads the store
    # too): a wrapper whose inner wrapper another TU defines is learnt one pass later.
    passes = max(1, getattr(setup.args, "summary_passes", 1) or 1)
    for n in range(passes):
        prog = _progress(setup, "summaries" if passes == 1 else
                         "summaries (pass %d of %d)" % (n + 1, passes), False)
        with tempfile.TemporaryDirectory(prefix="drain-audit-") as tmp:
            ctx = RunContext(opts, compiledb.entries_by_tu(setup.db.entries), tmp,
                             configs=DirConfigs(opts, setup.facts))
            results = run_all(ctx, setup.tus, setup.args.jobs, prog, setup.root)
    if not os.path.isfile(store):
        # No drain-tidy run opened the store (no TU was analysed, or none reached a check):
        # an empty store keeps the two-phase pipeline whole.
        stores.create_empty(store)
        sys.stderr.write("drain-audit: drain-tidy wrote no summary store (no translation unit "
                         "reached drain's checks); %s is empty\n" % store)
    errors = [r.error for r in results if r.error]
    _manifest(setup, "summaries", results, {"store": os.path.abspath(store)})
    sys.stdout.write("drain audit: summaries of %d translation unit%s into %s in %.1f s, "
                     "%d TU%s could not be analysed\n" % (
                         len(setup.tus), "" if len(setup.tus) == 1 else "s", store,
                         time.time() - setup.started, len(errors),
                         "" if len(errors) == 1 else "s"))
    for e in errors:
        sys.stdout.write("  %s: %s: %s\n" % (display_path(e.tu, setup.root), e.kind, e.message))
    return EXIT_TOOL_ERROR if errors else EXIT_CLEAN


def phase_check(setup: Setup, store: Optional[str], argv: List[str]) -> int:
    """drain's checks over the TUs (reading STORE if given), then the reports."""
    args = setup.args
    opts = setup.opts
    if store:
        opts = dataclasses.replace(opts, check_options=stores.store_options(store, "read"))
    configs = DirConfigs(opts, setup.facts)
    cache, key_base = _cache(setup, store, configs)
    prog = _progress(setup, "check", cache is not None)
    with tempfile.TemporaryDirectory(prefix="drain-audit-") as tmp:
        ctx = RunContext(opts, compiledb.entries_by_tu(setup.db.entries), tmp, cache,
                         key_base, configs)
        results = run_all(ctx, setup.tus, args.jobs, prog, setup.root)
    stats = RunStats(len(setup.tus), time.time() - setup.started, args.jobs, setup.started,
                     "drain " + setup.version, cache.hits if cache else None)
    docs = CheckDocs(find_docs_dir(args.docs_dir), args.docs_base_url)
    report = build_report(results, setup.not_in_db, stats, setup.root, docs, setup.version,
                          setup.checks, setup.db.path, args.baseline)
    _manifest(setup, "check", results, {"cached": stats.cached})
    command = " ".join(shlex.quote(a) for a in ["drain-audit"] + argv)
    return publish(report, args, command, sys.stdout)


def audit(args, argv: List[str]) -> int:
    """The run: which phases, with which store."""
    if args.phase == "check" and not args.summary_store:
        raise ToolError("--phase check reads a summary store: pass --summary-store STORE")
    wants_store = bool(args.summary_store or args.cross_file)
    store = args.summary_store or os.path.join(args.output_dir, stores.STORE_NAME)
    if args.phase == "all" and wants_store and args.shard:
        raise ToolError("a sharded run with a summary store takes two steps: --phase summaries "
                        "in every shard, `drain audit merge` of their stores, then --phase check "
                        "--summary-store STORE in every shard")
    setup = prepare(args)
    try:
        if args.phase == "summaries":
            if args.shard and not args.summary_store:
                store = os.path.join(args.output_dir, stores.STORE_NAME)
            return phase_summaries(setup, store)
        if args.phase == "all" and wants_store:
            rc = phase_summaries(setup, store)
            # Go on: the check phase reports the TUs the summaries phase could not analyse.
            return max(rc, phase_check(setup, store, argv))
        return phase_check(setup, args.summary_store, argv)
    finally:
        setup.facts.save()
