// Picks the backend from the database setting: a postgres:// URL, or a SQLite file path.

import type { Store } from './contract.js';
import type { StoreLog } from './kysely-store.js';
import { openPostgres } from './postgres/open-postgres.js';
import { openSqlite } from './sqlite/open-sqlite.js';
import { StoreHealth } from './store-health.js';

export interface StoreTimeouts {
  /** Bound on opening one PostgreSQL connection. */
  connectMs: number;
  /** Bound on waiting for a pooled PostgreSQL connection (connecting included). */
  acquireMs: number;
  /** Bound on one PostgreSQL statement (statement_timeout). */
  statementMs: number;
}

export interface OpenStoreOptions {
  /** Receives start-up notes (applied migrations, pool errors, readiness changes). Never given secrets. */
  log?: StoreLog;
  /** Default: DEFAULT_STORE_TIMEOUTS. */
  timeouts?: StoreTimeouts;
  /** Probe the database this often (ms) to keep `store.health` current; absent: no probe. */
  probeIntervalMs?: number;
}

/** The defaults of the server's --database-*-timeout settings. */
export const DEFAULT_STORE_TIMEOUTS: StoreTimeouts = { connectMs: 1000, acquireMs: 1000, statementMs: 1000 };

/**
 * Opens the store. `postgres://` and `postgresql://` URLs open PostgreSQL; anything else is a
 * SQLite file path (parent directories are created, mode 0700). Call `migrate()` next.
 *
 * @example
 *   const store = await openStore(config.database, { log: (msg, f) => logger.info(f, msg) });
 *   await store.migrate();
 */
export async function openStore(url: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const { log } = opts;
  const t = opts.timeouts ?? DEFAULT_STORE_TIMEOUTS;
  const health = new StoreHealth(Date.now, (ready, fields) => log?.(ready ? 'the database answers again' : 'the database is unavailable', fields));
  if (/^postgres(ql)?:\/\//i.test(url)) {
    return openPostgres(url, {
      log, health, probeIntervalMs: opts.probeIntervalMs,
      limits: { connectTimeoutMs: t.connectMs, acquireTimeoutMs: t.acquireMs, statementTimeoutMs: t.statementMs },
    });
  }
  return openSqlite(url, { log, health, probeIntervalMs: opts.probeIntervalMs });
}
