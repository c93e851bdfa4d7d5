"""drain-tidy: finding it, asking it which checks are on and which configuration a file gets,
and running it on one translation unit without ever stopping the run (a TU that does not
compile, crashes drain-tidy or runs past its time limit becomes a TuError)."""
import functools
import hashlib
import os
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from . import exportfixes
from .facts import ToolFacts, config_chain
from .model import Finding, ToolError, TuError, TuResult
from .paths import prefix_dir


@dataclass
class TidyOptions:
    """How every TU of a run is analysed."""
    tidy: str
    db_dir: str
    checks: str
    timeout: int
    header_filter: Optional[str] = None
    config_file: Optional[str] = None
    extra_args: List[str] = field(default_factory=list)
    # Extra CheckOptions for this phase (the summary store); written into a config file.
    check_options: List[Tuple[str, str]] = field(default_factory=list)


def find_drain_tidy(explicit: Optional[str]) -> str:
    if explicit:
        if not (os.path.isfile(explicit) and os.access(explicit, os.X_OK)):
            raise ToolError("drain-tidy not found or not executable: %s" % explicit)
        return explicit
    cands = [os.environ.get("DRAIN_TIDY"), os.path.join(prefix_dir(), "bin", "drain-tidy"),
             shutil.which("drain-tidy")]
    for c in cands:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    raise ToolError("drain-tidy not found (looked next to drain-audit and on PATH); "
                    "pass --drain-tidy PATH")


def list_checks(tidy: str, checks: str, config_file: Optional[str],
                facts: Optional[ToolFacts] = None) -> List[str]:
    """The checks drain-tidy runs with these options (`--list-checks`)."""
    def answer() -> str:
        cmd = [tidy, "--checks=" + checks, "--list-checks"]
        if config_file:
            cmd.append("--config-file=" + config_file)
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True, timeout=120)
        names = [l.strip() for l in r.stdout.splitlines() if l.startswith("    ") and l.strip()]
        if r.returncode != 0 or not names:
            raise ToolError("no check enabled by --checks=%s (%s)"
                            % (checks, r.stdout.strip()[-300:]))
        return "\n".join(names)
    question = ["list-checks", checks, config_hash(config_file)]
    return (facts.ask(question, answer) if facts else answer()).split("\n")


def config_hash(config_file: Optional[str]) -> str:
    """The content hash of --config-file ("" without one; "missing" if it cannot be read)."""
    if not config_file:
        return ""
    try:
        return file_hash(config_file)
    except OSError:
        return "missing"


@functools.lru_cache(maxsize=None)
def version_output(tidy: str) -> str:
    """drain-tidy --version: drain's version and the LLVM it runs on."""
    try:
        return subprocess.run([tidy, "--version"], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, universal_newlines=True,
                              timeout=60).stdout
    except OSError:
        return ""


def tool_version(tidy: str, facts: Optional[ToolFacts] = None) -> str:
    """drain's version as drain-tidy reports it ("unknown" if it does not say)."""
    out = facts.ask(["version"], lambda: version_output(tidy)) if facts else version_output(tidy)
    if not out:
        return "unknown"
    m = re.search(r"^drain (\S+).*$", out, re.M)
    return m.group(1) if m else out.strip().splitlines()[-1] if out.strip() else "unknown"


def binary_hash(tidy: str, facts: Optional[ToolFacts] = None) -> str:
    """The drain-tidy binary's content hash (kept with its identity between runs)."""
    return facts.ask(["sha256"], lambda: file_hash(tidy)) if facts else file_hash(tidy)


def file_hash(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def effective_config(opts: TidyOptions, path: str, facts: Optional[ToolFacts] = None) -> str:
    """The configuration drain-tidy applies to PATH (its .clang-tidy files, --config-file and
    --checks merged): `drain-tidy --dump-config`. It depends on PATH's directory only."""
    def answer() -> str:
        cmd = [opts.tidy, "--checks=" + opts.checks, "--dump-config"]
        if opts.config_file:
            cmd.append("--config-file=" + opts.config_file)
        try:
            r = subprocess.run(cmd + [path], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               universal_newlines=True, timeout=min(opts.timeout, 120))
        except (OSError, subprocess.TimeoutExpired) as e:
            raise ToolError("drain-tidy --dump-config %s failed: %s" % (path, e))
        if r.returncode != 0:
            raise ToolError("drain-tidy --dump-config %s failed (exit %d)" % (path, r.returncode))
        return r.stdout
    if not facts:
        return answer()
    directory = os.path.dirname(os.path.abspath(path))
    return facts.ask(["dump-config", opts.checks, config_hash(opts.config_file), directory,
                      config_chain(directory)], answer)


def tidy_command(opts: TidyOptions, tu: str, export: str, extra: List[str]) -> List[str]:
    cmd = [opts.tidy, "-p", opts.db_dir, tu, "--checks=" + opts.checks, "--quiet",
           "--export-fixes=" + export]
    if opts.header_filter:
        cmd.append("--header-filter=" + opts.header_filter)
    if opts.config_file:
        cmd.append("--config-file=" + opts.config_file)
    for a in opts.extra_args + extra:
        cmd.append("--extra-arg=" + a)
    return cmd


def _execute(cmd: List[str], timeout: int, res: TuResult) -> Optional[Tuple[int, str]]:
    """(exit code, output), or None with res.error set (a timeout, a process that did not
    start)."""
    t0 = time.monotonic()
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, universal_newlines=True,
                                errors="replace", start_new_session=True)
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, _ = proc.communicate()
            res.error = TuError(res.tu, "timeout", "no result within %d s (--timeout)" % timeout,
                                out[-4000:])
            return None
    except OSError as e:
        res.error = TuError(res.tu, "tool error", str(e), "")
        return None
    finally:
        res.seconds = time.monotonic() - t0
    return proc.returncode, out


def _crash_message(rc: int) -> str:
    sig = -rc if rc < 0 else rc - 128 if rc > 128 else None
    return "drain-tidy crashed" + (" (signal %s)" % signal.Signals(sig).name
                                   if sig and sig in signal.Signals._value2member_map_ else
                                   " (exit %d)" % rc)


def classify(tu: str, rc: int, out: str, compile_errors: list) -> Optional[TuError]:
    """What went wrong with a finished drain-tidy, if anything."""
    tail = "\n".join(out.strip().splitlines()[-25:])
    if rc < 0 or rc > 1:
        return TuError(tu, "crash", _crash_message(rc), tail)
    if compile_errors:
        _, msg = compile_errors[0]
        return TuError(tu, "does not compile", "%s (%d compiler error%s)" % (
            msg, len(compile_errors), "" if len(compile_errors) == 1 else "s"), tail)
    if rc == 1 and "treated as errors" not in out:
        return TuError(tu, "tool error", (tail.splitlines() or ["drain-tidy exited with 1"])[-1],
                       tail)
    if "Error while processing" in out:
        return TuError(tu, "tool error", "Error while processing", tail)
    return None


def run_one(opts: TidyOptions, tu: str, export: str, extra: List[str],
            output_filter=None) -> TuResult:
    """drain-tidy on one TU; EXTRA are more --extra-arg values (the header listing).
    OUTPUT_FILTER drops lines of drain-tidy's output that those extra arguments add."""
    cmd = tidy_command(opts, tu, export, extra)
    res = TuResult(tu, cmd=cmd)
    done = _execute(cmd, opts.timeout, res)
    if done is None:
        return res
    rc, out = done
    if output_filter:
        out = output_filter(out)
    found: List[Finding] = []
    compile_errors: list = []
    if os.path.exists(export):
        try:
            found, compile_errors = exportfixes.load_export_fixes(export, tu)
        except ValueError as e:
            res.error = TuError(tu, "tool error", str(e),
                                "\n".join(out.strip().splitlines()[-25:]))
            return res
    res.findings = found
    res.error = classify(tu, rc, out, compile_errors)
    return res
