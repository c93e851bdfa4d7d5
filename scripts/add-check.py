#!/usr/bin/env python3
"""Adds a drain check from its stem, in the spirit of clang-tidy's add_new_check.py.

    scripts/add-check.py STEM "Finds ... (the one-line summary, a full sentence)."

For `drain-foo-bar` (STEM foo-bar) it writes every place a check lives in:
  checker/tidy/FooBarCheck.{h,cpp}          the glue: a DrainCheck with its matcher
  checker/analysis/checks/FooBar.{h,cpp}    the analysis, returning drain::Finding
  test/checkers/foo-bar.cpp                 a lit test with a positive and its twin to fill in
  docs/checks/foo-bar.md                    the page, starting with the summary
and adds the check's line to checker/tidy/Checks.def, its include to DrainTidyModule.cpp and
its row to the tables of docs/index.md and README.md. It refuses a stem that exists. Rebuild
(cmake picks new files up by glob) and fill in the analysis and the tests.
"""
import argparse
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def class_name(stem: str) -> str:
    return "".join(part.capitalize() for part in stem.split("-"))


def banner(path: str, what: str, header: bool) -> str:
    text = f"//===--- {path} - {what} "
    tail = "-*- C++ -*-===//" if header else "===//"
    return text + "-" * max(3, 80 - len(text) - len(tail)) + tail


def files(stem: str, summary: str) -> dict:
    cls = class_name(stem)
    guard = f"DRAIN_TIDY_{cls.upper()}CHECK_H"
    aguard = f"DRAIN_ANALYSIS_CHECKS_{cls.upper()}_H"
    comment = "\n".join("/// " + line for line in wrap(summary, 92))
    return {
        f"checker/tidy/{cls}Check.h": f"""{banner(cls + 'Check.h', 'drain-' + stem, True)}
#ifndef {guard}
#define {guard}

#include "DrainCheck.h"

namespace drain::tidy {{

{comment}
///
/// See docs/checks/{stem}.md.
class {cls}Check : public DrainCheck {{
public:
  {cls}Check(llvm::StringRef Name, ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
}};

}} // namespace drain::tidy

#endif // {guard}
""",
        f"checker/tidy/{cls}Check.cpp": f"""{banner(cls + 'Check.cpp', 'drain-' + stem, False)}
#include "{cls}Check.h"
#include "analysis/checks/{cls}.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace drain::tidy {{

{cls}Check::{cls}Check(llvm::StringRef Name, ClangTidyContext *Context)
    : DrainCheck(Name, Context) {{}}

void {cls}Check::registerMatchers(MatchFinder *Finder) {{
  Finder->addMatcher(functionBodies(), this);
}}

void {cls}Check::check(const MatchFinder::MatchResult &Result) {{
  for (const Finding &F : find{cls}(matchedFunction(Result), model(), *Result.Context))
    emit(F);
}}

}} // namespace drain::tidy
""",
        f"checker/analysis/checks/{cls}.h": f"""{banner(cls + '.h', 'drain-' + stem, True)}
#ifndef {aguard}
#define {aguard}

#include "analysis/core/ApiModel.h"
#include "analysis/core/Finding.h"
#include <vector>

namespace clang {{
class ASTContext;
class FunctionDecl;
}} // namespace clang

namespace drain {{

{comment}
std::vector<Finding> find{cls}(const clang::FunctionDecl *FD, const ApiModel &Model,
                               clang::ASTContext &Ctx);

}} // namespace drain

#endif // {aguard}
""",
        f"checker/analysis/checks/{cls}.cpp": f"""{banner(cls + '.cpp', 'drain-' + stem, False)}
#include "analysis/checks/{cls}.h"
#include "clang/AST/Decl.h"

using namespace clang;

namespace drain {{

std::vector<Finding> find{cls}(const FunctionDecl *FD, const ApiModel &Model, ASTContext &Ctx) {{
  // FIXME: the rule of drain-{stem}; ask the model (Model.lookup) which calls matter.
  (void)FD;
  (void)Model;
  (void)Ctx;
  return {{}};
}}

}} // namespace drain
""",
        f"test/checkers/{stem}.cpp": f"""// RUN: %check_drain -std=c++17 %s drain-{stem} %t

// positives

// FIXME: a positive, with its CHECK-MESSAGES pinned to line and column.

// negatives

// FIXME: its correct twin, written the way a careful engineer of a real project would.
""",
        f"docs/checks/{stem}.md": f"""# drain-{stem}

{summary}

## Unsafe and safe

## Options

## Limits
""",
    }


def wrap(text: str, width: int) -> list:
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}" if line else w
    return lines + ([line] if line else [])


def insert_after_last(path: pathlib.Path, pattern: str, new_line: str) -> None:
    lines = path.read_text().splitlines(keepends=True)
    last = max(i for i, l in enumerate(lines) if re.match(pattern, l))
    lines.insert(last + 1, new_line)
    path.write_text("".join(lines))


def register(stem: str, summary: str) -> None:
    cls = class_name(stem)
    tidy = ROOT / "checker/tidy"
    insert_after_last(tidy / "Checks.def", r"DRAIN_CHECK\(",
                      f'\nDRAIN_CHECK("{stem}", {cls}Check)\n')
    module = tidy / "DrainTidyModule.cpp"
    insert_after_last(module, r'#include "\w+Check\.h"', f'#include "{cls}Check.h"\n')
    insert_after_last(ROOT / "docs/index.md", r"\| \[drain-",
                      f"| [drain-{stem}](checks/{stem}.md) | {summary} |\n")
    insert_after_last(ROOT / "README.md", r"\| \[drain-",
                      f"| [drain-{stem}](docs/checks/{stem}.md) | {summary[0].lower() + summary[1:]} |\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("stem", help="the check's name without 'drain-', e.g. foo-bar")
    ap.add_argument("summary", help="the one-line summary: the first sentence of the class "
                    "comment and of the docs page")
    args = ap.parse_args()
    if not re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", args.stem):
        print(f"add-check: error: '{args.stem}' is not a stem (lower-case words joined by '-')",
              file=sys.stderr)
        return 2
    out = files(args.stem, args.summary.strip())
    existing = [p for p in out if (ROOT / p).exists()]
    if existing or f'"{args.stem}"' in (ROOT / "checker/tidy/Checks.def").read_text():
        print(f"add-check: error: drain-{args.stem} exists ({', '.join(existing) or 'Checks.def'})",
              file=sys.stderr)
        return 2
    for rel, text in out.items():
        (ROOT / rel).parent.mkdir(parents=True, exist_ok=True)
        (ROOT / rel).write_text(text)
        print(f"wrote {rel}")
    register(args.stem, args.summary.strip())
    print("registered in checker/tidy/Checks.def, DrainTidyModule.cpp, docs/index.md, README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
