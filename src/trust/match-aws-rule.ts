// An AWS rule against STS's answer in one call: the partition kept, then the rule's checks
// (account exact, arn/userId exact or a whole-value RE2 pattern) through the one matcher.

import { checkCallerPartition } from '../aws/check-caller-partition.js';
import type { AwsPartition } from '../aws/constants.js';
import type { CallerIdentity } from '../aws/parse-sts-response.js';
import { compileTrustRule } from './compile-trust-rule.js';
import { matchTrustRule } from './match-trust-rule.js';
import type { AwsIdentityRule } from './trust-rule.js';

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
  const compiled = compileTrustRule({ kind: 'aws', aws: rule }, '');
  checkCallerPartition(caller, { allowed: opts.partitions });
  matchTrustRule(compiled, { kind: 'aws', ...caller });
}
