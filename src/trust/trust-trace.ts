// A step-by-step record of the checks an exchange made: each check's name, whether it passed,
// and what was expected and seen, redacted for the people who may read it (never a token).

/** One check. `expected`/`actual` are already safe to show (see redact()). */
export interface TraceStep {
  check: string;
  ok: boolean;
  expected?: string;
  actual?: string;
}

/**
 * Collects steps; a verifier appends to it as it goes. Cheap on the hot path: values are kept
 * as given and redacted only when the steps are read.
 */
export class TrustTrace {
  readonly #raw: Array<[string, boolean, string | undefined, string | undefined]> = [];

  /** Records one check and returns `ok`, so a caller can write `if (!trace.step(...)) throw ...`. */
  step(check: string, ok: boolean, expected?: string, actual?: string): boolean {
    this.#raw.push([check, ok, expected, actual]);
    return ok;
  }

  /** The steps so far, in order, `actual` redacted. */
  get steps(): TraceStep[] {
    return this.#raw.map(([check, ok, expected, actual]) => ({
      check, ok, ...(expected !== undefined ? { expected } : {}), ...(actual !== undefined ? { actual: redact(actual) } : {}),
    }));
  }

  /** Whether the last step recorded failed. */
  get lastFailed(): boolean {
    return this.#raw.at(-1)?.[1] === false;
  }
}

/** Attacker-supplied text shortened to printable ASCII (at most `max` characters). */
export function redact(s: string, max = 120): string {
  let out = '';
  for (let i = 0; i < s.length && out.length < max; i++) {
    const c = s.charCodeAt(i);
    out += c >= 0x20 && c < 0x7f ? s[i] : '?';
  }
  return s.length > max ? `${out}...` : out;
}
