// What the exchange benchmark needs before it can load anything: the AWS emulator (a separate
// process) with a handful of principals, a database seeded with one identity per principal
// (each bound to a role), `latchkey serve` on it, and pools of distinct signed AWS tokens.

import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { parsePrincipalSpec, resolvePrincipal, type ResolvedPrincipal } from '../../src/aws-emulator/principals.js';
import { buildAwsToken } from '../../src/cli/build-aws-token.js';
import { IamService, OPERATOR, builtinRoleId } from '../../src/iam/index.js';
import { openStore } from '../../src/store/index.js';
import { startProcess, type Proc } from '../support/processes.js';

export const ACCOUNT = '123456789012';

export interface Emulator {
  proc: Proc;
  url: string;
  principals: ResolvedPrincipal[];
  credentials: Array<{ accessKeyId: string; secretAccessKey: string; sessionToken: string }>;
}

/** `latchkey aws-emulator` with `count` principals, and one set of credentials for each. */
export async function startEmulator(bin: string, count: number, logDir: string, nodeArgs: string[] = []): Promise<Emulator> {
  const specs = Array.from({ length: count }, (_, i) => `${ACCOUNT}:bench-role-${i}:i-0bench00000000000${i}`);
  const { proc, match } = await startProcess(process.execPath, [...nodeArgs, bin, 'aws-emulator', '--quiet', ...specs.flatMap((s) => ['--principal', s])], {
    name: 'aws-emulator', logDir, ready: /AWS emulator at (http:\/\/127\.0\.0\.1:\d+)/,
  });
  const url = match[1]!;
  const credentials = [];
  for (let i = 0; i < count; i++) {
    // The ECS/EKS container-credentials endpoint: what an SDK in a task would fetch.
    const res = await fetch(`${url}/v2/credentials/${i}`);
    if (!res.ok) throw new Error(`emulator credentials ${i}: ${res.status}`);
    const c = (await res.json()) as { AccessKeyId: string; SecretAccessKey: string; Token: string };
    credentials.push({ accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.Token });
  }
  return { proc, url, principals: specs.map((s) => resolvePrincipal(parsePrincipalSpec(s))), credentials };
}

/** Creates an organization and one assumable identity per principal, bound to viewer there. */
export async function seedExchange(database: string, principals: ResolvedPrincipal[]): Promise<string[]> {
  const store = await openStore(database);
  try {
    await store.migrate();
    const iam = new IamService(store, () => new Date(), 0);
    await iam.init();
    const org = await iam.groups.createOrganization(OPERATOR, { name: 'bench' });
    const ids: string[] = [];
    for (const p of principals) {
      const { identity } = await iam.identities.create(OPERATOR, org.id, {
        name: `bench-${p.roleName}`,
        awsIdentity: {
          aws_account: p.account,
          arnPattern: `^arn:aws:sts::${p.account}:assumed-role/${p.roleName}/(.*)$`,
          userIdPattern: '^AROA[A-Z0-9]+:(.*)$',
        },
      });
      await iam.bindings.create(OPERATOR, org.id, { identity: identity.id, role: builtinRoleId('viewer') });
      ids.push(identity.id);
    }
    return ids;
  } finally {
    await store.close();
  }
}

export interface Serve {
  proc: Proc;
  url: string;
  issuer: string;
}

/** The built `latchkey serve` on `database`, with the emulator as its STS. */
export async function startServe(bin: string, o: {
  name: string; database: string; dataDir: string; emulatorUrl: string; logDir: string; extraArgs?: string[]; nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
}): Promise<Serve> {
  const args = [
    ...(o.nodeArgs ?? []), bin, 'serve', '--port', '0', '--data-dir', o.dataDir, '--database', o.database,
    '--aws-sts-endpoints', `sts.amazonaws.com=${o.emulatorUrl}`, ...(o.extraArgs ?? []),
  ];
  const { proc, match } = await startProcess(process.execPath, args, {
    name: o.name, logDir: o.logDir, env: { ...process.env, ...o.env }, ready: /^.*"latchkey serving".*$/m, timeoutMs: 60_000,
  });
  const line = JSON.parse(match[0]) as { address: string; issuer: string };
  return { proc, url: line.address, issuer: line.issuer };
}

export interface PoolEntry {
  authorization: string;
  body: string;
}

/**
 * `perIdentity` distinct tokens for each identity, exactly as `latchkey auth login
 * --identity-provider aws` builds them (src/cli/build-aws-token.ts), bound to `audience`, all
 * signed now: each signs its own amz-sdk-invocation-id, so no two are the same request (the
 * server accepts each once), and the pool stays valid for 15 minutes. Interleaved: consecutive
 * entries are different identities.
 */
export async function tokenPool(e: Emulator, identities: string[], audience: string, perIdentity: number): Promise<PoolEntry[]> {
  const now = new Date();
  const out: PoolEntry[] = [];
  for (let k = 0; k < perIdentity; k++) {
    for (let i = 0; i < identities.length; i++) {
      const token = await buildAwsToken({ identity: identities[i]!, audience, credentials: e.credentials[i]!, signingDate: now });
      out.push({ authorization: `Bearer ${token}`, body: new URLSearchParams({ identity: identities[i]! }).toString() });
    }
  }
  return out;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
