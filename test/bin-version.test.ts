// bin/latchkey.cjs answers `--version` itself, before the bundle loads: it must say exactly
// what the bundle says.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { it } from 'node:test';
import { BIN, requireBuilt } from './support/binary.js';

it('latchkey --version from bin/ is the bundle\'s version, which is package.json\'s', () => {
  requireBuilt();
  const pkg = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { version: string };
  const fast = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' });
  const bundle = spawnSync(process.execPath, [resolve('dist/latchkey.mjs'), '--version'], { encoding: 'utf8' });
  assert.equal(fast.status, 0);
  assert.equal(fast.stdout, `${pkg.version}\n`);
  assert.equal(bundle.stdout, fast.stdout);
  // Anything else goes to the bundle.
  assert.match(spawnSync(process.execPath, [BIN, '--version', '--help'], { encoding: 'utf8' }).stdout, /^\d+\.\d+\.\d+/);
  assert.match(spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' }).stdout, /Usage:/);
});
