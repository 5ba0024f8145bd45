// Guessing user codes on the device page, over real HTTP: after a few wrong codes a browser is
// refused — right codes too, with one stable answer that reveals nothing — until the window
// passes; a client that drops its cookie is held by its address (an IPv6 client by its /64).
// Client addresses come from X-Forwarded-For (the server trusts its proxy here).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { networkOf } from '../../src/auth/user-code-guesses.js';
import { api } from '../support/test-server.js';
import { CLI, postForm, startLoginServer, type LoginServer } from './support/login-server.js';

describe('wrong user codes on the device page', () => {
  let L: LoginServer;
  before(async () => { L = await startLoginServer({ flags: { trustProxy: true, deviceCodeTtl: '30m' } }); });
  after(async () => { await L?.stop(); });

  const userCode = async () => (await postForm(L.s, '/oauth/device/code', { client_id: CLI })).body.user_code as string;
  /** A browser at `address`: opens the device page (keeping its cookie) and submits codes. */
  const browser = (address: string) => {
    let cookie: string | undefined;
    const open = async () => {
      const r = await api(L.s, 'GET', '/oauth/device', { headers: { 'x-forwarded-for': address, ...(cookie ? { cookie } : {}) } });
      assert.equal(r.status, 200);
      cookie = r.headers.getSetCookie().find((c) => c.startsWith('latchkey_csrf='))!.split(';')[0]!;
      return cookie;
    };
    const submit = async (code: string) => {
      if (!cookie) await open();
      const res = await fetch(`${L.s.url}/oauth/device`, {
        method: 'POST', redirect: 'manual',
        body: new URLSearchParams({ user_code: code, csrf: cookie!.split('=')[1]! }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': address, cookie: cookie! },
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: res.status === 303 ? undefined : JSON.parse(text) };
    };
    return { open, submit };
  };
  const wrongCode = (i: number) => `BCDF-${'BCDFGHJKLMNPQRSTVWXZ'[i % 20]}GHJ`;
  const accepted = (r: { status: number; headers: Headers }, label: string) => {
    assert.equal(r.status, 303, `${label}: ${r.status} ${JSON.stringify((r as { body?: unknown }).body)}`);
    assert.match(r.headers.get('location') ?? '', /^http:\/\/127\.0\.0\.1:\d+\//, `${label}: on to the provider`);
  };

  it('refuses a browser every code after 5 wrong ones, right or wrong alike, for 15 minutes', async () => {
    const real = await userCode();
    const b = browser('192.0.2.10');
    const cookie = await b.open();
    for (let i = 0; i < 5; i++) {
      const r = await b.submit(wrongCode(i));
      assert.equal(r.status, 400);
      assert.equal(r.body.code, 'AUTH_USER_CODE_INVALID');
    }
    const right = await b.submit(real);
    const wrong = await b.submit(wrongCode(5));
    for (const r of [right, wrong]) {
      assert.equal(r.status, 429);
      assert.equal(r.body.code, 'AUTH_TOO_MANY_USER_CODES');
      assert.match(r.body.message, /too many wrong codes .* wait 15 minutes, then type the code your terminal shows/);
      assert.equal(r.headers.get('retry-after'), '900');
    }
    assert.deepEqual(right.body, wrong.body, 'a right code is answered exactly like a wrong one');
    assert.equal(await b.open(), cookie, 'reloading the page keeps the browser (and its count)');
    assert.equal((await b.submit(real)).status, 429);
    accepted(await browser('192.0.2.10').submit(real), 'another browser at the same address');
    L.advance(14 * 60);
    assert.equal((await b.submit(real)).status, 429, 'still within the 15 minutes');
    L.advance(61);
    accepted(await b.submit(real), 'after 15 minutes');
  });

  it('holds a client that drops its cookie by its address, an IPv6 one by its /64', async () => {
    const real = await userCode();
    for (const [label, nth, same, other] of [
      ['IPv4', (_i: number) => '198.51.100.7', '198.51.100.7', '198.51.100.8'],
      ['IPv6', (i: number) => `2001:db8:7:8:${(i + 1).toString(16)}::1`, '2001:db8:7:8::abcd', '2001:db8:7:9::1'],
    ] as const) {
      for (let i = 0; i < 20; i++) {
        const r = await browser(nth(i)).submit(wrongCode(i)); // a fresh browser (cookie) each time
        assert.equal(r.body.code, 'AUTH_USER_CODE_INVALID', `${label} #${i + 1}`);
      }
      const r = await browser(same).submit(real);
      assert.equal(r.status, 429, `${label}: the 21st code from the same network`);
      assert.equal(r.body.code, 'AUTH_TOO_MANY_USER_CODES');
      accepted(await browser(other).submit(real), `${label}: another network`);
    }
  });

  it('names an IPv6 client by its /64', () => {
    assert.equal(networkOf('2001:db8:7:8:1:2:3:4'), '2001:db8:7:8::/64');
    assert.equal(networkOf('2001:0db8:0007:0008::1'), '2001:db8:7:8::/64');
    assert.equal(networkOf('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(networkOf('::1'), '0:0:0:0::/64');
    assert.equal(networkOf('192.0.2.1'), '192.0.2.1');
    assert.equal(networkOf('::ffff:192.0.2.1'), '::ffff:192.0.2.1');
  });
});
