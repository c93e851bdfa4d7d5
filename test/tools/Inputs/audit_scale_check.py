#!/usr/bin/env python3
"""drain-audit past one machine, end to end with the real drain-tidy on a generated project.

  audit_scale_check.py --audit BIN --drain-tidy BIN --work DIR [--check NAME]

The project (written here, with its compile database): C sources that include a shared
header with a finding (net.h), a header without one (util.h), a TU with its own finding, a
clean TU without includes, and a large TU. Asserts:
  shards   --shard K/N for N=3, merged: the same findings (fingerprints), summary, SARIF
           results and exit code as one run; a missing, a duplicated and a foreign shard
           are tool errors; the slices do not depend on where the checkout is; the largest TU
           goes alone; a bad --shard is refused.
  cache    a first run fills it; a re-run comes wholly from it, with the same findings;
           touching one source re-analyses exactly that TU; touching a header exactly its
           includers (one of them beside a TU at the project's root, listed as ./top.h); a truncated, a damaged and a foreign entry are named, ignored,
           re-analysed and rewritten; --no-cache analyses everything.
  facts    drain-tidy's answers (version, checks, a directory's configuration) are kept: a
           cached re-run starts drain-tidy not once; a new .clang-tidy asks again and
           re-analyses that directory's TUs; a touched drain-tidy is asked again; a damaged
           answers file is named, ignored and rewritten.
  stores   the summary-store merge over stores made here with the schema drain-tidy will
           write (union, one row per USR, a table only one store has, a mismatched table
           refused); --phase summaries in shards, the merge of their stores, --phase check
           with the merged store; --cross-file on one machine.
"""
import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys

STEP = [0]
SCHEMA = ("CREATE TABLE summaries(usr TEXT, file_hash TEXT, drain_version TEXT, data BLOB, "
          "PRIMARY KEY(usr))")


def fail(msg):
    sys.stderr.write("audit_scale_check.py: FAIL [step %d]: %s\n" % (STEP[0], msg))
    sys.exit(1)


def step(title):
    STEP[0] += 1
    print("--- step %d: %s" % (STEP[0], title))


class Run:
    def __init__(self, p):
        self.rc, self.out, self.err = p.returncode, p.stdout, p.stderr


def run(cmd, cwd, expect_rc=None):
    p = Run(subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, timeout=900))
    print("$ %s\n  -> exit %d" % (" ".join(cmd), p.rc))
    if expect_rc is not None and p.rc != expect_rc:
        fail("expected exit %d, got %d\nstdout:\n%s\nstderr:\n%s" % (expect_rc, p.rc, p.out, p.err))
    return p


def must(cond, msg, r=None):
    if not cond:
        fail(msg + ("\nstdout:\n%s\nstderr:\n%s" % (r.out, r.err) if r else ""))


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def append(path, text):
    with open(path, "a", encoding="utf-8") as f:
        f.write(text)


NET_H = """#include <sys/socket.h>
/* A header with a finding: every TU that includes it sees it, the report shows it once. */
static inline void net_send_all(int fd, const char *b, unsigned long n) { send(fd, b, n, 0); }
"""
UTIL_H = "int util_add(int a, int b);\n"
SOURCES = {
    "src/a.c": '#include "net.h"\n#include "util.h"\nint a(int x) { return util_add(x, 1); }\n',
    "src/b.c": '#include "net.h"\nint b(void) { return 2; }\n',
    "src/c.c": '#include "util.h"\nint c(void) { return util_add(1, 2); }\n',
    "src/d.c": "int d(void) { return 4; }\n",
    "src/e.c": ("#include <sys/socket.h>\n"
                "void e(int fd) { send(fd, \"x\", 1, 0); }\n"
                "long e_checked(int fd) { return send(fd, \"x\", 1, 0); }\n"),
    "src/big.c": "".join("int big%d(int x) { return x * %d + %d; }\n" % (i, i, i)
                         for i in range(400)),
}
# A TU at the project's root names its header "./top.h" in the listing: a relative path that
# starts with a dot.
SOURCES["top.c"] = '#include "top.h"\nint top(void) { return TOP; }\n'
TOP_H = "#define TOP 6\n"
INCLUDERS = {"include/net.h": {"src/a.c", "src/b.c"}, "include/util.h": {"src/a.c", "src/c.c"},
             "top.h": {"top.c"}}


def make_project(proj):
    if os.path.exists(proj):
        shutil.rmtree(proj)
    write(os.path.join(proj, "include/net.h"), NET_H)
    write(os.path.join(proj, "include/util.h"), UTIL_H)
    write(os.path.join(proj, "top.h"), TOP_H)
    for name, text in SOURCES.items():
        write(os.path.join(proj, name), text)
    db = [{"directory": proj, "file": f,
           "arguments": ["clang", "-std=c11", "-Iinclude", "-c", f, "-o", f + ".o"]}
          for f in sorted(SOURCES)]
    write(os.path.join(proj, "compile_commands.json"), json.dumps(db, indent=1))


def findings(out_dir):
    with open(os.path.join(out_dir, "findings.json")) as f:
        fj = json.load(f)
    return fj


def fingerprints(fj):
    return sorted((x["fingerprint"], x["check"], x["location"]["path"], x["location"]["line"],
                   tuple(sorted(x["translation_units"]))) for x in fj["findings"])


def analysed(r):
    """The TUs a run analysed (progress lines without "(cached)")."""
    lines = [l for l in r.err.splitlines() if l.startswith("[")]
    return {l.split("] ", 1)[1].split(":", 1)[0] for l in lines if not l.endswith("(cached)")}, \
        {l.split("] ", 1)[1].split(":", 1)[0] for l in lines if l.endswith("(cached)")}


def check_shards(base, proj, work, single_rc, single):
    step("3 shards merged equal one run, finding for finding")
    outs = []
    for k in (1, 2, 3):
        run(base + ["--no-cache", "--shard", "%d/3" % k, "-o", "shard%d" % k], proj)
        outs.append("shard%d" % k)
    r = run(base[:2] + ["merge"] + outs + ["-o", "merged", "--root", proj], proj,
            expect_rc=single_rc)
    merged = findings(os.path.join(proj, "merged"))
    must(fingerprints(merged) == fingerprints(single),
         "merged findings differ:\n%r\n%r" % (fingerprints(merged), fingerprints(single)))
    must(merged["summary"]["translation_units"] == single["summary"]["translation_units"],
         "merged TU count %r" % merged["summary"])
    must(r.out.splitlines()[0].split(" in ")[0] == "drain audit: %d translation units"
         % len(SOURCES), "merged summary line: %r" % r.out.splitlines()[0], r)
    sarif = json.load(open(os.path.join(proj, "merged/drain.sarif")))
    must(len(sarif["runs"][0]["results"]) == len(single["findings"]), "merged SARIF results")
    tus = [json.load(open(os.path.join(proj, o, "drain-shard.json")))["tus"] for o in outs]
    must(sorted(sum(tus, [])) == sorted(SOURCES), "the slices do not cover the TUs: %r" % tus)
    must(tus[0] == ["src/big.c"], "the largest TU should be alone in shard 1: %r" % tus)

    step("a missing, a duplicated, a foreign shard: tool errors")
    r = run(base[:2] + ["merge", "shard1", "shard3", "-o", "m"], proj, expect_rc=2)
    must("shard 2 of 3 missing" in r.err, "missing-shard message", r)
    r = run(base[:2] + ["merge", "shard1", "shard2", "shard2", "shard3", "-o", "m"], proj,
            expect_rc=2)
    must("shard 2/3 given twice" in r.err, "duplicated-shard message", r)
    run(base + ["--no-cache", "--shard", "1/2", "-o", "other1"], proj)
    r = run(base[:2] + ["merge", "other1", "shard2", "shard3", "-o", "m"], proj, expect_rc=2)
    must("different runs" in r.err, "foreign-shard message", r)
    r = run(base[:2] + ["merge", "nowhere", "-o", "m"], proj, expect_rc=2)
    must("no shard here" in r.err, "not-a-shard message", r)
    for bad in ("0/3", "4/3", "3", "a/b"):
        run(base + ["--shard", bad], proj, expect_rc=2)
    must(not os.path.exists(os.path.join(proj, "m")), "a failed merge wrote reports")

    step("the slices are the same in another checkout")
    other = os.path.join(work, "elsewhere", "proj")
    make_project(other)
    for k in (1, 2, 3):
        run(base[:2] + ["-p", other, "--drain-tidy", base[base.index("--drain-tidy") + 1],
                        "--checks=" + base[-1].split("=", 1)[1], "--root", other, "--no-cache",
                        "--shard", "%d/3" % k, "-o", "s%d" % k, "-q"], other)
        t = json.load(open(os.path.join(other, "s%d" % k, "drain-shard.json")))["tus"]
        must(t == tus[k - 1], "shard %d differs in another checkout: %r vs %r" % (k, t, tus[k - 1]))


def entry_of(cache, tu):
    for d, _, files in os.walk(cache):
        for f in files:
            p = os.path.join(d, f)
            raw = open(p, "rb").read()
            body = raw.partition(b"\n")[2]
            try:
                if json.loads(body).get("tu", "").endswith("/" + tu):
                    return p
            except ValueError:
                continue
    fail("no cache entry for %s" % tu)


def check_cache(base, proj, single):
    cache = os.path.join(proj, "cache")
    cb = base + ["--cache", cache, "--progress", "lines", "--no-report"]
    step("a first run fills the cache, a re-run comes wholly from it")
    r = run(cb, proj)
    must(analysed(r)[0] == set(SOURCES), "first run: %r" % (analysed(r),), r)
    must(", 0 from the cache" in r.out.splitlines()[0], "first run's summary", r)
    r = run(base + ["--cache", cache, "--progress", "lines", "-o", "cached"], proj)
    must(analysed(r) == (set(), set(SOURCES)), "re-run: %r" % (analysed(r),), r)
    must(", %d from the cache" % len(SOURCES) in r.out.splitlines()[0], "re-run summary", r)
    must(fingerprints(findings(os.path.join(proj, "cached"))) == fingerprints(single),
         "the cached run's findings differ")

    step("touching one source re-analyses exactly that TU")
    append(os.path.join(proj, "src/d.c"), "int d2(void) { return 5; }\n")
    r = run(cb, proj)
    must(analysed(r)[0] == {"src/d.c"}, "after touching d.c: %r" % (analysed(r),), r)

    for header, includers in sorted(INCLUDERS.items()):
        step("touching %s re-analyses exactly its includers" % header)
        append(os.path.join(proj, header), "/* edited */\n")
        r = run(cb, proj)
        must(analysed(r)[0] == includers, "after touching %s: %r" % (header, analysed(r)), r)

    step("a truncated, a damaged and a foreign entry are ignored and rewritten")
    p = entry_of(cache, "src/b.c")
    raw = open(p, "rb").read()
    open(p, "wb").write(raw[:len(raw) // 2])
    p = entry_of(cache, "src/c.c")
    raw = bytearray(open(p, "rb").read())
    raw[-3] = ord("X") if raw[-3] != ord("X") else ord("Y")
    open(p, "wb").write(bytes(raw))
    shutil.copy(entry_of(cache, "src/a.c"), entry_of(cache, "src/d.c"))
    r = run(cb, proj)
    must(analysed(r)[0] == {"src/b.c", "src/c.c", "src/d.c"}, "after damage: %r" % (analysed(r),), r)
    for tu, why in (("src/b.c", "truncated"), ("src/c.c", "checksum mismatch"),
                    ("src/d.c", "another translation unit")):
        must("cache entry of %s" % os.path.join(proj, tu) in r.err and why in r.err,
             "%s: no warning naming %r" % (tu, why), r)
    r = run(cb, proj)
    must(analysed(r) == (set(), set(SOURCES)), "the damaged entries were not rewritten: %r"
         % (analysed(r),), r)

    step("--no-cache analyses everything and says nothing of a cache")
    r = run(base + ["--no-cache", "--progress", "lines", "--no-report"], proj)
    must(analysed(r)[0] == set(SOURCES) and "from the cache" not in r.out, "--no-cache", r)


def tidy_wrapper(work, real):
    """A drain-tidy that logs each start-up's arguments, then runs the real one."""
    log = os.path.join(work, "tidy-calls.log")
    path = os.path.join(work, "drain-tidy-logged")
    write(path, '#!/bin/sh\necho "$*" >> "%s"\nexec "%s" "$@"\n' % (log, real))
    os.chmod(path, 0o755)
    return path, log


def tidy_calls(log):
    """What drain-tidy was asked since the last call (questions, and TUs analysed)."""
    if not os.path.exists(log):
        return []
    with open(log) as f:
        lines = f.read().splitlines()
    os.remove(log)
    asked = []
    for line in lines:
        for q in ("--version", "--list-checks", "--dump-config"):
            if q in line.split():
                asked.append(q + (" " + os.path.basename(os.path.dirname(line.split()[-1]))
                                  if q == "--dump-config" else ""))
        if "--export-fixes=" in line:
            asked.append("analyse")
    return sorted(asked)


def check_tool_facts(base, proj, work, real_tidy):
    """drain-tidy's answers about itself and each directory are kept with the cache."""
    cache = os.path.join(proj, "cache-facts")
    wrapper, log = tidy_wrapper(work, os.path.abspath(real_tidy))
    fb = [a if a != os.path.abspath(real_tidy) else wrapper for a in base] + [
        "--cache", cache, "--progress", "lines", "--no-report"]
    step("a first run asks drain-tidy its version, checks and each directory's configuration")
    run(fb, proj)
    calls = tidy_calls(log)
    must(calls.count("analyse") == len(SOURCES) and "--version" in calls and
         "--list-checks" in calls and "--dump-config src" in calls, "first run asked %r" % calls)
    step("a cached re-run starts drain-tidy not once")
    r = run(fb, proj)
    must(analysed(r) == (set(), set(SOURCES)), "re-run: %r" % (analysed(r),), r)
    must(tidy_calls(log) == [], "the re-run started drain-tidy", r)

    step("a new .clang-tidy in src/ asks for src/'s configuration again and re-analyses its TUs")
    write(os.path.join(proj, "src", ".clang-tidy"),
          "CheckOptions:\n  - key: drain-discarded-io-result.AllowCastToVoid\n    value: 'true'\n")
    r = run(fb, proj)
    calls = tidy_calls(log)
    in_src = {name for name in SOURCES if name.startswith("src/")}
    must(calls == sorted(["--dump-config src"] + ["analyse"] * len(in_src)),
         "after adding src/.clang-tidy: %r" % calls, r)
    must(analysed(r)[0] == in_src, "after adding src/.clang-tidy: %r" % (analysed(r),), r)
    r = run(fb, proj)
    must(tidy_calls(log) == [] and analysed(r)[0] == set(), "the new answers were not kept", r)

    step("a touched drain-tidy is asked again (its content, and so the results, are the same)")
    os.utime(wrapper, (1, 1))
    r = run(fb, proj)
    calls = tidy_calls(log)
    must(calls == ["--dump-config proj", "--dump-config src", "--list-checks", "--version"],
         "after touching drain-tidy: %r" % calls, r)
    must(analysed(r) == (set(), set(SOURCES)), "after touching drain-tidy: %r" % (analysed(r),), r)

    step("a damaged answers file is named, ignored and rewritten")
    facts = os.path.join(cache, "tool-facts")
    raw = open(facts, "rb").read()
    open(facts, "wb").write(raw[:len(raw) // 2])
    r = run(fb, proj)
    must("ignoring %s (truncated)" % facts in r.err, "no warning about the damaged file", r)
    must(analysed(r) == (set(), set(SOURCES)), "the results changed: %r" % (analysed(r),), r)
    must(tidy_calls(log) == ["--dump-config proj", "--dump-config src", "--list-checks",
                             "--version"],
         "the damaged answers were trusted", r)
    r = run(fb, proj)
    must(tidy_calls(log) == [] and "ignoring" not in r.err, "the answers file was not rewritten", r)


def make_store(path, rows, extra_table=False):
    con = sqlite3.connect(path)
    con.execute(SCHEMA)
    con.executemany("INSERT INTO summaries VALUES (?, ?, ?, ?)", rows)
    if extra_table:
        con.execute("CREATE TABLE notes(usr TEXT PRIMARY KEY, text TEXT)")
        con.execute("INSERT INTO notes VALUES ('c:@F@f', 'only here')")
    con.commit()
    con.close()


def check_stores(base, proj):
    step("merge-stores: every table, one row per USR, mismatched tables refused")
    make_store(os.path.join(proj, "s1.sqlite"), [("c:@F@f", "h1", "v", b"one"),
                                                 ("c:@F@g", "h1", "v", b"g")])
    make_store(os.path.join(proj, "s2.sqlite"), [("c:@F@f", "h1", "v", b"one"),
                                                 ("c:@F@h", "h2", "v", b"h")], extra_table=True)
    run(base[:2] + ["merge-stores", "s1.sqlite", "s2.sqlite", "-o", "all.sqlite"], proj,
        expect_rc=0)
    con = sqlite3.connect(os.path.join(proj, "all.sqlite"))
    usrs = [r[0] for r in con.execute("SELECT usr FROM summaries ORDER BY usr")]
    notes = list(con.execute("SELECT * FROM notes"))
    con.close()
    must(usrs == ["c:@F@f", "c:@F@g", "c:@F@h"], "merged USRs: %r" % usrs)
    must(notes == [("c:@F@f", "only here")], "the table only one store has: %r" % notes)
    con = sqlite3.connect(os.path.join(proj, "bad.sqlite"))
    con.execute("CREATE TABLE summaries(usr TEXT PRIMARY KEY, data BLOB)")
    con.commit()
    con.close()
    r = run(base[:2] + ["merge-stores", "s1.sqlite", "bad.sqlite", "-o", "x.sqlite"], proj,
            expect_rc=2)
    must("table summaries has columns" in r.err, "mismatched table message", r)
    write(os.path.join(proj, "junk.sqlite"), "not a database at all, just text\n" * 10)
    r = run(base[:2] + ["merge-stores", "s1.sqlite", "junk.sqlite", "-o", "x.sqlite"], proj,
            expect_rc=2)

    step("two-stage pipeline: summaries in shards, their stores merged, checks with the store")
    for k in (1, 2):
        run(base + ["--phase", "summaries", "--shard", "%d/2" % k, "-o", "sum%d" % k], proj,
            expect_rc=0)
        must(os.path.isfile(os.path.join(proj, "sum%d/summaries.sqlite" % k)), "no shard store")
    run(base[:2] + ["merge", "sum1", "sum2", "-o", "stage1"], proj, expect_rc=0)
    store = os.path.join(proj, "stage1/summaries.sqlite")
    must(os.path.isfile(store), "the merge wrote no store")
    outs = []
    for k in (1, 2):
        run(base + ["--phase", "check", "--summary-store", store, "--shard", "%d/2" % k,
                    "-o", "chk%d" % k], proj)
        outs.append("chk%d" % k)
    run(base[:2] + ["merge"] + outs + ["-o", "stage2"], proj, expect_rc=1)
    r = run(base + ["--phase", "check", "-o", "x"], proj, expect_rc=2)
    must("--summary-store" in r.err, "--phase check without a store", r)
    r = run(base + ["--cross-file", "-o", "xf"], proj, expect_rc=1)
    must(os.path.isfile(os.path.join(proj, "xf/summaries.sqlite")), "--cross-file wrote no store")
    return findings(os.path.join(proj, "stage2"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--audit", required=True)
    ap.add_argument("--drain-tidy", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--check", default="drain-discarded-io-result")
    a = ap.parse_args()
    if os.path.exists(a.work):
        shutil.rmtree(a.work)
    proj = os.path.join(a.work, "proj")
    make_project(proj)
    base = [sys.executable, os.path.abspath(a.audit), "-p", proj, "--drain-tidy",
            os.path.abspath(a.drain_tidy), "-j", "2", "--root", proj, "--checks=-*," + a.check]

    step("one run, no cache: the reference")
    r = run(base + ["--no-cache", "-o", "single"], proj)
    single = findings(os.path.join(proj, "single"))
    paths = sorted(x["location"]["path"] for x in single["findings"])
    must(paths == ["include/net.h", "src/e.c"], "expected a finding in net.h and e.c: %r" % paths, r)
    check_shards(base, proj, a.work, r.rc, single)
    check_cache(base, proj, single)
    check_tool_facts(base, proj, a.work, a.drain_tidy)
    staged = check_stores(base, proj)
    must(fingerprints(staged) == fingerprints(single), "the two-stage run's findings differ")
    print("ok: shards, cache and summary stores")


if __name__ == "__main__":
    main()
