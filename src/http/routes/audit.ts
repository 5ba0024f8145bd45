// /iam/v1/audit: the record of IAM changes and exchanges, for owners.

import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IamService } from '../../iam/index.js';
import { checkUidp } from '../../iam/validate.js';

const groupOf = (req: FastifyRequest) => checkUidp('group', (req.query as { group?: string }).group);

export function auditRoutes(app: FastifyInstance, iam: IamService): void {
  app.get('/iam/v1/audit', {
    config: { auth: { capability: 'audit.list', scope: groupOf } },
    schema: {
      tags: ['audit'], summary: 'IAM changes within a group, newest first',
      querystring: Type.Object(
        {
          group: Type.String({ maxLength: 2000 }),
          pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          identity: Type.Optional(Type.String({ maxLength: 2000, description: 'Only events about this identity (their target)' })),
          refused: Type.Optional(Type.Boolean({ description: 'Only refused exchanges (sts.exchange.denied), each with the trace of its first attempt' })),
        },
        { additionalProperties: false },
      ),
    },
  }, async (req) => {
    const q = req.query as { pageSize?: number; identity?: string; refused?: boolean };
    return iam.audit(groupOf(req), q.pageSize, {
      ...(q.identity !== undefined ? { target: checkUidp('identity', q.identity) } : {}),
      ...(q.refused ? { actions: ['sts.exchange.denied'] } : {}),
    });
  });
}
