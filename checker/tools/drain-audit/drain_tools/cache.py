"""The result cache: a TU whose inputs did not change is not analysed again.

A TU's entry is found by a key over everything but the sources: drain's version (the
drain-tidy binary's hash), the TU's compile commands, the effective check configuration for its
directory (`drain-tidy --dump-config`), the audit's options that reach drain-tidy and the
summary store's content. The entry then lists every file the TU read (the source and each
header, as drain-tidy's preprocessor reported them while it analysed the TU) with its content
hash: the entry is used only if every one of them still hashes the same. So a changed header
re-analyses exactly the TUs that include it, and a re-run costs a hash of each file once.

An entry is a header line, `drain-audit-cache <version> <sha256 of the payload> <bytes>`, then
a JSON payload naming its key and TU. A truncated, damaged, foreign (another key or TU) or
other-version entry is ignored and rewritten, never trusted.

drain-tidy's answers that the key needs (its version, each directory's configuration) are kept
between runs by facts.py, so a re-run served from here starts drain-tidy not once.

Limit (as ccache's direct mode): a new header that would shadow an included one earlier on the
include path is not seen; `--no-cache` after adding headers to include directories, or a
changed compile command, avoids it.
"""
import hashlib
import json
import os
import re
import threading
from typing import Any, Callable, Dict, List, Optional, Tuple

from .model import TuResult

MAGIC = "drain-audit-cache"
VERSION = 1
# drain-tidy's preprocessor writes the header listing here (clang -H, system headers too).
HEADER_LIST_ARGS = ["-Xclang", "-H", "-Xclang", "-sys-header-deps", "-Xclang",
                    "-header-include-file", "-Xclang"]
_LISTING_LINE = re.compile(r"^\.+ \S.*$\n?", re.M)
_DEPTH_PREFIX = re.compile(r"^\.+ ")


def default_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "drain")


def header_list_args(path: str) -> List[str]:
    """--extra-arg values that make drain-tidy list the headers a TU reads into PATH."""
    return HEADER_LIST_ARGS + [path]


def strip_listing(output: str) -> str:
    """drain-tidy's output without the header listing that -H also prints."""
    return _LISTING_LINE.sub("", output)


def read_listing(path: str, directory: str) -> Optional[List[str]]:
    """The headers in a listing (absolute, first-seen order), or None if there is none."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return None
    seen: Dict[str, None] = {}
    for line in text.splitlines():
        # `-H` prefixes a header with its depth in dots and a space ("... /usr/include/x.h");
        # the path itself may start with a dot ("./net.h" beside a TU named "net.c").
        name = _DEPTH_PREFIX.sub("", line, count=1).strip()
        if name:
            seen.setdefault(os.path.normpath(os.path.join(directory, name)), None)
    return list(seen)


class FileHashes:
    """Each file hashed once per run, whichever TU asks first."""

    def __init__(self) -> None:
        self._memo: Dict[str, str] = {}
        self._lock = threading.Lock()

    def __call__(self, path: str) -> str:
        with self._lock:
            if path in self._memo:
                return self._memo[path]
        try:
            h = hashlib.sha256()
            with open(path, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    h.update(chunk)
            digest = h.hexdigest()
        except OSError:
            digest = "missing"
        with self._lock:
            self._memo[path] = digest
        return digest


def make_key(parts: Dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def encode(payload: Dict[str, Any], magic: str = MAGIC) -> bytes:
    body = json.dumps(payload, sort_keys=True).encode("utf-8")
    head = "%s %d %s %d\n" % (magic, VERSION, hashlib.sha256(body).hexdigest(), len(body))
    return head.encode("ascii") + body


def decode(raw: bytes, magic: str = MAGIC) -> Tuple[Optional[Dict[str, Any]], str]:
    """(payload, "") or (None, why the entry cannot be trusted)."""
    head, sep, body = raw.partition(b"\n")
    fields = head.decode("ascii", "replace").split(" ")
    if not sep or len(fields) != 4 or fields[0] != magic:
        return None, "not a drain cache entry"
    if fields[1] != str(VERSION):
        return None, "cache format version %s" % fields[1]
    if not fields[3].isdigit() or int(fields[3]) != len(body):
        return None, "truncated"
    if hashlib.sha256(body).hexdigest() != fields[2]:
        return None, "checksum mismatch"
    try:
        return json.loads(body.decode("utf-8")), ""
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None, "damaged payload"


class ResultCache:
    """Entries under DIR/<2 hex>/<key>; counts hits, and reports entries it could not trust."""

    def __init__(self, directory: str, hashes: FileHashes,
                 warn: Callable[[str], None]) -> None:
        self.directory = directory
        self.hashes = hashes
        self.warn = warn
        self.hits = 0
        self._lock = threading.Lock()

    def path(self, key: str) -> str:
        return os.path.join(self.directory, key[:2], key)

    def _read(self, key: str) -> Optional[bytes]:
        try:
            with open(self.path(key), "rb") as f:
                return f.read()
        except OSError:
            return None

    def lookup(self, key: str, tu: str) -> Optional[TuResult]:
        raw = self._read(key)
        if raw is None:
            return None
        payload, why = decode(raw)
        if payload is not None and (payload.get("key") != key or payload.get("tu") != tu):
            payload, why = None, "an entry of another translation unit"
        if payload is None:
            self.warn("ignoring the cache entry of %s (%s); analysing it again" % (tu, why))
            return None
        if any(self.hashes(p) != h for p, h in payload.get("inputs", [])):
            return None  # a source or header changed
        res = TuResult.from_raw(payload["result"])
        res.cached, res.seconds = True, 0.0
        with self._lock:
            self.hits += 1
        return res

    def save(self, key: str, tu: str, result: TuResult, inputs: List[str]) -> None:
        """Keeps RESULT unless it depends on the moment (a crash, a timeout)."""
        if result.error and result.error.kind != "does not compile":
            return
        payload = {"key": key, "tu": tu, "result": result.to_raw(),
                   "inputs": [[p, self.hashes(p)] for p in inputs]}
        path = self.path(key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = "%s.%d.%d.tmp" % (path, os.getpid(), threading.get_ident())
        with open(tmp, "wb") as f:
            f.write(encode(payload))
        os.replace(tmp, path)
