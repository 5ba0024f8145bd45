// The CLI's errors: data with a stable code, rendered as one line a person can act on:
//   latchkey: <what failed> (<SERVER_CODE>): <what to do>
// Messages never contain a token or a secret.

import { LatchkeyError } from '../errors/index.js';

/** Refusals of the CLI itself (the server's own codes travel in `serverCode`). */
export type CliErrorCode =
  | 'USAGE'            // bad command line: exit 2
  | 'CONFIG_INVALID'   // a setting does not parse
  | 'INPUT_INVALID'    // a file or flag value is wrong (nothing was sent)
  | 'NOT_LOGGED_IN'    // no cached token for this API and audience
  | 'SESSION_EXPIRED'  // the token expired and cannot be renewed here
  | 'UNREACHABLE'      // network error or timeout talking to the API or issuer
  | 'BAD_RESPONSE'     // the server answered something this CLI does not understand
  | 'SERVER_ERROR'     // the server refused: see serverCode
  | 'NOT_FOUND'        // a name did not resolve
  | 'AMBIGUOUS'        // a name resolved to several things
  | 'AWS_CREDENTIALS'  // no AWS credentials could be found
  | 'LOGIN_UNAVAILABLE' // the server offers no login flow this build supports
  | 'ABORTED'          // the user said no
  | 'CREDENTIAL_REFUSED'; // `identities test`: the credential would be refused (the trace says why)

export interface CliErrorOptions {
  /** What to do about it. */
  hint?: string;
  /** The server's stable error code, shown in parentheses. */
  serverCode?: string;
  /** Details printed with -v (never tokens). */
  details?: string[];
}

export class CliError extends LatchkeyError<CliErrorCode> {
  readonly hint: string | undefined;
  readonly serverCode: string | undefined;
  readonly details: string[];

  constructor(code: CliErrorCode, message: string, opts: CliErrorOptions = {}) {
    super(code, message);
    this.hint = opts.hint;
    this.serverCode = opts.serverCode;
    this.details = opts.details ?? [];
  }

  /** 2 for usage errors (as getopt tools do), 1 otherwise. */
  get exitCode(): number {
    return this.code === 'USAGE' ? 2 : 1;
  }
}

const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, ' ').trim();

/** The one line printed on stderr for any error. */
export function formatError(err: unknown): string {
  if (err instanceof CliError) {
    const code = err.serverCode ? ` (${err.serverCode})` : '';
    const hint = err.hint ? `: ${err.hint}` : '';
    return `latchkey: ${oneLine(err.message)}${code}${oneLine(hint)}`;
  }
  return `latchkey: unexpected error: ${oneLine(err instanceof Error ? err.message : String(err))} (run with -v for details)`;
}
