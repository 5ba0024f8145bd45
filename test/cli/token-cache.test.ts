// The token cache: private files (0600 in 0700), written atomically, one per API and audience;
// a fresh token is reused with no request at all; an expiring one is renewed (refresh token,
// or exchanging the token file again) against a real HTTP server on loopback.

import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CliError } from '../../src/cli/cli-error.js';
import { createContext } from '../../src/cli/context.js';
import { decodeClaims } from '../../src/cli/jwt-claims.js';
import { currentSession } from '../../src/cli/session.js';
import { readSession, sessionFile, writeSession, type Session } from '../../src/cli/token-cache.js';
import { closedUrl } from './support/closed-port.js';
import { fakeJwt } from './support/fake-jwt.js';
import { testIo } from './support/test-io.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const SUB = 'f1d5337370e7d8e99282c25286804a5b2cfc1682';
const ID = `${SUB}/fc5787bc18e93bea`;

interface Seen { method: string; url: string; authorization?: string; body: string }

/** A real server on loopback that records requests and answers with `answer`. */
async function server(answer: (req: Seen) => { status: number; body: unknown }): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const s: Server = createServer(async (req: IncomingMessage, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const r: Seen = { method: req.method!, url: req.url!, authorization: req.headers.authorization, body };
    seen.push(r);
    const a = answer(r);
    res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body));
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  after(() => s.close());
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, seen };
}

function setup(api: string, extraEnv: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-cache-'));
  const env = { HOME: dir, XDG_CONFIG_HOME: join(dir, 'config'), XDG_CACHE_HOME: join(dir, 'cache'), LATCHKEY_PLATFORM_API: api, ...extraEnv };
  const io = testIo(env, { now: () => NOW });
  return { dir, cacheDir: join(dir, 'cache', 'latchkey', 'tokens'), ctx: createContext(io, {}, false), io };
}

function session(api: string, expSeconds: number, extra: Partial<Session> = {}): Session {
  const exp = Math.floor(NOW / 1000) + expSeconds;
  return {
    version: 1, kind: 'human', api, issuer: api, audience: null,
    token: fakeJwt({ sub: SUB, exp }), expiry: new Date(exp * 1000).toISOString(), subject: SUB,
    refreshToken: 'refresh-1', ...extra,
  } as Session;
}

describe('token cache', () => {
  it('writes 0600 files in a 0700 directory, atomically, one per API and audience', async () => {
    const { cacheDir } = setup('http://127.0.0.1:9');
    const s = session('http://127.0.0.1:9', 3600);
    await writeSession(cacheDir, s);
    await writeSession(cacheDir, s); // replaces, leaves no temp file behind
    const files = readdirSync(cacheDir);
    assert.deepEqual(files, [(await sessionFile(cacheDir, s.api, undefined)).split('/').pop()]);
    assert.equal(statSync(join(cacheDir, files[0]!)).mode & 0o777, 0o600);
    assert.equal(statSync(cacheDir).mode & 0o777, 0o700);
    assert.deepEqual(await readSession(cacheDir, s.api, undefined), s);
    assert.notEqual(await sessionFile(cacheDir, s.api, 'other-aud'), await sessionFile(cacheDir, s.api, undefined));
    assert.notEqual(await sessionFile(cacheDir, 'http://other:1', undefined), await sessionFile(cacheDir, s.api, undefined));
    assert.equal(await readSession(cacheDir, s.api, 'other-aud'), undefined);
  });

  it('ignores a damaged cache file (not logged in) rather than failing oddly', async () => {
    const { cacheDir, ctx } = setup('http://127.0.0.1:9');
    await writeSession(cacheDir, session('http://127.0.0.1:9', 3600));
    writeFileSync(await sessionFile(cacheDir, 'http://127.0.0.1:9', undefined), '{"version": 1, "tok');
    await assert.rejects(currentSession(ctx), (e: CliError) => e.code === 'NOT_LOGGED_IN' && /latchkey auth login/.test(e.hint!));
  });

  it('reuses a fresh token without any request', async () => {
    const api = await server(() => ({ status: 500, body: {} }));
    const { cacheDir, ctx } = setup(api.url);
    const s = session(api.url, 61);
    await writeSession(cacheDir, s);
    const before = statSync(await sessionFile(cacheDir, api.url, undefined)).mtimeMs;
    assert.equal((await currentSession(ctx)).token, s.token);
    assert.equal(api.seen.length, 0);
    assert.equal(statSync(await sessionFile(cacheDir, api.url, undefined)).mtimeMs, before);
  });

  it('refreshes a person\'s token within the margin, with the refresh token', async () => {
    const fresh = fakeJwt({ sub: SUB, exp: Math.floor(NOW / 1000) + 3600 });
    const issuer = await server((r) => (r.url === '/oauth/token'
      ? { status: 200, body: { access_token: fresh, token_type: 'Bearer', expires_in: 3600, refresh_token: 'refresh-2' } }
      : { status: 404, body: { code: 'ROUTE_NOT_FOUND', message: 'no' } }));
    const { cacheDir, ctx } = setup(issuer.url);
    await writeSession(cacheDir, session(issuer.url, 30));
    const renewed = await currentSession(ctx);
    assert.equal(renewed.token, fresh);
    assert.equal(issuer.seen.length, 1);
    assert.equal(issuer.seen[0]!.method, 'POST');
    assert.deepEqual(Object.fromEntries(new URLSearchParams(issuer.seen[0]!.body)), { grant_type: 'refresh_token', refresh_token: 'refresh-1', client_id: 'latchkey-cli' });
    assert.equal(issuer.seen[0]!.authorization, undefined);
    const cached = await readSession(cacheDir, issuer.url, undefined);
    assert.equal(cached!.token, fresh);
    assert.equal((cached as { refreshToken?: string }).refreshToken, 'refresh-2');
    assert.equal(cached!.expiry, new Date(decodeClaims(fresh).exp! * 1000).toISOString());
  });

  it('says to log in again when the server offers no refresh and the token has expired', async () => {
    const issuer = await server(() => ({ status: 404, body: { code: 'ROUTE_NOT_FOUND', message: 'no such route' } }));
    const { cacheDir, ctx } = setup(issuer.url);
    await writeSession(cacheDir, session(issuer.url, -5));
    await assert.rejects(currentSession(ctx), (e: CliError) => {
      assert.equal(e.code, 'SESSION_EXPIRED');
      assert.match(e.message, /does not offer token refresh/);
      assert.match(e.hint!, /latchkey auth login/);
      return true;
    });
  });

  it('keeps using a token that has not expired yet when renewal fails', async () => {
    const down = await closedUrl();
    const { cacheDir, ctx } = setup(down);
    const s = session(down, 20);
    await writeSession(cacheDir, s);
    assert.equal((await currentSession(ctx)).token, s.token);
  });

  it('re-exchanges a workload\'s token file when its token expires', async () => {
    const fresh = fakeJwt({ sub: ID, exp: Math.floor(NOW / 1000) + 3600 });
    const api = await server(() => ({ status: 200, body: { token: fresh, expiry: new Date(NOW + 3600_000).toISOString() } }));
    const { dir, cacheDir, ctx } = setup(api.url);
    const tokenFile = join(dir, 'projected-token');
    writeFileSync(tokenFile, 'identity-token-v2\n');
    await writeSession(cacheDir, {
      ...session(api.url, -60), kind: 'workload', identity: ID, provider: 'token-file', tokenFile, subject: ID,
    } as Session);
    const renewed = await currentSession(ctx);
    assert.equal(renewed.token, fresh);
    assert.equal(api.seen.length, 1);
    assert.equal(api.seen[0]!.url, '/sts/exchange');
    assert.equal(api.seen[0]!.authorization, 'Bearer identity-token-v2');
    assert.deepEqual(Object.fromEntries(new URLSearchParams(api.seen[0]!.body)), { identity: ID });
  });

  it('cannot renew a token that came from a literal identity token, and says how to log in', async () => {
    const { cacheDir, ctx } = setup('http://127.0.0.1:9');
    await writeSession(cacheDir, { ...session('http://127.0.0.1:9', -1), kind: 'workload', identity: ID, provider: 'none', subject: ID } as Session);
    await assert.rejects(currentSession(ctx), (e: CliError) => e.code === 'SESSION_EXPIRED' && e.hint!.includes(`--identity ${ID} --identity-provider aws`));
  });

  it('reads a token\'s claims without trusting its shape', () => {
    assert.deepEqual(decodeClaims(fakeJwt({ sub: SUB, exp: 5, aud: 'a' })), { sub: SUB, exp: 5, aud: 'a' });
    assert.deepEqual(decodeClaims('not a token'), {});
    assert.deepEqual(decodeClaims('a.!!!.c'), {});
    assert.deepEqual(decodeClaims(`a.${Buffer.from('[1]').toString('base64url')}.c`), {});
    assert.deepEqual(decodeClaims(`a.${Buffer.from('{"sub": 5, "exp": "x"}').toString('base64url')}.c`), {});
  });

  it('never writes a token into the cache of another API', async () => {
    const { cacheDir } = setup('http://127.0.0.1:9');
    await writeSession(cacheDir, session('http://a:1', 3600));
    const raw = readFileSync(await sessionFile(cacheDir, 'http://a:1', undefined), 'utf8');
    assert.equal(JSON.parse(raw).api, 'http://a:1');
    assert.equal(await readSession(cacheDir, 'http://b:1', undefined), undefined);
  });

  it('names a file by the pair spelled out, or by its SHA-256 when too long for a file name', async () => {
    const { cacheDir } = setup('http://127.0.0.1:9');
    const short = await sessionFile(cacheDir, 'http://a:1', 'aud');
    assert.equal(Buffer.from(short.split('/').pop()!.replace(/\.json$/, ''), 'hex').toString(), 'http://a:1\naud');
    assert.match(short.split('/').pop()!, /^[0-9a-f]+\.json$/, 'no name differs from another only in case');
    const longAudience = `https://${'x'.repeat(300)}.example`;
    const long = await sessionFile(cacheDir, 'http://a:1', longAudience);
    assert.match(long.split('/').pop()!, /^sha256\.[0-9a-f]{64}\.json$/);
    const s = { ...session('http://a:1', 3600), audience: longAudience };
    await writeSession(cacheDir, s);
    assert.deepEqual(await readSession(cacheDir, 'http://a:1', longAudience), s);
    assert.equal(await readSession(cacheDir, 'http://a:1', `${longAudience}/`), undefined);
    // Every name fits a file system's 255-byte limit.
    for (const f of readdirSync(cacheDir)) assert.ok(Buffer.byteLength(f) <= 255, f);
  });

  it('never hands out a file written for another pair (a copied or colliding file)', async () => {
    const { cacheDir } = setup('http://127.0.0.1:9');
    await writeSession(cacheDir, session('http://b:1', 3600));
    copyFileSync(await sessionFile(cacheDir, 'http://b:1', undefined), await sessionFile(cacheDir, 'http://a:1', undefined));
    assert.equal(await readSession(cacheDir, 'http://a:1', undefined), undefined);
    copyFileSync(await sessionFile(cacheDir, 'http://b:1', undefined), await sessionFile(cacheDir, 'http://b:1', 'aud'));
    assert.equal(await readSession(cacheDir, 'http://b:1', 'aud'), undefined);
    assert.equal((await readSession(cacheDir, 'http://b:1', undefined))?.api, 'http://b:1');
  });
});
