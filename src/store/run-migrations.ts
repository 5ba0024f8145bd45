// Applies pending migrations in one transaction that first makes every other migrating
// process wait (PostgreSQL: advisory lock; SQLite: BEGIN IMMEDIATE's write lock), then records
// each applied version in latchkey_migrations. Two replicas starting at once: the second
// waits, then finds nothing left to do.
// On SQLite, foreign keys are off while migrations run (SQLite's own procedure for rebuilding
// a table: with them on, dropping the old table would cascade), and PRAGMA foreign_key_check
// must find nothing before the transaction commits.

import { sql, type Kysely } from 'kysely';
import type { Backend } from './backend.js';
import type { Migration } from './migrations.js';
import type { Db } from './schema.js';

export async function runMigrations(
  db: Db,
  backend: Backend,
  migrations: readonly Migration[],
  log?: (msg: string, fields?: object) => void,
): Promise<void> {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new TypeError(`migration "${m.name}" has version ${m.version}, expected ${i + 1}`);
  });
  // Nothing to apply (the common start): no write transaction, so a replica does not queue for
  // the write lock, and a read-only database still opens (its writes are refused later).
  if (await allApplied(db, migrations)) return;
  const sqlite = backend.name === 'sqlite';
  if (sqlite) await sql`PRAGMA foreign_keys = OFF`.execute(db);
  try {
    await migrateInTransaction(db, backend, migrations, log);
  } finally {
    if (sqlite) await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
}

async function migrateInTransaction(
  db: Db,
  backend: Backend,
  migrations: readonly Migration[],
  log?: (msg: string, fields?: object) => void,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await backend.lockForMigration(trx);
    await trx.schema.createTable('latchkey_migrations').ifNotExists()
      .addColumn('version', 'integer', (c) => c.primaryKey().notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .execute();
    const applied = new Set((await trx.selectFrom('latchkey_migrations').select('version').execute()).map((r) => Number(r.version)));
    const newest = Math.max(0, ...applied);
    if (newest > migrations.length) {
      log?.('the database schema is newer than this version of Latchkey knows', { database: newest, known: migrations.length });
    }
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      await m.up(trx as Kysely<any>, { backend: backend.name, idType: backend.idType });
      await trx.insertInto('latchkey_migrations')
        .values({ version: m.version, name: m.name, applied_at: new Date().toISOString() })
        .execute();
      log?.('applied migration', { backend: backend.name, version: m.version, name: m.name });
    }
    if (backend.name === 'sqlite') {
      const broken = (await sql`PRAGMA foreign_key_check`.execute(trx)).rows;
      if (broken.length) throw new Error(`migration left ${broken.length} rows with broken foreign keys: rolled back`);
    }
  });
}

/** True when every migration is recorded as applied (false when the table does not exist yet). */
async function allApplied(db: Db, migrations: readonly Migration[]): Promise<boolean> {
  let rows: Array<{ version: number }>;
  try {
    rows = await db.selectFrom('latchkey_migrations').select('version').execute();
  } catch {
    return false; // no table yet: the transaction creates it
  }
  const applied = new Set(rows.map((r) => Number(r.version)));
  // A newer schema than we know goes the long way, to be logged.
  return migrations.every((m) => applied.has(m.version)) && applied.size === migrations.length;
}
