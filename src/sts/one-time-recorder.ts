// Group commit for the one-time records: the exchanges that reach their one-time step in the
// same turn of the event loop share one insert (one transaction, one fsync on SQLite's durable
// commits) instead of one each. Under load many exchanges finish their STS call together, so
// batches grow with the load; an idle server inserts one record at a time with no added wait.

import type { Store } from '../store/contract.js';
import type { OneTimeKey } from './verifiers/one-time-key.js';

/** Most records in one insert (the store's cap). */
const MAX_BATCH = 500;

interface Pending {
  key: OneTimeKey;
  done: (first: boolean) => void;
  fail: (err: unknown) => void;
}

export class OneTimeRecorder {
  #queue: Pending[] = [];
  #scheduled = false;

  constructor(private readonly store: Pick<Store, 'recordPresentedCredentials'>) {}

  /** True for the one presentation that recorded `key`; false for a replay. Store errors reject. */
  record(key: OneTimeKey): Promise<boolean> {
    return new Promise((done, fail) => {
      this.#queue.push({ key, done, fail });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    while (this.#queue.length) {
      const batch = this.#queue.splice(0, MAX_BATCH);
      this.store.recordPresentedCredentials(batch.map((p) => ({ keyHash: p.key.keyHash, expiresAt: p.key.validUntil.toISOString() })))
        .then((firsts) => batch.forEach((p, i) => p.done(firsts[i] === true)), (err: unknown) => batch.forEach((p) => p.fail(err)));
    }
  }
}
