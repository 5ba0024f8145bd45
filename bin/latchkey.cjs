#!/usr/bin/env node
// The latchkey binary: the bundled CLI (see scripts/build.mjs). `latchkey --version` on its
// own is answered here, from package.json (the field the bundle inlines as VERSION), before
// any of the bundle's modules load: Node's ES module loader costs about a millisecond per
// module, and the CLI's start-up is ten of them (bench/README.md, "CLI start-up").
import { readFileSync } from 'node:fs';

let version;
if (process.argv.length === 3 && process.argv[2] === '--version') {
  try {
    version = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
  } catch {
    // Not beside its package.json (a bare copy of bin/ and dist/): the bundle answers.
  }
}
if (typeof version === 'string') process.stdout.write(`${version}\n`);
else await import('../dist/latchkey.mjs');
