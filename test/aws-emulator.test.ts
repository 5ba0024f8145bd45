// The local AWS emulator against real peers: the AWS CLI, botocore and curl over loopback,
// the AWS SDK's credential providers, AWS's own SigV4 test vectors, and smithy-signed
// requests under a frozen clock for everything that depends on time.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fromContainerMetadata, fromHttp, fromInstanceMetadata } from '@aws-sdk/credential-providers';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  groupRawHeaders,
  parsePrincipalSpec,
  resolvePrincipal,
  startAwsEmulator,
  verifySigV4,
  AwsFault,
  type AwsEmulator,
  type IssuedCredentials,
  type ReceivedRequest,
} from '../src/aws-emulator/index.js';
import {
  curlRequestHead,
  curlSupportsAwsSigv4,
  findAwsCli,
  findExecutable,
  hasBotocore,
  hermeticAwsEnv,
  runAwsCli,
  runBotocore,
  runCurl,
  runProcess,
  sendRawRequest,
} from './support/aws-clients.js';

const SEED = { account: '452336408843', roleName: 'access_to_chainguard_org', sessionName: 'i-00c1356891c5a1b2e' };
const CN = { account: '111122223333', roleName: 'builder', sessionName: 'ci-runner', partition: 'aws-cn' as const };
const T0 = new Date('2024-11-28T17:01:55Z');
const STS_QUERY = 'Action=GetCallerIdentity&Version=2011-06-15';

// --- helpers ---------------------------------------------------------------------------------

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request with exactly these headers (Host included: node:http lets us set it). */
function send(url: string, o: { method?: string; path?: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: u.hostname, port: u.port, method: o.method ?? 'GET', path: o.path ?? '/', headers: o.headers ?? {}, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

interface SignOptions {
  creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  date: Date;
  host: string;
  method?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  region?: string;
  service?: string;
}

/** Signs like an AWS SDK would (smithy), returning the headers to send. */
async function sign(o: SignOptions): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    service: o.service ?? 'sts',
    region: o.region ?? 'us-east-1',
    credentials: o.creds,
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: o.method ?? 'POST',
      hostname: o.host,
      path: '/',
      query: o.query ?? {},
      headers: { host: o.host, ...o.headers },
      ...(o.body !== undefined ? { body: o.body } : {}),
    }),
    { signingDate: o.date },
  );
  return signed.headers as Record<string, string>;
}

function creds(c: IssuedCredentials) {
  return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken };
}

/** A signed GetCallerIdentity (query form by default) sent to the emulator. */
async function callSts(emu: AwsEmulator, o: Omit<SignOptions, 'host'> & { host?: string; tamper?: (h: Record<string, string>) => void }): Promise<Reply> {
  const host = o.host ?? new URL(emu.url).host;
  const query = o.query ?? (o.body === undefined ? { Action: 'GetCallerIdentity', Version: '2011-06-15' } : {});
  const headers = await sign({ ...o, host, query });
  o.tamper?.(headers);
  const qs = new URLSearchParams(query).toString();
  return send(emu.url, { method: o.method ?? 'POST', path: qs ? `/?${qs}` : '/', headers, ...(o.body !== undefined ? { body: o.body } : {}) });
}

function xmlField(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

function errorCode(r: Reply): string | undefined {
  return r.headers['content-type'] === 'application/json' ? JSON.parse(r.body).Error.Code : xmlField(r.body, 'Code');
}

// --- principals ------------------------------------------------------------------------------

describe('principals', () => {
  it('parses ACCOUNT:ROLE[:SESSION], deriving a stable EC2-style session when absent', () => {
    assert.deepEqual(parsePrincipalSpec('452336408843:access_to_chainguard_org:i-00c1356891c5a1b2e'), SEED);
    const a = parsePrincipalSpec('123456789012:my-role');
    assert.match(a.sessionName, /^i-[0-9a-f]{17}$/);
    assert.equal(parsePrincipalSpec('123456789012:my-role').sessionName, a.sessionName);
  });

  for (const [spec, fragment] of [
    ['', 'expected ACCOUNT:ROLE[:SESSION]'],
    ['123456789012', 'expected ACCOUNT:ROLE[:SESSION]'],
    ['12345678901:role', 'ACCOUNT must be exactly 12 digits'],
    ['1234567890123:role', 'ACCOUNT must be exactly 12 digits'],
    ['12345678901a:role', 'ACCOUNT must be exactly 12 digits'],
    ['123456789012:', 'ROLE must be'],
    ['123456789012:bad role', 'ROLE must be'],
    ['123456789012:role/path', 'ROLE must be'],
    [`123456789012:${'r'.repeat(65)}`, 'ROLE must be'],
    ['123456789012:role:x', 'SESSION must be'],
    ['123456789012:role:a:b', 'expected ACCOUNT:ROLE[:SESSION]'],
  ] as const) {
    it(`rejects ${JSON.stringify(spec)} with a TypeError saying what is wrong`, () => {
      assert.throws(() => parsePrincipalSpec(spec), (e: unknown) => e instanceof TypeError && e.message.includes(fragment));
    });
  }

  it('derives AWS-shaped ids and ARNs, keeping the partition', () => {
    const p = resolvePrincipal(SEED);
    assert.match(p.roleId, /^AROA[A-Z2-7]{17}$/);
    assert.equal(resolvePrincipal(SEED).roleId, p.roleId, 'stable');
    assert.equal(p.arn, 'arn:aws:sts::452336408843:assumed-role/access_to_chainguard_org/i-00c1356891c5a1b2e');
    assert.equal(p.userId, `${p.roleId}:i-00c1356891c5a1b2e`);
    assert.equal(resolvePrincipal({ ...SEED, roleId: 'AROAWSUKZ3EFSAMPLE' }).userId, 'AROAWSUKZ3EFSAMPLE:i-00c1356891c5a1b2e');
    assert.equal(resolvePrincipal(CN).arn, 'arn:aws-cn:sts::111122223333:assumed-role/builder/ci-runner');
    assert.equal(resolvePrincipal({ ...CN, partition: 'aws-us-gov' }).roleArn, 'arn:aws-us-gov:iam::111122223333:role/builder');
    assert.throws(() => resolvePrincipal({ ...SEED, roleId: 'AIDA1234567890' }), TypeError);
  });

  it('refuses a non-loopback host, no principals and bad TTLs', async () => {
    await assert.rejects(startAwsEmulator({ host: '0.0.0.0', principals: [SEED] }), TypeError);
    await assert.rejects(startAwsEmulator({ host: '10.0.0.1', principals: [SEED] }), TypeError);
    await assert.rejects(startAwsEmulator({ principals: [] }), TypeError);
    await assert.rejects(startAwsEmulator({ principals: [SEED], credentialTtlSeconds: 0 }), TypeError);
  });
});

// --- AWS's SigV4 test suite ------------------------------------------------------------------

// Source: AWS's "Signature Version 4 test suite" (aws-sig-v4-test-suite, published with the
// SigV4 docs): request as received, and the Authorization header AWS publishes for it; all
// signed at 20150830T123600Z with AKIDEXAMPLE. Left out: the vectors whose .req path is not a
// valid wire path (get-utf8, get-space: raw UTF-8/space; a server sees them percent-encoded
// and, like AWS for every service but S3, escapes the wire path again) and the multi-line one
// (obs-fold, which HTTP/1.1 servers reject).
const SUITE_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const SUITE_TOKEN =
  'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==';
const SUITE: ReadonlyArray<{ name: string; req: string; signed: string; signature: string; token?: string }> = [
  { name: 'get-vanilla', req: 'GET / HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\n', signed: 'host;x-amz-date', signature: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31' },
  { name: 'get-vanilla-query-order-key', req: 'GET /?Param1=value2&Param1=Value1 HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\n', signed: 'host;x-amz-date', signature: 'eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1' },
  { name: 'get-vanilla-query-order-key-case', req: 'GET /?Param2=value2&Param1=value1 HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\n', signed: 'host;x-amz-date', signature: 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500' },
  { name: 'get-vanilla-query-order-value', req: 'GET /?Param1=value2&Param1=value1 HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\n', signed: 'host;x-amz-date', signature: '5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694' },
  { name: 'get-vanilla-query-unreserved', req: 'GET /?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\n', signed: 'host;x-amz-date', signature: '9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197' },
  { name: 'get-vanilla-empty-query-key', req: 'GET /?Param1=value1 HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\n', signed: 'host;x-amz-date', signature: 'a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb' },
  { name: 'get-vanilla-utf8-query (percent-encoded on the wire)', req: 'GET /?%E1%88%B4=bar HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\n', signed: 'host;x-amz-date', signature: '2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04' },
  { name: 'get-header-key-duplicate', req: 'GET / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:value2\nMy-Header1:value2\nMy-Header1:value1\nX-Amz-Date:20150830T123600Z\n', signed: 'host;my-header1;x-amz-date', signature: 'c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea' },
  { name: 'get-header-value-order', req: 'GET / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:value4\nMy-Header1:value1\nMy-Header1:value3\nMy-Header1:value2\nX-Amz-Date:20150830T123600Z\n', signed: 'host;my-header1;x-amz-date', signature: '08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01' },
  { name: 'get-header-value-trim', req: 'GET / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1: value1\nMy-Header2: "a   b   c"\nX-Amz-Date:20150830T123600Z\n', signed: 'host;my-header1;my-header2;x-amz-date', signature: 'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736' },
  { name: 'get-unreserved', req: 'GET /-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\n', signed: 'host;x-amz-date', signature: '07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f' },
  { name: 'normalize-path/get-relative', req: 'GET /example/.. HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\n', signed: 'host;x-amz-date', signature: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31' },
  { name: 'post-vanilla', req: 'POST / HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\n', signed: 'host;x-amz-date', signature: '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b' },
  { name: 'post-vanilla-query', req: 'POST /?Param1=value1 HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\n', signed: 'host;x-amz-date', signature: '28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11' },
  { name: 'post-header-key-sort', req: 'POST / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:value1\nX-Amz-Date:20150830T123600Z\n', signed: 'host;my-header1;x-amz-date', signature: 'c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c' },
  { name: 'post-header-value-case', req: 'POST / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:VALUE1\nX-Amz-Date:20150830T123600Z\n', signed: 'host;my-header1;x-amz-date', signature: 'cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d' },
  { name: 'post-x-www-form-urlencoded', req: 'POST / HTTP/1.1\nContent-Type:application/x-www-form-urlencoded\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\n\nParam1=value1', signed: 'content-type;host;x-amz-date', signature: 'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a' },
  { name: 'post-x-www-form-urlencoded-parameters', req: 'POST / HTTP/1.1\nContent-Type:application/x-www-form-urlencoded; charset=utf8\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\n\nParam1=value1', signed: 'content-type;host;x-amz-date', signature: '1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe' },
  { name: 'post-sts-header-before (token signed)', req: `POST / HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\nX-Amz-Security-Token:${SUITE_TOKEN}\n`, signed: 'host;x-amz-date;x-amz-security-token', signature: '85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead', token: SUITE_TOKEN },
  { name: 'post-sts-header-after (token sent, not signed)', req: `POST / HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\nX-Amz-Security-Token:${SUITE_TOKEN}\n`, signed: 'host;x-amz-date', signature: '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b', token: SUITE_TOKEN },
];

/** A suite `.req` as the server would receive it, with the published Authorization added. */
function suiteRequest(v: (typeof SUITE)[number], edit: (raw: string[]) => void = () => {}): ReceivedRequest {
  const [head = '', body = ''] = v.req.split('\n\n');
  const [requestLine = '', ...lines] = head.split('\n').filter((l) => l !== '');
  const [method = '', target = ''] = requestLine.split(' ');
  const raw = lines.flatMap((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]);
  raw.push('Authorization', `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=${v.signed}, Signature=${v.signature}`);
  edit(raw);
  const q = target.indexOf('?');
  return {
    method,
    path: q === -1 ? target : target.slice(0, q),
    rawQuery: q === -1 ? '' : target.slice(q + 1),
    headers: groupRawHeaders(raw),
    body: Buffer.from(body),
  };
}

describe("SigV4 verification against AWS's test suite (frozen clock)", () => {
  const now = new Date('2015-08-30T12:36:00Z');
  for (const v of SUITE) {
    const lookup = (id: string) =>
      id === 'AKIDEXAMPLE' ? { accessKeyId: id, secretAccessKey: SUITE_SECRET, ...(v.token ? { sessionToken: v.token } : {}) } : undefined;
    it(`${v.name}: accepts the published signature, refuses it once Host changes`, async () => {
      const ok = await verifySigV4(suiteRequest(v), { service: 'service', now, lookup });
      assert.equal(ok.record.accessKeyId, 'AKIDEXAMPLE');
      await assert.rejects(
        verifySigV4(suiteRequest(v, (raw) => (raw[raw.indexOf('Host') + 1] = 'example.amazonaws.org')), { service: 'service', now, lookup }),
        (e: unknown) => e instanceof AwsFault && e.code === 'SignatureDoesNotMatch',
      );
    });
  }
});

describe('SigV4 verification against botocore beyond the root path (frozen clock)', () => {
  it('accepts botocore signing a percent-encoded, dot-segment path: the wire path is escaped again, as AWS does for all but S3', async (t) => {
    if (!(await hasBotocore())) return t.skip('no botocore');
    // botocore's clock is frozen by patching its module's datetime.
    const script = `
import datetime, json
from unittest import mock
from botocore.awsrequest import AWSRequest
from botocore.auth import SigV4Auth
from botocore.credentials import Credentials
req = AWSRequest(method='GET', url='https://example.amazonaws.com/a%20b/%E1%88%B4/./c?y=%2F&x=1%202', headers={'My-Header': '  a   b  '})
with mock.patch('botocore.auth.datetime') as d:
    d.datetime.utcnow.return_value = datetime.datetime(2015, 8, 30, 12, 36, 0)
    d.datetime.now.return_value = datetime.datetime(2015, 8, 30, 12, 36, 0, tzinfo=datetime.timezone.utc)
    SigV4Auth(Credentials('AKIDEXAMPLE', '${SUITE_SECRET}'), 'service', 'us-east-1').add_auth(req)
p = req.prepare()
print(json.dumps({'url': p.url, 'headers': dict(p.headers)}))
`;
    const r = await runBotocore(script, hermeticAwsEnv());
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { url: string; headers: Record<string, string> };
    const target = out.url.replace('https://example.amazonaws.com', '');
    const q = target.indexOf('?');
    const received = (headers: Record<string, string>): ReceivedRequest => ({
      method: 'GET',
      path: target.slice(0, q),
      rawQuery: target.slice(q + 1),
      headers: groupRawHeaders(['Host', 'example.amazonaws.com', ...Object.entries(headers).flat()]),
      body: Buffer.alloc(0),
    });
    const opts = {
      service: 'service',
      now: new Date('2015-08-30T12:36:00Z'),
      lookup: () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SUITE_SECRET }),
    };
    assert.match(out.headers.Authorization ?? '', /SignedHeaders=host;my-header;x-amz-date,/);
    await verifySigV4(received(out.headers), opts);
    await assert.rejects(verifySigV4(received({ ...out.headers, 'My-Header': 'a b c' }), opts), AwsFault);
  });
});

// --- STS over HTTP, frozen clock -------------------------------------------------------------

describe('STS GetCallerIdentity (smithy-signed requests, frozen clock)', () => {
  let emu: AwsEmulator;
  let c: IssuedCredentials;
  const logs: Array<{ msg: string; fields?: object }> = [];
  before(async () => {
    emu = await startAwsEmulator({ principals: [SEED, CN], clock: () => T0, log: (msg, fields) => logs.push({ msg, ...(fields ? { fields } : {}) }) });
    c = emu.issueCredentials(0);
  });
  after(() => emu.close());

  it('issues ASIA keys, 40-character secrets, opaque tokens and an expiry', () => {
    assert.match(c.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
    assert.equal(c.secretAccessKey.length, 40);
    assert.ok(c.sessionToken.length >= 100);
    assert.equal(c.expiration, '2024-11-28T18:01:55Z');
    assert.notEqual(emu.issueCredentials(0).accessKeyId, c.accessKeyId);
    assert.equal(emu.issueCredentials(0, { ttlSeconds: 60 }).expiration, '2024-11-28T17:02:55Z');
    assert.ok(Date.parse(emu.issueCredentials(0, { expired: true }).expiration) < T0.getTime());
    assert.throws(() => emu.issueCredentials(2), TypeError);
  });

  it("answers AWS's XML shape by default, with a request id header matching the body", async () => {
    const r = await callSts(emu, { creds: creds(c), date: T0 });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.headers['content-type'], 'text/xml');
    assert.match(r.body, /^<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">\s*<GetCallerIdentityResult>/);
    const p = emu.principals[0]!;
    assert.equal(xmlField(r.body, 'Arn'), 'arn:aws:sts::452336408843:assumed-role/access_to_chainguard_org/i-00c1356891c5a1b2e');
    assert.equal(xmlField(r.body, 'UserId'), `${p.roleId}:i-00c1356891c5a1b2e`);
    assert.equal(xmlField(r.body, 'Account'), '452336408843');
    assert.match(xmlField(r.body, 'RequestId') ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(r.headers['x-amzn-requestid'], xmlField(r.body, 'RequestId'));
  });

  it('answers the JSON shape for Accept: application/json', async () => {
    const r = await callSts(emu, { creds: creds(c), date: T0, headers: { accept: 'application/json' } });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.headers['content-type'], 'application/json');
    const p = emu.principals[0]!;
    assert.deepEqual(JSON.parse(r.body), {
      GetCallerIdentityResponse: {
        GetCallerIdentityResult: { Arn: p.arn, UserId: p.userId, Account: p.account },
        ResponseMetadata: { RequestId: r.headers['x-amzn-requestid'] },
      },
    });
  });

  it('accepts the action in a form body (SDK style), in a GET query, and a signed Host other than the one connected to', async () => {
    const form = await callSts(emu, { creds: creds(c), date: T0, body: STS_QUERY, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } });
    assert.equal(form.status, 200, form.body);
    assert.equal((await callSts(emu, { creds: creds(c), date: T0, method: 'GET' })).status, 200);
    assert.equal((await callSts(emu, { creds: creds(c), date: T0, host: 'sts.amazonaws.com' })).status, 200);
  });

  it('reports the principal of the key, with its partition', async () => {
    const r = await callSts(emu, { creds: creds(emu.issueCredentials(1)), date: T0, region: 'cn-north-1' });
    assert.equal(xmlField(r.body, 'Arn'), 'arn:aws-cn:sts::111122223333:assumed-role/builder/ci-runner');
  });

  it('accepts X-Amz-Date up to 15 minutes either side of its clock and no further, in AWS words', async () => {
    const at = (min: number) => new Date(T0.getTime() + min * 60_000);
    for (const min of [-15, -14, 14, 15]) {
      assert.equal((await callSts(emu, { creds: creds(c), date: at(min) })).status, 200, `${min} min`);
    }
    const old = await callSts(emu, { creds: creds(c), date: at(-16) });
    assert.equal(old.status, 403);
    assert.equal(errorCode(old), 'SignatureDoesNotMatch');
    assert.equal(xmlField(old.body, 'Message'), 'Signature expired: 20241128T164555Z is now earlier than 20241128T164655Z (20241128T170155Z - 15 min.)');
    const future = await callSts(emu, { creds: creds(c), date: at(16) });
    assert.equal(future.status, 403);
    assert.equal(xmlField(future.body, 'Message'), 'Signature not yet current: 20241128T171755Z is still later than 20241128T171655Z (20241128T170155Z + 15 min.)');
  });

  it('refuses unknown keys, missing or foreign session tokens (InvalidClientTokenId) and expired ones (ExpiredToken)', async () => {
    const unknown = await callSts(emu, { creds: { ...creds(c), accessKeyId: 'ASIAAAAAAAAAAAAAAAAA' }, date: T0 });
    assert.deepEqual([unknown.status, errorCode(unknown)], [403, 'InvalidClientTokenId']);
    const noToken = await callSts(emu, { creds: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey }, date: T0 });
    assert.deepEqual([noToken.status, errorCode(noToken)], [403, 'InvalidClientTokenId']);
    const other = emu.issueCredentials(0);
    const foreign = await callSts(emu, { creds: { ...creds(c), sessionToken: other.sessionToken }, date: T0 });
    assert.deepEqual([foreign.status, errorCode(foreign)], [403, 'InvalidClientTokenId']);
    const expired = await callSts(emu, { creds: creds(emu.issueCredentials(0, { expired: true })), date: T0 });
    assert.deepEqual([expired.status, errorCode(expired)], [400, 'ExpiredToken']);
    assert.equal(xmlField(expired.body, 'Message'), 'The security token included in the request is expired');
  });

  it('refuses a wrong secret, an altered signed header, and accepts an added unsigned one', async () => {
    const wrong = await callSts(emu, { creds: { ...creds(c), secretAccessKey: 'x'.repeat(40) }, date: T0 });
    assert.deepEqual([wrong.status, errorCode(wrong)], [403, 'SignatureDoesNotMatch']);
    const headers = { 'chainguard-audience': 'https://issuer.example', 'chainguard-identity': 'abc/def' };
    const altered = await callSts(emu, { creds: creds(c), date: T0, headers, tamper: (h) => (h['chainguard-identity'] = 'abc/xyz') });
    assert.deepEqual([altered.status, errorCode(altered)], [403, 'SignatureDoesNotMatch']);
    const added = await callSts(emu, { creds: creds(c), date: T0, headers, tamper: (h) => (h['chainguard-extra'] = 'anything') });
    assert.equal(added.status, 200, added.body);
    const body = await callSts(emu, {
      creds: creds(c), date: T0, body: STS_QUERY, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(body.status, 200);
  });

  it('refuses a body that differs from the signed one', async () => {
    const headers = await sign({ creds: creds(c), date: T0, host: new URL(emu.url).host, body: STS_QUERY, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const r = await send(emu.url, { method: 'POST', headers, body: `${STS_QUERY}&X=1` });
    assert.deepEqual([r.status, errorCode(r)], [403, 'SignatureDoesNotMatch']);
  });

  it('checks the credential scope: date, service, terminator, region', async () => {
    const host = new URL(emu.url).host;
    const base = await sign({ creds: creds(c), date: T0, host, query: { Action: 'GetCallerIdentity', Version: '2011-06-15' } });
    const withScope = (scope: string) => ({ ...base, authorization: base.authorization!.replace(/Credential=[^,]+/, `Credential=${c.accessKeyId}/${scope}`) });
    const cases: Array<[string, string]> = [
      ['20241127/us-east-1/sts/aws4_request', "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20241127' != '20241128', from '20241128T170155Z'."],
      ['20241128/us-east-1/ec2/aws4_request', "Credential should be scoped to correct service: 'sts'. "],
      ['20241128/us-east-1/sts/aws5_request', "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. "],
      ['20241128/nowhere/sts/aws4_request', 'Credential should be scoped to a valid region. '],
    ];
    for (const [scope, message] of cases) {
      const r = await send(emu.url, { method: 'POST', path: `/?${STS_QUERY}`, headers: withScope(scope) });
      assert.deepEqual([r.status, errorCode(r), xmlField(r.body, 'Message')], [403, 'SignatureDoesNotMatch', message.replace(/'/g, '&#39;')], scope);
    }
  });

  it('refuses requests without or with a malformed Authorization, or unsigned Host / X-Amz-Date', async () => {
    const none = await send(emu.url, { method: 'POST', path: `/?${STS_QUERY}` });
    assert.deepEqual([none.status, errorCode(none)], [403, 'MissingAuthenticationToken']);
    const host = new URL(emu.url).host;
    const h = await sign({ creds: creds(c), date: T0, host, query: { Action: 'GetCallerIdentity', Version: '2011-06-15' } });
    for (const authorization of [
      'AWS4-HMAC-SHA1 Credential=x',
      h.authorization!.replace('SignedHeaders=', 'Signed='),
      h.authorization!.replace(/, Signature=\w+/, ''),
      h.authorization!.replace('SignedHeaders=host;', 'SignedHeaders='),
      h.authorization!.replace(';x-amz-date', ''),
    ]) {
      const r = await send(emu.url, { method: 'POST', path: `/?${STS_QUERY}`, headers: { ...h, authorization } });
      assert.deepEqual([r.status, errorCode(r)], [400, 'IncompleteSignature'], authorization);
    }
    const noDate = { ...h };
    delete noDate['x-amz-date'];
    assert.equal(errorCode(await send(emu.url, { method: 'POST', path: `/?${STS_QUERY}`, headers: noDate })), 'IncompleteSignature');
  });

  it('answers InvalidAction for other actions or versions, MissingAction without one, in JSON when asked', async () => {
    const other = await callSts(emu, { creds: creds(c), date: T0, query: { Action: 'AssumeRole', Version: '2011-06-15' } });
    assert.deepEqual([other.status, errorCode(other)], [400, 'InvalidAction']);
    const version = await callSts(emu, { creds: creds(c), date: T0, query: { Action: 'GetCallerIdentity', Version: '2099-01-01' } });
    assert.deepEqual([version.status, errorCode(version)], [400, 'InvalidAction']);
    const missing = await callSts(emu, { creds: creds(c), date: T0, query: { Version: '2011-06-15' } });
    assert.deepEqual([missing.status, errorCode(missing)], [400, 'MissingAction']);
    const json = await callSts(emu, { creds: creds(c), date: T0, query: { Action: 'AssumeRole', Version: '2011-06-15' }, headers: { accept: 'application/json' } });
    const body = JSON.parse(json.body);
    assert.deepEqual(Object.keys(body).sort(), ['Error', 'RequestId']);
    assert.deepEqual(body.Error, { Type: 'Sender', Code: 'InvalidAction', Message: 'Could not find operation AssumeRole for version 2011-06-15' });
  });

  it("renders errors in AWS's XML shape", async () => {
    const r = await send(emu.url, { method: 'POST', path: `/?${STS_QUERY}` });
    assert.match(
      r.body,
      /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">\s*<Error>\s*<Type>Sender<\/Type>\s*<Code>MissingAuthenticationToken<\/Code>\s*<Message>Request is missing Authentication Token<\/Message>\s*<\/Error>\s*<RequestId>[0-9a-f-]{36}<\/RequestId>\s*<\/ErrorResponse>\s*$/,
    );
  });

  it('caps the body size', async () => {
    const r = await send(emu.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'x'.repeat(100_000) });
    assert.deepEqual([r.status, errorCode(r)], [413, 'RequestEntityTooLarge']);
  });

  it('never logs a secret or a session token', () => {
    const text = JSON.stringify(logs);
    assert.ok(text.includes('sts refused') && text.includes('GetCallerIdentity ok'));
    assert.ok(!text.includes(c.secretAccessKey) && !text.includes(c.sessionToken));
  });
});

// --- IMDSv2 and the container endpoint ----------------------------------------------------------

describe('IMDSv2 and the container-credentials endpoint', () => {
  let emu: AwsEmulator;
  let nowMs = T0.getTime();
  before(async () => {
    emu = await startAwsEmulator({ principals: [SEED, CN], clock: () => new Date(nowMs), containerAuthorizationToken: 'Basic s3cr3t' });
  });
  after(() => emu.close());

  const token = async (ttl = '21600') =>
    send(emu.url, { method: 'PUT', path: '/latest/api/token', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': ttl } });
  const get = (path: string, tok?: string) => send(emu.url, { path, headers: tok ? { 'X-aws-ec2-metadata-token': tok } : {} });

  it('mints tokens only for a TTL of 1..21600 seconds, and not through a proxy', async () => {
    for (const bad of ['0', '21601', 'abc', '-5', '1.5', '']) assert.equal((await token(bad)).status, 400, bad);
    assert.equal((await send(emu.url, { method: 'PUT', path: '/latest/api/token' })).status, 400);
    const ok = await token('1');
    assert.equal(ok.status, 200);
    assert.equal(ok.headers['x-aws-ec2-metadata-token-ttl-seconds'], '1');
    const proxied = await send(emu.url, {
      method: 'PUT', path: '/latest/api/token', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '60', 'X-Forwarded-For': '10.0.0.1' },
    });
    assert.equal(proxied.status, 403);
    assert.equal((await get('/latest/api/token')).status, 405);
  });

  it('requires a valid, unexpired token on every GET', async () => {
    assert.equal((await get('/latest/meta-data/iam/security-credentials/')).status, 401);
    assert.equal((await get('/latest/meta-data/iam/security-credentials/', 'made-up')).status, 401);
    const tok = (await token('60')).body;
    assert.equal((await get('/latest/meta-data/instance-id', tok)).status, 200);
    nowMs += 61_000;
    try {
      assert.equal((await get('/latest/meta-data/instance-id', tok)).status, 401);
    } finally {
      nowMs = T0.getTime();
    }
  });

  it('lists the role, serves its credentials, the instance id, the region and an identity document', async () => {
    const tok = (await token()).body;
    assert.equal((await get('/latest/meta-data/iam/security-credentials/', tok)).body, 'access_to_chainguard_org');
    const r = await get('/latest/meta-data/iam/security-credentials/access_to_chainguard_org', tok);
    assert.equal(r.headers['content-type'], 'application/json');
    const c = JSON.parse(r.body);
    assert.deepEqual(Object.keys(c).sort(), ['AccessKeyId', 'Code', 'Expiration', 'LastUpdated', 'SecretAccessKey', 'Token', 'Type']);
    assert.equal(c.Code, 'Success');
    assert.equal(c.Type, 'AWS-HMAC');
    assert.match(c.AccessKeyId, /^ASIA[A-Z2-7]{16}$/);
    assert.equal(c.Expiration, '2024-11-28T18:01:55Z');
    const again = JSON.parse((await get('/latest/meta-data/iam/security-credentials/access_to_chainguard_org', tok)).body);
    assert.equal(again.AccessKeyId, c.AccessKeyId, 'the same credentials until close to expiry');
    // They are real: STS accepts them.
    const sts = await callSts(emu, { creds: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.Token }, date: T0 });
    assert.equal(xmlField(sts.body, 'Arn'), emu.principals[0]!.arn);
    assert.equal((await get('/latest/meta-data/iam/security-credentials/other-role', tok)).status, 404);
    assert.equal((await get('/latest/meta-data/instance-id', tok)).body, 'i-00c1356891c5a1b2e');
    assert.equal((await get('/latest/meta-data/placement/region', tok)).body, 'us-east-1');
    const doc = JSON.parse((await get('/latest/dynamic/instance-identity/document', tok)).body);
    assert.deepEqual([doc.accountId, doc.instanceId, doc.region], ['452336408843', 'i-00c1356891c5a1b2e', 'us-east-1']);
    assert.equal((await get('/latest/meta-data/nothing-here', tok)).status, 404);
  });

  it('serves container credentials, requiring the configured Authorization token', async () => {
    assert.equal((await send(emu.url, { path: '/v2/credentials/task-1' })).status, 401);
    assert.equal((await send(emu.url, { path: '/v2/credentials/task-1', headers: { authorization: 'Basic wrong!' } })).status, 401);
    const auth = { authorization: 'Basic s3cr3t' };
    const r = await send(emu.url, { path: '/v2/credentials/task-1', headers: auth });
    assert.equal(r.status, 200);
    const c = JSON.parse(r.body);
    assert.deepEqual(Object.keys(c).sort(), ['AccessKeyId', 'Expiration', 'RoleArn', 'SecretAccessKey', 'Token']);
    assert.equal(c.RoleArn, 'arn:aws:iam::452336408843:role/access_to_chainguard_org');
    const second = JSON.parse((await send(emu.url, { path: '/v2/credentials/1', headers: auth })).body);
    assert.equal(second.RoleArn, 'arn:aws-cn:iam::111122223333:role/builder');
    assert.equal((await send(emu.url, { path: '/ecs/credentials', headers: auth })).status, 200);
    assert.equal((await send(emu.url, { method: 'POST', path: '/ecs/credentials', headers: auth })).status, 405);
  });
});

describe("the AWS SDK's credential providers", () => {
  let emu: AwsEmulator;
  const saved = { ...process.env };
  before(async () => {
    emu = await startAwsEmulator({ principals: [SEED], containerAuthorizationToken: 'tok-123' });
    const home = mkdtempSync(join(tmpdir(), 'latchkey-sdk-'));
    Object.assign(process.env, { AWS_CONFIG_FILE: join(home, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'none') });
  });
  after(async () => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    await emu.close();
  });

  async function stsAccepts(c: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): Promise<string | undefined> {
    return xmlField((await callSts(emu, { creds: c, date: new Date() })).body, 'Arn');
  }

  it('fromInstanceMetadata() gets working credentials through IMDSv2', async () => {
    process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = emu.url;
    process.env.AWS_EC2_METADATA_V1_DISABLED = 'true';
    const c = await fromInstanceMetadata({ timeout: 5000 })();
    assert.match(c.accessKeyId, /^ASIA/);
    assert.equal(await stsAccepts(c), emu.principals[0]!.arn);
  });

  it('fromContainerMetadata() and fromHttp() get working credentials from the loopback container endpoint', async () => {
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = `${emu.url}/v2/credentials/x`;
    process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN = 'tok-123';
    const a = await fromContainerMetadata({ timeout: 5000 })();
    assert.equal(await stsAccepts(a), emu.principals[0]!.arn);
    const b = await fromHttp({ awsContainerCredentialsFullUri: `${emu.url}/v1/credentials`, awsContainerAuthorizationToken: 'tok-123' })();
    assert.equal(await stsAccepts(b), emu.principals[0]!.arn);
    delete process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
    await assert.rejects(fromContainerMetadata({ timeout: 5000 })());
  });
});

// --- real clients (system clock: they sign with the time of day) ----------------------------------

describe('real clients: the AWS CLI, botocore, curl', () => {
  let emu: AwsEmulator;
  let c: IssuedCredentials;
  before(async () => {
    emu = await startAwsEmulator({ principals: [SEED, CN] });
    c = emu.issueCredentials(0);
  });
  after(() => emu.close());

  const cli = (creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
    runAwsCli(['sts', 'get-caller-identity', '--endpoint-url', emu.url, '--region', 'us-east-1', '--output', 'json'], hermeticAwsEnv(creds));

  it('aws sts get-caller-identity succeeds, and fails as AWS does for a wrong secret, an expired session, an unknown key', { skip: !findAwsCli() && 'no AWS CLI' }, async () => {
    const ok = await cli(c);
    assert.equal(ok.code, 0, ok.stderr);
    const p = emu.principals[0]!;
    assert.deepEqual(JSON.parse(ok.stdout), { UserId: p.userId, Account: p.account, Arn: p.arn });
    const cn = await cli(emu.issueCredentials(1));
    assert.equal(JSON.parse(cn.stdout).Arn, 'arn:aws-cn:sts::111122223333:assumed-role/builder/ci-runner');
    const failures: Array<[object, string]> = [
      [{ ...c, secretAccessKey: 'x'.repeat(40) }, 'SignatureDoesNotMatch'],
      [emu.issueCredentials(0, { expired: true }), 'ExpiredToken'],
      [{ ...c, accessKeyId: 'ASIAAAAAAAAAAAAAAAAA' }, 'InvalidClientTokenId'],
    ];
    for (const [creds, code] of failures) {
      const r = await cli(creds as IssuedCredentials);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, new RegExp(`\\(${code}\\) when calling the GetCallerIdentity operation`));
    }
  });

  it('botocore get_caller_identity succeeds (form-body signing) and reports SignatureDoesNotMatch for a wrong secret', async (t) => {
    if (!(await hasBotocore())) return t.skip('no botocore');
    const script = `
import botocore.session, botocore.exceptions, json, os
s = botocore.session.get_session()
client = s.create_client('sts', endpoint_url=os.environ['EMULATOR_URL'], region_name='us-east-1')
try:
    r = client.get_caller_identity()
    print(json.dumps({k: r[k] for k in ('Account', 'Arn', 'UserId')}))
except botocore.exceptions.ClientError as e:
    print(json.dumps({'error': e.response['Error']['Code']}))
`;
    const ok = await runBotocore(script, hermeticAwsEnv(c, { EMULATOR_URL: emu.url }));
    assert.equal(ok.code, 0, ok.stderr);
    const p = emu.principals[0]!;
    assert.deepEqual(JSON.parse(ok.stdout), { Account: p.account, Arn: p.arn, UserId: p.userId });
    const bad = await runBotocore(script, hermeticAwsEnv({ ...c, secretAccessKey: 'y'.repeat(40) }, { EMULATOR_URL: emu.url }));
    assert.deepEqual(JSON.parse(bad.stdout), { error: 'SignatureDoesNotMatch' });
  });

  it("runs the seed's IMDSv2 curl commands, then curl --aws-sigv4 signing Host: sts.amazonaws.com", async (t) => {
    if (!(await curlSupportsAwsSigv4())) return t.skip('curl without --aws-sigv4');
    if (!findExecutable('jq', ['/usr/bin/jq'])) return t.skip('no jq for the seed recipe');
    const hostPort = new URL(emu.url).host;
    const port = new URL(emu.url).port;
    // The seed's commands verbatim, with 169.254.169.254 replaced by the emulator.
    const script = `
set -eu
TOKEN=\`curl -X PUT "http://${hostPort}/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 21600"\`
ROLE=$(curl -H "X-aws-ec2-metadata-token: $TOKEN" -s http://${hostPort}/latest/meta-data/iam/security-credentials/)
curl -H "X-aws-ec2-metadata-token: $TOKEN" -s http://${hostPort}/latest/meta-data/iam/security-credentials/$ROLE | jq -j '"export AWS_ACCESS_KEY_ID=", .AccessKeyId, "\\nexport AWS_SECRET_ACCESS_KEY=", .SecretAccessKey,"\\nexport AWS_SESSION_TOKEN=" , .Token' > vars
. ./vars
env | grep AWS_ | sort
curl -sS -X POST "http://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15" --connect-to sts.amazonaws.com:80:127.0.0.1:${port} \\
  --aws-sigv4 "aws:amz:us-east-1:sts" -H "x-amz-security-token: $AWS_SESSION_TOKEN" --user "$AWS_ACCESS_KEY_ID":"$AWS_SECRET_ACCESS_KEY" \\
  -H "Chainguard-Identity: $CHAINGUARD_IDENTITY" -H "Chainguard-Audience: https://issuer.enforce.dev" -H"Accept: application/json" -v \\
  2> verbose
`;
    const work = mkdtempSync(join(tmpdir(), 'latchkey-seed-'));
    const env = hermeticAwsEnv(undefined, { CHAINGUARD_IDENTITY: '66fe8510254166621680aeb4sample222222/3359173sampled' });
    const r = await runProcess('bash', ['-c', script], { env, cwd: work });
    assert.equal(r.code, 0, r.stderr);
    const [exports, answer] = [r.stdout.slice(0, r.stdout.indexOf('{')), r.stdout.slice(r.stdout.indexOf('{'))];
    const vars = new Map(exports.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    assert.match(vars.get('AWS_ACCESS_KEY_ID') ?? '', /^ASIA[A-Z2-7]{16}$/);
    assert.equal(vars.get('AWS_SECRET_ACCESS_KEY')?.length, 40);
    assert.ok((vars.get('AWS_SESSION_TOKEN') ?? '').length >= 100);
    const p = emu.principals[0]!;
    assert.deepEqual(JSON.parse(answer).GetCallerIdentityResponse.GetCallerIdentityResult, { Arn: p.arn, UserId: p.userId, Account: p.account });

    // The request head curl printed is the seed's token: replayed as-is it verifies; with a
    // signed header altered it does not; an unsigned one (User-Agent) may change freely.
    const verbose = readFileSync(join(work, 'verbose'), 'utf8');
    const head = curlRequestHead(verbose);
    assert.match(head, /^POST \/\?Action=GetCallerIdentity&Version=2011-06-15 HTTP\/1\.1\r\nHost: sts\.amazonaws\.com\r\n/);
    assert.match(head, /SignedHeaders=accept;chainguard-audience;chainguard-identity;host;x-amz-date;x-amz-security-token,/);
    const replay = (raw: string) => sendRawRequest('127.0.0.1', Number(port), raw.replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n'));
    assert.match(await replay(head), /^HTTP\/1\.1 200 /);
    assert.match(await replay(head.replace('User-Agent: curl/', 'User-Agent: not-curl/')), /^HTTP\/1\.1 200 /);
    const altered = await replay(head.replace('Chainguard-Audience: https://issuer.enforce.dev', 'Chainguard-Audience: https://evil.example'));
    assert.match(altered, /^HTTP\/1\.1 403 /);
    assert.match(altered, /"Code":"SignatureDoesNotMatch"/);
  });

  it('curl --aws-sigv4 with a wrong secret is refused', async (t) => {
    if (!(await curlSupportsAwsSigv4())) return t.skip('curl without --aws-sigv4');
    const port = new URL(emu.url).port;
    const r = await runCurl([
      '-sS', '-X', 'POST', `http://sts.amazonaws.com/?${STS_QUERY}`, '--connect-to', `sts.amazonaws.com:80:127.0.0.1:${port}`,
      '--aws-sigv4', 'aws:amz:us-east-1:sts', '--user', `${c.accessKeyId}:${'z'.repeat(40)}`,
      '-H', `x-amz-security-token: ${c.sessionToken}`, '-H', 'Accept: application/json',
    ]);
    assert.equal(JSON.parse(r.stdout).Error.Code, 'SignatureDoesNotMatch');
  });
});
