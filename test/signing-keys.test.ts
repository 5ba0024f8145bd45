// Key rotation on a frozen clock: the next key is published before it signs, and a retired
// key stays in the JWKS until its last token has expired.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { SigningKeys, TokenIssuer } from '../src/oidc/index.js';
import { openStore } from '../src/store/index.js';

it('rotates with publish-ahead and keeps the old key until its tokens expire', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-keys-'));
  const store = await openStore(join(dir, 'k.db'));
  await store.migrate();
  let now = Date.parse('2026-01-01T00:00:00Z');
  const clock = () => new Date(now);
  const H = 3600_000;
  const keys = new SigningKeys(store, clock, { rotationSeconds: 24 * 3600, publishAheadSeconds: 3600, maxTokenTtlSeconds: 3600 });
  try {
    await keys.refresh();
    const first = keys.current().kid;
    assert.equal(keys.jwks().keys.length, 1);
    const issuer = new TokenIssuer(keys, 'http://127.0.0.1:9', clock);
    const sub = 'f1d5337370e7d8e99282c25286804a5b2cfc1682';
    now += 22 * H;
    await keys.refresh();
    assert.equal(keys.current().kid, first, 'not yet due');
    assert.equal(keys.jwks().keys.length, 1);
    now += 1 * H; // 23h: successor due (publish-ahead plus the lead): created, not yet published
    await keys.refresh();
    assert.equal((await store.listSigningKeys()).length, 2);
    assert.equal(keys.jwks().keys.length, 1, 'a new key is held back for the lead, so every replica has it first');
    now += 0.5 * H; // 23.5h: successor published (no refresh needed), not used
    assert.equal(keys.current().kid, first);
    assert.equal(keys.jwks().keys.length, 2, 'next key published before use');
    const late = await issuer.mint({ sub, aud: ['a'], ttlSeconds: 3600 });
    now += 1 * H; // 24.5h: successor signs, old key still published
    await keys.refresh();
    const second = keys.current().kid;
    assert.notEqual(second, first);
    assert.equal(keys.jwks().keys.length, 2);
    assert.equal((await issuer.verify(late.token, 'a')).sub, sub, 'token of the retired key still verifies');
    now += 1.5 * H; // past retire + max ttl + margin: old key gone
    await keys.refresh();
    assert.deepEqual(keys.jwks().keys.map((k) => k.kid), [second]);
    // A second replica on the same store agrees.
    const replica = new SigningKeys(store, clock, { rotationSeconds: 24 * 3600, publishAheadSeconds: 3600, maxTokenTtlSeconds: 3600 });
    await replica.refresh();
    assert.equal(replica.current().kid, second);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

it('mints a JWS that jose verifies against the published JWKS, with exactly the claims asked for', async () => {
  const { createLocalJWKSet, decodeProtectedHeader, jwtVerify } = await import('jose');
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-keys-'));
  const store = await openStore(join(dir, 'k.db'));
  await store.migrate();
  const now = Date.parse('2026-01-01T00:00:00Z');
  const clock = () => new Date(now);
  const keys = new SigningKeys(store, clock, { rotationSeconds: 24 * 3600, publishAheadSeconds: 3600, maxTokenTtlSeconds: 3600 });
  try {
    await keys.refresh();
    const issuer = new TokenIssuer(keys, 'http://127.0.0.1:9', clock);
    const sub = 'f1d5337370e7d8e99282c25286804a5b2cfc1682';
    const minted = await issuer.mint({
      sub, aud: ['a', 'b'], ttlSeconds: 600, cap: ['groups.list'],
      // `extra` cannot replace a registered claim.
      extra: { email: 'dev@example.com', sub: 'forged', iss: 'https://evil.example', exp: 9999999999 },
    });
    assert.deepEqual(decodeProtectedHeader(minted.token), { alg: 'ES256', typ: 'JWT', kid: keys.current().kid });
    const { payload } = await jwtVerify(minted.token, createLocalJWKSet(keys.jwks()), {
      algorithms: ['ES256'], issuer: 'http://127.0.0.1:9', audience: 'b', currentDate: new Date(now),
    });
    assert.deepEqual(payload, {
      email: 'dev@example.com', cap: ['groups.list'], iss: 'http://127.0.0.1:9', sub, aud: ['a', 'b'],
      iat: now / 1000, exp: now / 1000 + 600, jti: minted.jti,
    });
    assert.equal(minted.expiry.getTime(), now + 600_000);
    // A changed signature is refused.
    const [h, p, sig] = minted.token.split('.');
    const flipped = `${h}.${p}.${sig!.slice(0, 10)}${sig![10] === 'A' ? 'B' : 'A'}${sig!.slice(11)}`;
    await assert.rejects(jwtVerify(flipped, createLocalJWKSet(keys.jwks()), { currentDate: new Date(now) }));
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
