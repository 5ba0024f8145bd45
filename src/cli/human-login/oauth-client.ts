// The CLI as an OAuth public client of its own issuer: the endpoints it advertises (which must
// be on the issuer's own origin, and https unless loopback), form POSTs carrying client_id, and
// the session a token response becomes.

import { isLoopbackHost } from '../../config/index.js';
import { ApiClient } from '../api-client.js';
import { CliError } from '../cli-error.js';
import type { CliContext } from '../context.js';
import { endpointOf, type Discovery } from '../discovery.js';
import { readTokenAnswer } from '../exchange-token.js';
import { sessionScope, writeSession, type HumanSession } from '../token-cache.js';

/** The server's client_id for this CLI (src/auth/constants.ts CLI_CLIENT_ID). */
export const CLIENT_ID = 'latchkey-cli';

/** An endpoint the issuer advertises, checked to live on the issuer itself. */
export function issuerEndpoint(d: Discovery, name: string): string | undefined {
  const v = endpointOf(d, name);
  if (v === undefined) return undefined;
  const issuer = new URL(d.issuer);
  const u = new URL(v);
  if (u.origin !== issuer.origin) {
    throw new CliError('BAD_RESPONSE', `the issuer's ${name} (${u.origin}) is not on the issuer (${issuer.origin})`,
      { hint: 'check platform.issuer with `latchkey config view`' });
  }
  if (u.protocol !== 'https:' && !isLoopbackHost(u.hostname.replace(/^\[|\]$/g, ''))) {
    throw new CliError('CONFIG_INVALID', `the issuer ${issuer.origin} uses plain http: a login would send secrets in the clear`,
      { hint: 'use the https URL of the issuer: `latchkey config set platform.issuer https://...`' });
  }
  return v;
}

/** POSTs a form to one of the issuer's OAuth endpoints. */
export async function postForm(ctx: CliContext, url: string, form: Record<string, string>, what: string): Promise<unknown> {
  const { issuer } = await ctx.settings();
  const client = new ApiClient(ctx, { base: issuer, server: 'issuer' });
  return client.send({ method: 'POST', path: url, form: { ...form, client_id: CLIENT_ID }, op: { what } });
}

/** Caches the session a token response describes. */
export async function saveSession(ctx: CliContext, res: unknown, what: string): Promise<HumanSession> {
  const s = await ctx.settings();
  const answer = readTokenAnswer(res, what);
  const refreshToken = (res as { refresh_token?: unknown }).refresh_token;
  const session: HumanSession = {
    ...sessionScope(s),
    kind: 'human',
    ...answer,
    ...(typeof refreshToken === 'string' ? { refreshToken } : {}),
  };
  await writeSession(s.cacheDir, session);
  return session;
}

/** Text from the server fit for one terminal line (no control characters, bounded). */
export function printable(s: unknown, max = 300): string {
  return typeof s === 'string' ? s.replace(/[\x00-\x1f\x7f]/g, ' ').slice(0, max) : '';
}
