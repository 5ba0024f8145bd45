// /iam/v1/identities: assumable identities (and, read-only, human users).

import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { IamService, IdentityInput } from '../../iam/index.js';
import type { IdentityKind } from '../../store/contract.js';
import { invalid, notFound } from '../../iam/validate.js';
import { actorOf, callerOf, listQuery, parentScope, parseListQuery, pathUidp, type ListQueryRaw } from '../params.js';
import { identityToWire } from '../wire.js';

const Rule = (description: string) => Type.Object({}, { additionalProperties: true, description });
const AWS = 'AWS workloads: {aws_account, arn|arnPattern, userId|userIdPattern}';
const CLAIM_MATCH = 'OpenID Connect workloads: {issuer|issuerPattern, subject|subjectPattern, audience|audiencePattern, claims, claimPatterns}';
const STATIC = 'OpenID Connect workloads of an unreachable issuer: the claimMatch fields plus issuerKeys (JWKS) and expiration (at most a year away)';
const IdentityBody = Type.Object(
  {
    id: Type.Optional(Type.String()),
    name: Type.Optional(Type.String({ maxLength: 100 })),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    awsIdentity: Type.Optional(Rule(AWS)),
    aws_identity: Type.Optional(Rule(AWS)),
    claimMatch: Type.Optional(Rule(CLAIM_MATCH)),
    claim_match: Type.Optional(Rule(CLAIM_MATCH)),
    static: Type.Optional(Rule(STATIC)),
  },
  { additionalProperties: false },
);
const RELATIONSHIPS: Readonly<Record<string, IdentityKind>> = {
  aws: 'aws', claim_match: 'claimMatch', claimMatch: 'claimMatch', static: 'static', pull_token: 'pull_token',
};

function withWarnings(r: { identity: Parameters<typeof identityToWire>[0]; warnings: string[] }) {
  return r.warnings.length ? { ...identityToWire(r.identity), warnings: r.warnings } : identityToWire(r.identity);
}

export function identityRoutes(app: FastifyInstance, iam: IamService): void {
  app.get('/iam/v1/identities', {
    config: { auth: { capability: 'identity.list', unscoped: true } },
    schema: {
      tags: ['identities'], summary: 'List the identities in groups you can see (assumable identities and pull tokens)',
      querystring: listQuery({ relationship: Type.String({ description: 'Only this kind: aws, claim_match, static or pull_token' }) }),
    },
  }, async (req) => {
    const raw = req.query as ListQueryRaw & { relationship?: string };
    const kind = raw.relationship !== undefined && Object.hasOwn(RELATIONSHIPS, raw.relationship) ? RELATIONSHIPS[raw.relationship] : undefined;
    if (raw.relationship !== undefined && kind === undefined) {
      throw invalid('relationship must be aws, claim_match, static or pull_token');
    }
    const page = await iam.identities.list(callerOf(req), { ...parseListQuery(raw), ...(kind ? { kinds: [kind] } : {}) });
    return { ...page, items: page.items.map(identityToWire) };
  });

  app.get('/iam/v1/identities/*', {
    config: { auth: { capability: 'identity.list', scope: parentScope('identity id') } },
    schema: { tags: ['identities'], summary: 'Get one identity' },
  }, async (req) => {
    const id = pathUidp('identity id')(req);
    const i = await iam.identities.get(id);
    if (i.parentId === null) throw notFound('identity', id);
    return identityToWire(i);
  });

  app.post('/iam/v1/identities/*', {
    config: { auth: { capability: 'identity.create', scope: pathUidp('parent') } },
    schema: { tags: ['identities'], summary: 'Create an assumable identity in a group', body: IdentityBody },
  }, async (req, reply) => {
    const body = req.body as IdentityInput & { id?: string };
    if (body.id !== undefined) throw invalid('do not send an id when creating: the server assigns it');
    reply.code(201);
    return withWarnings(await iam.identities.create(actorOf(req), pathUidp('parent')(req), body));
  });

  app.put('/iam/v1/identities/*', {
    config: { auth: { capability: 'identity.update', scope: parentScope('identity id') } },
    schema: { tags: ['identities'], summary: 'Update an assumable identity', body: IdentityBody },
  }, async (req) => {
    const id = pathUidp('identity id')(req);
    const body = req.body as IdentityInput & { id?: string };
    if (body.id !== undefined && body.id !== id) throw invalid('the id in the body differs from the id in the path');
    return withWarnings(await iam.identities.update(actorOf(req), id, body));
  });

  app.delete('/iam/v1/identities/*', {
    config: { auth: { capability: 'identity.delete', scope: parentScope('identity id') } },
    schema: { tags: ['identities'], summary: 'Delete an assumable identity and its role bindings' },
  }, async (req) => {
    await iam.identities.delete(actorOf(req), pathUidp('identity id')(req));
    return {};
  });
}
