// A step-by-step record of the checks an exchange made: each check's name, whether it passed,
// and what was expected and seen, redacted for the people who may read it (never a token).

/** One check. `expected`/`actual` are already safe to show (see redact()). */
export interface TraceStep {
  check: string;
  ok: boolean;
  expected?: string;
  actual?: string;
}

/** Collects steps; a verifier appends to it as it goes. */
export class TrustTrace {
  readonly steps: TraceStep[] = [];

  /** Records one check and returns `ok`, so a caller can write `if (!trace.step(...)) throw ...`. */
  step(check: string, ok: boolean, expected?: string, actual?: string): boolean {
    this.steps.push({ check, ok, ...(expected !== undefined ? { expected } : {}), ...(actual !== undefined ? { actual: redact(actual) } : {}) });
    return ok;
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
