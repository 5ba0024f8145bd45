#!/usr/bin/env node
// Bundles the CLI and server into dist/ with esbuild. Code splitting keeps each command's
// code in its own chunk, loaded only when that command runs (fast `latchkey --version`).
// `--outdir DIR` builds elsewhere (the benchmarks build a private copy, leaving dist/ alone).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const at = process.argv.indexOf('--outdir');
const outdir = at > 0 && process.argv[at + 1] ? resolve(process.argv[at + 1]) : fileURLToPath(new URL('../dist', import.meta.url));
rmSync(outdir, { recursive: true, force: true });

const common = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
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
};

// The CLI and server: dist/latchkey.mjs and its chunks.
await build({ ...common, entryPoints: { latchkey: 'src/cli/main.ts' }, outdir });

// A fresh cached `latchkey auth token` (bin/latchkey.cjs): CommonJS (no ES module loader to
// start), bundled on its own so it shares no chunk with the CLI: one file. The YAML parser,
// needed only when config.yaml changed since it was last parsed, is a file beside it.
const yamlBeside = {
  name: 'yaml-beside',
  setup(b) {
    b.onResolve({ filter: /^yaml$/ }, () => ({ path: 'yaml', namespace: 'yaml-beside' }));
    b.onLoad({ filter: /.*/, namespace: 'yaml-beside' }, () => ({ contents: "module.exports = require('./yaml.cjs');", loader: 'js' }));
    b.onResolve({ filter: /^\.\/yaml\.cjs$/ }, () => ({ path: './yaml.cjs', external: true }));
  },
};
const fast = {
  ...common, splitting: false, format: 'cjs', outdir: join(outdir, 'fast'), outExtension: { '.js': '.cjs' }, banner: undefined,
};
await build({ ...fast, entryPoints: { 'cached-token': 'src/cli/cached-token.ts' }, plugins: [yamlBeside] });
await build({ ...fast, stdin: { contents: "module.exports = require('yaml');", resolveDir: process.cwd(), loader: 'js', sourcefile: 'yaml.cjs' }, outdir: undefined, outfile: join(outdir, 'fast', 'yaml.cjs') });
