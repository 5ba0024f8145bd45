// A workload's login: get an identity token (sign one with AWS credentials, or read it from a
// file or the command line), exchange it for a Latchkey token, and cache the result together
// with how to do it again.

import { readFile } from 'node:fs/promises';
import { awsIdentityToken } from './aws-identity-token.js';
import { CliError } from './cli-error.js';
import type { CliContext } from './context.js';
import { exchangeToken } from './exchange-token.js';
import { sessionScope, writeSession, type WorkloadSession } from './token-cache.js';

export type IdentityTokenSource =
  | { kind: 'aws'; region?: string }
  | { kind: 'token-file'; path: string }
  | { kind: 'token'; token: string };

async function readTokenFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError('INPUT_INVALID', `cannot read the identity token file ${path}: ${(err as Error).message}`);
  }
  const token = text.trim();
  if (!token) throw new CliError('INPUT_INVALID', `the identity token file ${path} is empty`);
  return token;
}

export async function loginWorkload(ctx: CliContext, identity: string, source: IdentityTokenSource): Promise<WorkloadSession> {
  const bearer = source.kind === 'aws' ? await awsIdentityToken(ctx, { identity, region: source.region })
    : source.kind === 'token-file' ? await readTokenFile(source.path)
      : source.token;
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
    ...(source.kind === 'token-file' ? { tokenFile: source.path } : {}),
  };
  await writeSession(s.cacheDir, session);
  return session;
}
