// Issue 3's acceptance: the seed's token exchange end to end, with the AWS emulator as STS and
// real clients (curl, botocore) producing the tokens; every refusal with its stable code and,
// for the local checks, without calling STS; upstream trouble as 503/401 within the timeout.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { createStsClient } from '../../src/aws/index.js';
import { startAwsEmulator, type AwsEmulator } from '../../src/aws-emulator/index.js';
import { builtinRoleId, OPERATOR, type Identity } from '../../src/iam/index.js';
import { newChildUidp } from '../../src/iam/uidp.js';
import { findPython, runProcess } from '../support/aws-clients.js';
import { buildAwsToken, type Creds } from '../support/aws-token-builder.js';
import { api, makeOrg, startTestServer, type TestServer } from '../support/test-server.js';

const ACCOUNT = '111122223333';
const OTHER_ACCOUNT = '444455556666';
const principals = [
  { account: ACCOUNT, roleName: 'build-runner', sessionName: 'i-0abc1234def567890' },
  { account: ACCOUNT, roleName: 'build-runner-admin', sessionName: 'i-0ffff1234def56789' },
  { account: OTHER_ACCOUNT, roleName: 'build-runner', sessionName: 'i-0aaaa1234def56789' },
];

describe('AWS token exchange, end to end', () => {
  let emu: AwsEmulator;
  let s: TestServer;
  let stsCalls = 0;
  let identity: Identity;
  let unanchored: Identity;
  let creds: Creds;

  before(async () => {
    emu = await startAwsEmulator({ principals });
    const real = createStsClient({ overrides: { 'sts.amazonaws.com': emu.url, 'sts.us-east-1.amazonaws.com': emu.url } });
    s = await startTestServer({
      sts: { getCallerIdentity: (r) => { stsCalls++; return real.getCallerIdentity(r); }, close: () => real.close() },
    });
    const org = await makeOrg(s, 'acme');
    ({ identity } = await s.iam.identities.create(OPERATOR, org.id, {
      name: 'aws-instance',
      awsIdentity: { aws_account: ACCOUNT, arnPattern: `^arn:aws:sts::${ACCOUNT}:assumed-role/build-runner/(.*)$`, userIdPattern: '^AROA[A-Z0-9]+:(.*)$' },
    }));
    // Unanchored on purpose: must still match the WHOLE Arn.
    ({ identity: unanchored } = await s.iam.identities.create(OPERATOR, org.id, {
      name: 'unanchored',
      awsIdentity: { aws_account: ACCOUNT, arnPattern: `arn:aws:sts::${ACCOUNT}:assumed-role/build-runner/i-0abc1234def567890`, userIdPattern: 'AROA[A-Z0-9]+:i-0abc1234def567890' },
    }));
    await s.iam.bindings.create(OPERATOR, org.id, { identity: identity.id, role: builtinRoleId('viewer') });
    creds = emu.issueCredentials(0);
  });
  after(async () => {
    await s?.stop(true);
    await emu?.close();
  });

  async function exchange(token: string, id = identity.id, extra = '') {
    return api(s, 'POST', `/sts/exchange?identity=${encodeURIComponent(id)}${extra}`, { headers: { authorization: `Bearer ${token}` } });
  }

  it("works with the seed's own curl commands (IMDSv2, then curl --aws-sigv4 | base64 -w0)", async () => {
    const emuHostPort = new URL(emu.url).host;
    const script = `
set -euo pipefail
TOKEN=\`curl -s -X PUT "http://${emuHostPort}/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 21600"\`
ROLE=$(curl -H "X-aws-ec2-metadata-token: $TOKEN" -s http://${emuHostPort}/latest/meta-data/iam/security-credentials/)
curl -H "X-aws-ec2-metadata-token: $TOKEN" -s http://${emuHostPort}/latest/meta-data/iam/security-credentials/$ROLE | jq -j '"export AWS_ACCESS_KEY_ID=", .AccessKeyId, "\\nexport AWS_SECRET_ACCESS_KEY=", .SecretAccessKey,"\\nexport AWS_SESSION_TOKEN=" , .Token' > "$WORK/vars"
. "$WORK/vars"
TOK=$(curl -X POST "http://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15" --connect-to sts.amazonaws.com:80:${emuHostPort} --aws-sigv4 "aws:amz:us-east-1:sts" -H "x-amz-security-token: $AWS_SESSION_TOKEN" --user "$AWS_ACCESS_KEY_ID":"$AWS_SECRET_ACCESS_KEY" -H"Chainguard-Identity: $CHAINGUARD_IDENTITY" -H "Chainguard-Audience: ${s.url}" -H"Accept: application/json" -v  2>&1 > /dev/null | grep '^> ' | sed 's/> //' | base64 -w0)
echo -n "$TOK"`;
    const work = mkdtempSync(join(tmpdir(), 'latchkey-seed-'));
    // Asynchronous: the emulator answers from this very process.
    const run = await runProcess('bash', ['-c', script], { env: { ...process.env, WORK: work, CHAINGUARD_IDENTITY: identity.id }, timeoutMs: 30_000 });
    assert.equal(run.code, 0, run.stderr);
    const tok = run.stdout;
    assert.ok(tok.length > 100 && !/\s/.test(tok), 'a one-line base64 token');
    assert.match(Buffer.from(tok, 'base64').toString(), /^POST \/\?Action=GetCallerIdentity&Version=2011-06-15 HTTP\/1\.1\r\nHost: sts\.amazonaws\.com\r\n/);
    const r = await exchange(tok);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const claims = decodeJwt(r.body.token);
    assert.equal(claims.sub, identity.id);
    assert.equal(claims.iss, s.url);
    assert.ok(Date.parse(r.body.expiry) - Date.now() <= 3600_000);
    // The token it minted works on the API, as that identity (a viewer).
    const list = await api(s, 'GET', '/iam/v1/identities', { token: r.body.token });
    assert.equal(list.status, 200);
  });

  it('works with botocore (form body, URL-safe base64)', async () => {
    const script = `
import base64, sys, os
from botocore.awsrequest import AWSRequest
from botocore.auth import SigV4Auth
from botocore.credentials import Credentials
body = 'Action=GetCallerIdentity&Version=2011-06-15'
req = AWSRequest(method='POST', url='https://sts.amazonaws.com/', data=body, headers={
  'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
  'Chainguard-Identity': os.environ['ID'], 'Chainguard-Audience': os.environ['AUD'], 'Accept': 'application/json'})
SigV4Auth(Credentials(os.environ['AKID'], os.environ['SECRET'], os.environ['STOKEN']), 'sts', 'us-east-1').add_auth(req)
p = req.prepare()
hdrs = dict(p.headers.items())
lower = {k.lower() for k in hdrs}
if 'host' not in lower: hdrs = {'Host': 'sts.amazonaws.com', **hdrs}
if 'content-length' not in lower: hdrs['Content-Length'] = str(len(body))
head = 'POST / HTTP/1.1\\r\\n' + ''.join('%s: %s\\r\\n' % (k, v) for k, v in hdrs.items()) + '\\r\\n'
sys.stdout.write(base64.urlsafe_b64encode((head + body).encode()).decode().rstrip('='))
`;
    const run = await runProcess(findPython() ?? 'python3', ['-c', script], {
      env: { ...process.env, ID: identity.id, AUD: s.url, AKID: creds.accessKeyId, SECRET: creds.secretAccessKey, STOKEN: creds.sessionToken ?? '' },
      timeoutMs: 30_000,
    });
    assert.equal(run.code, 0, run.stderr);
    const tok = run.stdout;
    const r = await exchange(tok);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(decodeJwt(r.body.token).sub, identity.id);
  });

  it('works with a token built by smithy (our client code path), with bare-LF line endings, and as a form or GET', async () => {
    const tok = await buildAwsToken(creds, { identity: identity.id, audience: s.url, eol: '\n' });
    assert.equal((await exchange(tok)).status, 200);
    const tok2 = await buildAwsToken(creds, { identity: identity.id, audience: s.url, form: 'body', alphabet: 'url' });
    const form = await api(s, 'POST', '/sts/exchange', {
      headers: { authorization: `Bearer ${tok2}`, 'content-type': 'application/x-www-form-urlencoded' },
      rawBody: `identity=${encodeURIComponent(identity.id)}`,
    });
    assert.equal(form.status, 200, JSON.stringify(form.body));
    const tok3 = await buildAwsToken(creds, { identity: identity.id, audience: s.url });
    const get = await api(s, 'GET', `/sts/exchange?identity=${encodeURIComponent(identity.id)}&aud=https://other.example`, { headers: { authorization: `Bearer ${tok3}` } });
    assert.equal(get.status, 200);
    assert.equal(decodeJwt(get.body.token).aud, 'https://other.example');
  });

  it('narrows a token to requested capabilities, and refuses capabilities the bindings do not give', async () => {
    const tok = await buildAwsToken(creds, { identity: identity.id, audience: s.url });
    const ok = await exchange(tok, identity.id, '&cap=identity.list');
    assert.equal(ok.status, 200);
    assert.deepEqual(decodeJwt(ok.body.token).cap, ['identity.list']);
    const groups = await api(s, 'GET', '/iam/v1/groups', { token: ok.body.token });
    assert.equal(groups.status, 200);
    assert.equal(groups.body.items.length, 0, 'groups.list was not asked for');
    const tok2 = await buildAwsToken(creds, { identity: identity.id, audience: s.url });
    const no = await exchange(tok2, identity.id, '&cap=identity.create');
    assert.equal(no.status, 403);
    assert.equal(no.body.code, 'CAPABILITY_NOT_GRANTED');
  });

  describe('refused before STS is called', () => {
    const cases: Array<[string, () => Promise<string>, string?]> = [];
    const add = (label: string, make: () => Promise<string>, forId?: string) => cases.push([label, make, forId]);
    const base = () => ({ identity: identity.id, audience: s.url });
    add("another identity's token", () => buildAwsToken(creds, { ...base(), identity: unanchored.id }));
    add('audience header unsigned', () => buildAwsToken(creds, { ...base(), unsigned: ['chainguard-audience'] }));
    add('identity header unsigned', () => buildAwsToken(creds, { ...base(), unsigned: ['chainguard-identity'] }));
    add('audience header missing', () => buildAwsToken(creds, { ...base(), omit: ['chainguard-audience'] }));
    add('identity header missing', () => buildAwsToken(creds, { ...base(), omit: ['chainguard-identity'] }));
    add('audience header duplicated', () => buildAwsToken(creds, { ...base(), appendLines: [`Chainguard-Audience: ${s.url}`] }));
    add('identity header duplicated', () => buildAwsToken(creds, { ...base(), appendLines: [`chainguard-identity: ${identity.id}`] }));
    add('another audience', () => buildAwsToken(creds, { ...base(), audience: 'https://issuer.enforce.dev' }));
    add('look-alike STS host', () => buildAwsToken(creds, { ...base(), host: 'sts.amazonaws.com.evil.example' }));
    add('wrong STS host', () => buildAwsToken(creds, { ...base(), host: 'iam.amazonaws.com' }));
    add('host with a port', () => buildAwsToken(creds, { ...base(), host: 'sts.amazonaws.com:443' }));
    add('another Action', () => buildAwsToken(creds, { ...base(), params: 'Action=GetSessionToken&Version=2011-06-15' }));
    add('duplicated parameter', () => buildAwsToken(creds, { ...base(), params: 'Action=GetCallerIdentity&Action=GetCallerIdentity&Version=2011-06-15' }));
    add('case-varied parameter', () => buildAwsToken(creds, { ...base(), params: 'action=GetCallerIdentity&Version=2011-06-15' }));
    add('expired', () => buildAwsToken(creds, { ...base(), date: new Date(Date.now() - 20 * 60_000) }));
    add('future-dated', () => buildAwsToken(creds, { ...base(), date: new Date(Date.now() + 10 * 60_000) }));
    add('oversized (over the 8 KiB cap, under the HTTP header limit)', async () => Buffer.from('A'.repeat(7_000)).toString('base64'));
    add('malformed base64', async () => '!!!not*base64!!!');
    add('base64 with whitespace', async () => { const t = await buildAwsToken(creds, base()); return `${t.slice(0, 20)} ${t.slice(20)}`; });

    it('each with its own stable code, none calling STS', async () => {
      const codes = new Map<string, string>();
      for (const [label, make] of cases) {
        const before = stsCalls;
        const r = await exchange(await make());
        assert.ok(r.status === 400 || r.status === 401, `${label}: status ${r.status} ${JSON.stringify(r.body)}`);
        assert.ok(typeof r.body.code === 'string' && r.body.code.length > 0, label);
        assert.ok(!r.body.message.includes(creds.secretAccessKey) && !r.body.message.includes(creds.sessionToken!), `${label}: no secret in the message`);
        assert.equal(stsCalls, before, `${label}: STS must not be called`);
        codes.set(label, r.body.code);
      }
      // Distinct failures say distinct things.
      assert.notEqual(codes.get('audience header unsigned'), codes.get('another audience'));
      assert.notEqual(codes.get('expired'), codes.get('future-dated'));
      assert.notEqual(codes.get('look-alike STS host'), codes.get('another Action'));
    });
  });

  describe('refused after STS answers', () => {
    it('when the Arn, the UserId or the account does not match', async () => {
      const admin = emu.issueCredentials(1); // role build-runner-admin: Arn does not match
      const other = emu.issueCredentials(2); // another account
      for (const [label, c, id, code] of [
        ['Arn mismatch', admin, identity.id, /ARN/],
        ['another account', other, identity.id, /ACCOUNT/],
        ['unanchored pattern matches only the whole Arn', admin, unanchored.id, /ARN/],
      ] as const) {
        const before = stsCalls;
        const r = await exchange(await buildAwsToken(c, { identity: id, audience: s.url }), id);
        assert.equal(r.status, 401, `${label}: ${JSON.stringify(r.body)}`);
        assert.match(r.body.code, code, label);
        assert.equal(stsCalls, before + 1, `${label}: decided after STS`);
        assert.ok(!r.body.message.includes('assumed-role/build-runner/(.*)'), `${label}: the pattern is not revealed`);
      }
      const ok = await exchange(await buildAwsToken(creds, { identity: unanchored.id, audience: s.url }), unanchored.id);
      assert.equal(ok.status, 200, 'the unanchored pattern matches its exact Arn');
    });

    it('when STS refuses the signature (a wrong secret)', async () => {
      const r = await exchange(await buildAwsToken({ ...creds, secretAccessKey: 'x'.repeat(40) }, { identity: identity.id, audience: s.url }));
      assert.equal(r.status, 401);
      assert.equal(r.body.code, 'STS_REJECTED');
    });

    it('by the current rule: a rule change or a deletion on this server applies to the next exchange (cached records are dropped)', async () => {
      const org = identity.parentId!;
      const { identity: cached } = await s.iam.identities.create(OPERATOR, org, {
        name: 'cached', awsIdentity: { aws_account: ACCOUNT, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/build-runner/i-0abc1234def567890`, userIdPattern: '^AROA[A-Z0-9]+:(.*)$' },
      });
      const tok = () => buildAwsToken(creds, { identity: cached.id, audience: s.url });
      assert.equal((await exchange(await tok(), cached.id)).status, 200, 'first exchange (the record is now cached)');
      await s.iam.identities.update(OPERATOR, cached.id, {
        awsIdentity: { aws_account: ACCOUNT, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/build-runner-admin/i-0ffff1234def56789`, userIdPattern: '^AROA[A-Z0-9]+:(.*)$' },
      });
      const changed = await exchange(await tok(), cached.id);
      assert.equal(changed.status, 401, JSON.stringify(changed.body));
      assert.equal(changed.body.code, 'AWS_ARN_MISMATCH');
      await s.iam.identities.delete(OPERATOR, cached.id);
      const deleted = await exchange(await tok(), cached.id);
      assert.equal(deleted.body.code, 'IDENTITY_NOT_FOUND', JSON.stringify(deleted.body));
    });
  });
});

describe('STS in trouble', () => {
  let fake: Server;
  let mode = 'slow';
  let s: TestServer;
  let creds: Creds;
  let identityId: string;

  before(async () => {
    fake = createServer((req, res) => {
      req.resume();
      switch (mode) {
        case 'slow': setTimeout(() => { if (!res.destroyed) res.end(); }, 5000).unref(); return;
        case '500': res.writeHead(500).end('<ErrorResponse/>'); return;
        case 'throttle': res.writeHead(400, { 'content-type': 'text/xml' }).end('<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>'); return;
        case '429': res.writeHead(429).end(); return;
        case 'redirect': res.writeHead(302, { location: 'http://127.0.0.1:1/' }).end(); return;
        case 'malformed': res.writeHead(200, { 'content-type': 'application/json' }).end('{"GetCallerIdentityResponse":{"GetCallerIdentityResult":{"Arn":'); return;
        default: res.writeHead(500).end();
      }
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
    s = await startTestServer({ flags: { stsEndpoints: `sts.amazonaws.com=${url}`, stsTimeout: '800', stsConnectTimeout: '300' } });
    const org = await makeOrg(s);
    identityId = (await s.iam.identities.create(OPERATOR, org.id, { name: 'w', awsIdentity: { aws_account: ACCOUNT, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/r/s`, userId: 'AROAX:s' } })).identity.id;
    creds = { accessKeyId: 'ASIAEXAMPLEEXAMPLE00', secretAccessKey: 's'.repeat(40), sessionToken: 't' };
  });
  after(async () => {
    await s?.stop(true);
    fake.closeAllConnections();
    await new Promise((r) => fake.close(r));
  });

  for (const [m, status] of [['slow', 503], ['500', 503], ['throttle', 503], ['429', 503], ['redirect', 503], ['malformed', 503]] as const) {
    it(`answers ${status} when STS is ${m}, within the timeout, and stays healthy`, async () => {
      mode = m;
      const started = Date.now();
      const tok = await buildAwsToken(creds, { identity: identityId, audience: s.url });
      const r = await api(s, 'POST', `/sts/exchange?identity=${identityId}`, { headers: { authorization: `Bearer ${tok}` } });
      assert.equal(r.status, status, JSON.stringify(r.body));
      assert.ok(Date.now() - started < 3000, 'bounded by the configured timeout');
      if (status === 503) assert.ok(r.headers.get('retry-after'), 'Retry-After on 503');
      assert.equal((await api(s, 'GET', '/healthz')).status, 200);
    });
  }
});

describe('exchange audit', () => {
  /** Writes every exchange record held, open refusal windows too (what closing the server does). */
  const flushAudit = (s: TestServer) => (s.exchange as unknown as { d: { audit: { flush(all: boolean): Promise<void> } } }).d.audit.flush(true);

  it('records granted and refused exchanges with the failing check, never the token', async () => {
    const emu = await startAwsEmulator({ principals });
    const real = createStsClient({ overrides: { 'sts.amazonaws.com': emu.url } });
    const s = await startTestServer({ sts: real });
    try {
      const org = await makeOrg(s);
      const { identity } = await s.iam.identities.create(OPERATOR, org.id, {
        name: 'audited', awsIdentity: { aws_account: ACCOUNT, arnPattern: `^arn:aws:sts::${ACCOUNT}:assumed-role/build-runner/.+$`, userIdPattern: '^AROA[A-Z0-9]+:.+$' },
      });
      const creds = emu.issueCredentials(0);
      const good = await buildAwsToken(creds, { identity: identity.id, audience: s.url });
      const bad = await buildAwsToken(creds, { identity: identity.id, audience: s.url, unsigned: ['chainguard-audience'] });
      for (const t of [good, bad]) await api(s, 'POST', `/sts/exchange?identity=${identity.id}`, { headers: { authorization: `Bearer ${t}` } });
      await flushAudit(s);
      const events = await s.store.listAudit({ within: org.id });
      const granted = events.find((e) => e.action === 'sts.exchange');
      const denied = events.find((e) => e.action === 'sts.exchange.denied');
      assert.ok(granted && denied, JSON.stringify(events.map((e) => e.action)));
      assert.equal(granted.details.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/build-runner/i-0abc1234def567890`);
      assert.equal(denied.details.code, 'AWS_TOKEN_AUDIENCE_NOT_SIGNED');
      assert.equal(denied.remoteAddr, '127.0.0.1');
      const all = JSON.stringify(events);
      for (const secret of [good, bad, creds.secretAccessKey, creds.sessionToken!]) assert.ok(!all.includes(secret), 'no token or secret in the audit');
    } finally {
      await s.stop(true);
      await emu.close();
    }
  });

  it('writes nothing for thousands of refusals naming no identity, and a few counted rows for a real one', async () => {
    const emu = await startAwsEmulator({ principals });
    const s = await startTestServer({ sts: createStsClient({ overrides: { 'sts.amazonaws.com': emu.url } }) });
    try {
      const org = await makeOrg(s);
      const { identity } = await s.iam.identities.create(OPERATOR, org.id, {
        name: 'attacked', awsIdentity: { aws_account: ACCOUNT, arnPattern: `^arn:aws:sts::${ACCOUNT}:assumed-role/build-runner/.+$`, userIdPattern: '^AROA[A-Z0-9]+:.+$' },
      });
      const creds = emu.issueCredentials(0);
      const ghost = newChildUidp(org.id); // under the real organization, of no identity
      const forGhost = await buildAwsToken(creds, { identity: ghost, audience: s.url });
      const unsigned = await buildAwsToken(creds, { identity: identity.id, audience: s.url, unsigned: ['chainguard-audience'] });
      const rows = async () => (await s.store.listAudit({ limit: 1000 })).filter((e) => e.action.startsWith('sts.'));
      const before = (await rows()).length;
      /** `n` exchanges, 16 at a time; each must be refused with `code`. */
      const attempts = async (n: number, id: string, token: string, code: string) => {
        let next = 0;
        await Promise.all(Array.from({ length: 16 }, async () => {
          while (next < n) {
            next++;
            const r = await api(s, 'POST', `/sts/exchange?identity=${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${token}` } });
            assert.equal(r.body.code, code);
          }
        }));
      };
      await attempts(1500, ghost, forGhost, 'IDENTITY_NOT_FOUND');
      // The identity is loaded first (its kind picks the verifier): any token for it is IDENTITY_NOT_FOUND.
      await attempts(1000, ghost, '!!!not*base64!!!', 'IDENTITY_NOT_FOUND');
      await flushAudit(s);
      assert.equal((await rows()).length, before, '2,500 refusals for an identity that does not exist: no row');

      await attempts(1000, identity.id, unsigned, 'AWS_TOKEN_AUDIENCE_NOT_SIGNED');
      await attempts(500, identity.id, '!!!not*base64!!!', 'AWS_TOKEN_BAD_BASE64');
      await flushAudit(s);
      const denied = (await rows()).filter((e) => e.action === 'sts.exchange.denied');
      // One row per code and minute: two, or four when the attempts straddle a minute.
      assert.ok(denied.length >= 2 && denied.length <= 4, `${denied.length} rows`);
      const count = (code: string) => denied.filter((e) => e.details.code === code).reduce((n, e) => n + (e.details.count as number), 0);
      assert.equal(count('AWS_TOKEN_AUDIENCE_NOT_SIGNED'), 1000);
      assert.equal(count('AWS_TOKEN_BAD_BASE64'), 500);
      assert.ok(denied.every((e) => e.target === identity.id && e.group === org.id && e.remoteAddr === '127.0.0.1'));
    } finally {
      await s.stop(true);
      await emu.close();
    }
  });
});
