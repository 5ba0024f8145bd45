// The AWS token `latchkey auth login --identity-provider aws` and `latchkey aws token` build:
// static credentials, a frozen clock. The decoded token must be the request head the seed's
// curl prints, parse as HTTP/1.1 in Node's own parser over a real socket, carry a SigV4
// signature that an independent computation agrees with, and pass the server's own checks.

import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { checkAwsRequest, parseAwsToken } from '../../src/aws/index.js';
import { stsRegionFrom } from '../../src/cli/aws-identity-token.js';
import { buildAwsToken, stsEndpoint } from '../../src/cli/build-aws-token.js';

// The example credentials of AWS's SigV4 test suite; the seed's date, identity and audience.
const CREDS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE=' };
const DATE = new Date('2024-11-28T17:01:55Z');
const IDENTITY = '66fe8510254166621680aeb498b0249b66900d34/335917336625376d';
const AUDIENCE = 'https://issuer.enforce.dev';

const decode = (token: string) => Buffer.from(token, 'base64').toString('utf8');

/** Sends raw request bytes to a real node:http server; resolves to what it parsed. */
async function parseWithNodeHttp(raw: string): Promise<{ method: string; url: string; headers: IncomingHttpHeaders; rawHeaders: string[] }> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const seen = new Promise<{ method: string; url: string; headers: IncomingHttpHeaders; rawHeaders: string[] }>((resolve) => {
      server.once('request', (req, res) => {
        resolve({ method: req.method!, url: req.url!, headers: req.headers, rawHeaders: req.rawHeaders });
        res.end();
      });
    });
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () => socket.end(raw));
    socket.on('data', () => {});
    return await seen;
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

/** SigV4 computed independently of smithy (AWS's documented algorithm), as a test oracle. */
function expectedSignature(method: string, path: string, query: string, headers: Record<string, string>, signed: string[], date: string, region: string): string {
  const hex = (s: string) => createHash('sha256').update(s).digest('hex');
  const hmac = (k: Buffer | string, s: string) => createHmac('sha256', k).update(s).digest();
  const canonical = [method, path, query, ...signed.map((h) => `${h}:${headers[h]!.trim()}`), '', signed.join(';'), hex('')].join('\n');
  const scope = `${date.slice(0, 8)}/${region}/sts/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', date, scope, hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${CREDS.secretAccessKey}`, date.slice(0, 8)), region), 'sts'), 'aws4_request');
  return createHmac('sha256', key).update(toSign).digest('hex');
}

describe('buildAwsToken', () => {
  it('is the seed\'s request head, base64 (standard alphabet), CRLF, empty body', async () => {
    const token = await buildAwsToken({ identity: IDENTITY, audience: AUDIENCE, credentials: CREDS, signingDate: DATE, invocationId: '0f8fad5b-d9cb-469f-a165-70867728950e' });
    assert.match(token, /^[A-Za-z0-9+/]+=*$/);
    const lines = decode(token).split('\r\n');
    assert.deepEqual(lines.slice(0, 8), [
      'POST /?Action=GetCallerIdentity&Version=2011-06-15 HTTP/1.1',
      'Host: sts.amazonaws.com',
      'Accept: application/json',
      `Chainguard-Identity: ${IDENTITY}`,
      `Chainguard-Audience: ${AUDIENCE}`,
      'Amz-Sdk-Invocation-Id: 0f8fad5b-d9cb-469f-a165-70867728950e',
      'X-Amz-Date: 20241128T170155Z',
      `X-Amz-Security-Token: ${CREDS.sessionToken}`,
    ]);
    assert.match(lines[8]!, /^Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20241128\/us-east-1\/sts\/aws4_request, SignedHeaders=accept;amz-sdk-invocation-id;chainguard-audience;chainguard-identity;host;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/);
    assert.deepEqual(lines.slice(9), ['', '']);
  });

  it('parses as HTTP/1.1 in Node\'s parser, and its signature is SigV4\'s', async () => {
    const token = await buildAwsToken({ identity: IDENTITY, audience: AUDIENCE, credentials: CREDS, signingDate: DATE });
    const req = await parseWithNodeHttp(decode(token));
    assert.equal(req.method, 'POST');
    assert.equal(req.url, '/?Action=GetCallerIdentity&Version=2011-06-15');
    assert.equal(req.headers['chainguard-identity'], IDENTITY);
    assert.equal(req.headers['chainguard-audience'], AUDIENCE);
    const auth = /SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(req.headers.authorization!)!;
    const signed = auth[1]!.split(';');
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    assert.equal(auth[2], expectedSignature('POST', '/', 'Action=GetCallerIdentity&Version=2011-06-15', headers, signed, '20241128T170155Z', 'us-east-1'));
  });

  it('passes the server\'s own parser and checks (binding headers signed, host, time)', async () => {
    const token = await buildAwsToken({ identity: IDENTITY, audience: AUDIENCE, credentials: CREDS, signingDate: DATE });
    const checked = checkAwsRequest(parseAwsToken(token), { identity: IDENTITY, audience: AUDIENCE, now: new Date(DATE.getTime() + 60_000) });
    assert.equal(checked.endpoint.host, 'sts.amazonaws.com');
    assert.equal(checked.accessKeyId, 'AKIDEXAMPLE');
    assert.throws(() => checkAwsRequest(parseAwsToken(token), { identity: IDENTITY, audience: 'https://elsewhere.example', now: DATE }),
      (err: { code?: string }) => err.code === 'AWS_TOKEN_AUDIENCE_MISMATCH');
  });

  it('is a new request each time: two tokens signed in the same second differ in signature', async () => {
    const sig = async () => /Signature=([0-9a-f]{64})/.exec(decode(await buildAwsToken({ identity: IDENTITY, audience: AUDIENCE, credentials: CREDS, signingDate: DATE })))![1];
    const [a, b] = [await sig(), await sig()];
    assert.notEqual(a, b);
  });

  it('signs for a regional endpoint when asked, and works without a session token', async () => {
    const token = await buildAwsToken({
      identity: IDENTITY, audience: AUDIENCE, region: 'eu-west-1', signingDate: DATE,
      credentials: { accessKeyId: CREDS.accessKeyId, secretAccessKey: CREDS.secretAccessKey },
    });
    const head = decode(token);
    assert.match(head, /\r\nHost: sts\.eu-west-1\.amazonaws\.com\r\n/);
    assert.match(head, /Credential=AKIDEXAMPLE\/20241128\/eu-west-1\/sts\/aws4_request, SignedHeaders=accept;amz-sdk-invocation-id;chainguard-audience;chainguard-identity;host;x-amz-date,/);
    assert.doesNotMatch(head, /Security-Token/i);
    const checked = checkAwsRequest(parseAwsToken(token), { identity: IDENTITY, audience: AUDIENCE, now: DATE });
    assert.equal(checked.endpoint.region, 'eu-west-1');
  });

  it('takes credentials from a provider (as fromNodeProviderChain is)', async () => {
    let calls = 0;
    const token = await buildAwsToken({ identity: IDENTITY, audience: AUDIENCE, signingDate: DATE, credentials: async () => { calls++; return CREDS; } });
    assert.equal(calls, 1);
    assert.match(decode(token), /Credential=AKIDEXAMPLE\//);
  });

  it('refuses header values that would add lines to the request', async () => {
    await assert.rejects(buildAwsToken({ identity: `${IDENTITY}\r\nX-Evil: 1`, audience: AUDIENCE, credentials: CREDS }), TypeError);
    await assert.rejects(buildAwsToken({ identity: IDENTITY, audience: `${AUDIENCE}\n`, credentials: CREDS }), TypeError);
  });
});

describe('STS endpoint', () => {
  it('is global by default, regional when a region is configured', () => {
    assert.deepEqual(stsEndpoint(), { host: 'sts.amazonaws.com', region: 'us-east-1' });
    assert.deepEqual(stsEndpoint('us-west-2'), { host: 'sts.us-west-2.amazonaws.com', region: 'us-west-2' });
    assert.deepEqual(stsEndpoint('cn-north-1'), { host: 'sts.cn-north-1.amazonaws.com.cn', region: 'cn-north-1' });
    assert.deepEqual(stsEndpoint('us-gov-west-1'), { host: 'sts.us-gov-west-1.amazonaws.com', region: 'us-gov-west-1' });
    assert.throws(() => stsEndpoint('mars'), /not an AWS region/);
    assert.throws(() => stsEndpoint('us-iso-east-1'), /no STS endpoint/);
  });

  it('follows --aws-region, else AWS_REGION only with AWS_STS_REGIONAL_ENDPOINTS=regional', () => {
    assert.equal(stsRegionFrom(undefined, {}), undefined);
    assert.equal(stsRegionFrom(undefined, { AWS_REGION: 'eu-west-1' }), undefined);
    assert.equal(stsRegionFrom(undefined, { AWS_REGION: 'eu-west-1', AWS_STS_REGIONAL_ENDPOINTS: 'regional' }), 'eu-west-1');
    assert.equal(stsRegionFrom(undefined, { AWS_DEFAULT_REGION: 'ap-south-1', AWS_STS_REGIONAL_ENDPOINTS: 'regional' }), 'ap-south-1');
    assert.equal(stsRegionFrom(undefined, { AWS_REGION: 'eu-west-1', AWS_STS_REGIONAL_ENDPOINTS: 'legacy' }), undefined);
    assert.equal(stsRegionFrom('us-west-2', { AWS_REGION: 'eu-west-1', AWS_STS_REGIONAL_ENDPOINTS: 'regional' }), 'us-west-2');
  });
});
