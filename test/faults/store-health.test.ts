// StoreHealth (src/store/store-health.ts) with a frozen clock: what /readyz and Retry-After are
// computed from while the database is away.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { StoreHealth } from '../../src/store/store-health.js';

it('goes unready on the first fault, computes Retry-After from the outage so far, and only a probe makes it ready', () => {
  let now = 1_000_000;
  const changes: Array<[boolean, object]> = [];
  const h = new StoreHealth(() => now, (ready, fields) => changes.push([ready, fields]));
  assert.equal(h.ready, true);
  assert.equal(h.retryAfterSeconds(), 1);
  h.unavailable('ECONNRESET');
  h.unavailable('ECONNREFUSED');
  assert.equal(h.ready, false);
  assert.equal(h.fault, 'ECONNRESET');
  assert.equal(h.needsWriteProbe, false, 'a connection fault: select 1 tells when it is over');
  assert.equal(h.retryAfterSeconds(), 1);
  now += 10_000;
  assert.equal(h.retryAfterSeconds(), 5, 'half the outage so far');
  now += 120_000;
  assert.equal(h.retryAfterSeconds(), 15, 'at most 15 s');
  h.probeFailed('PROBE_TIMEOUT');
  assert.equal(h.ready, false);
  h.probeSucceeded();
  assert.equal(h.ready, true);
  assert.deepEqual(h.errors, { unavailable: 2, byCode: { ECONNRESET: 1, ECONNREFUSED: 1 }, rollbackFailures: 0, probeFailures: 1 });
  assert.deepEqual(changes, [[false, { fault: 'ECONNRESET' }], [true, { fault: 'ECONNRESET', downForMs: 130_000 }]], 'one log line per change');
});

it('after a write fault (disk full, read-only) asks for a write probe until one succeeds', () => {
  const h = new StoreHealth(() => 0);
  h.unavailable('SQLITE_FULL');
  assert.equal(h.needsWriteProbe, true);
  h.probeSucceeded();
  assert.equal(h.needsWriteProbe, false);
  h.unavailable('SQLITE_READONLY_DBMOVED');
  assert.equal(h.needsWriteProbe, true);
  h.probeSucceeded();
  h.unavailable('53100');
  assert.equal(h.needsWriteProbe, true, "PostgreSQL's disk_full too");
});
