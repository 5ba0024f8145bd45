// Migration 3: identities of kind claimMatch and static (OIDC workloads) beside aws and user.
// Only the CHECK on `kind` changes; their rule is JSON in `rule`, like an AWS rule.
//
// PostgreSQL replaces the constraint. SQLite cannot alter a CHECK (and foreign keys cannot be
// switched off inside the migration transaction), so the table is rebuilt: the rows of every
// table that references identities are kept aside, the new table is filled and renamed into
// place (dropping the old one cascades to those rows), and the kept rows are put back.

import { sql, type Kysely } from 'kysely';
import type { Migration, MigrationContext } from '../migrations.js';

const KINDS = sql`kind in ('aws', 'claimMatch', 'static', 'user')`;
/** The tables that reference identities as of migration 3. */
const CHILDREN = ['role_bindings', 'authorization_codes', 'device_codes', 'refresh_tokens'];

export const identityKinds: Migration = {
  version: 4,
  name: 'identity kinds claimMatch and static',
  async up(db: Kysely<any>, { backend, idType }: MigrationContext): Promise<void> {
    if (backend === 'postgres') {
      await sql`alter table identities drop constraint identities_kind_check`.execute(db);
      await sql`alter table identities add constraint identities_kind_check check (${KINDS})`.execute(db);
      return;
    }
    for (const t of CHILDREN) await sql`create temp table ${sql.id(`keep_${t}`)} as select * from ${sql.id(t)}`.execute(db);
    await db.schema.createTable('identities_3')
      .addColumn('id', idType, (c) => c.primaryKey().notNull())
      .addColumn('parent_id', idType, (c) => c.references('groups.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull().check(KINDS))
      .addColumn('rule', 'text')
      .addColumn('user_issuer', 'text')
      .addColumn('user_subject', 'text')
      .addColumn('user_email', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await sql`insert into identities_3 select * from identities`.execute(db);
    await sql`drop table identities`.execute(db);
    await sql`alter table identities_3 rename to identities`.execute(db);
    for (const t of CHILDREN) {
      await sql`insert into ${sql.id(t)} select * from ${sql.id(`keep_${t}`)}`.execute(db);
      await sql`drop table ${sql.id(`keep_${t}`)}`.execute(db);
    }
    await db.schema.createIndex('identities_parent_id_id').on('identities').columns(['parent_id', 'id']).execute();
    await db.schema.createIndex('identities_user_key').unique().on('identities')
      .columns(['user_issuer', 'user_subject']).where(sql.ref('kind'), '=', sql.lit('user')).execute();
  },
};
