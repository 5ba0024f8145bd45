// Identities: assumable identities (a trust rule of any kind) and registry pull tokens in a
// group, and human users (root UIDPs).

import { sql, type Selectable } from 'kysely';
import type { Identity, PullTokenInfo, Relationship, TrustRule } from '../../iam/types.js';
import type { IdentityQuery } from '../contract.js';
import { pageLimit, positionConditions } from '../page.js';
import type { Db, IdentitiesTable } from '../schema.js';
import type { ConflictMessages } from '../store-error.js';

export function identityConflicts(i: Identity): ConflictMessages {
  return {
    primaryKey: `an identity with id ${i.id} already exists`,
    duplicate: 'a user identity for this issuer and subject already exists',
    missingReference: `the parent group ${i.parentId} does not exist`,
  };
}

export async function insertIdentity(db: Db, i: Identity): Promise<void> {
  await db.insertInto('identities').values(toRow(i)).execute();
}

export async function getIdentity(db: Db, id: string): Promise<Identity | undefined> {
  const row = await db.selectFrom('identities').selectAll().where('id', '=', id).executeTakeFirst();
  return row && fromRow(row);
}

export async function findUserIdentity(db: Db, issuer: string, subject: string): Promise<Identity | undefined> {
  const row = await db.selectFrom('identities').selectAll()
    .where('kind', '=', 'user').where('user_issuer', '=', issuer).where('user_subject', '=', subject)
    .executeTakeFirst();
  return row && fromRow(row);
}

export async function updateIdentity(db: Db, i: Identity): Promise<boolean> {
  const { id, ...rest } = toRow(i);
  const r = await db.updateTable('identities').set(rest).where('id', '=', id).executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function listIdentities(db: Db, q: IdentityQuery): Promise<Identity[]> {
  const rows = await db.selectFrom('identities').selectAll()
    .where((eb) => eb.and([
      ...positionConditions(q, { id: 'identities.id', parent: 'identities.parent_id' }),
      ...(q.id !== undefined ? [eb('id', '=', q.id)] : []),
      ...(q.name !== undefined ? [eb('name', '=', q.name)] : []),
      ...(q.kind !== undefined ? [eb('kind', '=', q.kind)] : []),
      ...(q.kinds !== undefined ? [q.kinds.length ? eb('kind', 'in', [...q.kinds]) : sql<boolean>`1 = 0`] : []),
    ]))
    .orderBy('id')
    .limit(pageLimit(q.limit))
    .execute();
  return rows.map(fromRow);
}

/** Deletes the identity and every binding of it; false when there was no such identity. */
export async function deleteIdentity(db: Db, id: string): Promise<boolean> {
  await db.deleteFrom('role_bindings').where('identity_id', '=', id).execute();
  const r = await db.deleteFrom('identities').where('id', '=', id).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

function toRow(i: Identity): IdentitiesTable {
  const rel = i.relationship;
  return {
    id: i.id, parent_id: i.parentId, name: i.name, description: i.description,
    kind: rel.kind,
    rule: rel.kind === 'user' ? null : rel.kind === 'pull_token' ? JSON.stringify(rel.pullToken) : JSON.stringify(ruleOf(rel)),
    user_issuer: rel.kind === 'user' ? rel.user.issuer : null,
    user_subject: rel.kind === 'user' ? rel.user.subject : null,
    user_email: rel.kind === 'user' ? rel.user.email ?? null : null,
    created_at: i.createdAt, updated_at: i.updatedAt,
  };
}

function fromRow(r: Selectable<IdentitiesTable>): Identity {
  return {
    id: r.id, parentId: r.parent_id, name: r.name, description: r.description,
    relationship: relationshipOf(r),
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

function relationshipOf(r: Selectable<IdentitiesTable>): Relationship {
  if (r.kind === 'pull_token') return { kind: 'pull_token', pullToken: JSON.parse(r.rule ?? '{}') as PullTokenInfo };
  if (r.kind !== 'user') return { kind: r.kind, [r.kind]: JSON.parse(r.rule ?? '{}') } as TrustRule;
  return {
    kind: 'user',
    user: { issuer: r.user_issuer ?? '', subject: r.user_subject ?? '', ...(r.user_email !== null ? { email: r.user_email } : {}) },
  };
}

function ruleOf(rel: TrustRule): unknown {
  switch (rel.kind) {
    case 'aws': return rel.aws;
    case 'claimMatch': return rel.claimMatch;
    case 'static': return rel.static;
  }
}
