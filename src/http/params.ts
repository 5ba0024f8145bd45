// Path and query helpers shared by the IAM routes. Parses untrusted input.

import type { FastifyRequest } from 'fastify';
import { Type, type TSchema } from '@sinclair/typebox';
import { decodePageToken } from '../iam/index.js';
import { checkUidp, invalid } from '../iam/validate.js';
import type { TreeFilter } from '../store/contract.js';

/** The UIDP in the wildcard part of the path (`/iam/v1/<kind>/<uidp>`). */
export function pathUidp(what: string) {
  return (req: FastifyRequest): string => checkUidp(what, (req.params as Record<string, string>)['*']);
}

/** The group an id lives in (its parent UIDP); for a root id, the id itself. */
export function parentScope(what: string) {
  return (req: FastifyRequest): string => {
    const id = pathUidp(what)(req);
    const i = id.lastIndexOf('/');
    return i < 0 ? id : id.slice(0, i);
  };
}

const Str = (max = 2000) => Type.Optional(Type.String({ maxLength: max }));

/** Query schema shared by lists: position filters (both spellings) and paging. */
export function listQuery(extra: Record<string, TSchema> = {}) {
  return Type.Object(
    {
      id: Str(), name: Str(200),
      'uidp.childrenOf': Str(), 'uidp.descendantsOf': Str(),
      'uidp.children_of': Str(), 'uidp.descendants_of': Str(),
      pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), pageToken: Str(),
      ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, Type.Optional(v)])),
    },
    { additionalProperties: false },
  );
}

export interface ListQueryRaw {
  id?: string; name?: string;
  'uidp.childrenOf'?: string; 'uidp.descendantsOf'?: string;
  'uidp.children_of'?: string; 'uidp.descendants_of'?: string;
  pageSize?: number; pageToken?: string;
}

/** Validates the shared list query: UIDPs well-formed, at most one position filter. */
export function parseListQuery(q: ListQueryRaw): TreeFilter & { id?: string; name?: string; limit?: number; after?: string } {
  const childrenOf = q['uidp.childrenOf'] ?? q['uidp.children_of'];
  const descendantsOf = q['uidp.descendantsOf'] ?? q['uidp.descendants_of'];
  if (childrenOf !== undefined && descendantsOf !== undefined) throw invalid('give at most one of uidp.childrenOf and uidp.descendantsOf');
  const after = decodePageToken(q.pageToken);
  if (after === null) throw invalid('pageToken is malformed: pass back the nextPageToken of the previous page');
  return {
    id: q.id === undefined ? undefined : checkUidp('id', q.id),
    name: q.name,
    childrenOf: childrenOf === undefined ? undefined : checkUidp('uidp.childrenOf', childrenOf),
    descendantsOf: descendantsOf === undefined ? undefined : checkUidp('uidp.descendantsOf', descendantsOf),
    limit: q.pageSize,
    after,
  };
}

/** Who made the change, for the audit record. */
export function actorOf(req: FastifyRequest) {
  return { caller: req.caller ?? null, remoteAddr: req.ip ?? null };
}

/** The authenticated caller (routes behind RouteAuth always have one). */
export function callerOf(req: FastifyRequest) {
  if (!req.caller) throw new Error('route reached without a caller');
  return req.caller;
}
