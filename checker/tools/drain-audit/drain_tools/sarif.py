"""SARIF 2.1.0 and GitLab Code Quality from drain's findings.

SARIF: one run; tool.driver.rules carry each check's id, summary (the first sentence of its
docs page), full description, help text and link; each result has the warning as its location,
the notes as relatedLocations and, in order, as one codeFlow (the path: written here, flush
discarded here, shut down here). Paths are relative to %SRCROOT% where possible, so GitHub code
scanning can place them. Columns are Unicode code points (columnKind).
"""
import os
import re

from .findings import display_path

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _camel(check):
    return "".join(w.capitalize() for w in re.split(r"[-_.]", check) if w)


def _artifact(path, root):
    rel = display_path(path, root)
    if rel != path or not os.path.isabs(path):
        return {"uri": rel.replace(os.sep, "/"), "uriBaseId": "%SRCROOT%"}
    return {"uri": "file://" + path}


def _physical(loc, root, cache=None):
    region = {"startLine": max(loc.line, 1)}
    if loc.char_col:
        region["startColumn"] = loc.char_col
    if cache is not None and loc.line:
        text = cache.line_text(loc.path, loc.line)
        if text:
            region["snippet"] = {"text": text}
    return {"artifactLocation": _artifact(loc.path, root), "region": region}


def rules_for(checks, docs):
    rules = []
    for c in checks:
        short, full = docs.summary(c)
        rule = {"id": c, "name": _camel(c),
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
        rules.append(rule)
    return rules


def to_sarif(findings, tu_errors, root, docs, tool_version, checks, cache=None,
             command_line=None):
    """findings: Finding list; tu_errors: list of dicts {tu, kind, message}."""
    checks = sorted(set(checks) | {f.check for f in findings})
    index = {c: i for i, c in enumerate(checks)}
    results = []
    for f in findings:
        res = {
            "ruleId": f.check, "ruleIndex": index[f.check],
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
            steps = [{"location": {"physicalLocation": _physical(n, root),
                                   "message": {"text": n.message}},
                      "nestingLevel": 0, "executionOrder": i + 1}
                     for i, n in enumerate(f.notes)]
            if not any(n.path == f.loc.path and n.offset == f.loc.offset for n in f.notes):
                steps.append({"location": {"physicalLocation": _physical(f.loc, root),
                                           "message": {"text": f.message}},
                              "nestingLevel": 0, "executionOrder": len(steps) + 1})
            res["codeFlows"] = [{"message": {"text": f.message},
                                 "threadFlows": [{"locations": steps}]}]
        results.append(res)
    notifications = [{
        "level": "error",
        "message": {"text": "%s: %s" % (e["kind"], e["message"])},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(e["tu"], root)}}],
        "descriptor": {"id": "drain-tool-" + e["kind"].replace(" ", "-")},
    } for e in tu_errors]
    invocation = {"executionSuccessful": not tu_errors,
                  "toolExecutionNotifications": notifications}
    if command_line:
        invocation["commandLine"] = command_line
    run = {
        "tool": {"driver": {"name": "drain", "version": tool_version,
                            "semanticVersion": tool_version.split()[0] if tool_version else "0",
                            "rules": rules_for(checks, docs)}},
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if docs.base_url:
        run["tool"]["driver"]["informationUri"] = docs.base_url
    if root:
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": "file://" + root.rstrip("/") + "/"}}
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def to_codequality(findings, root):
    """GitLab Code Quality (a CodeClimate subset): one issue per finding; the notes go into the
    description because the format has no related locations."""
    out = []
    for f in findings:
        if f.baselined:
            continue
        desc = f.message
        if f.notes:
            desc += " (" + "; ".join("%s:%d: %s" % (display_path(n.path, root), n.line, n.message)
                                      for n in f.notes) + ")"
        out.append({
            "type": "issue",
            "check_name": f.check,
            "description": desc,
            "categories": ["Bug Risk"],
            "severity": "critical" if f.level == "error" else "major",
            "fingerprint": f.fingerprint,
            "location": {"path": display_path(f.loc.path, root),
                         "lines": {"begin": max(f.loc.line, 1)}},
        })
    return out
