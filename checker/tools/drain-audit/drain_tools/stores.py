"""The cross-file summary store, as the audit sees it: an SQLite file that drain-tidy fills
with each TU's function summaries (phase `summaries`) and reads back (phase `check`).

The contract with drain-tidy is two global CheckOptions:
  drain.SummaryStore      path of the SQLite file
  drain.SummaryStoreMode  `read` (the default) or `write` (add this TU's summaries)
Shards each write their own store; a merge copies every table of the shard stores into one
(INSERT OR REPLACE, so a summary seen by two shards, a header's inline function, is kept once,
by its primary key). The merge is generic: it copies whatever tables the stores hold, as long
as a table's columns agree between the stores.

Waiting on the C++ side: until drain-tidy honours the two options, phase `summaries` leaves no
store behind; the audit then creates an empty one with SCHEMA (and says so), so the pipeline
runs end to end and the check phase simply has no cross-file facts.
"""
import hashlib
import os
import sqlite3
from typing import List, Optional, Tuple

from .model import ToolError

# The tables drain-tidy writes, as the audit's tests and the empty store know them. Keep them
# equal to the C++ side's schema (checker/analysis/flow/SummaryDatabase.h): the roles, and the
# caller facts (without them a reader takes the store for one of the older format).
SCHEMA = ("CREATE TABLE IF NOT EXISTS summaries(usr TEXT, file_hash TEXT, drain_version TEXT, "
          "data BLOB, PRIMARY KEY(usr))")
CALLERS_SCHEMA = ("CREATE TABLE IF NOT EXISTS callers(usr TEXT, caller_file TEXT, file_hash TEXT, "
                  "drain_version TEXT, data BLOB, PRIMARY KEY(usr, caller_file))")

OPTION_STORE = "drain.SummaryStore"
OPTION_MODE = "drain.SummaryStoreMode"
STORE_NAME = "summaries.sqlite"


def store_options(store: str, mode: str) -> List[Tuple[str, str]]:
    return [(OPTION_STORE, os.path.abspath(store)), (OPTION_MODE, mode)]


def create_empty(path: str) -> None:
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    con = sqlite3.connect(path)
    try:
        con.execute(SCHEMA)
        con.execute(CALLERS_SCHEMA)
        con.commit()
    finally:
        con.close()


def content_hash(path: Optional[str]) -> str:
    """What the cache key holds of the store: its whole content, for now (a finer key would
    name the summaries a TU used)."""
    if not path:
        return ""
    if not os.path.isfile(path):
        return "absent"
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _columns(con: sqlite3.Connection, schema: str, table: str) -> List[Tuple[str, str, int]]:
    rows = con.execute('PRAGMA %s.table_info("%s")' % (schema, table.replace('"', '""')))
    return [(r[1], str(r[2]).upper(), int(r[5])) for r in rows]


def _tables(con: sqlite3.Connection, schema: str) -> List[Tuple[str, str]]:
    return list(con.execute("SELECT name, sql FROM %s.sqlite_master WHERE type='table' AND "
                            "name NOT LIKE 'sqlite_%%' ORDER BY name" % schema))


def _copy_tables(con: sqlite3.Connection, src: str) -> int:
    copied = 0
    for name, sql in _tables(con, "shard"):
        mine = _columns(con, "main", name)
        theirs = _columns(con, "shard", name)
        if not mine:
            con.execute(sql)  # the shard's own CREATE TABLE, in main
            mine = _columns(con, "main", name)
        if mine != theirs:
            raise ToolError("%s: table %s has columns %s, the merged store has %s: stores of "
                            "different drain versions?" % (src, name, theirs, mine))
        q = '"%s"' % name.replace('"', '""')
        copied += con.execute("INSERT OR REPLACE INTO main.%s SELECT * FROM shard.%s"
                              % (q, q)).rowcount
    return copied


def _merge_one(con: sqlite3.Connection, path: str) -> int:
    try:
        con.execute("ATTACH DATABASE ? AS shard", (os.path.abspath(path),))
    except sqlite3.DatabaseError as e:
        raise ToolError("%s: not a summary store SQLite can read: %s" % (path, e))
    try:
        con.execute("BEGIN")
        copied = _copy_tables(con, path)
        con.execute("COMMIT")
        return copied
    except sqlite3.DatabaseError as e:
        raise ToolError("%s: not a summary store SQLite can read: %s" % (path, e))
    finally:
        if con.in_transaction:
            con.execute("ROLLBACK")
        con.execute("DETACH DATABASE shard")


def merge_stores(inputs: List[str], out: str) -> int:
    """Copies every table of INPUTS into OUT (created or replaced); returns the rows copied."""
    for p in inputs:
        if not os.path.isfile(p):
            raise ToolError("%s: no summary store here" % p)
    tmp = out + ".tmp"
    if os.path.exists(tmp):
        os.remove(tmp)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    con = sqlite3.connect(tmp, isolation_level=None)
    copied = 0
    try:
        for p in inputs:
            copied += _merge_one(con, p)
    except ToolError:
        con.close()
        os.remove(tmp)
        raise
    con.close()
    os.replace(tmp, out)
    return copied
