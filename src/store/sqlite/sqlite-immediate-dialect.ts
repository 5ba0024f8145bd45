// Kysely's better-sqlite3 dialect, except that transactions start with BEGIN IMMEDIATE and a
// failed ROLLBACK never hides why the transaction failed.
//
// A plain (deferred) BEGIN takes the write lock only at the first write; if another process
// wrote in between, SQLite cannot upgrade the read snapshot and fails with SQLITE_BUSY at once,
// whatever busy_timeout says. BEGIN IMMEDIATE takes the write lock up front, so concurrent
// writers (another replica, a CLI command, a second `migrate()`) wait their turn instead.
//
// On some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_BUSY, ...) SQLite rolls the transaction
// back by itself; Kysely's ROLLBACK then fails with "no transaction is active", and that error
// would replace the one that says what happened. The failure is reported to `onRollbackFailure`
// and the original error propagates.

import {
  CompiledQuery, SqliteDialect, SqliteDriver,
  type DatabaseConnection, type Driver, type SqliteDialectConfig,
} from 'kysely';

export interface SqliteImmediateDialectConfig extends SqliteDialectConfig {
  onRollbackFailure?: (err: unknown) => void;
}

export class SqliteImmediateDialect extends SqliteDialect {
  readonly #config: SqliteImmediateDialectConfig;

  constructor(config: SqliteImmediateDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new SqliteImmediateDriver(this.#config);
  }
}

class SqliteImmediateDriver extends SqliteDriver {
  readonly #onRollbackFailure: (err: unknown) => void;

  constructor(config: SqliteImmediateDialectConfig) {
    super(config);
    this.#onRollbackFailure = config.onRollbackFailure ?? (() => {});
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await super.rollbackTransaction(connection);
    } catch (err) {
      this.#onRollbackFailure(err);
    }
  }
}
