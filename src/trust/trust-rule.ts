// The rules that say who may become an identity: one discriminated union, plain data (stored as
// JSON, compared with deep equality). Of each exact/pattern pair at most one is set; patterns
// are RE2 syntax and always match the WHOLE value.

/**
 * An AWS workload: STS's GetCallerIdentity answer must have this account and an Arn and UserId
 * matching exactly one of each pair.
 */
export interface AwsIdentityRule {
  awsAccount: string;
  arn?: string;
  arnPattern?: string;
  userId?: string;
  userIdPattern?: string;
}

/**
 * A workload with an OpenID Connect token (GitHub Actions, GitLab CI, a Kubernetes service
 * account, ...), the shape of chainguard-dev/sdk's ClaimMatch. `issuer` (or `issuerPattern`) is
 * required; without `audience`/`audiencePattern` the token's `aud` must contain this issuer's
 * URL. `claims`/`claimPatterns` name any other claim: a string claim must match; a list claim
 * matches when any element does; numbers and booleans match their JSON text.
 */
export interface ClaimMatchRule {
  issuer?: string;
  issuerPattern?: string;
  subject?: string;
  subjectPattern?: string;
  audience?: string;
  audiencePattern?: string;
  claims?: Record<string, string>;
  claimPatterns?: Record<string, string>;
}

/**
 * A workload whose issuer Latchkey cannot reach (a private cluster, kind): the same rule,
 * verified against `issuerKeys` (a JWKS given when the identity is written) with no network
 * call, and only until `expiration` (at most one year after it is written).
 */
export interface StaticRule extends ClaimMatchRule {
  /** The issuer's public keys, as a JWKS object ({"keys": [...]}). */
  issuerKeys: { keys: Array<Record<string, unknown>> };
  /** RFC 3339 time after which no token is accepted. */
  expiration: string;
}

/** The rule of an identity that outside workloads assume, by kind. */
export type TrustRule =
  | { kind: 'aws'; aws: AwsIdentityRule }
  | { kind: 'claimMatch'; claimMatch: ClaimMatchRule }
  | { kind: 'static'; static: StaticRule };

export type TrustRuleKind = TrustRule['kind'];

export const TRUST_RULE_KINDS: readonly TrustRuleKind[] = ['aws', 'claimMatch', 'static'];
