// The cluster bus on PostgreSQL: LISTEN on one dedicated connection, NOTIFY through a small
// pool of its own. A replica publishes after its change has committed, so a replica that
// reloads on the notice reads the new rows. Its own notices come back to it and are skipped.
//
// A listener connection that dies (server restart, pg_terminate_backend, a network cut the
// heartbeat notices) is re-established with back-off; notices sent meanwhile are lost, so on
// every re-established connection subscribers are told 'all' and drop everything they cache.

import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { BusNotice, CacheChange, ClusterBus } from './cluster-bus.js';
import { decodeNotice, encodeNotice } from './notice-payload.js';

/** The LISTEN/NOTIFY channel; any name no other application on the server uses. */
export const CHANNEL = 'latchkey_cache';
/** application_name of the listener connection (operators can find it in pg_stat_activity). */
export const LISTENER_APPLICATION = 'latchkey-listen';

const CONNECT_TIMEOUT_MS = 2_000;
const QUERY_TIMEOUT_MS = 2_000;
const HEARTBEAT_MS = 10_000;
const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 5_000;

export interface PostgresBusOptions {
  /** Log lines: connection lost, re-established, a notice that could not be sent. Never secrets. */
  log?: (level: 'info' | 'warn', msg: string, fields?: object) => void;
  /** Called each time the listener connection is (re-)established after a loss. */
  onReconnect?: () => void;
}

export class PostgresBus implements ClusterBus {
  readonly #origin = randomUUID();
  readonly #handlers: Array<(n: BusNotice) => void> = [];
  readonly #pool: pg.Pool;
  #client: pg.Client | undefined;
  #closed = false;
  #everConnected = false;
  #failures = 0;
  #retry: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly url: string, private readonly opts: PostgresBusOptions = {}) {
    this.#pool = new pg.Pool({
      // Kept open (idle connections are never closed): a notice should not wait for a handshake.
      connectionString: url, max: 2, idleTimeoutMillis: 0,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS, query_timeout: QUERY_TIMEOUT_MS,
      application_name: 'latchkey-notify',
    });
    this.#pool.on('error', () => {}); // an idle publisher connection dropped: the next publish reconnects
  }

  /** Starts listening. Resolves once listening, or after the first failed attempt (retries go on). */
  async start(): Promise<void> {
    await this.#connect();
    this.#heartbeat = setInterval(() => this.#beat(), HEARTBEAT_MS);
    this.#heartbeat.unref();
  }

  subscribe(handler: (notice: BusNotice) => void): void {
    this.#handlers.push(handler);
  }

  async publish(changes: CacheChange[]): Promise<void> {
    if (changes.length === 0 || this.#closed) return;
    try {
      await this.#pool.query('select pg_notify($1, $2)', [CHANNEL, encodeNotice(this.#origin, changes)]);
    } catch (err) {
      this.opts.log?.('warn', 'could not notify the other replicas; their caches expire by TTL', { reason: (err as Error).message });
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    clearInterval(this.#heartbeat);
    const c = this.#client;
    this.#client = undefined;
    await c?.end().catch(() => {});
    await this.#pool.end().catch(() => {});
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;
    const c = new pg.Client({
      connectionString: this.url, application_name: LISTENER_APPLICATION, keepAlive: true,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS, query_timeout: QUERY_TIMEOUT_MS,
    });
    // pg emits 'error' on a client whose connection dies: without a listener the process would crash.
    c.on('error', (err: Error & { code?: string }) => this.#lost(c, err));
    c.on('end', () => this.#lost(c));
    c.on('notification', (m) => {
      if (m.channel === CHANNEL && this.#client === c) this.#deliver(m.payload);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      c.end().catch(() => {});
      this.#lost(c, err as Error, true);
      return;
    }
    if (this.#closed) {
      await c.end().catch(() => {});
      return;
    }
    this.#client = c;
    // Anything published while we were not listening (since a loss, or since a failed first
    // attempt) was missed.
    const missed = this.#everConnected || this.#failures > 0;
    this.#failures = 0;
    if (missed) {
      this.opts.log?.('info', 'listening for cache notices again; dropping every cached record');
      this.opts.onReconnect?.();
      this.#emit('all');
    }
    this.#everConnected = true;
  }

  #lost(c: pg.Client, err?: Error & { code?: string }, neverListened = false): void {
    if (this.#closed || (!neverListened && this.#client !== c)) return;
    this.#client = undefined;
    this.#failures++;
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** (this.#failures - 1)) * (0.5 + Math.random() / 2);
    this.opts.log?.('warn', 'cache notice listener lost its connection; reconnecting (caches fall back to their TTL meanwhile)', {
      code: err?.code, reason: err?.message, retryInMs: Math.round(delay),
    });
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => void this.#connect(), delay);
    this.#retry.unref();
  }

  /** A connection cut without a FIN never errors by itself: a periodic query notices. */
  #beat(): void {
    const c = this.#client;
    if (!c) return;
    c.query('select 1').catch((err: Error) => {
      this.#lost(c, err);
      c.end().catch(() => {});
    });
  }

  #deliver(payload: string | undefined): void {
    const notice = decodeNotice(payload);
    if (notice === undefined) {
      this.#emit('all'); // unreadable: assume the worst
      return;
    }
    if (notice.origin === this.#origin) return;
    for (const change of notice.changes) this.#emit(change);
  }

  #emit(n: BusNotice): void {
    for (const h of this.#handlers) {
      try {
        h(n);
      } catch (err) {
        this.opts.log?.('warn', 'a cache notice handler failed', { reason: (err as Error).message });
      }
    }
  }
}
