// Roles: built-in (no parent) and custom roles defined in a group.

import type { Selectable } from 'kysely';
import type { Capability } from '../../iam/capabilities.js';
import type { Role } from '../../iam/types.js';
import type { RoleQuery } from '../contract.js';
import { pageLimit, positionConditions } from '../page.js';
import type { Db, RolesTable } from '../schema.js';
import type { ConflictMessages } from '../store-error.js';

export function roleConflicts(r: Role): ConflictMessages {
  return {
    primaryKey: `a role with id ${r.id} already exists`,
    duplicate: r.parentId === null
      ? `a built-in role named ${JSON.stringify(r.name)} already exists`
      : `a role named ${JSON.stringify(r.name)} already exists in this group`,
    missingReference: `the parent group ${r.parentId} does not exist`,
  };
}

export async function insertRole(db: Db, r: Role): Promise<void> {
  await db.insertInto('roles').values(toRow(r)).execute();
}

export async function getRole(db: Db, id: string): Promise<Role | undefined> {
  const row = await db.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
  return row && fromRow(row);
}

export async function updateRole(db: Db, r: Role): Promise<boolean> {
  const { id, ...rest } = toRow(r);
  const res = await db.updateTable('roles').set(rest).where('id', '=', id).executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

export async function listRoles(db: Db, q: RoleQuery): Promise<Role[]> {
  const rows = await db.selectFrom('roles').selectAll()
    .where((eb) => eb.and([
      ...positionConditions(q, { id: 'roles.id', parent: 'roles.parent_id' }),
      ...(q.id !== undefined ? [eb('id', '=', q.id)] : []),
      ...(q.name !== undefined ? [eb('name', '=', q.name)] : []),
      ...(q.builtinOnly ? [eb('parent_id', 'is', null)] : []),
      ...(q.visibleFrom !== undefined
        ? [eb.or([
          eb('parent_id', 'is', null),
          ...(q.visibleFrom.length ? [eb('parent_id', 'in', q.visibleFrom)] : []),
        ])]
        : []),
    ]))
    .orderBy('id')
    .limit(pageLimit(q.limit))
    .execute();
  return rows.map(fromRow);
}

/** Deletes the role and every binding (and pending binding) to it; false when there was none. */
export async function deleteRole(db: Db, id: string): Promise<boolean> {
  await db.deleteFrom('role_bindings').where('role_id', '=', id).execute();
  await db.deleteFrom('pending_bindings').where('role_id', '=', id).execute();
  const r = await db.deleteFrom('roles').where('id', '=', id).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

function toRow(r: Role): RolesTable {
  return {
    id: r.id, parent_id: r.parentId, name: r.name, description: r.description,
    capabilities: JSON.stringify(r.capabilities),
    created_at: r.createdAt, updated_at: r.updatedAt,
  };
}

function fromRow(r: Selectable<RolesTable>): Role {
  return {
    id: r.id, parentId: r.parent_id, name: r.name, description: r.description,
    capabilities: JSON.parse(r.capabilities) as Capability[],
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}
