// The current session: the cached token when it is fresh (no network, nothing else loaded),
// renewed otherwise. Also the IAM client that uses it.

import { CliError } from './cli-error.js';
import type { CliContext } from './context.js';
import { isFresh, readSession, type Session } from './token-cache.js';

/** A session whose token is valid for longer than auth.refresh-margin. */
export async function currentSession(ctx: CliContext): Promise<Session> {
  const s = await ctx.settings();
  const session = await readSession(s.cacheDir, s.api, s.audience);
  if (!session) {
    throw new CliError('NOT_LOGGED_IN', `not logged in to ${s.api}${s.audience ? ` for audience ${s.audience}` : ''}`,
      { hint: 'run `latchkey auth login` (workloads: `latchkey auth login --identity UIDP --identity-provider aws`)' });
  }
  if (isFresh(session, ctx.now(), s.refreshMargin)) return session;
  const { renewSession } = await import('./renew-session.js');
  return renewSession(ctx, session);
}
