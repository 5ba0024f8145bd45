// Migration 1: groups, identities, roles, role bindings, pending bindings, signing keys, audit.
//
// Every UIDP-valued column has the backend's id type (byte-order comparison), so that
// "descendants of x" is the index range [x + "/", x + "0") and "children of x" is an index
// lookup on parent_id. References cascade on delete as a backstop; the store deletes
// dependent rows explicitly so that it can count them.

import { sql, type Kysely } from 'kysely';
import type { Migration, MigrationContext } from '../migrations.js';

export const initialSchema: Migration = {
  version: 1,
  name: 'initial schema',
  async up(db: Kysely<any>, { idType }: MigrationContext): Promise<void> {
    await db.schema.createTable('groups')
      .addColumn('id', idType, (c) => c.primaryKey().notNull())
      .addColumn('parent_id', idType, (c) => c.references('groups.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('groups_parent_id_id').on('groups').columns(['parent_id', 'id']).execute();

    await db.schema.createTable('identities')
      .addColumn('id', idType, (c) => c.primaryKey().notNull())
      // Null for human users, whose ids are roots.
      .addColumn('parent_id', idType, (c) => c.references('groups.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('aws', 'user')`))
      .addColumn('rule', 'text')
      .addColumn('user_issuer', 'text')
      .addColumn('user_subject', 'text')
      .addColumn('user_email', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('identities_parent_id_id').on('identities').columns(['parent_id', 'id']).execute();
    await db.schema.createIndex('identities_user_key').unique().on('identities')
      .columns(['user_issuer', 'user_subject']).where(sql.ref('kind'), '=', sql.lit('user')).execute();

    await db.schema.createTable('roles')
      .addColumn('id', idType, (c) => c.primaryKey().notNull())
      // Null for built-in roles.
      .addColumn('parent_id', idType, (c) => c.references('groups.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('capabilities', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('roles_parent_id_name_key', ['parent_id', 'name'])
      .execute();
    // The unique constraint above treats NULL parents as distinct: built-in names need their own.
    await db.schema.createIndex('roles_builtin_name_key').unique().on('roles')
      .column('name').where(sql.ref('parent_id'), 'is', null).execute();

    await db.schema.createTable('role_bindings')
      .addColumn('id', idType, (c) => c.primaryKey().notNull())
      .addColumn('group_id', idType, (c) => c.notNull().references('groups.id').onDelete('cascade'))
      .addColumn('identity_id', idType, (c) => c.notNull().references('identities.id').onDelete('cascade'))
      .addColumn('role_id', idType, (c) => c.notNull().references('roles.id').onDelete('cascade'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      // Also the index for "bindings on this group" and for group-tree deletion.
      .addUniqueConstraint('role_bindings_group_identity_role_key', ['group_id', 'identity_id', 'role_id'])
      .execute();
    // effectiveBindings(identity): one lookup, independent of the size of the tree.
    await db.schema.createIndex('role_bindings_identity_id').on('role_bindings').column('identity_id').execute();
    await db.schema.createIndex('role_bindings_role_id').on('role_bindings').column('role_id').execute();

    await db.schema.createTable('pending_bindings')
      .addColumn('id', idType, (c) => c.primaryKey().notNull())
      .addColumn('group_id', idType, (c) => c.notNull().references('groups.id').onDelete('cascade'))
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('role_id', idType, (c) => c.notNull().references('roles.id').onDelete('cascade'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('pending_bindings_group_email_role_key', ['group_id', 'email', 'role_id'])
      .execute();
    await db.schema.createIndex('pending_bindings_email').on('pending_bindings').column('email').execute();
    await db.schema.createIndex('pending_bindings_role_id').on('pending_bindings').column('role_id').execute();

    await db.schema.createTable('signing_keys')
      .addColumn('kid', 'text', (c) => c.primaryKey().notNull())
      .addColumn('alg', 'text', (c) => c.notNull())
      .addColumn('private_jwk', 'text', (c) => c.notNull())
      .addColumn('public_jwk', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('activates_at', 'text', (c) => c.notNull())
      .addColumn('retires_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();

    // No foreign keys: the audit log outlives what it describes.
    await db.schema.createTable('audit_events')
      .addColumn('id', idType, (c) => c.primaryKey().notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target', idType, (c) => c.notNull())
      .addColumn('group_id', idType)
      .addColumn('remote_addr', 'text')
      .addColumn('details', 'text', (c) => c.notNull())
      .execute();
    // Listing by group (an organization and its descendants), newest first.
    await db.schema.createIndex('audit_events_group_id_at').on('audit_events').columns(['group_id', 'at']).execute();
    await db.schema.createIndex('audit_events_target_at').on('audit_events').columns(['target', 'at']).execute();
  },
};
