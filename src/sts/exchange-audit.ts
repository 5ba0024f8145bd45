// Audit records for exchanges, granted and refused. The exchange is the hot path, so events
// are queued and written in one transaction per flush (every `intervalMs`, or when the queue
// is full, and on close) instead of one durable commit per request. What is at risk on a
// hard crash is at most one interval of exchange records; IAM changes are never batched.
//
// Within a flush, rows go in statements of `chunk` events with a turn of the event loop
// between them: better-sqlite3 runs each statement synchronously, and one statement of 500
// rows held every in-flight exchange for 6-11 ms (the SQLite p99 in bench/README.md).

import type { AuditEvent } from '../iam/index.js';
import { isUidp, newAuditEventId, rootOf } from '../iam/index.js';
import type { Store } from '../store/contract.js';

export interface ExchangeAuditEntry {
  /** Default: sts.exchange (granted) or sts.exchange.denied. The registry's token service records registry.token[.denied]. */
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
    this.#queue.push({
      id: newAuditEventId(),
      at: this.clock().toISOString(),
      actor: identity ?? 'anonymous',
      action: e.action ?? (e.granted ? 'sts.exchange' : 'sts.exchange.denied'),
      target: identity ?? '',
      group: identity ? rootOf(identity) : null,
      remoteAddr: e.remoteAddr,
      details: e.code ? { code: e.code, ...e.details } : e.details,
    });
    if (this.#queue.length >= this.maxQueue) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.intervalMs).unref();
  }

  /** Writes everything queued so far in one transaction, `chunk` rows per statement. */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length === 0) return this.#flushing;
    this.#flushing = this.#flushing.then(() =>
      this.store.transaction(async (tx) => {
        for (let i = 0; i < batch.length; i += this.chunk) {
          if (i > 0) await nextTurn();
          await tx.insertAudits(batch.slice(i, i + this.chunk));
        }
      }).catch(this.onError));
    return this.#flushing;
  }
}

/** Resolves after the event loop has polled for I/O once (lets waiting requests run). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
