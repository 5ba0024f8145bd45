// The Store, for both backends: KyselyTx's queries plus transactions, migrations, ping, close,
// and the readiness probe that keeps `health` current.

import { sql } from 'kysely';
import type { Backend } from './backend.js';
import type { Store, StoreTx } from './contract.js';
import { KyselyTx } from './kysely-tx.js';
import { MIGRATIONS } from './migrations.js';
import { runMigrations } from './run-migrations.js';
import { toStoreError } from './store-error.js';
import { StoreHealth } from './store-health.js';
import type { Db } from './schema.js';

/** Structured log line: message plus fields (never secrets). */
export type StoreLog = (msg: string, fields?: object) => void;

export interface KyselyStoreOptions {
  log?: StoreLog;
  /** Connection pool usage, where there is a pool. */
  poolUsage?: () => { total: number; idle: number; waiting: number };
  /** Called after the Kysely instance is destroyed (e.g. to close a handle Kysely never opened). */
  afterClose?: () => void;
  /** The health the backend's driver also reports to (failed rollbacks); default: a new one. */
  health?: StoreHealth;
  /** A handle for migrate() alone, destroyed after it (PostgreSQL: one without statement timeout). */
  openMigrationDb?: () => Db;
  /** Probe the database every this many ms while the store is open (0 or absent: never). */
  probeIntervalMs?: number;
}

/** A probe that has not answered within this long marks the store unready (it goes on waiting). */
const MAX_PROBE_WAIT_MS = 1000;

export class KyselyStore extends KyselyTx implements Store {
  readonly backend: 'sqlite' | 'postgres';
  declare readonly health: StoreHealth;
  readonly #opts: KyselyStoreOptions;
  #probeTimer: NodeJS.Timeout | undefined;
  #probing = false;

  constructor(db: Db, impl: Backend, opts: KyselyStoreOptions = {}) {
    super(db, impl, opts.health ?? new StoreHealth());
    this.backend = impl.name;
    this.#opts = opts;
    const every = opts.probeIntervalMs ?? 0;
    if (every > 0) {
      this.#probeTimer = setInterval(() => this.#probe(Math.min(every, MAX_PROBE_WAIT_MS)), every);
      this.#probeTimer.unref();
    }
  }

  poolUsage(): { total: number; idle: number; waiting: number } | undefined {
    return this.#opts.poolUsage?.();
  }

  async migrate(): Promise<void> {
    const db = this.#opts.openMigrationDb?.() ?? this.db;
    try {
      await this.guard(() => runMigrations(db, this.impl, MIGRATIONS, this.#opts.log));
    } finally {
      if (db !== this.db) await db.destroy();
    }
  }

  /**
   * Runs `fn` in one transaction: all of it commits, or none of it. Inside `fn`, use only `tx`:
   * on SQLite the store has one connection, and a call on the store itself waits for `fn`.
   */
  async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    let thrownByFn: unknown;
    try {
      return await this.db.transaction().execute(async (trx) => {
        try {
          return await fn(new KyselyTx(trx, this.impl, this.health));
        } catch (err) {
          thrownByFn = err;
          throw err;
        }
      });
    } catch (err) {
      // fn's own errors pass through untouched (its store calls already mapped theirs);
      // BEGIN/COMMIT failures are the store's to report.
      throw err === thrownByFn ? err : toStoreError(err, this.impl, undefined, this.health);
    }
  }

  ping(): Promise<void> {
    return this.guard(async () => {
      await sql`select 1`.execute(this.db);
    });
  }

  async close(): Promise<void> {
    if (this.#probeTimer) clearInterval(this.#probeTimer);
    try {
      await this.db.destroy();
    } finally {
      this.#opts.afterClose?.();
    }
  }

  /** One probe: `select 1`, or a one-row write when writes were what failed. */
  #probe(maxWaitMs: number): void {
    if (this.#probing) return;
    this.#probing = true;
    const slow = setTimeout(() => this.health.probeFailed('PROBE_TIMEOUT'), maxWaitMs);
    const probe = this.health.needsWriteProbe ? this.guard(() => this.impl.probeWrite(this.db)) : this.ping();
    probe.then(
      () => {
        clearTimeout(slow);
        this.health.probeSucceeded();
      },
      (err: unknown) => {
        clearTimeout(slow);
        this.health.probeFailed((err as { detail?: { code?: unknown } }).detail?.code as string ?? 'PROBE_FAILED');
      },
    ).finally(() => {
      this.#probing = false;
    });
  }
}
