// Spec check 6: exactly one Authorization header with one Credential scope for sts in the
// host's region and one SignedHeaders list that contains host, x-amz-date and both binding
// headers.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verifyAwsRequest } from '../../src/aws/index.js';
import { assertRefused, b64, BIND, serialize, signedRequest } from './support.js';

async function text(spec: Parameters<typeof signedRequest>[0] = {}): Promise<string> {
  return serialize(await signedRequest(spec));
}

function replaceAuth(t: string, f: (value: string) => string): string {
  return t.replace(/authorization: ([^\r]+)/, (_, v: string) => `authorization: ${f(v)}`);
}

test('check 6 accepts a well-formed Authorization, its components in any order and spacing', async () => {
  const t = await text();
  assert.equal(verifyAwsRequest(b64(t), BIND).accessKeyId, 'ASIAFAKEFAKEFAKE0001');
  const reordered = replaceAuth(t, (v) => {
    const [algo, rest] = [v.slice(0, 17), v.slice(17)];
    return algo + rest.split(', ').reverse().join(',');
  });
  assert.ok(verifyAwsRequest(b64(reordered), BIND));
});

test('check 6 refuses a missing, repeated or malformed Authorization', async () => {
  const t = await text();
  assertRefused(() => verifyAwsRequest(b64(t.replace(/authorization: [^\r]+\r\n/, '')), BIND), 'AWS_TOKEN_BAD_AUTHORIZATION', /missing/);
  assertRefused(
    () => verifyAwsRequest(b64(t.replace(/(authorization: [^\r]+\r\n)/, '$1$1')), BIND),
    'AWS_TOKEN_DUPLICATE_HEADER',
    /Authorization/,
  );
  const bad: Array<[string, (v: string) => string]> = [
    ['other algorithm', (v) => v.replace('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256')],
    ['two Credentials', (v) => `${v}, Credential=${/Credential=([^,]+)/.exec(v)?.[1]}`],
    ['two SignedHeaders', (v) => `${v}, SignedHeaders=host`],
    ['two Signatures', (v) => `${v}, Signature=${'0'.repeat(64)}`],
    ['unknown component', (v) => `${v}, Extra=1`],
    ['no Signature', (v) => v.replace(/, Signature=[0-9a-f]+/, '')],
    ['short Signature', (v) => v.replace(/Signature=[0-9a-f]+/, 'Signature=abc')],
    ['upper-case Signature', (v) => v.replace(/Signature=([0-9a-f]+)/, (_, s: string) => `Signature=${s.toUpperCase()}`)],
    ['service not sts', (v) => v.replace('/sts/', '/iam/')],
    ['no aws4_request', (v) => v.replace('aws4_request', 'aws4_requesx')],
    ['extra scope part', (v) => v.replace('/aws4_request', '/aws4_request/x')],
    ['bad scope region', (v) => v.replace('/us-east-1/', '/US-EAST-1/')],
    ['bad scope date', (v) => v.replace('/20260115/', '/2026-01-15/')],
    ['unsorted SignedHeaders', (v) => v.replace('chainguard-audience;chainguard-identity', 'chainguard-identity;chainguard-audience')],
    ['repeated SignedHeaders', (v) => v.replace('host;', 'host;host;')],
    ['upper-case SignedHeaders', (v) => v.replace('host;', 'Host;')],
    ['empty SignedHeaders entry', (v) => v.replace('host;', 'host;;')],
    ['hop-by-hop header signed', (v) => v.replace('host;', 'connection;host;')],
  ];
  for (const [name, f] of bad) {
    const err = assertRefused(() => verifyAwsRequest(b64(replaceAuth(t, f)), BIND), 'AWS_TOKEN_BAD_AUTHORIZATION');
    assert.ok(!/[0-9a-f]{64}/.test(err.message), `${name}: the message never quotes the signature`);
  }
});

test('check 6 refuses a scope region that disagrees with the host', async () => {
  // The global endpoint is signed for us-east-1 only.
  const global = await text({ region: 'eu-west-1' });
  assertRefused(() => verifyAwsRequest(b64(global), BIND), 'AWS_TOKEN_REGION_MISMATCH', /us-east-1/);
  const regional = await text({ host: 'sts.eu-west-1.amazonaws.com', region: 'eu-west-2' });
  assertRefused(() => verifyAwsRequest(b64(regional), BIND), 'AWS_TOKEN_REGION_MISMATCH');
  assert.ok(verifyAwsRequest(b64(await text({ host: 'sts.eu-west-1.amazonaws.com' })), BIND));
});

test('check 6 refuses when a binding header, host or x-amz-date is left out of SignedHeaders', async () => {
  // The advisory's attack: binding headers added to a request signed without them.
  const unbound = await text({ unsignedBinding: true });
  assertRefused(() => verifyAwsRequest(b64(unbound), BIND), 'AWS_TOKEN_IDENTITY_NOT_SIGNED', /identity header .*is not signed/);
  const t = await text();
  const drop = (name: string) => replaceAuth(t, (v) => v.replace(`${name};`, ''));
  assertRefused(() => verifyAwsRequest(b64(drop('chainguard-audience')), BIND), 'AWS_TOKEN_AUDIENCE_NOT_SIGNED', /audience header .*is not signed/);
  assertRefused(() => verifyAwsRequest(b64(drop('chainguard-identity')), BIND), 'AWS_TOKEN_IDENTITY_NOT_SIGNED');
  assertRefused(() => verifyAwsRequest(b64(drop('host')), BIND), 'AWS_TOKEN_HEADER_NOT_SIGNED', /Host/);
  assertRefused(() => verifyAwsRequest(b64(drop('x-amz-date')), BIND), 'AWS_TOKEN_HEADER_NOT_SIGNED', /X-Amz-Date/);
});
