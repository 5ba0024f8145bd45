// Wrong user codes typed on the device page, counted per browser and per client network, so that
// nobody can guess their way to someone else's pending headless login (RFC 8628 §5.1). After
// `maxPerBrowser` wrong codes from one browser (its device-page cookie), or four times as many
// from one client address (an IPv6 client by its /64: one host holds the whole prefix), every
// further code from there is refused — right or wrong, so the refusal tells nothing about
// whether a code exists — until `windowMs` after the first of those wrong codes. A browser that
// drops its cookie is still held by its address. Counts are per replica, in bounded memory.

import { isIPv6 } from 'node:net';

/** Who typed a code: the device page's cookie (absent when the browser sent none), and the client address. */
export interface Guesser {
  browser: string | undefined;
  address: string;
}

/** Client addresses may make this many times the per-browser number of wrong guesses. */
export const ADDRESS_FACTOR = 4;
const MAX_ENTRIES = 10_000;

export class UserCodeGuesses {
  #counts = new Map<string, { wrong: number; until: number }>();

  constructor(
    private readonly clock: () => Date,
    private readonly maxPerBrowser: number,
    private readonly windowMs: number,
  ) {}

  /** Seconds until `who` may try again, or 0 when it may try now. */
  blockedFor(who: Guesser): number {
    const now = this.clock().getTime();
    let until = 0;
    for (const [key, max] of this.#keys(who)) {
      const c = this.#counts.get(key);
      if (c && c.until > now && c.wrong >= max) until = Math.max(until, c.until);
    }
    return until === 0 ? 0 : Math.ceil((until - now) / 1000);
  }

  /** Counts one wrong code from `who`. */
  wrong(who: Guesser): void {
    const now = this.clock().getTime();
    for (const [key] of this.#keys(who)) {
      const c = this.#counts.get(key);
      if (c && c.until > now) {
        c.wrong++;
        continue;
      }
      this.#counts.delete(key);
      if (this.#counts.size >= MAX_ENTRIES) this.#evict(now);
      this.#counts.set(key, { wrong: 1, until: now + this.windowMs });
    }
  }

  #keys(who: Guesser): Array<[string, number]> {
    const keys: Array<[string, number]> = [[`addr ${networkOf(who.address)}`, this.maxPerBrowser * ADDRESS_FACTOR]];
    if (who.browser !== undefined) keys.push([`browser ${who.browser}`, this.maxPerBrowser]);
    return keys;
  }

  /** Drops ended windows; when none has ended, the oldest entry (insertion order). */
  #evict(now: number): void {
    for (const [key, c] of this.#counts) if (c.until <= now) this.#counts.delete(key);
    if (this.#counts.size >= MAX_ENTRIES) this.#counts.delete(this.#counts.keys().next().value!);
  }
}

/** The address itself, or for IPv6 its /64 (the first four groups, `::` expanded). */
export function networkOf(address: string): string {
  if (!isIPv6(address) || /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address)) return address;
  const [head = '', tail] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
