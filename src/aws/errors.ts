// The AWS identity token context's refusal codes: one closed union, one status table.
// docs/aws-token-errors.md explains each code; keep the two in step.

import { LatchkeyError } from '../errors/index.js';

/** Every way an AWS identity token, STS's answer or an identity's AWS rule can be refused. */
export type AwsTokenErrorCode =
  // check 1: size and encoding
  | 'AWS_TOKEN_TOO_LARGE'
  | 'AWS_TOKEN_BAD_BASE64'
  // check 2: one strictly formed HTTP/1.x request
  | 'AWS_TOKEN_MALFORMED_REQUEST'
  // check 3: POST to origin-form "/"
  | 'AWS_TOKEN_BAD_METHOD'
  | 'AWS_TOKEN_BAD_TARGET'
  // check 4: Action=GetCallerIdentity, Version=2011-06-15, nothing else
  | 'AWS_TOKEN_BAD_ACTION'
  | 'AWS_TOKEN_BAD_PARAMETERS'
  // check 5: an allow-listed STS host
  | 'AWS_TOKEN_HOST_NOT_ALLOWED'
  // check 6: the SigV4 Authorization header
  | 'AWS_TOKEN_BAD_AUTHORIZATION'
  | 'AWS_TOKEN_REGION_MISMATCH'
  | 'AWS_TOKEN_IDENTITY_NOT_SIGNED'
  | 'AWS_TOKEN_AUDIENCE_NOT_SIGNED'
  | 'AWS_TOKEN_HEADER_NOT_SIGNED'
  // check 7: the headers we read are signed, single, and say what we expect
  | 'AWS_TOKEN_MISSING_HEADER'
  | 'AWS_TOKEN_DUPLICATE_HEADER'
  | 'AWS_TOKEN_IDENTITY_MISMATCH'
  | 'AWS_TOKEN_AUDIENCE_MISMATCH'
  // check 8: time
  | 'AWS_TOKEN_BAD_DATE'
  | 'AWS_TOKEN_EXPIRED'
  | 'AWS_TOKEN_NOT_YET_VALID'
  // talking to STS
  | 'STS_REJECTED'
  | 'STS_UNAVAILABLE'
  | 'STS_BAD_RESPONSE'
  // matching the identity's rule
  | 'AWS_PARTITION_MISMATCH'
  | 'AWS_ACCOUNT_MISMATCH'
  | 'AWS_ARN_MISMATCH'
  | 'AWS_USER_ID_MISMATCH'
  // writing a rule
  | 'AWS_RULE_INVALID';

/**
 * The HTTP status of each code: 400 the token (or rule) is malformed, 401 a well-formed
 * credential is refused, 503 STS is the problem (retryable). The HTTP layer's single error
 * table takes these rows; it is declared here so a new code cannot be added without a status.
 */
export const AWS_TOKEN_ERROR_STATUS: Readonly<Record<AwsTokenErrorCode, 400 | 401 | 503>> = {
  AWS_TOKEN_TOO_LARGE: 400,
  AWS_TOKEN_BAD_BASE64: 400,
  AWS_TOKEN_MALFORMED_REQUEST: 400,
  AWS_TOKEN_BAD_METHOD: 400,
  AWS_TOKEN_BAD_TARGET: 400,
  AWS_TOKEN_BAD_ACTION: 400,
  AWS_TOKEN_BAD_PARAMETERS: 400,
  AWS_TOKEN_HOST_NOT_ALLOWED: 401,
  AWS_TOKEN_BAD_AUTHORIZATION: 401,
  AWS_TOKEN_REGION_MISMATCH: 401,
  AWS_TOKEN_IDENTITY_NOT_SIGNED: 401,
  AWS_TOKEN_AUDIENCE_NOT_SIGNED: 401,
  AWS_TOKEN_HEADER_NOT_SIGNED: 401,
  AWS_TOKEN_MISSING_HEADER: 401,
  AWS_TOKEN_DUPLICATE_HEADER: 401,
  AWS_TOKEN_IDENTITY_MISMATCH: 401,
  AWS_TOKEN_AUDIENCE_MISMATCH: 401,
  AWS_TOKEN_BAD_DATE: 401,
  AWS_TOKEN_EXPIRED: 401,
  AWS_TOKEN_NOT_YET_VALID: 401,
  STS_REJECTED: 401,
  STS_UNAVAILABLE: 503,
  STS_BAD_RESPONSE: 503,
  AWS_PARTITION_MISMATCH: 401,
  AWS_ACCOUNT_MISMATCH: 401,
  AWS_ARN_MISMATCH: 401,
  AWS_USER_ID_MISMATCH: 401,
  AWS_RULE_INVALID: 400,
};

/**
 * A refusal from this context. `message` is public and names the failing check; `detail`
 * is for the log only. `retryAfterSeconds` is set on STS_UNAVAILABLE (for `Retry-After`).
 */
export class AwsTokenError extends LatchkeyError<AwsTokenErrorCode> {
  constructor(
    code: AwsTokenErrorCode,
    message: string,
    detail?: Record<string, unknown>,
    retryAfterSeconds?: number,
  ) {
    super(code, message, detail, retryAfterSeconds);
  }
}

/** Shorthand for `new AwsTokenError(...)`, to be thrown: `throw refuse(...)`. */
export function refuse(code: AwsTokenErrorCode, message: string, detail?: Record<string, unknown>): AwsTokenError {
  return new AwsTokenError(code, message, detail);
}

/** Attacker-supplied text made safe for a log line: printable ASCII, at most `max` chars. */
export function forLog(s: string, max = 80): string {
  let out = '';
  for (let i = 0; i < s.length && out.length < max; i++) {
    const c = s.charCodeAt(i);
    out += c >= 0x20 && c < 0x7f ? s[i] : '?';
  }
  return s.length > max ? `${out}...` : out;
}
