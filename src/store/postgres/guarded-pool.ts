// A pg connection pool as Kysely's PostgresPool, made safe for a database that goes away:
// - every client always has an 'error' listener (pg-pool removes its own while a client is
//   checked out, and an 'error' event nobody listens to ends the process);
// - every wait is bounded: connecting (connectTimeoutMs), waiting for a pooled connection
//   (acquireTimeoutMs), and each statement (statement_timeout on the server, plus a client-side
//   read timeout a little longer, for a server that is frozen and will not cancel anything);
// - a connection that failed below SQL (reset, timed out, terminated) is never reused: its
//   later queries fail at once, and on release it is destroyed and the pool makes a new one.

import pg from 'pg';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type { StoreLog } from '../kysely-store.js';

export interface PoolLimits {
  size: number;
  connectTimeoutMs: number;
  acquireTimeoutMs: number;
  /** 0: no statement timeout (migrations). */
  statementTimeoutMs: number;
}

/** Grace past statement_timeout before the client stops waiting for the server to cancel. */
const READ_TIMEOUT_GRACE_MS = 150;

/** The error a query on a connection already known broken fails with (classified unavailable). */
const BROKEN = 'Connection terminated: an earlier failure broke this connection';

/** Opens a guarded pool. Connections are made lazily. */
export function guardedPool(url: string, limits: PoolLimits, log?: StoreLog): PostgresPool & { pool: pg.Pool } {
  const connectTimeoutMs = limits.connectTimeoutMs;
  // pg-pool gives its own options to every client; a connection attempt gets its own bound.
  class BoundedClient extends pg.Client {
    constructor(config?: pg.ClientConfig) {
      super({ ...config, connectionTimeoutMillis: connectTimeoutMs });
    }
  }
  const statement = limits.statementTimeoutMs;
  const pool = new pg.Pool({
    connectionString: url,
    max: limits.size,
    connectionTimeoutMillis: limits.acquireTimeoutMs,
    idleTimeoutMillis: 30_000,
    application_name: 'latchkey',
    Client: BoundedClient,
    ...(statement > 0 ? { statement_timeout: statement, query_timeout: statement + READ_TIMEOUT_GRACE_MS } : {}),
  });
  const broken = new WeakSet<pg.ClientBase>();
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', (err: Error & { code?: string }) => log?.('PostgreSQL closed an idle connection', { code: err.code, reason: err.message }));
  pool.on('connect', (client) => {
    client.on('error', () => broken.add(client));
  });
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    let w = wrappers.get(client);
    if (w) return w;
    w = {
      query: ((sqlOrCursor: string | object, params?: ReadonlyArray<unknown>) => {
        if (typeof sqlOrCursor !== 'string') return client.query(sqlOrCursor as never);
        if (broken.has(client)) return Promise.reject(new Error(BROKEN));
        return client.query(sqlOrCursor, params as unknown[]).catch((err: unknown) => {
          if (breaksConnection(err)) broken.add(client);
          throw err;
        });
      }) as PostgresPoolClient['query'],
      release(destroy?: boolean) {
        if (destroy || broken.has(client)) {
          // A frozen server never answers the polite goodbye pg-pool sends: close the socket.
          (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
          client.release(new Error(BROKEN));
        } else {
          client.release();
        }
      },
    };
    wrappers.set(client, w);
    return w;
  };
  return {
    pool,
    connect: async () => wrap(await pool.connect()),
    end: () => pool.end(),
  };
}

/** True for failures below SQL: the connection cannot be trusted with another statement. */
function breaksConnection(err: unknown): boolean {
  if (err instanceof pg.DatabaseError) return err.severity === 'FATAL' || err.severity === 'PANIC';
  return true;
}
