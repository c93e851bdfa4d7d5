"""findings.json: the same data as the other reports, plain."""
import json

from ..model import display_path
from ..report import Report


def to_text(report: Report) -> str:
    root, allf, s = report.root, report.findings, report.stats
    return json.dumps({
        "tool": "drain " + report.version, "root": root, "compile_database": report.db_path,
        "summary": {"translation_units": s.tus,
                    "new_findings": sum(1 for f in allf if not f.baselined),
                    "baselined": sum(1 for f in allf if f.baselined),
                    "tool_errors": len(report.errors), "seconds": round(s.seconds, 2)},
        "findings": [f.to_json(root) for f in allf],
        "errors": [{"tu": display_path(e.tu, root), "kind": e.kind, "message": e.message}
                   for e in report.errors],
    }, indent=1) + "\n"
