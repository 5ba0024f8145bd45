// The whole AWS identity token exchange, in spec order: checks 1-8 on the token, then STS,
// then the identity's rule. Nothing is sent to STS unless checks 1-8 pass.

import type { AwsIdentityRule } from '../iam/types.js';
import { refuse } from './errors.js';
import { matchAwsRule } from './match-aws-rule.js';
import type { CallerIdentity } from './parse-sts-response.js';
import type { StsClient } from './sts-client.js';
import {
  allowedPartitions,
  verifyAwsRequest,
  type AwsTokenBinding,
  type AwsVerifierConfig,
} from './verify-aws-request.js';

export interface AwsTokenExpectation extends AwsTokenBinding {
  /** The identity's AWS rule; when given, the caller must satisfy it. */
  rule?: AwsIdentityRule;
}

/**
 * Verifies an AWS identity token and returns who STS says signed it (and, with `rule`, that
 * they satisfy it). Throws AwsTokenError (codes and statuses in errors.ts); TypeError for bad
 * configuration.
 *
 * @example
 *   const caller = await verifyAwsToken(token, { identity, audience: issuerUrl, now: new Date(), rule },
 *     { config: { partitions: ['aws'] }, sts });
 */
export async function verifyAwsToken(
  token: string,
  expect: AwsTokenExpectation,
  deps: { config: AwsVerifierConfig; sts: StsClient },
): Promise<CallerIdentity> {
  const checked = verifyAwsRequest(token, expect, deps.config);
  const partitions = allowedPartitions(deps.config);
  const caller = await deps.sts.getCallerIdentity(checked);
  if (caller.partition !== checked.endpoint.partition || !partitions.includes(caller.partition)) {
    throw refuse('AWS_PARTITION_MISMATCH', "caller's partition is not the endpoint's or is not allowed", {
      host: checked.endpoint.host,
      arn: caller.arn,
    });
  }
  if (expect.rule !== undefined) matchAwsRule(expect.rule, caller, { partitions });
  return caller;
}
