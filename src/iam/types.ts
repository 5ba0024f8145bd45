// The IAM domain's records, as stored and as served (camelCase JSON).

import type { TrustRule } from '../trust/index.js';
import type { Capability } from './capabilities.js';

export type { AwsIdentityRule, ClaimMatchRule, StaticRule, TrustRule } from '../trust/index.js';

/** An organization (root group) or a folder (nested group). */
export interface Group {
  id: string;
  parentId: string | null;
  name: string;
  description: string;
  createdAt: string;
  updatedAt: string;
}

/** A human, federated from an upstream OpenID Connect provider. */
export interface UserIdentityInfo {
  issuer: string;
  subject: string;
  email?: string;
}

/**
 * A registry pull token (docs/registry.md): a pull-only identity that systems without a
 * workload identity use with a user name (its UIDP) and a secret, until it expires or is deleted.
 */
export interface PullTokenInfo {
  /** RFC 3339: the secret is refused from then on. */
  expiresAt: string;
  /** SHA-256 (hex) of the secret; the secret itself is shown once, at creation, never stored. */
  secretSha256: string;
}

/**
 * How an identity relates to the outside world, a discriminated union of plain data: the trust
 * rule outside workloads must satisfy to assume it (aws, claimMatch, static), a human user, or a
 * registry pull token.
 */
export type Relationship =
  | TrustRule
  | { kind: 'user'; user: UserIdentityInfo }
  | { kind: 'pull_token'; pullToken: PullTokenInfo };

export interface Identity {
  id: string;
  /** The group an assumable identity lives in; null for human users (root UIDPs). */
  parentId: string | null;
  name: string;
  description: string;
  relationship: Relationship;
  createdAt: string;
  updatedAt: string;
}

export interface Role {
  id: string;
  /** The group a custom role is defined in; null for built-in roles. */
  parentId: string | null;
  name: string;
  description: string;
  capabilities: Capability[];
  createdAt: string;
  updatedAt: string;
}

export interface RoleBinding {
  /** A child UIDP of `group`. */
  id: string;
  group: string;
  identity: string;
  role: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * An invitation: a role granted to an email address before that person first logs in. Their
 * first login with that (verified) email claims it once; it expires at `expiresAt`.
 */
export interface PendingBinding {
  id: string;
  group: string;
  email: string;
  role: string;
  createdAt: string;
  expiresAt: string;
}

export interface AuditEvent {
  id: string;
  at: string;
  /** The acting identity's UIDP, or "operator" for CLI operator commands. */
  actor: string;
  action: string;
  target: string;
  /** The organization the change belongs to, for owner listing. */
  group: string | null;
  remoteAddr: string | null;
  details: Record<string, unknown>;
}
