// Kysely's better-sqlite3 dialect, except that transactions start with BEGIN IMMEDIATE.
//
// A plain (deferred) BEGIN takes the write lock only at the first write; if another process
// wrote in between, SQLite cannot upgrade the read snapshot and fails with SQLITE_BUSY at once,
// whatever busy_timeout says. BEGIN IMMEDIATE takes the write lock up front, so concurrent
// writers (another replica, a CLI command, a second `migrate()`) wait their turn instead.

import {
  CompiledQuery, SqliteDialect, SqliteDriver,
  type DatabaseConnection, type Driver, type SqliteDialectConfig,
} from 'kysely';

export class SqliteImmediateDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new SqliteImmediateDriver(this.#config);
  }
}

class SqliteImmediateDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
