// PUT /iam/v1/identities/{id}?dryRun=true over real HTTP: exchanges from two AWS roles (real
// tokens, the AWS emulator as STS) are recorded; a rule narrowed to one reports exactly the
// other as losing access, a widened one the refused caller as gaining it, and nothing changes:
// not the rule, not the audit. The same for OpenID Connect callers (a local jose issuer).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createStsClient } from '../../src/aws/index.js';
import { startAwsEmulator, type AwsEmulator } from '../../src/aws-emulator/index.js';
import { builtinRoleId, OPERATOR, type Identity } from '../../src/iam/index.js';
import { buildAwsToken } from '../support/aws-token-builder.js';
import { githubClaims, startTestIssuer, type TestIssuer } from '../support/oidc-issuer.js';
import { api, makeIdentity, makeOrg, startTestServer, tokenFor, type TestServer } from '../support/test-server.js';

const ACCOUNT = '111122223333';
const principals = [
  { account: ACCOUNT, roleName: 'build-runner', sessionName: 'i-0abc1234def567890' },
  { account: ACCOUNT, roleName: 'deployer', sessionName: 'i-0ffff1234def56789' },
  { account: ACCOUNT, roleName: 'tester', sessionName: 'i-0aaaa1234def56789' },
];
const arnOf = (i: number) => `arn:aws:sts::${ACCOUNT}:assumed-role/${principals[i]!.roleName}/${principals[i]!.sessionName}`;

describe('identities update --dry-run: OpenID Connect callers (iss, sub, aud and the rule\'s claims kept)', () => {
  let iss: TestIssuer;
  let s: TestServer;
  let owner = '';
  let id: Identity;
  const sub = (ref: string) => `repo:octo/app:ref:${ref}`;
  const tokens: string[] = [];

  before(async () => {
    iss = await startTestIssuer();
    s = await startTestServer({ flags: { workloadIssuerAllowLoopbackHttp: true } });
    const org = await makeOrg(s, 'acme');
    owner = await tokenFor(s, (await makeIdentity(s, org.id, 'owner')).id);
    ({ identity: id } = await s.iam.identities.create(OPERATOR, org.id, {
      name: 'gh', claimMatch: { issuer: iss.url, claimPatterns: { ref: '^refs/heads/(main|release)$' }, claims: { repository: 'octo/app' } },
    }));
    for (const ref of ['refs/heads/main', 'refs/heads/release', 'refs/heads/dev']) {
      const token = await iss.sign({ ...githubClaims('octo/app', ref), aud: s.url });
      tokens.push(token);
      await api(s, 'POST', `/sts/exchange?identity=${id.id}`, { headers: { authorization: `Bearer ${token}` } });
    }
    await s.audit.flush(true);
  });
  after(async () => {
    await s?.stop(true);
    await iss?.close();
  });

  const dryRun = (claimMatch: Record<string, unknown>) =>
    api(s, 'PUT', `/iam/v1/identities/${id.id}?dryRun=true`, { token: owner, body: { claimMatch } });

  it('a claim narrowed to main reports the release caller as losing access; the audit keeps no token', async () => {
    const r = await dryRun({ issuer: iss.url, claimPatterns: { ref: '^refs/heads/main$' }, claims: { repository: 'octo/app' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.callers, 3, 'two granted callers and the one the rule refused');
    assert.deepEqual(r.body.loseAccess.map((c: { iss: string; sub: string }) => [c.iss, c.sub]), [[iss.url, sub('refs/heads/release')]]);
    assert.deepEqual(r.body.gainAccess, []);
    assert.deepEqual(r.body.notReplayed, []);
    const granted = await s.store.listAudit({ target: id.id, actions: ['sts.exchange'] });
    assert.deepEqual(granted.map((e) => e.details.claims).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))), [
      { ref: ['refs/heads/main'], repository: ['octo/app'] }, { ref: ['refs/heads/release'], repository: ['octo/app'] },
    ]);
    assert.deepEqual(granted[0]!.details.tokenAud, [s.url]);
    const audit = JSON.stringify(await s.store.listAudit({}));
    for (const t of tokens) assert.ok(!audit.includes(t.split('.')[2]!), 'no token (nor its signature) in the audit');
  });

  it('an audience or a claim the callers were not recorded with is named as not replayed', async () => {
    const aud = await dryRun({ issuer: iss.url, audience: 'https://elsewhere.example', claimPatterns: { ref: '^refs/heads/(main|release)$' }, claims: { repository: 'octo/app' } });
    assert.equal(aud.body.loseAccess.length, 2, 'the recorded aud is judged: both would lose access');
    const workflow = await dryRun({ issuer: iss.url, claimPatterns: { ref: '^refs/heads/(main|release)$' }, claims: { repository: 'octo/app', workflow: 'other' } });
    assert.deepEqual(workflow.body.notReplayed, ['claims.workflow']);
    assert.deepEqual(workflow.body.loseAccess, [], 'not judged, so not reported');
  });
});

describe('identities update --dry-run: who would gain and lose access', () => {
  let emu: AwsEmulator;
  let s: TestServer;
  let owner = '';
  let viewer = '';
  let id: Identity;
  const rule = { aws_account: ACCOUNT, arnPattern: `^arn:aws:sts::${ACCOUNT}:assumed-role/(build-runner|deployer)/.*$`, userIdPattern: '^AROA[A-Z0-9]+:.*$' };

  before(async () => {
    emu = await startAwsEmulator({ principals });
    const real = createStsClient({ overrides: { 'sts.amazonaws.com': emu.url, 'sts.us-east-1.amazonaws.com': emu.url } });
    s = await startTestServer({ sts: real });
    const org = await makeOrg(s, 'acme');
    owner = await tokenFor(s, (await makeIdentity(s, org.id, 'owner')).id);
    viewer = await tokenFor(s, (await makeIdentity(s, org.id, 'viewer')).id);
    ({ identity: id } = await s.iam.identities.create(OPERATOR, org.id, { name: 'ci', awsIdentity: rule }));
    const exchange = async (i: number) => {
      const token = await buildAwsToken(emu.issueCredentials(i), { identity: id.id, audience: s.url });
      return (await api(s, 'POST', `/sts/exchange?identity=${id.id}`, { headers: { authorization: `Bearer ${token}` } })).status;
    };
    // Two roles granted (one of them twice), one refused by the rule.
    assert.deepEqual([await exchange(0), await exchange(1), await exchange(0), await exchange(2)], [200, 200, 200, 401]);
    await s.audit.flush(true);
  });
  after(async () => {
    await s?.stop(true);
    await emu?.close();
  });

  const dryRun = (awsIdentity: Record<string, string>, token = owner) =>
    api(s, 'PUT', `/iam/v1/identities/${id.id}?dryRun=true`, { token, body: { awsIdentity } });

  it('a rule narrowed to one role reports exactly the other as losing access, and changes nothing', async () => {
    const before = (await api(s, 'GET', `/iam/v1/identities/${id.id}`, { token: owner })).body;
    const auditBefore = await s.store.listAudit({});
    const r = await dryRun({ ...rule, arnPattern: `^arn:aws:sts::${ACCOUNT}:assumed-role/build-runner/.*$` });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.dryRun, true);
    assert.equal(r.body.callers, 3, 'three distinct callers: two granted, one refused by the rule');
    assert.deepEqual(r.body.loseAccess.map((c: { arn: string }) => c.arn), [arnOf(1)]);
    assert.equal(r.body.loseAccess[0].account, ACCOUNT);
    assert.match(r.body.loseAccess[0].userId, /^AROA[A-Z0-9]+:i-0ffff1234def56789$/);
    assert.deepEqual(r.body.gainAccess, []);
    assert.deepEqual(r.body.notReplayed, []);
    assert.equal(r.body.identity.awsIdentity.arnPattern, `^arn:aws:sts::${ACCOUNT}:assumed-role/build-runner/.*$`, 'the proposed identity');
    await s.audit.flush(true);
    assert.deepEqual((await api(s, 'GET', `/iam/v1/identities/${id.id}`, { token: owner })).body, before, 'the rule is unchanged');
    assert.deepEqual(await s.store.listAudit({}), auditBefore, 'the audit is unchanged');
  });

  it('a widened rule reports the refused caller as gaining access; the same rule reports nobody', async () => {
    const r = await dryRun({ ...rule, arnPattern: `^arn:aws:sts::${ACCOUNT}:assumed-role/.*$` });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.loseAccess, []);
    assert.deepEqual(r.body.gainAccess.map((c: { arn: string }) => c.arn), [arnOf(2)]);
    const same = await dryRun(rule);
    assert.deepEqual([same.body.loseAccess, same.body.gainAccess], [[], []]);
    const claim = await api(s, 'PUT', `/iam/v1/identities/${id.id}?dryRun=true`, { token: owner, body: { claimMatch: { issuer: 'https://token.actions.githubusercontent.com', subject: 'x' } } });
    assert.equal(claim.status, 200, JSON.stringify(claim.body));
    assert.equal(claim.body.loseAccess.length, 2, 'another kind of rule: every AWS caller loses access');
    assert.deepEqual(claim.body.notReplayed, []);
  });

  it('needs what the update needs: a viewer is refused, and a bad rule is refused as the update would', async () => {
    assert.equal((await dryRun({ ...rule, arnPattern: '.*' }, viewer)).status, 403);
    const bad = await dryRun({ aws_account: ACCOUNT, arnPattern: '(', userIdPattern: '.*' });
    assert.equal(bad.status, 400, JSON.stringify(bad.body));
  });

  it('a rule change needs "act as": an editor cannot dry-run the rule of an identity that holds owner', async () => {
    const org = id.parentId!;
    const { identity: strong } = await s.iam.identities.create(OPERATOR, org, { name: 'strong', awsIdentity: rule });
    await s.iam.bindings.create(OPERATOR, org, { identity: strong.id, role: builtinRoleId('owner') });
    const editor = await tokenFor(s, (await makeIdentity(s, org, 'editor')).id);
    const widen = { awsIdentity: { ...rule, arnPattern: '.*' } };
    const r = await api(s, 'PUT', `/iam/v1/identities/${strong.id}?dryRun=true`, { token: editor, body: widen });
    assert.equal(r.status, 403, JSON.stringify(r.body));
    const real = await api(s, 'PUT', `/iam/v1/identities/${strong.id}`, { token: editor, body: widen });
    assert.equal(real.status, 403, 'the update itself is refused alike');
    const rename = await api(s, 'PUT', `/iam/v1/identities/${strong.id}?dryRun=true`, { token: editor, body: { name: 'renamed' } });
    assert.equal(rename.status, 200, 'without a rule change, identity.update is enough');
    assert.equal(rename.body.identity.name, 'renamed');
    assert.equal((await s.iam.identities.get(strong.id)).name, 'strong', 'and nothing changed');
  });
});
