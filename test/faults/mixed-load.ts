// A bounded mixed load on a test server: exchanges, IAM reads, IAM writes and JWKS, from a few
// concurrent workers, each request recorded with its outcome and latency. Bounded in count and
// in time: every run stops at `maxRequests` or `maxMs`, whichever comes first.

import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFakeSts, jsonIdentity, type FakeSts } from '../aws-token/fake-sts.js';
import { createStsClient } from '../../src/aws/index.js';
import { OPERATOR, builtinRoleId } from '../../src/iam/index.js';
import { buildAwsToken } from '../support/aws-token-builder.js';
import { ACCOUNT, awsRule, makeOrg, startTestServer, tokenFor, type TestServer, type TestServerOptions } from '../support/test-server.js';

export const KINDS = ['exchange', 'iam-read', 'iam-write', 'jwks'] as const;
export type Kind = (typeof KINDS)[number];

export interface Outcome {
  kind: Kind;
  /** HTTP status, or 0 when the request itself failed (connection refused, reset: the process died). */
  status: number;
  code?: string;
  retryAfter: string | null;
  startedAt: number;
  ms: number;
}

export interface LoadTarget {
  s: TestServer;
  sts: FakeSts;
  org: string;
  identity: string;
  apiToken: string;
  /** Exchanges this target granted so far (each must end up as one audit record). */
  granted: number;
  close(): Promise<void>;
}

/**
 * A server with an organization, an assumable AWS identity that owns it, and an STS stand-in.
 * No authorization cache unless `flags` set one: every request of the load reaches the database.
 */
export async function startLoadTarget(o: TestServerOptions): Promise<LoadTarget> {
  const arn = `arn:aws:sts::${ACCOUNT}:assumed-role/test-role/i-0load`;
  const sts = await startFakeSts((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(jsonIdentity(arn, ACCOUNT, 'AROATESTROLE:i-0load'));
  });
  const client = createStsClient({ overrides: { 'sts.amazonaws.com': sts.url, 'sts.us-east-1.amazonaws.com': sts.url } });
  const s = await startTestServer({ ...o, sts: client, flags: { authzCacheTtl: '0', ...o.flags } });
  const org = (await makeOrg(s)).id;
  const identity = (await s.iam.identities.create(OPERATOR, org, { name: 'loader', awsIdentity: awsRule() })).identity.id;
  await s.iam.bindings.create(OPERATOR, org, { identity, role: builtinRoleId('owner') });
  const apiToken = await tokenFor(s, identity);
  return {
    s, sts, org, identity, apiToken, granted: 0,
    async close() {
      await s.stop(true);
      await sts.close();
    },
  };
}

/** One request of `kind`; never throws. */
export async function request(t: LoadTarget, kind: Kind): Promise<Outcome> {
  const startedAt = Date.now();
  let res: Response | undefined;
  try {
    switch (kind) {
      case 'exchange': {
        const tok = await buildAwsToken({ accessKeyId: 'AKIAEXAMPLEEXAMPLE12', secretAccessKey: 'secret' }, { identity: t.identity, audience: t.s.url });
        res = await fetch(`${t.s.url}/sts/exchange?identity=${encodeURIComponent(t.identity)}`, {
          method: 'POST', headers: { authorization: `Bearer ${tok}` }, signal: AbortSignal.timeout(20_000),
        });
        break;
      }
      case 'iam-read':
        res = await fetch(`${t.s.url}/iam/v1/identities`, { headers: { authorization: `Bearer ${t.apiToken}` }, signal: AbortSignal.timeout(20_000) });
        break;
      case 'iam-write':
        res = await fetch(`${t.s.url}/iam/v1/groups/${t.org}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${t.apiToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: `f-${randomBytes(6).toString('hex')}` }),
          signal: AbortSignal.timeout(20_000),
        });
        break;
      case 'jwks':
        res = await fetch(`${t.s.url}/.well-known/jwks.json`, { signal: AbortSignal.timeout(20_000) });
        break;
    }
  } catch {
    return { kind, status: 0, retryAfter: null, startedAt, ms: Date.now() - startedAt };
  }
  const text = await res.text();
  let code: string | undefined;
  try {
    code = (JSON.parse(text) as { code?: string }).code;
  } catch {
    /* not JSON */
  }
  if (kind === 'exchange' && res.status === 200) t.granted++;
  return { kind, status: res.status, code, retryAfter: res.headers.get('retry-after'), startedAt, ms: Date.now() - startedAt };
}

/** Runs `workers` loops of mixed requests until `stop()` says so, `maxRequests` in all or `maxMs`. */
export async function runLoad(
  t: LoadTarget,
  o: { workers: number; maxRequests: number; maxMs: number; stop?: () => boolean; pauseMs?: number },
): Promise<Outcome[]> {
  const out: Outcome[] = [];
  const end = Date.now() + o.maxMs;
  let issued = 0;
  await Promise.all(Array.from({ length: o.workers }, async (_, w) => {
    for (let i = w; Date.now() < end && issued < o.maxRequests && !o.stop?.(); i++) {
      issued++;
      out.push(await request(t, KINDS[i % KINDS.length]!));
      if (o.pauseMs) await sleep(o.pauseMs);
    }
  }));
  return out;
}

/** Polls /readyz every 50 ms until it answers `want` (200 or 503); the time that took, or undefined past `maxMs`. */
export async function waitForReadyz(t: LoadTarget, want: 200 | 503, maxMs: number): Promise<number | undefined> {
  const start = Date.now();
  while (Date.now() - start < maxMs) {
    try {
      const r = await fetch(`${t.s.url}/readyz`, { signal: AbortSignal.timeout(5000) });
      await r.text();
      if (r.status === want) return Date.now() - start;
    } catch {
      /* keep polling */
    }
    await sleep(50);
  }
  return undefined;
}

/** Time until one request of every kind succeeds (2xx), retrying each kind every 100 ms; undefined past `maxMs`. */
export async function timeUntilAllSucceed(t: LoadTarget, maxMs: number): Promise<number | undefined> {
  const start = Date.now();
  const pending = new Set<Kind>(KINDS);
  while (pending.size > 0 && Date.now() - start < maxMs) {
    for (const k of [...pending]) {
      const r = await request(t, k);
      if (r.status >= 200 && r.status < 300) pending.delete(k);
    }
    if (pending.size > 0) await sleep(100);
  }
  return pending.size === 0 ? Date.now() - start : undefined;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
