// Capabilities, as Chainguard names them ("<resource>.<verb>"), and the built-in roles.
// A role binding grants its role's capabilities on the bound group and every descendant.

import { createHash } from 'node:crypto';

export const CAPABILITIES = [
  'groups.create', 'groups.update', 'groups.list', 'groups.delete',
  'identity.create', 'identity.update', 'identity.list', 'identity.delete',
  'roles.create', 'roles.update', 'roles.list', 'roles.delete',
  'role_bindings.create', 'role_bindings.update', 'role_bindings.list', 'role_bindings.delete',
  'audit.list',
] as const;

export type Capability = (typeof CAPABILITIES)[number];

const CAPABILITY_SET: ReadonlySet<string> = new Set(CAPABILITIES);

export function isCapability(s: unknown): s is Capability {
  return typeof s === 'string' && CAPABILITY_SET.has(s);
}

const LIST_CAPS = CAPABILITIES.filter((c) => c.endsWith('.list') && c !== 'audit.list');

/** Built-in role definitions. Their ids are stable 40-hex roots derived from the name. */
export const BUILTIN_ROLES: ReadonlyArray<{ name: string; description: string; capabilities: Capability[] }> = [
  {
    name: 'viewer',
    description: 'Read-only access: list groups, identities, roles and role bindings.',
    capabilities: [...LIST_CAPS],
  },
  {
    name: 'editor',
    description: 'Viewer, plus create, update and delete folders and identities.',
    capabilities: [
      ...LIST_CAPS,
      'groups.create', 'groups.update',
      'identity.create', 'identity.update', 'identity.delete',
    ],
  },
  {
    name: 'owner',
    description: 'Full control, including roles, role bindings, deletion of groups and the audit log.',
    capabilities: [...CAPABILITIES],
  },
];

/** The stable id of a built-in role. */
export function builtinRoleId(name: string): string {
  return createHash('sha256').update(`latchkey:builtin-role:${name}`).digest('hex').slice(0, 40);
}
