// What the exchange benchmark loads: the ceiling and the peer (plain .mjs servers), and
// `latchkey serve` on SQLite or PostgreSQL with the emulator as its STS — each with how to make
// the credentials of its requests.

import { join, resolve } from 'node:path';
import { rmSync } from 'node:fs';
import { createDatabase, type PostgresServer } from '../../test/support/postgres.js';
import { ROOT } from '../support/built-binary.js';
import { startProcess, type Proc } from '../support/processes.js';
import { seedExchange, startServe, tempDir, tokenPool, type Emulator, type PoolEntry } from './setup.js';

export interface Target {
  name: string;
  proc: Proc;
  url: string;
  path: string;
  contentType: string;
  /** A fresh pool of request credentials, taken right before each run. */
  pool: () => Promise<PoolEntry[]>;
  usesEmulator: boolean;
}

export interface TargetContext {
  bin: string;
  emulator: Emulator;
  logDir: string;
  /** Distinct tokens per identity for the ceiling (which ignores them: a fixed pool is enough). */
  tokensPerIdentity: number;
  /**
   * Distinct tokens per identity for one run of a Latchkey target: enough that no token comes
   * round twice (the server accepts each credential once; a replay would count as an error).
   */
  runTokensPerIdentity: number;
  serveArgs: string[];
  serveNodeArgs: string[];
  /** Node flags that profile the process called `name` (empty when not profiling). */
  profileArgs: (name: string) => string[];
  /** The PostgreSQL server, started on first use. */
  postgres: () => Promise<PostgresServer>;
  /** Clean-ups, run in reverse order at the end. */
  stops: Array<() => Promise<void>>;
}

const FORM = 'application/x-www-form-urlencoded';
// The client registered in peer-server.mjs.
const PEER_AUTH = `Basic ${Buffer.from('bench-client:bench-client-secret-0123456789abcdef').toString('base64')}`;

/**
 * Starts the target `name`: "ceiling", "peer", "latchkey-sqlite" or "latchkey-postgres", or a
 * variant "latchkey-sqlite+foo" — the same server with the flags in BENCH_ARGS_FOO, node flags
 * in BENCH_NODE_ARGS_FOO, environment in BENCH_ENV_FOO ("K=V K=V") and the build in BENCH_BIN_FOO.
 */
export async function startTarget(name: string, ctx: TargetContext): Promise<Target> {
  const { emulator } = ctx;
  if (name === 'ceiling' || name === 'peer') {
    const { proc, match } = await startProcess(process.execPath, [...ctx.profileArgs(name), resolve(import.meta.dirname, `${name}-server.mjs`)], {
      name, logDir: ctx.logDir, ready: /listening (http:\/\/127\.0\.0\.1:\d+)/, cwd: ROOT,
    });
    ctx.stops.push(() => proc.stop());
    // The ceiling gets requests of the exchange's size (real signed tokens, which it ignores),
    // so the load generator and the HTTP parser do the same work for both.
    const placeholders = emulator.principals.map((_, i) => `${'0'.repeat(39)}${i}`);
    return {
      name, proc, url: match[1]!, path: '/token', contentType: FORM, usesEmulator: false,
      pool: name === 'ceiling'
        ? () => tokenPool(emulator, placeholders, 'http://127.0.0.1/ceiling', ctx.tokensPerIdentity)
        : async () => [{ authorization: PEER_AUTH, body: 'grant_type=client_credentials&scope=api%3Aread' }],
    };
  }
  if (!/^latchkey-(sqlite|postgres)(\+\w+)?$/.test(name)) throw new Error(`unknown target ${name}`);
  const variant = name.split('+')[1]?.toUpperCase();
  const fromEnv = (prefix: string) => (variant ? (process.env[`${prefix}${variant}`] ?? '') : '').split(' ').filter(Boolean);
  const dataDir = tempDir('latchkey-bench-data-');
  ctx.stops.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const database = name.startsWith('latchkey-postgres') ? await createDatabase((await ctx.postgres()).url) : join(dataDir, 'latchkey.db');
  const identities = await seedExchange(database, emulator.principals);
  const serve = await startServe((variant && process.env[`BENCH_BIN_${variant}`]) || ctx.bin, {
    name, database, dataDir, emulatorUrl: emulator.url, logDir: ctx.logDir,
    extraArgs: [...ctx.serveArgs, ...fromEnv('BENCH_ARGS_')],
    nodeArgs: [...ctx.serveNodeArgs, ...fromEnv('BENCH_NODE_ARGS_'), ...ctx.profileArgs(name)],
    env: Object.fromEntries(fromEnv('BENCH_ENV_').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])),
  });
  ctx.stops.push(() => serve.proc.stop());
  return {
    name, proc: serve.proc, url: serve.url, path: '/sts/exchange', contentType: FORM, usesEmulator: true,
    pool: () => tokenPool(emulator, identities, serve.issuer, ctx.runTokensPerIdentity),
  };
}
