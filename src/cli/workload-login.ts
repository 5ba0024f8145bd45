// A workload's login: get an identity token (sign one with AWS credentials, ask GitHub Actions
// for one, read a Kubernetes projected token or another file, or take it from the command
// line), exchange it for a Latchkey token of any kind of identity, and cache the result
// together with how to do it again.

import { githubActionsToken, readTokenFile } from './ambient-identity-token.js';
import { awsIdentityToken } from './aws-identity-token.js';
import type { CliContext } from './context.js';
import { exchangeToken } from './exchange-token.js';
import { sessionScope, writeSession, type WorkloadSession } from './token-cache.js';

export type IdentityTokenSource =
  | { kind: 'aws'; region?: string }
  | { kind: 'github-actions'; audience?: string }
  | { kind: 'kubernetes'; path: string }
  | { kind: 'token-file'; path: string }
  | { kind: 'token'; token: string };

async function identityToken(ctx: CliContext, identity: string, source: IdentityTokenSource): Promise<string> {
  switch (source.kind) {
    case 'aws': return awsIdentityToken(ctx, { identity, region: source.region });
    case 'github-actions': return githubActionsToken(ctx, source.audience);
    case 'kubernetes': return readTokenFile(source.path, 'the Kubernetes service-account token file');
    case 'token-file': return readTokenFile(source.path);
    case 'token': return source.token;
  }
}

export async function loginWorkload(ctx: CliContext, identity: string, source: IdentityTokenSource): Promise<WorkloadSession> {
  const bearer = await identityToken(ctx, identity, source);
  const exchanged = await exchangeToken(ctx, { bearer, identity });
  const s = await ctx.settings();
  const session: WorkloadSession = {
    ...sessionScope(s),
    kind: 'workload',
    token: exchanged.token,
    expiry: exchanged.expiry,
    subject: exchanged.subject,
    identity,
    provider: source.kind === 'token' ? 'none' : source.kind,
    ...(source.kind === 'aws' && source.region ? { awsRegion: source.region } : {}),
    ...(source.kind === 'token-file' || source.kind === 'kubernetes' ? { tokenFile: source.path } : {}),
    ...(source.kind === 'github-actions' && source.audience ? { tokenAudience: source.audience } : {}),
  };
  await writeSession(s.cacheDir, session);
  return session;
}
