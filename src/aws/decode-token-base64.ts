// Parses attacker-controlled input: strict base64 decoding of an AWS identity token (check 1).
// Accepts the standard and the URL-safe alphabet (never both in one token), padded or not;
// refuses whitespace, any other character, misplaced padding and non-zero padding bits, so
// that exactly one string decodes to a given request.

import { refuse } from './errors.js';

const STD = 1;
const URL_SAFE = 2;

function classOf(c: number): number {
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57)) return 0; // A-Z a-z 0-9
  if (c === 43 || c === 47) return STD; // + /
  if (c === 45 || c === 95) return URL_SAFE; // - _
  return -1;
}

/** Decodes `token` (already size-checked) or throws AWS_TOKEN_BAD_BASE64. */
export function decodeTokenBase64(token: string): Buffer {
  if (token.length === 0) throw refuse('AWS_TOKEN_BAD_BASE64', 'token is empty');
  let end = token.length;
  while (end > 0 && token.charCodeAt(end - 1) === 61 /* = */ && token.length - end < 2) end--;
  const padded = end < token.length;
  if (padded && token.length % 4 !== 0) {
    throw refuse('AWS_TOKEN_BAD_BASE64', 'token has misplaced base64 padding');
  }
  if (end % 4 === 1) throw refuse('AWS_TOKEN_BAD_BASE64', 'token has a truncated base64 group');
  let seen = 0;
  for (let i = 0; i < end; i++) {
    const k = classOf(token.charCodeAt(i));
    if (k < 0) {
      throw refuse(
        'AWS_TOKEN_BAD_BASE64',
        'token is not base64: only A-Z a-z 0-9 and either +/ or -_ with optional = padding; no whitespace',
      );
    }
    seen |= k;
  }
  if (seen === (STD | URL_SAFE)) {
    throw refuse('AWS_TOKEN_BAD_BASE64', 'token mixes the standard and URL-safe base64 alphabets');
  }
  const core = token.slice(0, end);
  const bytes = Buffer.from(core, seen === URL_SAFE ? 'base64url' : 'base64');
  // Canonical form: re-encoding must give the same characters (no stray bits in the last one).
  const again = bytes.toString(seen === URL_SAFE ? 'base64url' : 'base64').replace(/=+$/, '');
  if (again !== core) throw refuse('AWS_TOKEN_BAD_BASE64', 'token has non-zero base64 padding bits');
  return bytes;
}
