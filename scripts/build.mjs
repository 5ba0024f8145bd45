#!/usr/bin/env node
// Bundles the CLI and server into dist/ with esbuild. Code splitting keeps each command's
// code in its own chunk, loaded only when that command runs (fast `latchkey --version`).
// `--outdir DIR` builds elsewhere (the benchmarks build a private copy, leaving dist/ alone).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const at = process.argv.indexOf('--outdir');
const outdir = at > 0 && process.argv[at + 1] ? resolve(process.argv[at + 1]) : fileURLToPath(new URL('../dist', import.meta.url));
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { latchkey: 'src/cli/main.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  // Native addons and packages that load files relative to themselves stay external.
  external: ['better-sqlite3', 'pg-native', 'oidc-provider', 'playwright-core'],
  banner: {
    js: "import { createRequire as __lkCreateRequire } from 'node:module'; const require = __lkCreateRequire(import.meta.url);",
  },
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});
