// A workload's login: get an identity token (sign one with AWS credentials, ask GitHub Actions
// for one, read a Kubernetes projected token or another file, or take it from the command
// line), exchange it for a Latchkey token of any kind of identity, and cache the result
// together with how to do it again.

import { readFile } from 'node:fs/promises';
import { githubActionsToken, readTokenFile } from './ambient-identity-token.js';
import { awsIdentityToken } from './aws-identity-token.js';
import { CliError } from './cli-error.js';
import type { CliContext } from './context.js';
import { exchangeToken } from './exchange-token.js';
import { sessionScope, writeSession, type WorkloadSession } from './token-cache.js';

export type IdentityTokenSource =
  | { kind: 'aws'; region?: string }
  | { kind: 'github-actions'; audience?: string }
  | { kind: 'kubernetes'; path: string }
  | { kind: 'token-file'; path: string }
  | { kind: 'token'; token: string };

/**
 * An identity token given by hand must be one line of visible characters. The usual mistake is
 * base64 without -w0, which breaks its output into lines of 76 characters: say so, and never
 * quote the token.
 */
function checkTokenText(token: string, from: string): string {
  if (/[\r\n]/.test(token)) {
    throw new CliError('INPUT_INVALID', `the identity token ${from} has line feeds in it`,
      { hint: 'make it on one line with `base64 -w0` (plain `base64` breaks its output into lines), or remove them with `tr -d \'\\n\'`' });
  }
  if (/\s/.test(token)) {
    throw new CliError('INPUT_INVALID', `the identity token ${from} has spaces or tabs in it`,
      { hint: 'pass it exactly as `base64 -w0` printed it, in double quotes: --identity-token "$TOK"' });
  }
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new CliError('INPUT_INVALID', `the identity token ${from} has characters that are not base64`,
      { hint: 'pass it exactly as `base64 -w0` printed it' });
  }
  return token;
}

async function readGivenTokenFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError('INPUT_INVALID', `cannot read the identity token file ${path}: ${(err as Error).message}`);
  }
  const token = text.trim();
  if (!token) throw new CliError('INPUT_INVALID', `the identity token file ${path} is empty`);
  return checkTokenText(token, `in ${path}`);
}

async function identityToken(ctx: CliContext, identity: string, source: IdentityTokenSource): Promise<string> {
  switch (source.kind) {
    case 'aws': return awsIdentityToken(ctx, { identity, region: source.region });
    case 'github-actions': return githubActionsToken(ctx, source.audience);
    case 'kubernetes': return readTokenFile(source.path, 'the Kubernetes service-account token file');
    case 'token-file': return readGivenTokenFile(source.path);
    case 'token': return checkTokenText(source.token, 'given with --identity-token');
  }
}

/** Where a token that cannot be signed again came from, and how to get a fresh one. */
function freshTokenHint(source: IdentityTokenSource): { from: string; hint: string } | undefined {
  const operator = '(or ask the server\'s operator whether --one-time-credentials=false is meant for you)';
  switch (source.kind) {
    case 'token':
      return { from: 'given with --identity-token', hint: `get a new token from its issuer and pass that, or log in with --identity-provider aws|github-actions, which get a new one each time ${operator}` };
    case 'token-file':
      return { from: `in ${source.path}`, hint: `write a new token to ${source.path} (or wait until your platform replaces it), then run the command again ${operator}` };
    case 'kubernetes':
      return { from: `in ${source.path}`, hint: `the kubelet replaces a projected token after 80% of its lifetime: request a shorter expirationSeconds, or wait and run the command again ${operator}` };
    default:
      return undefined; // AWS and GitHub Actions tokens are new for every exchange
  }
}

export async function loginWorkload(ctx: CliContext, identity: string, source: IdentityTokenSource): Promise<WorkloadSession> {
  const bearer = await identityToken(ctx, identity, source);
  let exchanged;
  try {
    exchanged = await exchangeToken(ctx, { bearer, identity });
  } catch (err) {
    // The server accepts each identity token once. A token we can sign again never comes back;
    // one read from a file or the command line may: say so, and how to get a new one.
    const fresh = freshTokenHint(source);
    if (err instanceof CliError && err.serverCode === 'CREDENTIAL_REPLAYED' && fresh) {
      throw new CliError('SERVER_ERROR', `the identity token ${fresh.from} was already used: the server accepts each token once`,
        { serverCode: err.serverCode, hint: fresh.hint, details: err.details });
    }
    throw err;
  }
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
