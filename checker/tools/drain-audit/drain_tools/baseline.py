"""Baselines: the findings a team accepted when it adopted drain; only new ones fail a run."""
import json
from typing import List, Optional, Set

from .model import Finding, ToolError, display_path


def load_baseline(path: str) -> Set[str]:
    """The accepted fingerprints, or a ToolError if the file is not a drain baseline."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as e:
        raise ToolError("cannot read the baseline %s: %s" % (path, e))
    except json.JSONDecodeError as e:
        raise ToolError("the baseline %s is not valid JSON: %s" % (path, e))
    if not isinstance(data, dict) or data.get("format") != "drain-baseline" or \
            not isinstance(data.get("findings"), list):
        raise ToolError("%s is not a drain baseline (write one with --write-baseline)" % path)
    return {f["fingerprint"] for f in data["findings"] if isinstance(f, dict) and "fingerprint" in f}


def apply_baseline(findings: List[Finding], path: Optional[str]) -> None:
    if not path:
        return
    accepted = load_baseline(path)
    for f in findings:
        f.baselined = f.fingerprint in accepted


def baseline_json(findings: List[Finding], root: Optional[str]) -> str:
    return json.dumps({
        "format": "drain-baseline", "version": 1,
        "comment": "Findings accepted as of this file; drain-audit --baseline fails only on new "
                   "ones. Fingerprints ignore line numbers, so edits elsewhere keep them.",
        "findings": [{"fingerprint": f.fingerprint, "check": f.check,
                      "path": display_path(f.loc.path, root), "message": f.message}
                     for f in sorted(findings, key=lambda f: f.fingerprint)],
    }, indent=2) + "\n"
