"""drain sarif: turn drain-tidy's --export-fixes YAML into SARIF 2.1.0 and/or GitLab Code
Quality, for pipelines that run drain-tidy (or clang-tidy --load) themselves.

  drain sarif FIXES.yaml... [-o drain.sarif] [--codequality gl-code-quality-report.json]
              [--root DIR] [--fail-on-findings]

Exit codes: 0 written (with --fail-on-findings: and no finding), 1 findings with
--fail-on-findings, 2 an input that is missing, not clang-tidy's YAML, or that records compiler
errors (a TU that did not compile is never reported as clean).
"""
import argparse
import json
import os
import sys
from typing import List, Optional, Tuple

from . import exportfixes
from .checkdocs import CheckDocs
from .fingerprints import assign_fingerprints
from .model import Finding, TuError
from .paths import find_docs_dir, write_file
from .sources import SourceCache
from .writers import codequality, sarif


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="drain sarif", description=__doc__.split("\n\n")[0])
    p.add_argument("inputs", nargs="+", help="--export-fixes YAML files")
    p.add_argument("-o", "--output", help="SARIF output (default: stdout if no --codequality)")
    p.add_argument("--codequality", help="GitLab Code Quality output")
    p.add_argument("--root", default=os.getcwd(), help="paths are made relative to this")
    p.add_argument("--docs-dir")
    p.add_argument("--docs-base-url", default=os.environ.get("DRAIN_DOCS_BASE_URL"))
    p.add_argument("--fail-on-findings", action="store_true")
    return p


def _load(inputs: List[str]) -> Tuple[Optional[List[Finding]], List[TuError]]:
    """(findings, compiler errors), or (None, []) after saying what is wrong with an input."""
    found: List[Finding] = []
    errors: List[TuError] = []
    for path in inputs:
        if not os.path.isfile(path):
            sys.stderr.write("drain sarif: error: %s: no such file\n" % path)
            return None, []
        try:
            fs, errs = exportfixes.load_export_fixes(path, path)
        except ValueError as e:
            sys.stderr.write("drain sarif: error: %s\n" % e)
            return None, []
        found += fs
        errors += [TuError(loc.path, "does not compile", msg) for loc, msg in errs]
    uniq = {}
    for f in found:
        uniq.setdefault(f.key(), f)
    return list(uniq.values()), errors


def main(argv=None) -> int:
    try:
        a = _parser().parse_args(argv)
    except SystemExit as e:
        return 2 if e.code not in (0, None) else 0
    if exportfixes.yaml is None:
        sys.stderr.write("drain sarif: error: python3-yaml is not installed\n")
        return 2
    found, errors = _load(a.inputs)
    if found is None:
        return 2
    cache = SourceCache()
    for f in found:
        cache.locate(f.loc)
        for n in f.notes:
            cache.locate(n)
    root = os.path.abspath(a.root)
    assign_fingerprints(found, cache, root)
    docs = CheckDocs(find_docs_dir(a.docs_dir), a.docs_base_url)
    log = sarif.to_sarif(found, errors, root, docs, "", [f.check for f in found], cache)
    text = json.dumps(log, indent=1) + "\n"
    if a.output:
        write_file(a.output, text)
    elif not a.codequality:
        sys.stdout.write(text)
    if a.codequality:
        write_file(a.codequality, codequality.to_text(found, root))
    for e in errors:
        sys.stderr.write("drain sarif: %s: does not compile: %s\n" % (e.tu, e.message))
    if errors:
        return 2
    return 1 if (found and a.fail_on_findings) else 0
