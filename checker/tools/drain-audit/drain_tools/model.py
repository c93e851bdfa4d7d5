"""The data drain's tools pass around: findings with their notes, the errors that make a
translation unit unanalysable, one TU's result, and a run's numbers.

A finding is one clang-tidy diagnostic (a drain check's warning) with its notes, which tell
the path ("data written here", "flush result discarded here", "connection shut down here").
"""
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

EXIT_CLEAN, EXIT_FINDINGS, EXIT_TOOL_ERROR = 0, 1, 2


class ToolError(Exception):
    """A problem that makes the whole run meaningless: reported, exit 2."""


def display_path(path: str, root: Optional[str]) -> str:
    """The path relative to the root when it is under it, else as given."""
    if root:
        try:
            rel = os.path.relpath(path, root)
            if not rel.startswith(".." + os.sep) and rel != "..":
                return rel
        except ValueError:
            pass
    return path


def rebase(path: str, old_root: Optional[str], new_root: Optional[str]) -> str:
    """A path under old_root moved under new_root (a shard analysed in another checkout)."""
    if not old_root or not new_root or old_root == new_root:
        return path
    rel = display_path(path, old_root)
    return os.path.join(new_root, rel) if rel != path else path


@dataclass
class Location:
    """A place in a file: a byte offset (from clang-tidy), and once located, line and column
    (bytes, 1-based) and the column in Unicode code points (SARIF's columnKind)."""
    path: str
    offset: int
    message: str = ""
    line: int = 0
    col: int = 0
    char_col: int = 0

    def to_json(self, root: Optional[str]) -> Dict[str, Any]:
        return {"path": display_path(self.path, root), "line": self.line, "column": self.col,
                "message": self.message}

    def to_raw(self) -> Dict[str, Any]:
        return {"path": self.path, "offset": self.offset, "message": self.message}

    @staticmethod
    def from_raw(d: Dict[str, Any], old_root: Optional[str] = None,
                 new_root: Optional[str] = None) -> "Location":
        return Location(rebase(str(d["path"]), old_root, new_root), int(d["offset"]),
                        str(d.get("message", "")))


@dataclass
class Finding:
    check: str
    level: str  # "warning" or "error"
    message: str
    loc: Location
    notes: List[Location]
    tus: List[str]
    fingerprint: str = ""
    baselined: bool = False

    def key(self) -> Tuple[str, str, int, str]:
        """Equal for the same diagnostic seen through two TUs (a header's finding)."""
        return (self.check, self.loc.path, self.loc.offset, self.message)

    def to_json(self, root: Optional[str]) -> Dict[str, Any]:
        return {"check": self.check, "level": self.level, "message": self.message,
                "location": self.loc.to_json(root),
                "notes": [n.to_json(root) for n in self.notes],
                "fingerprint": self.fingerprint, "baselined": self.baselined,
                "translation_units": [display_path(t, root) for t in self.tus]}

    def to_raw(self) -> Dict[str, Any]:
        """What a cache entry or a shard keeps: the finding as drain-tidy reported it."""
        return {"check": self.check, "level": self.level, "message": self.message,
                "location": self.loc.to_raw(), "notes": [n.to_raw() for n in self.notes]}

    @staticmethod
    def from_raw(d: Dict[str, Any], tu: str, old_root: Optional[str] = None,
                 new_root: Optional[str] = None) -> "Finding":
        return Finding(str(d["check"]), str(d["level"]), str(d["message"]),
                       Location.from_raw(d["location"], old_root, new_root),
                       [Location.from_raw(n, old_root, new_root) for n in d.get("notes", [])],
                       [tu])


@dataclass
class TuError:
    """Why a translation unit could not be analysed (never counted as clean)."""
    tu: str
    kind: str  # "does not compile", "crash", "timeout", "tool error", "not in the compile database"
    message: str
    detail: str = ""

    def to_raw(self) -> Dict[str, Any]:
        return {"tu": self.tu, "kind": self.kind, "message": self.message, "detail": self.detail}

    @staticmethod
    def from_raw(d: Dict[str, Any], old_root: Optional[str] = None,
                 new_root: Optional[str] = None) -> "TuError":
        return TuError(rebase(str(d["tu"]), old_root, new_root), str(d["kind"]),
                       str(d["message"]), str(d.get("detail", "")))


@dataclass
class TuResult:
    """One translation unit's outcome: its findings, or the error that stopped it."""
    tu: str
    findings: List[Finding] = field(default_factory=list)
    error: Optional[TuError] = None
    seconds: float = 0.0
    cached: bool = False
    cmd: List[str] = field(default_factory=list)

    def to_raw(self) -> Dict[str, Any]:
        return {"tu": self.tu, "findings": [f.to_raw() for f in self.findings],
                "error": self.error.to_raw() if self.error else None,
                "seconds": round(self.seconds, 3), "cached": self.cached}

    @staticmethod
    def from_raw(d: Dict[str, Any], old_root: Optional[str] = None,
                 new_root: Optional[str] = None) -> "TuResult":
        tu = rebase(str(d["tu"]), old_root, new_root)
        err = d.get("error")
        return TuResult(tu, [Finding.from_raw(f, tu, old_root, new_root) for f in d["findings"]],
                        TuError.from_raw(err, old_root, new_root) if err else None,
                        float(d.get("seconds", 0.0)), bool(d.get("cached", False)))


@dataclass
class RunStats:
    """The numbers the summary, the HTML header and findings.json show."""
    tus: int
    seconds: float
    jobs: int
    started: float
    tool: str
    cached: Optional[int] = None  # None: the cache was off
