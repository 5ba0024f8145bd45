// `latchkey auth logout`: revoke what the issuer lets us revoke, then delete the cached token.

import type { CliContext } from '../context.js';
import { deleteSession, readSession, type Session } from '../token-cache.js';

/** Best effort: a server without a revocation endpoint, or one that is down, is not an error. */
async function revoke(ctx: CliContext, session: Session): Promise<void> {
  try {
    const { endpointOf, fetchDiscovery } = await import('../discovery.js');
    const endpoint = endpointOf(await fetchDiscovery(ctx), 'revocation_endpoint');
    if (!endpoint) return;
    const { ApiClient } = await import('../api-client.js');
    const client = new ApiClient(ctx, { base: session.issuer, server: 'issuer' });
    const tokens: Array<[string, string]> = [['access_token', session.token]];
    if (session.kind === 'human' && session.refreshToken) tokens.unshift(['refresh_token', session.refreshToken]);
    for (const [hint, token] of tokens) {
      await client.send({ method: 'POST', path: endpoint, form: { token, token_type_hint: hint }, op: { what: 'revoke the token' } });
    }
  } catch (err) {
    ctx.debug(`revocation skipped: ${(err as Error).message}`);
  }
}

export async function run(ctx: CliContext): Promise<void> {
  const s = await ctx.settings();
  const session = await readSession(s.cacheDir, s.api, s.audience);
  if (session) await revoke(ctx, session);
  const deleted = await deleteSession(s.cacheDir, s.api, s.audience);
  ctx.stdout.write(deleted ? `Logged out of ${s.api}.\n` : `Not logged in to ${s.api}.\n`);
}
