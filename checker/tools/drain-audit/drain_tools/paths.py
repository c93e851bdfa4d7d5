"""Where drain's files are (installed or in the build tree: the same layout), and writing a
file in one step."""
import os
from typing import Optional


def here() -> str:
    return os.path.dirname(os.path.realpath(__file__))


def prefix_dir() -> str:
    # <prefix>/share/drain/python/drain_tools/ -> <prefix>; the build tree has the same layout.
    return os.path.normpath(os.path.join(here(), "..", "..", "..", ".."))


def find_docs_dir(explicit: Optional[str]) -> Optional[str]:
    for c in (explicit, os.environ.get("DRAIN_DOCS_DIR"),
              os.path.join(prefix_dir(), "share", "doc", "drain", "checks"),
              os.path.normpath(os.path.join(here(), "..", "..", "..", "..", "docs", "checks"))):
        if c and os.path.isdir(c):
            return c
    return None


def write_file(path: str, text: str) -> None:
    """Writes through a temporary file and a rename: a reader never sees half a file."""
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)
