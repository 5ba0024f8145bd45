// The browser cookies' attributes: __Host- cookies on https issuers (no sibling domain can plant
// one), and reading that trusts neither of two cookies of one name.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { BrowserCookies } from '../../src/auth/cookies.js';

async function roundTrip(secure: boolean, cookieHeader?: string) {
  const app = Fastify();
  const cookies = new BrowserCookies(secure);
  let read: string | undefined;
  app.get('/', async (req, reply) => {
    read = cookies.read(req, 'login');
    cookies.set(reply, 'login', 'abc_DEF-123', 600);
    cookies.set(reply, 'csrf', 'xyz', 600);
    return {};
  });
  const res = await app.inject({ method: 'GET', url: '/', headers: cookieHeader ? { cookie: cookieHeader } : {} });
  await app.close();
  return { setCookie: res.headers['set-cookie'] as string[], read };
}

describe('browser cookies', () => {
  it('are __Host- cookies on https issuers: Secure, Path=/, HttpOnly, SameSite', async () => {
    const { setCookie } = await roundTrip(true);
    assert.deepEqual(setCookie, [
      '__Host-latchkey_login=abc_DEF-123; Path=/; HttpOnly; SameSite=Lax; Max-Age=600; Secure',
      '__Host-latchkey_csrf=xyz; Path=/; HttpOnly; SameSite=Strict; Max-Age=600; Secure',
    ]);
  });

  it('are scoped to /oauth/ on a loopback http issuer', async () => {
    const { setCookie } = await roundTrip(false);
    assert.equal(setCookie[0], 'latchkey_login=abc_DEF-123; Path=/oauth/; HttpOnly; SameSite=Lax; Max-Age=600');
  });

  it('are read by their exact name only, never when sent twice or malformed', async () => {
    assert.equal((await roundTrip(true, '__Host-latchkey_login=good')).read, 'good');
    assert.equal((await roundTrip(true, 'latchkey_login=planted')).read, undefined, 'an unprefixed cookie is not ours on https');
    assert.equal((await roundTrip(true, '__Host-latchkey_login=a; __Host-latchkey_login=b')).read, undefined);
    assert.equal((await roundTrip(false, 'latchkey_login=<script>')).read, undefined);
  });
});
