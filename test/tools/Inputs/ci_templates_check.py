#!/usr/bin/env python3
"""Run the drain-audit lines of the shipped CI templates, verbatim, on a sample project.

  ci_templates_check.py --bin DIR --src SRC --buggy FILE --work DIR

For integrations/ci/github-actions.yml and gitlab-ci.yml: the YAML parses; every shell line
that calls drain-audit runs as written in a project with build/compile_commands.json and the
hyper-style bug (PATH starts with --bin, where drain-audit and drain-tidy are); it exits 1
(findings); and the file the template then uploads (upload-sarif's sarif_file, GitLab's
artifacts:reports:codequality, the report directory) exists and is what it should be.
"""
import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys

try:
    import yaml
except ImportError:
    sys.exit("ci_templates_check.py: python3-yaml is needed")


def fail(msg):
    sys.stderr.write("ci_templates_check.py: FAIL: %s\n" % msg)
    sys.exit(1)


def project(work, buggy):
    proj = os.path.join(work, "proj")
    os.makedirs(os.path.join(proj, "build"))
    shutil.copy(buggy, os.path.join(proj, "conn.cpp"))
    with open(os.path.join(proj, "build", "compile_commands.json"), "w") as f:
        json.dump([{"directory": os.path.join(proj, "build"), "file": os.path.join(proj, "conn.cpp"),
                    "arguments": ["clang++", "-std=c++17", "-c", os.path.join(proj, "conn.cpp")]}], f)
    return proj


def run_audit_lines(lines, proj, bin_dir, where):
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))
    ran = []
    for line in lines:
        if "drain-audit" not in line:
            continue
        print("[%s] $ %s" % (where, line))
        p = subprocess.run(line, shell=True, cwd=proj, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, universal_newlines=True, timeout=600)
        print(p.stdout)
        if p.returncode != 1:
            fail("%s: `%s` exited with %d on a project with a finding (expected 1)"
                 % (where, line, p.returncode))
        ran.append(shlex.split(line))
    if not ran:
        fail("%s: no drain-audit line found" % where)
    return ran


def opt(argv, name):
    return argv[argv.index(name) + 1] if name in argv else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--src", required=True)
    ap.add_argument("--buggy", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    if os.path.exists(a.work):
        shutil.rmtree(a.work)
    ci = os.path.join(a.src, "integrations", "ci")
    validate = os.path.join(os.path.dirname(os.path.abspath(__file__)), "validate_sarif.py")

    # GitHub Actions
    gh = yaml.safe_load(open(os.path.join(ci, "github-actions.yml")))
    steps = gh["jobs"]["drain"]["steps"]
    proj = project(os.path.join(a.work, "github"), a.buggy)
    lines = [l for s in steps if "run" in s for l in s["run"].splitlines()]
    ran = run_audit_lines(lines, proj, a.bin, "github-actions")
    sarif_arg = opt(ran[0], "--sarif")
    upload = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif")]
    if not upload:
        fail("github-actions: no upload-sarif step")
    if upload[0].get("if") != "always()":
        fail("github-actions: upload-sarif must run when drain fails the job (if: always())")
    uploaded = upload[0]["with"]["sarif_file"]
    if uploaded != sarif_arg:
        fail("github-actions: uploads %r but drain-audit writes %r" % (uploaded, sarif_arg))
    r = subprocess.run([sys.executable, validate, os.path.join(proj, uploaded),
                        "--expect-rule", "drain-discarded-io-result"])
    if r.returncode:
        fail("github-actions: the uploaded SARIF is not valid")
    art = [s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact")]
    if not art or not os.path.isfile(os.path.join(proj, art[0]["with"]["path"], "report.html")):
        fail("github-actions: the artifact path has no report.html")

    # GitLab CI
    gl = yaml.safe_load(open(os.path.join(ci, "gitlab-ci.yml")))
    job = gl["drain"]
    proj = project(os.path.join(a.work, "gitlab"), a.buggy)
    ran = run_audit_lines(job["script"], proj, a.bin, "gitlab-ci")
    cq_arg = opt(ran[0], "--codequality")
    reported = job["artifacts"]["reports"]["codequality"]
    if reported != cq_arg:
        fail("gitlab-ci: publishes %r but drain-audit writes %r" % (reported, cq_arg))
    if job["artifacts"].get("when") != "always":
        fail("gitlab-ci: artifacts must be kept when drain fails the job (when: always)")
    cq = json.load(open(os.path.join(proj, reported)))
    if not any(i["check_name"] == "drain-discarded-io-result" and i["fingerprint"] for i in cq):
        fail("gitlab-ci: Code Quality report %r" % cq)
    for path in job["artifacts"]["paths"]:
        if not os.path.exists(os.path.join(proj, path)):
            fail("gitlab-ci: artifact path %s was not written" % path)
    print("ok: both templates' drain-audit lines run and produce what they upload")


if __name__ == "__main__":
    main()
