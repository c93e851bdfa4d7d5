"""A self-contained HTML report of a drain audit: no script, no external resource.

The top answers "how bad and where" (totals, findings per check, per directory, the worst
files, the translation units that could not be analysed); below, each finding shows its
message, its code excerpt and its notes in order, each note with its own excerpt, so a reader
can follow the path (data written here, flush discarded here, shut down here) without an
editor. The page is templates/report.html with templates/report.css inlined (string.Template:
$name placeholders); the repeated pieces are built here, every text escaped.
"""
import collections
import html
import os
import string
import time
from typing import List, Optional, Sequence, Tuple

from ..model import Finding, TuError, display_path
from ..report import Report
from ..sources import SourceCache

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")


def _read(name: str) -> str:
    with open(os.path.join(TEMPLATES, name), encoding="utf-8") as f:
        return f.read()


def _e(s) -> str:
    return html.escape(str(s), quote=True)


def _excerpt(cache: SourceCache, path: str, line: int, context: int = 2) -> str:
    rows = cache.lines(path, line - context, line + context)
    if not rows:
        return "<pre class=code><span class=l>(source not available)</span></pre>"
    out = []
    for n, text in rows:
        cls = "l hit" if n == line else "l"
        out.append("<span class='%s'><span class=ln>%d</span>%s</span>" % (cls, n, _e(text)))
    return "<pre class=code>%s</pre>" % "".join(out)


def _anchor(path: str) -> str:
    return "file-" + "".join(ch if ch.isalnum() else "-" for ch in path)


def _cell(i: int, c, link_files: bool) -> str:
    if isinstance(c, int):
        return "<td class=n>%s</td>" % _e(c)
    if i == 0 and link_files:
        return "<td class=name><a href='#%s'>%s</a></td>" % (_anchor(c), _e(c))
    return ("<td class=name>%s</td>" if i == 0 else "<td>%s</td>") % _e(c)


def _table(title: str, rows: Sequence[Tuple], headers: List[str], link_files: bool = False) -> str:
    if not rows:
        body = "<tr><td colspan=%d>none</td></tr>" % len(headers)
    else:
        body = "".join("<tr>%s</tr>" % "".join(_cell(i, c, link_files) for i, c in enumerate(r))
                       for r in rows)
    head = "".join("<th>%s</th>" % _e(h) for h in headers)
    return "<section class=box><h2>%s</h2><table><tr>%s</tr>%s</table></section>" % (
        _e(title), head, body)


def _cards(report: Report) -> str:
    new, n_err = report.new(), len(report.errors)
    cards = [("translation units", report.stats.tus, ""),
             ("new findings", len(new), "bad" if new else "ok"),
             ("baselined", len(report.findings) - len(new), ""),
             ("could not analyse", n_err, "err" if n_err else "ok"),
             ("wall time", "%.1f s" % report.stats.seconds, "")]
    return "".join("<div class='card %s'><b>%s</b>%s</div>" % (c, _e(v), _e(k))
                   for k, v, c in cards)


def _errors(errors: List[TuError], root: Optional[str]) -> str:
    if not errors:
        return ""
    rows = "".join(
        "<tr><td>%s</td><td>%s</td><td><details><summary>%s</summary><pre>%s</pre></details>"
        "</td></tr>" % (_e(display_path(e.tu, root)), _e(e.kind), _e(e.message), _e(e.detail))
        for e in errors)
    return ("<section class='box errors'><h2>Translation units that could not be analysed "
            "(never counted as clean)</h2><table><tr><th>file</th><th>what</th><th>detail</th>"
            "</tr>%s</table></section>" % rows)


def _notes(f: Finding, root: Optional[str], cache: SourceCache) -> str:
    if not f.notes:
        return ""
    items = []
    for n in f.notes:
        # A note on the warning's own line needs no second excerpt.
        same = n.path == f.loc.path and n.line == f.loc.line
        items.append("<li><span class=note-msg>%s</span> <span class=where>%s:%d:%d</span>%s</li>"
                     % (_e(n.message), _e(display_path(n.path, root)), n.line, n.col,
                        "" if same else _excerpt(cache, n.path, n.line, 1)))
    return "<ol class=notes>%s</ol>" % "".join(items)


def _article(f: Finding, i: int, report: Report) -> str:
    shown = display_path(f.loc.path, report.root)
    url = report.docs.url(f.check)
    check = ("<a class=check href='%s'>%s</a>" % (_e(url), _e(f.check)) if url
             else "<span class=check>%s</span>" % _e(f.check))
    tags = "<span class=tag>baselined</span> " if f.baselined else ""
    seen_in = "" if len(f.tus) < 2 else " &middot; seen in %d translation units" % len(f.tus)
    return "".join([
        "<article class='finding%s' id='f%d'>" % (" baselined" if f.baselined else "", i),
        "<h3>%s</h3><div class=where>%s%s%s%s</div>" % (
            _e(f.message), check, tags, _e("%s:%d:%d" % (shown, f.loc.line, f.loc.col)), seen_in),
        _excerpt(report.sources, f.loc.path, f.loc.line),
        _notes(f, report.root, report.sources), "</article>"])


def _findings(report: Report) -> str:
    """Every finding, new ones first, grouped under a heading per file."""
    if not report.findings:
        return "<section class=box>No findings.</section>"
    root = report.root
    groups = collections.Counter((f.baselined, display_path(f.loc.path, root))
                                 for f in report.findings)
    parts, current = [], None
    ordered = sorted(report.findings,
                     key=lambda f: (f.baselined, display_path(f.loc.path, root), f.loc.line))
    for i, f in enumerate(ordered):
        group = (f.baselined, display_path(f.loc.path, root))
        if group != current:
            current = group
            parts.append("<h2 class=file%s>%s <span class=count>%d%s</span></h2>" % (
                "" if f.baselined else " id='%s'" % _anchor(group[1]), _e(group[1]),
                groups[group], " baselined" if f.baselined else ""))
        parts.append(_article(f, i + 1, report))
    return "\n".join(parts)


def render(report: Report, title: str = "drain audit") -> str:
    new, root = report.new(), report.root
    by_check = collections.Counter(f.check for f in new)
    by_dir = collections.Counter(os.path.dirname(display_path(f.loc.path, root)) or "."
                                 for f in new)
    by_file = collections.Counter(display_path(f.loc.path, root) for f in new)
    page = string.Template(_read("report.html"))
    return page.substitute(
        title=_e(title), css=_read("report.css"), root=_e(root or ""),
        tool=_e(report.stats.tool),
        when=_e(time.strftime("%Y-%m-%d %H:%M", time.localtime(report.stats.started))),
        cards=_cards(report),
        checks=_table("Findings per check", [(c, report.docs.summary(c)[0], n)
                                             for c, n in by_check.most_common()],
                      ["check", "what it finds", "n"]),
        directories=_table("Findings per directory", by_dir.most_common(15), ["directory", "n"]),
        files=_table("Worst files", by_file.most_common(10), ["file", "n"], link_files=True),
        errors=_errors(report.errors, root), findings=_findings(report))
