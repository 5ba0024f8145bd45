#!/usr/bin/env bash
# The one test command (README and .ci/run both run exactly this). On a fresh machine it
# installs what is missing — Debian's postgresql, awscli, python3-botocore, curl, jq, openssl,
# and the npm packages — then builds, type-checks and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || need+=(postgresql)
[ -x /usr/bin/aws ] || need+=(awscli)
/usr/bin/python3 -c 'import botocore' >/dev/null 2>&1 || need+=(python3-botocore)
command -v curl >/dev/null || need+=(curl)
command -v jq >/dev/null || need+=(jq)
command -v openssl >/dev/null || need+=(openssl)
command -v runuser >/dev/null || need+=(util-linux)
command -v zsh >/dev/null || need+=(zsh)
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Node: the suite runs on one exact Node 24 LTS build, the npm registry's node-linux-<arch>
# package (the node binary with its headers), unpacked once into .tools/. Native addons
# (better-sqlite3) are built against that build's own headers.
NODE_VERSION=24.21.0
case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) arch="$(uname -m)" ;; esac
node_dir="$PWD/.tools/node-v$NODE_VERSION-linux-$arch"
if [ ! -x "$node_dir/bin/node" ]; then
  echo "fetching Node $NODE_VERSION (npm package node-linux-$arch) into .tools/"
  mkdir -p .tools
  tgz=$(npm pack "node-linux-$arch@$NODE_VERSION" --pack-destination .tools --silent | tail -n1)
  rm -rf "$node_dir.partial" && mkdir -p "$node_dir.partial"
  tar xzf ".tools/$tgz" -C "$node_dir.partial" --strip-components=1
  rm -f ".tools/$tgz" && mv "$node_dir.partial" "$node_dir"
fi
export PATH="$node_dir/bin:$PATH"
export npm_config_nodedir="$node_dir"
echo "node $(node --version) ($node_dir/bin/node)"

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
# better-sqlite3 ships Node-API binaries for common platforms; where none loads, build it from
# source against this Node's headers (npm_config_nodedir above).
if ! node -e "new (require('better-sqlite3'))(':memory:').close()" 2>/dev/null; then
  (cd node_modules/better-sqlite3 && npm run build-release)
fi
npm run build --silent
npx tsc --noEmit -p .
node scripts/run-tests.mjs "$@"
