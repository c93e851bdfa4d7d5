"""One audit's result, ready for the writers: the findings (deduplicated, located,
fingerprinted, baselined), the TUs that could not be analysed, and the run's numbers."""
import collections
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from .checkdocs import CheckDocs
from .fingerprints import assign_fingerprints
from .model import EXIT_CLEAN, EXIT_FINDINGS, EXIT_TOOL_ERROR, Finding, RunStats, TuError, \
    TuResult, display_path
from .sources import SourceCache


@dataclass
class Report:
    findings: List[Finding]
    errors: List[TuError]
    stats: RunStats
    root: str
    docs: CheckDocs
    version: str
    checks: List[str]
    db_path: str
    sources: SourceCache = field(default_factory=SourceCache)

    def new(self) -> List[Finding]:
        return [f for f in self.findings if not f.baselined]

    def exit_code(self) -> int:
        """A run with a tool error is never clean; else 1 on a new finding."""
        if self.errors:
            return EXIT_TOOL_ERROR
        return EXIT_FINDINGS if self.new() else EXIT_CLEAN


def dedupe(results: List[TuResult]) -> List[Finding]:
    """A header's finding comes once per TU that includes it: keep one, remember every TU."""
    merged: Dict[Tuple, Finding] = collections.OrderedDict()
    for r in sorted(results, key=lambda r: r.tu):
        for f in r.findings:
            k = f.key()
            if k in merged:
                merged[k].tus.append(r.tu)
            else:
                merged[k] = f
    return list(merged.values())


def tu_errors(results: List[TuResult], not_in_db: List[str]) -> List[TuError]:
    errors = [r.error for r in sorted(results, key=lambda r: r.tu) if r.error]
    for p in not_in_db:
        errors.append(TuError(p, "not in the compile database",
                              "no compile command for this source file (re-run the build "
                              "system's configure step, or check -p)", ""))
    return errors


def locate_all(findings: List[Finding], sources: SourceCache, root: Optional[str]) -> None:
    """Lines and columns for every finding and note, then their fingerprints."""
    for f in findings:
        sources.locate(f.loc)
        for n in f.notes:
            sources.locate(n)
    assign_fingerprints(findings, sources, root)


def sort_findings(findings: List[Finding], root: Optional[str]) -> None:
    findings.sort(key=lambda f: (display_path(f.loc.path, root), f.loc.line, f.loc.col, f.check))


def build_report(results: List[TuResult], not_in_db: List[str], stats: RunStats, root: str,
                 docs: CheckDocs, version: str, checks: List[str], db_path: str,
                 baseline: Optional[str]) -> Report:
    """What a single run and a merge of shards both do with the TUs' results."""
    from .baseline import apply_baseline
    report = Report(dedupe(results), tu_errors(results, not_in_db), stats, root, docs,
                    version, checks, db_path)
    locate_all(report.findings, report.sources, root)
    apply_baseline(report.findings, baseline)
    sort_findings(report.findings, root)
    return report
