// `npm run bench:iam`: IAM at scale, on SQLite and PostgreSQL, 10k vs 100k identities.
// See bench/README.md.
//
// For each backend and size: a generated tree (generate-tree.ts) loaded in bulk, then
// `latchkey serve` (the built binary) on it, and through the real code:
//   - create an identity (POST /iam/v1/identities/<folder>, as `latchkey iam identities create`);
//   - list a folder's identities, first page of 100 (GET /iam/v1/identities with
//     uidp.descendantsOf=<folder>&pageSize=100, the query `latchkey iam identities list --parent` sends);
//   - the authorization decision for a request deep in the tree (the Authorizer on the same
//     database in this process: ttl 0 = uncached, and cached);
//   - a full `latchkey iam identities list` through the CLI binary, as an owner of everything.
// Latencies are one request at a time over keep-alive (fetch), after a warm-up.
//
// Settings (environment): BENCH_SIZES (default "10000,100000" identities; groups are a tenth,
// bindings half), BENCH_BACKENDS (default "sqlite,postgres"), BENCH_REQUESTS (per HTTP metric,
// default 300), BENCH_DECISIONS (per authz metric, default 3000), BENCH_CLI_RUNS (default 3),
// BENCH_ROUNDS (default 5: the measurements interleave over every backend and size).

import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { createDatabase, startPostgres, type PostgresServer } from '../../test/support/postgres.js';
import { Authorizer, IamService, OPERATOR, builtinRoleId } from '../../src/iam/index.js';
import { SigningKeys, TokenIssuer } from '../../src/oidc/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { writeSession } from '../../src/cli/token-cache.js';
import { builtBinary } from '../support/built-binary.js';
import { startProcess } from '../support/processes.js';
import { markdownTable, median, num, percentile, verdict } from '../support/table.js';
import { tempDir } from '../exchange/setup.js';
import { generateTree, loadTree, type GeneratedTree } from './generate-tree.js';

const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'sqlite,postgres').split(',') as Array<'sqlite' | 'postgres'>;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const DECISIONS = Number(process.env.BENCH_DECISIONS ?? 3000);
const CLI_RUNS = Number(process.env.BENCH_CLI_RUNS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARMUP = 30;
const LOOP_LIMIT_MS = 120_000;

interface Result {
  backend: string;
  size: number;
  groups: number;
  bindings: number;
  createP50: number;
  createP99: number;
  listP50: number;
  listP99: number;
  authzUncachedP50: number;
  authzUncachedP99: number;
  authzCachedP50: number;
  cliListMs: number;
  cliListed: number;
}

const bin = builtBinary();
const work = tempDir('latchkey-bench-iam-');

/** Runs `op` `n` times one at a time (after a warm-up), bounded in time; latencies in ms. */
async function timed(n: number, op: (i: number) => Promise<void>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await op(i);
  const out: number[] = [];
  const deadline = Date.now() + LOOP_LIMIT_MS;
  for (let i = 0; i < n && Date.now() < deadline; i++) {
    const t0 = performance.now();
    await op(WARMUP + i);
    out.push(performance.now() - t0);
  }
  return out;
}

/** The bench's principals, created through the real services: an owner of the organization,
 * and a viewer bound at level 3 whose decisions concern the deepest folder. */
async function principals(database: string, t: GeneratedTree): Promise<{ owner: string; deepViewer: string }> {
  const store = await openStore(database);
  try {
    const iam = new IamService(store, () => new Date(), 0);
    const rule = { aws_account: '123456789012', arnPattern: '^arn:aws:sts::123456789012:assumed-role/bench/(.*)$', userIdPattern: '^AROA[A-Z0-9]+:(.*)$' };
    const { identity: owner } = await iam.identities.create(OPERATOR, t.org, { name: 'bench-owner', awsIdentity: rule });
    await iam.bindings.create(OPERATOR, t.org, { identity: owner.id, role: builtinRoleId('owner') });
    const { identity: viewer } = await iam.identities.create(OPERATOR, t.chain[2]!, { name: 'bench-deep-viewer', awsIdentity: rule });
    await iam.bindings.create(OPERATOR, t.chain[2]!, { identity: viewer.id, role: builtinRoleId('viewer') });
    return { owner: owner.id, deepViewer: viewer.id };
  } finally {
    await store.close();
  }
}

interface Env {
  backend: 'sqlite' | 'postgres';
  size: number;
  spec: { groups: number; identities: number; bindings: number; maxDepth: number };
  t: GeneratedTree;
  who: { owner: string; deepViewer: string };
  url: string;
  headers: Record<string, string>;
  store: Store;
  uncached: Authorizer;
  cached: Authorizer;
  cliEnv: NodeJS.ProcessEnv;
  stop(): Promise<void>;
  samples: { list: number[]; create: number[]; authzUncached: number[]; authzCached: number[]; cli: Array<{ ms: number; lines: number }> };
}

/** Loads a tree, starts `latchkey serve` on it, and prepares a token, a CLI session and authorizers. */
async function prepare(backend: 'sqlite' | 'postgres', size: number, pg: () => Promise<PostgresServer>): Promise<Env> {
  const spec = { groups: size / 10, identities: size, bindings: size / 2, maxDepth: 10 };
  const dir = join(work, `${backend}-${size}`);
  mkdirSync(dir, { recursive: true });
  const database = backend === 'sqlite' ? join(dir, 'latchkey.db') : await createDatabase((await pg()).url);
  process.stderr.write(`${backend}, ${size} identities: loading ${spec.groups} groups, ${spec.identities} identities, ${spec.bindings} bindings...\n`);
  const t = generateTree(spec);
  await loadTree(database, t);
  const who = await principals(database, t);
  const { proc, match } = await startProcess(process.execPath, [bin, 'serve', '--port', '0', '--data-dir', dir, '--database', database], {
    name: `serve-${backend}-${size}`, logDir: dir, ready: /^.*"latchkey serving".*$/m, timeoutMs: 120_000,
  });
  const store = await openStore(database);
  const url = (JSON.parse(match[0]) as { address: string }).address;
  // The owner's token, minted with the server's own key (keys live in the database).
  const keys = new SigningKeys(store, () => new Date(), { rotationSeconds: 7 * 86400, publishAheadSeconds: 3600, maxTokenTtlSeconds: 3600 });
  await keys.refresh();
  const minted = await new TokenIssuer(keys, url, () => new Date()).mint({ sub: who.owner, aud: [url], ttlSeconds: 3600 });
  // The CLI's own session file, as `latchkey auth login` would leave it for this identity.
  const home = join(dir, 'home');
  await writeSession(join(home, '.cache', 'latchkey', 'tokens'), {
    version: 1, kind: 'workload', api: url, issuer: url, audience: null, token: minted.token,
    expiry: minted.expiry.toISOString(), subject: who.owner, identity: who.owner, provider: 'none',
  });
  return {
    backend, size, spec, t, who, url, store,
    headers: { authorization: `Bearer ${minted.token}`, accept: 'application/json' },
    uncached: new Authorizer(store, () => new Date(), 0),
    cached: new Authorizer(store, () => new Date(), 3_600_000),
    cliEnv: {
      PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache'),
      LATCHKEY_PLATFORM_API: url, NO_COLOR: '1',
    },
    async stop() {
      await store.close();
      await proc.stop();
    },
    samples: { list: [], create: [], authzUncached: [], authzCached: [], cli: [] },
  };
}

/** One batch of every per-request measurement on `e`; `offset` keeps names and folders distinct. */
async function measureBatch(e: Env, n: number, decisions: number, offset: number): Promise<void> {
  const { t, url, headers } = e;
  e.samples.list.push(...await timed(n, async (i) => {
    const folder = t.listFolders[(offset + i) % t.listFolders.length]!;
    const res = await fetch(`${url}/iam/v1/identities?uidp.descendantsOf=${encodeURIComponent(folder)}&pageSize=100`, { headers });
    const body = (await res.json()) as { items?: unknown[]; nextPageToken?: string };
    if (res.status !== 200 || body.items?.length !== 100 || !body.nextPageToken) throw new Error(`list: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
  }));
  e.samples.create.push(...await timed(n, async (i) => {
    const k = offset + i;
    const folder = k % 2 === 0 ? t.chain[t.chain.length - 1]! : t.groups[(k * 7919) % t.groups.length]!.id;
    const res = await fetch(`${url}/iam/v1/identities/${folder}`, {
      method: 'POST', headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `created-${k}`, awsIdentity: { aws_account: '123456789012', arn: `arn:aws:sts::123456789012:assumed-role/r/s-${k}`, userIdPattern: '^AROA[A-Z0-9]+:(.*)$' } }),
    });
    await res.arrayBuffer();
    if (res.status !== 201) throw new Error(`create: ${res.status}`);
  }));
  const deepest = t.chain[t.chain.length - 1]!;
  const decide = (a: Authorizer) => timed(decisions, async (i) => {
    // Alternate a granted and a refused decision; both must come out right.
    const granted = i % 2 === 0;
    const ok = await a.can({ sub: e.who.deepViewer }, granted ? 'identity.list' : 'identity.create', deepest);
    if (ok !== granted) throw new Error(`authorizer answered ${ok} for a ${granted ? 'granted' : 'refused'} decision`);
  });
  e.samples.authzUncached.push(...await decide(e.uncached));
  e.samples.authzCached.push(...await decide(e.cached));
}

/** `latchkey iam identities list` to completion; wall time and table rows printed. */
function runCliList(env: NodeJS.ProcessEnv): Promise<{ ms: number; lines: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [bin, 'iam', 'identities', 'list'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = 0;
    let err = '';
    let head = '';
    child.stdout.on('data', (c: Buffer) => {
      if (head.length < 500) head += c.toString().slice(0, 500);
      for (const b of c) if (b === 10) lines++;
    });
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`latchkey iam identities list exited with ${code}: ${err}`));
      else if (lines < 2) reject(new Error(`latchkey iam identities list printed ${lines} line(s): ${head} ${err}`));
      else resolve({ ms: performance.now() - t0, lines: lines - 1 }); // minus the header line
    });
  });
}

function report(results: Result[]): void {
  const cell = (b: string, s: number, f: (r: Result) => number, d = 2) => {
    const r = results.find((x) => x.backend === b && x.size === s);
    return r ? num(f(r), d) : '–';
  };
  const growth = (b: string, f: (r: Result) => number) => {
    const small = results.find((x) => x.backend === b && x.size === Math.min(...SIZES));
    const big = results.find((x) => x.backend === b && x.size === Math.max(...SIZES));
    return small && big && SIZES.length > 1 ? `${num(f(big) / f(small), 2)}×` : '–';
  };
  const metrics: Array<[string, (r: Result) => number, number]> = [
    ['create an identity, p50 ms', (r) => r.createP50, 2],
    ['create an identity, p99 ms', (r) => r.createP99, 2],
    ['list a folder, first page of 100, p50 ms', (r) => r.listP50, 2],
    ['list a folder, first page of 100, p99 ms', (r) => r.listP99, 2],
    ['authz decision deep in the tree, uncached, p50 ms', (r) => r.authzUncachedP50, 3],
    ['authz decision deep in the tree, uncached, p99 ms', (r) => r.authzUncachedP99, 3],
    ['authz decision deep in the tree, cached, p50 ms', (r) => r.authzCachedP50, 4],
    ['`latchkey iam identities list` (everything), ms', (r) => r.cliListMs, 0],
    ['… per identity listed, µs', (r) => (r.cliListMs * 1000) / Math.max(1, r.cliListed), 1],
  ];
  const headers = ['metric'];
  for (const b of BACKENDS) {
    for (const s of SIZES) headers.push(`${b} ${s / 1000}k`);
    if (SIZES.length > 1) headers.push(`${b} growth`);
  }
  const rows = metrics.map(([label, f, d]) => {
    const row = [label];
    for (const b of BACKENDS) {
      for (const s of SIZES) row.push(cell(b, s, f, d));
      if (SIZES.length > 1) row.push(growth(b, f));
    }
    return row;
  });
  process.stdout.write(`\nIAM at scale: groups = identities/10 (up to 10 levels deep), bindings = identities/2; ${REQUESTS} requests and `
    + `${DECISIONS} decisions per metric after ${WARMUP} warm-up, one at a time; growth = largest size ÷ smallest.\n\n`);
  process.stdout.write(`${markdownTable(headers, rows)}\n\n`);
  const big = Math.max(...SIZES);
  const at = (b: string) => results.find((x) => x.backend === b && x.size === big);
  const checks: string[][] = [];
  const s = at('sqlite');
  const p = at('postgres');
  if (s) checks.push([`list page p50, SQLite, ${big / 1000}k`, '≤ 10 ms', num(s.listP50, 2), verdict(s.listP50 <= 10)]);
  if (p) checks.push([`list page p50, PostgreSQL, ${big / 1000}k`, '≤ 20 ms', num(p.listP50, 2), verdict(p.listP50 <= 20)]);
  for (const r of [s, p]) if (r) checks.push([`authz decision uncached p50, ${r.backend}, ${big / 1000}k`, '≤ 1 ms', num(r.authzUncachedP50, 3), verdict(r.authzUncachedP50 <= 1)]);
  if (SIZES.length > 1) {
    for (const b of BACKENDS) {
      for (const [label, f] of [['list page p50', (r: Result) => r.listP50], ['authz uncached p50', (r: Result) => r.authzUncachedP50], ['create p50', (r: Result) => r.createP50]] as const) {
        const small = results.find((x) => x.backend === b && x.size === Math.min(...SIZES));
        const large = at(b);
        if (small && large) {
          const g = f(large) / f(small);
          checks.push([`${label}, ${b}: ${big / 1000}k ÷ ${Math.min(...SIZES) / 1000}k (flat)`, '≤ 1.5', num(g, 2), verdict(g <= 1.5)]);
        }
      }
    }
  }
  process.stdout.write(`${markdownTable(['target', 'required', 'measured', 'verdict'], checks)}\n`);
}

async function main(): Promise<void> {
  let pgServer: PostgresServer | undefined;
  const pg = async () => (pgServer ??= await startPostgres());
  const envs: Env[] = [];
  try {
    for (const backend of BACKENDS) for (const size of SIZES) envs.push(await prepare(backend, size, pg));
    // Interleaved: every size and backend is measured in each round, so a noisy minute on this
    // shared machine falls on all of them alike.
    for (let round = 0; round < ROUNDS; round++) {
      process.stderr.write(`round ${round + 1}/${ROUNDS}: list, create, authz on ${envs.map((e) => `${e.backend} ${e.size / 1000}k`).join(', ')}...\n`);
      for (const e of envs) await measureBatch(e, Math.ceil(REQUESTS / ROUNDS), Math.ceil(DECISIONS / ROUNDS), round * 100_000);
    }
    for (let r = 0; r < CLI_RUNS; r++) {
      process.stderr.write(`latchkey iam identities list, run ${r + 1}/${CLI_RUNS}...\n`);
      for (const e of envs) e.samples.cli.push(await runCliList(e.cliEnv));
    }
    report(envs.map(resultOf));
  } finally {
    for (const e of envs) await e.stop().catch(() => {});
    await pgServer?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

function resultOf(e: Env): Result {
  const cli = [...e.samples.cli].sort((a, b) => a.ms - b.ms)[Math.floor(e.samples.cli.length / 2)]!;
  if (cli.lines < e.spec.identities) throw new Error(`the CLI listed ${cli.lines} identities of ${e.spec.identities}`);
  return {
    backend: e.backend, size: e.size, groups: e.spec.groups, bindings: e.spec.bindings,
    createP50: median(e.samples.create), createP99: percentile(e.samples.create, 99),
    listP50: median(e.samples.list), listP99: percentile(e.samples.list, 99),
    authzUncachedP50: median(e.samples.authzUncached), authzUncachedP99: percentile(e.samples.authzUncached, 99),
    authzCachedP50: median(e.samples.authzCached),
    cliListMs: cli.ms, cliListed: cli.lines,
  };
}

await main();
