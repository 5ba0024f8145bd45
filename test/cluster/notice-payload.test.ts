// The cache notice payload: anything that can connect to the database can NOTIFY on the
// channel, so decoding is strict; oversized change lists degrade to whole-cache notices.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { decodeNotice, encodeNotice } from '../../src/cluster/notice-payload.js';

it('round-trips changes, keyed and whole-cache', () => {
  const changes = [{ cache: 'bindings' as const, key: 'a/b' }, { cache: 'identities' as const }, { cache: 'keys' as const }];
  assert.deepEqual(decodeNotice(encodeNotice('origin-1', changes)), { origin: 'origin-1', changes });
});

it('turns a change list too long for NOTIFY into whole-cache notices', () => {
  const many = Array.from({ length: 400 }, (_, i) => ({ cache: 'bindings' as const, key: `${'f'.repeat(40)}/${i}` }));
  const payload = encodeNotice('o', many);
  assert.ok(payload.length < 8000);
  assert.deepEqual(decodeNotice(payload), { origin: 'o', changes: [{ cache: 'bindings' }] });
});

it('refuses anything that is not exactly a notice', () => {
  for (const bad of [
    undefined, '', 'not json', 'null', '[]', '{"o":1,"c":[]}', '{"o":"x"}', '{"o":"x","c":[["roles"]]}',
    '{"o":"x","c":[["bindings",""]]}', '{"o":"x","c":[["bindings","k","extra"]]}', '{"o":"x","c":[[]]}',
    `{"o":"x","c":[["bindings","${'k'.repeat(2001)}"]]}`, `{"o":"${'o'.repeat(65)}","c":[]}`, 'x'.repeat(7001),
  ]) {
    assert.equal(decodeNotice(bad), undefined, String(bad).slice(0, 60));
  }
});
