// Spec check 7: every header we read is signed and appears once, and the binding headers
// (after SigV4 whitespace canonicalisation) name the identity requested and our audience.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verifyAwsRequest } from '../../src/aws/index.js';
import { assertRefused, AUDIENCE, b64, BIND, IDENTITY, serialize, signedRequest } from './support.js';

test('check 7 accepts values equal after SigV4 canonicalisation, and forwards only signed headers', async () => {
  const t = serialize(await signedRequest({ unsignedExtra: { 'User-Agent': 'curl/8.5.0', Accept: '*/*' } }));
  const spaced = t
    .replace(`Chainguard-Identity: ${IDENTITY}`, `Chainguard-Identity:   ${IDENTITY}  `)
    .replace(`Chainguard-Audience: ${AUDIENCE}`, `Chainguard-Audience:\t${AUDIENCE}`);
  const checked = verifyAwsRequest(b64(spaced), BIND);
  const names = checked.headers.map(([n]) => n.toLowerCase());
  assert.ok(!names.includes('user-agent') && !names.includes('accept'));
  assert.ok(names.includes('chainguard-identity') && names.includes('x-amz-security-token'));
  // An extra signed SDK header is forwarded as it is.
  const sdk = verifyAwsRequest(b64(serialize(await signedRequest({ signedExtra: { 'amz-sdk-invocation-id': 'abc-123' } }))), BIND);
  assert.deepEqual(sdk.headers.find(([n]) => n === 'amz-sdk-invocation-id'), ['amz-sdk-invocation-id', 'abc-123']);
});

test('check 7 refuses a binding to another identity or another audience', async () => {
  const other = serialize(await signedRequest({ identity: `${IDENTITY.slice(0, -1)}e` }));
  assertRefused(() => verifyAwsRequest(b64(other), BIND), 'AWS_TOKEN_IDENTITY_MISMATCH', /identity requested/);
  const parent = serialize(await signedRequest({ identity: IDENTITY.slice(0, 40) }));
  assertRefused(() => verifyAwsRequest(b64(parent), BIND), 'AWS_TOKEN_IDENTITY_MISMATCH');
  for (const audience of ['https://issuer.enforce.dev', `${AUDIENCE}/`, AUDIENCE.toUpperCase(), `${AUDIENCE} x`]) {
    const t = serialize(await signedRequest({ audience }));
    const err = assertRefused(() => verifyAwsRequest(b64(t), BIND), 'AWS_TOKEN_AUDIENCE_MISMATCH', /audience/);
    assert.ok(!err.message.includes(audience), 'the message does not echo the presented value');
  }
});

test('check 7 refuses a signed header that is repeated or missing', async () => {
  const t = serialize(await signedRequest());
  const again = t.replace(`Chainguard-Audience: ${AUDIENCE}\r\n`, `Chainguard-Audience: ${AUDIENCE}\r\nchainguard-audience: https://evil.example\r\n`);
  assertRefused(() => verifyAwsRequest(b64(again), BIND), 'AWS_TOKEN_DUPLICATE_HEADER', /Chainguard-Audience/);
  const idTwice = t.replace(`Chainguard-Identity: ${IDENTITY}\r\n`, `Chainguard-Identity: ${IDENTITY}\r\nChainguard-Identity: ${IDENTITY}\r\n`);
  assertRefused(() => verifyAwsRequest(b64(idTwice), BIND), 'AWS_TOKEN_DUPLICATE_HEADER');
  const missing = t.replace(/Chainguard-Identity: [^\r]+\r\n/, '');
  assertRefused(() => verifyAwsRequest(b64(missing), BIND), 'AWS_TOKEN_MISSING_HEADER', /Chainguard-Identity/);
  const sha = t.replace(/x-amz-content-sha256: [^\r]+\r\n/, '');
  assertRefused(() => verifyAwsRequest(b64(sha), BIND), 'AWS_TOKEN_MISSING_HEADER');
});

test('check 7 refuses an unsigned X-Amz-Security-Token or an unsigned Content-Type on a body', async () => {
  const t = serialize(await signedRequest({ sessionToken: false, unsignedExtra: { 'X-Amz-Security-Token': 'swapped' } }));
  assertRefused(() => verifyAwsRequest(b64(t), BIND), 'AWS_TOKEN_HEADER_NOT_SIGNED', /X-Amz-Security-Token/);
  assert.ok(verifyAwsRequest(b64(serialize(await signedRequest({ sessionToken: false }))), BIND));
  const body = serialize(await signedRequest({ form: 'body' })).replace(/content-type;/, '');
  assertRefused(() => verifyAwsRequest(b64(body), BIND), 'AWS_TOKEN_HEADER_NOT_SIGNED', /Content-Type/);
});
