"""Findings as plain data: read from clang-tidy's --export-fixes YAML, located by line and
column, fingerprinted for baselines, and described by the check's docs page.

A finding is one clang-tidy diagnostic (a drain check's warning) with its notes, which tell
the path ("data written here", "flush result discarded here", "connection shut down here").
"""
import hashlib
import os
import re

try:
    import yaml
except ImportError:  # pragma: no cover - reported by the caller as a tool error
    yaml = None

# Diagnostics that mean "the translation unit did not compile", never a finding.
COMPILER_ERROR = "clang-diagnostic-error"


class Location:
    __slots__ = ("path", "offset", "line", "col", "char_col", "message")

    def __init__(self, path, offset, message=""):
        self.path = path
        self.offset = offset
        self.message = message
        self.line = self.col = self.char_col = 0

    def to_json(self, root):
        return {"path": display_path(self.path, root), "line": self.line, "column": self.col,
                "message": self.message}


class Finding:
    def __init__(self, check, level, message, loc, notes, tu):
        self.check = check
        self.level = level  # "warning" or "error"
        self.message = message
        self.loc = loc
        self.notes = notes
        self.tus = [tu]
        self.fingerprint = ""
        self.baselined = False

    def key(self):
        return (self.check, self.loc.path, self.loc.offset, self.message)

    def to_json(self, root):
        return {"check": self.check, "level": self.level, "message": self.message,
                "location": self.loc.to_json(root),
                "notes": [n.to_json(root) for n in self.notes],
                "fingerprint": self.fingerprint, "baselined": self.baselined,
                "translation_units": [display_path(t, root) for t in self.tus]}


class SourceCache:
    """Reads each file once; converts byte offsets to 1-based line/column."""

    def __init__(self):
        self._files = {}

    def data(self, path):
        if path not in self._files:
            try:
                with open(path, "rb") as f:
                    raw = f.read()
            except OSError:
                raw = None
            starts = None
            if raw is not None:
                starts = [0] + [m.end() for m in re.finditer(b"\n", raw)]
            self._files[path] = (raw, starts)
        return self._files[path]

    def locate(self, loc):
        raw, starts = self.data(loc.path)
        if raw is None:
            return
        import bisect
        i = bisect.bisect_right(starts, loc.offset) - 1
        loc.line = i + 1
        loc.col = loc.offset - starts[i] + 1
        loc.char_col = len(raw[starts[i]:loc.offset].decode("utf-8", "replace")) + 1

    def lines(self, path, first, last):
        """Lines first..last (1-based, inclusive) as text, clamped to the file."""
        raw, starts = self.data(path)
        if raw is None:
            return []
        out = []
        for n in range(max(1, first), min(len(starts), last) + 1):
            end = starts[n] if n < len(starts) else len(raw)
            out.append((n, raw[starts[n - 1]:end].decode("utf-8", "replace").rstrip("\r\n")))
        return out

    def line_text(self, path, line):
        got = self.lines(path, line, line)
        return got[0][1] if got else ""


def display_path(path, root):
    if root:
        try:
            rel = os.path.relpath(path, root)
            if not rel.startswith(".." + os.sep) and rel != "..":
                return rel
        except ValueError:
            pass
    return path


def _abs(path, build_dir):
    if not os.path.isabs(path) and build_dir:
        path = os.path.join(build_dir, path)
    return os.path.normpath(path)


def load_export_fixes(path, tu):
    """Returns (findings, compiler_errors) from one --export-fixes YAML file.

    Raises ValueError with a readable message if the file is not what clang-tidy writes."""
    if yaml is None:
        raise ValueError("python3-yaml is not installed (needed to read clang-tidy's --export-fixes)")
    with open(path, encoding="utf-8", errors="replace") as f:
        try:
            doc = yaml.safe_load(f)
        except yaml.YAMLError as e:
            raise ValueError("%s: not valid YAML: %s" % (path, e))
    if doc is None:
        return [], []
    if not isinstance(doc, dict) or not isinstance(doc.get("Diagnostics", []), list):
        raise ValueError("%s: not a clang-tidy --export-fixes file (no Diagnostics list)" % path)
    findings, errors = [], []
    for d in doc.get("Diagnostics") or []:
        name = d.get("DiagnosticName", "")
        msg = d.get("DiagnosticMessage") or {}
        build_dir = d.get("BuildDirectory", "")
        fpath = msg.get("FilePath") or ""
        loc = Location(_abs(fpath, build_dir) if fpath else tu, int(msg.get("FileOffset", 0) or 0))
        level = "error" if str(d.get("Level", "Warning")).lower() == "error" else "warning"
        text = str(msg.get("Message", ""))
        if name == COMPILER_ERROR or (name.startswith("clang-diagnostic-") and level == "error"):
            errors.append((loc, text))
            continue
        notes = []
        for n in d.get("Notes") or []:
            np = n.get("FilePath") or ""
            notes.append(Location(_abs(np, build_dir) if np else loc.path,
                                  int(n.get("FileOffset", 0) or 0), str(n.get("Message", ""))))
        # clang-tidy repeats a path-sensitive warning as its own last note; drop the echo.
        if notes and notes[-1].message == text and notes[-1].offset == loc.offset \
                and notes[-1].path == loc.path:
            notes.pop()
        findings.append(Finding(name, level, text, loc, notes, tu))
    return findings, errors


_WS = re.compile(r"\s+")


def assign_fingerprints(findings, cache, root):
    """A fingerprint that survives line shifts: the check, the file (relative to the root), the
    message and the text of the flagged line and of each note's line, whitespace-normalised,
    plus an occurrence counter for identical ones. Line numbers take no part."""
    seen = {}
    for f in sorted(findings, key=lambda f: (f.loc.path, f.loc.offset, f.check)):
        parts = [f.check, display_path(f.loc.path, root), f.message,
                 _WS.sub(" ", cache.line_text(f.loc.path, f.loc.line)).strip()]
        for n in f.notes:
            parts += [n.message, _WS.sub(" ", cache.line_text(n.path, n.line)).strip()]
        base = hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:32]
        k = seen.get(base, 0)
        seen[base] = k + 1
        f.fingerprint = base if k == 0 else "%s-%d" % (base, k)


class CheckDocs:
    """The one-line summary and the page of each check, from docs/checks/<stem>.md."""

    def __init__(self, docs_dir, base_url=None):
        self.docs_dir = docs_dir
        self.base_url = base_url

    def page_path(self, check):
        if not self.docs_dir:
            return None
        stem = check[len("drain-"):] if check.startswith("drain-") else check
        p = os.path.join(self.docs_dir, stem + ".md")
        return p if os.path.isfile(p) else None

    def page(self, check):
        p = self.page_path(check)
        if not p:
            return None
        with open(p, encoding="utf-8", errors="replace") as f:
            return f.read()

    def summary(self, check):
        """(short, full): the first sentence and the first paragraph of the page."""
        text = self.page(check)
        if not text:
            if check.startswith("drain-"):
                return ("drain check %s" % check, "drain check %s (no docs page found)" % check)
            return ("clang-tidy check %s" % check, "clang-tidy check %s" % check)
        paras = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        body = [p for p in paras if not p.startswith("#") and not p.startswith("```")
                and not p.startswith("|") and not p.startswith("<!--")]
        first = _WS.sub(" ", body[0]) if body else check
        m = re.match(r"(.+?[.!?])(\s|$)", first)
        return ((m.group(1) if m else first), first)

    def url(self, check):
        stem = check[len("drain-"):] if check.startswith("drain-") else None
        if stem is None:
            return "https://clang.llvm.org/extra/clang-tidy/checks/list.html"
        if self.base_url:
            return self.base_url.rstrip("/") + "/docs/checks/%s.md" % stem
        p = self.page_path(check)
        if p:
            return "file://" + os.path.abspath(p)
        return None
