"""Shards: the K-th of N deterministic slices of the translation units, for a CI job matrix,
and the manifest each shard writes so that `drain audit merge` can check it has every shard
exactly once and rebuild the single run's reports.

The slicing depends only on the database and the sources: TUs ordered by size (largest first;
ties by path relative to the database's directory), each given to the shard with the least
work so far (ties: the lowest K). The same checkout gives the same slices on every machine.
"""
import hashlib
import json
import os
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

from .model import ToolError

MANIFEST = "drain-shard.json"
MANIFEST_FORMAT = "drain-audit-shard"
MANIFEST_VERSION = 1


@dataclass(frozen=True)
class ShardSpec:
    k: int  # 1-based
    n: int

    def __str__(self) -> str:
        return "%d/%d" % (self.k, self.n)


def parse_shard(text: str) -> ShardSpec:
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text or "")
    if not m:
        raise ValueError("--shard takes K/N (1-based), e.g. 2/4; got %r" % text)
    k, n = int(m.group(1)), int(m.group(2))
    if n < 1 or not 1 <= k <= n:
        raise ValueError("--shard %s: K must be between 1 and N" % text)
    return ShardSpec(k, n)


def tu_weight(tu: str) -> int:
    """A TU's share of the work: its source's size (a missing file weighs nothing)."""
    try:
        return os.path.getsize(tu)
    except OSError:
        return 0


def _relative(tu: str, db_dir: str) -> str:
    return os.path.relpath(tu, db_dir)


def partition(tus: List[str], n: int, db_dir: str) -> List[List[str]]:
    """N slices balanced by size (longest-first greedy); each slice keeps database order."""
    order = {t: i for i, t in enumerate(tus)}
    loads = [0] * n
    slices: List[List[str]] = [[] for _ in range(n)]
    for t in sorted(tus, key=lambda t: (-tu_weight(t), _relative(t, db_dir))):
        k = min(range(n), key=lambda i: (loads[i], i))
        slices[k].append(t)
        loads[k] += max(tu_weight(t), 1)
    return [sorted(s, key=order.__getitem__) for s in slices]


def selection_id(tus: List[str], db_dir: str) -> str:
    """The same for every shard of one database and selection, whatever the checkout path."""
    names = sorted(_relative(t, db_dir) for t in tus)
    return hashlib.sha256("\0".join(names).encode("utf-8")).hexdigest()[:32]


def write_manifest(out_dir: str, data: Dict[str, Any]) -> str:
    from .paths import write_file
    body = dict(data, format=MANIFEST_FORMAT, version=MANIFEST_VERSION)
    path = os.path.join(out_dir, MANIFEST)
    write_file(path, json.dumps(body, indent=1) + "\n")
    return path


def read_manifest(path: str) -> Dict[str, Any]:
    """A shard's manifest (PATH: the shard's output directory or the file itself)."""
    f = os.path.join(path, MANIFEST) if os.path.isdir(path) else path
    try:
        with open(f, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError:
        raise ToolError("%s: no shard here (no %s; was it written by drain audit --shard?)"
                        % (path, MANIFEST))
    except json.JSONDecodeError as e:
        raise ToolError("%s: a damaged shard manifest: %s" % (f, e))
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        raise ToolError("%s is not a drain audit shard manifest" % f)
    if data.get("version") != MANIFEST_VERSION:
        raise ToolError("%s: shard manifest version %r, this drain reads %d"
                        % (f, data.get("version"), MANIFEST_VERSION))
    data["_path"] = path
    return data


def _check_same_run(shards: List[Dict[str, Any]]) -> None:
    first = shards[0]
    for s in shards[1:]:
        for key, what in (("of", "shard counts"), ("selection", "databases or TU selections"),
                          ("phase", "phases"), ("tool", "drain versions")):
            if s.get(key) != first.get(key):
                raise ToolError("%s and %s come from different runs (different %s: %r, %r)"
                                % (first["_path"], s["_path"], what, first.get(key), s.get(key)))


def check_complete(shards: List[Dict[str, Any]]) -> Tuple[int, List[Dict[str, Any]]]:
    """Every shard 1..N exactly once, from one run, no TU twice or missing; else ToolError.
    Returns (N, the shards in order)."""
    if not shards:
        raise ToolError("no shard given")
    _check_same_run(shards)
    n = int(shards[0]["of"])
    by_k: Dict[int, Dict[str, Any]] = {}
    for s in shards:
        k = int(s["shard"])
        if k in by_k:
            raise ToolError("shard %d/%d given twice (%s and %s)" % (k, n, by_k[k]["_path"], s["_path"]))
        by_k[k] = s
    missing = [str(k) for k in range(1, n + 1) if k not in by_k]
    if missing:
        raise ToolError("shard%s %s of %d missing: a merge of fewer shards would be a silently "
                        "smaller report" % ("s" if len(missing) > 1 else "", ", ".join(missing), n))
    seen: Dict[str, int] = {}
    for k in sorted(by_k):
        for t in by_k[k]["tus"]:
            if t in seen:
                raise ToolError("%s is in shards %d and %d: the shards disagree on the slicing "
                                "(were the sources different?)" % (t, seen[t], k))
            seen[t] = k
    if len(seen) != int(shards[0]["total_tus"]):
        raise ToolError("the shards cover %d of %d translation units: they disagree on the "
                        "slicing (were the sources different?)" % (len(seen), shards[0]["total_tus"]))
    return n, [by_k[k] for k in sorted(by_k)]


def optional_spec(text: Optional[str]) -> Optional[ShardSpec]:
    return parse_shard(text) if text else None
