// The AWS kind: checks 1-8 of docs/aws-token.md on the presented token (nothing leaves this
// process unless they all pass), then STS's GetCallerIdentity, then the partition kept.

import { checkCallerPartition } from '../../aws/check-caller-partition.js';
import { allowedPartitions, verifyAwsRequest, type AwsVerifierConfig, type StsClient } from '../../aws/index.js';
import type { CredentialVerifier, VerifiedCredential, VerifyContext } from './credential-verifier.js';
import { awsOneTimeKey } from './one-time-key.js';

export class AwsVerifier implements CredentialVerifier<'aws'> {
  readonly kind = 'aws';

  constructor(
    private readonly sts: StsClient,
    private readonly config: AwsVerifierConfig,
    /** The audience AWS tokens must be signed for: this issuer's URL. */
    private readonly audience: string,
  ) {
    allowedPartitions(config); // a misconfiguration fails at start-up, not on the first request
  }

  async verify(token: string, ctx: VerifyContext<'aws'>): Promise<VerifiedCredential> {
    const checked = verifyAwsRequest(token, { identity: ctx.identityId, audience: this.audience, now: ctx.now }, this.config);
    ctx.trace.step('aws.token', true);
    const caller = await this.sts.getCallerIdentity(checked);
    ctx.trace.step('aws.sts', true, undefined, caller.arn);
    checkCallerPartition(caller, { endpoint: checked.endpoint.partition, allowed: allowedPartitions(this.config) });
    ctx.trace.step('aws.partition', true, undefined, caller.partition);
    return { facts: { kind: 'aws', ...caller }, oneTime: awsOneTimeKey(checked.signature, checked.acceptedUntil) };
  }
}
