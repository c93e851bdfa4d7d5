"""The summary on the terminal: one line of totals, then findings per check, per directory,
the worst files, each new finding with its notes, and the TUs that could not be analysed."""
import collections
import os
from typing import List

from ..model import display_path
from ..report import Report


def _plural(n: int, word: str) -> str:
    return "%d %s%s" % (n, word, "" if n == 1 else "s")


def headline(report: Report) -> str:
    s, new = report.stats, report.new()
    line = "drain audit: %s in %.1f s (-j%d): %s, %d baselined, %s could not be analysed" % (
        _plural(s.tus, "translation unit"), s.seconds, s.jobs, _plural(len(new), "new finding"),
        len(report.findings) - len(new), _plural(len(report.errors), "TU"))
    if s.cached is not None:
        line += ", %d from the cache" % s.cached
    return line


def _tallies(report: Report) -> List[str]:
    new, root = report.new(), report.root
    lines = ["", "findings per check:"]
    for c, n in collections.Counter(f.check for f in new).most_common():
        lines.append("  %5d  %s" % (n, c))
    lines.append("findings per directory:")
    for d, n in collections.Counter(os.path.dirname(display_path(f.loc.path, root)) or "."
                                    for f in new).most_common(10):
        lines.append("  %5d  %s" % (n, d))
    lines.append("worst files:")
    for p, n in collections.Counter(display_path(f.loc.path, root) for f in new).most_common(5):
        lines.append("  %5d  %s" % (n, p))
    return lines


def _listing(report: Report) -> List[str]:
    root = report.root
    lines = [""]
    for f in sorted(report.new(), key=lambda f: (display_path(f.loc.path, root), f.loc.line)):
        lines.append("%s:%d:%d: %s [%s]" % (display_path(f.loc.path, root), f.loc.line,
                                             f.loc.col, f.message, f.check))
        for n in f.notes:
            lines.append("    %s:%d:%d: note: %s" % (display_path(n.path, root), n.line,
                                                     n.col, n.message))
    return lines


def text(report: Report) -> str:
    lines = [headline(report)]
    if report.new():
        lines += _tallies(report) + _listing(report)
    if report.errors:
        lines += ["", "could not analyse (never counted as clean):"]
        for e in report.errors:
            lines.append("  %s: %s: %s" % (display_path(e.tu, report.root), e.kind, e.message))
    return "\n".join(lines) + "\n"
