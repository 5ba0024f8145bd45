// /iam/v1/roles: built-in and custom roles.

import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { IamService, RoleInput } from '../../iam/index.js';
import { invalid } from '../../iam/validate.js';
import { actorOf, callerOf, listQuery, parentScope, parseListQuery, pathUidp, type ListQueryRaw } from '../params.js';

const Caps = Type.Array(Type.String({ maxLength: 100 }), { maxItems: 100 });
const RoleBody = Type.Object(
  { name: Type.String({ maxLength: 100 }), description: Type.Optional(Type.String({ maxLength: 1000 })), capabilities: Caps },
  { additionalProperties: false },
);
const RolePatch = Type.Object(
  { id: Type.Optional(Type.String()), name: Type.Optional(Type.String({ maxLength: 100 })), description: Type.Optional(Type.String({ maxLength: 1000 })), capabilities: Type.Optional(Caps) },
  { additionalProperties: false },
);

export function roleRoutes(app: FastifyInstance, iam: IamService): void {
  app.get('/iam/v1/roles', {
    config: { auth: { capability: 'roles.list', unscoped: true } },
    schema: { tags: ['roles'], summary: 'List built-in roles and the custom roles you can see', querystring: listQuery({ parent: Type.String({ maxLength: 2000 }) }) },
  }, async (req) => {
    const raw = req.query as ListQueryRaw & { parent?: string };
    const q = parseListQuery(raw);
    if (raw.parent !== undefined && raw.parent !== '/') q.childrenOf = parseListQuery({ 'uidp.childrenOf': raw.parent }).childrenOf;
    return iam.roles.list(callerOf(req), { ...q, builtinOnly: raw.parent === '/' });
  });

  app.get('/iam/v1/roles/*', {
    config: { auth: { authenticated: true } },
    schema: { tags: ['roles'], summary: 'Get one role (built-in, or custom where you hold roles.list)' },
  }, async (req) => iam.roles.get(callerOf(req), pathUidp('role id')(req)));

  app.post('/iam/v1/roles/*', {
    config: { auth: { capability: 'roles.create', scope: pathUidp('parent') } },
    schema: { tags: ['roles'], summary: 'Create a custom role in a group', body: RoleBody },
  }, async (req, reply) => {
    reply.code(201);
    return iam.roles.create(actorOf(req), pathUidp('parent')(req), req.body as RoleInput);
  });

  app.put('/iam/v1/roles/*', {
    config: { auth: { capability: 'roles.update', scope: parentScope('role id') } },
    schema: { tags: ['roles'], summary: 'Update a custom role', body: RolePatch },
  }, async (req) => {
    const id = pathUidp('role id')(req);
    const body = req.body as RoleInput & { id?: string };
    if (body.id !== undefined && body.id !== id) throw invalid('the id in the body differs from the id in the path');
    return iam.roles.update(actorOf(req), id, body);
  });

  app.delete('/iam/v1/roles/*', {
    config: { auth: { capability: 'roles.delete', scope: parentScope('role id') } },
    schema: { tags: ['roles'], summary: 'Delete a custom role and its bindings' },
  }, async (req) => {
    await iam.roles.delete(actorOf(req), pathUidp('role id')(req));
    return {};
  });
}
