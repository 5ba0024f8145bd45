// /iam/v1/groups: organizations and folders.

import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { IamService } from '../../iam/index.js';
import { invalid } from '../../iam/validate.js';
import { actorOf, callerOf, listQuery, parseListQuery, pathUidp, type ListQueryRaw } from '../params.js';

const GroupBody = Type.Object(
  { name: Type.String({ maxLength: 100 }), description: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
);
const GroupPatch = Type.Object(
  { id: Type.Optional(Type.String()), name: Type.Optional(Type.String({ maxLength: 100 })), description: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
);
const GroupQuery = listQuery({ parent: Type.String({ maxLength: 2000 }) });

export function groupRoutes(app: FastifyInstance, iam: IamService): void {
  app.get('/iam/v1/groups', {
    config: { auth: { capability: 'groups.list', unscoped: true } },
    schema: { tags: ['groups'], summary: 'List the groups you can see', querystring: GroupQuery },
  }, async (req) => {
    const raw = req.query as ListQueryRaw & { parent?: string };
    const q = parseListQuery(raw);
    if (raw.parent !== undefined && raw.parent !== '/') {
      if (q.childrenOf !== undefined || q.descendantsOf !== undefined) throw invalid('give parent or a uidp filter, not both');
      q.childrenOf = parseListQuery({ 'uidp.childrenOf': raw.parent }).childrenOf;
    }
    return iam.groups.list(callerOf(req), { ...q, rootsOnly: raw.parent === '/' });
  });

  app.get('/iam/v1/groups/*', {
    config: { auth: { capability: 'groups.list', scope: pathUidp('group id') } },
    schema: { tags: ['groups'], summary: 'Get one group' },
  }, async (req) => iam.groups.get(pathUidp('group id')(req)));

  app.post('/iam/v1/groups', {
    config: { auth: { authenticated: true } },
    schema: { tags: ['groups'], summary: 'Organizations are created by the operator', body: GroupBody },
  }, async () => {
    throw invalid('organizations are created by the operator with `latchkey admin bootstrap`; create a folder with POST /iam/v1/groups/<parent>');
  });

  app.post('/iam/v1/groups/*', {
    config: { auth: { capability: 'groups.create', scope: pathUidp('parent') } },
    schema: { tags: ['groups'], summary: 'Create a folder under a group', body: GroupBody },
  }, async (req, reply) => {
    reply.code(201);
    return iam.groups.createFolder(actorOf(req), pathUidp('parent')(req), req.body as { name: string; description?: string });
  });

  app.put('/iam/v1/groups/*', {
    config: { auth: { capability: 'groups.update', scope: pathUidp('group id') } },
    schema: { tags: ['groups'], summary: 'Rename or describe a group', body: GroupPatch },
  }, async (req) => {
    const id = pathUidp('group id')(req);
    const body = req.body as { id?: string; name?: string; description?: string };
    if (body.id !== undefined && body.id !== id) throw invalid('the id in the body differs from the id in the path');
    return iam.groups.update(actorOf(req), id, body);
  });

  app.delete('/iam/v1/groups/*', {
    config: { auth: { capability: 'groups.delete', scope: pathUidp('group id') } },
    schema: { tags: ['groups'], summary: 'Delete a group and everything beneath it' },
  }, async (req) => ({ deleted: await iam.groups.delete(actorOf(req), pathUidp('group id')(req)) }));
}
