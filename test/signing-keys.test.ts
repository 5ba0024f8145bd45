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

it('reloads keys for unknown kids at most once per interval, shared by concurrent requests', async () => {
  const { SignJWT, exportJWK, generateKeyPair } = await import('jose');
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-keys-'));
  const store = await openStore(join(dir, 'k.db'));
  await store.migrate();
  let reads = 0;
  const counting = Object.create(store) as typeof store;
  counting.listSigningKeys = () => { reads++; return store.listSigningKeys(); };
  let mono = 0;
  const now = Date.parse('2026-01-01T00:00:00Z');
  const clock = () => new Date(now);
  const keys = new SigningKeys(counting, clock, { rotationSeconds: 24 * 3600, publishAheadSeconds: 3600, maxTokenTtlSeconds: 3600 }, { kidReload: { intervalMs: 1000, now: () => mono } });
  const issuer = new TokenIssuer(keys, 'http://127.0.0.1:9', clock);
  const sub = 'f1d5337370e7d8e99282c25286804a5b2cfc1682';
  const other = await generateKeyPair('ES256', { extractable: true });
  const signed = (kid: string, key = other.privateKey) => new SignJWT({ sub, jti: 'j' })
    .setProtectedHeader({ alg: 'ES256', kid }).setIssuer('http://127.0.0.1:9').setAudience('a')
    .setIssuedAt(now / 1000).setExpirationTime(now / 1000 + 600).sign(key);
  const refused = async (token: string) => {
    await assert.rejects(issuer.verify(token, 'a'), (e: { code?: string }) => e.code === 'TOKEN_INVALID');
  };
  try {
    await keys.refresh();
    reads = 0;
    const forged = await Promise.all(Array.from({ length: 200 }, (_, i) => signed(`forged-${i}`)));
    await Promise.all(forged.map(refused));
    assert.equal(reads, 1, '200 concurrent unknown kids: one reload');
    for (const t of forged.slice(0, 50)) await refused(t);
    mono += 999;
    for (const t of forged.slice(50, 100)) await refused(t);
    assert.equal(reads, 1, 'sequential unknown kids within the interval: no further reload');
    mono += 1;
    await Promise.all(forged.slice(100).map(refused));
    assert.equal(reads, 2, 'one more reload once the interval has passed');

    // A key another replica published is found on the next allowed reload.
    const made = await generateKeyPair('ES256', { extractable: true });
    const kid = 'made-by-a-replica';
    const iso = (ms: number) => new Date(ms).toISOString();
    await store.insertSigningKey({
      kid, alg: 'ES256', createdAt: iso(now),
      publicJwk: { ...(await exportJWK(made.publicKey)), kid, alg: 'ES256', use: 'sig' },
      privateJwk: { ...(await exportJWK(made.privateKey)), kid, alg: 'ES256' },
      activatesAt: iso(now + 3600_000), retiresAt: iso(now + 2 * 3600_000), expiresAt: iso(now + 4 * 3600_000),
    });
    const fresh = await signed(kid, made.privateKey);
    await refused(fresh); // within the interval: not reloaded yet
    assert.equal(reads, 2);
    mono += 1000;
    assert.equal((await issuer.verify(fresh, 'a')).sub, sub);
    assert.equal(reads, 3);
    assert.equal((await issuer.verify(fresh, 'a')).sub, sub, 'now loaded: no reload');
    assert.equal(reads, 3);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
