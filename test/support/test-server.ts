// Starts a real Latchkey server in-process on a real loopback socket, on a real SQLite
// file or a real PostgreSQL database, and helpers to act as identities in it.

import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadServerConfig, type ServerConfig } from '../../src/config/index.js';
import { OPERATOR, builtinRoleId, type Group, type Identity } from '../../src/iam/index.js';
import { createServer, type CreateServerOptions, type ServerParts } from '../../src/server/create-server.js';
import { listenFirst } from '../../src/server/main.js';

export interface TestServer extends ServerParts {
  url: string;
  dir: string;
  /** Stops the server; keeps the database (for restart tests) unless `wipe`. */
  stop(wipe?: boolean): Promise<void>;
}

export interface TestServerOptions extends CreateServerOptions {
  /** postgres:// URL; default: a SQLite file in a fresh temp dir. */
  database?: string;
  /** Reuse a directory (restart tests). */
  dir?: string;
  flags?: Record<string, string | boolean>;
}

export async function startTestServer(o: TestServerOptions = {}): Promise<TestServer> {
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'latchkey-test-'));
  const server = await listenFirst('127.0.0.1');
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const config: ServerConfig = loadServerConfig(
    { port: String(port), dataDir: dir, issuerUrl: url, ...(o.database ? { database: o.database } : {}), ...o.flags },
    {},
  );
  const parts = await createServer(config, { ...o, serverFactory: (handler) => server.on('request', handler) });
  await parts.app.ready();
  return {
    ...parts, url, dir,
    async stop(wipe = false) {
      await parts.close();
      // Fastify closes only servers it listened on itself.
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      if (wipe && !o.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const ACCOUNT = '123456789012';

export function awsRule(account = ACCOUNT) {
  return { aws_account: account, arnPattern: `^arn:aws:sts::${account}:assumed-role/test-role/(.*)$`, userIdPattern: '^AROATESTROLE:(.*)$' };
}

/** Creates an organization (as the operator). */
export async function makeOrg(s: ServerParts, name = 'org'): Promise<Group> {
  return s.iam.groups.createOrganization(OPERATOR, { name });
}

export async function makeFolder(s: ServerParts, parent: string, name = 'folder'): Promise<Group> {
  return s.iam.groups.createFolder(OPERATOR, parent, { name });
}

/** An assumable identity in `group`, bound to `role` (a built-in name) on `bindOn`. */
export async function makeIdentity(s: ServerParts, group: string, role?: string, bindOn = group): Promise<Identity> {
  const { identity } = await s.iam.identities.create(OPERATOR, group, { name: `id-${Math.random().toString(16).slice(2, 8)}`, awsIdentity: awsRule() });
  if (role) await s.iam.bindings.create(OPERATOR, bindOn, { identity: identity.id, role: builtinRoleId(role) });
  return identity;
}

/** A token for `sub`, minted by the server's own issuer for its API audience. */
export async function tokenFor(s: ServerParts, sub: string): Promise<string> {
  return (await s.issuer.mint({ sub, aud: [s.config.apiAudience], ttlSeconds: 600 })).token;
}

/** fetch against the test server, JSON in and out. */
export async function api(
  s: { url: string },
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  const res = await fetch(`${s.url}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
