"""Runs a command several times and keeps the medians of its wall time, CPU time and peak
memory, read from the kernel's rusage of the child (wait4): CPU time to the microsecond, where
/usr/bin/time prints hundredths. Shared by bench/cost/run.py and bench/scaling/run.py."""
import os
import statistics
import subprocess
import time


def measure(cmd, reps, cwd=None, ok_codes=(0, 1)):
    """Returns (median wall s, median cpu s (user+sys), median peak RSS KiB, exit code, output)
    of `reps` runs of cmd (a list). Raises if an exit code is not in ok_codes."""
    walls, cpus, rsss = [], [], []
    out = ""
    rc = 0
    for _ in range(reps):
        start = time.monotonic()
        p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True, errors="replace")
        out = p.stdout.read()
        p.stdout.close()
        _, status, ru = os.wait4(p.pid, 0)  # this child's own rusage
        p.returncode = rc = os.waitstatus_to_exitcode(status)
        walls.append(time.monotonic() - start)
        if rc not in ok_codes:
            raise RuntimeError(f"exit {rc}: {' '.join(cmd)}\n{out[-3000:]}")
        cpus.append(ru.ru_utime + ru.ru_stime)
        rsss.append(ru.ru_maxrss)  # KiB on Linux
    return (statistics.median(walls), statistics.median(cpus), int(statistics.median(rsss)),
            rc, out)


def loadavg():
    return os.getloadavg()[0]


def built_from(tidy, root):
    """The commit a drain-tidy was built from: exact for the builds under drain-builds/<sha>/
    (bench/build.sh's, or a clean build of that commit copied there)."""
    parts = os.path.realpath(tidy).split(os.sep)
    if "drain-builds" in parts:
        return parts[parts.index("drain-builds") + 1] + " (a build of that commit under drain-builds/)"
    rev = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True).stdout.strip()
    return f"work tree at {rev} (may include uncommitted changes)"
