// Invitations (pending bindings): a role granted to an email address before that person first
// logs in. Listed like role bindings (ordered by id, keyset paging, position filters).

import type { Selectable } from 'kysely';
import type { PendingBinding } from '../../iam/types.js';
import type { PendingBindingQuery } from '../contract.js';
import { pageLimit, positionConditions } from '../page.js';
import type { Db, PendingBindingsTable } from '../schema.js';
import type { ConflictMessages } from '../store-error.js';

export function pendingBindingConflicts(p: PendingBinding): ConflictMessages {
  return {
    primaryKey: `an invitation with id ${p.id} already exists`,
    duplicate: `${p.email} is already invited to this role on this group; delete that invitation first to send another`,
    missingReference: 'the group or role of this invitation does not exist',
  };
}

export async function insertPendingBinding(db: Db, p: PendingBinding): Promise<void> {
  await db.insertInto('pending_bindings').values({
    id: p.id, group_id: p.group, email: p.email, role_id: p.role, created_at: p.createdAt, expires_at: p.expiresAt,
  }).execute();
}

export async function getPendingBinding(db: Db, id: string): Promise<PendingBinding | undefined> {
  const row = await db.selectFrom('pending_bindings').selectAll().where('id', '=', id).executeTakeFirst();
  return row && fromRow(row);
}

/** Invitations matching `q`, ordered by id. */
export async function listPendingBindings(db: Db, q: PendingBindingQuery): Promise<PendingBinding[]> {
  const rows = await db.selectFrom('pending_bindings').selectAll()
    .where((eb) => eb.and([
      ...positionConditions(q, { id: 'pending_bindings.id', parent: 'pending_bindings.group_id' }),
      ...(q.email !== undefined ? [eb('email', '=', q.email)] : []),
      ...(q.group !== undefined ? [eb('group_id', '=', q.group)] : []),
      ...(q.role !== undefined ? [eb('role_id', '=', q.role)] : []),
      ...(q.expiredAt !== undefined ? [eb('expires_at', '<=', q.expiredAt)] : []),
    ]))
    .orderBy('id')
    .limit(pageLimit(q.limit))
    .execute();
  return rows.map(fromRow);
}

export async function deletePendingBinding(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('pending_bindings').where('id', '=', id).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

function fromRow(r: Selectable<PendingBindingsTable>): PendingBinding {
  return {
    id: r.id, group: r.group_id, email: r.email, role: r.role_id, createdAt: r.created_at,
    // Every row has one since migration 3; a null would be a row written around it: expired.
    expiresAt: r.expires_at ?? r.created_at,
  };
}
