"""A self-contained HTML report of a drain audit: no script, no external resource.

The top answers "how bad and where" (totals, findings per check, per directory, the worst
files, the translation units that could not be analysed); below, each finding shows its
message, its code excerpt and its notes in order, each note with its own excerpt, so a reader
can follow the path (data written here, flush discarded here, shut down here) without an
editor.
"""
import collections
import html
import os
import time

from .findings import display_path

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header{background:#24292f;color:#fff;padding:16px 28px}
header h1{margin:0;font-size:22px} header p{margin:4px 0 0;color:#c9d1d9}
main{padding:18px 28px;max-width:1200px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin-bottom:14px}
.card{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:10px 16px;min-width:120px}
.card b{display:block;font-size:24px}
.card.bad b{color:#cf222e} .card.ok b{color:#1a7f37} .card.err b{color:#9a6700}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(330px,1fr));gap:14px}
section.box{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:10px 14px;margin-bottom:14px}
h2{font-size:16px;margin:4px 0 8px} h3{font-size:15px;margin:0}
table{border-collapse:collapse;width:100%} td,th{text-align:left;padding:3px 8px;border-bottom:1px solid #eaeef2;vertical-align:top}
th{font-weight:600;color:#57606a} td.n{text-align:right;font-variant-numeric:tabular-nums;width:4em}
.finding{background:#fff;border:1px solid #d0d7de;border-left:4px solid #cf222e;border-radius:6px;padding:10px 14px;margin-bottom:14px}
.finding.baselined{border-left-color:#8c959f;opacity:.8}
.finding .where{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12.5px;color:#57606a}
.check{display:inline-block;background:#ffebe9;color:#82071e;border-radius:10px;padding:0 8px;font-size:12px;margin-right:8px;text-decoration:none;font-family:system-ui,sans-serif;white-space:nowrap}
td.name{white-space:nowrap;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12.5px}
.tag{display:inline-block;background:#eaeef2;border-radius:10px;padding:0 8px;font-size:12px;margin-right:8px;font-family:system-ui,sans-serif}
pre.code{background:#f6f8fa;border:1px solid #eaeef2;border-radius:4px;padding:6px 0;margin:6px 0;overflow-x:auto;font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace}
pre.code span.l{display:block;padding:0 10px;white-space:pre}
pre.code span.hit{background:#fff8c5}
pre.code span.ln{display:inline-block;width:4.5em;color:#8c959f;user-select:none}
ol.notes{margin:6px 0 0;padding-left:22px} ol.notes li{margin-bottom:6px}
.note-msg{font-weight:600}
.errors td{font-family:ui-monospace,monospace;font-size:12.5px}
details summary{cursor:pointer;color:#0969da}
footer{color:#57606a;font-size:12px;padding:10px 28px 30px}
h2.file{font:600 14px ui-monospace,SFMono-Regular,Menlo,monospace;margin:18px 0 8px;color:#24292f}
h2.file .count{font:12px system-ui,sans-serif;color:#57606a;margin-left:6px}
a{color:#0969da;text-decoration:none}
"""


def _e(s):
    return html.escape(str(s), quote=True)


def _excerpt(cache, path, line, context=2):
    rows = cache.lines(path, line - context, line + context)
    if not rows:
        return "<pre class=code><span class=l>(source not available)</span></pre>"
    out = []
    for n, text in rows:
        cls = "l hit" if n == line else "l"
        out.append("<span class='%s'><span class=ln>%d</span>%s</span>" % (cls, n, _e(text)))
    return "<pre class=code>%s</pre>" % "".join(out)


def _anchor(path):
    return "file-" + "".join(ch if ch.isalnum() else "-" for ch in path)


def _table(title, rows, headers, link_files=False):
    def cell(i, c):
        if isinstance(c, int):
            return "<td class=n>%s</td>" % _e(c)
        if i == 0 and link_files:
            return "<td class=name><a href='#%s'>%s</a></td>" % (_anchor(c), _e(c))
        return ("<td class=name>%s</td>" if i == 0 else "<td>%s</td>") % _e(c)
    if not rows:
        body = "<tr><td colspan=%d>none</td></tr>" % len(headers)
    else:
        body = "".join("<tr>%s</tr>" % "".join(cell(i, c) for i, c in enumerate(r)) for r in rows)
    head = "".join("<th>%s</th>" % _e(h) for h in headers)
    return "<section class=box><h2>%s</h2><table><tr>%s</tr>%s</table></section>" % (
        _e(title), head, body)


def render(findings, tu_errors, stats, root, cache, docs, title="drain audit"):
    new = [f for f in findings if not f.baselined]
    by_check = collections.Counter(f.check for f in new)
    by_dir = collections.Counter(os.path.dirname(display_path(f.loc.path, root)) or "."
                                 for f in new)
    by_file = collections.Counter(display_path(f.loc.path, root) for f in new)
    parts = ["<!doctype html><html lang=en><head><meta charset=utf-8>",
             "<meta name=viewport content='width=device-width,initial-scale=1'>",
             "<title>%s</title><style>%s</style></head><body>" % (_e(title), CSS),
             "<header><h1>%s</h1><p>%s &middot; %s &middot; %s</p></header><main>" % (
                 _e(title), _e(root or ""), _e(stats.get("tool", "")),
                 _e(time.strftime("%Y-%m-%d %H:%M", time.localtime(stats.get("started", 0)))))]
    cards = [("translation units", stats["tus"], ""),
             ("new findings", len(new), "bad" if new else "ok"),
             ("baselined", len(findings) - len(new), ""),
             ("could not analyse", len(tu_errors), "err" if tu_errors else "ok"),
             ("wall time", "%.1f s" % stats.get("seconds", 0), "")]
    parts.append("<div class=cards>%s</div>" % "".join(
        "<div class='card %s'><b>%s</b>%s</div>" % (c, _e(v), _e(k)) for k, v, c in cards))
    check_rows = []
    for c, n in by_check.most_common():
        check_rows.append((c, docs.summary(c)[0], n))
    parts.append(_table("Findings per check", check_rows, ["check", "what it finds", "n"]))
    parts.append("<div class=grid>")
    parts.append(_table("Findings per directory", by_dir.most_common(15), ["directory", "n"]))
    parts.append(_table("Worst files", by_file.most_common(10), ["file", "n"], link_files=True))
    parts.append("</div>")
    if tu_errors:
        rows = "".join(
            "<tr><td>%s</td><td>%s</td><td><details><summary>%s</summary><pre>%s</pre></details></td></tr>"
            % (_e(display_path(e["tu"], root)), _e(e["kind"]), _e(e["message"]),
               _e(e.get("detail", ""))) for e in tu_errors)
        parts.append("<section class='box errors'><h2>Translation units that could not be "
                     "analysed (never counted as clean)</h2><table><tr><th>file</th><th>what</th>"
                     "<th>detail</th></tr>%s</table></section>" % rows)
    parts.append("<h2>Findings</h2>")
    if not findings:
        parts.append("<section class=box>No findings.</section>")
    current = None
    for i, f in enumerate(sorted(findings, key=lambda f: (f.baselined, display_path(f.loc.path, root), f.loc.line))):
        shown = display_path(f.loc.path, root)
        if (f.baselined, shown) != current:
            current = (f.baselined, shown)
            n_here = sum(1 for g in findings if g.baselined == f.baselined
                         and display_path(g.loc.path, root) == shown)
            parts.append("<h2 class=file%s>%s <span class=count>%d%s</span></h2>" % (
                "" if f.baselined else " id='%s'" % _anchor(shown), _e(shown), n_here,
                " baselined" if f.baselined else ""))
        where = "%s:%d:%d" % (shown, f.loc.line, f.loc.col)
        url = docs.url(f.check)
        check = ("<a class=check href='%s'>%s</a>" % (_e(url), _e(f.check)) if url
                 else "<span class=check>%s</span>" % _e(f.check))
        tags = "<span class=tag>baselined</span> " if f.baselined else ""
        parts.append("<article class='finding%s' id='f%d'>" % (" baselined" if f.baselined else "", i + 1))
        seen_in = ("" if len(f.tus) < 2 else
                   " &middot; seen in %d translation units" % len(f.tus))
        parts.append("<h3>%s</h3><div class=where>%s%s%s%s</div>" % (
            _e(f.message), check, tags, _e(where), seen_in))
        parts.append(_excerpt(cache, f.loc.path, f.loc.line))
        if f.notes:
            parts.append("<ol class=notes>")
            for n in f.notes:
                # A note on the warning's own line needs no second excerpt.
                same = n.path == f.loc.path and n.line == f.loc.line
                parts.append("<li><span class=note-msg>%s</span> <span class=where>%s:%d:%d</span>%s</li>" % (
                    _e(n.message), _e(display_path(n.path, root)), n.line, n.col,
                    "" if same else _excerpt(cache, n.path, n.line, 1)))
            parts.append("</ol>")
        parts.append("</article>")
    parts.append("</main><footer>drain: writes that never finished. Exit codes: 0 clean, 1 new "
                 "findings, 2 a tool error (a translation unit that could not be analysed).</footer>")
    parts.append("</body></html>\n")
    return "".join(parts)
