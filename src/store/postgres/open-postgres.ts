// Opens a PostgreSQL database as a Store, through a pg connection pool. Connections are made
// lazily: an unreachable server shows up as STORE_UNAVAILABLE on the first call (migrate()).

import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { KyselyStore, type StoreLog } from '../kysely-store.js';
import type { Database as Schema } from '../schema.js';
import { postgresBackend } from './postgres-backend.js';

const POOL_SIZE = 10;
const CONNECT_TIMEOUT_MS = 10_000;
const IDLE_TIMEOUT_MS = 30_000;

export function openPostgres(url: string, log?: StoreLog): KyselyStore {
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    application_name: 'latchkey',
  });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', (err: Error & { code?: string }) => log?.('PostgreSQL closed an idle connection', { code: err.code, reason: err.message }));
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return new KyselyStore(db, postgresBackend, {
    log,
    poolUsage: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  });
}
