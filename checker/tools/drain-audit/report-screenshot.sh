#!/usr/bin/env bash
# report-screenshot.sh REPORT.html OUT.png [WIDTHxHEIGHT]
# Renders a drain-audit HTML report in headless Chromium (Debian's package) and saves a PNG, to
# see the report as a reader will. Installs scripts/packages/screenshot.txt.opt if Chromium is
# missing (as root). Exit 0 with the PNG written, 2 otherwise.
set -euo pipefail
die() { printf 'report-screenshot.sh: error: %s\n' "$*" >&2; exit 2; }
[ $# -ge 2 ] || die "usage: report-screenshot.sh REPORT.html OUT.png [WIDTHxHEIGHT]"
report="$(realpath "$1")"; out="$(realpath -m "$2")"; size="${3:-1280x1600}"
[ -f "$report" ] || die "no such report: $1"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
list="$here/../../../scripts/packages/screenshot.txt.opt"
if ! command -v chromium >/dev/null; then
  [ "$(id -u)" = 0 ] || die "chromium is not installed (apt-get install chromium)"
  [ -f "$list" ] || die "chromium is not installed and $list is missing"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    $(grep -v '^#' "$list") >/tmp/drain-screenshot-apt.log 2>&1 \
    || die "apt-get install failed (/tmp/drain-screenshot-apt.log)"
fi
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
  --user-data-dir="$profile" --window-size="${size/x/,}" --screenshot="$out" \
  "file://$report" >/dev/null 2>&1 || die "chromium failed"
[ -s "$out" ] || die "chromium wrote no screenshot"
echo "$out"
