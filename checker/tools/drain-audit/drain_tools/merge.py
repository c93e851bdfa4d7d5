"""`drain audit merge`: the shards of one run (each `drain audit --shard K/N -o OUT_K`) into
the reports a single run writes, with the same exit codes; a missing or duplicated shard, or
shards of different runs, are a tool error, never a silently smaller report. Shards of
`--phase summaries` merge into one summary store. `drain audit merge-stores` merges stores."""
import argparse
import os
import shlex
import sys
from typing import Dict, List

from . import shards, stores
from .checkdocs import CheckDocs
from .model import EXIT_CLEAN, EXIT_TOOL_ERROR, RunStats, TuResult
from .paths import find_docs_dir
from .report import build_report
from .writers import publish


def _parser() -> argparse.ArgumentParser:
    from .audit import EPILOG, add_report_options
    p = argparse.ArgumentParser(
        prog="drain-audit merge", epilog=EPILOG,
        description="Merge the outputs of `drain audit --shard K/N -o OUT_K` (every K of one "
                    "run, once) into the reports of a single run.")
    p.add_argument("shards", nargs="+", metavar="OUT_K", help="the shards' output directories")
    p.add_argument("--summary-store", metavar="STORE", help="for shards of --phase summaries: "
                   "the merged store (default OUTPUT_DIR/%s)" % stores.STORE_NAME)
    add_report_options(p)
    return p


def _root(args, first: Dict) -> str:
    if args.root:
        return os.path.abspath(args.root)
    if os.path.isdir(first.get("root", "")):
        return first["root"]
    return os.getcwd()


def _results(ordered: List[Dict], root: str):
    results: List[TuResult] = []
    not_in_db: List[str] = []
    for s in ordered:
        results += [TuResult.from_raw(r, s.get("root"), root) for r in s["results"]]
        not_in_db += s.get("not_in_db", [])
    return results, not_in_db


def _merge_summaries(args, ordered: List[Dict]) -> int:
    out = args.summary_store or os.path.join(args.output_dir, stores.STORE_NAME)
    rows = stores.merge_stores([s["store"] for s in ordered], out)
    errors = [r for s in ordered for r in s["results"] if r.get("error")]
    sys.stdout.write("drain audit merge: %d shards, %d summary rows into %s, %d TU%s could not "
                     "be analysed\n" % (len(ordered), rows, out, len(errors),
                                        "" if len(errors) == 1 else "s"))
    return EXIT_TOOL_ERROR if errors else EXIT_CLEAN


def _merge_checks(args, argv: List[str], ordered: List[Dict]) -> int:
    first = ordered[0]
    root = _root(args, first)
    results, not_in_db = _results(ordered, root)
    cached = [s.get("cached") for s in ordered]
    stats = RunStats(len(results), max(float(s["seconds"]) for s in ordered), int(first["jobs"]),
                     min(float(s["started"]) for s in ordered), "drain " + first["tool"],
                     None if any(c is None for c in cached) else sum(cached))
    docs = CheckDocs(find_docs_dir(args.docs_dir), args.docs_base_url)
    report = build_report(results, not_in_db, stats, root, docs, first["tool"], first["checks"],
                          first["compile_database"], args.baseline)
    command = " ".join(shlex.quote(a) for a in ["drain-audit", "merge"] + argv)
    return publish(report, args, command, sys.stdout)


def merge_main(argv: List[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as e:
        return EXIT_TOOL_ERROR if e.code not in (0, None) else 0
    manifests = [shards.read_manifest(p) for p in args.shards]
    _, ordered = shards.check_complete(manifests)
    if ordered[0]["phase"] == "summaries":
        return _merge_summaries(args, ordered)
    return _merge_checks(args, argv, ordered)


def merge_stores_main(argv: List[str]) -> int:
    p = argparse.ArgumentParser(
        prog="drain-audit merge-stores",
        description="Merge summary stores (SQLite) into one: every table, INSERT OR REPLACE by "
                    "primary key.")
    p.add_argument("stores", nargs="+", metavar="STORE", help="a store, or a shard's output "
                   "directory holding %s" % stores.STORE_NAME)
    p.add_argument("-o", "--output", required=True, help="the merged store")
    try:
        args = p.parse_args(argv)
    except SystemExit as e:
        return EXIT_TOOL_ERROR if e.code not in (0, None) else 0
    inputs = [os.path.join(s, stores.STORE_NAME) if os.path.isdir(s) else s for s in args.stores]
    rows = stores.merge_stores(inputs, args.output)
    sys.stdout.write("drain audit merge-stores: %d stores, %d rows into %s\n"
                     % (len(inputs), rows, args.output))
    return EXIT_CLEAN
