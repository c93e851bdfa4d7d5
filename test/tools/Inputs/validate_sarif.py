#!/usr/bin/env python3
"""Validate a SARIF log against the SARIF 2.1.0 JSON schema (sarif-schema-2.1.0.json beside
this script: the OASIS 2.1.0 schema as shipped, MIT, in the npm package @microsoft/jest-sarif
1.0.0-beta.0, lib/schemas/sarif-2.1.0-rtm.5.json) and print a one-line digest.

  validate_sarif.py LOG.sarif [--expect-results N] [--expect-rule ID] [--expect-related]
                              [--expect-codeflow] [--expect-failed-invocation]
Exit 0 valid and as expected, 1 otherwise."""
import argparse
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    # Debian's python3-jsonschema belongs to /usr/bin/python3; a pyenv python may lack it.
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    sys.exit("validate_sarif.py: python3-jsonschema is not installed")


def fail(msg):
    sys.stderr.write("validate_sarif.py: FAIL: %s\n" % msg)
    sys.exit(1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("log")
    p.add_argument("--expect-results", type=int)
    p.add_argument("--expect-rule", action="append", default=[])
    p.add_argument("--expect-related", action="store_true")
    p.add_argument("--expect-codeflow", action="store_true")
    p.add_argument("--expect-failed-invocation", action="store_true")
    p.add_argument("--expect-help-uri", action="store_true")
    a = p.parse_args()
    schema_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sarif-schema-2.1.0.json")
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    try:
        with open(a.log, encoding="utf-8") as f:
            log = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        fail("cannot read %s: %s" % (a.log, e))
    validator = jsonschema.Draft4Validator(schema)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    for e in errors[:10]:
        sys.stderr.write("  at /%s: %s\n" % ("/".join(str(x) for x in e.path), e.message))
    if errors:
        fail("%s does not validate against the SARIF 2.1.0 schema (%d errors)" % (a.log, len(errors)))
    if log.get("version") != "2.1.0":
        fail("version is %r" % log.get("version"))
    run = log["runs"][0]
    results = run.get("results", [])
    rules = {r["id"]: r for r in run["tool"]["driver"].get("rules", [])}
    print("valid SARIF 2.1.0: %d result(s), rules: %s" % (len(results), ", ".join(sorted(rules))))
    if a.expect_results is not None and len(results) != a.expect_results:
        fail("expected %d results, got %d" % (a.expect_results, len(results)))
    for rid in a.expect_rule:
        if rid not in rules:
            fail("no rule %s" % rid)
        r = rules[rid]
        for k in ("shortDescription", "fullDescription", "help"):
            if not r.get(k, {}).get("text"):
                fail("rule %s lacks %s" % (rid, k))
        if a.expect_help_uri and not r.get("helpUri", "").endswith("/checks/%s.md" % rid[len("drain-"):]):
            fail("rule %s helpUri %r does not point at docs/checks/<stem>.md" % (rid, r.get("helpUri")))
        if not any(res["ruleId"] == rid for res in results):
            fail("no result for rule %s" % rid)
    for res in results:
        if res["ruleId"] not in rules:
            fail("result with unknown rule %s" % res["ruleId"])
        if rules and run["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] != res["ruleId"]:
            fail("ruleIndex does not match ruleId for %s" % res["ruleId"])
        if not res.get("partialFingerprints"):
            fail("result without partialFingerprints")
    if a.expect_related and not any(r.get("relatedLocations") for r in results):
        fail("no result has relatedLocations")
    if a.expect_codeflow and not any(r.get("codeFlows") for r in results):
        fail("no result has a codeFlow")
    inv = run.get("invocations", [{}])[0]
    if a.expect_failed_invocation:
        if inv.get("executionSuccessful") is not False or not inv.get("toolExecutionNotifications"):
            fail("expected executionSuccessful false with notifications")
    elif inv.get("executionSuccessful") is not True:
        fail("expected executionSuccessful true")


if __name__ == "__main__":
    main()
