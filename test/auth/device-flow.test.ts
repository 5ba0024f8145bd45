// The headless login (RFC 8628 device authorization grant), server side, over real HTTP. The
// person approves on our device page and signs in at a real provider; polling follows the RFC's
// answers. The server's clock is moved instead of sleeping, so no test waits on timers.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { api } from '../support/test-server.js';
import { FetchBrowser } from './support/fetch-browser.js';
import { inspectIdToken } from './support/test-idp.js';
import { CLI, postForm, startLoginServer, type LoginServer } from './support/login-server.js';

const GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

describe('headless login with a device code', () => {
  let L: LoginServer;
  before(async () => {
    L = await startLoginServer(); // polling interval 2 s
    L.idp.accounts.set('carol', { email: 'carol@acme.example', email_verified: true });
  });
  after(async () => { await L?.stop(); });

  const start = async () => {
    const r = await postForm(L.s, '/oauth/device/code', { client_id: CLI });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body as { device_code: string; user_code: string; verification_uri: string; verification_uri_complete: string; expires_in: number; interval: number };
  };
  const poll = (deviceCode: string) => postForm(L.s, '/oauth/token', { grant_type: GRANT, device_code: deviceCode, client_id: CLI });

  it('hands out a device code, a typeable user code and where to go', async () => {
    const d = await start();
    assert.match(d.device_code, /^lkdc_[A-Za-z0-9_-]{43}$/);
    assert.match(d.user_code, /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    assert.equal(d.verification_uri, `${L.s.url}/oauth/device`);
    assert.equal(d.verification_uri_complete, `${L.s.url}/oauth/device?user_code=${d.user_code}`);
    assert.equal(d.expires_in, 600);
    assert.equal(d.interval, 2);
  });

  it('answers pending, then slow_down to a poll that comes too early', async () => {
    const d = await start();
    const first = await poll(d.device_code);
    assert.equal(first.status, 400);
    assert.equal(first.body.error, 'authorization_pending');
    assert.equal(first.body.code, 'AUTH_AUTHORIZATION_PENDING');
    const early = await poll(d.device_code);
    assert.equal(early.body.error, 'slow_down');
    assert.match(early.body.message, /wait 7 seconds/);
    L.advance(3);
    const still = await poll(d.device_code);
    assert.equal(still.body.error, 'slow_down', 'the interval grew to 7 s');
    assert.match(still.body.message, /wait 12 seconds/, 'and grows by 5 s with each early poll');
    L.advance(12);
    assert.equal((await poll(d.device_code)).body.error, 'authorization_pending');
  });

  it('completes when the person confirms the code and signs in at the provider; the code works once', async () => {
    const d = await start();
    assert.equal((await poll(d.device_code)).body.error, 'authorization_pending');
    const page = await new FetchBrowser().visit(d.verification_uri_complete, { login: 'carol' });
    assert.equal(page.status, 200, page.body);
    assert.match(page.body, /Signed in as carol@acme\.example/);
    L.advance(3);
    const t = await poll(d.device_code);
    assert.equal(t.status, 200, JSON.stringify(t.body));
    const user = await L.s.store.findUserIdentity(L.idp.issuer, 'carol');
    assert.equal(decodeJwt(t.body.access_token).sub, user?.id);
    assert.match(t.body.refresh_token, /^lkrt_/);
    L.advance(3);
    const again = await poll(d.device_code);
    assert.equal(again.body.code, 'AUTH_DEVICE_CODE_INVALID');
    assert.equal(again.body.error, 'invalid_grant');
  });

  it('takes a typed code (any case, with or without the dash) on the plain page', async () => {
    const d = await start();
    const browser = new FetchBrowser();
    const form = await fetch(`${L.s.url}/oauth/device`);
    const html = await form.text();
    assert.match(html, /name="user_code"/);
    assert.equal(form.headers.get('x-frame-options'), 'DENY');
    assert.match(form.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    // Submit the page's form as a person would, with the code typed in lower case without the dash.
    const typed = d.user_code.replace('-', '').toLowerCase();
    const landing = await browser.visit(`${L.s.url}/oauth/device?user_code=${typed}`, { login: 'carol' });
    assert.match(landing.body, /Signed in as/);
    L.advance(3);
    assert.equal((await poll(d.device_code)).status, 200);
  });

  it('refuses an approval not posted from its own page (CSRF)', async () => {
    const d = await start();
    const r = await api(L.s, 'POST', '/oauth/device', {
      rawBody: new URLSearchParams({ user_code: d.user_code, csrf: 'guessed' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(r.status, 403);
    assert.equal(r.body.code, 'AUTH_CSRF');
  });

  it('refuses an unknown user code', async () => {
    await start();
    const landing = await new FetchBrowser().visit(`${L.s.url}/oauth/device?user_code=BCDF-GHJK`);
    assert.equal(landing.status, 400);
    assert.match(landing.body, /AUTH_USER_CODE_INVALID/);
  });

  it('denies the device code when the sign-in fails (a forged ID token)', async () => {
    const d = await start();
    L.idp.tamper = async (real) => L.idp.forge(inspectIdToken(real).claims);
    try {
      const landing = await new FetchBrowser().visit(d.verification_uri_complete, { login: 'carol' });
      assert.equal(landing.status, 401);
      assert.match(landing.body, /UPSTREAM_ID_TOKEN_INVALID/);
    } finally {
      L.idp.tamper = undefined;
    }
    const r = await poll(d.device_code);
    assert.equal(r.body.error, 'access_denied');
    assert.equal(r.body.code, 'AUTH_ACCESS_DENIED');
  });

  it('expires a device code nobody approved', async () => {
    const d = await start();
    L.advance(601);
    const r = await poll(d.device_code);
    assert.equal(r.body.error, 'expired_token');
    assert.equal(r.body.code, 'AUTH_DEVICE_CODE_EXPIRED');
    const landing = await new FetchBrowser().visit(d.verification_uri_complete, { login: 'carol' });
    assert.match(landing.body, /AUTH_USER_CODE_INVALID/);
  });

  it('refuses an unknown device code and other clients', async () => {
    assert.equal((await poll('lkdc_' + 'A'.repeat(43))).body.error, 'invalid_grant');
    const other = await postForm(L.s, '/oauth/device/code', { client_id: 'someone-else' });
    assert.equal(other.status, 401);
    assert.equal(other.body.error, 'invalid_client');
  });
});
