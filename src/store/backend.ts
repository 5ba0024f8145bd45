// What differs between SQLite and PostgreSQL once Kysely has papered over the SQL dialect:
// the id column type, how migrations are serialized, and what a driver error means.

import type { Expression } from 'kysely';
import type { Db } from './schema.js';

/** A driver error we recognize, reduced to what the store reports. */
export type DbFailure =
  | { kind: 'unique'; primaryKey: boolean }
  | { kind: 'foreign-key' }
  | { kind: 'unavailable'; code: string };

export interface Backend {
  readonly name: 'sqlite' | 'postgres';
  /** Column type of UIDP-valued columns: must compare in byte order for range scans. */
  readonly idType: Expression<unknown>;
  /** Called first inside the migration transaction; returns once no other process migrates. */
  lockForMigration(trx: Db): Promise<void>;
  /**
   * The readiness probe after writes failed (disk full, read-only): a small write that must
   * find new space, as the writes that failed did.
   */
  probeWrite(db: Db): Promise<void>;
  /** Recognizes constraint violations and connection failures; undefined for anything else. */
  classify(err: unknown): DbFailure | undefined;
}
