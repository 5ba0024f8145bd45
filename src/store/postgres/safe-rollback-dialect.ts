// Kysely's PostgreSQL dialect, except that a failed ROLLBACK never hides why the transaction
// failed. On a connection that died mid-transaction, ROLLBACK fails too (the server already
// ended the transaction with the connection); Kysely marks that connection for discarding and
// would throw the ROLLBACK's error in place of the original one. Here the failure goes to
// `onRollbackFailure` and the original error propagates.

import { PostgresDialect, PostgresDriver, type Driver, type PostgresDialectConfig } from 'kysely';

export interface SafeRollbackPostgresDialectConfig extends PostgresDialectConfig {
  onRollbackFailure?: (err: unknown) => void;
}

export class SafeRollbackPostgresDialect extends PostgresDialect {
  readonly #config: SafeRollbackPostgresDialectConfig;

  constructor(config: SafeRollbackPostgresDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new SafeRollbackPostgresDriver(this.#config);
  }
}

class SafeRollbackPostgresDriver extends PostgresDriver {
  readonly #onRollbackFailure: (err: unknown) => void;

  constructor(config: SafeRollbackPostgresDialectConfig) {
    super(config);
    this.#onRollbackFailure = config.onRollbackFailure ?? (() => {});
  }

  override async rollbackTransaction(connection: Parameters<PostgresDriver['rollbackTransaction']>[0]): Promise<void> {
    try {
      await super.rollbackTransaction(connection);
    } catch (err) {
      this.#onRollbackFailure(err);
    }
  }
}
