"""GitLab Code Quality (a CodeClimate subset): one issue per new finding; the notes go into
the description because the format has no related locations."""
import json
from typing import Any, Dict, List, Optional

from ..model import Finding, display_path


def _description(f: Finding, root: Optional[str]) -> str:
    desc = f.message
    if f.notes:
        desc += " (" + "; ".join("%s:%d: %s" % (display_path(n.path, root), n.line, n.message)
                                  for n in f.notes) + ")"
    return desc


def to_codequality(findings: List[Finding], root: Optional[str]) -> List[Dict[str, Any]]:
    return [{
        "type": "issue",
        "check_name": f.check,
        "description": _description(f, root),
        "categories": ["Bug Risk"],
        "severity": "critical" if f.level == "error" else "major",
        "fingerprint": f.fingerprint,
        "location": {"path": display_path(f.loc.path, root),
                     "lines": {"begin": max(f.loc.line, 1)}},
    } for f in findings if not f.baselined]


def to_text(findings: List[Finding], root: Optional[str]) -> str:
    return json.dumps(to_codequality(findings, root), indent=1) + "\n"
