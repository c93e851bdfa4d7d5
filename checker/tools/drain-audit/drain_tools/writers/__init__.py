"""The report writers, one module each: html (a template and a stylesheet in templates/),
sarif, codequality, json_report, summary (the terminal)."""
import os
from dataclasses import dataclass
from typing import Optional

from ..paths import write_file
from ..report import Report
from . import codequality, html, json_report, sarif


@dataclass
class ReportPaths:
    html: str
    sarif: str
    codequality: str
    json: str

    @staticmethod
    def under(out_dir: str, html_path: Optional[str] = None, sarif_path: Optional[str] = None,
              cq_path: Optional[str] = None, json_path: Optional[str] = None) -> "ReportPaths":
        """The defaults inside OUT_DIR, each replaceable by its own option."""
        return ReportPaths(html_path or os.path.join(out_dir, "report.html"),
                           sarif_path or os.path.join(out_dir, "drain.sarif"),
                           cq_path or os.path.join(out_dir, "gl-code-quality-report.json"),
                           json_path or os.path.join(out_dir, "findings.json"))


def write_reports(report: Report, paths: ReportPaths, command_line: str) -> None:
    write_file(paths.html, html.render(report))
    write_file(paths.sarif, sarif.to_text(report, command_line))
    write_file(paths.codequality, codequality.to_text(report.findings, report.root))
    write_file(paths.json, json_report.to_text(report))


def publish(report: Report, args, command_line: str, stdout) -> int:
    """The files (unless --no-report), the baseline if asked, the summary; the exit code.
    ARGS: the options a run and a merge share (output paths, -q, --write-baseline)."""
    from ..baseline import baseline_json
    from . import summary
    if args.write_baseline:
        write_file(args.write_baseline, baseline_json(report.findings, report.root))
    paths = None
    if not args.no_report:
        paths = ReportPaths.under(args.output_dir, args.html, args.sarif, args.codequality,
                                  args.json)
        write_reports(report, paths, command_line)
    text = summary.text(report)
    if args.quiet:
        text = text.splitlines()[0] + "\n"
    stdout.write(text)
    if paths:
        stdout.write("report: %s\n" % os.path.abspath(paths.html))
    return report.exit_code()
