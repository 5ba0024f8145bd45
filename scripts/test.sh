#!/usr/bin/env bash
# The one test command (README and .ci/run both run exactly this). On a fresh machine it
# installs what is missing — Debian's postgresql, awscli, python3-botocore, curl, jq, openssl,
# docker-registry and skopeo (the registry tests), and the npm packages — then builds,
# type-checks and runs every test.
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
[ -x /usr/bin/docker-registry ] || need+=(docker-registry)
command -v skopeo >/dev/null || need+=(skopeo)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Node: the suite runs on one exact Node 24 LTS build from the npm registry, whatever Node the
# machine has (scripts/node-env.sh fetches it into .tools/ once; native addons build against it).
eval "$(scripts/node-env.sh)"
echo "node $(node --version) ($(command -v node))"

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
