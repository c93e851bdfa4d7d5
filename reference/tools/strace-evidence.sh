#!/usr/bin/env bash
# strace-evidence.sh [--check] REFSERVER TWINSERVER SLOWREADER
#
# Runs each server under
#   strace -f -e trace=sendto,write,writev,sendmsg,sendfile,shutdown,close
# with one slow client fetching a 3.3 MB body over a Unix socket, and prints
# the syscalls on the client's connection - the evidence of the seed story:
#   twin:      the writes that fit in the socket buffer (one or a few, as the
#              reader's timing allows), an EAGAIN, then shutdown(fd, SHUT_WR)
#              with megabytes still in out_buf_
#   reference: the full sequence of writes, then shutdown(fd, SHUT_WR)
# With --check, exits 0 only if both traces have that shape.
# Exits 77 (ctest SKIP_RETURN_CODE) if strace is missing or ptrace is not
# permitted in this sandbox; the reason is printed, nothing is faked.
set -u
check=0
if [ "${1:-}" = "--check" ]; then check=1; shift; fi
if [ $# -ne 3 ]; then
  echo "usage: $0 [--check] REFSERVER TWINSERVER SLOWREADER" >&2
  exit 2
fi
ref=$1 twin=$2 slowreader=$3
size=${STRACE_EVIDENCE_SIZE:-3300000}

if ! command -v strace >/dev/null 2>&1; then
  echo "strace-evidence: SKIPPED: strace is not installed (apt-get install -y strace)"
  exit 77
fi
if ! strace -f -o /dev/null true >/dev/null 2>&1; then
  echo "strace-evidence: SKIPPED: ptrace is not permitted in this environment"
  echo "  (strace -f true failed: $(strace -f -o /dev/null true 2>&1 | head -1))"
  exit 77
fi

dir=$(mktemp -d /tmp/drainref-strace.XXXXXX)
trap 'rm -rf "$dir"' EXIT
status=0

run_one() {  # kind server expect
  local kind=$1 server=$2 expect=$3
  local sock=$dir/$kind.sock trace=$dir/$kind.trace
  strace -f -qq -s 48 -e trace=sendto,write,writev,sendmsg,sendfile,shutdown,close \
    -o "$trace" "$server" --unix "$sock" --sndbuf 32768 >"$dir/$kind.out" 2>"$dir/$kind.err" &
  local spid=$!
  for _ in $(seq 1 100); do [ -S "$sock" ] && break; sleep 0.05; done
  if [ ! -S "$sock" ]; then
    echo "strace-evidence: $kind server did not start"; cat "$dir/$kind.err"; status=1; return
  fi
  "$slowreader" --unix "$sock" --batch 1 --sizes "$size" --expect "$expect" --pause-us 500 \
    | sed "s/^/  client: /"
  # strace does not pass SIGTERM on; signal the traced server itself.
  local tracee
  tracee=$(pgrep -P "$spid" | head -1)
  kill -TERM "${tracee:-$spid}" 2>/dev/null
  for _ in $(seq 1 100); do kill -0 "$spid" 2>/dev/null || break; sleep 0.05; done
  kill -0 "$spid" 2>/dev/null && kill -KILL "$spid" "${tracee:-}" 2>/dev/null
  wait "$spid" 2>/dev/null

  # The connection's fd is the one that was shut down.
  local fd
  fd=$(sed -n 's/^[0-9]* *shutdown(\([0-9]*\), SHUT_WR.*/\1/p' "$trace" | head -1)
  echo "== $kind: syscalls on the connection (fd ${fd:-?}) =="
  if [ -z "$fd" ]; then
    echo "  no shutdown(fd, SHUT_WR) in the trace"; status=1; return
  fi
  local lines
  lines=$(grep -E "^[0-9]+ +(sendto|write|writev|sendmsg|sendfile|shutdown|close)\($fd[,)]" "$trace" |
          sed 's/^[0-9]* *//')
  local upto_shutdown writes bytes eagain
  upto_shutdown=$(printf '%s\n' "$lines" | sed '/^shutdown(/q')
  # successful writes only; "= -1 EAGAIN" is the kernel saying "buffer full"
  writes=$(printf '%s\n' "$upto_shutdown" | grep -E '^(sendto|write|writev|sendmsg|sendfile)\(' |
           grep -cE '= [0-9]+$')
  eagain=$(printf '%s\n' "$upto_shutdown" | grep -c 'EAGAIN')
  bytes=$(printf '%s\n' "$upto_shutdown" | grep -E '^(sendto|write|writev|sendmsg|sendfile)\(' |
          sed -n 's/.*= \([0-9][0-9]*\)$/\1/p' | awk '{s += $1} END {print s + 0}')
  if [ "$(printf '%s\n' "$lines" | wc -l)" -le 10 ]; then
    printf '%s\n' "$lines" | sed 's/^/  /'
  else
    printf '%s\n' "$lines" | head -4 | sed 's/^/  /'
    echo "  ... ($(( $(printf '%s\n' "$lines" | wc -l) - 8 )) more lines) ..."
    printf '%s\n' "$lines" | tail -4 | sed 's/^/  /'
  fi
  echo "  => $writes successful write(s), $eagain EAGAIN, ${bytes:-0} bytes accepted by the kernel, then shutdown(SHUT_WR); body is $size bytes"
  if [ "$check" -eq 1 ]; then
    if [ "$kind" = twin ]; then
      if [ "$writes" -ge 1 ] && [ "$eagain" -ge 1 ] && [ "${bytes:-0}" -lt "$size" ]; then
        echo "  shape OK: partial writes, EAGAIN, then shutdown with the rest of the response still buffered"
      else
        echo "  shape WRONG for the twin"; status=1
      fi
    else
      if [ "$writes" -ge 2 ] && [ "${bytes:-0}" -gt "$size" ]; then
        echo "  shape OK: writes until the whole response was sent, then shutdown"
      else
        echo "  shape WRONG for the reference"; status=1
      fi
    fi
  fi
}

run_one twin "$twin" truncated
run_one reference "$ref" complete
if [ "$check" -eq 1 ]; then
  [ "$status" -eq 0 ] && echo "strace-evidence: PASS" || echo "strace-evidence: FAIL"
fi
exit "$status"
