#!/usr/bin/env bash
# Builds the `latchkey` binary as of COMMIT into DIR, for before/after runs in one benchmark
# (BENCH_BIN_<VARIANT>=DIR/bin/latchkey.cjs; see bench/README.md). Uses `git archive`, so the
# working tree and the repository's dist/ are left alone. Prints the binary's path.
#   bench/support/build-at.sh COMMIT DIR
set -euo pipefail
commit=$1
dir=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$dir"
mkdir -p "$dir"
git -C "$root" archive "$commit" src scripts bin package.json tsconfig.json | tar -x -C "$dir"
ln -s "$root/node_modules" "$dir/node_modules"
(cd "$dir" && node scripts/build.mjs >&2)
# bin/latchkey.mjs before the CommonJS bin.
for f in "$dir/bin/latchkey.cjs" "$dir/bin/latchkey.mjs"; do
  if [ -e "$f" ]; then echo "$f"; exit 0; fi
done
exit 1
