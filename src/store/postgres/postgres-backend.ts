// PostgreSQL specifics: ids compare in byte order (COLLATE "C") whatever the database's
// default collation, migrations are serialized by a transaction-scoped advisory lock, and
// SQLSTATEs / socket errors tell constraint violations from an unreachable server.

import { sql } from 'kysely';
import type { Backend, DbFailure } from '../backend.js';
import { writeHeartbeat } from '../queries/heartbeat.js';

/** Advisory lock key of `migrate()`: any constant no other application on the server uses. */
const MIGRATION_LOCK_KEY = 7_461_434_811_023;

/** Socket-level failures: the server cannot be reached. */
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
/**
 * SQLSTATEs meaning the server cannot serve us now: shutting down or starting (57P0x), a
 * statement cancelled by statement_timeout (57014), out of disk, memory or connections (53xxx),
 * read-only (a standby, 25006), a lock not available (55P03), bad credentials, no database.
 */
const REFUSED = new Set([
  '57P01', '57P02', '57P03', '57014', '53100', '53200', '53300', '25006', '55P03', '28000', '28P01', '3D000',
]);
/** pg's, pg-pool's, Kysely's and our own messages for connections that died, hung or never came. */
const PG_CONNECTION_MESSAGE = new RegExp([
  '^Connection terminated', '^timeout exceeded when trying to connect', '^Query read timeout',
  'not queryable', '^Postgres connection has been discarded', '^Client was closed',
].join('|'));

export const postgresBackend: Backend = {
  name: 'postgres',
  idType: sql`text collate "C"`,
  lockForMigration: async (trx) => {
    await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(trx);
  },
  probeWrite: (db) => writeHeartbeat(db),
  classify(err: unknown): DbFailure | undefined {
    const e = err as { code?: unknown; constraint?: unknown; message?: unknown } | null;
    const code = typeof e?.code === 'string' ? e.code : undefined;
    if (code === '23505') return { kind: 'unique', primaryKey: typeof e?.constraint === 'string' && e.constraint.endsWith('_pkey') };
    if (code === '23503') return { kind: 'foreign-key' };
    if (code !== undefined && (NETWORK.has(code) || REFUSED.has(code) || code.startsWith('08'))) return { kind: 'unavailable', code };
    if (typeof e?.message === 'string' && PG_CONNECTION_MESSAGE.test(e.message)) {
      return { kind: 'unavailable', code: e.message.startsWith('Query read timeout') ? 'QUERY_TIMEOUT'
        : e.message.startsWith('timeout exceeded') ? 'ACQUIRE_TIMEOUT' : 'CONNECTION_LOST' };
    }
    return undefined;
  },
};
