// The IAM API's records as docs/api.md serves them, and how each prints as a table.

import type { Group, Role, RoleBinding } from '../iam/index.js';
import type { OidcRule } from './oidc-identity-body.js';
import type { Column } from './render-table.js';

export type { Group, Role } from '../iam/index.js';

/** An identity as the API serves it: an AWS rule, or a person's upstream login. */
export interface IdentityRecord {
  id: string;
  name: string;
  description: string;
  parentId: string | null;
  createdAt: string;
  updatedAt: string;
  awsIdentity?: { awsAccount: string; arn?: string; arnPattern?: string; userId?: string; userIdPattern?: string };
  claimMatch?: OidcRule;
  static?: OidcRule;
  user?: { issuer: string; subject: string; email?: string };
  /** A registry pull token (docs/registry.md). */
  pullToken?: { expiresAt: string };
  /** On create and update: e.g. a pattern that accepts any principal. */
  warnings?: string[];
}

/**
 * A role binding as listed: with display names. An invitation (a binding made for an email
 * before that person first logs in) has `pending: true`, `email` and `expiresAt`, no identity.
 */
export interface BindingRecord extends Omit<RoleBinding, 'identity' | 'updatedAt'> {
  identity?: string;
  updatedAt?: string;
  roleName?: string;
  identityName?: string;
  pending?: true;
  email?: string;
  expiresAt?: string;
}

export const GROUP_COLUMNS: readonly Column<Group>[] = [
  { header: 'ID', value: (g) => g.id },
  { header: 'NAME', value: (g) => g.name },
  { header: 'DESCRIPTION', value: (g) => g.description ?? '' },
];

export function identityType(i: IdentityRecord): string {
  return i.awsIdentity ? 'aws' : i.claimMatch ? 'claim_match' : i.static ? 'static' : i.user ? 'user' : i.pullToken ? 'pull_token' : '';
}

export const IDENTITY_COLUMNS: readonly Column<IdentityRecord>[] = [
  { header: 'ID', value: (i) => i.id },
  { header: 'NAME', value: (i) => i.name },
  { header: 'TYPE', value: identityType },
  { header: 'DESCRIPTION', value: (i) => i.description || i.user?.email || '' },
];

export const ROLE_COLUMNS: readonly Column<Role>[] = [
  { header: 'ID', value: (r) => r.id },
  { header: 'NAME', value: (r) => r.name },
  { header: 'TYPE', value: (r) => (r.parentId ? 'custom' : 'built-in') },
  { header: 'CAPABILITIES', value: (r) => [...(r.capabilities ?? [])].sort().join(',') },
];

export const BINDING_COLUMNS: readonly Column<BindingRecord>[] = [
  { header: 'ID', value: (b) => b.id },
  { header: 'IDENTITY', value: (b) => (b.pending ? b.email ?? '' : b.identityName ?? b.identity ?? '') },
  { header: 'ROLE', value: (b) => b.roleName ?? b.role },
  { header: 'GROUP', value: (b) => b.group },
  { header: 'STATUS', value: (b) => (b.pending ? `pending until ${b.expiresAt ?? '?'}` : 'active') },
];
