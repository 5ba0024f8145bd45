// Spec check 8: X-Amz-Date strictly YYYYMMDDTHHMMSSZ, at most 15 minutes old and 5 minutes
// ahead of the server clock; the credential scope's date is X-Amz-Date's.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verifyAwsRequest } from '../../src/aws/index.js';
import { assertRefused, b64, BIND, NOW, serialize, signedRequest } from './support.js';

const at = (offsetSeconds: number) => new Date(NOW.getTime() + offsetSeconds * 1000);

test('check 8 accepts the edges of the window: 15 minutes old and 5 minutes ahead', async () => {
  const token = b64(serialize(await signedRequest()));
  for (const now of [NOW, at(900), at(-300)]) {
    assert.equal(verifyAwsRequest(token, { ...BIND, now }).signedAt.toISOString(), NOW.toISOString());
  }
});

test('check 8 refuses a request more than 15 minutes old or more than 5 minutes ahead', async () => {
  const token = b64(serialize(await signedRequest()));
  assertRefused(() => verifyAwsRequest(token, { ...BIND, now: at(901) }), 'AWS_TOKEN_EXPIRED');
  assertRefused(() => verifyAwsRequest(token, { ...BIND, now: at(-301) }), 'AWS_TOKEN_NOT_YET_VALID');
  // Configuration may only tighten the window.
  assertRefused(() => verifyAwsRequest(token, { ...BIND, now: at(61) }, { maxPastSeconds: 60 }), 'AWS_TOKEN_EXPIRED');
  assert.throws(() => verifyAwsRequest(token, BIND, { maxPastSeconds: 3600 }), TypeError);
});

test('check 8 refuses malformed dates and a scope date that is not the X-Amz-Date date', async () => {
  const t = serialize(await signedRequest());
  for (const bad of [
    '2026-01-15T12:00:00Z',
    '20260115T120000',
    '20260115 120000Z',
    '20260115t120000z',
    '20260115T240000Z',
    '20260115T126000Z',
    '20260230T120000Z',
    '20261315T120000Z',
    '00000115T120000Z',
    '2026011xT120000Z',
    '+0260115T120000Z',
    'Thu, 15 Jan 2026 12:00:00 GMT',
  ]) {
    assertRefused(() => verifyAwsRequest(b64(t.replace('x-amz-date: 20260115T120000Z', `x-amz-date: ${bad}`)), BIND), 'AWS_TOKEN_BAD_DATE');
  }
  // Signed yesterday at 23:59:30 and presented at 00:00:10 is fine; a scope from another day is not.
  const midnight = new Date('2026-01-15T23:59:30Z');
  const late = serialize(await signedRequest({ signingDate: midnight }));
  assert.ok(verifyAwsRequest(b64(late), { ...BIND, now: new Date('2026-01-16T00:00:10Z') }));
  const skewed = late.replace('/20260115/', '/20260116/');
  assertRefused(() => verifyAwsRequest(b64(skewed), { ...BIND, now: midnight }), 'AWS_TOKEN_BAD_DATE', /scope date/);
});
