// What a CredentialVerifier established about the caller, by kind: the only input the rule
// matcher sees. Every value here was vouched for by a signature (STS's, or the issuer's key).

import type { AwsPartition } from '../aws/constants.js';

/** STS's answer to GetCallerIdentity. */
export interface AwsFacts {
  kind: 'aws';
  account: string;
  arn: string;
  userId: string;
  partition: AwsPartition;
}

/** The verified claims of an OpenID Connect token. */
export interface JwtFacts {
  kind: 'jwt';
  issuer: string;
  subject: string;
  /** `aud`, always as a list. */
  audience: string[];
  /** Every claim of the token (for claims/claimPatterns). */
  claims: Readonly<Record<string, unknown>>;
}

export type VerifiedFacts = AwsFacts | JwtFacts;
