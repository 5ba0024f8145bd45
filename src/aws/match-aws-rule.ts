// Matches STS's answer against an identity's AWS rule: account exact, arn/userId exact or a
// pattern that must match the WHOLE value (RE2, linear time), partition kept.

import type { AwsIdentityRule } from '../iam/types.js';
import type { AwsPartition } from './constants.js';
import { refuse } from './errors.js';
import type { CallerIdentity } from './parse-sts-response.js';
import { principalArnParts } from './principal-arn.js';
import { fullMatch } from './pattern-cache.js';

function pairOf(rule: AwsIdentityRule, exact: 'arn' | 'userId', pattern: 'arnPattern' | 'userIdPattern') {
  const e = rule[exact];
  const p = rule[pattern];
  if ((e === undefined) === (p === undefined)) {
    throw new TypeError(`matchAwsRule: rule must have exactly one of ${exact} and ${pattern} (use compileAwsRule)`);
  }
  return { exact: e, pattern: p };
}

function matches(value: string, pair: { exact?: string | undefined; pattern?: string | undefined }): boolean {
  if (pair.exact !== undefined) return value === pair.exact;
  try {
    return fullMatch(pair.pattern as string, value);
  } catch {
    throw new TypeError('matchAwsRule: rule has a pattern that does not compile (use compileAwsRule)');
  }
}

/**
 * Throws AWS_PARTITION_MISMATCH, AWS_ACCOUNT_MISMATCH, AWS_ARN_MISMATCH or AWS_USER_ID_MISMATCH
 * unless `caller` satisfies `rule`. Messages name the failing field, never the rule's values.
 * A rule that compileAwsRule would refuse is a TypeError (a bug, not the caller's fault).
 */
export function matchAwsRule(
  rule: AwsIdentityRule,
  caller: CallerIdentity,
  opts: { partitions?: readonly AwsPartition[] } = {},
): void {
  const arnRule = pairOf(rule, 'arn', 'arnPattern');
  const userIdRule = pairOf(rule, 'userId', 'userIdPattern');
  const detail = { account: caller.account, arn: caller.arn, userId: caller.userId };
  const arnPartition = principalArnParts(caller.arn)?.partition;
  if (arnPartition !== caller.partition || (opts.partitions && !opts.partitions.includes(caller.partition))) {
    throw refuse('AWS_PARTITION_MISMATCH', "caller's partition is not allowed", detail);
  }
  if (caller.account !== rule.awsAccount) {
    throw refuse('AWS_ACCOUNT_MISMATCH', "Account does not match the identity's aws_account", detail);
  }
  if (!matches(caller.arn, arnRule)) {
    const field = arnRule.exact !== undefined ? 'arn' : 'arnPattern';
    throw refuse('AWS_ARN_MISMATCH', `Arn does not match the identity's ${field}`, detail);
  }
  if (!matches(caller.userId, userIdRule)) {
    const field = userIdRule.exact !== undefined ? 'userId' : 'userIdPattern';
    throw refuse('AWS_USER_ID_MISMATCH', `UserId does not match the identity's ${field}`, detail);
  }
}
