// Records as served: camelCase JSON as chainguard's protojson, relationship flattened.

import type { Identity } from '../iam/index.js';

export function identityToWire(i: Identity): Record<string, unknown> {
  const base = { id: i.id, name: i.name, description: i.description, parentId: i.parentId, createdAt: i.createdAt, updatedAt: i.updatedAt };
  const rel = i.relationship;
  switch (rel.kind) {
    case 'aws': return { ...base, awsIdentity: { ...rel.aws } };
    case 'claimMatch': return { ...base, claimMatch: { ...rel.claimMatch } };
    case 'static': return { ...base, static: { ...rel.static } };
    case 'user': return { ...base, user: { ...rel.user } };
    // The secret's hash stays on the server.
    case 'pull_token': return { ...base, pullToken: { expiresAt: rel.pullToken.expiresAt } };
  }
}
