// Refused exchanges, counted instead of recorded one by one. Anyone can send refusals as fast as
// they like, so each becomes part of one aggregate per identity × refusal code × window (windows
// are aligned to the clock: [k·windowMs, (k+1)·windowMs)), carrying the number of attempts, the
// first and last time, the first attempt's detail and a few client addresses. The audit table
// then grows by at most one row per identity, code and window, however many attempts there are.
// The tally holds at most `maxKeys` aggregates; `add` says when it is full, so that its owner
// drains it at once rather than let it grow.

/** Refused exchanges of one identity with one code in one window. */
export interface RefusalAggregate {
  identity: string;
  code: string;
  /** Attempts counted. */
  count: number;
  /** When the first and the last of them came (ISO 8601). */
  first: string;
  last: string;
  /** The window's length in seconds. */
  windowSeconds: number;
  /** The first attempt's client address, and up to MAX_ADDRESSES distinct ones. */
  remoteAddr: string | null;
  remoteAddrs: string[];
  /** The first attempt's private detail (never a token or secret). */
  details: Record<string, unknown>;
}

const MAX_ADDRESSES = 10;

export class RefusalTally {
  #byKey = new Map<string, RefusalAggregate & { windowEnd: number }>();
  /** The earliest end of a window in the tally: nothing is due before it. */
  #earliestEnd = Infinity;

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys: number,
  ) {
    if (!(windowMs > 0) || !(maxKeys > 0)) throw new TypeError('RefusalTally: windowMs and maxKeys must be positive');
  }

  get size(): number {
    return this.#byKey.size;
  }

  /** Counts one refusal; true when the tally is now full (drain it with take(now, true)). */
  add(identity: string, code: string, at: Date, remoteAddr: string | null, details: Record<string, unknown>): boolean {
    const t = at.getTime();
    const windowEnd = (Math.floor(t / this.windowMs) + 1) * this.windowMs;
    const key = `${identity} ${code} ${windowEnd}`;
    const iso = at.toISOString();
    const hit = this.#byKey.get(key);
    if (hit) {
      hit.count++;
      if (iso > hit.last) hit.last = iso;
      if (remoteAddr !== null && hit.remoteAddrs.length < MAX_ADDRESSES && !hit.remoteAddrs.includes(remoteAddr)) hit.remoteAddrs.push(remoteAddr);
      return false;
    }
    this.#byKey.set(key, {
      identity, code, count: 1, first: iso, last: iso, windowSeconds: this.windowMs / 1000,
      remoteAddr, remoteAddrs: remoteAddr === null ? [] : [remoteAddr], details, windowEnd,
    });
    this.#earliestEnd = Math.min(this.#earliestEnd, windowEnd);
    return this.#byKey.size >= this.maxKeys;
  }

  /** Takes out the aggregates whose window has ended by `now`, or every one with `all`. */
  take(now: Date, all: boolean): RefusalAggregate[] {
    const t = now.getTime();
    if (!all && t < this.#earliestEnd) return [];
    const out: RefusalAggregate[] = [];
    let earliest = Infinity;
    for (const [key, { windowEnd, ...aggregate }] of this.#byKey) {
      if (all || windowEnd <= t) {
        this.#byKey.delete(key);
        out.push(aggregate);
      } else {
        earliest = Math.min(earliest, windowEnd);
      }
    }
    this.#earliestEnd = earliest;
    return out;
  }
}
