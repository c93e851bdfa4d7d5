#!/usr/bin/env bash
# Fetches drain's corpus: the Debian 12 source packages pinned in packages.txt, each unpacked
# with its Debian patches and given a compile database, so that drain can be run over code none
# of us wrote. A benchmark helper, never part of ./dev.sh test.
#
#   bench/corpus/fetch.sh [--quick] [--force] [--jobs N] [PKG...]
#
#   --quick   only the packages marked `quick` in packages.txt (three small ones)
#   --force   redo packages that are already READY
#   PKG...    only these packages (names as in packages.txt)
#   --deb-src-only  add the deb-src entry (and apt-get update) and stop; for other benchmarks
#                   that fetch a Debian source package (bench/stress/run.py)
#
# Work dir: $DRAIN_CORPUS (default /work/corpus, outside the repository). For each package:
#   <work>/<pkg>/src/                       the unpacked source (dpkg-source -x)
#   <work>/<pkg>/compile_commands.json      the compile database, one entry per source file
#   <work>/<pkg>/READY                      written last: "<pkg>=<version> <TUs> TUs <recipe>"
#   <work>/<pkg>/fetch.log                  what the recipe printed
# Consumers poll for READY: `drain-tidy -p <work>/<pkg> FILE` then works.
#
# Needs root for apt: it adds a deb-src entry in its own file
# /etc/apt/sources.list.d/drain-deb-src.sources (the same URIs, suites, components and key as
# debian.sources), runs apt-get update, and installs scripts/packages/corpus.txt.opt (headers the
# corpus packages include; not part of the default ./dev.sh install). Builds run under nice.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="${DRAIN_CORPUS:-/work/corpus}"
JOBS=2
QUICK=0
FORCE=0
DEB_SRC_ONLY=0
ONLY=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --force) FORCE=1 ;;
    --deb-src-only) DEB_SRC_ONLY=1 ;;
    --jobs) JOBS="$2"; shift ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fetch.sh: unknown option $1" >&2; exit 2 ;;
    *) ONLY+=("$1") ;;
  esac
  shift
done

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'fetch.sh: error: %s\n' "$*" >&2; exit 2; }
export CC=clang-19 CXX=clang++-19
NICE=(nice -n 10)

# --- apt: deb-src entry, update, the corpus' header packages ------------------------------
deb_src_setup() {
  local src=/etc/apt/sources.list.d/debian.sources dst=/etc/apt/sources.list.d/drain-deb-src.sources
  [ -f "$src" ] || die "no $src to copy the deb-src entry from"
  local want
  want="$(sed -e 's/^Types: deb$/Types: deb-src/' "$src")"
  if [ ! -f "$dst" ] || [ "$(cat "$dst")" != "$want" ]; then
    [ "$(id -u)" = 0 ] || die "adding $dst needs root"
    printf '%s\n' "$want" >"$dst"
    log "added $dst; apt-get update"
    apt-get update >/tmp/drain-corpus-apt-update.log 2>&1 || die "apt-get update failed"
  elif ! apt-cache showsrc libuv1 2>/dev/null | grep -q '^Version:'; then
    apt-get update >/tmp/drain-corpus-apt-update.log 2>&1 || die "apt-get update failed"
  fi
}
apt_setup() {
  deb_src_setup
  local missing=() pkg
  while read -r pkg _; do
    case "$pkg" in ''|\#*) continue ;; esac
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done <"$ROOT/scripts/packages/corpus.txt.opt"
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" \
      >/tmp/drain-corpus-apt.log 2>&1 || { tail -20 /tmp/drain-corpus-apt.log; die "apt-get install failed"; }
  fi
}

# --- recipes: run in <work>/<pkg>/src, leave a compile database path in $DB ----------------
cmake_db() { # cmake_db [cmake options...]: configure only; CMake writes the database
  "${NICE[@]}" cmake -S . -B build-drain -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
    -DCMAKE_EXPORT_COMPILE_COMMANDS=ON "$@"
  DB="$PWD/build-drain/compile_commands.json"
}
bear_make() { # bear_make [make args...]: record what make compiles (-k: keep going)
  "${NICE[@]}" bear --output "$PWD/compile_commands.json" -- make -k -j"$JOBS" "$@" || true
  DB="$PWD/compile_commands.json"
}
# Writes a database for sources that no build system compiles (header-only libraries).
# synth_db DIR FLAGS... -- FILES...
synth_db() {
  local dir="$1"; shift
  local flags=() files=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do flags+=("$1"); shift; done
  shift
  files=("$@")
  python3 - "$dir" "${#flags[@]}" "${flags[@]}" "${files[@]}" >compile_commands.json <<'PY'
import json, os, sys
d = os.path.abspath(sys.argv[1]); n = int(sys.argv[2])
flags = sys.argv[3:3 + n]; files = sys.argv[3 + n:]
out = []
for f in files:
    p = os.path.abspath(f)
    cxx = p.endswith(('.cc', '.cpp', '.cxx'))
    out.append({"directory": d, "file": p,
                "arguments": ["clang++-19" if cxx else "clang-19"] + flags + ["-c", p]})
print(json.dumps(out, indent=1))
PY
  DB="$PWD/compile_commands.json"
}

recipe_libuv1() { cmake_db -DLIBUV_BUILD_TESTS=OFF -DLIBUV_BUILD_BENCH=OFF; }
recipe_lighttpd() { cmake_db -DWITH_PCRE2=OFF -DWITH_PCRE=OFF -DBUILD_STATIC=OFF; }
recipe_cpp_httplib() {
  # Header-only: every example program (server, client, SSE, upload...) plus one TU that turns
  # on the optional OpenSSL and zlib code in httplib.h.
  printf '#define CPPHTTPLIB_OPENSSL_SUPPORT\n#define CPPHTTPLIB_ZLIB_SUPPORT\n#include "httplib.h"\n' \
    >drain_all_features.cc
  synth_db "$PWD" -std=c++11 -I"$PWD" -pthread -DCPPHTTPLIB_OPENSSL_SUPPORT -DCPPHTTPLIB_ZLIB_SUPPORT \
    -- drain_all_features.cc example/*.cc
}

recipe_mosquitto() {
  cmake_db -DWITH_CJSON=OFF -DDOCUMENTATION=OFF -DWITH_TLS=ON -DWITH_BUNDLED_DEPS=ON
}
recipe_nghttp2() { cmake_db -DENABLE_LIB_ONLY=ON -DENABLE_DOC=OFF -DENABLE_STATIC_LIB=OFF; }
recipe_libevent() {
  cmake_db -DEVENT__DISABLE_TESTS=ON -DEVENT__DISABLE_BENCHMARK=ON -DEVENT__DISABLE_MBEDTLS=ON \
    -DEVENT__DISABLE_REGRESS=ON -DEVENT__LIBRARY_TYPE=SHARED
}
recipe_curl() {
  cmake_db -DBUILD_TESTING=OFF -DCURL_USE_OPENSSL=ON -DCURL_USE_LIBSSH2=OFF -DUSE_LIBIDN2=OFF \
    -DCURL_USE_LIBPSL=OFF -DENABLE_MANUAL=OFF -DCURL_DISABLE_LDAP=ON -DUSE_NGHTTP2=OFF
}
recipe_civetweb() {
  cmake_db -DCIVETWEB_BUILD_TESTING=OFF -DCIVETWEB_ENABLE_CXX=ON -DCIVETWEB_ENABLE_WEBSOCKETS=ON \
    -DCIVETWEB_ENABLE_IPV6=ON -DCIVETWEB_ENABLE_ASAN=OFF
}
recipe_libwebsockets() {
  cmake_db -DLWS_WITH_SSL=ON -DLWS_WITHOUT_TESTAPPS=ON -DLWS_WITH_MINIMAL_EXAMPLES=OFF \
    -DLWS_WITH_STATIC=OFF
}
recipe_poco() {
  # Poco::Net (HTTP client and server, sockets, SMTP...) only; Foundation is configured because
  # Net needs it, and left out of the database.
  local off=()
  for c in XML JSON MONGODB REDIS PDF UTIL NETSSL NETSSL_WIN CRYPTO JWT DATA DATA_SQLITE \
    DATA_MYSQL DATA_POSTGRESQL DATA_ODBC ZIP SEVENZIP APACHECONNECTOR CPPPARSER ENCODINGS \
    ENCODINGS_COMPILER PAGECOMPILER PAGECOMPILER_FILE2PAGE POCODOC ACTIVERECORD \
    ACTIVERECORD_COMPILER PROMETHEUS TESTS; do off+=("-DENABLE_$c=OFF"); done
  cmake_db -DENABLE_NET=ON "${off[@]}"
  DB_FILTER='/Net/src/'
}
recipe_cpprest() {
  cd Release
  cmake_db -DBUILD_TESTS=OFF -DBUILD_SAMPLES=OFF -DCPPREST_EXCLUDE_WEBSOCKETS=OFF \
    -DWEBSOCKETPP_DIR=/usr/lib/x86_64-linux-gnu/cmake/websocketpp \
    -DCPPREST_EXCLUDE_BROTLI=ON -DWERROR=OFF \
    -DCMAKE_CXX_FLAGS=-Wno-error=enum-constexpr-conversion # Boost 1.74's mpl under clang >= 16
}
recipe_libmicrohttpd() {
  "${NICE[@]}" ./configure CC=clang-19 --disable-doc --disable-examples --with-gnutls
  bear_make -C src/microhttpd
}
recipe_nginx() {
  "${NICE[@]}" ./configure --with-cc=clang-19 --with-http_ssl_module --with-http_v2_module \
    --with-stream --with-stream_ssl_module --with-threads
  bear_make
}
recipe_haproxy() {
  bear_make TARGET=linux-glibc USE_OPENSSL=1 USE_ZLIB=1 USE_PCRE2=1 CC=clang-19
}

# --- one package ------------------------------------------------------------------------
do_pkg() {
  local name="$1" ver="$2" recipe="$3" dir="$WORK/$1"
  if [ -f "$dir/READY" ] && [ $FORCE = 0 ]; then log "$name: READY ($(cat "$dir/READY"))"; return 0; fi
  rm -f "$dir/READY"
  mkdir -p "$dir"
  log "$name=$ver ($recipe)"
  (
    cd "$dir"
    if [ ! -d src ]; then
      ls ./*.dsc >/dev/null 2>&1 || apt-get source --download-only "$name=$ver" >fetch.log 2>&1 \
        || { tail -5 fetch.log; exit 3; }
      dpkg-source --no-check -x ./*.dsc src >>fetch.log 2>&1
    fi
    cd src
    DB="" DB_FILTER=""
    "recipe_${name//[-.]/_}" >>"$dir/fetch.log" 2>&1 || { tail -20 "$dir/fetch.log"; exit 4; }
    [ -s "$DB" ] || { echo "no compile database at $DB" >&2; exit 5; }
    # One entry per file (libuv builds its sources twice, shared and static), files that exist.
    # A recipe may keep only the files matching DB_FILTER (a regular expression).
    python3 - "$DB" "$dir/compile_commands.json" "$DB_FILTER" <<'PY'
import json, os, re, sys
seen, out = set(), []
for e in json.load(open(sys.argv[1])):
    f = os.path.normpath(os.path.join(e["directory"], e["file"]))
    if f in seen or not os.path.exists(f) or not re.search(sys.argv[3], f):
        continue
    seen.add(f); out.append(e)
json.dump(out, open(sys.argv[2], "w"), indent=1)
PY
    local n
    n="$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$dir/compile_commands.json")"
    [ "$n" -gt 0 ] || { echo "empty compile database $DB" >&2; exit 6; }
    echo "$name=$ver $n TUs $recipe" >"$dir/READY"
    log "$name: READY, $n TUs"
  ) || { echo "fetch.sh: $name failed (see $dir/fetch.log)" >&2; return 1; }
}

if [ $DEB_SRC_ONLY = 1 ]; then deb_src_setup; exit 0; fi
apt_setup
mkdir -p "$WORK"
fail=0
while read -r spec recipe tag _; do
  case "$spec" in ''|\#*) continue ;; esac
  name="${spec%%=*}" ver="${spec#*=}"
  [ $QUICK = 1 ] && [ "${tag:-}" != quick ] && continue
  if [ ${#ONLY[@]} -gt 0 ]; then
    printf '%s\n' "${ONLY[@]}" | grep -qx "$name" || continue
  fi
  do_pkg "$name" "$ver" "$recipe" || fail=$((fail + 1))
done <"$HERE/packages.txt"
[ $fail = 0 ] || die "$fail package(s) failed"
log "corpus in $WORK"
