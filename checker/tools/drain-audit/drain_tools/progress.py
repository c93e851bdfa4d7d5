"""Progress on stderr: a bar with counts on a terminal, one plain line per TU otherwise (CI
logs), nothing with -q. Cache hits are counted and marked."""
import shutil
import threading
import time
from typing import Optional, TextIO

from .model import TuResult, display_path


class Progress:
    """A bar with counts on a TTY; one plain line per TU otherwise."""

    def __init__(self, total: int, stream: TextIO, enabled: bool, tty: bool,
                 count_cached: bool = False) -> None:
        self.total, self.stream, self.enabled, self.tty = total, stream, enabled, tty
        self.count_cached = count_cached
        self.done = self.findings = self.errors = self.cached = 0
        self.lock = threading.Lock()
        self.start = time.monotonic()

    def update(self, result: TuResult, root: Optional[str]) -> None:
        with self.lock:
            self.done += 1
            self.findings += len(result.findings)
            self.errors += 1 if result.error else 0
            self.cached += 1 if result.cached else 0
            if not self.enabled:
                return
            name = display_path(result.tu, root)
            if self.tty:
                self._bar(name)
            else:
                self._line(name, result)
            self.stream.flush()

    def _bar(self, name: str) -> None:
        width = 28
        fill = int(width * self.done / max(self.total, 1))
        cached = ("  %d cached" % self.cached) if self.count_cached else ""
        line = "\r[%s%s] %d/%d TUs  %d findings  %d errors%s  %.0fs  %s" % (
            "#" * fill, "." * (width - fill), self.done, self.total, self.findings,
            self.errors, cached, time.monotonic() - self.start, name[-40:])
        cols = shutil.get_terminal_size((100, 20)).columns
        self.stream.write(line[:cols - 1].ljust(cols - 1))
        if self.done == self.total:
            self.stream.write("\n")

    def _line(self, name: str, r: TuResult) -> None:
        n = len(r.findings)
        status = ("ERROR (%s)" % r.error.kind) if r.error else \
            ("%d finding%s" % (n, "" if n == 1 else "s"))
        when = "cached" if r.cached else "%.1f s" % r.seconds
        self.stream.write("[%d/%d] %s: %s (%s)\n" % (self.done, self.total, name, status, when))
