// Migration 2: human login — login states, authorization codes, device codes, refresh tokens.
// Secrets are stored only as SHA-256 hex (the *_hash keys). Codes and tokens of a person are
// deleted with that person's identity. Every table has an index for the expiry sweep.

import { sql, type Kysely } from 'kysely';
import type { Migration, MigrationContext } from '../migrations.js';

export const humanLogin: Migration = {
  version: 2,
  name: 'human login',
  async up(db: Kysely<any>, { idType }: MigrationContext): Promise<void> {
    await db.schema.createTable('login_states')
      .addColumn('state_hash', 'text', (c) => c.primaryKey().notNull())
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('nonce', 'text', (c) => c.notNull())
      .addColumn('code_verifier', 'text', (c) => c.notNull())
      .addColumn('browser_hash', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('login_states_expires_at').on('login_states').column('expires_at').execute();

    await db.schema.createTable('authorization_codes')
      .addColumn('code_hash', 'text', (c) => c.primaryKey().notNull())
      .addColumn('identity_id', idType, (c) => c.notNull().references('identities.id').onDelete('cascade'))
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('redirect_uri', 'text', (c) => c.notNull())
      .addColumn('code_challenge', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('authorization_codes_expires_at').on('authorization_codes').column('expires_at').execute();
    await db.schema.createIndex('authorization_codes_identity_id').on('authorization_codes').column('identity_id').execute();

    await db.schema.createTable('device_codes')
      .addColumn('device_code_hash', 'text', (c) => c.primaryKey().notNull())
      .addColumn('user_code_hash', 'text', (c) => c.notNull().unique())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'approved', 'denied')`))
      .addColumn('identity_id', idType, (c) => c.references('identities.id').onDelete('cascade'))
      .addColumn('poll_interval', 'integer', (c) => c.notNull())
      .addColumn('last_polled_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('device_codes_expires_at').on('device_codes').column('expires_at').execute();
    await db.schema.createIndex('device_codes_identity_id').on('device_codes').column('identity_id').execute();

    await db.schema.createTable('refresh_tokens')
      .addColumn('token_hash', 'text', (c) => c.primaryKey().notNull())
      .addColumn('family_id', 'text', (c) => c.notNull())
      .addColumn('identity_id', idType, (c) => c.notNull().references('identities.id').onDelete('cascade'))
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('family_expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('refresh_tokens_family_id').on('refresh_tokens').column('family_id').execute();
    await db.schema.createIndex('refresh_tokens_family_expires_at').on('refresh_tokens').column('family_expires_at').execute();
    await db.schema.createIndex('refresh_tokens_identity_id').on('refresh_tokens').column('identity_id').execute();
  },
};
