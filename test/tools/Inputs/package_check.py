#!/usr/bin/env python3
"""Build drain's .deb with CPack, unpack it into a scratch root and run drain from there.

  package_check.py --build-dir OBJ --src SRC --work DIR --check NAME [--host-clang-tidy BIN]

Asserts that the package holds every front door (plugin, drain-tidy, drain-clangd if built,
drain-audit, drain), the docs, the annotations header (when the source tree has it) and the
CMake helper; that its Depends name the libraries and python3-yaml; and that the unpacked
drain-tidy, drain-audit (which must find drain-tidy and the docs through the installed layout)
and the plugin (through the stock clang-tidy) find NAME in examples/hyper_port.cpp.
"""
import argparse
import glob
import json
import os
import shutil
import subprocess
import sys


def fail(msg):
    sys.stderr.write("package_check.py: FAIL: %s\n" % msg)
    sys.exit(1)


def run(cmd, expect=None, **kw):
    print("$ " + " ".join(cmd))
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True, timeout=900, **kw)
    if expect is not None and p.returncode != expect:
        fail("exit %d (expected %d):\n%s" % (p.returncode, expect, p.stdout[-3000:]))
    return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--src", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--check", required=True)
    ap.add_argument("--host-clang-tidy")
    a = ap.parse_args()
    if os.path.exists(a.work):
        shutil.rmtree(a.work)
    os.makedirs(a.work)
    obj = os.path.abspath(a.build_dir)

    run(["cpack", "--config", os.path.join(obj, "CPackConfig.cmake"), "-B", a.work], expect=0)
    debs = glob.glob(os.path.join(a.work, "drain_*.deb"))
    if len(debs) != 1:
        fail("expected one drain_*.deb in %s, got %r" % (a.work, debs))
    deb = debs[0]
    print("package: %s (%.1f MB)" % (os.path.basename(deb), os.path.getsize(deb) / 1e6))
    depends = run(["dpkg-deb", "-f", deb, "Depends"], expect=0).stdout
    for dep in ("python3-yaml", "libclang-cpp"):
        if dep not in depends:
            fail("Depends lacks %s: %s" % (dep, depends))
    root = os.path.join(a.work, "root")
    run(["dpkg-deb", "-x", deb, root], expect=0)
    usr = os.path.join(root, "usr")

    want = ["bin/drain-tidy", "bin/drain-audit", "bin/drain", "lib/drain/DrainTidyPlugin.so",
            "share/drain/python/drain_tools/audit.py",
            "share/drain/python/drain_tools/writers/templates/report.html",
            "share/drain/python/drain_tools/writers/templates/report.css",
            "share/drain/cmake/Drain.cmake",
            "share/drain/integrations/editors/clangd/.clangd",
            "share/drain/integrations/pre-commit/.pre-commit-hooks.yaml",
            "share/drain/integrations/ci/github-actions.yml",
            "share/drain/integrations/ci/github-actions-sharded.yml",
            "share/drain/integrations/ci/gitlab-ci-sharded.yml", "share/doc/drain/README.md"]
    if os.path.exists(os.path.join(obj, "bin", "drain-clangd")):
        want.append("bin/drain-clangd")
    if os.path.exists(os.path.join(a.src, "integrations/annotations/drain/annotations.h")):
        want.append("include/drain/annotations.h")
    stem = a.check[len("drain-"):]
    if os.path.exists(os.path.join(a.src, "docs/checks", stem + ".md")):
        want.append("share/doc/drain/checks/%s.md" % stem)
    missing = [w for w in want if not os.path.exists(os.path.join(usr, w))]
    if missing:
        fail("missing from the package: %s" % ", ".join(missing))
    print("package holds: " + ", ".join(want))

    example = os.path.join(a.src, "examples", "hyper_port.cpp")
    tidy = os.path.join(usr, "bin", "drain-tidy")
    v = run([tidy, "--version"], expect=0).stdout
    if "drain" not in v:
        fail("the packaged drain-tidy does not say it is drain: %s" % v)
    out = run([tidy, example, "-checks=-*,drain-*", "--", "-std=c++17"], expect=0).stdout
    if "[%s]" % a.check not in out:
        fail("the packaged drain-tidy did not report %s on %s:\n%s" % (a.check, example, out))
    print("packaged drain-tidy reports %s on examples/hyper_port.cpp" % a.check)

    if "bin/drain-clangd" in want:
        v = run([os.path.join(usr, "bin", "drain-clangd"), "--version"], expect=0).stdout
        if "drain" not in v:
            fail("the packaged drain-clangd does not say it is drain: %s" % v)

    if a.host_clang_tidy and os.path.exists(a.host_clang_tidy):
        out = run([a.host_clang_tidy, "--load=" + os.path.join(usr, "lib/drain/DrainTidyPlugin.so"),
                   "-checks=-*,drain-*", "--list-checks"], expect=0).stdout
        if a.check not in out:
            fail("the packaged plugin does not register %s:\n%s" % (a.check, out))

    proj = os.path.join(a.work, "proj")
    os.makedirs(proj)
    shutil.copy(example, os.path.join(proj, "hyper_port.cpp"))
    with open(os.path.join(proj, "compile_commands.json"), "w") as f:
        json.dump([{"directory": proj, "file": "hyper_port.cpp",
                    "arguments": ["clang++", "-std=c++17", "-c", "hyper_port.cpp"]}], f)
    # No --drain-tidy: the packaged drain-audit must find its drain-tidy and docs itself.
    env = dict(os.environ, PATH="/usr/bin:/bin")
    env.pop("DRAIN_TIDY", None)
    run([os.path.join(usr, "bin", "drain-audit"), "-p", proj, "-o", "report"], expect=1,
        cwd=proj, env=env)
    with open(os.path.join(proj, "report", "drain.sarif")) as f:
        sarif = json.load(f)
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    if a.check not in rules:
        fail("the packaged drain-audit's SARIF has no rule %s" % a.check)
    if "share/doc/drain/checks/%s.md" % stem in want:
        uri = rules[a.check].get("helpUri", "")
        if not uri.startswith("file://" + usr + "/share/doc/drain/checks/"):
            fail("helpUri does not point at the packaged docs: %r" % uri)
    print("ok")


if __name__ == "__main__":
    main()
