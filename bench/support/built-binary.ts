// The built `latchkey` binary for a benchmark: scripts/build.mjs builds the current sources
// into a private directory under .tmp/ (so the bundle's external packages still resolve from
// the repository's node_modules), with bin/ and package.json beside it. The repository's dist/ is left alone:
// test processes may be running it.

import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

let built: string | undefined;

/** Path of bin/latchkey.cjs over a fresh private build; removed when the process exits. */
export function builtBinary(): string {
  if (built) return built;
  mkdirSync(join(ROOT, '.tmp'), { recursive: true }); // gitignored: absent on a fresh clone
  const copy = mkdtempSync(join(ROOT, '.tmp', 'bench-bin-'));
  process.on('exit', () => rmSync(copy, { recursive: true, force: true }));
  const r = spawnSync(process.execPath, ['scripts/build.mjs', '--outdir', join(copy, 'dist')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`scripts/build.mjs failed:\n${r.stderr}`);
  cpSync(join(ROOT, 'bin'), join(copy, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(copy, 'package.json')); // as installed: bin/ reads its version
  built = join(copy, 'bin', 'latchkey.cjs');
  return built;
}

/** The directory of the private build's dist/ (for source maps when summarizing profiles). */
export function builtDist(): string {
  return resolve(builtBinary(), '../../dist');
}
