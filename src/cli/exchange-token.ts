// POST /sts/exchange: an identity token (e.g. the AWS token) for a Latchkey token of an
// assumable identity.

import { ApiClient } from './api-client.js';
import { CliError } from './cli-error.js';
import type { CliContext } from './context.js';
import { decodeClaims } from './jwt-claims.js';

export interface ExchangedToken {
  token: string;
  /** RFC 3339. */
  expiry: string;
  /** The token's `sub`. */
  subject: string;
}

/** Reads a {token, expiry} answer; `fallbackSubject` when the token carries no `sub`. */
export function readTokenAnswer(res: unknown, what: string, fallbackSubject?: string): ExchangedToken {
  const r = (typeof res === 'object' && res !== null ? res : {}) as Record<string, unknown>;
  const token = typeof r.token === 'string' ? r.token : typeof r.access_token === 'string' ? r.access_token : undefined;
  if (!token) throw new CliError('BAD_RESPONSE', `cannot ${what}: the answer has no token`);
  const claims = decodeClaims(token);
  const expiry = claims.exp !== undefined ? new Date(claims.exp * 1000).toISOString()
    : typeof r.expiry === 'string' && !Number.isNaN(Date.parse(r.expiry)) ? new Date(r.expiry).toISOString()
      : undefined;
  const subject = claims.sub ?? fallbackSubject;
  if (!expiry || !subject) throw new CliError('BAD_RESPONSE', `cannot ${what}: the token has no expiry or subject`);
  return { token, expiry, subject };
}

export async function exchangeToken(
  ctx: CliContext,
  req: { bearer: string; identity: string },
): Promise<ExchangedToken> {
  const s = await ctx.settings();
  const client = new ApiClient(ctx, { base: s.api, server: 'api' });
  const what = `exchange the token for identity ${req.identity}`;
  const res = await client.send({
    method: 'POST',
    path: '/sts/exchange',
    form: { identity: req.identity, aud: s.audience },
    bearer: req.bearer,
    op: { what },
  });
  return readTokenAnswer(res, what, req.identity);
}
