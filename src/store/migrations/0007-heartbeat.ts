// Migration 7: a one-row table the readiness probe writes to after writes failed (a full disk,
// a read-only file): `select 1` still answers then, so only a write tells that the fault is over.

import type { Kysely } from 'kysely';
import type { Migration } from '../migrations.js';

export const heartbeat: Migration = {
  version: 7,
  name: 'heartbeat',
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.createTable('latchkey_heartbeat')
      .addColumn('id', 'integer', (c) => c.primaryKey().notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
  },
};
