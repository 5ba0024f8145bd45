// Whether the database answers, as the store last saw it: every STORE_UNAVAILABLE a query hits
// marks it down at once, and only a probe that succeeds marks it up again (a periodic
// `select 1`, or a small write when writes were what failed: a full disk still answers reads).
// /readyz reads this state instead of querying the database itself, and Retry-After is
// computed from how long the outage has lasted so far.

/** Plain counters, read by metrics; they only grow. */
export interface StoreErrorCounts {
  /** Every STORE_UNAVAILABLE the store raised. */
  unavailable: number;
  /** The same, by driver code (ECONNRESET, 57P01, SQLITE_FULL, QUERY_TIMEOUT, ...). */
  byCode: Record<string, number>;
  /** ROLLBACKs that failed and were set aside so the original error could be reported. */
  rollbackFailures: number;
  /** Probes (select 1, or the write probe) that failed or did not answer in time. */
  probeFailures: number;
}

/** The read-only view the rest of the server gets (readiness, metrics). */
export interface StoreHealthView {
  /** True while the database answers (as of the last error or probe). */
  readonly ready: boolean;
  /** The driver code of the fault that made the store unready, while it is. */
  readonly fault: string | undefined;
  /** Seconds a refused caller should wait: 1 at first, then half the outage so far, at most 15. */
  retryAfterSeconds(): number;
  /** Counters since start; they only grow. */
  readonly errors: Readonly<StoreErrorCounts>;
}

const MAX_RETRY_AFTER_S = 15;

/** Driver codes meaning writes fail while reads may still work: recovery needs a write probe. */
const WRITE_FAULT = /^(SQLITE_(FULL|READONLY|IOERR)|53100|25006)/;

export class StoreHealth implements StoreHealthView {
  readonly errors: StoreErrorCounts = { unavailable: 0, byCode: {}, rollbackFailures: 0, probeFailures: 0 };
  #downSince: number | undefined;
  #fault: string | undefined;
  #writeFault = false;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly onChange: (ready: boolean, fields: object) => void = () => {},
  ) {}

  get ready(): boolean {
    return this.#downSince === undefined;
  }

  get fault(): string | undefined {
    return this.#fault;
  }

  /** True when the probe must write to tell whether the fault is over. */
  get needsWriteProbe(): boolean {
    return this.#writeFault;
  }

  retryAfterSeconds(): number {
    if (this.#downSince === undefined) return 1;
    const downS = (this.now() - this.#downSince) / 1000;
    return Math.min(MAX_RETRY_AFTER_S, Math.max(1, Math.ceil(downS / 2)));
  }

  /** A query hit STORE_UNAVAILABLE with this driver code. */
  unavailable(code: string): void {
    this.errors.unavailable++;
    this.errors.byCode[code] = (this.errors.byCode[code] ?? 0) + 1;
    this.#markDown(code);
  }

  /** The probe failed (its store error, if any, was already counted) or timed out. */
  probeFailed(code: string): void {
    this.errors.probeFailures++;
    this.#markDown(code);
  }

  rollbackFailed(): void {
    this.errors.rollbackFailures++;
  }

  /** The probe succeeded: the database answers (and takes writes, if that was the fault). */
  probeSucceeded(): void {
    if (this.#downSince === undefined) return;
    const downForMs = this.now() - this.#downSince;
    const fault = this.#fault;
    this.#downSince = undefined;
    this.#fault = undefined;
    this.#writeFault = false;
    this.onChange(true, { fault, downForMs });
  }

  #markDown(code: string): void {
    if (WRITE_FAULT.test(code)) this.#writeFault = true;
    if (this.#downSince !== undefined) return;
    this.#downSince = this.now();
    this.#fault = code;
    this.onChange(false, { fault: code });
  }
}
