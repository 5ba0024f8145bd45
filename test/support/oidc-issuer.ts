// A small OpenID Connect issuer for tests, on a real loopback socket: discovery, a JWKS, and
// tokens signed with jose, shaped like GitHub Actions' (with its token-request endpoint) or a
// Kubernetes projected service-account token. Misbehaviours on demand: redirects, an oversized
// or slow JWKS. Counts every request, so a test can assert that none was made.

import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export type IssuerMode = 'normal' | 'redirect' | 'big-jwks' | 'slow-jwks' | 'discovery-500';

export interface TestIssuer {
  url: string;
  /** Requests received, by path. */
  requests: string[];
  mode: IssuerMode;
  /** The public JWKS it serves. */
  jwks(): { keys: JWK[] };
  /** Signs `claims` (iss, iat, exp of 5 minutes filled in unless given). */
  sign(claims: JWTPayload, opts?: { alg?: 'ES256' | 'RS256'; kid?: string; key?: CryptoKey; header?: Record<string, unknown> }): Promise<string>;
  /** A key pair whose public half it does not publish. */
  outsider(): Promise<CryptoKey>;
  /** GitHub Actions' token-request endpoint: ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN for it. */
  actions: { url: string; token: string; claims: JWTPayload };
  close(): Promise<void>;
}

export async function startTestIssuer(o: { path?: string } = {}): Promise<TestIssuer> {
  const es = await generateKeyPair('ES256');
  const rs = await generateKeyPair('RS256');
  const esJwk = { ...(await exportJWK(es.publicKey)), kid: 'es-1', alg: 'ES256', use: 'sig' };
  const rsJwk = { ...(await exportJWK(rs.publicKey)), kid: 'rs-1', alg: 'RS256', use: 'sig' };
  const requests: string[] = [];
  let server: Server;
  const state = { mode: 'normal' as IssuerMode };
  const path = o.path ?? '';
  const actionsToken = 'actions-request-token-0123456789';
  const issuer: TestIssuer = {
    url: '', requests,
    get mode() { return state.mode; },
    set mode(m) { state.mode = m; },
    jwks: () => ({ keys: [esJwk, rsJwk] }),
    async sign(claims, opts = {}) {
      const alg = opts.alg ?? 'ES256';
      const now = Math.floor(Date.now() / 1000);
      // A fresh jti, as GitHub, GitLab and Kubernetes put in theirs (`jti: undefined` leaves it out).
      return new SignJWT({ iss: issuer.url, iat: now, exp: now + 300, jti: randomUUID(), ...claims })
        .setProtectedHeader({ alg, kid: opts.kid ?? (alg === 'ES256' ? 'es-1' : 'rs-1'), typ: 'JWT', ...opts.header })
        .sign(opts.key ?? (alg === 'ES256' ? es.privateKey : rs.privateKey));
    },
    async outsider() {
      return (await generateKeyPair('ES256')).privateKey;
    },
    actions: { url: '', token: actionsToken, claims: {} },
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
  server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    requests.push(u.pathname);
    const json = (v: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(v));
    if (u.pathname === `${path}/.well-known/openid-configuration`) {
      if (state.mode === 'redirect') return res.writeHead(302, { location: 'https://elsewhere.example/' }).end();
      if (state.mode === 'discovery-500') return res.writeHead(500).end();
      return json({ issuer: issuer.url, jwks_uri: `${issuer.url}/keys`, id_token_signing_alg_values_supported: ['ES256', 'RS256'] });
    }
    if (u.pathname === `${path}/keys`) {
      if (state.mode === 'big-jwks') return json({ keys: [esJwk], padding: 'x'.repeat(300 * 1024) });
      if (state.mode === 'slow-jwks') { setTimeout(() => { if (!res.destroyed) json(issuer.jwks()); }, 10_000).unref(); return; }
      return json(issuer.jwks());
    }
    if (u.pathname === '/actions/token') {
      if (!/^bearer /i.test(req.headers.authorization ?? '') || req.headers.authorization!.slice(7) !== actionsToken) return res.writeHead(401).end();
      const audience = u.searchParams.get('audience') ?? 'https://github.com/octo-org';
      void issuer.sign({ aud: audience, ...issuer.actions.claims }).then((value) => json({ value, count: 1 }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer.url = `${origin}${path}`;
  issuer.actions.url = `${origin}/actions/token?api-version=2.0`;
  return issuer;
}

/** Claims shaped like a GitHub Actions ID token for `repo` at `ref`. */
export function githubClaims(repo: string, ref: string, over: JWTPayload = {}): JWTPayload {
  const [owner] = repo.split('/');
  return {
    sub: `repo:${repo}:ref:${ref}`, repository: repo, repository_owner: owner, ref, ref_type: 'branch',
    repository_id: '123456', repository_owner_id: '654321', workflow: 'ci', event_name: 'push', ...over,
  };
}
