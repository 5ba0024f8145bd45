// The one place that enforces each route's declared RouteAuth: authenticate the bearer
// token, then check the declared capability on the declared scope. Runs before the body is
// parsed, so an unauthenticated caller learns nothing about validation.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LatchkeyError } from '../errors/index.js';
import type { IamService } from '../iam/index.js';
import type { TokenErrorCode } from '../oidc/errors.js';
import type { TokenIssuer } from '../oidc/index.js';

export function bearerToken(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer ([^\s]+)$/i.exec(h.trim());
  return m?.[1];
}

export function installRouteAuth(app: FastifyInstance, issuer: TokenIssuer, iam: IamService, apiAudience: string): void {
  app.addHook('onRequest', async (req) => {
    const auth = req.routeOptions.config.auth;
    if (!req.routeOptions.url) return; // 404 handler
    if (!auth) throw new Error(`route ${req.routeOptions.url} declares no auth`); // fail closed: 500
    if ('public' in auth) return;
    const token = bearerToken(req);
    if (!token) {
      throw new LatchkeyError<TokenErrorCode>('UNAUTHENTICATED', 'this API needs a Latchkey token: send Authorization: Bearer <token> (get one with `latchkey auth login`)');
    }
    const principal = await issuer.verify(token, apiAudience);
    req.caller = { sub: principal.sub, cap: principal.cap };
    if ('capability' in auth && 'scope' in auth) {
      await iam.authorizer.require(req.caller, auth.capability, auth.scope(req));
    }
  });
}
