// Role bindings: an identity holds a role on a group (and everything beneath it).

import type { Selectable } from 'kysely';
import type { Capability } from '../../iam/capabilities.js';
import type { RoleBinding } from '../../iam/types.js';
import type { BindingQuery, EffectiveBinding } from '../contract.js';
import { pageLimit, positionConditions } from '../page.js';
import type { Db, RoleBindingsTable } from '../schema.js';
import type { ConflictMessages } from '../store-error.js';

export function bindingConflicts(b: RoleBinding): ConflictMessages {
  return {
    primaryKey: `a role binding with id ${b.id} already exists`,
    duplicate: 'this identity already has this role on this group',
    missingReference: 'the group, identity or role of this binding does not exist',
  };
}

export async function insertBinding(db: Db, b: RoleBinding): Promise<void> {
  await db.insertInto('role_bindings').values(toRow(b)).execute();
}

export async function getBinding(db: Db, id: string): Promise<RoleBinding | undefined> {
  const row = await db.selectFrom('role_bindings').selectAll().where('id', '=', id).executeTakeFirst();
  return row && fromRow(row);
}

export async function updateBinding(db: Db, b: RoleBinding): Promise<boolean> {
  const { id, ...rest } = toRow(b);
  const r = await db.updateTable('role_bindings').set(rest).where('id', '=', id).executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function listBindings(db: Db, q: BindingQuery): Promise<RoleBinding[]> {
  const rows = await db.selectFrom('role_bindings').selectAll()
    .where((eb) => eb.and([
      // A binding's id is a child UIDP of its group: its "parent" is the group column.
      ...positionConditions(q, { id: 'role_bindings.id', parent: 'role_bindings.group_id' }),
      ...(q.id !== undefined ? [eb('id', '=', q.id)] : []),
      ...(q.identity !== undefined ? [eb('identity_id', '=', q.identity)] : []),
      ...(q.role !== undefined ? [eb('role_id', '=', q.role)] : []),
      ...(q.group !== undefined ? [eb('group_id', '=', q.group)] : []),
    ]))
    .orderBy('id')
    .limit(pageLimit(q.limit))
    .execute();
  return rows.map(fromRow);
}

export async function deleteBinding(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('role_bindings').where('id', '=', id).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/** One index lookup on identity_id, joined to roles by primary key. */
export async function effectiveBindings(db: Db, identity: string): Promise<EffectiveBinding[]> {
  const rows = await db.selectFrom('role_bindings as b')
    .innerJoin('roles as r', 'r.id', 'b.role_id')
    .select(['b.group_id', 'b.role_id', 'r.capabilities'])
    .where('b.identity_id', '=', identity)
    .orderBy('b.id')
    .execute();
  return rows.map((r) => ({ group: r.group_id, role: r.role_id, capabilities: JSON.parse(r.capabilities) as Capability[] }));
}

function toRow(b: RoleBinding): RoleBindingsTable {
  return {
    id: b.id, group_id: b.group, identity_id: b.identity, role_id: b.role,
    created_at: b.createdAt, updated_at: b.updatedAt,
  };
}

function fromRow(r: Selectable<RoleBindingsTable>): RoleBinding {
  return {
    id: r.id, group: r.group_id, identity: r.identity_id, role: r.role_id,
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}
