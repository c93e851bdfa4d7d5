#!/usr/bin/env python3
"""Run the sharded CI templates' commands locally, each job as its own processes.

  ci_sharded_check.py --bin DIR --src SRC --buggy FILE --fixed FILE --work DIR

For integrations/ci/github-actions-sharded.yml and gitlab-ci-sharded.yml, on a sample project
with build/compile_commands.json, one TU with the hyper-style bug and clean ones:
  - every shard job of the matrix (GitHub: matrix.shard, strategy.job-total; GitLab:
    parallel:, CI_NODE_INDEX/CI_NODE_TOTAL) runs its drain-audit line as written, and passes
    (exit 1 is the merge's verdict) and fills the cache path the template keeps;
  - the artifacts move the way the CI moves them (GitHub: upload-artifact's path, downloaded
    under shards/<name>/; GitLab: the artifact paths, in place);
  - the merge job's line exits 1 (findings) and writes what the template uploads (SARIF for
    code scanning, Code Quality for the widget, the HTML report), equal finding for finding
    to a single run;
  - with one shard's artifact missing, the merge exits 2;
  - a second round of shard jobs comes wholly from the cache.
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys

try:
    import yaml
except ImportError:
    sys.exit("ci_sharded_check.py: python3-yaml is needed")

HERE = os.path.dirname(os.path.abspath(__file__))


def fail(msg):
    sys.stderr.write("ci_sharded_check.py: FAIL: %s\n" % msg)
    sys.exit(1)


def project(work, buggy, fixed):
    proj = os.path.join(work, "proj")
    os.makedirs(os.path.join(proj, "build"))
    shutil.copy(buggy, os.path.join(proj, "conn.cpp"))
    for i in range(3):
        shutil.copy(fixed, os.path.join(proj, "clean%d.cpp" % i))
    files = ["conn.cpp"] + ["clean%d.cpp" % i for i in range(3)]
    with open(os.path.join(proj, "build", "compile_commands.json"), "w") as f:
        json.dump([{"directory": os.path.join(proj, "build"), "file": os.path.join(proj, n),
                    "arguments": ["clang++", "-std=c++17", "-c", os.path.join(proj, n)]}
                   for n in files], f)
    return proj


def sh(line, proj, env, where):
    print("[%s] $ %s" % (where, line))
    p = subprocess.run(line, shell=True, cwd=proj, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True, timeout=900)
    print(p.stdout)
    return p


def drain_lines(text):
    return [l for l in text.splitlines() if "drain-audit" in l]


def fingerprints(path):
    with open(path) as f:
        return sorted(x["fingerprint"] for x in json.load(f)["findings"])


def github_expr(line, values):
    """${{ a.b }} -> values["a.b"]; anything else in ${{ }} is an error of the test."""
    def sub(m):
        name = m.group(1).strip()
        if name not in values:
            fail("github: unknown expression ${{ %s }} in %r" % (name, line))
        return str(values[name])
    return re.sub(r"\$\{\{([^}]*)\}\}", sub, line)


def base_env(bin_dir):
    return dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))


def single_run(a, proj):
    """The reference: one drain-audit run over the same project, no shards, no cache."""
    p = sh("drain-audit -p build -o single --no-cache", proj, base_env(a.bin), "single run")
    if p.returncode != 1:
        fail("the single run exited %d" % p.returncode)
    return fingerprints(os.path.join(proj, "single/findings.json"))


def github(a):
    wf = yaml.safe_load(open(os.path.join(a.src, "integrations/ci/github-actions-sharded.yml")))
    shard_job, merge_job = wf["jobs"]["drain-shard"], wf["jobs"]["drain"]
    if merge_job.get("needs") != "drain-shard" or merge_job.get("if") != "always()":
        fail("github: the merge job must need the shards and run always()")
    shards = shard_job["strategy"]["matrix"]["shard"]
    if shards != list(range(1, len(shards) + 1)):
        fail("github: matrix.shard must be 1..N: %r" % shards)
    proj = project(os.path.join(a.work, "github"), a.buggy, a.fixed)
    single = single_run(a, proj)
    env = base_env(a.bin)
    steps = shard_job["steps"]
    cache = [s for s in steps if str(s.get("uses", "")).startswith("actions/cache")][0]["with"]
    if "base.sha" not in cache["key"]:
        fail("github: the cache key must name the base commit: %r" % cache["key"])
    upload = [s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact")][0]
    lines = [l for s in steps if "run" in s for l in drain_lines(s["run"])]

    def run_shards(round_name):
        outs = []
        for k in shards:
            values = {"matrix.shard": k, "strategy.job-total": len(shards)}
            for line in lines:
                p = sh(github_expr(line, values), proj, env, "github shard %d %s" % (k, round_name))
                if p.returncode != 0:
                    fail("github: shard %d exited %d" % (k, p.returncode))
                outs.append(p.stdout)
            name = github_expr(upload["with"]["name"], values)
            src = os.path.join(proj, github_expr(upload["with"]["path"], values))
            dst = os.path.join(proj, "shards", name)  # download-artifact: path/<name>/
            shutil.rmtree(dst, ignore_errors=True)
            shutil.copytree(src, dst)
        return outs

    run_shards("first")
    if not os.listdir(os.path.join(proj, cache["path"])):
        fail("github: the shards left nothing in the cache path %s" % cache["path"])
    merge_lines = [l for s in merge_job["steps"] if "run" in s for l in drain_lines(s["run"])]
    for line in merge_lines:
        p = sh(line, proj, env, "github merge")
        if p.returncode != 1:
            fail("github: the merge exited %d on a project with a finding (expected 1)" % p.returncode)
    sarif_step = [s for s in merge_job["steps"]
                  if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif")][0]
    sarif = os.path.join(proj, sarif_step["with"]["sarif_file"])
    r = subprocess.run([sys.executable, os.path.join(HERE, "validate_sarif.py"), sarif,
                        "--expect-rule", "drain-discarded-io-result",
                        "--expect-results", str(len(single))])
    if r.returncode:
        fail("github: the uploaded SARIF is not valid or not complete")
    if fingerprints(os.path.join(proj, "drain-report/findings.json")) != single:
        fail("github: the merged findings differ from a single run's")

    shutil.rmtree(os.path.join(proj, "shards", "drain-shard-%d" % shards[-1]))
    p = sh(merge_lines[0], proj, env, "github merge, one artifact missing")
    if p.returncode != 2 or "missing" not in p.stdout:
        fail("github: a merge with a shard missing exited %d" % p.returncode)
    outs = run_shards("second")
    hits = sum(int(m) for o in outs for m in re.findall(r", (\d+) from the cache", o))
    if hits != 4:
        fail("github: the second round took %d of 4 TUs from the cache" % hits)


def gitlab(a):
    gl = yaml.safe_load(open(os.path.join(a.src, "integrations/ci/gitlab-ci-sharded.yml")))
    shard_job, merge_job = gl["drain-shard"], gl["drain"]
    n = int(shard_job["parallel"])
    if merge_job.get("needs") != ["drain-shard"] or merge_job.get("when") != "always":
        fail("gitlab: the merge job must need the shards and run always")
    proj = project(os.path.join(a.work, "gitlab"), a.buggy, a.fixed)
    single = single_run(a, proj)
    for k in range(1, n + 1):
        env = dict(base_env(a.bin), CI_NODE_INDEX=str(k), CI_NODE_TOTAL=str(n))
        for line in drain_lines("\n".join(shard_job["script"])):
            p = sh(line, proj, env, "gitlab shard %d" % k)
            if p.returncode != 0:
                fail("gitlab: shard %d exited %d" % (k, p.returncode))
        for path in shard_job["artifacts"]["paths"]:
            if not os.path.isdir(os.path.join(proj, os.path.expandvars(path.replace(
                    "$CI_NODE_INDEX", str(k))))):
                fail("gitlab: shard %d wrote no artifact %s" % (k, path))
    for path in shard_job["cache"]["paths"]:
        if not os.listdir(os.path.join(proj, path)):
            fail("gitlab: nothing in the cache path %s" % path)
    for line in drain_lines("\n".join(merge_job["script"])):
        p = sh(line, proj, base_env(a.bin), "gitlab merge")
        if p.returncode != 1:
            fail("gitlab: the merge exited %d (expected 1)" % p.returncode)
    cq = json.load(open(os.path.join(proj, merge_job["artifacts"]["reports"]["codequality"])))
    if sorted(i["fingerprint"] for i in cq) != single:
        fail("gitlab: Code Quality differs from a single run's findings: %r" % cq)
    for path in merge_job["artifacts"]["paths"]:
        if not os.path.exists(os.path.join(proj, path)):
            fail("gitlab: artifact path %s was not written" % path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--src", required=True)
    ap.add_argument("--buggy", required=True)
    ap.add_argument("--fixed", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    if os.path.exists(a.work):
        shutil.rmtree(a.work)
    github(a)
    gitlab(a)
    print("ok: the sharded templates' jobs run, merge to a single run's findings and upload them")


if __name__ == "__main__":
    main()
