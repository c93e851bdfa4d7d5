"""drain: one entry point for drain's tools.

  drain audit [...]    drain's checks over a whole compile database (same as drain-audit);
                       `drain audit merge ...`, `drain audit merge-stores ...` for shards
  drain sarif [...]    drain-tidy --export-fixes YAML -> SARIF 2.1.0 / GitLab Code Quality
  drain tidy [...]     drain-tidy (clang-tidy with drain linked in)
  drain clangd [...]   drain-clangd (clangd with drain linked in)
  drain --version
Exit codes: 0 clean, 1 findings, 2 tool error."""
import argparse
import os
import shutil
import sys
from typing import List, Optional


def _exec(name: str, args: List[str]) -> int:
    bindir = os.path.dirname(os.path.realpath(sys.argv[0]))
    tool = os.path.join(bindir, name)
    if not os.path.exists(tool):
        tool = shutil.which(name) or ""
    if not tool:
        sys.stderr.write("drain: error: %s not found next to %s or on PATH\n" % (name, sys.argv[0]))
        return 2
    os.execv(tool, [tool] + args)
    return 2  # not reached


def _audit(rest: List[str]) -> int:
    from .audit import main
    return main(rest)


def _sarif(rest: List[str]) -> int:
    from .convert import main
    return main(rest)


COMMANDS = {
    "audit": (_audit, "drain's checks over a whole compile database (also: audit merge, "
                      "audit merge-stores)"),
    "sarif": (_sarif, "drain-tidy --export-fixes YAML -> SARIF 2.1.0 / GitLab Code Quality"),
    "tidy": (lambda rest: _exec("drain-tidy", rest), "drain-tidy (clang-tidy with drain linked in)"),
    "clangd": (lambda rest: _exec("drain-clangd", rest), "drain-clangd (clangd with drain)"),
    "version": (lambda rest: _exec("drain-tidy", ["--version"]), "drain's version"),
}


def build_parser() -> argparse.ArgumentParser:
    """Chooses the command; everything after it belongs to the command's own parser."""
    p = argparse.ArgumentParser(prog="drain", description="drain's tools.",
                                epilog="Exit codes: 0 clean, 1 findings, 2 tool error.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, text) in COMMANDS.items():
        sub.add_parser(name, help=text, add_help=False)
    return p


def main(argv: Optional[List[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        sys.stdout.write(__doc__.split("\n", 1)[1].lstrip("\n") + "\n")
        return 0 if argv else 2
    if argv[0] == "--version":
        argv[0] = "version"
    try:
        args = build_parser().parse_args(argv[:1])
    except SystemExit as e:
        return 2 if e.code not in (0, None) else 0
    return COMMANDS[args.command][0](argv[1:])
