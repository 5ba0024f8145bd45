// The built binary, as a user runs it (node bin/latchkey.cjs, HOME in a temp dir): help for
// every command, the version, config round trips, a cached `auth token` with no server at all,
// completion scripts that a real bash completes with, and the lazy loading the start-up
// numbers depend on.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import pkg from '../../package.json' with { type: 'json' };
import { COMMAND_TREE } from '../../src/cli/command-tree/index.js';
import type { CommandSpec } from '../../src/cli/command-spec.js';
import { writeSession } from '../../src/cli/token-cache.js';
import { builtBinary, latchkey, tempHome } from './support/cli-binary.js';
import { closedUrl } from './support/closed-port.js';
import { fakeJwt } from './support/fake-jwt.js';

function commandPaths(spec: CommandSpec, words: string[] = []): string[][] {
  return [words, ...(spec.subcommands ?? []).filter((c) => !c.passthrough).flatMap((c) => commandPaths(c, [...words, c.name]))];
}

describe('latchkey (built binary)', () => {
  before(() => builtBinary());

  it('--version prints the package version', () => {
    const r = latchkey(['--version'], tempHome().env);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, `${pkg.version}\n`);
    assert.equal(latchkey(['version'], tempHome().env).stdout, `${pkg.version}\n`);
  });

  it('--help lists every command, the server\'s included, with one line each', () => {
    const r = latchkey(['--help'], tempHome().env);
    assert.equal(r.status, 0);
    for (const c of COMMAND_TREE.subcommands!) assert.match(r.stdout, new RegExp(`^  ${c.name} +${c.summary.slice(0, 20).replace(/[.*+?^${}()|[\]\\`]/g, '\\$&')}`, 'm'));
    for (const name of ['serve', 'aws-emulator', 'admin']) assert.match(r.stdout, new RegExp(`^  ${name} `, 'm'));
  });

  it('every command answers --help', () => {
    const { env } = tempHome();
    for (const words of commandPaths(COMMAND_TREE)) {
      const r = latchkey([...words, '--help'], env);
      assert.equal(r.status, 0, `${words.join(' ')} --help: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`Usage:\\n  latchkey${words.map((w) => ` ${w}`).join('')}`), words.join(' '));
      assert.equal(r.stderr, '');
    }
    assert.match(latchkey(['iam', 'id', 'create', 'aws', '-h'], env).stdout, /--filename FILE[\s\S]*--aws-arn-pattern RE2[\s\S]*-y, --yes/);
  });

  it('hands the server\'s commands their own --help (dispatch reaches their modules)', () => {
    const { env } = tempHome();
    for (const name of ['serve', 'aws-emulator', 'admin']) {
      const r = latchkey([name, '--help'], env);
      assert.equal(r.status, 0, `${name} --help: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`latchkey ${name}`));
    }
  });

  it('a wrong command line: exit 2, one line on stderr that says what to do', () => {
    const r = latchkey(['iam', 'identitys', 'ls'], tempHome().env);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'latchkey: unknown command "identitys" for "latchkey iam": did you mean "identities" or "identity"? run `latchkey iam --help`\n');
  });

  it('config set, view, unset and reset work on $XDG_CONFIG_HOME/latchkey/config.yaml', () => {
    const { dir, env } = tempHome();
    const file = join(dir, 'config', 'latchkey', 'config.yaml');
    assert.equal(latchkey(['config', 'set', 'platform.api', 'http://latchkey.example:8080/'], env).status, 0);
    assert.equal(latchkey(['config', 'set', 'auth.mode', 'headless'], env).status, 0);
    assert.equal(readFileSync(file, 'utf8'), 'platform:\n  api: http://latchkey.example:8080\nauth:\n  mode: headless\n');
    const view = latchkey(['config', 'view'], env);
    assert.match(view.stdout, /^platform\.api +http:\/\/latchkey\.example:8080 +\/.*config\.yaml$/m);
    assert.match(view.stdout, /^platform\.issuer +http:\/\/latchkey\.example:8080 +platform\.api$/m);
    const json = JSON.parse(latchkey(['config', 'view', '-o', 'json'], { ...env, LATCHKEY_DEFAULT_OUTPUT: 'yaml' }).stdout);
    assert.deepEqual(json, { platform: { api: 'http://latchkey.example:8080' }, auth: { mode: 'headless', 'refresh-margin': 60 }, default: { output: 'yaml' } });
    const fromEnv = latchkey(['config', 'view'], { ...env, LATCHKEY_PLATFORM_API: 'http://env:1' });
    assert.match(fromEnv.stdout, /^platform\.api +http:\/\/env:1 +LATCHKEY_PLATFORM_API$/m);
    const bad = latchkey(['config', 'set', 'auth.mode', 'sideways'], env);
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr, 'latchkey: invalid auth.mode: "sideways" is not one of: browser, headless\n');
    assert.equal(latchkey(['config', 'unset', 'auth.mode'], env).status, 0);
    assert.equal(readFileSync(file, 'utf8'), 'platform:\n  api: http://latchkey.example:8080\n');
    const reset = latchkey(['config', 'reset'], env);
    assert.equal(reset.status, 2, 'no terminal, no --yes: nothing deleted');
    assert.ok(readFileSync(file, 'utf8'));
    assert.equal(latchkey(['config', 'reset', '-y'], env).status, 0);
    assert.match(latchkey(['config', 'view'], env).stdout, /^platform\.api +http:\/\/127\.0\.0\.1:8080 +default$/m);
    const other = join(dir, 'other.yaml');
    assert.equal(latchkey(['--config', other, 'config', 'set', 'default.group', 'acme'], env).status, 0);
    assert.equal(readFileSync(other, 'utf8'), 'default:\n  group: acme\n');
  });

  it('on a terminal, asks first; "n" changes nothing (a real pty, via script(1))', (t) => {
    if (spawnSync('script', ['--version']).status !== 0) return t.skip('script(1) is not installed');
    const { dir, env } = tempHome();
    assert.equal(latchkey(['config', 'set', 'default.group', 'acme'], env).status, 0);
    const onTerminal = (answer: string) => spawnSync('bash', ['-c', `(sleep 2; printf '${answer}\\r') | script -qec "$CMD" /dev/null`], {
      env: { ...env, PATH: process.env.PATH!, CMD: `"${process.execPath}" "${builtBinary()}" config reset` }, encoding: 'utf8', timeout: 30_000,
    });
    const no = onTerminal('n');
    assert.equal(no.status, 1);
    assert.match(no.stdout, /Deleting the configuration file .*config\.yaml\.\r?\nDo you want to continue\? \[y,N\]: n\r?\nlatchkey: cancelled; nothing was changed/);
    assert.ok(readFileSync(join(dir, 'config', 'latchkey', 'config.yaml'), 'utf8'));
    const yes = onTerminal('y');
    assert.equal(yes.status, 0, yes.stdout);
    assert.match(yes.stdout, /\[y,N\]: y\r?\nDeleted /);
  });

  it('a broken config file is one line naming the file, and config commands still fix it', () => {
    const { dir, env } = tempHome();
    assert.equal(latchkey(['config', 'set', 'default.group', 'acme'], env).status, 0);
    writeFileSync(join(dir, 'config', 'latchkey', 'config.yaml'), 'platform:\n  api: nope\n');
    const r = latchkey(['iam', 'org', 'ls'], env);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^latchkey: invalid platform\.api \(from .*config\.yaml\): "nope" is not a URL.*: fix it with `latchkey config set platform\.api URL` or `latchkey config unset platform\.api`\n$/);
    assert.equal(latchkey(['config', 'unset', 'platform.api'], env).status, 0);
  });

  it('auth token: not logged in is one line and exit 1', () => {
    const r = latchkey(['auth', 'token'], tempHome().env);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^latchkey: not logged in to http:\/\/127\.0\.0\.1:8080: run `latchkey auth login`/);
  });

  it('auth token: a cached token is printed with no server to talk to; status never shows it', async () => {
    const { dir, env } = tempHome();
    const api = await closedUrl();
    const sub = 'f1d5337370e7d8e99282c25286804a5b2cfc1682';
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const token = fakeJwt({ sub, exp, aud: api, iss: api, email: 'dev@example.com' });
    await writeSession(join(dir, 'cache', 'latchkey', 'tokens'), {
      version: 1, kind: 'human', api, issuer: api, audience: null, token, expiry: new Date(exp * 1000).toISOString(), subject: sub,
    });
    const r = latchkey(['auth', 'token', '--api', api], env);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `${token}\n`);
    const status = latchkey(['auth', 'status'], { ...env, LATCHKEY_PLATFORM_API: api });
    assert.equal(status.status, 0);
    assert.match(status.stdout, new RegExp(`^Identity: +${sub} \\(dev@example\\.com\\)$`, 'm'));
    assert.match(status.stdout, /^Status: +valid$/m);
    assert.doesNotMatch(status.stdout, new RegExp(token.split('.')[1]!));
    const json = JSON.parse(latchkey(['auth', 'status', '-o', 'json', '--api', api], env).stdout);
    assert.equal(json.id, sub);
    assert.equal(json.valid, true);
    assert.doesNotMatch(JSON.stringify(json), new RegExp(token.split('.')[1]!));
  });

  it('completion bash: a real bash completes words, aliases, flags and flag values', () => {
    const script = latchkey(['completion', 'bash'], tempHome().env).stdout;
    const complete = (words: string[]) => {
      const arr = words.map((w) => `'${w}'`).join(' ');
      const r = spawnSync('bash', ['-c', `${script}\nCOMP_WORDS=(${arr}); COMP_CWORD=${words.length - 1}; _latchkey; echo "\${COMPREPLY[*]}"`], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.trim().split(' ').filter(Boolean);
    };
    assert.deepEqual(complete(['latchkey', 'iam', 'id', '']), ['create', 'list', 'ls', 'describe', 'update', 'delete']);
    assert.deepEqual(complete(['latchkey', 'iam', 'o']), ['organizations', 'organization', 'orgs', 'org']);
    assert.deepEqual(complete(['latchkey', '--api', 'http://x', 'iam', 'id', 'create', 'aws', '--f']), ['--filename']);
    assert.deepEqual(complete(['latchkey', 'iam', 'org', 'ls', '-o', '']), ['table', 'json', 'yaml', 'id']);
    assert.deepEqual(complete(['latchkey', 'config', 'set', 'auth.']), ['auth.mode', 'auth.refresh-margin']);
    assert.deepEqual(complete(['latchkey', 'auth', 'login', '--identity-provider', '']), ['aws', 'github-actions', 'kubernetes']);
    assert.deepEqual(complete(['latchkey', 'completion', '']), ['bash', 'zsh']);
  });

  it('completion zsh: a real zsh completes, and file flags fall back to file names', (t) => {
    const script = latchkey(['completion', 'zsh'], tempHome().env).stdout;
    assert.match(script, /^#compdef latchkey\n/);
    if (spawnSync('zsh', ['--version']).status !== 0) return t.skip('zsh is not installed');
    assert.equal(spawnSync('zsh', ['-n'], { input: script, encoding: 'utf8' }).status, 0);
    // compadd and _files stand in for the completion system's, printing what they are given.
    const complete = (words: string[]) => {
      const r = spawnSync('zsh', ['-c', `compdef() { : }; compadd() { shift; print -r -- "$*" }; _files() { print FILES }
${script}
words=(${words.map((w) => `'${w}'`).join(' ')}); CURRENT=${words.length}; _latchkey; print -r -- "$PATH"`], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
      assert.equal(r.status, 0, r.stderr);
      const [out, path] = r.stdout.trim().split('\n');
      assert.equal(path, '/usr/bin:/bin', 'the script must not clobber $path');
      return out!.split(' ');
    };
    assert.deepEqual(complete(['latchkey', 'iam', 'id', '']), ['create', 'list', 'ls', 'describe', 'update', 'delete']);
    assert.deepEqual(complete(['latchkey', 'iam', 'org', 'ls', '-o', '']), ['table', 'json', 'yaml', 'id']);
    assert.ok(complete(['latchkey', '--api', 'http://x', 'iam', 'id', 'create', 'aws', '--f']).includes('--filename'));
    assert.deepEqual(complete(['latchkey', 'iam', 'id', 'create', '--filename', '']), ['FILES']);
  });

  it('auth token (exactly): a fresh cached token comes from dist/fast alone; anything else reaches the full CLI', async () => {
    const { dir, env } = tempHome();
    const api = await closedUrl();
    const cacheDir = join(dir, 'cache', 'latchkey', 'tokens');
    const session = (token: string, expSeconds: number) => writeSession(cacheDir, {
      version: 1, kind: 'human', api, issuer: api, audience: null, token, expiry: new Date(expSeconds * 1000).toISOString(), subject: 'f1d5337370e7d8e99282c25286804a5b2cfc1682',
    });
    // A copy of the binary without the CLI's bundle: only the fast path can answer.
    const fastOnly = mkdtempSync(join(tmpdir(), 'latchkey-fast-only-'));
    const dist = join(dirname(builtBinary()), '..', 'dist');
    cpSync(dirname(builtBinary()), join(fastOnly, 'bin'), { recursive: true });
    cpSync(join(dist, 'fast'), join(fastOnly, 'dist', 'fast'), { recursive: true });
    const run = (args: string[], extra: Record<string, string> = {}) => {
      const r = spawnSync(process.execPath, [join(fastOnly, 'bin', 'latchkey.cjs'), ...args], { env: { PATH: process.env.PATH, ...env, ...extra }, encoding: 'utf8', timeout: 60_000 });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    try {
      const fresh = fakeJwt({ sub: 'x', exp: Math.floor(Date.now() / 1000) + 3600 });
      await session(fresh, Math.floor(Date.now() / 1000) + 3600);
      assert.deepEqual(run(['auth', 'token'], { LATCHKEY_PLATFORM_API: api }), { status: 0, stdout: `${fresh}\n`, stderr: '' });
      // The API from config.yaml: parsed once (by the YAML parser beside the fast bundle), then
      // from the parsed-config cache, with no parser at all.
      assert.equal(latchkey(['config', 'set', 'platform.api', api], env).status, 0);
      assert.deepEqual(run(['auth', 'token']), { status: 0, stdout: `${fresh}\n`, stderr: '' });
      rmSync(join(fastOnly, 'dist', 'fast', 'yaml.cjs'));
      assert.deepEqual(run(['auth', 'token']), { status: 0, stdout: `${fresh}\n`, stderr: '' });
      // Any other command line, a token inside the refresh margin, invalid settings, another
      // audience, a changed config.yaml (no parser in this copy): the full CLI is needed (absent
      // from this copy, so the import fails).
      const needsBundle = /Cannot find module .*dist\/latchkey\.mjs/;
      assert.match(run(['auth', 'token', '-v']).stderr, needsBundle);
      assert.match(run(['auth', 'token'], { LATCHKEY_AUTH_REFRESH_MARGIN: '7200' }).stderr, needsBundle);
      assert.match(run(['auth', 'token'], { LATCHKEY_PLATFORM_API: 'nope' }).stderr, needsBundle);
      assert.match(run(['auth', 'token'], { LATCHKEY_PLATFORM_AUDIENCE: 'https://other.example' }).stderr, needsBundle);
      const configPath = join(dir, 'config', 'latchkey', 'config.yaml');
      writeFileSync(configPath, `${readFileSync(configPath, 'utf8')}# changed\n`);
      assert.match(run(['auth', 'token']).stderr, needsBundle);
      // ... and the full CLI does what it always did: renew (here: fail to reach the server), report settings.
      const renew = latchkey(['auth', 'token'], { ...env, LATCHKEY_AUTH_REFRESH_MARGIN: '7200' });
      assert.equal(renew.status, 1);
      assert.equal(renew.stdout, '');
      assert.match(renew.stderr, /^latchkey: /);
      const expired = fakeJwt({ sub: 'x', exp: Math.floor(Date.now() / 1000) - 10 });
      await session(expired, Math.floor(Date.now() / 1000) - 10);
      assert.match(run(['auth', 'token']).stderr, needsBundle);
      const bad = latchkey(['auth', 'token'], { ...env, LATCHKEY_PLATFORM_API: 'nope' });
      assert.match(bad.stderr, /^latchkey: invalid platform\.api \(from LATCHKEY_PLATFORM_API\)/);
    } finally {
      rmSync(fastOnly, { recursive: true, force: true });
    }
  });

  it('the fast path writes with one system call, and a reader that went away is not an error', async () => {
    const { dir, env } = tempHome();
    const api = await closedUrl();
    const token = fakeJwt({ sub: 'x', exp: Math.floor(Date.now() / 1000) + 3600 });
    await writeSession(join(dir, 'cache', 'latchkey', 'tokens'), {
      version: 1, kind: 'human', api, issuer: api, audience: null, token, expiry: new Date(Date.now() + 3600_000).toISOString(), subject: 'x',
    });
    const sh = (pipe: string) => spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${builtBinary()}" auth token | ${pipe}`],
      { env: { PATH: process.env.PATH, ...env, LATCHKEY_PLATFORM_API: api }, encoding: 'utf8', timeout: 30_000 });
    // The reader closes its end before anything is written: EPIPE, quietly.
    const gone = sh('(exec 0<&-; sleep 0.3)');
    assert.equal(gone.stderr, '');
    assert.equal(gone.status, 0);
    // A pipe that is read gets the whole line.
    assert.equal(sh('cat').stdout, `${token}\n`);
  });

  it('a cached auth token loads one CommonJS file, no package and no command; the CLI starts without packages or commands', () => {
    const dist = join(dirname(builtBinary()), '..', 'dist');
    const staticClosure = (file: string, seen = new Set<string>()): Set<string> => {
      if (seen.has(file)) return seen;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^(?:import|export)[^'"]*from\s*["'](\.[^"']+)["']|^import\s*["'](\.[^"']+)["']/gm)) {
        staticClosure(join(dirname(file), (m[1] ?? m[2])!), seen);
      }
      return seen;
    };
    const sources = (files: Iterable<string>) => [...files].flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/^\/\/ ((?:node_modules|src)\/\S+)$/gm)].map((m) => m[1]!));
    const startup = sources(staticClosure(join(dist, 'latchkey.mjs')));
    assert.deepEqual(startup.filter((s) => s.startsWith('node_modules/')), [], 'no package is loaded at start-up');
    assert.deepEqual(startup.filter((s) => s.startsWith('src/cli/commands/')), [], 'no command is loaded at start-up');
    const bin = readFileSync(builtBinary(), 'utf8');
    assert.doesNotMatch(bin, /^\s*import\s/m, 'bin/ is CommonJS: no ES module loader for the fast paths');
    assert.match(bin, /require\('\.\.\/dist\/fast\/cached-token\.cjs'\)/);
    const fastFile = join(dist, 'fast', 'cached-token.cjs');
    const fastText = readFileSync(fastFile, 'utf8');
    assert.deepEqual([...fastText.matchAll(/require\("(\.[^"]*)"\)/g)].map((m) => m[1]), ['./yaml.cjs'], 'the only file it may load is the YAML parser');
    // No ES module, except node:crypto for a token cache name too long to spell out (token-cache.ts).
    assert.deepEqual([...fastText.matchAll(/\bimport\(([^)]*)\)/g)].map((m) => m[1]), ['"node:crypto"']);
    assert.doesNotMatch(fastText, /require\("node:(?:crypto|fs\/promises|stream)"\)/, 'nothing Node has not loaded at start-up');
    const fast = sources([fastFile]);
    assert.deepEqual(fast.filter((s) => s.startsWith('node_modules/')), [], 'a cached auth token loads no package');
    assert.deepEqual(fast.filter((s) => s.startsWith('src/cli/commands/')), [], 'a cached auth token loads no command');
    assert.ok(fast.includes('src/cli/token-cache.ts') && fast.includes('src/cli/settings/load-settings.ts'));
  });
});
