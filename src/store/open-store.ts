// Picks the backend from the database setting: a postgres:// URL, or a SQLite file path.

import type { Store } from './contract.js';
import type { StoreLog } from './kysely-store.js';
import { openPostgres } from './postgres/open-postgres.js';
import { openSqlite } from './sqlite/open-sqlite.js';

export interface OpenStoreOptions {
  /** Receives start-up notes (applied migrations, pool errors). Never given secrets. */
  log?: StoreLog;
}

/**
 * Opens the store. `postgres://` and `postgresql://` URLs open PostgreSQL; anything else is a
 * SQLite file path (parent directories are created, mode 0700). Call `migrate()` next.
 *
 * @example
 *   const store = await openStore(config.database, { log: (msg, f) => logger.info(f, msg) });
 *   await store.migrate();
 */
export async function openStore(url: string, opts: OpenStoreOptions = {}): Promise<Store> {
  if (/^postgres(ql)?:\/\//i.test(url)) return openPostgres(url, opts.log);
  return openSqlite(url, opts.log);
}
