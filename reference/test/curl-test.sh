#!/usr/bin/env bash
# reference.curl: a real client against both servers.
#   curl-test.sh REFSERVER TWINSERVER SLOWREADER WITH_SERVER
# The reference must deliver the whole body (curl exit 0, size and checksum
# match); the twin must lose bytes (curl exit 18 "partial file", or a size
# mismatch). The test fails if the twin delivers the whole body: then the
# setup does not provoke the bug and proves nothing.
set -u
if [ "${1:-}" = "--client" ]; then
  # --client ref|twin SOCK SLOWREADER SIZE
  kind=$2 sock=$3 slowreader=$4 size=$5
  out=$(mktemp /tmp/drainref-curl.XXXXXX)
  hdr=$(mktemp /tmp/drainref-curl-h.XXXXXX)
  trap 'rm -f "$out" "$hdr"' EXIT
  curl -sS --unix-socket "$sock" --limit-rate 2M -H 'Connection: close' \
       -D "$hdr" -o "$out" "http://localhost/bytes/$size"
  rc=$?
  got=$(stat -c %s "$out")
  want_sum=$(tr -d '\r' <"$hdr" | sed -n 's/^[Xx]-[Cc]hecksum: *//p')
  got_sum=$("$slowreader" --hash "$out")
  echo "$kind: curl exit $rc, $got of $size bytes, X-Checksum ${want_sum:-none}, body hashes to $got_sum"
  if [ "$kind" = ref ]; then
    if [ "$rc" -eq 0 ] && [ "$got" -eq "$size" ] && [ "$want_sum" = "$got_sum" ] &&
       cmp -s "$out" <("$slowreader" --pattern "$size"); then
      echo "ref: complete and byte-exact"
      exit 0
    fi
    echo "ref: FAIL: the reference server did not deliver the full body"
    exit 1
  fi
  if [ "$rc" -eq 18 ] || [ "$got" -ne "$size" ]; then
    echo "twin: truncated, as expected (curl exit 18 = partial file)"
    exit 0
  fi
  echo "twin: FAIL: the twin delivered the whole body; the test provokes nothing"
  exit 1
fi

ref=$1 twin=$2 slowreader=$3 with_server=$4
if ! command -v curl >/dev/null 2>&1; then
  echo "reference.curl: curl is not installed (apt-get install -y curl); this test cannot run" >&2
  exit 1
fi
self=$(readlink -f "$0")
status=0
for size in 3300000; do
  "$with_server" "$ref" --sndbuf 32768 -- bash "$self" --client ref @SOCK@ "$slowreader" "$size" || status=1
  "$with_server" "$twin" --sndbuf 32768 -- bash "$self" --client twin @SOCK@ "$slowreader" "$size" || status=1
done
[ "$status" -eq 0 ] && echo "reference.curl: PASS" || echo "reference.curl: FAIL"
exit "$status"
