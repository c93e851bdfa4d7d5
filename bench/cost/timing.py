"""Runs a command under /usr/bin/time several times and keeps the medians. Shared by
bench/cost/run.py and bench/scaling/run.py."""
import os
import statistics
import subprocess
import tempfile


def measure(cmd, reps, cwd=None, ok_codes=(0, 1)):
    """Returns (median wall s, median cpu s (user+sys), median peak RSS KiB, exit code, output)
    of `reps` runs of cmd (a list). Raises if an exit code is not in ok_codes."""
    walls, cpus, rsss = [], [], []
    out = ""
    rc = 0
    for _ in range(reps):
        with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
            p = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", tf.name] + cmd,
                               cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, errors="replace")
            rc, out = p.returncode, p.stdout
            if rc not in ok_codes:
                raise RuntimeError(f"exit {rc}: {' '.join(cmd)}\n{out[-3000:]}")
            last = [l for l in open(tf.name).read().splitlines() if l.strip()][-1].split()
            wall, usr, sys_, rss = float(last[0]), float(last[1]), float(last[2]), int(last[3])
            walls.append(wall)
            cpus.append(usr + sys_)
            rsss.append(rss)
    return (statistics.median(walls), statistics.median(cpus), int(statistics.median(rsss)),
            rc, out)


def loadavg():
    return os.getloadavg()[0]
