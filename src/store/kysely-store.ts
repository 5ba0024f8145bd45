// The Store, for both backends: KyselyTx's queries plus transactions, migrations, ping, close.

import { sql } from 'kysely';
import type { Backend } from './backend.js';
import type { Store, StoreTx } from './contract.js';
import { KyselyTx } from './kysely-tx.js';
import { MIGRATIONS } from './migrations.js';
import { runMigrations } from './run-migrations.js';
import { toStoreError } from './store-error.js';
import type { Db } from './schema.js';

/** Structured log line: message plus fields (never secrets). */
export type StoreLog = (msg: string, fields?: object) => void;

export interface KyselyStoreOptions {
  log?: StoreLog;
  /** Connection pool usage, where there is a pool. */
  poolUsage?: () => { total: number; idle: number; waiting: number };
  /** Called after the Kysely instance is destroyed (e.g. to close a handle Kysely never opened). */
  afterClose?: () => void;
}

export class KyselyStore extends KyselyTx implements Store {
  readonly backend: 'sqlite' | 'postgres';
  readonly #opts: KyselyStoreOptions;

  constructor(db: Db, impl: Backend, opts: KyselyStoreOptions = {}) {
    super(db, impl);
    this.backend = impl.name;
    this.#opts = opts;
  }

  poolUsage(): { total: number; idle: number; waiting: number } | undefined {
    return this.#opts.poolUsage?.();
  }

  migrate(): Promise<void> {
    return this.guard(() => runMigrations(this.db, this.impl, MIGRATIONS, this.#opts.log));
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
          return await fn(new KyselyTx(trx, this.impl));
        } catch (err) {
          thrownByFn = err;
          throw err;
        }
      });
    } catch (err) {
      // fn's own errors pass through untouched (its store calls already mapped theirs);
      // BEGIN/COMMIT failures are the store's to report.
      throw err === thrownByFn ? err : toStoreError(err, this.impl);
    }
  }

  ping(): Promise<void> {
    return this.guard(async () => {
      await sql`select 1`.execute(this.db);
    });
  }

  async close(): Promise<void> {
    try {
      await this.db.destroy();
    } finally {
      this.#opts.afterClose?.();
    }
  }
}
