// The browser login, server side, over real HTTP: Latchkey federating a real OpenID Connect
// provider, driven by a browser without JavaScript (FetchBrowser) and the CLI's token request.
// People become user identities keyed by (issuer, subject), claim bindings made for their
// verified email, and every malformed, replayed or forged step is refused with a stable code.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { OPERATOR, builtinRoleId } from '../../src/iam/index.js';
import { api } from '../support/test-server.js';
import { FetchBrowser } from './support/fetch-browser.js';
import { inspectIdToken } from './support/test-idp.js';
import { CLI, authorizeUrl, pkce, postForm, startLoginServer, type LoginServer } from './support/login-server.js';

const REDIRECT = 'http://127.0.0.1:49152/callback'; // the CLI's listener; the browser stops before it

describe('browser login through an upstream provider', () => {
  let L: LoginServer;
  before(async () => {
    L = await startLoginServer();
    L.idp.accounts.set('alice', { email: 'alice@acme.example', email_verified: true, name: 'Alice' });
    L.idp.accounts.set('bob', { email: 'bob@acme.example', email_verified: false });
  });
  after(async () => {
    await L?.stop();
  });

  /** The browser part: /authorize → provider sign-in → our callback → the CLI's redirect URI. */
  async function signIn(login: string, o: { state?: string; challenge?: string; browser?: FetchBrowser } = {}) {
    const { verifier, challenge } = pkce();
    const state = o.state ?? `state-${Math.random().toString(36).slice(2)}`;
    const landing = await (o.browser ?? new FetchBrowser()).visit(
      authorizeUrl(L.s, { redirect_uri: REDIRECT, state, code_challenge: o.challenge ?? challenge }),
      { login, stopAt: (u) => u.href.startsWith(REDIRECT) },
    );
    return { landing, verifier, state, q: landing.url.searchParams };
  }

  const redeem = (code: string | null, verifier: string | undefined, redirect = REDIRECT) =>
    postForm(L.s, '/oauth/token', { grant_type: 'authorization_code', client_id: CLI, code: code ?? undefined, redirect_uri: redirect, code_verifier: verifier });

  it('advertises the endpoints in discovery', async () => {
    const d = (await api(L.s, 'GET', '/.well-known/openid-configuration')).body;
    assert.equal(d.authorization_endpoint, `${L.s.url}/oauth/authorize`);
    assert.equal(d.token_endpoint, `${L.s.url}/oauth/token`);
    assert.equal(d.device_authorization_endpoint, `${L.s.url}/oauth/device/code`);
    assert.equal(d.revocation_endpoint, `${L.s.url}/oauth/revoke`);
    assert.deepEqual(d.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(d.grant_types_supported, ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code']);
    assert.equal(d.latchkey_dev_login_endpoint, undefined, 'no dev login outside --dev');
  });

  it('signs a person in: a user identity keyed by issuer and subject, bindings for their email claimed', async () => {
    const org = await L.s.iam.groups.createOrganization(OPERATOR, { name: 'acme' });
    await L.s.iam.bindings.create(OPERATOR, org.id, { email: 'Alice@Acme.example', role: builtinRoleId('owner') });
    const { q, verifier, state } = await signIn('alice');
    assert.equal(q.get('state'), state);
    assert.equal(q.get('iss'), L.s.url);
    const code = q.get('code');
    assert.match(code ?? '', /^lkac_[A-Za-z0-9_-]{43}$/);
    const t = await redeem(code, verifier);
    assert.equal(t.status, 200, JSON.stringify(t.body));
    assert.equal(t.headers.get('cache-control'), 'no-store');
    assert.equal(t.body.token_type, 'Bearer');
    assert.match(t.body.refresh_token, /^lkrt_[A-Za-z0-9_-]{43}$/);
    const claims = decodeJwt(t.body.access_token);
    const user = await L.s.store.findUserIdentity(L.idp.issuer, 'alice');
    assert.ok(user);
    assert.equal(claims.sub, user.id);
    assert.equal(claims.email, 'alice@acme.example');
    assert.deepEqual(user.relationship, { kind: 'user', user: { issuer: L.idp.issuer, subject: 'alice', email: 'alice@acme.example' } });
    const orgs = await api(L.s, 'GET', '/iam/v1/groups', { token: t.body.access_token });
    assert.equal(orgs.status, 200, JSON.stringify(orgs.body));
    assert.deepEqual(orgs.body.items.map((g: { id: string }) => g.id), [org.id]);

    const again = await signIn('alice');
    const t2 = await redeem(again.q.get('code'), again.verifier);
    assert.equal(decodeJwt(t2.body.access_token).sub, user.id, 'the same person is the same identity');
  });

  it('claims nothing for an email the provider did not verify', async () => {
    const org = await L.s.iam.groups.createOrganization(OPERATOR, { name: 'bobs' });
    await L.s.iam.bindings.create(OPERATOR, org.id, { email: 'bob@acme.example', role: builtinRoleId('viewer') });
    const { q, verifier } = await signIn('bob');
    const t = await redeem(q.get('code'), verifier);
    assert.equal(t.status, 200);
    const user = await L.s.store.findUserIdentity(L.idp.issuer, 'bob');
    assert.deepEqual(user?.relationship, { kind: 'user', user: { issuer: L.idp.issuer, subject: 'bob' } });
    assert.equal((await L.s.store.listPendingBindings({ email: 'bob@acme.example' })).length, 1, 'still pending');
    const orgs = await api(L.s, 'GET', '/iam/v1/groups', { token: t.body.access_token });
    assert.deepEqual(orgs.body.items, []);
  });

  it('redeems a code once', async () => {
    const { q, verifier } = await signIn('alice');
    assert.equal((await redeem(q.get('code'), verifier)).status, 200);
    const replay = await redeem(q.get('code'), verifier);
    assert.equal(replay.status, 400);
    assert.equal(replay.body.code, 'AUTH_CODE_INVALID');
    assert.equal(replay.body.error, 'invalid_grant');
  });

  it('refuses a code without its PKCE verifier, and burns it on a wrong one', async () => {
    const { q, verifier } = await signIn('alice');
    const missing = await redeem(q.get('code'), undefined);
    assert.equal(missing.status, 400);
    assert.equal(missing.body.code, 'AUTH_PKCE_REQUIRED');
    assert.equal(missing.body.error, 'invalid_request');
    assert.match(missing.body.message, /code_verifier parameter is required/);
    const wrong = await redeem(q.get('code'), pkce().verifier);
    assert.equal(wrong.body.code, 'AUTH_PKCE_MISMATCH');
    assert.equal(wrong.body.error, 'invalid_grant');
    assert.equal((await redeem(q.get('code'), verifier)).body.code, 'AUTH_CODE_INVALID', 'a wrong verifier burns the code');
  });

  it('refuses a code presented with another redirect URI', async () => {
    const { q, verifier } = await signIn('alice');
    const r = await redeem(q.get('code'), verifier, 'http://127.0.0.1:49153/callback');
    assert.equal(r.body.code, 'AUTH_CODE_INVALID');
    assert.match(r.body.message, /redirect_uri does not match/);
  });

  it('refuses a code after its minute', async () => {
    const { q, verifier } = await signIn('alice');
    L.advance(61);
    try {
      assert.equal((await redeem(q.get('code'), verifier)).body.code, 'AUTH_CODE_INVALID');
    } finally {
      L.advance(-61);
    }
  });

  it('insists on PKCE S256 at /authorize, answering at the redirect URI', async () => {
    for (const [what, p] of [
      ['no challenge', { code_challenge: undefined }],
      ['plain', { code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' }],
    ] as const) {
      const r = await fetch(authorizeUrl(L.s, { redirect_uri: REDIRECT, state: 'state-123456', ...p }), { redirect: 'manual' });
      assert.equal(r.status, 303, what);
      const to = new URL(r.headers.get('location')!);
      assert.ok(to.href.startsWith(REDIRECT), what);
      assert.equal(to.searchParams.get('error'), 'invalid_request', what);
      assert.equal(to.searchParams.get('latchkey_code'), 'AUTH_PKCE_REQUIRED', what);
      assert.equal(to.searchParams.get('state'), 'state-123456', what);
    }
  });

  it('shows, never redirects to, a redirect URI that is not loopback http with a port', async () => {
    for (const uri of ['https://127.0.0.1:5000/cb', 'http://localhost:5000/cb', 'http://127.0.0.1/cb', 'http://evil.example:5000/cb',
      'http://127.0.0.1:5000/cb?x=1', 'http://user@127.0.0.1:5000/cb']) {
      const r = await fetch(authorizeUrl(L.s, { redirect_uri: uri, state: 'state-123456', code_challenge: pkce().challenge }), { redirect: 'manual' });
      assert.equal(r.status, 400, uri);
      const body = await r.json() as { code: string; message: string };
      assert.equal(body.code, 'AUTH_REDIRECT_URI_INVALID', uri);
      assert.match(body.message, /http:\/\/127\.0\.0\.1:PORT\/PATH/);
    }
    const r = await fetch(authorizeUrl(L.s, { client_id: 'someone-else', redirect_uri: REDIRECT, state: 'state-123456', code_challenge: pkce().challenge }), { redirect: 'manual' });
    assert.equal(r.status, 401);
    assert.equal(((await r.json()) as { code: string }).code, 'AUTH_UNKNOWN_CLIENT');
  });

  it('refuses a callback with a wrong, replayed or foreign-browser state', async () => {
    const wrong = await fetch(`${L.s.url}/oauth/callback?code=x&state=not-a-state-we-made`);
    assert.equal(wrong.status, 400);
    assert.equal(((await wrong.json()) as { code: string }).code, 'AUTH_STATE_INVALID');

    // Stop at our callback, so it can be replayed and visited from another browser.
    const browser = new FetchBrowser();
    const atCallback = await browser.visit(authorizeUrl(L.s, { redirect_uri: REDIRECT, state: 'state-123456', code_challenge: pkce().challenge }),
      { login: 'alice', stopAt: (u) => u.pathname === '/oauth/callback' });
    const elsewhere = await new FetchBrowser().visit(atCallback.url.href);
    assert.equal(elsewhere.status, 400);
    assert.match(elsewhere.body, /AUTH_STATE_INVALID.*started in another browser/);
    const replay = await browser.visit(atCallback.url.href);
    assert.equal(replay.status, 400);
    assert.match(replay.body, /AUTH_STATE_INVALID.*already used/, 'the state was spent by the first visit');
  });

  it('refuses a forged upstream ID token and tells the CLI why', async () => {
    L.idp.tamper = async (real) => L.idp.forge(inspectIdToken(real).claims);
    try {
      L.idp.accounts.set('forged', { email: 'forged@acme.example', email_verified: true });
      const { q } = await signIn('forged');
      assert.equal(q.get('error'), 'access_denied');
      assert.equal(q.get('latchkey_code'), 'UPSTREAM_ID_TOKEN_INVALID');
      assert.match(q.get('error_description') ?? '', /signature does not verify/);
      assert.equal(q.get('code'), null);
      assert.equal(await L.s.store.findUserIdentity(L.idp.issuer, 'forged'), undefined, 'nobody was signed in');
    } finally {
      L.idp.tamper = undefined;
    }
  });

  it('refuses a replayed upstream ID token', async () => {
    await signIn('alice');
    const earlier = L.idp.issued.at(-1)!;
    L.idp.tamper = async () => earlier;
    try {
      const { q } = await signIn('alice');
      assert.equal(q.get('latchkey_code'), 'UPSTREAM_ID_TOKEN_INVALID');
      assert.match(q.get('error_description') ?? '', /nonce does not belong to this sign-in/);
    } finally {
      L.idp.tamper = undefined;
    }
  });

  it('reports an upstream that redirects its discovery, at the CLI', async () => {
    const redirecting = await startLoginServer({ providers: (idp) => [{ name: 'moved', issuer: idp.issuer, clientId: idp.clientId }] });
    redirecting.idp.redirectDiscoveryTo = 'http://127.0.0.1:9/.well-known/openid-configuration';
    try {
      const r = await fetch(authorizeUrl(redirecting.s, { redirect_uri: REDIRECT, state: 'state-123456', code_challenge: pkce().challenge }), { redirect: 'manual' });
      const to = new URL(r.headers.get('location')!);
      assert.equal(to.searchParams.get('latchkey_code'), 'UPSTREAM_REDIRECTED');
      assert.match(to.searchParams.get('error_description') ?? '', /redirects are not followed/);
    } finally {
      await redirecting.stop();
    }
  });

  it('offers a choice when there are several providers, and refuses an unknown one', async () => {
    const two = await startLoginServer({
      providers: (idp) => [
        { name: 'one', displayName: 'First <IdP>', issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret },
        { name: 'two', issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret },
      ],
    });
    try {
      const url = authorizeUrl(two.s, { redirect_uri: REDIRECT, state: 'state-123456', code_challenge: pkce().challenge });
      const page = await fetch(url);
      const html = await page.text();
      assert.equal(page.headers.get('x-frame-options'), 'DENY');
      assert.match(html, /First &lt;IdP&gt;/, 'escaped');
      assert.match(html, /provider=two/);
      const unknown = await fetch(`${url}&provider=three`, { redirect: 'manual' });
      assert.equal(new URL(unknown.headers.get('location')!).searchParams.get('latchkey_code'), 'AUTH_UNKNOWN_PROVIDER');
      const chosen = await fetch(`${url}&provider=two`, { redirect: 'manual' });
      assert.equal(new URL(chosen.headers.get('location')!).origin, two.idp.issuer);
    } finally {
      await two.stop();
    }
  });

  it('refuses the token endpoint anything but a form, and unknown grants', async () => {
    const json = await api(L.s, 'POST', '/oauth/token', { body: { grant_type: 'authorization_code' } });
    assert.equal(json.body.code, 'AUTH_INVALID_REQUEST');
    const grant = await postForm(L.s, '/oauth/token', { grant_type: 'password', client_id: CLI });
    assert.equal(grant.body.code, 'AUTH_UNSUPPORTED_GRANT_TYPE');
    assert.equal(grant.body.error, 'unsupported_grant_type');
    const twice = await api(L.s, 'POST', '/oauth/token', { rawBody: 'grant_type=refresh_token&grant_type=authorization_code', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(twice.body.code, 'AUTH_INVALID_REQUEST');
    assert.match(twice.body.message, /give grant_type once/);
  });
});
