// The one base error of Latchkey: every refusal is data with a stable machine code.
//
// Each bounded context declares its own closed union of codes and throws
// `LatchkeyError<ThatUnion>`. The HTTP layer maps codes to statuses in exactly one
// table (src/http/error-table.ts). `message` is public: it says what failed and what to
// fix, and never contains a token, a secret or a full claim set. `detail` is for the
// server log and the audit record only.

export class LatchkeyError<C extends string = string> extends Error {
  override readonly name = 'LatchkeyError';
  readonly code: C;
  /** Private detail for logs and audit; never sent to the caller. */
  readonly detail: Record<string, unknown> | undefined;
  /**
   * On a retryable refusal (a 503), how long the caller should wait before trying again, as
   * the upstream (STS, the database) asked or as computed by whoever refused: `Retry-After`.
   */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: C, message: string, detail?: Record<string, unknown>, retryAfterSeconds?: number) {
    super(message);
    this.code = code;
    this.detail = detail;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** True when `err` is a LatchkeyError (optionally with one of `codes`). */
export function isLatchkeyError(err: unknown, ...codes: string[]): err is LatchkeyError {
  return err instanceof LatchkeyError && (codes.length === 0 || codes.includes(err.code));
}
