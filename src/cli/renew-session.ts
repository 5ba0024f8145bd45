// Renews a session that is about to expire: a person's with the refresh token
// (POST <issuer>/oauth/token, grant_type=refresh_token), a workload's by exchanging again
// (a new AWS or GitHub Actions token, or the token file read again). A token that has not expired yet is still
// used when renewal fails, so a script keeps working until the real expiry.

import { CliError } from './cli-error.js';
import type { CliContext } from './context.js';
import { readTokenAnswer } from './exchange-token.js';
import { postForm } from './human-login/oauth-client.js';
import { secondsLeft, writeSession, type HumanSession, type Session } from './token-cache.js';
import { loginWorkload } from './workload-login.js';

async function refreshHuman(ctx: CliContext, session: HumanSession): Promise<Session> {
  if (!session.refreshToken) {
    throw new CliError('SESSION_EXPIRED', 'your login has expired and has no refresh token', { hint: 'run `latchkey auth login`' });
  }
  const what = 'refresh your login';
  let res: unknown;
  try {
    res = await postForm(ctx, '/oauth/token', { grant_type: 'refresh_token', refresh_token: session.refreshToken }, what);
  } catch (err) {
    if (err instanceof CliError && /^(ROUTE_NOT_FOUND|HTTP_404|HTTP_405)$/.test(err.serverCode ?? '')) {
      throw new CliError('SESSION_EXPIRED', 'your login has expired and this server does not offer token refresh',
        { hint: 'run `latchkey auth login`' });
    }
    if (err instanceof CliError && err.code === 'SERVER_ERROR') {
      throw new CliError('SESSION_EXPIRED', `your login has expired and could not be refreshed (${err.serverCode})`,
        { hint: 'run `latchkey auth login`', details: err.details });
    }
    throw err;
  }
  const answer = readTokenAnswer(res, what, session.subject);
  const r = res as Record<string, unknown>;
  const next = typeof r.refresh_token === 'string' ? r.refresh_token
    : typeof r.refreshToken === 'string' ? r.refreshToken : session.refreshToken;
  const renewed: HumanSession = { ...session, ...answer, refreshToken: next };
  await writeSession((await ctx.settings()).cacheDir, renewed);
  return renewed;
}

async function renewWorkload(ctx: CliContext, session: Session & { kind: 'workload' }): Promise<Session> {
  switch (session.provider) {
    case 'aws':
      return loginWorkload(ctx, session.identity, { kind: 'aws', region: session.awsRegion });
    case 'token-file':
      return loginWorkload(ctx, session.identity, { kind: 'token-file', path: session.tokenFile ?? '' });
    case 'kubernetes':
      return loginWorkload(ctx, session.identity, { kind: 'kubernetes', path: session.tokenFile ?? '' });
    case 'github-actions':
      return loginWorkload(ctx, session.identity, { kind: 'github-actions', audience: session.tokenAudience });
    case 'none':
      throw new CliError('SESSION_EXPIRED', `the token of identity ${session.identity} has expired`, {
        hint: `log in again with \`latchkey auth login --identity ${session.identity} --identity-provider aws\` `
          + '(or github-actions, kubernetes), or with a fresh --identity-token (--identity-token @FILE renews by itself)',
      });
  }
}

export async function renewSession(ctx: CliContext, session: Session): Promise<Session> {
  ctx.debug(`token expires in ${secondsLeft(session, ctx.now())} s: renewing`);
  try {
    return session.kind === 'human' ? await refreshHuman(ctx, session) : await renewWorkload(ctx, session);
  } catch (err) {
    if (secondsLeft(session, ctx.now()) > 0) {
      ctx.debug(`renewal failed, using the cached token until it expires: ${(err as Error).message}`);
      return session;
    }
    throw err;
  }
}
