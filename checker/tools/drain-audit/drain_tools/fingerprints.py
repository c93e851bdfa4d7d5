"""Fingerprints that survive line shifts, for baselines, SARIF and Code Quality."""
import hashlib
import re
from typing import Dict, List, Optional

from .model import Finding, display_path
from .sources import SourceCache

_WS = re.compile(r"\s+")


def _line(cache: SourceCache, path: str, line: int) -> str:
    return _WS.sub(" ", cache.line_text(path, line)).strip()


def assign_fingerprints(findings: List[Finding], cache: SourceCache, root: Optional[str]) -> None:
    """A fingerprint that survives line shifts: the check, the file (relative to the root), the
    message and the text of the flagged line and of each note's line, whitespace-normalised,
    plus an occurrence counter for identical ones. Line numbers take no part."""
    seen: Dict[str, int] = {}
    for f in sorted(findings, key=lambda f: (f.loc.path, f.loc.offset, f.check)):
        parts = [f.check, display_path(f.loc.path, root), f.message,
                 _line(cache, f.loc.path, f.loc.line)]
        for n in f.notes:
            parts += [n.message, _line(cache, n.path, n.line)]
        base = hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:32]
        k = seen.get(base, 0)
        seen[base] = k + 1
        f.fingerprint = base if k == 0 else "%s-%d" % (base, k)
