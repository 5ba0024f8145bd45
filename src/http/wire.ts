// Records as served: camelCase JSON as chainguard's protojson, relationship flattened.

import type { Identity } from '../iam/index.js';

export function identityToWire(i: Identity): Record<string, unknown> {
  const base = { id: i.id, name: i.name, description: i.description, parentId: i.parentId, createdAt: i.createdAt, updatedAt: i.updatedAt };
  return i.relationship.kind === 'aws'
    ? { ...base, awsIdentity: { ...i.relationship.aws } }
    : { ...base, user: { ...i.relationship.user } };
}
