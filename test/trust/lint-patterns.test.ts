// Write-time lint: a warning for every pattern that cannot match any value of its field's
// format (and for rules that accept anything); none for the rules people should write.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileAwsRule, compileClaimMatchRule } from '../../src/trust/index.js';

const ACCOUNT = '452336408843';
const ARN = `^arn:aws:sts::${ACCOUNT}:assumed-role/ci/[^/]+$`;

test('AWS: a role UserId pattern without the :SESSION part, an Arn without the session, an IAM role Arn', () => {
  const warns = (rule: Record<string, string>) => compileAwsRule({ aws_account: ACCOUNT, ...rule }).warnings;
  assert.ok(warns({ arnPattern: ARN, userIdPattern: 'AROA' }).some((w) => /userIdPattern can never match.*:SESSION/.test(w)));
  assert.ok(warns({ arnPattern: ARN, userIdPattern: '^AROA[A-Z0-9]+$' }).some((w) => /userIdPattern can never match/.test(w)));
  assert.ok(warns({ arnPattern: `^arn:aws:sts::${ACCOUNT}:assumed-role/ci$`, userIdPattern: '^AROA[A-Z0-9]+:.+$' }).some((w) => /arnPattern can never match.*\/SESSION/.test(w)));
  assert.ok(warns({ arnPattern: `arn:aws:sts::${ACCOUNT}:assumed-role/[a-z]+`, userIdPattern: '^AROA[A-Z0-9]+:.+$' }).some((w) => /arnPattern can never match/.test(w)));
  assert.ok(warns({ arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ci`, userIdPattern: '^AROA[A-Z0-9]+:.+$' }).some((w) => /arn can never match/.test(w)));
  assert.ok(warns({ arnPattern: `^arn:aws:iam::${ACCOUNT}:role/ci$`, userIdPattern: '^AROA[A-Z0-9]+:.+$' }).some((w) => /never arn:P:iam/.test(w)));
  for (const good of <Array<Record<string, string>>>[
    { arnPattern: ARN, userIdPattern: '^AROA[A-Z0-9]+:[^:]+$' },
    { arnPattern: ARN, userIdPattern: '^AROAWSUKZ3EFSAMPLE(.*)$' },
    { arnPattern: `^arn:aws:sts::${ACCOUNT}:assumed-role/ci/.*$`, userIdPattern: 'AIDA[A-Z0-9]+' },
    { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ci/i-1`, userId: 'AROAX:i-1' },
  ]) {
    assert.deepEqual(warns(good), [], JSON.stringify(good));
  }
});

test('claim-match: an issuer pattern for anyone or for no URL, an http issuer, a rule naming nothing', () => {
  const warns = (rule: Record<string, unknown>) => compileClaimMatchRule(rule).warnings;
  assert.ok(warns({ issuerPattern: '.*', subject: 'x' }).some((w) => /accepts any issuer/.test(w)));
  assert.ok(warns({ issuerPattern: 'token.actions.githubusercontent.com', subject: 'x' }).some((w) => /never match.*https:\/\//.test(w)));
  assert.ok(warns({ issuer: 'http://issuer.example', subject: 'x' }).some((w) => /not an https URL/.test(w)));
  assert.ok(warns({ issuer: 'https://token.actions.githubusercontent.com' }).some((w) => /names no subject or claim/.test(w)));
  assert.ok(warns({ issuer: 'https://gitlab.com', subjectPattern: '.*' }).some((w) => /subjectPattern accepts any subject/.test(w)));
  assert.deepEqual(warns({ issuer: 'https://token.actions.githubusercontent.com', claims: { repository: 'octo/app' } }), []);
  assert.deepEqual(warns({ issuerPattern: '^https://oidc\\.eks\\.[a-z0-9-]+\\.amazonaws\\.com/id/[A-F0-9]+$', subject: 'system:serviceaccount:a:b' }), []);
});
