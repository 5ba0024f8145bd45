// What makes a presented credential "the same one" for one-time use, and how long it stays
// valid: an AWS request by its SigV4 signature (until X-Amz-Date plus the accepted age), an
// OpenID Connect token by (iss, jti), or by what its signature covers when it has no jti
// (until exp plus the skew). Only the SHA-256 of the key leaves this module: never a
// signature or a token.

import { createHash } from 'node:crypto';
import type { JwtFacts } from '../../trust/index.js';

/** A verified credential's one-time key (SHA-256 hex) and the end of its own validity. */
export interface OneTimeKey {
  keyHash: string;
  validUntil: Date;
}

function sha256(parts: readonly string[]): string {
  // JSON of a list: no two different lists of strings give the same text.
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** An AWS request: its signature names it (the signature covers X-Amz-Date and the body). */
export function awsOneTimeKey(signature: string, validUntil: Date): OneTimeKey {
  return { keyHash: sha256(['aws-sigv4', signature]), validUntil };
}

/**
 * A verified OpenID Connect token: (iss, jti) when it has a non-empty string jti, else its
 * signing input (`header.payload`), not the whole token: an ECDSA signature can be re-encoded
 * into another valid one, so the same claims could come back under new signature bytes.
 * `exp` was checked to be a number by checkTokenTimes before the signature.
 */
export function jwtOneTimeKey(token: string, facts: JwtFacts, skewSeconds: number): OneTimeKey {
  const { jti, exp } = facts.claims;
  const keyHash = typeof jti === 'string' && jti.length > 0
    ? sha256(['jwt-jti', facts.issuer, jti])
    : sha256(['jwt-signed', token.slice(0, token.lastIndexOf('.'))]);
  return { keyHash, validUntil: new Date(((exp as number) + skewSeconds) * 1000) };
}
