// /iam/v1/rolebindings: identity × role × group.

import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { BindingInput, IamService } from '../../iam/index.js';
import { invalid } from '../../iam/validate.js';
import { actorOf, callerOf, listQuery, parentScope, parseListQuery, pathUidp, type ListQueryRaw } from '../params.js';

const BindingBody = Type.Object(
  {
    identity: Type.Optional(Type.String({ maxLength: 2000 })),
    email: Type.Optional(Type.String({ maxLength: 320 })),
    role: Type.String({ maxLength: 2000 }),
    group: Type.Optional(Type.String({ maxLength: 2000, description: 'ignored (deprecated in chainguard too): the group is the parent in the path' })),
  },
  { additionalProperties: false },
);
const BindingPatch = Type.Object(
  { id: Type.Optional(Type.String()), role: Type.String({ maxLength: 2000 }), identity: Type.Optional(Type.String()), group: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

export function roleBindingRoutes(app: FastifyInstance, iam: IamService): void {
  app.get('/iam/v1/rolebindings', {
    config: { auth: { capability: 'role_bindings.list', unscoped: true } },
    schema: {
      tags: ['rolebindings'], summary: 'List the role bindings and invitations (pending: true) you can see',
      querystring: listQuery({ identity: Type.String({ maxLength: 2000 }), role: Type.String({ maxLength: 2000 }), email: Type.String({ maxLength: 320 }) }),
    },
  }, async (req) => {
    const raw = req.query as ListQueryRaw & { identity?: string; role?: string; email?: string };
    return iam.bindings.list(callerOf(req), { ...parseListQuery(raw), identity: raw.identity, role: raw.role, email: raw.email });
  });

  app.get('/iam/v1/rolebindings/*', {
    config: { auth: { capability: 'role_bindings.list', scope: parentScope('role binding id') } },
    schema: { tags: ['rolebindings'], summary: 'Get one role binding or invitation' },
  }, async (req) => iam.bindings.get(pathUidp('role binding id')(req)));

  app.post('/iam/v1/rolebindings/*', {
    config: { auth: { capability: 'role_bindings.create', scope: pathUidp('parent') } },
    schema: { tags: ['rolebindings'], summary: 'Bind an identity (or a person by email) to a role in a group', body: BindingBody },
  }, async (req, reply) => {
    const body = req.body as BindingInput & { group?: string };
    const parent = pathUidp('parent')(req);
    if (body.group !== undefined && body.group !== parent) throw invalid('the group in the body differs from the parent in the path');
    reply.code(201);
    return iam.bindings.create(actorOf(req), parent, { identity: body.identity, email: body.email, role: body.role });
  });

  app.put('/iam/v1/rolebindings/*', {
    config: { auth: { capability: 'role_bindings.update', scope: parentScope('role binding id') } },
    schema: { tags: ['rolebindings'], summary: "Change a binding's role", body: BindingPatch },
  }, async (req) => {
    const id = pathUidp('role binding id')(req);
    const body = req.body as { id?: string; role: string; identity?: string; group?: string };
    if (body.id !== undefined && body.id !== id) throw invalid('the id in the body differs from the id in the path');
    const cur = await iam.bindings.get(id);
    if ((body.identity !== undefined && !('identity' in cur && body.identity === cur.identity)) || (body.group !== undefined && body.group !== cur.group)) {
      throw invalid('only the role of a binding can change; delete it and create another to bind someone else');
    }
    return iam.bindings.update(actorOf(req), id, { role: body.role });
  });

  app.delete('/iam/v1/rolebindings/*', {
    config: { auth: { capability: 'role_bindings.delete', scope: parentScope('role binding id') } },
    schema: { tags: ['rolebindings'], summary: 'Delete a role binding or invitation' },
  }, async (req) => {
    await iam.bindings.delete(actorOf(req), pathUidp('role binding id')(req));
    return {};
  });
}
