// Migration 6: identities of kind claimMatch and static (OpenID Connect workloads) beside aws,
// user and pull_token. Only the CHECK on `kind` changes; their rule is JSON in `rule`, like an
// AWS rule. PostgreSQL replaces the constraint; SQLite, which cannot alter a check, rebuilds the
// table and its indexes (foreign keys are off while migrations run, see run-migrations.ts).

import { sql, type Kysely } from 'kysely';
import type { Migration, MigrationContext } from '../migrations.js';

const KINDS = sql`kind in ('aws', 'claimMatch', 'static', 'user', 'pull_token')`;

export const identityKinds: Migration = {
  version: 6,
  name: 'identity kinds claimMatch and static',
  async up(db: Kysely<any>, { backend, idType }: MigrationContext): Promise<void> {
    if (backend === 'postgres') {
      await sql`alter table identities drop constraint identities_kind_check`.execute(db);
      await sql`alter table identities add constraint identities_kind_check check (${KINDS})`.execute(db);
      return;
    }
    await db.schema.createTable('identities_new')
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
    await sql`insert into identities_new (id, parent_id, name, description, kind, rule, user_issuer, user_subject, user_email, created_at, updated_at)
      select id, parent_id, name, description, kind, rule, user_issuer, user_subject, user_email, created_at, updated_at from identities`.execute(db);
    await db.schema.dropTable('identities').execute();
    await db.schema.alterTable('identities_new').renameTo('identities').execute();
    await db.schema.createIndex('identities_parent_id_id').on('identities').columns(['parent_id', 'id']).execute();
    await db.schema.createIndex('identities_user_key').unique().on('identities')
      .columns(['user_issuer', 'user_subject']).where(sql.ref('kind'), '=', sql.lit('user')).execute();
  },
};
