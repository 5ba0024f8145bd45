// Discovery, JWKS, health and the OpenAPI document.

import type { FastifyInstance } from 'fastify';
import { JWKS_MAX_AGE_SECONDS, type SigningKeys } from '../../oidc/index.js';

export interface WellKnownDeps {
  discovery: () => Record<string, unknown>;
  keys: SigningKeys;
  ready: () => Promise<void>;
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
    try {
      await d.ready();
      return { status: 'ready' };
    } catch {
      reply.code(503);
      return { code: 'STORE_UNAVAILABLE', message: 'the database does not answer' };
    }
  });
  app.get('/openapi.json', { config: pub, schema: { hide: true } }, async () => app.swagger());
}
