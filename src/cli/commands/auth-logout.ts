// `latchkey auth logout`: end a person's login at the issuer (revoking the refresh token, when
// the issuer advertises a revocation_endpoint), then delete the cached token. A workload's
// token is short-lived and has nothing to revoke.

import type { CliContext } from '../context.js';
import { deleteSession, readSession, type Session } from '../token-cache.js';

/** Best effort: a server without a revocation endpoint, or one that is down, is not an error. */
async function revoke(ctx: CliContext, session: Session): Promise<void> {
  if (session.kind !== 'human' || !session.refreshToken) return;
  try {
    const { endpointOf, fetchDiscovery } = await import('../discovery.js');
    const endpoint = endpointOf(await fetchDiscovery(ctx), 'revocation_endpoint');
    if (!endpoint) return;
    const { postForm } = await import('../human-login/oauth-client.js');
    await postForm(ctx, endpoint, { token: session.refreshToken, token_type_hint: 'refresh_token' }, 'revoke your login');
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
