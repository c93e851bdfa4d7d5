"""The compile database: load and check it, pick the translation units to analyse, find the
project root, or record a database with bear."""
import collections
import json
import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from .model import ToolError

SOURCE_EXT = (".c", ".cc", ".cpp", ".cxx", ".c++", ".cp", ".C", ".m", ".mm")


@dataclass
class CompileDb:
    directory: str  # where compile_commands.json is (drain-tidy's -p)
    path: str       # compile_commands.json itself
    entries: List[dict]


def _db_candidates(p: Optional[str]) -> List[str]:
    if p:
        return [p] if p.endswith(".json") else [os.path.join(p, "compile_commands.json")]
    return [os.path.join(".", "compile_commands.json"),
            os.path.join("build", "compile_commands.json")]


def _read_json(path: str):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, UnicodeDecodeError) as e:
        raise ToolError("cannot read %s: %s" % (path, e))
    except json.JSONDecodeError as e:
        raise ToolError("%s is not valid JSON: %s" % (path, e))


def load_compile_db(p: Optional[str]) -> CompileDb:
    """The database at -p (or ./, ./build/), or a ToolError that says what is wrong."""
    candidates = _db_candidates(p)
    path = next((c for c in candidates if os.path.isfile(c)), None)
    if not path:
        raise ToolError("no compile database: %s not found (pass -p BUILD_DIR, or record one "
                        "with --record -- <build command>)" % " or ".join(candidates))
    db = _read_json(path)
    if not isinstance(db, list):
        raise ToolError("%s is not a compile database (expected a JSON array)" % path)
    for i, e in enumerate(db):
        if not isinstance(e, dict) or "file" not in e or "directory" not in e or \
                ("command" not in e and "arguments" not in e):
            raise ToolError("%s: entry %d lacks file/directory/command" % (path, i))
    if not db:
        raise ToolError("%s has no entries: nothing to analyse" % path)
    return CompileDb(os.path.dirname(os.path.abspath(path)), path, db)


def tu_path(entry: dict) -> str:
    p = entry["file"]
    if not os.path.isabs(p):
        p = os.path.join(entry["directory"], p)
    return os.path.normpath(p)


def arguments(entry: dict) -> List[str]:
    """The entry's compiler command as a list, whichever form the database uses."""
    if "arguments" in entry:
        return [str(a) for a in entry["arguments"]]
    return shlex.split(entry["command"])


def entries_by_tu(entries: List[dict]) -> Dict[str, List[dict]]:
    """Every entry of each file, in database order (a file compiled twice has two)."""
    by_file: Dict[str, List[dict]] = collections.OrderedDict()
    for e in entries:
        by_file.setdefault(tu_path(e), []).append(e)
    return by_file


def _choose_files(tus: List[str], files: List[str]) -> Tuple[List[str], List[str]]:
    # Match through symlinks: pre-commit passes paths relative to the work tree, a database
    # may name the same files through a symlinked checkout.
    known = set(tus)
    real = {os.path.realpath(t): t for t in tus}
    chosen, problems = [], []
    for f in files:
        w = os.path.normpath(os.path.abspath(f))
        t = w if w in known else real.get(os.path.realpath(w))
        if t:
            if t not in chosen:
                chosen.append(t)
        elif w.endswith(SOURCE_EXT):
            problems.append(w)
    return chosen, problems


def select_entries(entries: List[dict], files: List[str],
                   excludes: List[str]) -> Tuple[List[str], List[str]]:
    """(the TUs to analyse, the source files given that the database does not list)."""
    tus = list(entries_by_tu(entries))
    problems: List[str] = []
    if files:
        tus, problems = _choose_files(tus, files)
    for x in excludes:
        rx = re.compile(x)
        tus = [t for t in tus if not rx.search(t)]
    return tus, problems


def git_root(path: str) -> Optional[str]:
    try:
        out = subprocess.run(["git", "-C", path, "rev-parse", "--show-toplevel"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             universal_newlines=True, timeout=20)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        pass
    return None


def default_root(tus: List[str], db_dir: str) -> str:
    """The git top level; else the database's directory if every TU is under it (an in-source
    or bear-recorded database); else the TUs' common directory."""
    if not tus:
        return db_dir
    g = git_root(os.path.dirname(tus[0]))
    if g:
        return g
    if all(t.startswith(db_dir.rstrip("/") + "/") for t in tus):
        return db_dir
    return os.path.commonpath([os.path.dirname(t) for t in tus])


def record_with_bear(src_dir: str, build_cmd: List[str], out_stream) -> str:
    """Runs the build under bear, which writes SRC_DIR/compile_commands.json."""
    bear = shutil.which("bear")
    if not bear:
        raise ToolError("--record needs bear (Debian: apt-get install bear)")
    if not build_cmd:
        raise ToolError("--record needs a build command after --")
    db = os.path.join(src_dir, "compile_commands.json")
    out_stream.write("drain-audit: recording %s with bear: %s\n" % (db, " ".join(build_cmd)))
    r = subprocess.run([bear, "--output", db, "--"] + build_cmd, cwd=src_dir)
    if r.returncode != 0:
        raise ToolError("the build command failed under bear (exit %d)" % r.returncode)
    return src_dir
