// A person's login. `loginHuman` picks the flow the issuer advertises: the dev server's login
// (no browser), or the browser and device flows (interactive-login.ts).

import { ApiClient } from '../api-client.js';
import { CliError } from '../cli-error.js';
import type { CliContext } from '../context.js';
import { endpointOf, fetchDiscovery, type Discovery } from '../discovery.js';
import type { HumanSession } from '../token-cache.js';
import { saveSession } from './oauth-client.js';

/** `latchkey serve --dev`: POST to the advertised endpoint, no browser (loopback only). */
async function devLogin(ctx: CliContext, endpoint: string): Promise<HumanSession> {
  const s = await ctx.settings();
  const client = new ApiClient(ctx, { base: s.issuer, server: 'issuer' });
  const what = 'log in with the dev server\'s built-in user';
  const res = await client.send<Record<string, unknown> | undefined>({ method: 'POST', path: endpoint, json: {}, op: { what } });
  // docs/api.md spells it refreshToken; saveSession reads OAuth's refresh_token.
  return saveSession(ctx, { ...res, refresh_token: res?.refresh_token ?? res?.refreshToken }, what);
}

/** Logs a person in with the best flow the issuer offers, and caches the session. */
export async function loginHuman(ctx: CliContext, discovery?: Discovery): Promise<HumanSession> {
  const d = discovery ?? await fetchDiscovery(ctx);
  const dev = endpointOf(d, 'latchkey_dev_login_endpoint');
  if (dev) return devLogin(ctx, dev);
  if (endpointOf(d, 'authorization_endpoint') || endpointOf(d, 'device_authorization_endpoint')) {
    return (await import('./interactive-login.js')).loginInteractively(ctx, d);
  }
  if (endpointOf(d, 'token_endpoint')) {
    // A Latchkey issuer (it has the token endpoint) with no upstream provider configured.
    throw new CliError('LOGIN_UNAVAILABLE', `this server (${d.issuer}) has no login provider, so people cannot log in to it`,
      { hint: 'its operator configures one with `latchkey serve --oidc-providers` (docs/human-login.md); workloads log in with --identity' });
  }
  throw new CliError('LOGIN_UNAVAILABLE', `the issuer at ${d.issuer} advertises no login endpoint`,
    { hint: 'check platform.issuer with `latchkey config view`' });
}
