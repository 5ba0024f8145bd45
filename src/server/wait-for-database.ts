// Start-up against a database that may not answer yet (PostgreSQL still starting, a network
// blip): open the store and migrate, retrying with back-off while the answer is
// STORE_UNAVAILABLE, one log line per attempt naming where (never a password), for at most
// `waitSeconds`; then give up with a message that says where and why.

import { setTimeout as sleep } from 'node:timers/promises';
import { LatchkeyError } from '../errors/index.js';
import { openStore, type OpenStoreOptions, type Store } from '../store/index.js';

export type StartupLog = (level: 'info' | 'warn' | 'error', msg: string, fields?: object) => void;

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5000;

/** Where a database setting points, fit for a log line: host:port/database, or the SQLite path. */
export function describeDatabase(database: string): string {
  if (!/^postgres(ql)?:\/\//i.test(database)) return database;
  try {
    const u = new URL(database);
    const host = u.hostname || u.searchParams.get('host') || 'localhost';
    return `${host}:${u.port || '5432'}/${decodeURIComponent(u.pathname.slice(1)) || '(default database)'}`;
  } catch {
    return 'the PostgreSQL URL (unparseable)';
  }
}

/** Opens and migrates the store, retrying an unavailable database for up to `waitSeconds`. */
export async function openStoreWhenReachable(
  database: string,
  opts: OpenStoreOptions & { waitSeconds: number; startupLog?: StartupLog; now?: () => number },
): Promise<Store> {
  const now = opts.now ?? Date.now;
  const where = describeDatabase(database);
  const deadline = now() + opts.waitSeconds * 1000;
  let delay = FIRST_DELAY_MS;
  for (let attempt = 1; ; attempt++) {
    let store: Store | undefined;
    try {
      store = await openStore(database, opts);
      await store.migrate();
      if (attempt > 1) opts.startupLog?.('info', 'the database answers', { database: where, attempt });
      return store;
    } catch (err) {
      await store?.close().catch(() => {});
      if (!(err instanceof LatchkeyError) || err.code !== 'STORE_UNAVAILABLE') throw err;
      const reason = String(err.detail?.code ?? err.detail?.reason ?? err.message);
      const left = deadline - now();
      if (left <= 0) {
        throw new LatchkeyError('STORE_UNAVAILABLE',
          `the database at ${where} did not answer (${reason})${opts.waitSeconds > 0 ? ` within --database-wait ${opts.waitSeconds}s` : ''}`,
          err.detail);
      }
      const wait = Math.min(delay, left);
      opts.startupLog?.('warn', 'the database does not answer; retrying', {
        database: where, attempt, reason, retryInMs: wait, giveUpInMs: left,
      });
      await sleep(wait);
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
  }
}
