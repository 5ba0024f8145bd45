#!/usr/bin/env bash
# Prints the shell lines that put the project's Node on PATH: one exact Node 24 LTS build, the
# npm registry's node-linux-<arch> package (the node binary with its headers), unpacked once into
# .tools/ (fetched with npm, nothing else). Native addons get built against its headers.
#   eval "$(scripts/node-env.sh)"     # then node, npm and latchkey run on it in this shell
set -euo pipefail
cd "$(dirname "$0")/.."
NODE_VERSION=24.21.0
case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) arch="$(uname -m)" ;; esac
node_dir="$PWD/.tools/node-v$NODE_VERSION-linux-$arch"
if [ ! -x "$node_dir/bin/node" ]; then
  echo "fetching Node $NODE_VERSION (npm package node-linux-$arch) into .tools/" >&2
  mkdir -p .tools
  tgz=$(npm pack "node-linux-$arch@$NODE_VERSION" --pack-destination .tools --silent | tail -n1)
  rm -rf "$node_dir.partial" && mkdir -p "$node_dir.partial"
  tar xzf ".tools/$tgz" -C "$node_dir.partial" --strip-components=1
  rm -f ".tools/$tgz" && mv "$node_dir.partial" "$node_dir"
fi
printf 'export PATH=%q:"$PATH"\nexport npm_config_nodedir=%q\n' "$node_dir/bin" "$node_dir"
