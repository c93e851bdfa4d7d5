"""What drain-tidy answers about itself and about a directory, kept between runs.

Every run asks drain-tidy for its version (`--version`), the checks it will run
(`--list-checks`) and, once per source directory, the configuration it applies there
(`--dump-config`), and hashes the drain-tidy binary for the cache key. Each answer costs a
drain-tidy start-up or a read of the whole binary; in a run served from the result cache those
start-ups are most of what is left. So the answers are kept in the cache directory, next to the
result entries, under a key over everything the answer depends on:

- the drain-tidy binary's identity: its real path, size, inode, modification and change times
  (a rebuilt, replaced or touched binary is asked again; as ccache's inode cache trusts them);
- the question's arguments (`--checks`, the content of `--config-file`);
- for a directory's configuration, every `.clang-tidy` from that directory up to the root of
  the file system, present or not, with its content hash: these are the files drain-tidy merges.

The store is one file with the result cache's framing (magic, version, checksum, length): a
truncated, damaged or other-version file is ignored and rewritten, never trusted. It keeps the
answers used most recently, at most MAX_FACTS. With --no-cache the answers are kept only for
the run.
"""
import hashlib
import json
import os
import threading
import time
from typing import Callable, Dict, List, Optional

from . import cache as C

FILE_NAME = "tool-facts"
MAGIC = "drain-audit-facts"
MAX_FACTS = 4096


def binary_identity(path: str) -> List:
    real = os.path.realpath(path)
    try:
        st = os.stat(real)
    except OSError:
        return [real, "missing"]
    return [real, st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns]


def config_chain(directory: str) -> List[List[str]]:
    """Every `.clang-tidy` from DIRECTORY up to `/`, each with its content hash ("" if absent)."""
    chain = []
    d = os.path.abspath(directory)
    while True:
        p = os.path.join(d, ".clang-tidy")
        chain.append([p, _content_hash(p)])
        parent = os.path.dirname(d)
        if parent == d:
            return chain
        d = parent


def _content_hash(path: str) -> str:
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return ""


class ToolFacts:
    """Answers of one drain-tidy binary, asked once and kept in DIRECTORY (None: this run only)."""

    def __init__(self, directory: Optional[str], tidy: str,
                 warn: Callable[[str], None] = lambda _msg: None) -> None:
        self.path = os.path.join(directory, FILE_NAME) if directory else None
        self.identity = binary_identity(tidy)
        self.asked = 0          # answers drain-tidy had to give in this run
        self._facts: Dict[str, List] = {}   # key -> [answer, last used]
        self._dirty = False
        self._lock = threading.Lock()
        self._pending: Dict[str, threading.Lock] = {}
        if self.path:
            self._load(warn)

    def _load(self, warn: Callable[[str], None]) -> None:
        try:
            with open(self.path, "rb") as f:
                raw = f.read()
        except OSError:
            return
        payload, why = C.decode(raw, MAGIC)
        facts = payload.get("facts") if isinstance(payload, dict) else None
        if not isinstance(facts, dict) or not all(
                isinstance(v, list) and len(v) == 2 for v in facts.values()):
            warn("ignoring %s (%s); asking drain-tidy again" % (self.path, why or "damaged payload"))
            self._dirty = True
            return
        self._facts = facts

    def ask(self, question: List, answer: Callable[[], str]) -> str:
        """The answer to QUESTION (a JSON-able list) for this binary: kept, or ANSWER()."""
        key = hashlib.sha256(json.dumps([self.identity, question]).encode("utf-8")).hexdigest()
        with self._lock:
            gate = self._pending.setdefault(key, threading.Lock())
        with gate:  # two threads asking the same question start drain-tidy once
            with self._lock:
                if key in self._facts:
                    self._facts[key][1] = int(time.time())
                    self._dirty = True
                    return self._facts[key][0]
            value = answer()  # may raise: a failed answer is never kept
            with self._lock:
                self._facts[key] = [value, int(time.time())]
                self._dirty = True
                self.asked += 1
            return value

    def save(self) -> None:
        """Writes the answers back (the most recently used MAX_FACTS); never fails the run."""
        if not self.path or not self._dirty:
            return
        with self._lock:
            kept = dict(sorted(self._facts.items(), key=lambda kv: -kv[1][1])[:MAX_FACTS])
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            tmp = "%s.%d.%d.tmp" % (self.path, os.getpid(), threading.get_ident())
            with open(tmp, "wb") as f:
                f.write(C.encode({"facts": kept}, MAGIC))
            os.replace(tmp, self.path)
        except OSError:
            pass
