// The exchange's AWS path in spec order, as the server runs it (AwsVerifier, then the one rule
// matcher) against a local STS that checks SigV4 for real: checks 1-8, then STS, then the
// identity's rule; and nothing at all reaches STS when a check fails.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createStsClient, type AwsVerifierConfig, type CallerIdentity, type StsClient } from '../../src/aws/index.js';
import { AwsVerifier } from '../../src/sts/index.js';
import { compileAwsRule, compileTrustRule, matchTrustRule, TrustTrace, type AwsIdentityRule } from '../../src/trust/index.js';
import { ACCOUNT, ARN, startFakeSts, USER_ID, type FakeSts } from '../aws-token/fake-sts.js';
import { assertRejects, b64, BIND, IDENTITY, makeToken, NOW, serialize, signedRequest } from '../aws-token/support.js';

/** What the exchange does for an AWS identity: verify the token, then match the rule (if any). */
async function verifyAwsToken(
  token: string,
  expect: typeof BIND & { rule?: AwsIdentityRule },
  deps: { config: AwsVerifierConfig; sts: StsClient },
): Promise<CallerIdentity> {
  const rule = { kind: 'aws' as const, aws: expect.rule ?? { awsAccount: ACCOUNT, arnPattern: '.*', userIdPattern: '.*' } };
  const compiled = compileTrustRule(rule, expect.audience);
  const trace = new TrustTrace();
  const { facts } = await new AwsVerifier(deps.sts, deps.config, expect.audience)
    .verify(token, { identityId: expect.identity, rule, compiled, now: expect.now, trace });
  if (expect.rule) matchTrustRule(compiled, facts, trace);
  if (facts.kind !== 'aws') throw new TypeError('not AWS facts');
  const { kind: _, ...caller } = facts;
  return caller;
}

let sts: FakeSts;
let client: ReturnType<typeof createStsClient>;
const config = { partitions: ['aws'] as const };
const rule = compileAwsRule({
  aws_account: ACCOUNT,
  arnPattern: `arn:aws:sts::${ACCOUNT}:assumed-role/ci-runner/.*`,
  userIdPattern: 'AROAEXAMPLEEXAMPLE123:.*',
}).rule;

before(async () => {
  sts = await startFakeSts();
  client = createStsClient({ overrides: { 'sts.amazonaws.com': sts.url, 'sts.eu-west-1.amazonaws.com': sts.url } });
});
after(async () => {
  await client.close();
  await sts.close();
});

test('a good token, query or body form, yields the caller and satisfies the rule', async () => {
  for (const spec of [{}, { form: 'body' as const, host: 'sts.eu-west-1.amazonaws.com' }, { sessionToken: false }]) {
    const caller = await verifyAwsToken(await makeToken(spec), { ...BIND, rule }, { config, sts: client });
    assert.deepEqual(caller, { account: ACCOUNT, arn: ARN, userId: USER_ID, partition: 'aws' });
    assert.equal(sts.received.at(-1)?.signatureValid, true);
  }
});

test('the rule is applied after STS', async () => {
  const other = compileAwsRule({ aws_account: ACCOUNT, arnPattern: `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/.*`, userIdPattern: '.*' }).rule;
  await assertRejects(verifyAwsToken(await makeToken(), { ...BIND, rule: other }, { config, sts: client }), 'AWS_ARN_MISMATCH');
  const wrongAccount = compileAwsRule({ aws_account: '210987654321', arnPattern: '.*', userIdPattern: '.*' }).rule;
  await assertRejects(verifyAwsToken(await makeToken(), { ...BIND, rule: wrongAccount }, { config, sts: client }), 'AWS_ACCOUNT_MISMATCH');
});

test('a binding header edited after signing passes our checks but not STS', async () => {
  const signedForOther = serialize(await signedRequest({ identity: `${IDENTITY.slice(0, 40)}/0000000000000000` }));
  const edited = signedForOther.replace(`${IDENTITY.slice(0, 40)}/0000000000000000`, IDENTITY);
  await assertRejects(verifyAwsToken(b64(edited), BIND, { config, sts: client }), 'STS_REJECTED');
  assert.equal(sts.received.at(-1)?.signatureValid, false);
});

test('nothing is sent to STS unless checks 1-8 pass', async () => {
  const good = serialize(await signedRequest());
  const failing: Array<[string, string]> = [
    ['x'.repeat(9000), 'AWS_TOKEN_TOO_LARGE'],
    ['not base64!', 'AWS_TOKEN_BAD_BASE64'],
    [b64(good + good), 'AWS_TOKEN_MALFORMED_REQUEST'],
    [b64(good.replace(/^POST/, 'GET')), 'AWS_TOKEN_BAD_METHOD'],
    [b64(good.replace('/?Action', '/x?Action')), 'AWS_TOKEN_BAD_TARGET'],
    [b64(good.replace('GetCallerIdentity', 'AssumeRole')), 'AWS_TOKEN_BAD_ACTION'],
    [b64(good.replace('host: sts.amazonaws.com', 'host: sts.amazonaws.com.evil.com')), 'AWS_TOKEN_HOST_NOT_ALLOWED'],
    [b64(good.replace('/us-east-1/', '/eu-west-1/')), 'AWS_TOKEN_REGION_MISMATCH'],
    [await makeToken({ unsignedBinding: true }), 'AWS_TOKEN_IDENTITY_NOT_SIGNED'],
    [await makeToken({ audience: 'https://elsewhere.example' }), 'AWS_TOKEN_AUDIENCE_MISMATCH'],
    [await makeToken({ signingDate: new Date(NOW.getTime() - 16 * 60_000) }), 'AWS_TOKEN_EXPIRED'],
  ];
  const before = sts.received.length;
  for (const [token, code] of failing) {
    await assertRejects(verifyAwsToken(token, { ...BIND, rule }, { config, sts: client }), code);
  }
  assert.equal(sts.received.length, before);
});

test("refuses a caller outside the endpoint's partition, and bad configuration", async () => {
  const lying: StsClient = {
    getCallerIdentity: async () => ({ account: ACCOUNT, arn: ARN.replace('arn:aws:', 'arn:aws-us-gov:'), userId: USER_ID, partition: 'aws-us-gov' }),
  };
  await assertRejects(verifyAwsToken(await makeToken(), BIND, { config: { partitions: ['aws', 'aws-us-gov'] }, sts: lying }), 'AWS_PARTITION_MISMATCH');
  for (const bad of [{ partitions: [] }, { partitions: ['aws-iso'] }, { maxTokenBytes: 10 }]) {
    await assert.rejects(verifyAwsToken(await makeToken(), BIND, { config: bad as never, sts: client }), TypeError);
  }
});
