// Deleting a group deletes everything beneath it and every binding that refers to any of it.
// Run inside one transaction (the caller's, or one of its own: see KyselyTx).

import type { DeletedTree } from '../contract.js';
import { inTree } from '../page.js';
import type { Db } from '../schema.js';

/**
 * Deletes group `id`, its descendant groups, the identities and roles defined in them, the
 * pending bindings on them, and every binding that is on one of the groups OR binds one of the
 * deleted identities or roles (wherever that binding is, e.g. in an ancestor). Each step is an
 * index range or lookup; the foreign keys (ON DELETE CASCADE) are the backstop, not the plan.
 */
export async function deleteGroupTree(db: Db, id: string): Promise<DeletedTree> {
  const deadIdentities = db.selectFrom('identities').select('id').where((eb) => inTree(eb.ref('parent_id'), id));
  const deadRoles = db.selectFrom('roles').select('id').where((eb) => inTree(eb.ref('parent_id'), id));

  const onGroups = await db.deleteFrom('role_bindings').where((eb) => inTree(eb.ref('group_id'), id)).executeTakeFirst();
  const ofIdentities = await db.deleteFrom('role_bindings').where('identity_id', 'in', deadIdentities).executeTakeFirst();
  const toRoles = await db.deleteFrom('role_bindings').where('role_id', 'in', deadRoles).executeTakeFirst();
  await db.deleteFrom('pending_bindings')
    .where((eb) => eb.or([inTree(eb.ref('group_id'), id), eb('role_id', 'in', deadRoles)]))
    .execute();
  const identities = await db.deleteFrom('identities').where((eb) => inTree(eb.ref('parent_id'), id)).executeTakeFirst();
  const roles = await db.deleteFrom('roles').where((eb) => inTree(eb.ref('parent_id'), id)).executeTakeFirst();
  // Counted before deleting: SQLite does not count the rows its cascades remove, and deleting
  // a folder before its subfolders cascades to them.
  const { groups } = await db.selectFrom('groups').select((eb) => eb.fn.countAll<number | string>().as('groups'))
    .where((eb) => inTree(eb.ref('id'), id)).executeTakeFirstOrThrow();
  await db.deleteFrom('groups').where((eb) => inTree(eb.ref('id'), id)).execute();
  return {
    groups: Number(groups),
    identities: Number(identities.numDeletedRows),
    roles: Number(roles.numDeletedRows),
    bindings: Number(onGroups.numDeletedRows + ofIdentities.numDeletedRows + toRoles.numDeletedRows),
  };
}
