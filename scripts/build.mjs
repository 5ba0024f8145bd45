#!/usr/bin/env node
// Bundles the CLI and server into dist/ with esbuild. Code splitting keeps each command's
// code in its own chunk, loaded only when that command runs (fast `latchkey --version`).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { latchkey: 'src/cli/main.ts' },
  outdir: 'dist',
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
