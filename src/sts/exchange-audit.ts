// Audit records for exchanges, granted and refused. The exchange is the hot path, so events
// are queued and written in one transaction per flush (every `intervalMs`, or when the queue
// is full, and on close) instead of one durable commit per request. What is at risk on a
// hard crash is at most one interval of exchange records; IAM changes are never batched.
//
// Granted exchanges are recorded one by one. Refusals are not: anyone may ask for any identity,
// so they are counted per identity, code and window (refusal-tally.ts) and each aggregate is
// written once its window has ended (or on close) — and only when the identity exists: a refusal
// for an identity that does not exist writes nothing into any organization's audit log.
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

export class ExchangeAudit {
  #queue: AuditEvent[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #refusals = new RefusalTally(REFUSAL_WINDOW_MS, MAX_REFUSAL_AGGREGATES);

  constructor(
    private readonly store: Store,
    private readonly clock: () => Date,
    private readonly onError: (err: unknown) => void,
    private readonly intervalMs = 250,
    private readonly maxQueue = 500,
    private readonly chunk = 32,
  ) {}

  record(e: ExchangeAuditEntry): void {
    const identity = isUidp(e.identity) ? e.identity : null;
    if (!e.granted) {
      // Something that is not a UIDP names no identity: nothing to record.
      if (identity === null) return;
      const full = this.#refusals.add(identity, e.code ?? 'UNKNOWN', this.clock(), e.remoteAddr, e.details);
      if (full) void this.flush(true);
      else this.#timer ??= setTimeout(() => void this.flush(), this.intervalMs).unref();
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
    if (this.#queue.length >= this.maxQueue) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.intervalMs).unref();
  }

  /**
   * Writes everything queued so far and the refusal aggregates whose window has ended (with
   * `allRefusals`, every one: on close) in one transaction, `chunk` rows per statement.
   */
  flush(allRefusals = false): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#queue;
    this.#queue = [];
    const refused = this.#refusals.take(this.clock(), allRefusals);
    // Open windows are written when they end: look again then.
    if (this.#refusals.size > 0) this.#timer = setTimeout(() => void this.flush(), this.intervalMs).unref();
    if (batch.length === 0 && refused.length === 0) return this.#flushing;
    this.#flushing = this.#flushing.then(async () => {
      const events = refused.length === 0 ? batch : [...batch, ...(await this.#refusalEvents(refused))];
      if (events.length === 0) return;
      await this.store.transaction(async (tx) => {
        for (let i = 0; i < events.length; i += this.chunk) {
          if (i > 0) await nextTurn();
          await tx.insertAudits(events.slice(i, i + this.chunk));
        }
      });
    }).catch(this.onError);
    return this.#flushing;
  }

  /** The aggregates of identities that exist, as audit events (one read per identity, `chunk` at a time). */
  async #refusalEvents(refused: RefusalAggregate[]): Promise<AuditEvent[]> {
    const ids = [...new Set(refused.map((r) => r.identity))];
    const existing = new Set<string>();
    for (let i = 0; i < ids.length; i += this.chunk) {
      if (i > 0) await nextTurn();
      const part = ids.slice(i, i + this.chunk);
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
