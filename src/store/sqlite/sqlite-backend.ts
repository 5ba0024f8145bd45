// SQLite specifics: ids are plain text (BINARY collation compares bytes), migrations are
// serialized by the write lock of their BEGIN IMMEDIATE transaction, and better-sqlite3's
// extended result codes tell constraint violations from an unusable database file.

import { sql } from 'kysely';
import type { Backend, DbFailure } from '../backend.js';
import { writeHeartbeat } from '../queries/heartbeat.js';

/** Result codes meaning the file cannot be used right now (locked, unreadable, disk full, ...). */
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|READONLY|NOTADB|CORRUPT|PERM|AUTH)/;

export const sqliteBackend: Backend = {
  name: 'sqlite',
  idType: sql`text`,
  // The migration transaction began with BEGIN IMMEDIATE: it already holds the write lock.
  lockForMigration: async () => {},
  // The WAL keeps the space of earlier transactions: a small write can fit there on a full disk
  // while real ones fail. Truncating it first makes the probe's write find new space.
  probeWrite: async (db) => {
    await sql`pragma wal_checkpoint(truncate)`.execute(db);
    await writeHeartbeat(db);
  },
  classify(err: unknown): DbFailure | undefined {
    const code = (err as { code?: unknown } | null)?.code;
    if (typeof code !== 'string') return undefined;
    if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return { kind: 'unique', primaryKey: true };
    if (code === 'SQLITE_CONSTRAINT_UNIQUE') return { kind: 'unique', primaryKey: false };
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return { kind: 'foreign-key' };
    if (UNAVAILABLE.test(code)) return { kind: 'unavailable', code };
    return undefined;
  },
};
