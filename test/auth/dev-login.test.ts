// Dev login (`latchkey serve --dev`): the built-in dev user, owner of a dev organization made on
// first start, gets a token and a working refresh token with no browser; web pages and rebound
// DNS names are refused; without --dev the route does not exist.

import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { humanLoginExtension } from '../../src/auth/index.js';
import { api, startTestServer, type TestServer } from '../support/test-server.js';
import { postForm } from './support/login-server.js';

/** A POST with exactly these headers (fetch will not send a Host of our choosing). */
function rawPost(url: string, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-length': '0', ...headers } }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('dev login', () => {
  let dev: TestServer;
  let prod: TestServer;
  before(async () => {
    dev = await startTestServer({ flags: { dev: true }, extensions: [humanLoginExtension()] });
    prod = await startTestServer({ extensions: [humanLoginExtension()] });
  });
  after(async () => {
    await dev?.stop(true);
    await prod?.stop(true);
  });

  it('signs in the dev user, who owns the dev organization, with a refresh token that works', async () => {
    const disco = await api(dev, 'GET', '/.well-known/openid-configuration');
    assert.equal(disco.body.latchkey_dev_login_endpoint, `${dev.url}/auth/v1/dev/login`);
    const r = await api(dev, 'POST', '/auth/v1/dev/login');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.headers.get('cache-control'), 'no-store');
    const user = await dev.store.findUserIdentity(`${dev.url}/dev`, 'dev');
    assert.equal(decodeJwt(r.body.token).sub, user?.id);
    assert.equal(r.body.identity, user?.id);
    assert.ok(Date.parse(r.body.expiry) > Date.now());
    const groups = await api(dev, 'GET', '/iam/v1/groups', { token: r.body.token });
    assert.deepEqual(groups.body.items.map((g: { name: string }) => g.name), ['dev-org']);
    const refreshed = await postForm(dev, '/oauth/token', { grant_type: 'refresh_token', refresh_token: r.body.refreshToken });
    assert.equal(refreshed.status, 200);
    assert.equal(decodeJwt(refreshed.body.access_token).sub, user?.id);
  });

  it('refuses a request naming a non-loopback host (DNS rebinding) or sent from a web page', async () => {
    const url = `${dev.url}/auth/v1/dev/login`;
    const rebound = await rawPost(url, { host: 'attacker.example:8080' });
    assert.equal(rebound.status, 403);
    assert.equal(rebound.body.code, 'DEV_LOGIN_REFUSED');
    const page = await rawPost(url, { host: new URL(dev.url).host, origin: 'https://attacker.example' });
    assert.equal(page.status, 403);
    assert.equal(page.body.code, 'DEV_LOGIN_REFUSED');
    assert.doesNotMatch(JSON.stringify(page.body), /lkrt_|eyJ/);
    const local = await rawPost(url, { host: new URL(dev.url).host, origin: dev.url });
    assert.equal(local.status, 200);
  });

  it('does not exist outside --dev', async () => {
    const r = await api(prod, 'POST', '/auth/v1/dev/login');
    assert.equal(r.status, 404);
    assert.equal(r.body.code, 'ROUTE_NOT_FOUND');
    const disco = await api(prod, 'GET', '/.well-known/openid-configuration');
    assert.equal(disco.body.latchkey_dev_login_endpoint, undefined);
    assert.equal(disco.body.authorization_endpoint, undefined, 'no provider: no sign-in endpoints advertised');
    assert.equal(disco.body.device_authorization_endpoint, undefined);
    assert.equal(disco.body.token_endpoint, `${prod.url}/oauth/token`, 'refresh and revocation stay');
    assert.deepEqual(disco.body.grant_types_supported, ['refresh_token']);
  });
});
