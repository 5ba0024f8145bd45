// Key rotation across three replicas on one PostgreSQL, through several rotations on a shared
// test clock (10-minute rotation, the minimum 6-minute publish-ahead, 30 s steps). Only one
// replica ever runs the rotation (as if its timer always fired first): the others learn of each
// new or deleted key from its notice. At every step every replica serves the same JWKS, and a
// token from any replica — including one minted just before a rotation — verifies on every one.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeProtectedHeader } from 'jose';
import { startCluster, type Cluster } from '../support/replicas.js';
import { api, type TestServer } from '../support/test-server.js';

const STEP_MS = 30_000;
const ROTATION_S = 600;
const ROTATIONS = 8; // past the first keys' expiry (retire + 1 h + 5 min), so deletions are pushed too
const PUSH_BOUND_MS = 2_000;

describe('signing keys across three replicas', () => {
  let c: Cluster;
  let now = Date.now();
  const clock = () => new Date(now);

  before(async () => {
    c = await startCluster(3, { clock, flags: { keyRotation: `${ROTATION_S}s`, keyPublishAhead: '6m', authzCacheTtl: '0' } });
  });
  after(async () => {
    await c?.stop();
  });

  const kidsIn = (r: TestServer) => [...(r.keys as unknown as { jwks(): { keys: Array<{ kid: string }> } }).jwks().keys.map((k) => k.kid)];

  it('serves one JWKS everywhere and verifies every token everywhere, through several rotations', async () => {
    const replicas = c.replicas;
    const [leader] = replicas as [TestServer];
    const kidsSeen = new Set<string>();
    const held: Array<{ token: string; exp: number }> = [];
    let created = 0;
    let deleted = 0;
    const pushTimes: number[] = [];
    const steps = (ROTATIONS * ROTATION_S * 1000) / STEP_MS;
    for (let step = 0; step < steps; step++) {
      now += STEP_MS;
      const before = new Set((await leader.store.listSigningKeys()).map((k) => k.kid));
      await leader.keys.refresh();
      const after = (await leader.store.listSigningKeys()).map((k) => k.kid);
      const changed = after.length !== before.size || after.some((k) => !before.has(k));
      if (changed) {
        created += after.filter((k) => !before.has(k)).length;
        deleted += [...before].filter((k) => !after.includes(k)).length;
        // The others hear of it: bounded wait for the notice, measured.
        const t0 = performance.now();
        for (const r of replicas) {
          while (after.some((k) => !r.keys.loadedKey(k)) || [...before].some((k) => !after.includes(k) && r.keys.loadedKey(k))) {
            assert.ok(performance.now() - t0 < PUSH_BOUND_MS, `replica ${replicas.indexOf(r)} did not hear of the key change within ${PUSH_BOUND_MS} ms`);
            await sleep(2);
          }
        }
        pushTimes.push(performance.now() - t0);
      }

      const jwks = await Promise.all(replicas.map(async (r) => {
        const res = await api(r, 'GET', '/.well-known/jwks.json');
        assert.equal(res.status, 200);
        return JSON.stringify(res.body);
      }));
      assert.ok(jwks.every((j) => j === jwks[0]), `step ${step}: replicas serve different JWKS`);
      for (const k of JSON.parse(jwks[0]!).keys) kidsSeen.add(k.kid);

      // A token from each replica; it must be signed with a key every replica publishes now.
      const published = new Set(JSON.parse(jwks[0]!).keys.map((k: { kid: string }) => k.kid));
      for (const r of replicas) {
        const minted = await r.issuer.mint({ sub: 'f1d5337370e7d8e99282c25286804a5b2cfc1682', aud: [r.config.apiAudience], ttlSeconds: 600 });
        assert.ok(published.has(decodeProtectedHeader(minted.token).kid), `step ${step}: replica ${replicas.indexOf(r)} signs with an unpublished key`);
        held.push({ token: minted.token, exp: minted.expiry.getTime() });
      }
      // Every unexpired token from every replica (older keys included) verifies on every replica.
      for (let i = held.length - 1; i >= 0; i--) if (held[i]!.exp <= now) held.splice(i, 1);
      for (const r of replicas) {
        for (const h of held.slice(-9)) {
          const res = await api(r, 'GET', '/iam/v1/groups', { token: h.token });
          assert.equal(res.status, 200, `step ${step}: replica ${replicas.indexOf(r)} refused a token: ${JSON.stringify(res.body)}`);
        }
      }
    }
    console.log(`rotations: ${created} keys created, ${deleted} deleted, ${kidsSeen.size} published; push p100 ${Math.max(...pushTimes).toFixed(1)} ms`);
    assert.ok(created >= ROTATIONS, `at least ${ROTATIONS} successors created (got ${created})`);
    assert.ok(deleted >= 1, `expired keys deleted (got ${deleted})`);
    assert.deepEqual(kidsIn(replicas[1]!), kidsIn(leader));
  });
});
