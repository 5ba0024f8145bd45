// The issuer key cache on a real loopback issuer with a frozen clock: one request for many
// concurrent callers, the TTL, at most one refetch per interval for an unknown kid, and keys
// already held served (for a bounded time) while the issuer cannot be reached.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { isLatchkeyError } from '../../src/errors/index.js';
import { RemoteIssuerKeys } from '../../src/sts/index.js';
import { startTestIssuer, type TestIssuer } from '../support/oidc-issuer.js';

let iss: TestIssuer;
before(async () => { iss = await startTestIssuer(); });
after(async () => { await iss.close(); });

test('caches, refetches at most once per interval, and serves held keys through an outage', async () => {
  let now = 1_000_000;
  const keys = new RemoteIssuerKeys({ timeoutMs: 2000, allowLoopbackHttp: true, cacheTtlMs: 60_000, refetchIntervalMs: 30_000, maxStaleMs: 3_600_000 }, () => new Date(now));
  try {
    const jwks = () => iss.requests.filter((p) => p === '/keys').length;
    const sets = await Promise.all(Array.from({ length: 10 }, () => keys.keys(iss.url)));
    assert.equal(jwks(), 1, 'ten concurrent callers, one request');
    assert.ok(sets.every((x) => x === sets[0]));
    now += 10_000;
    assert.equal(await keys.keys(iss.url, true), sets[0], 'an unknown kid within the interval refetches nothing');
    assert.equal(jwks(), 1);
    now += 25_000;
    assert.notEqual(await keys.keys(iss.url, true), sets[0], 'past the interval it refetches');
    assert.equal(jwks(), 2);
    now += 120_000;
    iss.mode = 'discovery-500';
    const stale: string[] = [];
    keys.onStale((issuer, err) => stale.push(`${issuer} ${err.code}`));
    const held = await keys.keys(iss.url);
    assert.equal(held.jwks.keys.length, 2, 'the held keys, while the issuer fails');
    assert.deepEqual(stale, [`${iss.url} ISSUER_UNAVAILABLE`]);
    now += 3_600_000;
    await assert.rejects(keys.keys(iss.url), (e) => isLatchkeyError(e, 'ISSUER_UNAVAILABLE'));
    iss.mode = 'normal';
    assert.equal((await keys.keys(iss.url)).jwks.keys.length, 2, 'back once the issuer is');
  } finally {
    iss.mode = 'normal';
    await keys.close();
  }
});
