// Builds the HTTP application from already-constructed services. No configuration or
// environment is read here: the composition root (src/server/main.ts) passes everything in.

import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import type { IamService } from '../iam/index.js';
import type { SigningKeys, TokenIssuer } from '../oidc/index.js';
import type { RegistryTokenService } from '../registry/index.js';
import type { ExchangeService } from '../sts/index.js';
import { installErrorHandler } from './error-handler.js';
import { installRouteAuth } from './enforce-route-auth.js';
import { auditRoutes } from './routes/audit.js';
import { groupRoutes } from './routes/groups.js';
import { identityRoutes } from './routes/identities.js';
import { roleBindingRoutes } from './routes/rolebindings.js';
import { registryRoutes } from './routes/registry.js';
import { roleRoutes } from './routes/roles.js';
import { stsRoutes } from './routes/sts-exchange.js';
import { wellKnownRoutes, type Readiness } from './routes/well-known.js';

export interface AppDeps {
  iam: IamService;
  issuer: TokenIssuer;
  keys: SigningKeys;
  exchange: ExchangeService;
  registry: RegistryTokenService;
  registryKeys: SigningKeys;
  apiAudience: string;
  discovery: () => Record<string, unknown>;
  /** Readiness as the store last saw it (a query's error, or its periodic probe). */
  ready: () => Readiness;
  bodyLimit: number;
  trustProxy: boolean;
  logger: FastifyServerOptions['logger'];
  /** Log each request and response at info (Fastify's request logging); refusals are logged either way. */
  logRequests?: boolean;
  /** Hooks and routes installed before every other route (metrics), so they see every request. */
  instrument?: (app: FastifyInstance) => void;
  /** Extra routes other contexts add (human login, dev login). */
  plugins?: Array<(app: FastifyInstance) => void | Promise<void>>;
  serverFactory?: FastifyServerOptions['serverFactory'];
}

export async function buildApp(d: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: d.logger,
    logController: new LogController({ disableRequestLogging: !d.logRequests }),
    bodyLimit: d.bodyLimit,
    trustProxy: d.trustProxy,
    routerOptions: { maxParamLength: 2000 },
    return503OnClosing: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, useDefaults: false, allErrors: false } },
    ...(d.serverFactory ? { serverFactory: d.serverFactory } : {}),
  });
  // Forms for /sts/exchange (botocore-style clients post forms); kept as a string and parsed strictly there.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => done(null, body));
  await app.register(swagger, {
    openapi: {
      info: { title: 'Latchkey API', version: '1', description: 'IAM, token exchange and discovery. See docs/api.md.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
  });
  installErrorHandler(app);
  // Nothing this API answers may sit in a shared or browser cache: tokens (/sts/exchange, the
  // OAuth endpoints), refresh tokens, IAM records, and the refusals of each. A route that means
  // to be cached (discovery, JWKS) sets its own Cache-Control, which is kept.
  app.addHook('onSend', async (_req, reply, payload) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
  d.instrument?.(app);
  installRouteAuth(app, d.issuer, d.iam, d.apiAudience);
  wellKnownRoutes(app, { discovery: d.discovery, keys: d.keys, ready: d.ready });
  groupRoutes(app, d.iam);
  identityRoutes(app, d.iam);
  roleRoutes(app, d.iam);
  roleBindingRoutes(app, d.iam);
  auditRoutes(app, d.iam);
  stsRoutes(app, d.exchange);
  registryRoutes(app, { registry: d.registry, keys: d.registryKeys, iam: d.iam });
  for (const p of d.plugins ?? []) await p(app);
  return app;
}
