// Capabilities, as Chainguard names them ("<resource>.<verb>"), and the built-in roles.
// A role binding grants its role's capabilities on the bound group and every descendant.

import { createHash } from 'node:crypto';

export const CAPABILITIES = [
  'groups.create', 'groups.update', 'groups.list', 'groups.delete',
  'identity.create', 'identity.update', 'identity.list', 'identity.delete',
  'roles.create', 'roles.update', 'roles.list', 'roles.delete',
  'role_bindings.create', 'role_bindings.update', 'role_bindings.list', 'role_bindings.delete',
  'audit.list',
  // The container registry (docs/registry.md): on the repositories beneath the bound group.
  'repo.create', 'repo.update', 'repo.list', 'repo.delete',
  'manifest.create', 'manifest.update', 'manifest.list', 'manifest.delete',
  'tag.create', 'tag.update', 'tag.list', 'tag.delete',
  'manifest.metadata.list',
] as const;

export type Capability = (typeof CAPABILITIES)[number];

const CAPABILITY_SET: ReadonlySet<string> = new Set(CAPABILITIES);

export function isCapability(s: unknown): s is Capability {
  return typeof s === 'string' && CAPABILITY_SET.has(s);
}

const LIST_CAPS = CAPABILITIES.filter((c) => c.endsWith('.list') && c !== 'audit.list');

/** Reading images: Chainguard's registry.pull. */
const REGISTRY_PULL_CAPS: Capability[] = ['groups.list', 'repo.list', 'manifest.list', 'tag.list', 'manifest.metadata.list'];

/**
 * Writing images: Chainguard's registry.push, less groups.create (Chainguard creates folders
 * on push; a Latchkey push never creates groups).
 */
const REGISTRY_PUSH_CAPS: Capability[] = [
  ...REGISTRY_PULL_CAPS,
  'repo.create', 'repo.update', 'repo.delete',
  'manifest.create', 'manifest.update', 'manifest.delete',
  'tag.create', 'tag.update', 'tag.delete',
];

/** Built-in role definitions. Their ids are stable 40-hex roots derived from the name. */
export const BUILTIN_ROLES: ReadonlyArray<{ name: string; description: string; capabilities: Capability[] }> = [
  {
    name: 'viewer',
    description: 'Read-only access: list groups, identities, roles and role bindings, and pull images.',
    capabilities: [...LIST_CAPS],
  },
  {
    name: 'editor',
    description: 'Viewer, plus create, update and delete folders and identities, and push images.',
    capabilities: [...new Set<Capability>([
      ...LIST_CAPS,
      'groups.create', 'groups.update',
      'identity.create', 'identity.update', 'identity.delete',
      ...REGISTRY_PUSH_CAPS,
    ])],
  },
  {
    name: 'owner',
    description: 'Full control, including roles, role bindings, deletion of groups and the audit log.',
    capabilities: [...CAPABILITIES],
  },
  {
    name: 'registry.pull',
    description: 'Pull images from the repositories beneath the bound group.',
    capabilities: [...REGISTRY_PULL_CAPS],
  },
  {
    name: 'registry.push',
    description: 'Pull and push images (and delete manifests and tags) in the repositories beneath the bound group.',
    capabilities: [...REGISTRY_PUSH_CAPS],
  },
];

/** The stable id of a built-in role. */
export function builtinRoleId(name: string): string {
  return createHash('sha256').update(`latchkey:builtin-role:${name}`).digest('hex').slice(0, 40);
}
