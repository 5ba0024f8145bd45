// A Latchkey server with human login (in-process, on a real loopback socket and a real
// database) federating a real test OpenID Connect provider, plus the CLI's side of the protocol
// as plain HTTP: PKCE, the authorize URL, and the token endpoint.

import { createHash, randomBytes } from 'node:crypto';
import { humanLoginExtension } from '../../../src/auth/index.js';
import { api, startTestServer, type TestServer } from '../../support/test-server.js';
import { startTestIdp, type TestIdp } from './test-idp.js';

export interface LoginServer {
  s: TestServer;
  idp: TestIdp;
  /** Moves the server's clock (not the provider's). */
  advance(seconds: number): void;
  stop(): Promise<void>;
}

export async function startLoginServer(o: { database?: string; flags?: Record<string, string | boolean>; providers?: (idp: TestIdp) => unknown[] } = {}): Promise<LoginServer> {
  const idp = await startTestIdp();
  let skewMs = 0;
  const clock = () => new Date(Date.now() + skewMs);
  const providers = o.providers?.(idp) ?? [{ name: 'test', displayName: 'Test IdP', issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret }];
  const s = await startTestServer({
    database: o.database,
    clock,
    // A generous upstream timeout: on a loaded machine a JWKS refetch must not turn a forged
    // token's 401 into a 503 (the timeout itself is tested in upstream-provider.test.ts).
    flags: { oidcProviders: JSON.stringify(providers), oidcUpstreamTimeout: '30000', deviceCodeInterval: '2', ...o.flags },
    extensions: [humanLoginExtension({ clock })],
  });
  idp.attach([`${s.url}/oauth/callback`]);
  return {
    s, idp,
    advance(seconds) { skewMs += seconds * 1000; },
    async stop() {
      await s.stop(true);
      await idp.close();
    },
  };
}

export const CLI = 'latchkey-cli';

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The URL the CLI opens: authorization code + PKCE S256 to a loopback redirect URI. */
export function authorizeUrl(s: { url: string }, p: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  const all = { response_type: 'code', client_id: CLI, code_challenge_method: 'S256', ...p };
  for (const [k, v] of Object.entries(all)) if (v !== undefined) q.set(k, v);
  return `${s.url}/oauth/authorize?${q}`;
}

/** POSTs a form to the token endpoint (or another OAuth endpoint). */
export function postForm(s: { url: string }, path: string, form: Record<string, string | undefined>, headers: Record<string, string> = {}) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) if (v !== undefined) body.set(k, v);
  return api(s, 'POST', path, { rawBody: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
}
