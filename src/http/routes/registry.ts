// The container registry's token service (docs/registry.md): GET /registry/token, the realm of
// the Docker Registry v2 token authentication protocol, and GET /registry/certificates, the
// PEM bundle a registry's `rootcertbundle` holds.

import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LatchkeyError } from '../../errors/index.js';
import { MAX_PULL_TOKEN_TTL_SECONDS, type IamService } from '../../iam/index.js';
import type { SigningKeys } from '../../oidc/index.js';
import { actorOf, pathUidp } from '../params.js';
import { identityToWire } from '../wire.js';
import { parseCredentials, parseScopes, type RegistryErrorCode, type RegistryTokenService } from '../../registry/index.js';

export interface RegistryRouteDeps {
  registry: RegistryTokenService;
  keys: SigningKeys;
  iam: IamService;
}

/** Parameters the protocol defines; clients send account, client_id and offline_token too. */
const ALLOWED = new Set(['service', 'scope', 'account', 'client_id', 'offline_token']);

/** service and scopes of the query string. Parses untrusted input. */
function tokenParams(req: FastifyRequest): { service: string; scopes: string[] } {
  const at = req.url.indexOf('?');
  const query = new URLSearchParams(at >= 0 ? req.url.slice(at + 1) : '');
  const service: string[] = [];
  const scopes: string[] = [];
  for (const [k, v] of query) {
    if (!ALLOWED.has(k)) throw bad(`unknown parameter ${JSON.stringify(k.slice(0, 40))}: use service and scope`);
    if (k === 'service') service.push(v);
    if (k === 'scope') scopes.push(v);
  }
  if (service.length !== 1 || service[0] === '') throw bad('give the service parameter once: the registry\'s auth.token.service');
  return { service: service[0]!, scopes };
}

function bad(message: string): LatchkeyError<RegistryErrorCode> {
  return new LatchkeyError<RegistryErrorCode>('REGISTRY_BAD_REQUEST', message);
}

/** The PEM certificates of every registry key in use, oldest first. */
export function certificateBundle(keys: SigningKeys): string {
  return keys.inUse().map((k) => k.certificatePem ?? '').join('');
}

export function registryRoutes(app: FastifyInstance, d: RegistryRouteDeps): void {
  const pub = { auth: { public: true as const } };
  app.get('/registry/token', {
    config: pub,
    schema: { tags: ['registry'], summary: 'Docker Registry v2 token service: a registry token granting what your role bindings allow' },
  }, async (req, reply) => {
    const p = tokenParams(req);
    const scopes = parseScopes(p.scopes);
    try {
      const credentials = parseCredentials(req.headers.authorization);
      const out = await d.registry.token({ service: p.service, scopes, credentials, remoteAddr: req.ip ?? null });
      req.log.info({ sub: out.sub, service: p.service, access: out.access }, 'registry token issued');
      reply.header('cache-control', 'no-store');
      return out.response;
    } catch (err) {
      if (err instanceof LatchkeyError && err.code === 'REGISTRY_UNAUTHENTICATED') {
        reply.header('www-authenticate', 'Basic realm="latchkey registry token service"');
      }
      throw err;
    }
  });
  app.post('/registry/v1/pull-tokens/*', {
    config: { auth: { capability: 'identity.create', scope: pathUidp('parent') } },
    schema: {
      tags: ['registry'], summary: 'Create a pull token in a group: a pull-only identity with a user name and a secret (shown once)',
      body: Type.Object({
        ttlSeconds: Type.Integer({ minimum: 60, maximum: MAX_PULL_TOKEN_TTL_SECONDS }),
        description: Type.Optional(Type.String({ maxLength: 1000 })),
      }, { additionalProperties: false }),
    },
  }, async (req, reply) => {
    const body = req.body as { ttlSeconds: number; description?: string };
    const created = await d.iam.pullTokens.create(actorOf(req), pathUidp('parent')(req), body);
    reply.code(201).header('cache-control', 'no-store');
    return { ...identityToWire(created.identity), username: created.username, secret: created.secret, expiresAt: created.expiresAt };
  });
  app.get('/registry/certificates', {
    config: pub,
    schema: { tags: ['registry'], summary: 'PEM certificates of every registry signing key in use (the registry\'s rootcertbundle)' },
  }, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300').type('application/x-pem-file');
    return certificateBundle(d.keys);
  });
}
