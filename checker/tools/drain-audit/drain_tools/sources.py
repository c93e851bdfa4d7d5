"""Source text for reports: each file read once, byte offsets turned into 1-based lines and
columns, and the lines around a finding for its excerpt."""
import bisect
import re
from typing import Dict, List, Optional, Tuple

from .model import Location


class SourceCache:
    """Reads each file once; converts byte offsets to 1-based line/column."""

    def __init__(self) -> None:
        self._files: Dict[str, Tuple[Optional[bytes], Optional[List[int]]]] = {}

    def data(self, path: str) -> Tuple[Optional[bytes], Optional[List[int]]]:
        if path not in self._files:
            try:
                with open(path, "rb") as f:
                    raw: Optional[bytes] = f.read()
            except OSError:
                raw = None
            starts = None
            if raw is not None:
                starts = [0] + [m.end() for m in re.finditer(b"\n", raw)]
            self._files[path] = (raw, starts)
        return self._files[path]

    def locate(self, loc: Location) -> None:
        raw, starts = self.data(loc.path)
        if raw is None or starts is None:
            return
        i = bisect.bisect_right(starts, loc.offset) - 1
        loc.line = i + 1
        loc.col = loc.offset - starts[i] + 1
        loc.char_col = len(raw[starts[i]:loc.offset].decode("utf-8", "replace")) + 1

    def lines(self, path: str, first: int, last: int) -> List[Tuple[int, str]]:
        """Lines first..last (1-based, inclusive) as text, clamped to the file."""
        raw, starts = self.data(path)
        if raw is None or starts is None:
            return []
        out = []
        for n in range(max(1, first), min(len(starts), last) + 1):
            end = starts[n] if n < len(starts) else len(raw)
            out.append((n, raw[starts[n - 1]:end].decode("utf-8", "replace").rstrip("\r\n")))
        return out

    def line_text(self, path: str, line: int) -> str:
        got = self.lines(path, line, line)
        return got[0][1] if got else ""
