// Identity rules: compiled (validated) at write time from the seed's id.json spellings, matched
// in full against STS's answer with RE2, partition kept.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CallerIdentity } from '../../src/aws/index.js';
import { compileAwsRule, matchAwsRule } from '../../src/trust/index.js';
import { assertRefused } from './support.js';

const ACCOUNT = '452336408843';
const SEED = {
  aws_account: ACCOUNT,
  arnPattern: `^arn:aws:sts::${ACCOUNT}:assumed-role/access_to_chainguard_org/(.*)$`,
  userIdPattern: '^AROAWSUKZ3EFSAMPLE(.*)$',
};
const caller = (over: Partial<CallerIdentity> = {}): CallerIdentity => ({
  account: ACCOUNT,
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/access_to_chainguard_org/i-00c1356891csample`,
  userId: 'AROAWSUKZ3EFSAMPLE:i-00c1356891csample',
  partition: 'aws',
  ...over,
});

test("compiles the seed's id.json rule and every accepted spelling", () => {
  const { rule, warnings } = compileAwsRule(SEED);
  assert.deepEqual(rule, { awsAccount: ACCOUNT, arnPattern: SEED.arnPattern, userIdPattern: SEED.userIdPattern });
  assert.deepEqual(warnings, []);
  const snake = compileAwsRule({ awsAccount: ACCOUNT, arn_pattern: SEED.arnPattern, user_id_pattern: SEED.userIdPattern });
  assert.deepEqual(snake.rule, rule);
  const exact = compileAwsRule({ aws_account: ACCOUNT, arn: caller().arn, user_id: caller().userId });
  assert.deepEqual(exact.rule, { awsAccount: ACCOUNT, arn: caller().arn, userId: caller().userId });
  assert.deepEqual(compileAwsRule({ ...SEED, arn: null }).rule, rule);
});

test('refuses rules that are not valid, saying what to fix', () => {
  const cases: Array<[unknown, RegExp]> = [
    [null, /object/],
    [[SEED], /object/],
    ['x', /object/],
    [{ ...SEED, extra: 1 }, /unknown field "extra"/],
    [{ ...SEED, awsAccount: ACCOUNT }, /same field/],
    [{ ...SEED, arn_pattern: '.*' }, /same field/],
    [{ ...SEED, aws_account: undefined }, /aws_account is required/],
    [{ ...SEED, aws_account: 452336408843 }, /string/],
    [{ ...SEED, aws_account: '45233640884' }, /12-digit/],
    [{ ...SEED, aws_account: '45233640****' }, /12-digit/],
    [{ aws_account: ACCOUNT, userIdPattern: 'x' }, /exactly one of arn and arnPattern/],
    [{ ...SEED, arn: caller().arn }, /exactly one of arn and arnPattern/],
    [{ ...SEED, userId: 'x' }, /exactly one of userId and userIdPattern/],
    [{ aws_account: ACCOUNT, arnPattern: '.*' }, /exactly one of userId and userIdPattern/],
    [{ ...SEED, arnPattern: '' }, /1 to 1024/],
    [{ ...SEED, arnPattern: 'a'.repeat(1025) }, /1 to 1024/],
    [{ ...SEED, arnPattern: '(a' }, /arnPattern is not a valid RE2 pattern/],
    [{ ...SEED, userIdPattern: 'a(?=b)' }, /userIdPattern is not a valid RE2 pattern/],
    [{ ...SEED, arnPattern: '(a)\\1' }, /RE2/],
    [{ ...SEED, arnPattern: '(a{1000}){1000}' }, /RE2/],
    [{ aws_account: ACCOUNT, arn: 'not-an-arn', userIdPattern: 'x' }, /principal ARN/],
    [{ aws_account: ACCOUNT, arn: `arn:aws:iam::000000000000:root`, userIdPattern: 'x' }, /aws_account/],
    [{ aws_account: ACCOUNT, arn: `arn:aws-iso:iam::${ACCOUNT}:root`, userIdPattern: 'x' }, /principal ARN/],
    [{ ...SEED, arnPattern: undefined, arn: 'arn:aws:iam::452336408843:user/a b' }, /printable/],
  ];
  for (const [input, message] of cases) {
    const err = assertRefused(() => compileAwsRule(input), 'AWS_RULE_INVALID', message);
    assert.match(err.message, /^awsIdentity: /);
  }
});

test('warns on patterns that accept any principal or can never match', () => {
  for (const p of ['.*', '^.*$', '(.*)', '.+', '(?s).*', 'arn:.*', '.*|x']) {
    const { warnings } = compileAwsRule({ ...SEED, arnPattern: p });
    assert.ok(warnings.some((w) => /arnPattern accepts any principal/.test(w)), p);
  }
  for (const p of ['.*', '(.*)', '[A-Z0-9:]+|latchkey-probe', '.+']) {
    const { warnings } = compileAwsRule({ ...SEED, userIdPattern: p });
    assert.ok(warnings.some((w) => /userIdPattern accepts any principal/.test(w)), p);
  }
  const otherAccount = compileAwsRule({ ...SEED, arnPattern: '^arn:aws:sts::111111111111:assumed-role/x/.*$' });
  assert.ok(otherAccount.warnings.some((w) => /account other than aws_account/.test(w)));
  const otherPartition = compileAwsRule({ ...SEED, arnPattern: `^arn:aws-iso:sts::${ACCOUNT}:assumed-role/x/.*$` });
  assert.ok(otherPartition.warnings.some((w) => /partition/.test(w)));
  const substring = compileAwsRule({ ...SEED, arnPattern: 'assumed-role/access_to_chainguard_org/' });
  assert.ok(substring.warnings.some((w) => /WHOLE Arn/.test(w)));
  const iamRole = compileAwsRule({ aws_account: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:role/ci`, userIdPattern: SEED.userIdPattern });
  assert.ok(iamRole.warnings.some((w) => /assumed-role/.test(w)));
  // Specific patterns, with escapes and optional parts, do not warn.
  for (const p of [SEED.arnPattern, `arn:aws:sts::${ACCOUNT}:assumed-role/ci-(dev|prod)/.+`, `arn:aws:sts::452336408843\\:assumed-role/x?/.*`]) {
    assert.deepEqual(compileAwsRule({ ...SEED, arnPattern: p }).warnings, [], p);
  }
});

test('matches: account exact, patterns in full, exact values exactly', () => {
  const { rule } = compileAwsRule(SEED);
  assert.doesNotThrow(() => matchAwsRule(rule, caller()));
  assertRefused(() => matchAwsRule(rule, caller({ account: '111111111111' })), 'AWS_ACCOUNT_MISMATCH', /aws_account/);
  const err = assertRefused(
    () => matchAwsRule(rule, caller({ arn: `arn:aws:sts::${ACCOUNT}:assumed-role/other/i-1` })),
    'AWS_ARN_MISMATCH',
    /Arn does not match the identity's arnPattern/,
  );
  assert.ok(!err.message.includes('access_to_chainguard_org'), 'the message never shows the pattern');
  assertRefused(() => matchAwsRule(rule, caller({ userId: 'AIDAOTHER' })), 'AWS_USER_ID_MISMATCH', /userIdPattern/);
  const exact = compileAwsRule({ aws_account: ACCOUNT, arn: caller().arn, userId: caller().userId }).rule;
  assert.doesNotThrow(() => matchAwsRule(exact, caller()));
  assertRefused(() => matchAwsRule(exact, caller({ arn: `${caller().arn}x` })), 'AWS_ARN_MISMATCH', /identity's arn$/);
  assertRefused(() => matchAwsRule(exact, caller({ userId: `${caller().userId}x` })), 'AWS_USER_ID_MISMATCH');
});

test('unanchored patterns still match the whole value', () => {
  const { rule } = compileAwsRule({ aws_account: ACCOUNT, arnPattern: 'assumed-role/ci', userIdPattern: 'AROA[A-Z0-9]+:.*' });
  assertRefused(() => matchAwsRule(rule, caller({ arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ci/x` })), 'AWS_ARN_MISMATCH');
  const alt = compileAwsRule({ aws_account: ACCOUNT, arnPattern: `arn:aws:sts::${ACCOUNT}:assumed-role/a|b`, userIdPattern: '.*' }).rule;
  // "a|b" must not become "(...a)|(b...)": the alternation is matched against the whole value.
  assertRefused(() => matchAwsRule(alt, caller({ arn: `arn:aws:sts::${ACCOUNT}:assumed-role/a/x` })), 'AWS_ARN_MISMATCH');
  const dollar = compileAwsRule({ aws_account: ACCOUNT, arnPattern: `^arn:aws:sts::${ACCOUNT}:assumed-role/a/x$`, userIdPattern: '.*' }).rule;
  assertRefused(() => matchAwsRule(dollar, caller({ arn: `arn:aws:sts::${ACCOUNT}:assumed-role/a/x\n` })), 'AWS_ARN_MISMATCH');
});

test('keeps the partition: a GovCloud ARN never matches an arn:aws: pattern', () => {
  const { rule } = compileAwsRule(SEED);
  const gov = caller({ arn: caller().arn.replace('arn:aws:', 'arn:aws-us-gov:'), partition: 'aws-us-gov' });
  assertRefused(() => matchAwsRule(rule, gov), 'AWS_ARN_MISMATCH');
  const loose = compileAwsRule({ ...SEED, arnPattern: `arn:[^:]+:sts::${ACCOUNT}:assumed-role/access_to_chainguard_org/.*` }).rule;
  assert.doesNotThrow(() => matchAwsRule(loose, gov));
  assertRefused(() => matchAwsRule(loose, gov, { partitions: ['aws'] }), 'AWS_PARTITION_MISMATCH');
  assertRefused(() => matchAwsRule(loose, { ...gov, partition: 'aws' }), 'AWS_PARTITION_MISMATCH');
});

test('a rule that compileAwsRule would refuse is a TypeError at match time', () => {
  assert.throws(() => matchAwsRule({ awsAccount: ACCOUNT, userIdPattern: '.*' }, caller()), TypeError);
  assert.throws(() => matchAwsRule({ awsAccount: ACCOUNT, arnPattern: '(', userIdPattern: '.*' }, caller()), TypeError);
});

test('matching is linear-time on adversarial input', () => {
  // Catastrophic for a backtracking engine: (a+)+ against a long run of a's that then fails.
  const { rule } = compileAwsRule({ aws_account: ACCOUNT, arnPattern: `arn:aws:sts::${ACCOUNT}:(a+)+$`, userIdPattern: '.*' });
  const start = Date.now();
  assertRefused(() => matchAwsRule(rule, caller({ arn: `arn:aws:sts::${ACCOUNT}:${'a'.repeat(2000)}!` })), 'AWS_ARN_MISMATCH');
  assert.ok(Date.now() - start < 1000, `took ${Date.now() - start} ms`);
});
