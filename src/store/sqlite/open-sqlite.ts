// Opens a SQLite file as a Store: parent directories created private (0700), the file itself
// private (0600, it holds the signing keys), WAL journal, durable commits, enforced foreign keys.

import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely } from 'kysely';
import { LatchkeyError } from '../../errors/latchkey-error.js';
import type { StoreErrorCode } from '../contract.js';
import { KyselyStore, type StoreLog } from '../kysely-store.js';
import type { Database as Schema } from '../schema.js';
import type { StoreHealth } from '../store-health.js';
import { SqliteImmediateDialect } from './sqlite-immediate-dialect.js';
import { withStatementCache } from './statement-cache.js';
import { sqliteBackend } from './sqlite-backend.js';

/**
 * How long a writer waits for another process's write lock before SQLITE_BUSY. Not bounded by
 * --database-acquire-timeout: SQLite writers on one file (the server, `latchkey admin`, a second
 * replica) take turns through this wait, and a shorter one refused them under load.
 */
const BUSY_TIMEOUT_MS = 5000;

export interface SqliteOptions {
  log?: StoreLog;
  health: StoreHealth;
  probeIntervalMs?: number;
}

/** True when `path` exists but cannot be opened for writing (a read-only file or file system). */
function readOnlyFile(path: string): boolean {
  try {
    closeSync(openSync(path, 'r+'));
    return false;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'EROFS' || code === 'EACCES' || code === 'EPERM';
  }
}

/**
 * Opens (creating if needed) the SQLite database at `path`; ":memory:" for a throwaway one. A
 * database that exists but is read-only opens read-only (SQLite falls back to it by itself):
 * reads are served, writes are refused as STORE_UNAVAILABLE.
 */
export function openSqlite(path: string, opts: SqliteOptions): KyselyStore {
  const { log, health } = opts;
  let raw: Database.Database;
  try {
    if (path !== ':memory:' && !readOnlyFile(path)) {
      mkdirSync(dirname(resolve(path)), { recursive: true, mode: 0o700 });
      closeSync(openSync(path, 'a', 0o600)); // creates it 0600; SQLite gives -wal/-shm the same mode
    }
    raw = new Database(path);
    if (raw.readonly) log?.('the SQLite database is read-only: reads are served, writes are refused', { path });
    raw.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const mode = raw.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal' && path !== ':memory:') log?.('SQLite could not enable WAL; using its default journal', { path, mode });
    raw.pragma('synchronous = FULL');
    raw.pragma('foreign_keys = ON');
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new LatchkeyError<StoreErrorCode>('STORE_UNAVAILABLE', `cannot open the SQLite database at ${path}`, {
      code, reason: err instanceof Error ? err.message : String(err),
    });
  }
  const onRollbackFailure = (err: unknown) => {
    health.rollbackFailed();
    // SQLite already rolled back by itself (SQLITE_FULL, SQLITE_IOERR, ...): nothing is left open.
    if (raw.inTransaction) log?.('SQLite ROLLBACK failed; the transaction is still open', { reason: String(err) });
  };
  const db = new Kysely<Schema>({ dialect: new SqliteImmediateDialect({ database: withStatementCache(raw), onRollbackFailure }) });
  // Kysely closes the handle only if it ever used it.
  return new KyselyStore(db, sqliteBackend, {
    log, health, probeIntervalMs: opts.probeIntervalMs, afterClose: () => { if (raw.open) raw.close(); },
  });
}
