"""clang-tidy's --export-fixes YAML, read into findings and compiler errors."""
import os
from typing import List, Tuple

from .model import Finding, Location

try:
    import yaml
except ImportError:  # pragma: no cover - reported by the caller as a tool error
    yaml = None

# Diagnostics that mean "the translation unit did not compile", never a finding.
COMPILER_ERROR = "clang-diagnostic-error"


def _abs(path: str, build_dir: str) -> str:
    if not os.path.isabs(path) and build_dir:
        path = os.path.join(build_dir, path)
    return os.path.normpath(path)


def _finding(d: dict, loc: Location, text: str, level: str, tu: str) -> Finding:
    build_dir = d.get("BuildDirectory", "")
    notes = []
    for n in d.get("Notes") or []:
        np = n.get("FilePath") or ""
        notes.append(Location(_abs(np, build_dir) if np else loc.path,
                              int(n.get("FileOffset", 0) or 0), str(n.get("Message", ""))))
    # clang-tidy repeats a path-sensitive warning as its own last note; drop the echo.
    if notes and notes[-1].message == text and notes[-1].offset == loc.offset \
            and notes[-1].path == loc.path:
        notes.pop()
    return Finding(d.get("DiagnosticName", ""), level, text, loc, notes, [tu])


def load_export_fixes(path: str, tu: str) -> Tuple[List[Finding], List[Tuple[Location, str]]]:
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
        fpath = msg.get("FilePath") or ""
        loc = Location(_abs(fpath, d.get("BuildDirectory", "")) if fpath else tu,
                       int(msg.get("FileOffset", 0) or 0))
        level = "error" if str(d.get("Level", "Warning")).lower() == "error" else "warning"
        text = str(msg.get("Message", ""))
        if name == COMPILER_ERROR or (name.startswith("clang-diagnostic-") and level == "error"):
            errors.append((loc, text))
            continue
        findings.append(_finding(d, loc, text, level, tu))
    return findings, errors
