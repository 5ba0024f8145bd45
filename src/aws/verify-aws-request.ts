// Spec checks 1-8 on a token with the server's policy applied: everything that happens before
// a byte is sent to STS. Synchronous, so a caller can look the identity up before calling STS.

import { checkAwsRequest, type CheckedAwsRequest } from './check-aws-request.js';
import { DEFAULT_MAX_TOKEN_BYTES, PARTITIONS, type AwsPartition } from './constants.js';
import { parseAwsToken } from './parse-aws-token.js';

/**
 * Policy for verifying tokens. Where to reach STS (endpoint overrides, timeouts) is the
 * StsClient's business: see createStsClient.
 */
export interface AwsVerifierConfig {
  /** Partitions whose STS endpoints and principals are accepted; default ['aws']. */
  partitions?: readonly AwsPartition[];
  /** Cap on the encoded token (default 8192 characters, 256 to 65536). */
  maxTokenBytes?: number;
  /** How old X-Amz-Date may be (default and maximum 900 s). */
  maxPastSeconds?: number;
  /** How far in the future X-Amz-Date may be (default and maximum 300 s). */
  maxFutureSeconds?: number;
}

/** What the token must be bound to, and the server clock. */
export interface AwsTokenBinding {
  /** The UIDP of the identity the caller asks to assume. */
  identity: string;
  /** This issuer's URL. */
  audience: string;
  /** The server clock. */
  now: Date;
}

/** The allowed partitions of `config`, validated (TypeError when misconfigured). */
export function allowedPartitions(config: AwsVerifierConfig): readonly AwsPartition[] {
  const p = config.partitions ?? ['aws'];
  if (!Array.isArray(p) || p.length === 0 || !p.every((x) => (PARTITIONS as readonly string[]).includes(x))) {
    throw new TypeError(`AwsVerifierConfig.partitions must be a non-empty list of ${PARTITIONS.join(', ')}`);
  }
  return p;
}

function maxTokenBytesOf(config: AwsVerifierConfig): number {
  const m = config.maxTokenBytes ?? DEFAULT_MAX_TOKEN_BYTES;
  if (!Number.isInteger(m) || m < 256 || m > 65_536) {
    throw new TypeError('AwsVerifierConfig.maxTokenBytes must be an integer from 256 to 65536');
  }
  return m;
}

/**
 * Checks 1-8: decodes, parses and checks a token; returns what to send to STS. Throws
 * AwsTokenError naming the first failed check; TypeError for bad configuration.
 *
 * @example
 *   const checked = verifyAwsRequest(token, { identity, audience: issuerUrl, now: new Date() }, { partitions: ['aws'] });
 *   const caller = await sts.getCallerIdentity(checked);
 */
export function verifyAwsRequest(token: string, bind: AwsTokenBinding, config: AwsVerifierConfig = {}): CheckedAwsRequest {
  const partitions = allowedPartitions(config);
  const parsed = parseAwsToken(token, { maxTokenBytes: maxTokenBytesOf(config) });
  return checkAwsRequest(parsed, {
    identity: bind.identity,
    audience: bind.audience,
    now: bind.now,
    partitions,
    maxPastSeconds: config.maxPastSeconds,
    maxFutureSeconds: config.maxFutureSeconds,
  });
}
