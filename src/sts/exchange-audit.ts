// Audit records for exchanges, granted and refused. The exchange is the hot path, so events
// are queued and written in one transaction per flush (every `intervalMs`, or when `maxBatch`
// are queued, and on close) instead of one durable commit per request. What is at risk on a
// hard crash is at most one interval of exchange records; IAM changes are never batched.
//
// When the database is away, a failed batch is kept (in memory, oldest first) and retried with
// back-off until it is written; batches are written with "skip ids already stored", so a batch
// whose commit did land before the connection died is not written twice. Past `maxPending`
// records the oldest are dropped: counted in `droppedTotal` and logged.
//
// Within a flush, rows go in statements of `chunk` events with a turn of the event loop
// between them: better-sqlite3 runs each statement synchronously, and one statement of 500
// rows held every in-flight exchange for 6-11 ms (the SQLite p99 in bench/README.md).

import type { AuditEvent } from '../iam/index.js';
import { isUidp, newAuditEventId, rootOf } from '../iam/index.js';
import type { Store } from '../store/contract.js';

export interface ExchangeAuditEntry {
  identity: unknown;
  remoteAddr: string | null;
  granted: boolean;
  /** Refusal code, when refused. */
  code?: string;
  /** Private detail (never a token or secret): the failing check, the caller's Arn, ... */
  details: Record<string, unknown>;
}

export interface ExchangeAuditOptions {
  /** Write what is queued this long after the first record (default 250 ms). */
  intervalMs?: number;
  /** Write at once when this many are queued (default 500). */
  maxBatch?: number;
  /** Rows per statement (default 32). */
  chunk?: number;
  /** Records kept while the database is away; past this the oldest are dropped (default 50,000). */
  maxPending?: number;
  /** Longest wait between two attempts while the database is away (default 2000 ms). */
  maxRetryDelayMs?: number;
}

/** Where the audit writer reports a failed write or dropped records (the server's log). */
export type ExchangeAuditLog = (level: 'warn' | 'error', msg: string, fields: object) => void;

export class ExchangeAudit {
  /** Records dropped since start: the database was away for longer than `maxPending` records. */
  droppedTotal = 0;
  /** Records written since start. */
  writtenTotal = 0;
  #queue: AuditEvent[] = [];
  #inFlight = 0;
  #failures = 0;
  #droppedSinceLog = 0;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  readonly #o: Required<ExchangeAuditOptions>;

  constructor(
    private readonly store: Store,
    private readonly clock: () => Date,
    private readonly log: ExchangeAuditLog,
    opts: ExchangeAuditOptions = {},
  ) {
    this.#o = { intervalMs: 250, maxBatch: 500, chunk: 32, maxPending: 50_000, maxRetryDelayMs: 2000, ...opts };
  }

  /** Records not yet written (queued, being written, or waiting for the database). */
  get pending(): number {
    return this.#queue.length + this.#inFlight;
  }

  record(e: ExchangeAuditEntry): void {
    const identity = isUidp(e.identity) ? e.identity : null;
    this.#queue.push({
      id: newAuditEventId(),
      at: this.clock().toISOString(),
      actor: identity ?? 'anonymous',
      action: e.granted ? 'sts.exchange' : 'sts.exchange.denied',
      target: identity ?? '',
      group: identity ? rootOf(identity) : null,
      remoteAddr: e.remoteAddr,
      details: e.code ? { code: e.code, ...e.details } : e.details,
    });
    this.#bound();
    // While the database is away, only the retry timer writes: records do not hammer it.
    if (this.#failures === 0 && this.#queue.length >= this.#o.maxBatch) void this.flush();
    else this.#schedule();
  }

  /** Writes everything queued so far in one transaction, `chunk` rows per statement. */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length === 0) return this.#flushing;
    this.#inFlight += batch.length;
    this.#flushing = this.#flushing.then(async () => {
      try {
        await this.store.transaction(async (tx) => {
          for (let i = 0; i < batch.length; i += this.#o.chunk) {
            if (i > 0) await nextTurn();
            await tx.insertAudits(batch.slice(i, i + this.#o.chunk), { skipExisting: true });
          }
        });
        this.#inFlight -= batch.length;
        this.writtenTotal += batch.length;
        if (this.#failures > 0) this.log('warn', 'exchange audit records written after the database came back', { written: batch.length });
        this.#failures = 0;
      } catch (err) {
        this.#inFlight -= batch.length;
        this.#failures++;
        this.#queue = batch.concat(this.#queue);
        this.#bound();
        this.log('error', 'exchange audit write failed; records kept and retried', { err, pending: this.#queue.length });
        this.#schedule();
      }
      this.#logDropped();
    });
    return this.#flushing;
  }

  /** At shutdown: one last write; what it could not write is counted as dropped and logged. */
  async close(): Promise<void> {
    await this.flush();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#queue.length > 0) {
      this.droppedTotal += this.#queue.length;
      this.#droppedSinceLog += this.#queue.length;
      this.#queue = [];
      this.#logDropped();
    }
  }

  #schedule(): void {
    const delay = this.#failures === 0
      ? this.#o.intervalMs
      : Math.min(this.#o.maxRetryDelayMs, this.#o.intervalMs * 2 ** this.#failures);
    this.#timer ??= setTimeout(() => void this.flush(), delay).unref();
  }

  /** Drops the oldest records past `maxPending`. */
  #bound(): void {
    const over = this.#queue.length + this.#inFlight - this.#o.maxPending;
    if (over <= 0) return;
    const n = Math.min(over, this.#queue.length);
    this.#queue.splice(0, n);
    this.droppedTotal += n;
    this.#droppedSinceLog += n;
  }

  #logDropped(): void {
    if (this.#droppedSinceLog === 0) return;
    this.log('error', 'exchange audit records dropped: the database was away for longer than the records kept in memory', {
      dropped: this.#droppedSinceLog, droppedTotal: this.droppedTotal, maxPending: this.#o.maxPending,
    });
    this.#droppedSinceLog = 0;
  }
}

/** Resolves after the event loop has polled for I/O once (lets waiting requests run). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
