// STS's answer must stay in one partition: the Arn's, the one STS reported (the endpoint's),
// and an allowed one. A GovCloud caller never passes as a commercial one, nor the reverse.

import type { AwsPartition } from './constants.js';
import { refuse } from './errors.js';
import type { CallerIdentity } from './parse-sts-response.js';
import { principalArnParts } from './principal-arn.js';

/**
 * Throws AWS_PARTITION_MISMATCH unless the caller's Arn is in `caller.partition`, that is
 * `endpoint` (when given) and it is one of `allowed` (when given).
 */
export function checkCallerPartition(
  caller: CallerIdentity,
  opts: { endpoint?: AwsPartition; allowed?: readonly AwsPartition[] },
): void {
  const detail = { account: caller.account, arn: caller.arn, userId: caller.userId };
  if (opts.endpoint !== undefined && caller.partition !== opts.endpoint) {
    throw refuse('AWS_PARTITION_MISMATCH', "caller's partition is not the endpoint's or is not allowed", detail);
  }
  if (principalArnParts(caller.arn)?.partition !== caller.partition || (opts.allowed && !opts.allowed.includes(caller.partition))) {
    throw refuse('AWS_PARTITION_MISMATCH', "caller's partition is not allowed", detail);
  }
}
