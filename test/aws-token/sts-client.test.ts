// The STS client against a local server over real sockets: what goes out (exactly the signed
// request, Host as signed, no redirects, no proxy), and how every kind of answer maps to a code.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createStsClient, verifyAwsRequest, type AwsTokenError, type CheckedAwsRequest } from '../../src/aws/index.js';
import { ACCOUNT, ARN, jsonIdentity, realistic, startFakeSts, USER_ID, xmlError, xmlIdentity, type FakeSts } from './fake-sts.js';
import { assertRejects, BIND, makeToken } from './support.js';

let sts: FakeSts;
let client: ReturnType<typeof createStsClient>;
let checked: CheckedAwsRequest;

before(async () => {
  sts = await startFakeSts();
  client = createStsClient({
    overrides: { 'sts.amazonaws.com': sts.url, 'sts.us-east-2.amazonaws.com': sts.url },
    totalTimeoutMs: 1500,
    maxResponseBytes: 4096,
  });
  checked = verifyAwsRequest(
    await makeToken({ unsignedExtra: { 'User-Agent': 'curl/8.5.0', Accept: '*/*', 'X-Forwarded-For': '1.2.3.4' } }),
    BIND,
  );
});

after(async () => {
  await client.close();
  await sts.close();
});

test('forwards exactly the signed request: signed headers, Host as signed, body, target', async () => {
  sts.behave(realistic);
  const caller = await client.getCallerIdentity(checked);
  assert.deepEqual(caller, { account: ACCOUNT, arn: ARN, userId: USER_ID, partition: 'aws' });
  const got = sts.received.at(-1)!;
  assert.equal(got.signatureValid, true, 'the forwarded request still verifies under SigV4');
  assert.equal(got.headers.host, 'sts.amazonaws.com');
  assert.equal(got.target, '/?Action=GetCallerIdentity&Version=2011-06-15');
  const names = new Set(got.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase()));
  for (const n of ['user-agent', 'accept', 'x-forwarded-for', 'authorization-extra']) assert.ok(!names.has(n), n);
  const allowed = new Set(['host', 'connection', 'content-length', 'authorization', 'chainguard-identity', 'chainguard-audience',
    'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256']);
  for (const n of names) assert.ok(allowed.has(n), `unexpected header ${n}`);
});

test('forwards the form body as signed', async () => {
  sts.behave(realistic);
  const body = verifyAwsRequest(await makeToken({ form: 'body', host: 'sts.us-east-2.amazonaws.com' }), BIND);
  const caller = await client.getCallerIdentity(body);
  assert.equal(caller.arn, ARN);
  const got = sts.received.at(-1)!;
  assert.equal(got.body, 'Action=GetCallerIdentity&Version=2011-06-15');
  assert.equal(got.headers['content-length'], '43');
  assert.equal(got.headers.host, 'sts.us-east-2.amazonaws.com');
  assert.equal(got.signatureValid, true);
});

test('reuses one keep-alive connection across requests', async () => {
  const own = await startFakeSts();
  const c = createStsClient({ overrides: { 'sts.amazonaws.com': own.url } });
  try {
    for (let i = 0; i < 10; i++) await c.getCallerIdentity(checked);
    assert.equal(own.received.length, 10);
    // The pool may open a second socket while the first is being released; never one each.
    assert.ok(own.connections() <= 2, `${own.connections()} connections for 10 requests`);
  } finally {
    await c.close();
    await own.close();
  }
});

test('parses the XML answer too', async () => {
  sts.behave((_, res) => res.writeHead(200, { 'content-type': 'text/xml' }).end(xmlIdentity()));
  assert.deepEqual(await client.getCallerIdentity(checked), { account: ACCOUNT, arn: ARN, userId: USER_ID, partition: 'aws' });
});

test('ignores proxy settings in the environment', async () => {
  sts.behave(realistic);
  const saved = { ...process.env };
  process.env.HTTP_PROXY = 'http://127.0.0.1:9';
  process.env.HTTPS_PROXY = 'http://127.0.0.1:9';
  process.env.http_proxy = 'http://127.0.0.1:9';
  const c = createStsClient({ overrides: { 'sts.amazonaws.com': sts.url } });
  try {
    assert.equal((await c.getCallerIdentity(checked)).account, ACCOUNT);
  } finally {
    await c.close();
    process.env = saved;
  }
});

test('a slow STS times out within the deadline as STS_UNAVAILABLE', async () => {
  sts.behave(() => undefined); // never answers
  const start = Date.now();
  await assertRejects(client.getCallerIdentity(checked), 'STS_UNAVAILABLE');
  assert.ok(Date.now() - start < 3000, `took ${Date.now() - start} ms`);
  // Headers arrive, then the body stalls.
  sts.behave((_, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"GetCallerIdentityResponse":');
  });
  await assertRejects(client.getCallerIdentity(checked), 'STS_UNAVAILABLE');
});

test('5xx and 429 are STS_UNAVAILABLE with a Retry-After hint', async () => {
  for (const [status, retryAfter, expected] of [[500, undefined, 1], [503, '7', 7], [429, '2', 2], [502, 'soon', 1]] as const) {
    sts.behave((_, res) => {
      res.writeHead(status, retryAfter ? { 'retry-after': retryAfter } : {}).end(xmlError('ServiceUnavailable'));
    });
    const err = (await assertRejects(client.getCallerIdentity(checked), 'STS_UNAVAILABLE')) as AwsTokenError;
    assert.equal(err.retryAfterSeconds, expected, String(status));
  }
});

test('a throttling 400 (XML or JSON) is STS_UNAVAILABLE, not the caller\'s fault', async () => {
  sts.behave((_, res) => res.writeHead(400, { 'content-type': 'text/xml' }).end(xmlError('Throttling', 'Rate exceeded')));
  await assertRejects(client.getCallerIdentity(checked), 'STS_UNAVAILABLE');
  sts.behave((_, res) =>
    res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ Error: { Code: 'Throttling', Message: 'Rate exceeded' } })),
  );
  await assertRejects(client.getCallerIdentity(checked), 'STS_UNAVAILABLE');
});

test('other 4xx are STS_REJECTED, and STS\'s message (which may quote the session token) is dropped', async () => {
  const secretish = 'FQoGZXIvYXdzEFAKE//session+token==';
  for (const [status, code] of [[403, 'InvalidClientTokenId'], [403, 'SignatureDoesNotMatch'], [400, 'ExpiredToken'], [404, undefined]] as const) {
    sts.behave((_, res) => res.writeHead(status, { 'content-type': 'text/xml' }).end(code ? xmlError(code, `canonical ... ${secretish}`) : 'nope'));
    const err = (await assertRejects(client.getCallerIdentity(checked), 'STS_REJECTED')) as AwsTokenError;
    assert.ok(!JSON.stringify({ m: err.message, d: err.detail }).includes(secretish));
    assert.equal(err.detail?.stsCode, code);
  }
});

test('a redirect is not followed: STS_UNAVAILABLE, one request sent', async () => {
  const before = sts.received.length;
  sts.behave((_, res) => res.writeHead(302, { location: `${sts.url}elsewhere` }).end());
  await assertRejects(client.getCallerIdentity(checked), 'STS_UNAVAILABLE', /redirect/);
  assert.equal(sts.received.length, before + 1);
});

test('a malformed, oversize, or other-status 200-class answer is STS_BAD_RESPONSE', async () => {
  const answers: Array<[number, Record<string, string>, string | Buffer]> = [
    [200, { 'content-type': 'application/json' }, '{"GetCallerIdentityResponse":'],
    [200, { 'content-type': 'application/json' }, '<html>hello</html>'],
    [200, { 'content-type': 'text/html' }, '<html>hello</html>'],
    [200, { 'content-type': 'application/json' }, Buffer.from([0xff, 0xfe, 0x7b])],
    [200, { 'content-type': 'application/json' }, jsonIdentity().padEnd(5000, ' ')],
    [204, {}, ''],
    [200, { 'content-type': 'application/json' }, jsonIdentity(`arn:aws-us-gov:sts::${ACCOUNT}:assumed-role/r/s`)],
  ];
  for (const [status, headers, body] of answers) {
    sts.behave((_, res) => res.writeHead(status, headers).end(body));
    await assertRejects(client.getCallerIdentity(checked), 'STS_BAD_RESPONSE');
  }
});

test('an endless answer is cut off at the size cap', async () => {
  sts.behave((_, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(1024, 0x20);
    const timer = setInterval(() => res.write(chunk), 1);
    res.on('close', () => clearInterval(timer));
  });
  const start = Date.now();
  await assertRejects(client.getCallerIdentity(checked), 'STS_BAD_RESPONSE', /more than 4096 bytes/);
  assert.ok(Date.now() - start < 1500);
});

test('a refused connection is STS_UNAVAILABLE', async () => {
  const dead = await startFakeSts();
  const url = dead.url;
  await dead.close();
  const c = createStsClient({ overrides: { 'sts.amazonaws.com': url }, connectTimeoutMs: 500 });
  try {
    await assertRejects(c.getCallerIdentity(checked), 'STS_UNAVAILABLE');
  } finally {
    await c.close();
  }
});

test('overrides are validated at construction', () => {
  const bad: Record<string, string>[] = [
    { 'sts.amazonaws.com': 'http://sts.example.com/' },
    { 'sts.amazonaws.com': 'http://10.0.0.1/' },
    { 'sts.amazonaws.com': 'https://vpce.example/sts' },
    { 'sts.amazonaws.com': 'https://u:p@vpce.example/' },
    { 'sts.amazonaws.com': 'https://vpce.example/?x=1' },
    { 'sts.amazonaws.com': 'ftp://127.0.0.1/' },
    { 'sts.amazonaws.com': 'not a url' },
    { 'evil.example.com': 'https://vpce.example/' },
  ];
  for (const overrides of bad) assert.throws(() => createStsClient({ overrides }), TypeError, JSON.stringify(overrides));
  const good: Record<string, string>[] = [
    { 'sts.amazonaws.com': 'http://127.0.0.1:4566/' },
    { 'sts.amazonaws.com': 'http://localhost:4566' },
    { 'sts.amazonaws.com': 'http://[::1]:4566/' },
    { 'sts.us-east-1.amazonaws.com': 'https://vpce-0abc.sts.us-east-1.vpce.amazonaws.com/' },
  ];
  for (const overrides of good) void createStsClient({ overrides }).close();
  assert.throws(() => createStsClient({ totalTimeoutMs: 0 }), TypeError);
});
