"""SARIF 2.1.0 from drain's findings.

One run; tool.driver.rules carry each check's id, summary (the first sentence of its docs
page), full description, help text and link; each result has the warning as its location, the
notes as relatedLocations and, in order, as one codeFlow (the path: written here, flush
discarded here, shut down here). Paths are relative to %SRCROOT% where possible, so GitHub code
scanning can place them. Columns are Unicode code points (columnKind).
"""
import json
import os
import re
from typing import Any, Dict, List, Optional

from ..checkdocs import CheckDocs
from ..model import Finding, Location, TuError, display_path
from ..sources import SourceCache

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
Json = Dict[str, Any]


def _camel(check: str) -> str:
    return "".join(w.capitalize() for w in re.split(r"[-_.]", check) if w)


def _artifact(path: str, root: Optional[str]) -> Json:
    rel = display_path(path, root)
    if rel != path or not os.path.isabs(path):
        return {"uri": rel.replace(os.sep, "/"), "uriBaseId": "%SRCROOT%"}
    return {"uri": "file://" + path}


def _physical(loc: Location, root: Optional[str], cache: Optional[SourceCache] = None) -> Json:
    region: Json = {"startLine": max(loc.line, 1)}
    if loc.char_col:
        region["startColumn"] = loc.char_col
    if cache is not None and loc.line:
        text = cache.line_text(loc.path, loc.line)
        if text:
            region["snippet"] = {"text": text}
    return {"artifactLocation": _artifact(loc.path, root), "region": region}


def _rule(c: str, docs: CheckDocs) -> Json:
    short, full = docs.summary(c)
    rule: Json = {"id": c, "name": _camel(c),
                  "shortDescription": {"text": short},
                  "fullDescription": {"text": full},
                  "defaultConfiguration": {"level": "warning"},
                  "properties": {"tags": ["reliability", "correctness"] if c.startswith("drain-")
                                 else ["clang-tidy"]}}
    url = docs.url(c)
    if url:
        rule["helpUri"] = url
    page = docs.page(c)
    if page:
        rule["help"] = {"text": full, "markdown": page}
    else:
        rule["help"] = {"text": full + (" See %s" % url if url else "")}
    return rule


def rules_for(checks: List[str], docs: CheckDocs) -> List[Json]:
    return [_rule(c, docs) for c in checks]


def _code_flow(f: Finding, root: Optional[str]) -> Json:
    steps = [{"location": {"physicalLocation": _physical(n, root), "message": {"text": n.message}},
              "nestingLevel": 0, "executionOrder": i + 1} for i, n in enumerate(f.notes)]
    if not any(n.path == f.loc.path and n.offset == f.loc.offset for n in f.notes):
        steps.append({"location": {"physicalLocation": _physical(f.loc, root),
                                   "message": {"text": f.message}},
                      "nestingLevel": 0, "executionOrder": len(steps) + 1})
    return {"message": {"text": f.message}, "threadFlows": [{"locations": steps}]}


def _result(f: Finding, rule_index: int, root: Optional[str],
            cache: Optional[SourceCache]) -> Json:
    res: Json = {
        "ruleId": f.check, "ruleIndex": rule_index,
        "level": "error" if f.level == "error" else "warning",
        "message": {"text": f.message},
        "locations": [{"physicalLocation": _physical(f.loc, root, cache)}],
        "partialFingerprints": {"drainFingerprint/v1": f.fingerprint},
    }
    if f.baselined:
        res["baselineState"] = "unchanged"
        res["suppressions"] = [{"kind": "external", "status": "accepted",
                                "justification": "in the drain baseline"}]
    if f.notes:
        res["relatedLocations"] = [
            {"id": i + 1, "physicalLocation": _physical(n, root, cache),
             "message": {"text": n.message}} for i, n in enumerate(f.notes)]
        res["codeFlows"] = [_code_flow(f, root)]
    return res


def _invocation(tu_errors: List[TuError], root: Optional[str],
                command_line: Optional[str]) -> Json:
    notifications = [{
        "level": "error",
        "message": {"text": "%s: %s" % (e.kind, e.message)},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(e.tu, root)}}],
        "descriptor": {"id": "drain-tool-" + e.kind.replace(" ", "-")},
    } for e in tu_errors]
    invocation: Json = {"executionSuccessful": not tu_errors,
                        "toolExecutionNotifications": notifications}
    if command_line:
        invocation["commandLine"] = command_line
    return invocation


def to_sarif(findings: List[Finding], tu_errors: List[TuError], root: Optional[str],
             docs: CheckDocs, tool_version: str, checks: List[str],
             cache: Optional[SourceCache] = None, command_line: Optional[str] = None) -> Json:
    checks = sorted(set(checks) | {f.check for f in findings})
    index = {c: i for i, c in enumerate(checks)}
    run: Json = {
        "tool": {"driver": {"name": "drain", "version": tool_version,
                            "semanticVersion": tool_version.split()[0] if tool_version else "0",
                            "rules": rules_for(checks, docs)}},
        "invocations": [_invocation(tu_errors, root, command_line)],
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index[f.check], root, cache) for f in findings],
    }
    if docs.base_url:
        run["tool"]["driver"]["informationUri"] = docs.base_url
    if root:
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": "file://" + root.rstrip("/") + "/"}}
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def to_text(report, command_line: Optional[str]) -> str:
    return json.dumps(to_sarif(report.findings, report.errors, report.root, report.docs,
                               report.version, report.checks, report.sources,
                               command_line=command_line), indent=1) + "\n"
