// Migration 3: invitations (pending bindings by email) expire. Rows written before this
// migration never expired; they get the default lifetime (7 days) counted from their creation,
// so an old, forgotten invitation stops being claimable.

import type { Kysely } from 'kysely';
import type { Migration } from '../migrations.js';

const DEFAULT_TTL_MS = 7 * 24 * 3600 * 1000;

export const invitationExpiry: Migration = {
  version: 3,
  name: 'invitation expiry',
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('pending_bindings').addColumn('expires_at', 'text').execute();
    const rows = await db.selectFrom('pending_bindings').select(['id', 'created_at']).execute();
    for (const r of rows as { id: string; created_at: string }[]) {
      const at = new Date(Date.parse(r.created_at) + DEFAULT_TTL_MS).toISOString();
      await db.updateTable('pending_bindings').set({ expires_at: at }).where('id', '=', r.id).execute();
    }
    await db.schema.createIndex('pending_bindings_expires_at').on('pending_bindings').column('expires_at').execute();
  },
};
