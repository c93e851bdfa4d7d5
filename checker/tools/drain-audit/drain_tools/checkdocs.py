"""The one-line summary and the page of each check, from docs/checks/<stem>.md."""
import os
import re
from typing import Optional, Tuple

_WS = re.compile(r"\s+")


def _stem(check: str) -> Optional[str]:
    return check[len("drain-"):] if check.startswith("drain-") else None


class CheckDocs:
    """The one-line summary and the page of each check, from docs/checks/<stem>.md."""

    def __init__(self, docs_dir: Optional[str], base_url: Optional[str] = None) -> None:
        self.docs_dir = docs_dir
        self.base_url = base_url

    def page_path(self, check: str) -> Optional[str]:
        if not self.docs_dir:
            return None
        stem = _stem(check) or check
        p = os.path.join(self.docs_dir, stem + ".md")
        return p if os.path.isfile(p) else None

    def page(self, check: str) -> Optional[str]:
        p = self.page_path(check)
        if not p:
            return None
        with open(p, encoding="utf-8", errors="replace") as f:
            return f.read()

    def summary(self, check: str) -> Tuple[str, str]:
        """(short, full): the first sentence and the first paragraph of the page."""
        text = self.page(check)
        if not text:
            if check.startswith("drain-"):
                return ("drain check %s" % check, "drain check %s (no docs page found)" % check)
            return ("clang-tidy check %s" % check, "clang-tidy check %s" % check)
        paras = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        body = [p for p in paras if not p.startswith("#") and not p.startswith("```")
                and not p.startswith("|") and not p.startswith("<!--")]
        first = _WS.sub(" ", body[0]) if body else check
        m = re.match(r"(.+?[.!?])(\s|$)", first)
        return ((m.group(1) if m else first), first)

    def url(self, check: str) -> Optional[str]:
        stem = _stem(check)
        if stem is None:
            return "https://clang.llvm.org/extra/clang-tidy/checks/list.html"
        if self.base_url:
            return self.base_url.rstrip("/") + "/docs/checks/%s.md" % stem
        p = self.page_path(check)
        if p:
            return "file://" + os.path.abspath(p)
        return None
