// Turns driver errors into the store's refusals (StoreErrorCode). Messages are public: they
// name what conflicted, never a connection string, password or row value we were not given.

import { LatchkeyError } from '../errors/latchkey-error.js';
import type { Backend } from './backend.js';
import type { StoreErrorCode } from './contract.js';
import type { StoreHealth } from './store-health.js';

/** What to tell the caller when a write hits a constraint. */
export interface ConflictMessages {
  /** A unique key other than the primary key (e.g. a role's name within its group). */
  duplicate: string;
  /** The primary key: a record with this id exists. */
  primaryKey?: string;
  /** A foreign key: something the record refers to does not exist (or was just deleted). */
  missingReference?: string;
}

/**
 * `err` as a STORE_CONFLICT/STORE_UNAVAILABLE LatchkeyError when it is one; else unchanged.
 * A STORE_UNAVAILABLE is reported to `health` (readiness goes down at once) and carries the
 * Retry-After it computes.
 */
export function toStoreError(err: unknown, backend: Backend, conflict?: ConflictMessages, health?: StoreHealth): unknown {
  if (err instanceof LatchkeyError) return err;
  const failure = backend.classify(err);
  if (!failure) return err;
  const cause = { code: failure.kind === 'unavailable' ? failure.code : undefined, reason: err instanceof Error ? err.message : String(err) };
  switch (failure.kind) {
    case 'unavailable':
      health?.unavailable(failure.code);
      return new LatchkeyError<StoreErrorCode>(
        'STORE_UNAVAILABLE', `the ${backend.name === 'sqlite' ? 'SQLite' : 'PostgreSQL'} database is unavailable`, cause,
        health?.retryAfterSeconds() ?? 1,
      );
    case 'unique':
      return new LatchkeyError<StoreErrorCode>(
        'STORE_CONFLICT',
        (failure.primaryKey ? conflict?.primaryKey : undefined) ?? conflict?.duplicate ?? 'the record conflicts with an existing one',
        cause,
      );
    case 'foreign-key':
      return new LatchkeyError<StoreErrorCode>('STORE_CONFLICT', conflict?.missingReference ?? 'the record refers to something that does not exist', cause);
  }
}
