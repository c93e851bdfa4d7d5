#!/usr/bin/env bash
# with-server.sh SERVER [server args...] -- CLIENT [client args...]
#
# Starts SERVER with "--unix $DIR/s.sock --tcp 127.0.0.1:0" plus the given
# args, waits until it listens, runs CLIENT with @SOCK@ and @TCP@ replaced by
# the socket path and the TCP address, then sends SIGTERM to the server and
# checks that it exits 0. Exit status: the client's, or 1 if the server did
# not start or did not exit cleanly.
#   WITH_SERVER_SIGTERM_AFTER=SECONDS  send SIGTERM while the client runs
#                                      (tests the drain on SIGTERM)
set -u
server=$1; shift
server_args=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do server_args+=("$1"); shift; done
[ $# -gt 0 ] || { echo "with-server.sh: missing -- CLIENT" >&2; exit 2; }
shift

dir=$(mktemp -d /tmp/drainref.XXXXXX)
sock=$dir/s.sock
cleanup() {
  if [ -n "${spid:-}" ] && kill -0 "$spid" 2>/dev/null; then kill -KILL "$spid" 2>/dev/null; fi
  rm -rf "$dir"
}
trap cleanup EXIT

"$server" --unix "$sock" --tcp 127.0.0.1:0 "${server_args[@]}" >"$dir/server.out" 2>"$dir/server.err" &
spid=$!
tcp=""
for _ in $(seq 1 100); do
  tcp=$(sed -n 's/.*listening tcp \(.*\)$/\1/p' "$dir/server.out" 2>/dev/null)
  if [ -S "$sock" ] && [ -n "$tcp" ]; then break; fi
  if ! kill -0 "$spid" 2>/dev/null; then break; fi
  sleep 0.05
done
if [ ! -S "$sock" ] || [ -z "$tcp" ]; then
  echo "with-server.sh: $server did not start" >&2
  cat "$dir/server.err" >&2
  exit 1
fi

client=()
for a in "$@"; do
  a=${a//@SOCK@/$sock}
  a=${a//@TCP@/$tcp}
  client+=("$a")
done

if [ -n "${WITH_SERVER_SIGTERM_AFTER:-}" ]; then
  "${client[@]}" &
  cpid=$!
  sleep "$WITH_SERVER_SIGTERM_AFTER"
  echo "with-server.sh: sending SIGTERM to the server while the client runs"
  kill -TERM "$spid"
  wait "$cpid"
  rc=$?
else
  "${client[@]}"
  rc=$?
fi

kill -TERM "$spid" 2>/dev/null
srv_rc=0
for _ in $(seq 1 200); do
  kill -0 "$spid" 2>/dev/null || break
  sleep 0.05
done
if kill -0 "$spid" 2>/dev/null; then
  echo "with-server.sh: server did not exit within 10 s of SIGTERM" >&2
  srv_rc=1
else
  wait "$spid"
  srv_rc=$?
fi
sed 's/^/server: /' "$dir/server.err"
if [ "$srv_rc" -ne 0 ]; then
  echo "with-server.sh: server exited with status $srv_rc" >&2
  [ "$rc" -eq 0 ] && rc=1
fi
exit "$rc"
