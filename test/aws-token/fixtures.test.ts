// Real-client captures (test/fixtures/aws-tokens, sources in vectors.json) driven by one loop
// with a frozen clock per vector: curl's verbose output as the seed pipes it, HTTP/2, bare LF,
// botocore's form body, and the refusals real mistakes produce.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { verifyAwsRequest } from '../../src/aws/index.js';
import { assertRefused, CAPTURE_KEYS, forwardedSignatureValid } from './support.js';

const dir = new URL('../fixtures/aws-tokens/', import.meta.url);
interface Vector {
  file: string;
  source: string;
  now: string;
  expect: string;
  host?: string;
  region?: string;
}
const index = JSON.parse(readFileSync(new URL('vectors.json', dir), 'utf8')) as {
  identity: string;
  audience: string;
  vectors: Vector[];
};

/** The same bytes in every base64 spelling a client may use. */
function encodings(bytes: Buffer): Record<string, string> {
  const std = bytes.toString('base64');
  return {
    'base64 -w0': std,
    'unpadded': std.replace(/=+$/, ''),
    'URL-safe unpadded': bytes.toString('base64url'),
    'URL-safe padded': bytes.toString('base64url') + '='.repeat((4 - (bytes.toString('base64url').length % 4)) % 4),
  };
}

for (const v of index.vectors) {
  test(`vector ${v.file} (${v.source}) -> ${v.expect}`, async () => {
    const bytes = readFileSync(new URL(v.file, dir));
    const bind = { identity: index.identity, audience: index.audience, now: new Date(v.now) };
    for (const [how, token] of Object.entries(encodings(bytes))) {
      if (v.expect === 'ok') {
        const checked = verifyAwsRequest(token, bind);
        assert.equal(checked.endpoint.host, v.host, how);
        assert.equal(checked.endpoint.region, v.region, how);
        // What is forwarded is exactly Authorization and the signed headers (Host goes separately).
        const signed = bytes.toString('latin1').match(/SignedHeaders=([^,]+),/)?.[1]?.split(';') ?? [];
        assert.deepEqual(
          checked.headers.map(([n]) => n.toLowerCase()).sort(),
          ['authorization', ...signed.filter((n) => n !== 'host')].sort(),
          how,
        );
        assert.ok(!checked.headers.some(([n]) => /^(user-agent|accept-encoding|amz-sdk-request|content-length)$/i.test(n)));
        // And it still verifies under SigV4 as the client signed it.
        assert.equal(await forwardedSignatureValid(checked, CAPTURE_KEYS), true, how);
      } else {
        assertRefused(() => verifyAwsRequest(token, bind), v.expect);
      }
    }
  });
}

test('the audience is part of the binding: a capture for another issuer is refused', () => {
  const token = readFileSync(new URL('curl-seed-recipe.txt', dir)).toString('base64');
  assertRefused(
    () => verifyAwsRequest(token, { identity: index.identity, audience: 'https://latchkey.example.test', now: new Date('2026-11-25T03:36:00Z') }),
    'AWS_TOKEN_AUDIENCE_MISMATCH',
  );
});
