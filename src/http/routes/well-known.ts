// Discovery, JWKS, health and the OpenAPI document.

import type { FastifyInstance } from 'fastify';
import { JWKS_MAX_AGE_SECONDS, type SigningKeys } from '../../oidc/index.js';

/** What /readyz reports: kept current by the store, so answering costs no query. */
export interface Readiness {
  readonly ready: boolean;
  retryAfterSeconds(): number;
}

export interface WellKnownDeps {
  discovery: () => Record<string, unknown>;
  keys: SigningKeys;
  ready: () => Readiness;
}

export function wellKnownRoutes(app: FastifyInstance, d: WellKnownDeps): void {
  const pub = { auth: { public: true as const } };
  app.get('/.well-known/openid-configuration', { config: pub, schema: { tags: ['discovery'] } }, async (_req, reply) => {
    reply.header('cache-control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`);
    return d.discovery();
  });
  app.get('/.well-known/jwks.json', { config: pub, schema: { tags: ['discovery'] } }, async (_req, reply) => {
    reply.header('cache-control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`);
    return d.keys.jwks();
  });
  app.get('/healthz', { config: pub, schema: { tags: ['health'], summary: 'Liveness: the process serves requests' } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: pub, schema: { tags: ['health'], summary: 'Readiness: the database answers' } }, async (_req, reply) => {
    const r = d.ready();
    if (r.ready) return { status: 'ready' };
    reply.code(503).header('retry-after', String(r.retryAfterSeconds()));
    return { code: 'STORE_UNAVAILABLE', message: 'the database does not answer' };
  });
  app.get('/openapi.json', { config: pub, schema: { hide: true } }, async () => app.swagger());
}
