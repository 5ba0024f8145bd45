// Records as served: camelCase JSON as chainguard's protojson, relationship flattened.

import type { Identity } from '../iam/index.js';

export function identityToWire(i: Identity): Record<string, unknown> {
  const base = { id: i.id, name: i.name, description: i.description, parentId: i.parentId, createdAt: i.createdAt, updatedAt: i.updatedAt };
  switch (i.relationship.kind) {
    case 'aws': return { ...base, awsIdentity: { ...i.relationship.aws } };
    case 'user': return { ...base, user: { ...i.relationship.user } };
    // The secret's hash stays on the server.
    case 'pull_token': return { ...base, pullToken: { expiresAt: i.relationship.pullToken.expiresAt } };
  }
}
