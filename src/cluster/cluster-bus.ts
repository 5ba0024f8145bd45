// How one replica tells the others that cached records changed. On PostgreSQL the notices
// travel by LISTEN/NOTIFY (postgres-bus.ts); SQLite is one process, so its bus does nothing.
// Caches keep their TTL as the fallback for a notice that never arrives.

/** A change that makes cached copies stale. Without `key`, every entry of that cache. */
export interface CacheChange {
  cache: 'bindings' | 'identities' | 'keys';
  key?: string;
}

/** What a subscriber is told: a change from another replica, or 'all' when notices may have been missed. */
export type BusNotice = CacheChange | 'all';

export interface ClusterBus {
  /**
   * Tells the other replicas about changes that have committed. Resolves once the notice is
   * sent; never rejects (a notice that cannot be sent is logged and left to the TTL).
   */
  publish(changes: CacheChange[]): Promise<void>;
  /** Calls `handler` for every notice from another replica, and with 'all' after a reconnect. */
  subscribe(handler: (notice: BusNotice) => void): void;
  close(): Promise<void>;
}

/** The bus of a single-process deployment (SQLite): nothing to tell anyone. */
export function localBus(): ClusterBus {
  return {
    publish: async () => {},
    subscribe: () => {},
    close: async () => {},
  };
}
