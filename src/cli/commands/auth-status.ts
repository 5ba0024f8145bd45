// `latchkey auth status`: who the cached token is for, its audience and expiry. Offline; never
// prints the token. Exits 1 when there is no valid token.

import { CliError } from '../cli-error.js';
import type { CliContext } from '../context.js';
import { decodeClaims } from '../jwt-claims.js';
import { serialize } from '../print-output.js';
import { renderFields } from '../render-table.js';
import { readSession, secondsLeft } from '../token-cache.js';

export async function run(ctx: CliContext): Promise<void> {
  const s = await ctx.settings();
  const session = await readSession(s.cacheDir, s.api, s.audience);
  if (!session) {
    throw new CliError('NOT_LOGGED_IN', `not logged in to ${s.api}`, { hint: 'run `latchkey auth login`' });
  }
  const claims = decodeClaims(session.token);
  const left = secondsLeft(session, ctx.now());
  const status = {
    id: session.subject,
    email: claims.email,
    kind: session.kind,
    provider: session.kind === 'workload' ? session.provider : undefined,
    audience: claims.aud ?? session.audience ?? undefined,
    issuer: claims.iss ?? session.issuer,
    api: session.api,
    expiry: session.expiry,
    valid: left > 0,
  };
  const format = await ctx.outputFormat();
  if (format === 'json' || format === 'yaml') ctx.stdout.write(await serialize(status, format));
  else if (format === 'id') ctx.stdout.write(`${status.id}\n`);
  else {
    const rows: Array<[string, string]> = [
      ['Identity', status.id + (status.email ? ` (${status.email})` : '')],
      ['Kind', session.kind === 'workload' ? `workload (${session.provider === 'none' ? 'identity token' : session.provider})` : 'person'],
      ['Audience', [status.audience ?? 'the API default'].flat().join(', ')],
      ['Issuer', status.issuer],
      ['API', status.api],
      ['Expires', `${status.expiry} (${left > 0 ? `in ${Math.floor(left / 60)} min ${left % 60} s` : 'expired'})`],
      ['Status', left > 0 ? 'valid' : 'expired'],
    ];
    ctx.stdout.write(renderFields(rows));
  }
  if (left <= 0) {
    throw new CliError('SESSION_EXPIRED', 'the cached token has expired',
      { hint: '`latchkey auth token` renews it when it can; otherwise run `latchkey auth login`' });
  }
}
