// Flags several commands share, declared once so their help reads the same everywhere.

import type { FlagSpec } from '../command-spec.js';

export const YES: FlagSpec = {
  name: 'yes', short: 'y',
  doc: 'Answer yes to prompts and run non-interactively.',
};

/** `--parent` for commands that act in a location. */
export function parentFlag(what: string): FlagSpec {
  return {
    name: 'parent', arg: 'GROUP',
    doc: `${what}: an organization or folder, by name or UIDP (config default.group).`,
  };
}

export const DESCRIPTION: FlagSpec = { name: 'description', short: 'd', arg: 'TEXT', doc: 'A description.' };

export const NEW_NAME: FlagSpec = { name: 'name', short: 'n', arg: 'NAME', doc: 'The new name.' };

/** The AWS rule flags of `iam identities create|update`; each pair is exact value or pattern. */
export const AWS_RULE_FLAGS: readonly FlagSpec[] = [
  { name: 'aws-account', arg: 'ACCOUNT', doc: 'AWS account ID (12 digits) the workload must run in.' },
  { name: 'aws-arn', arg: 'ARN', doc: 'Exact ARN the caller must have (as GetCallerIdentity reports it).' },
  { name: 'aws-arn-pattern', arg: 'RE2', doc: 'RE2 pattern the caller\'s ARN must match (whole value).' },
  { name: 'aws-user-id', arg: 'ID', doc: 'Exact UserId the caller must have, e.g. AROA...:i-0abc.' },
  { name: 'aws-user-id-pattern', arg: 'RE2', doc: 'RE2 pattern the caller\'s UserId must match (whole value).' },
];

export const FILENAME: FlagSpec = {
  name: 'filename', short: 'f', arg: 'FILE',
  doc: 'JSON file describing the identity (the seed\'s id.json: name, description, and awsIdentity, claimMatch or static).',
};

export const AWS_REGION: FlagSpec = {
  name: 'aws-region', arg: 'REGION',
  doc: 'Sign for the regional STS endpoint sts.REGION.amazonaws.com (default: the global sts.amazonaws.com, '
    + 'or AWS_REGION when AWS_STS_REGIONAL_ENDPOINTS=regional).',
};

/**
 * The OpenID Connect rule flags of `iam identities create|update` (claimMatch; static with
 * --issuer-keys). Each pair is an exact value or an RE2 pattern that must match the whole value.
 */
export const OIDC_RULE_FLAGS: readonly FlagSpec[] = [
  { name: 'identity-issuer', arg: 'URL', doc: 'Exact issuer (iss) of the workload\'s OpenID Connect token.' },
  { name: 'identity-issuer-pattern', arg: 'RE2', doc: 'RE2 pattern the token\'s iss must match (whole value).' },
  { name: 'subject', arg: 'SUB', doc: 'Exact subject (sub) the token must have.' },
  { name: 'subject-pattern', arg: 'RE2', doc: 'RE2 pattern the token\'s sub must match (whole value).' },
  { name: 'audience', arg: 'AUD', doc: 'An audience the token\'s aud must contain (default: this issuer\'s URL).' },
  { name: 'audience-pattern', arg: 'RE2', doc: 'RE2 pattern one of the token\'s aud values must match (whole value).' },
  { name: 'claim', arg: 'NAME:VALUE', multiple: true, doc: 'Another claim and the exact value it must have (repeatable).' },
  { name: 'claim-pattern', arg: 'NAME:RE2', multiple: true, doc: 'Another claim and an RE2 pattern it must match (repeatable; a list claim matches when any element does).' },
  { name: 'issuer-keys', arg: 'FILE', doc: 'JWKS file of an issuer Latchkey cannot reach: makes a static identity (needs --expiration).' },
  { name: 'expiration', arg: 'DATE', doc: 'When a static identity stops working: RFC 3339 or YYYY-MM-DD, at most one year away.' },
];
