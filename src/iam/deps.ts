// What the IAM services receive from the composition root.
import type { CacheChange } from '../cluster/index.js';
import type { Store } from '../store/contract.js';
import type { Authorizer } from './authorizer.js';
import type { IdentityCache } from './identity-cache.js';

export interface IamDeps {
  store: Store;
  clock: () => Date;
  authorizer: Authorizer;
  /** Identity records as the exchange reads them; IAM writes invalidate it (through `changed`). */
  identityCache: IdentityCache;
  /**
   * Call after a write has committed: drops what it names from this replica's caches and tells
   * the other replicas. Never rejects.
   */
  changed(changes: CacheChange[]): Promise<void>;
  /** How long an invitation (a binding by email) can be claimed, in seconds. */
  inviteTtlSeconds: number;
}

/** Page size: 1–1000, default 1000. */
export function pageLimit(n: number | undefined): number {
  return n === undefined ? 1000 : Math.max(1, Math.min(1000, Math.floor(n)));
}
