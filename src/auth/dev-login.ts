// Dev login, for `latchkey serve --dev` only: a built-in "provider" that signs in one dev user
// with no browser, so `latchkey auth login` just works locally. On first start the dev user gets
// a dev organization to own. Loopback only — by socket, by Host (against DNS rebinding) and by
// Origin (against web pages posting to it) — and the route does not exist outside --dev.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isLoopbackHost } from '../config/index.js';
import { LatchkeyError } from '../errors/index.js';
import { OPERATOR, builtinRoleId, type IamService } from '../iam/index.js';
import type { Store } from '../store/contract.js';
import { CLI_CLIENT_ID, PATHS } from './constants.js';
import type { AuthErrorCode } from './errors.js';
import type { HumanSessions } from './human-sessions.js';

export const DEV_USER = { subject: 'dev', email: 'dev@latchkey.localhost', name: 'Dev User' };
const DEV_ORG = 'dev-org';

/** Creates (or finds) the dev user; on an empty server, also a dev organization they own. */
export async function setUpDevUser(iam: IamService, store: Pick<Store, 'listGroups'>, issuerUrl: string): Promise<string> {
  const userInfo = { issuer: `${issuerUrl}/dev`, subject: DEV_USER.subject, email: DEV_USER.email };
  const { identity: user } = await iam.identities.upsertUser(OPERATOR, userInfo, DEV_USER.name);
  const orgs = await store.listGroups({ rootsOnly: true, limit: 1 });
  if (orgs.length === 0) {
    const org = await iam.groups.createOrganization(OPERATOR, { name: DEV_ORG, description: 'Created by latchkey serve --dev' });
    await iam.bindings.create(OPERATOR, org.id, { identity: user.id, role: builtinRoleId('owner') });
  }
  return user.id;
}

export function devLoginRoute(app: FastifyInstance, d: { sessions: HumanSessions; userId: string }): void {
  app.post(PATHS.devLogin, {
    config: { auth: { public: true } },
    schema: { tags: ['auth'], summary: 'Dev login (only under serve --dev, loopback only)' },
  }, async (req, reply) => {
    refuseNonLoopback(req);
    reply.header('cache-control', 'no-store');
    const s = await d.sessions.start(d.userId, CLI_CLIENT_ID);
    return { token: s.response.access_token, refreshToken: s.response.refresh_token, expiry: s.expiry.toISOString(), identity: s.identity };
  });
}

function refuseNonLoopback(req: FastifyRequest): void {
  const peer = req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '';
  const host = hostnameOf(`http://${req.headers.host ?? ''}`);
  const origin = req.headers.origin;
  const originOk = origin === undefined || (hostnameOf(origin) !== undefined && isLoopbackHost(hostnameOf(origin)!));
  if (!isLoopbackHost(peer) || !host || !isLoopbackHost(host) || !originOk) {
    throw new LatchkeyError<AuthErrorCode>('DEV_LOGIN_REFUSED', 'dev login answers only loopback clients that call it by a loopback address (not from a web page)');
  }
}

function hostnameOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}
