// Groups: organizations (no parent) and folders.

import type { Selectable } from 'kysely';
import type { Group } from '../../iam/types.js';
import type { GroupQuery } from '../contract.js';
import { pageLimit, positionConditions } from '../page.js';
import type { Db, GroupsTable } from '../schema.js';
import type { ConflictMessages } from '../store-error.js';

export function groupConflicts(g: Group): ConflictMessages {
  return {
    duplicate: `a group with id ${g.id} already exists`,
    missingReference: `the parent group ${g.parentId} does not exist`,
  };
}

export async function insertGroup(db: Db, g: Group): Promise<void> {
  await db.insertInto('groups').values(toRow(g)).execute();
}

export async function getGroup(db: Db, id: string): Promise<Group | undefined> {
  const row = await db.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst();
  return row && fromRow(row);
}

export async function updateGroup(db: Db, g: Group): Promise<boolean> {
  const { id, ...rest } = toRow(g);
  const r = await db.updateTable('groups').set(rest).where('id', '=', id).executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function listGroups(db: Db, q: GroupQuery): Promise<Group[]> {
  if (q.ids !== undefined && q.ids.length === 0) return [];
  const rows = await db.selectFrom('groups').selectAll()
    .where((eb) => eb.and([
      ...positionConditions(q, { id: 'groups.id', parent: 'groups.parent_id' }),
      ...(q.id !== undefined ? [eb('id', '=', q.id)] : []),
      ...(q.ids !== undefined ? [eb('id', 'in', q.ids)] : []),
      ...(q.name !== undefined ? [eb('name', '=', q.name)] : []),
      ...(q.rootsOnly ? [eb('parent_id', 'is', null)] : []),
    ]))
    .orderBy('id')
    .limit(pageLimit(q.limit))
    .execute();
  return rows.map(fromRow);
}

function toRow(g: Group): GroupsTable {
  return {
    id: g.id, parent_id: g.parentId, name: g.name, description: g.description,
    created_at: g.createdAt, updated_at: g.updatedAt,
  };
}

function fromRow(r: Selectable<GroupsTable>): Group {
  return {
    id: r.id, parentId: r.parent_id, name: r.name, description: r.description,
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}
