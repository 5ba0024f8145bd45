// Migration 4: the registry's signing keys live beside the issuer's, told apart by `purpose`,
// each with the X.509 certificate the registry trusts it by (docs/registry.md).

import { sql, type Kysely } from 'kysely';
import type { Migration } from '../migrations.js';

export const registryKeys: Migration = {
  version: 4,
  name: 'registry signing keys',
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('signing_keys')
      .addColumn('purpose', 'text', (c) => c.notNull().defaultTo('issuer').check(sql`purpose in ('issuer', 'registry')`))
      .execute();
    await db.schema.alterTable('signing_keys').addColumn('certificate_pem', 'text').execute();
  },
};
