#!/usr/bin/env bash
# Runs the read-only R1 peer benchmark (/work/shared/bench) in a writable copy.
#
#   bash bench/peers.sh                  everything (~20 minutes on 2 cores)
#   bash bench/peers.sh --quick          smoke test (10k portfolios, 2 runs, ~3 min)
#   bash bench/peers.sh verify e2e       only some steps (verify e2e eval json membw report)
#   REGEN=1 SEED=7 bash bench/peers.sh   other data
#   R1_C_ENGINE=build/r1 bash bench/peers.sh   include our engine
#
# Arguments go to the harness's run_all.sh unchanged; so does the environment
# (R1_C_ENGINE, REGEN, SEED, ...).  R1_C_ENGINE may be relative to the
# current directory: it is made absolute, since run_all.sh runs in the copy.
#
# Steps:
#  1. refresh bench/peers-run/ (gitignored) from the harness; generated state
#     is kept between runs: data/ (300 MB of portfolios), node_modules/, out/,
#     results/ and cjson/build/.
#  2. install what is missing: Debian packages through apt-get (as root, or
#     with sudo), only for tools that are absent; the npm packages pinned in
#     package-lock.json.  The harness's own `npm ci` fails with npm >= 11
#     because the lock lists only the linux-x64 ZEN bindings ("Missing:
#     @gorules/zen-engine-darwin-arm64@ from lock file"); `npm install` takes
#     the versions from the same lock and leaves it unchanged.
#  3. cd bench/peers-run && bash run_all.sh "$@"; results in
#     bench/peers-run/results/ (RESULTS.generated.md and raw *.jsonl).
#
# PEERS_SRC and PEERS_RUN override the harness and copy directories.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=${PEERS_SRC:-/work/shared/bench}
dst=${PEERS_RUN:-$here/peers-run}

die() { echo "peers.sh: $*" >&2; exit 1; }

[ -f "$src/run_all.sh" ] || die "no benchmark harness in $src (set PEERS_SRC)"

if [ -n "${R1_C_ENGINE:-}" ] && [ -e "$R1_C_ENGINE" ]; then
  R1_C_ENGINE=$(cd "$(dirname "$R1_C_ENGINE")" && pwd)/$(basename "$R1_C_ENGINE")
  [ -x "$R1_C_ENGINE" ] || die "R1_C_ENGINE=$R1_C_ENGINE is not executable"
  export R1_C_ENGINE
fi

mkdir -p "$dst"
# One run at a time: two would overwrite each other's data and timings.
exec 9>"$dst/.peers.lock"
flock -n 9 || die "another peers.sh is running in $dst"

# ---------------------------------------------------------------- 1. copy
echo "== refreshing $dst from $src"
keep=(data node_modules out results cjson .peers.lock)
args=()
for k in "${keep[@]}"; do args+=(! -name "$k"); done
find "$dst" -mindepth 1 -maxdepth 1 "${args[@]}" -exec rm -rf {} +
if [ -d "$dst/cjson" ]; then
  find "$dst/cjson" -mindepth 1 -maxdepth 1 ! -name build -exec rm -rf {} +
fi
# tar keeps the modification times, so make rebuilds cjson/build only when a
# source changed; generated state of the source (if any) is not copied.
tar -C "$src" -cf - \
  --exclude=./data --exclude=./node_modules --exclude=./out \
  --exclude=./results --exclude=./scratch --exclude=./cjson/build . |
  tar -C "$dst" --no-same-owner -xf -
# The harness is read-only; its copy must not be (run_all.sh creates data/
# etc., and the next refresh deletes these files).
find "$dst" \( -path "$dst/data" -o -path "$dst/node_modules" \) -prune \
  -o ! -perm -u+w -exec chmod u+w {} +

# ---------------------------------------------------------------- 2. install
# Same checks as run_all.sh, each mapped to its Debian 12 package.
pkgs=()
for pair in python3:python3 jq:jq lua5.4:lua5.4 luajit:luajit cc:gcc \
            c++:g++ make:make pkg-config:pkg-config cmp:diffutils \
            diff:diffutils node:nodejs npm:npm; do
  command -v "${pair%%:*}" >/dev/null || pkgs+=("${pair#*:}")
done
for lua in lua5.4 luajit; do
  "$lua" -e 'require "cjson"' >/dev/null 2>&1 || pkgs+=(lua-cjson)
done
for pair in json-glib-1.0:libjson-glib-dev jansson:libjansson-dev \
            json-c:libjson-c-dev libcjson:libcjson-dev yajl:libyajl-dev \
            simdjson:libsimdjson-dev; do
  pkg-config --exists "${pair%%:*}" 2>/dev/null || pkgs+=("${pair#*:}")
done
if ((${#pkgs[@]})); then
  mapfile -t pkgs < <(printf '%s\n' "${pkgs[@]}" | sort -u)
  if [ "$(id -u)" -eq 0 ]; then
    sudo=()
  elif command -v sudo >/dev/null; then
    sudo=(sudo)
  else
    die "missing Debian packages: ${pkgs[*]} (run as root, or install them)"
  fi
  echo "== installing Debian packages: ${pkgs[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${pkgs[@]}"
fi

if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number);
              process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  echo "peers.sh: warning: node $(node --version) is older than 20.19, which" \
       "@marcbachmann/cel-js 8 asks for (NodeSource nodejs 20+ is)" >&2
fi

cd "$dst"
# True when node_modules holds every non-optional package of the lock at its
# pinned version and the ZEN native binding of this platform loads.
npm_in_sync() {
  node -e '
    const lock = require("./package-lock.json");
    for (const [path, p] of Object.entries(lock.packages)) {
      if (path === "" || p.optional) continue;
      if (require("./" + path + "/package.json").version !== p.version)
        process.exit(1);
    }
    require("@gorules/zen-engine");
  ' >/dev/null 2>&1
}
if ! npm_in_sync; then
  echo "== installing the npm packages pinned in package-lock.json"
  npm install --no-audit --no-fund
  npm_in_sync || die "node_modules does not match package-lock.json after npm install"
fi

# ---------------------------------------------------------------- 3. run
exec bash run_all.sh "$@"
