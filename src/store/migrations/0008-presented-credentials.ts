// Migration 8: presented credentials, each accepted once. A row holds only the SHA-256 of a
// credential's one-time key (never a signature or a token) and when the credential itself
// stops being valid; the primary key is the check, the expires_at index serves the sweep.

import type { Kysely } from 'kysely';
import type { Migration } from '../migrations.js';

export const presentedCredentials: Migration = {
  version: 8,
  name: 'presented credentials',
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.createTable('presented_credentials')
      .addColumn('key_hash', 'text', (c) => c.primaryKey().notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('presented_credentials_expires_at').on('presented_credentials').column('expires_at').execute();
  },
};
