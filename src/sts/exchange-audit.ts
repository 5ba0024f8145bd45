// Audit records for exchanges, granted and refused. The exchange is the hot path, so events
// are queued and written in one transaction per flush (every `intervalMs`, or when `maxBatch`
// are queued, and on close) instead of one durable commit per request. What is at risk on a
// hard crash is at most one interval of exchange records; IAM changes are never batched.
//
// Granted exchanges are recorded one by one. Refusals are not: anyone may ask for any identity,
// so they are counted per identity, code and window (refusal-tally.ts) and each aggregate is
// written once its window has ended (or on close) — and only when the identity exists: a refusal
// for an identity that does not exist writes nothing into any organization's audit log.
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
import { RefusalTally, type RefusalAggregate } from './refusal-tally.js';

/** One audit row per identity × refusal code × this window. */
export const REFUSAL_WINDOW_MS = 60_000;
/** Refusal aggregates held at most; a full tally is written at once. */
const MAX_REFUSAL_AGGREGATES = 10_000;

export interface ExchangeAuditEntry {
  /** The action of a granted entry (default sts.exchange; the registry's token service records registry.token). */
  action?: string;
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
  /** Told of every record dropped (a metric); `droppedTotal` counts them too. */
  onDropped?: (count: number) => void;
}

/** Where the audit writer reports a failed write or dropped records (the server's log). */
export type ExchangeAuditLog = (level: 'warn' | 'error', msg: string, fields: { err?: unknown } & Record<string, unknown>) => void;

export class ExchangeAudit {
  /** Records dropped since start: the database was away for longer than `maxPending` records. */
  droppedTotal = 0;
  /** Records written since start. */
  writtenTotal = 0;
  /** Granted exchanges, and refusal aggregates already checked, waiting to be written. */
  #queue: AuditEvent[] = [];
  /** Refusal aggregates out of the tally whose identity could not be checked yet (database away). */
  #unchecked: RefusalAggregate[] = [];
  #inFlight = 0;
  #failures = 0;
  #droppedSinceLog = 0;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #refusals = new RefusalTally(REFUSAL_WINDOW_MS, MAX_REFUSAL_AGGREGATES);
  readonly #o: Required<ExchangeAuditOptions>;

  constructor(
    private readonly store: Store,
    private readonly clock: () => Date,
    private readonly log: ExchangeAuditLog,
    opts: ExchangeAuditOptions = {},
  ) {
    this.#o = { intervalMs: 250, maxBatch: 500, chunk: 32, maxPending: 50_000, maxRetryDelayMs: 2000, onDropped: () => {}, ...opts };
  }

  /** Records not yet written (queued, being written, or waiting for the database); open refusal windows not counted. */
  get pending(): number {
    return this.#queue.length + this.#unchecked.length + this.#inFlight;
  }

  record(e: ExchangeAuditEntry): void {
    const identity = isUidp(e.identity) ? e.identity : null;
    if (!e.granted) {
      // Something that is not a UIDP names no identity: nothing to record.
      if (identity === null) return;
      const full = this.#refusals.add(identity, e.code ?? 'UNKNOWN', this.clock(), e.remoteAddr, e.details);
      if (full) void this.flush(true);
      else this.#schedule();
      return;
    }
    this.#queue.push({
      id: newAuditEventId(),
      at: this.clock().toISOString(),
      actor: identity ?? 'anonymous',
      action: e.action ?? 'sts.exchange',
      target: identity ?? '',
      group: identity ? rootOf(identity) : null,
      remoteAddr: e.remoteAddr,
      details: e.details,
    });
    this.#bound();
    // While the database is away, only the retry timer writes: records do not hammer it.
    if (this.#failures === 0 && this.#queue.length >= this.#o.maxBatch) void this.flush();
    else this.#schedule();
  }

  /**
   * Writes everything queued so far and the refusal aggregates whose window has ended (with
   * `allRefusals`, every one: on close) in one transaction, `chunk` rows per statement. A batch
   * that fails is kept for the next attempt.
   */
  flush(allRefusals = false): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#queue;
    this.#queue = [];
    const refused = [...this.#unchecked, ...this.#refusals.take(this.clock(), allRefusals)];
    this.#unchecked = [];
    // Open windows are written when they end: look again then.
    if (this.#refusals.size > 0) this.#schedule();
    if (batch.length === 0 && refused.length === 0) return this.#flushing;
    const taken = batch.length + refused.length;
    this.#inFlight += taken;
    this.#flushing = this.#flushing.then(async () => {
      let events = batch;
      try {
        if (refused.length > 0) events = [...batch, ...(await this.#refusalEvents(refused))];
      } catch (err) {
        this.#failed(err, taken, batch, refused);
        return;
      }
      try {
        if (events.length > 0) {
          await this.store.transaction(async (tx) => {
            for (let i = 0; i < events.length; i += this.#o.chunk) {
              if (i > 0) await nextTurn();
              await tx.insertAudits(events.slice(i, i + this.#o.chunk), { skipExisting: true });
            }
          });
        }
      } catch (err) {
        this.#failed(err, taken, events, []);
        return;
      }
      this.#inFlight -= taken;
      this.writtenTotal += events.length;
      if (this.#failures > 0) this.log('warn', 'exchange audit records written after the database came back', { written: events.length });
      this.#failures = 0;
      this.#logDropped();
    });
    return this.#flushing;
  }

  /** At shutdown: one last write of everything; what it could not write is counted as dropped and logged. */
  async close(): Promise<void> {
    await this.flush(true);
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const left = this.#queue.length + this.#unchecked.length;
    if (left > 0) {
      this.droppedTotal += left;
      this.#o.onDropped(left);
      this.#droppedSinceLog += left;
      this.#queue = [];
      this.#unchecked = [];
      this.#logDropped();
    }
  }

  /** Keeps what a failed flush took (in front: oldest first) and schedules the next attempt. */
  #failed(err: unknown, taken: number, events: AuditEvent[], unchecked: RefusalAggregate[]): void {
    this.#inFlight -= taken;
    this.#failures++;
    this.#queue = events.concat(this.#queue);
    this.#unchecked = unchecked.concat(this.#unchecked);
    this.#bound();
    this.log('error', 'exchange audit write failed; records kept and retried', { err, pending: this.pending });
    this.#schedule();
    this.#logDropped();
  }

  #schedule(): void {
    const delay = this.#failures === 0
      ? this.#o.intervalMs
      : Math.min(this.#o.maxRetryDelayMs, this.#o.intervalMs * 2 ** this.#failures);
    this.#timer ??= setTimeout(() => void this.flush(), delay).unref();
  }

  /** Drops the oldest records past `maxPending`. */
  #bound(): void {
    let over = this.pending - this.#o.maxPending;
    if (over <= 0) return;
    for (const list of [this.#unchecked, this.#queue]) {
      const n = Math.min(over, list.length);
      list.splice(0, n);
      this.droppedTotal += n;
      if (n > 0) this.#o.onDropped(n);
      this.#droppedSinceLog += n;
      over -= n;
    }
  }

  #logDropped(): void {
    if (this.#droppedSinceLog === 0) return;
    this.log('error', 'exchange audit records dropped: the database was away for longer than the records kept in memory', {
      dropped: this.#droppedSinceLog, droppedTotal: this.droppedTotal, maxPending: this.#o.maxPending,
    });
    this.#droppedSinceLog = 0;
  }

  /** The aggregates of identities that exist, as audit events (one read per identity, `chunk` at a time). */
  async #refusalEvents(refused: RefusalAggregate[]): Promise<AuditEvent[]> {
    const ids = [...new Set(refused.map((r) => r.identity))];
    const existing = new Set<string>();
    for (let i = 0; i < ids.length; i += this.#o.chunk) {
      if (i > 0) await nextTurn();
      const part = ids.slice(i, i + this.#o.chunk);
      const found = await Promise.all(part.map((id) => this.store.getIdentity(id)));
      part.forEach((id, j) => { if (found[j]) existing.add(id); });
    }
    return refused.filter((r) => existing.has(r.identity)).map((r) => ({
      id: newAuditEventId(),
      at: r.first,
      actor: r.identity,
      action: 'sts.exchange.denied',
      target: r.identity,
      group: rootOf(r.identity),
      remoteAddr: r.remoteAddr,
      details: { ...r.details, code: r.code, count: r.count, first: r.first, last: r.last, windowSeconds: r.windowSeconds, remoteAddrs: r.remoteAddrs },
    }));
  }
}

/** Resolves after the event loop has polled for I/O once (lets waiting requests run). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
