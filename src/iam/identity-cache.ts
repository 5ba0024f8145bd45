// Identity records for the exchange's hot path, cached per replica for at most `ttlMs` (the
// same bound as cached role bindings, --authz-cache-ttl). Changes made through this replica
// (update, delete, deleting a group tree) drop the entry at once; other replicas drop it when
// the change's notice arrives (PostgreSQL), or within the TTL if the notice is lost. Only records are cached — never an STS answer, never a decision about a
// presented credential: every exchange still verifies its own signature with STS and matches
// the (cached) rule against that answer.

import type { Store } from '../store/contract.js';
import type { Identity } from './types.js';
import type { InvalidationCause } from './invalidation-cause.js';

const MAX_ENTRIES = 50_000;

export class IdentityCache {
  #entries = new Map<string, { at: number; identity: Identity }>();
  // Bumped by every invalidation: a read that was in flight across one must not be cached.
  #generation = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: () => Date,
    private readonly ttlMs: number,
    private readonly onInvalidate: (cause: InvalidationCause) => void = () => {},
  ) {}

  /** The identity `id`, at most ttlMs old; undefined when it does not exist (not cached). */
  async get(id: string): Promise<Identity | undefined> {
    const now = this.clock().getTime();
    const hit = this.#entries.get(id);
    if (hit) {
      if (now - hit.at < this.ttlMs) return hit.identity;
      this.onInvalidate('ttl');
    }
    const generation = this.#generation;
    const identity = await this.store.getIdentity(id);
    if (identity && this.ttlMs > 0 && generation === this.#generation) {
      if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
      this.#entries.set(id, { at: now, identity });
    } else {
      this.#entries.delete(id);
    }
    return identity;
  }

  /** Forget one identity, or all of them (a group tree was deleted). */
  invalidate(id?: string, cause: InvalidationCause = 'local'): void {
    this.#generation++;
    if (id === undefined) this.#entries.clear();
    else this.#entries.delete(id);
    this.onInvalidate(cause);
  }
}
