// Human login end to end: the built `latchkey` binary, a real `latchkey serve` process
// federating a real OpenID Connect provider (oidc-provider, configured here, on 127.0.0.1), and
// Debian's Chromium in headless mode driven by playwright-core. Each person has a HOME of their
// own; BROWSER=true keeps the CLI from opening anything, and the test opens the URL it prints.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { decodeJwt } from 'jose';
import { builtBinary, latchkeyAsync, type RunResult } from '../cli/support/cli-binary.js';
import { launchChromium, signInAtTestIdp, type Chromium } from '../auth/support/chromium.js';
import { FetchBrowser } from '../auth/support/fetch-browser.js';
import { inspectIdToken, startTestIdp, type TestIdp } from '../auth/support/test-idp.js';

const WAIT_MS = 60_000;

interface Person {
  home: string;
  env: Record<string, string>;
}

function person(api: string, extra: Record<string, string> = {}): Person {
  const home = mkdtempSync(join(tmpdir(), 'latchkey-person-'));
  return {
    home,
    env: {
      HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache'),
      LATCHKEY_PLATFORM_API: api, BROWSER: 'true', NO_COLOR: '1', ...extra,
    },
  };
}

/** A running `latchkey ARGS`, whose stderr the test reads while it waits. */
function startCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [builtBinary(), ...args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    for (const w of waiters) w();
  });
  const exited = new Promise<RunResult>((done) => child.on('close', (status) => done({ status, stdout, stderr })));
  /** Resolves when stderr matches `re`; fails on exit or after a minute. */
  const waitFor = (re: RegExp) => new Promise<RegExpExecArray>((found, fail) => {
    const timer = setTimeout(() => fail(new Error(`latchkey ${args.join(' ')} never printed ${re}:\n${stderr}`)), WAIT_MS);
    const check = () => {
      const m = re.exec(stderr);
      if (!m) return;
      clearTimeout(timer);
      waiters.delete(check);
      found(m);
    };
    waiters.add(check);
    check();
    void exited.then(() => {
      check();
      clearTimeout(timer);
      fail(new Error(`latchkey ${args.join(' ')} exited before printing ${re}:\n${stderr}`));
    });
  });
  return { child, waitFor, exited, stderr: () => stderr };
}

/** `latchkey serve ARGS` in its own data directory; resolves with the issuer it logs. */
async function startServe(args: string[], dataDir: string): Promise<{ child: ChildProcess; issuer: string; stderr: () => string }> {
  const child = spawn(process.execPath, [builtBinary(), 'serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'info', ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dataDir, XDG_DATA_HOME: dataDir },
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  const issuer = await new Promise<string>((found, fail) => {
    const timer = setTimeout(() => fail(new Error(`serve did not start:\n${err}`)), WAIT_MS);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.includes('"latchkey serving"'));
      if (line) {
        clearTimeout(timer);
        found((JSON.parse(line) as { issuer: string }).issuer);
      }
    });
    child.on('exit', (code) => { clearTimeout(timer); fail(new Error(`serve exited (${code}):\n${err}`)); });
  });
  return { child, issuer, stderr: () => err };
}

function ok(r: RunResult, what: string): string {
  assert.equal(r.status, 0, `${what} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The person's cached session (one file: one API, the default audience). */
function cachedSession(p: Person): { token: string; refreshToken?: string } {
  const dir = join(p.home, 'cache', 'latchkey', 'tokens');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.equal(files.length, 1, `one cached session in ${dir}`);
  return JSON.parse(readFileSync(join(dir, files[0]!), 'utf8')) as { token: string; refreshToken?: string };
}

async function postForm(url: string, form: Record<string, string>): Promise<{ status: number; body: any }> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
  return { status: r.status, body: await r.json() };
}

describe('human login through an upstream provider, with the built CLI and Chromium', () => {
  let idp: TestIdp;
  let server: { child: ChildProcess; issuer: string; stderr: () => string };
  let dataDir: string;
  let orgId: string;
  let browser: Chromium;
  let aliceId: string;

  before(async () => {
    idp = await startTestIdp();
    idp.accounts.set('alice', { email: 'alice@acme.example', email_verified: true, name: 'Alice' });
    dataDir = mkdtempSync(join(tmpdir(), 'latchkey-human-e2e-'));
    const bootstrap = await latchkeyAsync(['admin', 'bootstrap', '--org', 'acme', '--owner-email', 'alice@acme.example', '-o', 'id', '--data-dir', dataDir],
      { HOME: dataDir });
    orgId = ok(bootstrap, 'admin bootstrap').trim();
    const providers = JSON.stringify([{ name: 'test', displayName: 'Test IdP', issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret }]);
    // A generous upstream timeout: on a loaded machine a JWKS refetch must not turn a forged
    // token's 401 into a 503 (the timeout itself is tested in test/auth/upstream-provider.test.ts).
    server = await startServe(['--oidc-providers', providers, '--oidc-upstream-timeout', '30000', '--device-code-interval', '1s', '--token-ttl', '600'], dataDir);
    idp.attach([`${server.issuer}/oauth/callback`]);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    server?.child.kill();
    await idp?.close();
  });

  it('auth login opens the issuer, the person signs in at the provider, and the CLI caches their token', async () => {
    const alice = person(server.issuer);
    const login = startCli(['auth', 'login'], alice.env);
    const [, url] = await login.waitFor(/Opening browser to (\S+)\n/);
    const u = new URL(url!);
    assert.equal(`${u.origin}${u.pathname}`, `${server.issuer}/oauth/authorize`);
    assert.equal(u.searchParams.get('code_challenge_method'), 'S256');
    assert.match(u.searchParams.get('redirect_uri')!, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    await browser.page.goto(url!);
    await signInAtTestIdp(browser.page, 'alice');
    await browser.page.locator('#result').waitFor();
    assert.equal(await browser.page.locator('#result').textContent(), 'Latchkey received the sign-in.');
    const out = ok(await login.exited, 'auth login');
    const id = /^Valid! Id: ([0-9a-f]{40})$/m.exec(out)?.[1];
    assert.ok(id, out);
    aliceId = id;

    const session = cachedSession(alice);
    assert.equal(decodeJwt(session.token).sub, aliceId, 'the cached token is the person\'s');
    assert.match(session.refreshToken ?? '', /^lkrt_/);
    const db = new Database(join(dataDir, 'latchkey.db'), { readonly: true });
    try {
      const row = db.prepare('select kind, user_issuer, user_subject, user_email from identities where id = ?').get(aliceId);
      assert.deepEqual(row, { kind: 'user', user_issuer: idp.issuer, user_subject: 'alice', user_email: 'alice@acme.example' });
    } finally {
      db.close();
    }
    const orgs = JSON.parse(ok(await latchkeyAsync(['iam', 'org', 'ls', '-o', 'json'], alice.env), 'iam org ls')) as { items: Array<{ id: string; name: string }> };
    assert.deepEqual(orgs.items.map((o) => [o.id, o.name]), [[orgId, 'acme']], 'the bootstrap binding by email was claimed');
  });

  it('headless (auth.mode headless): prints the code, and completes once the person approves it through the provider', async () => {
    const alice = person(server.issuer, { LATCHKEY_AUTH_MODE: 'headless' });
    const login = startCli(['auth', 'login'], alice.env);
    const [, url] = await login.waitFor(/or open (\S+)\n/);
    assert.match(login.stderr(), /^Using "headless" auth mode as set in configuration\. To disable: latchkey config unset auth\.mode\n/);
    assert.match(login.stderr(), /open \S+\/oauth\/device in a browser and enter the code [B-Z]{4}-[B-Z]{4}/);
    await browser.page.goto(url!);
    await browser.page.locator('#approve').click();
    await signInAtTestIdp(browser.page, 'alice');
    await browser.page.locator('#done').waitFor();
    const out = ok(await login.exited, 'headless auth login');
    assert.match(out, new RegExp(`^Valid! Id: ${aliceId}$`, 'm'), 'the same person, the same identity');
    const orgs = JSON.parse(ok(await latchkeyAsync(['iam', 'org', 'ls', '-o', 'json'], alice.env), 'iam org ls')) as { items: Array<{ id: string }> };
    assert.deepEqual(orgs.items.map((o) => o.id), [orgId]);
  });

  it('a refresh token works once; its reuse is refused and revokes its successor', async () => {
    const alice = person(server.issuer, { LATCHKEY_AUTH_MODE: 'headless' });
    const login = startCli(['auth', 'login'], alice.env);
    const [, url] = await login.waitFor(/or open (\S+)\n/);
    await new FetchBrowser().visit(url!, { login: 'alice' });
    ok(await login.exited, 'auth login');
    const first = cachedSession(alice).refreshToken!;
    const token = `${server.issuer}/oauth/token`;
    const r1 = await postForm(token, { grant_type: 'refresh_token', refresh_token: first, client_id: 'latchkey-cli' });
    assert.equal(r1.status, 200);
    const reuse = await postForm(token, { grant_type: 'refresh_token', refresh_token: first, client_id: 'latchkey-cli' });
    assert.equal(reuse.body.code, 'AUTH_REFRESH_TOKEN_REUSED');
    const successor = await postForm(token, { grant_type: 'refresh_token', refresh_token: r1.body.refresh_token, client_id: 'latchkey-cli' });
    assert.equal(successor.body.code, 'AUTH_REFRESH_TOKEN_REVOKED');
  });

  it('the CLI refreshes with its refresh token; after auth logout neither token works', async () => {
    const alice = person(server.issuer, { LATCHKEY_AUTH_MODE: 'headless', LATCHKEY_AUTH_REFRESH_MARGIN: '3600' });
    const login = startCli(['auth', 'login'], alice.env);
    const [, url] = await login.waitFor(/or open (\S+)\n/);
    await new FetchBrowser().visit(url!, { login: 'alice' });
    ok(await login.exited, 'auth login');
    const before = cachedSession(alice);
    // The 10-minute token is inside the 1-hour refresh margin: `auth token` refreshes it.
    const printed = ok(await latchkeyAsync(['auth', 'token'], alice.env), 'auth token').trim();
    const after = cachedSession(alice);
    assert.notEqual(after.refreshToken, before.refreshToken, 'rotated');
    assert.equal(printed, after.token);
    assert.equal(decodeJwt(after.token).sub, aliceId);
    assert.match(ok(await latchkeyAsync(['auth', 'logout'], alice.env), 'auth logout'), /^Logged out of /);
    const token = `${server.issuer}/oauth/token`;
    for (const rt of [before.refreshToken!, after.refreshToken!]) {
      const r = await postForm(token, { grant_type: 'refresh_token', refresh_token: rt, client_id: 'latchkey-cli' });
      assert.equal(r.body.code, 'AUTH_REFRESH_TOKEN_REVOKED');
    }
  });

  it('a forged upstream ID token ends the login with a clear error', async () => {
    const mallory = person(server.issuer);
    idp.tamper = async (real) => idp.forge(inspectIdToken(real).claims);
    try {
      const login = startCli(['auth', 'login'], mallory.env);
      const [, url] = await login.waitFor(/Opening browser to (\S+)\n/);
      await browser.page.goto(url!);
      await signInAtTestIdp(browser.page, 'alice');
      await browser.page.locator('#result').waitFor();
      const r = await login.exited;
      assert.equal(r.status, 1);
      assert.match(r.stderr, /latchkey: the login failed: the ID token from test was refused: its signature does not verify .*\(UPSTREAM_ID_TOKEN_INVALID\)/);
      assert.doesNotMatch(r.stderr, /eyJ/, 'no token in the message');
    } finally {
      idp.tamper = undefined;
    }
  });

  it('a callback with the wrong state ends the login with a clear error', async () => {
    const login = startCli(['auth', 'login'], person(server.issuer).env);
    const [, url] = await login.waitFor(/Opening browser to (\S+)\n/);
    const callback = new URL(new URL(url!).searchParams.get('redirect_uri')!);
    callback.search = new URLSearchParams({ code: 'lkac_whatever', state: 'not-the-state', iss: server.issuer }).toString();
    assert.equal((await fetch(callback)).status, 400);
    const r = await login.exited;
    assert.equal(r.status, 1);
    assert.match(r.stderr, /carries a state this login did not send .*\(STATE_MISMATCH\)/);
  });
});

describe('human login against misconfigured or misbehaving upstreams', () => {
  it('refuses to start with an upstream issuer over plain http', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-human-e2e-'));
    const providers = JSON.stringify([{ name: 'corp', issuer: 'http://idp.example.test', clientId: 'x' }]);
    const r = await latchkeyAsync(['serve', '--port', '0', '--data-dir', dataDir, '--oidc-providers', providers], { HOME: dataDir });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /invalid --oidc-providers: provider "corp": issuer http:\/\/idp\.example\.test uses plain http: use https/);
  });

  it('reports an upstream whose discovery redirects elsewhere', async () => {
    const idp = await startTestIdp();
    const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-human-e2e-'));
    const providers = JSON.stringify([{ name: 'moved', issuer: idp.issuer, clientId: idp.clientId }]);
    const server = await startServe(['--oidc-providers', providers], dataDir);
    idp.attach([`${server.issuer}/oauth/callback`]);
    idp.redirectDiscoveryTo = 'https://elsewhere.example/.well-known/openid-configuration';
    try {
      const login = startCli(['auth', 'login'], person(server.issuer).env);
      const [, url] = await login.waitFor(/Opening browser to (\S+)\n/);
      await fetch(url!); // any browser: /authorize answers at the CLI's callback
      const r = await login.exited;
      assert.equal(r.status, 1);
      assert.match(r.stderr, /discovery at moved failed: .* answered with a redirect \(302\); redirects are not followed.*\(UPSTREAM_REDIRECTED\)/);
    } finally {
      server.child.kill();
      await idp.close();
    }
  });
});

describe('dev login against latchkey serve --dev', () => {
  it('latchkey auth login && latchkey iam org ls works with no browser', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-human-e2e-'));
    const server = await startServe(['--dev'], dataDir);
    try {
      const dev = person(server.issuer, { BROWSER: '/nonexistent/browser' });
      const r = await new Promise<RunResult>((done) => {
        const child = spawn('bash', ['-c', `set -euo pipefail\nlatchkey() { "${process.execPath}" "${builtBinary()}" "$@"; }\nlatchkey auth login && latchkey iam org ls`],
          { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...dev.env } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
        child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
        child.on('close', (status) => done({ status, stdout, stderr }));
      });
      const out = ok(r, 'auth login && iam org ls');
      assert.match(out, /^Successfully logged in\.\nValid! Id: [0-9a-f]{40}\n/);
      assert.match(out, /dev-org/);
      assert.doesNotMatch(r.stderr, /Opening browser/);
      assert.match(cachedSession(dev).refreshToken ?? '', /^lkrt_/);
    } finally {
      server.child.kill();
    }
  });
});
