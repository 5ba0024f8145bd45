// The ECS task / EKS Pod Identity credentials endpoint: what AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
// (ECS, `/v2/credentials/<id>`) and AWS_CONTAINER_CREDENTIALS_FULL_URI (EKS Pod Identity,
// Greengrass: `/v1/credentials`, `/ecs/credentials`) point an SDK at.
// Parses attacker-controlled input (any local client's request).

import { timingSafeEqual } from 'node:crypto';
import { HEADER } from './constants.js';
import type { IssuedCredentials } from './credential-store.js';
import { json, type PlainResponse } from './plain-response.js';
import type { ResolvedPrincipal } from './principals.js';
import type { ReceivedRequest } from './received-request.js';

export interface ContainerContext {
  principals: readonly ResolvedPrincipal[];
  /** When set, every request must carry exactly this `Authorization` value. */
  authorizationToken?: string;
  credentials: (principalIndex: number) => IssuedCredentials;
}

const V2 = /^\/v2\/credentials\/([A-Za-z0-9._~-]{1,128})$/;

/** True for the paths this handler serves. */
export function isContainerCredentialsPath(path: string): boolean {
  return V2.test(path) || path === '/v1/credentials' || path === '/ecs/credentials';
}

/**
 * `/v2/credentials/<n>` with `<n>` a principal index serves that principal; any other id, and
 * the other two paths, serve principal 0 (the task's role).
 */
function principalIndex(path: string, count: number): number {
  const id = V2.exec(path)?.[1];
  return id !== undefined && /^\d{1,4}$/.test(id) && Number(id) < count ? Number(id) : 0;
}

function authorized(req: ReceivedRequest, expected: string | undefined): boolean {
  if (expected === undefined) return true;
  const sent = req.headers.get(HEADER.authorization);
  if (sent?.length !== 1) return false;
  const a = Buffer.from(sent[0]!.trim());
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function handleContainerCredentials(req: ReceivedRequest, ctx: ContainerContext): PlainResponse {
  if (req.method !== 'GET') return json(405, { Code: 'MethodNotAllowed', Message: 'Only GET is supported' });
  if (!authorized(req, ctx.authorizationToken)) {
    return json(401, { Code: 'AccessDenied', Message: 'Authorization header is missing or wrong' });
  }
  const index = principalIndex(req.path, ctx.principals.length);
  const c = ctx.credentials(index);
  return json(200, {
    AccessKeyId: c.accessKeyId,
    SecretAccessKey: c.secretAccessKey,
    Token: c.sessionToken,
    Expiration: c.expiration,
    RoleArn: ctx.principals[index]!.roleArn,
  });
}
