// Opens a PostgreSQL database as a Store, through a guarded pg connection pool (bounded waits,
// broken connections replaced). Connections are made lazily: an unreachable server shows up as
// STORE_UNAVAILABLE on the first call (migrate()).

import { Kysely } from 'kysely';
import { KyselyStore, type StoreLog } from '../kysely-store.js';
import type { Database as Schema } from '../schema.js';
import type { StoreHealth } from '../store-health.js';
import { guardedPool, type PoolLimits } from './guarded-pool.js';
import { postgresBackend } from './postgres-backend.js';
import { SafeRollbackPostgresDialect } from './safe-rollback-dialect.js';

export interface PostgresOptions {
  log?: StoreLog;
  health: StoreHealth;
  limits: Omit<PoolLimits, 'size'>;
  probeIntervalMs?: number;
}

const POOL_SIZE = 10;

export function openPostgres(url: string, opts: PostgresOptions): KyselyStore {
  const { log, health } = opts;
  const onRollbackFailure = (err: unknown) => {
    health.rollbackFailed();
    log?.('PostgreSQL ROLLBACK failed; the connection is discarded', { reason: err instanceof Error ? err.message : String(err) });
  };
  const open = (limits: PoolLimits) => {
    const guarded = guardedPool(url, limits, log);
    return { guarded, db: new Kysely<Schema>({ dialect: new SafeRollbackPostgresDialect({ pool: guarded, onRollbackFailure }) }) };
  };
  const { guarded: { pool }, db } = open({ ...opts.limits, size: POOL_SIZE });
  return new KyselyStore(db, postgresBackend, {
    log,
    health,
    poolUsage: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    probeIntervalMs: opts.probeIntervalMs,
    // Migrations may legitimately run longer than any request should: one connection, no statement timeout.
    openMigrationDb: () => open({ ...opts.limits, size: 1, statementTimeoutMs: 0 }).db,
  });
}
