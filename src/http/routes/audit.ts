// /iam/v1/audit: the record of IAM changes, for owners.

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
        { group: Type.String({ maxLength: 2000 }), pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) },
        { additionalProperties: false },
      ),
    },
  }, async (req) => iam.audit(groupOf(req), (req.query as { pageSize?: number }).pageSize));
}
