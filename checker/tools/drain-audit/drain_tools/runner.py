"""Running drain-tidy over many translation units: in parallel, through the result cache when
there is one, with the phase's extra CheckOptions (the summary store) merged into each
directory's effective configuration."""
import concurrent.futures
import dataclasses
import hashlib
import os
import threading
from typing import Dict, List, Optional

from . import cache as C
from .compiledb import arguments
from .model import ToolError, TuError, TuResult
from .facts import ToolFacts
from .progress import Progress
from .tidy import TidyOptions, effective_config, run_one

try:
    import yaml
except ImportError:  # pragma: no cover - the audit refuses to start without it
    yaml = None


def config_with_options(dumped: str, options: List) -> str:
    """A --dump-config configuration with more CheckOptions (either YAML form of them)."""
    doc = yaml.safe_load(dumped) or {}
    opts = doc.get("CheckOptions") or {}
    if isinstance(opts, list):
        opts = {o["key"]: o["value"] for o in opts if isinstance(o, dict) and "key" in o}
    for k, v in options:
        opts[k] = v
    doc["CheckOptions"] = opts
    return yaml.safe_dump(doc, sort_keys=True)


class DirConfigs:
    """The effective configuration of each directory, asked of drain-tidy once."""

    def __init__(self, opts: TidyOptions, facts: Optional[ToolFacts] = None) -> None:
        self.opts = opts
        self.facts = facts
        self._memo: Dict[str, str] = {}
        self._locks: Dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def __call__(self, tu: str) -> Optional[str]:
        """The configuration, or None if drain-tidy could not say (then the TU's own run
        reports what is wrong with drain-tidy)."""
        d = os.path.dirname(tu)
        with self._lock:
            lock = self._locks.setdefault(d, threading.Lock())
        with lock:
            if d not in self._memo:
                try:
                    self._memo[d] = effective_config(self.opts, tu, self.facts)
                except ToolError:
                    return None
            return self._memo[d]


@dataclasses.dataclass
class RunContext:
    opts: TidyOptions
    entries: Dict[str, List[dict]]       # TU -> its compile commands
    tmpdir: str
    cache: Optional[C.ResultCache] = None
    key_base: Optional[Dict] = None      # tool hash, options, store hash
    configs: Optional[DirConfigs] = None


def _key(ctx: RunContext, tu: str) -> Optional[str]:
    """The TU's cache key; None (not cached) when its configuration is unknown."""
    config = ctx.configs(tu)
    if config is None:
        return None
    cmds = [[e["directory"], arguments(e)] for e in ctx.entries.get(tu, [])]
    return C.make_key(dict(ctx.key_base or {}, tu=tu, commands=cmds, config=config))


def _options_for(ctx: RunContext, tu: str, idx: int) -> Optional[TidyOptions]:
    """The run's options; with phase CheckOptions, a config file for TU's directory (None
    if drain-tidy could not give the directory's configuration)."""
    if not ctx.opts.check_options:
        return ctx.opts
    config = ctx.configs(tu)
    if config is None:
        return None
    text = config_with_options(config, ctx.opts.check_options)
    path = os.path.join(ctx.tmpdir, "config-%s.yaml" % hashlib.sha256(
        text.encode("utf-8")).hexdigest()[:16])
    if not os.path.exists(path):
        tmp = "%s.%d.tmp" % (path, idx)
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    return dataclasses.replace(ctx.opts, config_file=path)


def run_tu(ctx: RunContext, tu: str, idx: int) -> TuResult:
    """One TU: from the cache if its entry holds, else drain-tidy (and a new entry)."""
    key = _key(ctx, tu) if ctx.cache else None
    if ctx.cache and key:
        hit = ctx.cache.lookup(key, tu)
        if hit:
            return hit
    export = os.path.join(ctx.tmpdir, "tu%05d.yaml" % idx)
    listing = os.path.join(ctx.tmpdir, "tu%05d.headers" % idx)
    extra = C.header_list_args(listing) if ctx.cache and key else []
    opts = _options_for(ctx, tu, idx)
    if opts is None:
        return TuResult(tu, error=TuError(tu, "tool error", "drain-tidy --dump-config failed "
                                          "for this file: its configuration is unknown"))
    res = run_one(opts, tu, export, extra, C.strip_listing if extra else None)
    if ctx.cache and key:
        first = (ctx.entries.get(tu) or [{"directory": os.path.dirname(tu)}])[0]
        headers = C.read_listing(listing, first["directory"])
        if headers is not None:
            ctx.cache.save(key, tu, res, [tu] + (headers or []))
    return res


def run_all(ctx: RunContext, tus: List[str], jobs: int, progress: Progress,
            root: Optional[str]) -> List[TuResult]:
    results: List[TuResult] = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futs = [pool.submit(run_tu, ctx, tu, i) for i, tu in enumerate(tus)]
        for fut in concurrent.futures.as_completed(futs):
            r = fut.result()
            results.append(r)
            progress.update(r, root)
    return results
