// bin/latchkey.cjs answers `--version` itself, before the bundle loads: it must say exactly
// what the bundle says.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
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

it('latchkey on a Node.js older than 22 says which Node it needs, before anything crashes', () => {
  requireBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-old-node-'));
  const pretend = join(dir, 'node20.cjs');
  writeFileSync(pretend, "Object.defineProperty(process.versions, 'node', { value: '20.20.2' });\n");
  const old = spawnSync(process.execPath, ['--require', pretend, BIN, 'iam', 'org', 'ls'], { encoding: 'utf8' });
  assert.equal(old.status, 1);
  assert.match(old.stderr, /^latchkey needs Node\.js 22 or later \(the LTS lines 22 and 24\); this is Node\.js 20\.20\.2 \(/);
  // The machine's own Node, where it is an older one, is refused the same way.
  const system = spawnSync('/usr/bin/node', ['--version'], { encoding: 'utf8' });
  if (system.status === 0 && Number(system.stdout.slice(1).split('.')[0]) < 22) {
    const real = spawnSync('/usr/bin/node', [BIN, 'serve', '--help'], { encoding: 'utf8' });
    assert.equal(real.status, 1);
    assert.match(real.stderr, /latchkey needs Node\.js 22 or later/);
  }
  // Node 22 and later run the CLI.
  assert.equal(spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' }).status, 0);
});

it('the README\'s line puts latchkey on PATH without root: a link in ~/.local/bin that runs the build', () => {
  requireBuilt();
  const line = /^mkdir -p ~\/\.local\/bin && ln -sf "\$PWD\/bin\/latchkey\.cjs" ~\/\.local\/bin\/latchkey$/m.exec(readFileSync(resolve('README.md'), 'utf8'));
  assert.ok(line, 'README.md shows the line');
  const home = mkdtempSync(join(tmpdir(), 'latchkey-path-'));
  const env = { HOME: home, PATH: `${home}/.local/bin:${dirname(process.execPath)}:/usr/bin:/bin` };
  const r = spawnSync('bash', ['-c', `set -e\n${line[0]}\ncd /\nlatchkey --version\nlatchkey iam --help`], { cwd: resolve('.'), env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const pkg = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { version: string };
  assert.ok(r.stdout.startsWith(`${pkg.version}\n`), r.stdout);
  assert.match(r.stdout, /Usage:\n {2}latchkey iam/);
});
