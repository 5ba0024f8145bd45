// Pending bindings: a role granted to an email address before that person first logs in.

import type { Selectable } from 'kysely';
import type { PendingBinding } from '../../iam/types.js';
import type { Db, PendingBindingsTable } from '../schema.js';
import type { ConflictMessages } from '../store-error.js';

export function pendingBindingConflicts(p: PendingBinding): ConflictMessages {
  return {
    primaryKey: `a pending binding with id ${p.id} already exists`,
    duplicate: 'this email already has this role pending on this group',
    missingReference: 'the group or role of this pending binding does not exist',
  };
}

export async function insertPendingBinding(db: Db, p: PendingBinding): Promise<void> {
  await db.insertInto('pending_bindings').values({
    id: p.id, group_id: p.group, email: p.email, role_id: p.role, created_at: p.createdAt,
  }).execute();
}

/** Pending bindings for an email and/or directly on a group, ordered by id. */
export async function listPendingBindings(db: Db, q: { email?: string; group?: string }): Promise<PendingBinding[]> {
  const rows = await db.selectFrom('pending_bindings').selectAll()
    .where((eb) => eb.and([
      ...(q.email !== undefined ? [eb('email', '=', q.email)] : []),
      ...(q.group !== undefined ? [eb('group_id', '=', q.group)] : []),
    ]))
    .orderBy('id')
    .execute();
  return rows.map(fromRow);
}

export async function deletePendingBinding(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('pending_bindings').where('id', '=', id).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

function fromRow(r: Selectable<PendingBindingsTable>): PendingBinding {
  return { id: r.id, group: r.group_id, email: r.email, role: r.role_id, createdAt: r.created_at };
}
