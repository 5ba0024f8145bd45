// Parses attacker-controlled input: the request line's method and target (spec check 3).

import type { ParsedAwsRequest } from './parse-aws-token.js';
import { refuse } from './errors.js';

/**
 * Requires `POST` and the origin-form target `/` or `/?<query>`; returns the raw query
 * (undefined when there is none). Absolute URIs, other paths, fragments and an empty query
 * (`/?`) are refused with AWS_TOKEN_BAD_METHOD / AWS_TOKEN_BAD_TARGET.
 */
export function checkTarget(req: ParsedAwsRequest): { query: string | undefined } {
  if (req.method !== 'POST') throw refuse('AWS_TOKEN_BAD_METHOD', 'request method must be POST');
  const t = req.target;
  if (t.charCodeAt(0) !== 47 /* / */) {
    throw refuse('AWS_TOKEN_BAD_TARGET', 'request target must be "/" in origin form, never an absolute URI');
  }
  if (t.includes('#')) throw refuse('AWS_TOKEN_BAD_TARGET', 'request target must not have a fragment');
  const q = t.indexOf('?');
  const path = q < 0 ? t : t.slice(0, q);
  if (path !== '/') throw refuse('AWS_TOKEN_BAD_TARGET', 'request path must be exactly "/"');
  if (q < 0) return { query: undefined };
  const query = t.slice(q + 1);
  if (query.length === 0) throw refuse('AWS_TOKEN_BAD_TARGET', 'request target has an empty query');
  return { query };
}
