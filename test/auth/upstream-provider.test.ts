// Upstream providers against a real OpenID Connect provider (oidc-provider on loopback): a good
// sign-in verifies; forged, replayed, mis-addressed and expired ID tokens are refused; discovery
// that redirects, lies about its issuer, names insecure endpoints, is too large or never answers
// is refused; a plain-http issuer is refused before any request. No internet, no sleeps.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { loadServerConfig } from '../../src/config/index.js';
import { LatchkeyError } from '../../src/errors/index.js';
import { UpstreamProvider, createUpstreamFetch, type UpstreamChecks } from '../../src/oidc/upstream/index.js';
import { FetchBrowser } from './support/fetch-browser.js';
import { inspectIdToken, startTestIdp, type TestIdp } from './support/test-idp.js';

const REDIRECT = 'http://127.0.0.1:9/callback'; // registered at the provider; never fetched
const upstreamFetch = createUpstreamFetch({ timeoutMs: 2000, maxBytes: 64 * 1024 });

function providerFor(issuer: string, o: { clientId?: string; clientSecret?: string; timeoutMs?: number } = {}): UpstreamProvider {
  const fetch = o.timeoutMs ? createUpstreamFetch({ timeoutMs: o.timeoutMs, maxBytes: 64 * 1024 }) : upstreamFetch;
  return new UpstreamProvider({
    provider: { name: 'test', displayName: 'Test', issuer, clientId: o.clientId ?? 'latchkey-test', clientSecret: o.clientSecret, scopes: ['email', 'profile'] },
    redirectUri: REDIRECT, fetch, timeoutMs: o.timeoutMs ?? 2000,
  });
}

function checks(): UpstreamChecks {
  const r = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
  return { state: r(), nonce: r(), codeVerifier: r() };
}

/** Signs in at the provider as `login` and returns the callback's query. */
async function callbackQuery(p: UpstreamProvider, c: UpstreamChecks, login: string): Promise<URLSearchParams> {
  const landing = await new FetchBrowser().visit((await p.authorizationUrl(c)).href, { login, stopAt: (u) => u.href.startsWith(REDIRECT) });
  return landing.url.searchParams;
}

async function refusal(p: Promise<unknown>): Promise<LatchkeyError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof LatchkeyError) return err;
    throw err;
  }
  assert.fail('expected a refusal');
}

/** A one-route HTTP server. */
async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('upstream provider against a real OpenID Connect provider', () => {
  let idp: TestIdp;
  let p: UpstreamProvider;
  const servers: Server[] = [];
  before(async () => {
    idp = await startTestIdp();
    idp.attach([REDIRECT]);
    idp.accounts.set('alice', { email: 'Alice@Acme.example', email_verified: true, name: 'Alice' });
    idp.accounts.set('mallory', { email: 'alice@acme.example', email_verified: false });
    p = providerFor(idp.issuer, { clientId: idp.clientId, clientSecret: idp.clientSecret });
  });
  after(async () => {
    for (const s of servers) s.closeAllConnections(), s.close();
    await idp.close();
    await upstreamFetch.close();
  });

  it('builds an authorization URL with state, nonce and PKCE S256', async () => {
    const c = checks();
    const u = await p.authorizationUrl(c);
    assert.equal(u.origin, idp.issuer);
    assert.equal(u.searchParams.get('state'), c.state);
    assert.equal(u.searchParams.get('nonce'), c.nonce);
    assert.equal(u.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(u.searchParams.get('code_challenge')?.length, 43);
    assert.equal(u.searchParams.get('redirect_uri'), REDIRECT);
    assert.equal(u.searchParams.get('scope'), 'openid email profile');
    assert.ok(!u.href.includes(c.codeVerifier), 'the verifier never leaves');
  });

  it('verifies a real sign-in and keeps issuer, subject and the verified email', async () => {
    const c = checks();
    const claims = await p.finish(await callbackQuery(p, c, 'alice'), c);
    assert.deepEqual(claims, { issuer: idp.issuer, subject: 'alice', email: 'Alice@Acme.example', emailVerified: true, name: 'Alice' });
  });

  it('marks an email the provider did not verify as unverified', async () => {
    const c = checks();
    const claims = await p.finish(await callbackQuery(p, c, 'mallory'), c);
    assert.equal(claims.emailVerified, false);
  });

  it('refuses a forged ID token (right claims, wrong key)', async () => {
    idp.tamper = async (real) => idp.forge(inspectIdToken(real).claims);
    try {
      const c = checks();
      const err = await refusal(p.finish(await callbackQuery(p, c, 'alice'), c));
      assert.equal(err.code, 'UPSTREAM_ID_TOKEN_INVALID');
      assert.match(err.message, /signature does not verify/);
    } finally {
      idp.tamper = undefined;
    }
  });

  it('refuses a replayed ID token (a genuine one from an earlier sign-in)', async () => {
    const c1 = checks();
    await p.finish(await callbackQuery(p, c1, 'alice'), c1);
    const earlier = idp.issued.at(-1)!;
    idp.tamper = async () => earlier;
    try {
      const c2 = checks();
      const err = await refusal(p.finish(await callbackQuery(p, c2, 'alice'), c2));
      assert.equal(err.code, 'UPSTREAM_ID_TOKEN_INVALID');
      assert.match(err.message, /nonce does not belong to this sign-in/);
    } finally {
      idp.tamper = undefined;
    }
  });

  for (const [what, change, pattern] of [
    ['for another client', { aud: 'someone-else' }, /aud claim is wrong/],
    ['from another issuer', { iss: 'https://evil.example' }, /iss claim is wrong/],
    ['expired', { exp: Math.floor(Date.now() / 1000) - 3600, iat: Math.floor(Date.now() / 1000) - 7200 }, /exp claim fails the time checks/],
  ] as const) {
    it(`refuses a validly signed ID token ${what}`, async () => {
      idp.tamper = async (real) => idp.signAsProvider({ ...inspectIdToken(real).claims, ...change });
      try {
        const c = checks();
        const err = await refusal(p.finish(await callbackQuery(p, c, 'alice'), c));
        assert.equal(err.code, 'UPSTREAM_ID_TOKEN_INVALID');
        assert.match(err.message, pattern);
      } finally {
        idp.tamper = undefined;
      }
    });
  }

  it('refuses an authorization response whose state is not ours', async () => {
    const c = checks();
    const q = await callbackQuery(p, c, 'alice');
    const err = await refusal(p.finish(q, { ...c, state: checks().state }));
    assert.equal(err.code, 'UPSTREAM_ID_TOKEN_INVALID');
  });

  it('refuses a code exchanged without the right PKCE verifier (the provider says so)', async () => {
    const c = checks();
    const q = await callbackQuery(p, c, 'alice');
    const err = await refusal(p.finish(q, { ...c, codeVerifier: checks().codeVerifier }));
    assert.equal(err.code, 'UPSTREAM_CODE_REFUSED');
    assert.match(err.message, /invalid_grant/);
  });

  it('reports an error callback as the provider refusing', async () => {
    const c = checks();
    const err = await refusal(p.finish(new URLSearchParams({ error: 'access_denied', state: c.state, iss: idp.issuer }), c));
    assert.equal(err.code, 'UPSTREAM_DENIED');
  });

  it('refuses discovery that redirects, even to the real document', async () => {
    const { url, server } = await serve((_req, res) => {
      res.writeHead(302, { location: `${idp.issuer}/.well-known/openid-configuration` }).end();
    });
    servers.push(server);
    const err = await refusal(providerFor(url).authorizationUrl(checks()));
    assert.equal(err.code, 'UPSTREAM_REDIRECTED');
    assert.match(err.message, /answered with a redirect \(302\); redirects are not followed: configure the issuer of test exactly/);
  });

  it('refuses discovery at the real provider when it redirects', async () => {
    idp.redirectDiscoveryTo = 'http://127.0.0.1:9/elsewhere';
    try {
      const err = await refusal(providerFor(idp.issuer, { clientId: idp.clientId }).authorizationUrl(checks()));
      assert.equal(err.code, 'UPSTREAM_REDIRECTED');
    } finally {
      idp.redirectDiscoveryTo = undefined;
    }
  });

  it('refuses discovery whose issuer is another', async () => {
    const { url, server } = await serve(async (_req, res) => {
      const doc = await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
    });
    servers.push(server);
    const err = await refusal(providerFor(url).authorizationUrl(checks()));
    assert.equal(err.code, 'UPSTREAM_DISCOVERY_INVALID');
    assert.match(err.message, /issuer does not match/);
  });

  it('refuses discovery that names a plain-http endpoint off loopback', async () => {
    const { url, server } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        issuer: url, authorization_endpoint: `${url}/auth`, token_endpoint: 'http://idp.example.test/token', jwks_uri: `${url}/jwks`,
      }));
    });
    servers.push(server);
    const err = await refusal(providerFor(url).authorizationUrl(checks()));
    assert.equal(err.code, 'UPSTREAM_DISCOVERY_INVALID');
    assert.match(err.message, /token_endpoint of test http:\/\/idp\.example\.test uses plain http/);
  });

  it('refuses an oversized discovery document', async () => {
    const { url, server } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: 'x', pad: 'x'.repeat(100_000) }));
    });
    servers.push(server);
    const err = await refusal(providerFor(url).authorizationUrl(checks()));
    assert.equal(err.code, 'UPSTREAM_UNAVAILABLE');
    assert.match(err.message, /more than 65536 bytes/);
  });

  it('gives up on discovery that never answers', async () => {
    const { url, server } = await serve(() => { /* never answers */ });
    servers.push(server);
    const err = await refusal(providerFor(url, { timeoutMs: 200 }).authorizationUrl(checks()));
    assert.equal(err.code, 'UPSTREAM_UNAVAILABLE');
    assert.match(err.message, /timed out/);
  });

  it('refuses a plain-http issuer off loopback before sending anything', async () => {
    const err = await refusal(providerFor('http://idp.example.test').authorizationUrl(checks()));
    assert.equal(err.code, 'UPSTREAM_INSECURE');
    assert.match(err.message, /uses plain http: use https/);
  });

  it('refuses a plain-http issuer off loopback at start-up', () => {
    const providers = JSON.stringify([{ name: 'corp', issuer: 'http://idp.example.test', clientId: 'x' }]);
    assert.throws(() => loadServerConfig({ oidcProviders: providers }, {}),
      /invalid --oidc-providers: provider "corp": issuer http:\/\/idp\.example\.test uses plain http: use https \(plain http is accepted only for loopback addresses\)/);
  });
});
