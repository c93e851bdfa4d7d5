"""drain's command-line tools in Python: `drain audit` and `drain sarif` over drain-tidy.

The way the data flows, one module per step:

  cli          the `drain` launcher: argparse subcommands (audit, sarif, tidy, clangd, version)
  audit        `drain audit`'s options; dispatches `merge` and `merge-stores`
  phases       the run: set up, phase `summaries` and/or `check`, the reports
  runner       drain-tidy over many TUs in parallel, through the cache
  compiledb    the compile database: load, select the TUs, the project root, --record
  shards       a deterministic slice K/N of the TUs, and the manifest a merge reads
  merge        `drain audit merge` (shards -> one run's reports) and `merge-stores`
  tidy         drain-tidy: find it, list its checks, its configuration, one TU's run
  cache        the result cache: a key per TU, entries with a header and a checksum
  stores       the cross-file summary store: its schema, the options that name it, the merge
  exportfixes  clang-tidy's --export-fixes YAML -> findings and compiler errors
  model        the data: Location, Finding, TuError, TuResult, RunStats
  report       TU results -> one Report (deduplicated, located, fingerprinted, baselined)
  sources      source text: byte offset -> line/column, excerpts
  fingerprints line-shift-proof fingerprints of findings
  baseline     accepted findings: read and write the baseline file
  checkdocs    a check's one-line summary and page, from docs/checks/<stem>.md
  paths        where drain's files are; writing a file in one step
  writers/     one module per report: html (template + stylesheet in templates/), sarif,
               codequality, json_report, summary; publish() writes them all
  convert      `drain sarif`: --export-fixes YAML -> SARIF / Code Quality
"""
