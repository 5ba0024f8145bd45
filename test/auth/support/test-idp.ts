// A real OpenID Connect provider for the tests: node-oidc-provider on 127.0.0.1, configured here
// (one confidential client, PKCE required, dev login pages where any name signs in), with its
// signing key in the test's hands so tests can make it misbehave: forge or replay ID tokens,
// redirect its discovery, send error callbacks.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { SignJWT, exportJWK, generateKeyPair, decodeJwt, decodeProtectedHeader, type CryptoKey, type JWK } from 'jose';

export interface Account {
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Accounts by login name; a name not here signs in with no email. */
  accounts: Map<string, Account>;
  /** Rewrites the id_token of the next token responses (undefined: pass through). */
  tamper: ((idToken: string) => Promise<string>) | undefined;
  /** Every ID token the provider issued, in order. */
  issued: string[];
  /** When set, discovery answers with a redirect to this URL. */
  redirectDiscoveryTo: string | undefined;
  /** Signs claims with the provider's own key (for tokens that verify but carry wrong claims). */
  signAsProvider(claims: Record<string, unknown>): Promise<string>;
  /** Signs claims with a fresh key under the provider's kid (a forgery). */
  forge(claims: Record<string, unknown>): Promise<string>;
  /** Configures the client's redirect URIs; call before the first sign-in. */
  attach(redirectUris: string[]): void;
  close(): Promise<void>;
}

export async function startTestIdp(): Promise<TestIdp> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = 'test-idp-key';
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };

  const idp: TestIdp = {
    issuer,
    clientId: 'latchkey-test',
    clientSecret: 'test-client-secret-0123456789abcdef',
    accounts: new Map(),
    tamper: undefined,
    issued: [],
    redirectDiscoveryTo: undefined,
    signAsProvider: (claims) => sign(claims, privateKey, kid),
    async forge(claims) {
      const other = await generateKeyPair('RS256');
      return sign(claims, other.privateKey, kid);
    },
    attach(redirectUris) {
      const provider = new Provider(issuer, {
        clients: [{
          client_id: idp.clientId,
          client_secret: idp.clientSecret,
          redirect_uris: redirectUris,
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        }],
        jwks: { keys: [jwk] },
        cookies: { keys: ['test-idp-cookie-key'] },
        claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
        features: { devInteractions: { enabled: true } },
        ttl: { Session: 3600, Grant: 3600, Interaction: 600, AuthorizationCode: 60, AccessToken: 600, IdToken: 600 },
        pkce: { required: () => true },
        findAccount: (_ctx: unknown, id: string) => ({
          accountId: id,
          claims: () => ({ sub: id, ...idp.accounts.get(id) }),
        }),
      });
      provider.use(async (ctx: any, next: () => Promise<void>) => {
        if (ctx.path === '/.well-known/openid-configuration' && idp.redirectDiscoveryTo) {
          ctx.status = 302;
          ctx.redirect(idp.redirectDiscoveryTo);
          return;
        }
        await next();
        if (ctx.path === '/token' && ctx.body && typeof ctx.body.id_token === 'string') {
          idp.issued.push(ctx.body.id_token);
          if (idp.tamper) ctx.body = { ...ctx.body, id_token: await idp.tamper(ctx.body.id_token) };
        }
      });
      server.on('request', provider.callback());
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  return idp;
}

async function sign(claims: Record<string, unknown>, key: CryptoKey, kid: string): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key);
}

/** The claims and header of an ID token, for tests that rewrite one. */
export function inspectIdToken(token: string): { claims: Record<string, unknown>; kid: string | undefined } {
  return { claims: decodeJwt(token) as Record<string, unknown>, kid: decodeProtectedHeader(token).kid };
}
