// Spec check 3: method exactly POST; origin-form target "/" with the query or none.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verifyAwsRequest } from '../../src/aws/index.js';
import { assertRefused, b64, BIND, serialize, signedRequest } from './support.js';

test('check 3 accepts POST / (form body) and POST /?Action=... (query)', async () => {
  assert.equal(verifyAwsRequest(b64(serialize(await signedRequest({ form: 'body' }))), BIND).target, '/');
  assert.equal(
    verifyAwsRequest(b64(serialize(await signedRequest({ form: 'query' }))), BIND).target,
    '/?Action=GetCallerIdentity&Version=2011-06-15',
  );
});

test('check 3 refuses any method but POST', async () => {
  const text = serialize(await signedRequest());
  for (const m of ['GET', 'post', 'PUT', 'POSTX']) {
    assertRefused(() => verifyAwsRequest(b64(text.replace(/^POST/, m)), BIND), 'AWS_TOKEN_BAD_METHOD', /POST/);
  }
});

test('check 3 refuses absolute URIs, other paths, fragments and an empty query', async () => {
  const text = serialize(await signedRequest());
  const q = '?Action=GetCallerIdentity&Version=2011-06-15';
  for (const target of [
    `https://sts.amazonaws.com/${q}`,
    `//sts.amazonaws.com/${q}`,
    `/x${q}`,
    `//${q}`,
    `/./${q}`,
    `/%2F${q}`,
    `*`,
    `/${q}#frag`,
    '/?',
  ]) {
    assertRefused(() => verifyAwsRequest(b64(text.replace(`/${q}`, target)), BIND), 'AWS_TOKEN_BAD_TARGET');
  }
});
