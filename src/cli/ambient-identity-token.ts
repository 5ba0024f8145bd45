// Identity tokens a workload's platform hands it, fetched again on every renewal:
//   github-actions  the job's OIDC token from ACTIONS_ID_TOKEN_REQUEST_URL (with
//                   ACTIONS_ID_TOKEN_REQUEST_TOKEN), for the audience asked (default: this issuer)
//   kubernetes      a projected service-account token file, re-read every time: the kubelet
//                   rotates it in place.

import { readFile } from 'node:fs/promises';
import { CliError } from './cli-error.js';
import type { CliContext } from './context.js';
import { fetchDiscovery } from './discovery.js';

/** Where a projected token is expected unless --kubernetes-token-path says otherwise. */
export const DEFAULT_KUBERNETES_TOKEN_PATH = '/var/run/secrets/tokens/latchkey';

const MAX_TOKEN = 16 * 1024;

/** Reads a token file (trimmed); says what is wrong without ever printing its content. */
export async function readTokenFile(path: string, what = 'the identity token file'): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError('INPUT_INVALID', `cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const token = text.trim();
  if (!token) throw new CliError('INPUT_INVALID', `${what} ${path} is empty`);
  if (token.length > MAX_TOKEN) throw new CliError('INPUT_INVALID', `${what} ${path} is over ${MAX_TOKEN} bytes: is it a token?`);
  if (/\s/.test(token)) throw new CliError('INPUT_INVALID', `${what} ${path} has spaces or line feeds inside the token`);
  return token;
}

/** The GitHub Actions job's ID token for `audience` (default: the issuer's URL). */
export async function githubActionsToken(ctx: CliContext, audience?: string): Promise<string> {
  const url = ctx.env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const bearer = ctx.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!url || !bearer) {
    throw new CliError('USAGE', 'ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set', {
      hint: 'run this in a GitHub Actions job with `permissions: id-token: write`',
    });
  }
  const aud = audience ?? (await fetchDiscovery(ctx)).issuer;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new CliError('USAGE', 'ACTIONS_ID_TOKEN_REQUEST_URL is not a URL');
  }
  target.searchParams.set('audience', aud);
  ctx.debug(`requesting the GitHub Actions ID token for audience ${aud}`);
  let res: Response;
  try {
    res = await fetch(target, { headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(15_000) });
  } catch (err) {
    throw new CliError('UNREACHABLE', `cannot reach the GitHub Actions token endpoint ${target.origin} (${(err as Error).name})`);
  }
  const text = await res.text();
  if (!res.ok) throw new CliError('BAD_RESPONSE', `the GitHub Actions token endpoint answered HTTP ${res.status}`);
  let value: unknown;
  try {
    value = (JSON.parse(text) as { value?: unknown }).value;
  } catch {
    value = undefined;
  }
  if (typeof value !== 'string' || !value) throw new CliError('BAD_RESPONSE', 'the GitHub Actions token endpoint sent no token ("value")');
  return value;
}
