// `POST /iam/v1/identities:test/{id}` for every kind, over real HTTP: real AWS tokens (signed
// with @smithy/signature-v4, verified by the AWS emulator as STS) and real OpenID Connect tokens
// (a local jose issuer). A good credential's trace is all-pass; each refusal class names its
// failing check with what the rule expects and what the credential has; nothing is minted or
// audited, and the token appears nowhere. Refused exchanges keep the same trace in the audit.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createStsClient } from '../../src/aws/index.js';
import { startAwsEmulator, type AwsEmulator } from '../../src/aws-emulator/index.js';
import { OPERATOR } from '../../src/iam/index.js';
import type { Group } from '../../src/iam/types.js';
import { buildAwsToken } from '../support/aws-token-builder.js';
import { githubClaims, startTestIssuer, type TestIssuer } from '../support/oidc-issuer.js';
import { api, makeIdentity, makeOrg, startTestServer, tokenFor, type TestServer } from '../support/test-server.js';

const ACCOUNT = '111122223333';
const OTHER_ACCOUNT = '444455556666';
const principals = [
  { account: ACCOUNT, roleName: 'build-runner', sessionName: 'i-0abc1234def567890' },
  { account: ACCOUNT, roleName: 'deployer', sessionName: 'i-0ffff1234def56789' },
];
const BUILD_RUNNER_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/build-runner/i-0abc1234def567890`;
const DEPLOYER_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/i-0ffff1234def56789`;

interface Step { check: string; ok: boolean; expected?: string; actual?: string }
interface Explained { identity: string; kind: string; ok: boolean; code?: string; message?: string; trace: Step[] }

describe('identities test: explain a credential, check by check', () => {
  let emu: AwsEmulator;
  let iss: TestIssuer;
  let s: TestServer;
  let org: Group;
  let owner = '';
  let viewer = '';
  let stsCalls = 0;

  before(async () => {
    emu = await startAwsEmulator({ principals });
    iss = await startTestIssuer();
    const real = createStsClient({ overrides: { 'sts.amazonaws.com': emu.url, 'sts.us-east-1.amazonaws.com': emu.url } });
    s = await startTestServer({
      flags: { workloadIssuerAllowLoopbackHttp: true },
      sts: { getCallerIdentity: (r) => { stsCalls++; return real.getCallerIdentity(r); }, close: () => real.close() },
    });
    org = await makeOrg(s, 'acme');
    owner = await tokenFor(s, (await makeIdentity(s, org.id, 'owner')).id);
    viewer = await tokenFor(s, (await makeIdentity(s, org.id, 'viewer')).id);
  });
  after(async () => {
    await s?.stop(true);
    await emu?.close();
    await iss?.close();
  });

  async function explain(id: string, token: string, as = owner): Promise<Explained> {
    const r = await api(s, 'POST', `/iam/v1/identities:test/${id}`, { token: as, body: { token } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.ok(!JSON.stringify(r.body).includes(token.slice(-40)), 'the token is not in the answer');
    return r.body as Explained;
  }
  const awsIdentity = async (rule: Record<string, string>) =>
    (await s.iam.identities.create(OPERATOR, org.id, { name: `aws-${Math.random().toString(16).slice(2, 8)}`, awsIdentity: { aws_account: ACCOUNT, ...rule } })).identity;
  const awsToken = (principal: number, identity: string) => buildAwsToken(emu.issueCredentials(principal), { identity, audience: s.url });
  const failing = (e: Explained) => {
    assert.equal(e.ok, false);
    const last = e.trace.at(-1)!;
    assert.equal(last.ok, false, 'the refusing check is last');
    assert.ok(e.trace.slice(0, -1).every((x) => x.ok), 'every check before it passed');
    return last;
  };

  it('aws: a good token is all-pass, in order, and nothing is minted or audited', async () => {
    const id = await awsIdentity({ arnPattern: `^arn:aws:sts::${ACCOUNT}:assumed-role/build-runner/.*$`, userIdPattern: '^AROA[A-Z0-9]+:.*$' });
    const e = await explain(id.id, await awsToken(0, id.id));
    assert.equal(e.ok, true, JSON.stringify(e));
    assert.equal(e.kind, 'aws');
    assert.equal(e.code, undefined);
    assert.deepEqual(e.trace.map((x) => [x.check, x.ok]), [
      ['aws.token', true], ['aws.sts', true], ['aws.partition', true],
      ['rule.aws_account', true], ['rule.arnPattern', true], ['rule.userIdPattern', true],
    ]);
    assert.deepEqual(e.trace[3], { check: 'rule.aws_account', ok: true, expected: ACCOUNT, actual: ACCOUNT });
    assert.deepEqual(e.trace[4], { check: 'rule.arnPattern', ok: true, expected: `^arn:aws:sts::${ACCOUNT}:assumed-role/build-runner/.*$`, actual: BUILD_RUNNER_ARN });
    await s.audit.flush(true);
    assert.deepEqual((await s.store.listAudit({ target: id.id, actions: ['sts.exchange', 'sts.exchange.denied'] })), [], 'no audit record');
  });

  it('aws: each refusal names its check with what was expected and what the caller is', async () => {
    const arn = await awsIdentity({ arnPattern: `^arn:aws:sts::${ACCOUNT}:assumed-role/build-runner/.*$`, userIdPattern: '^AROA[A-Z0-9]+:.*$' });
    const byArn = failing(await explain(arn.id, await awsToken(1, arn.id)));
    assert.deepEqual(byArn, { check: 'rule.arnPattern', ok: false, expected: `^arn:aws:sts::${ACCOUNT}:assumed-role/build-runner/.*$`, actual: DEPLOYER_ARN });
    assert.equal((await explain(arn.id, await awsToken(1, arn.id))).code, 'AWS_ARN_MISMATCH');

    const other = (await s.iam.identities.create(OPERATOR, org.id, { name: 'other-account', awsIdentity: { aws_account: OTHER_ACCOUNT, arnPattern: '.*', userIdPattern: '.*' } })).identity;
    const account = await explain(other.id, await awsToken(0, other.id));
    assert.equal(account.code, 'AWS_ACCOUNT_MISMATCH');
    assert.deepEqual(failing(account), { check: 'rule.aws_account', ok: false, expected: OTHER_ACCOUNT, actual: ACCOUNT });

    const exact = await awsIdentity({ arn: BUILD_RUNNER_ARN, userId: 'AROANOTTHISONE:i-0abc1234def567890' });
    const userId = await explain(exact.id, await awsToken(0, exact.id));
    assert.equal(userId.code, 'AWS_USER_ID_MISMATCH');
    const u = failing(userId);
    assert.equal(u.check, 'rule.userId');
    assert.equal(u.expected, 'AROANOTTHISONE:i-0abc1234def567890');
    assert.match(u.actual!, /^AROA[A-Z0-9]+:i-0abc1234def567890$/);

    // Bound to another identity: refused before STS is called; the failing check is the token's.
    const calls = stsCalls;
    const wrong = await explain(arn.id, await awsToken(0, exact.id));
    assert.equal(stsCalls, calls, 'no STS call');
    assert.equal(failing(wrong).check, wrong.code);
    assert.match(wrong.code!, /^AWS_/);
    assert.ok(wrong.message && wrong.message.length > 0);
    const garbage = await explain(arn.id, 'not-a-token');
    assert.deepEqual(garbage.trace, [{ check: garbage.code, ok: false }]);
  });

  it('claimMatch: all-pass, then issuer, subject, audience, claim, expiry and signature each named', async () => {
    const { identity: id } = await s.iam.identities.create(OPERATOR, org.id, {
      name: 'gh', claimMatch: { issuer: iss.url, subjectPattern: '^repo:octo/app:ref:refs/heads/main$', claims: { repository: 'octo/app' } },
    });
    const good = (over: Record<string, unknown> = {}) => iss.sign({ ...githubClaims('octo/app', 'refs/heads/main'), aud: s.url, ...over });
    const ok = await explain(id.id, await good());
    assert.equal(ok.ok, true, JSON.stringify(ok));
    assert.ok(ok.trace.every((x) => x.ok));
    assert.deepEqual(ok.trace.map((x) => x.check), [
      'token.parse', 'rule.issuer', 'token.exp', 'token.exp.future', 'token.iat', 'token.lifetime', 'token.signature',
      'rule.issuer', 'rule.subjectPattern', 'rule.audience', 'rule.claims.repository',
    ]);

    const other = await startTestIssuer();
    try {
      const e = await explain(id.id, await other.sign({ sub: 'x', aud: s.url }));
      assert.equal(e.code, 'ID_TOKEN_ISSUER_MISMATCH');
      assert.deepEqual(failing(e), { check: 'rule.issuer', ok: false, expected: iss.url, actual: other.url });
    } finally {
      await other.close();
    }
    const sub = await explain(id.id, await good({ sub: 'repo:octo/app:ref:refs/heads/dev' }));
    assert.equal(sub.code, 'ID_TOKEN_SUBJECT_MISMATCH');
    assert.deepEqual(failing(sub), { check: 'rule.subjectPattern', ok: false, expected: '^repo:octo/app:ref:refs/heads/main$', actual: 'repo:octo/app:ref:refs/heads/dev' });
    const aud = await explain(id.id, await good({ aud: 'https://elsewhere.example' }));
    assert.equal(aud.code, 'ID_TOKEN_AUDIENCE_MISMATCH');
    assert.deepEqual(failing(aud), { check: 'rule.audience', ok: false, expected: s.url, actual: 'https://elsewhere.example' });
    const claim = await explain(id.id, await good({ repository: 'evil/app' }));
    assert.equal(claim.code, 'ID_TOKEN_CLAIM_MISMATCH');
    assert.deepEqual(failing(claim), { check: 'rule.claims.repository', ok: false, expected: 'octo/app', actual: 'evil/app' });
    const now = Math.floor(Date.now() / 1000);
    const expired = await explain(id.id, await good({ iat: now - 4000, exp: now - 3600 }));
    assert.equal(expired.code, 'ID_TOKEN_EXPIRED');
    assert.deepEqual(failing(expired), { check: 'token.exp.future', ok: false, expected: 'in the future', actual: new Date((now - 3600) * 1000).toISOString() });
    const forged = await explain(id.id, await iss.sign({ ...githubClaims('octo/app', 'refs/heads/main'), aud: s.url }, { key: await iss.outsider() }));
    assert.equal(forged.code, 'ID_TOKEN_BAD_SIGNATURE');
    assert.equal(failing(forged).check, 'token.signature');
  });

  it('static: all-pass with the keys given, then subject and signature each named', async () => {
    const expiration = new Date(Date.now() + 86400_000).toISOString();
    const { identity: id } = await s.iam.identities.create(OPERATOR, org.id, {
      name: 'kind', static: { issuer: iss.url, subject: 'system:serviceaccount:default:app', issuerKeys: iss.jwks(), expiration },
    });
    const ok = await explain(id.id, await iss.sign({ sub: 'system:serviceaccount:default:app', aud: s.url }));
    assert.equal(ok.ok, true, JSON.stringify(ok));
    assert.equal(ok.kind, 'static');
    assert.deepEqual(ok.trace.map((x) => [x.check, x.ok]), [
      ['static.expiration', true], ['token.parse', true], ['rule.issuer', true], ['token.exp', true], ['token.exp.future', true],
      ['token.iat', true], ['token.lifetime', true], ['token.signature', true], ['rule.issuer', true], ['rule.subject', true], ['rule.audience', true],
    ]);
    const sub = await explain(id.id, await iss.sign({ sub: 'system:serviceaccount:default:other', aud: s.url }));
    assert.equal(sub.code, 'ID_TOKEN_SUBJECT_MISMATCH');
    assert.deepEqual(failing(sub), { check: 'rule.subject', ok: false, expected: 'system:serviceaccount:default:app', actual: 'system:serviceaccount:default:other' });
    const forged = await explain(id.id, await iss.sign({ sub: 'system:serviceaccount:default:app', aud: s.url }, { key: await iss.outsider() }));
    assert.equal(forged.code, 'ID_TOKEN_BAD_SIGNATURE');
    assert.equal(failing(forged).check, 'token.signature');
  });

  it('needs identity.update on the identity\'s group; an unknown identity is 404', async () => {
    const id = await awsIdentity({ arnPattern: '.*', userIdPattern: '.*' });
    const token = await awsToken(0, id.id);
    const r = await api(s, 'POST', `/iam/v1/identities:test/${id.id}`, { token: viewer, body: { token } });
    assert.equal(r.status, 403, JSON.stringify(r.body));
    assert.equal((await api(s, 'POST', `/iam/v1/identities:test/${id.id}`, { body: { token } })).status, 401);
    assert.equal((await api(s, 'POST', `/iam/v1/identities:test/${org.id}/0000000000000000`, { token: owner, body: { token } })).status, 404);
  });

  it('a refused exchange keeps its redacted trace in the audit; GET /iam/v1/audit?identity=&refused=true shows it', async () => {
    const id = await awsIdentity({ arnPattern: `^arn:aws:sts::${ACCOUNT}:assumed-role/build-runner/.*$`, userIdPattern: '^AROA[A-Z0-9]+:.*$' });
    const bad = await awsToken(1, id.id);
    const good = await awsToken(0, id.id);
    assert.equal((await api(s, 'POST', `/sts/exchange?identity=${id.id}`, { headers: { authorization: `Bearer ${bad}` } })).status, 401);
    assert.equal((await api(s, 'POST', `/sts/exchange?identity=${id.id}`, { headers: { authorization: `Bearer ${good}` } })).status, 200);
    await s.audit.flush(true);
    const r = await api(s, 'GET', `/iam/v1/audit?group=${org.id}&identity=${id.id}&refused=true`, { token: owner });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.items.length, 1);
    const [row] = r.body.items;
    assert.equal(row.action, 'sts.exchange.denied');
    assert.equal(row.details.code, 'AWS_ARN_MISMATCH');
    assert.deepEqual(row.details.trace.at(-1), { check: 'rule.arnPattern', ok: false, expected: `^arn:aws:sts::${ACCOUNT}:assumed-role/build-runner/.*$`, actual: DEPLOYER_ARN });
    const all = await api(s, 'GET', `/iam/v1/audit?group=${org.id}&identity=${id.id}`, { token: owner });
    assert.deepEqual(all.body.items.map((e: { action: string }) => e.action).sort(), ['identity.create', 'sts.exchange', 'sts.exchange.denied']);
    const granted = all.body.items.find((e: { action: string }) => e.action === 'sts.exchange');
    assert.equal(granted.details.arn, BUILD_RUNNER_ARN);
    assert.equal(granted.details.account, ACCOUNT);
    assert.match(granted.details.userId, /^AROA[A-Z0-9]+:i-0abc1234def567890$/);
    const everything = JSON.stringify((await s.store.listAudit({})));
    for (const t of [bad, good]) assert.ok(!everything.includes(t.slice(-40)), 'no token in the audit');
    assert.equal((await api(s, 'GET', `/iam/v1/audit?group=${org.id}&identity=${id.id}&refused=true`, { token: viewer })).status, 403);
    assert.equal((await api(s, 'GET', `/iam/v1/audit?group=${org.id}&identity=not-a-uidp`, { token: owner })).status, 400);
  });
});
