// `npm run bench:exchange`: exchange throughput and latency against the ceiling and the peer,
// in one run, on one load generator. See bench/README.md.
//
// Processes (all on 127.0.0.1, all stopped by PID at the end):
//   aws-emulator      `latchkey aws-emulator`, Latchkey's STS (5 principals)
//   latchkey-sqlite   `latchkey serve` (built binary), SQLite in a temp dir
//   latchkey-postgres `latchkey serve` on a throwaway PostgreSQL server
//   ceiling           bare Fastify route signing one ES256 JWT with jose per request
//   peer              oidc-provider, client_credentials grant, ES256 JWT access tokens
//   load              autocannon (bench/exchange/load.mjs), one per measured run
//
// Settings (environment):
//   BENCH_DURATION, BENCH_WARMUP   seconds measured / warm-up per run (default 20 / 5)
//   BENCH_CONNECTIONS              default "16,64"
//   BENCH_ROUNDS                   default 2; targets interleave within each round, and every
//                                  figure is the median over rounds of a ratio within one round
//   BENCH_TARGETS                  default "ceiling,peer,latchkey-sqlite,latchkey-postgres"
//   BENCH_POOL                     distinct tokens per identity for the ceiling (default 300, 5 identities)
//   BENCH_MAX_RATE                 req/s the Latchkey pools are sized for (default 5000): each
//                                  run gets BENCH_MAX_RATE × (warm-up + duration) fresh tokens, as
//                                  the server accepts each once (a token coming round twice
//                                  would be a CREDENTIAL_REPLAYED error in the table)
//   BENCH_SERVE_ARGS, BENCH_SERVE_NODE_ARGS, BENCH_EMULATOR_NODE_ARGS   extra flags
//   BENCH_PROFILE=label            --cpu-prof every server and the emulator; summaries go to
//                                  bench/profiles/label-<process>.txt
//   BENCH_JSON=file                raw results; BENCH_KEEP_LOGS=1 keeps every process's output
// One-time use on vs off: BENCH_TARGETS=latchkey-sqlite,latchkey-sqlite+off,latchkey-postgres,latchkey-postgres+off
// BENCH_ARGS_OFF=--one-time-credentials=false (the report then adds an on ÷ off table).
// A/B within one run: target "latchkey-sqlite+foo" is the same server with the flags in
// BENCH_ARGS_FOO, node flags in BENCH_NODE_ARGS_FOO, environment in BENCH_ENV_FOO ("K=V K=V")
// and the build in BENCH_BIN_FOO (bench/support/build-at.sh COMMIT DIR makes one).

import { fork, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startPostgres, type PostgresServer } from '../../test/support/postgres.js';
import { builtBinary, ROOT } from '../support/built-binary.js';
import { cpuSeconds, sampleRss } from '../support/proc-stats.js';
import { num } from '../support/table.js';
import { report, type LoadResult, type Measured } from './report.js';
import { startEmulator, tempDir, type Emulator } from './setup.js';
import { startTarget, type Target } from './targets.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '16,64').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const TARGETS = (process.env.BENCH_TARGETS ?? 'ceiling,peer,latchkey-sqlite,latchkey-postgres').split(',');
const POOL = Number(process.env.BENCH_POOL ?? 300);
const MAX_RATE = Number(process.env.BENCH_MAX_RATE ?? 5000);
const PROFILE = process.env.BENCH_PROFILE;
const IDENTITIES = 5;
const words = (v: string | undefined) => (v ?? '').split(' ').filter(Boolean);

const logDir = tempDir('latchkey-bench-exchange-');
const profileArgs = (who: string) => (PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(logDir, `prof-${who}`)}`] : []);
const bin = builtBinary();

/** Runs the load generator against `t`; measures the server (and emulator) around the measured part. */
async function measure(t: Target, connections: number, round: number, emulator: Emulator): Promise<Measured> {
  const pool = await t.pool();
  const specPath = join(logDir, `load-${t.name}-${connections}.json`);
  writeFileSync(specPath, JSON.stringify({
    url: t.url, path: t.path, connections, warmupSeconds: WARMUP, durationSeconds: DURATION, contentType: t.contentType, pool,
  }));
  const child = fork(resolve(import.meta.dirname, 'load.mjs'), [specPath], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  const killTimer = setTimeout(() => child.kill('SIGKILL'), (WARMUP + DURATION + 60) * 1000);
  let before: { server: number; emulator: number; load: number } | undefined;
  let rss: ReturnType<typeof sampleRss> | undefined;
  let loadCpu = 0;
  try {
    const result = await new Promise<LoadResult>((done, fail) => {
      child.on('message', (m: { phase: string; result?: LoadResult }) => {
        if (m.phase === 'measure') {
          before = { server: cpuSeconds(t.proc.pid), emulator: cpuSeconds(emulator.proc.pid), load: cpuSeconds(child.pid!) };
          rss = sampleRss(t.proc.pid);
        } else if (m.phase === 'done' && m.result) {
          loadCpu = cpuSeconds(child.pid!) - before!.load;
          done(m.result);
        }
      });
      child.on('exit', (code) => fail(new Error(`load generator exited with ${code} before reporting`)));
    });
    const serverCpu = cpuSeconds(t.proc.pid) - before!.server;
    const emulatorCpu = cpuSeconds(emulator.proc.pid) - before!.emulator;
    const mem = rss!.stop();
    const per = (seconds: number) => (seconds * 1000) / Math.max(1, result.completed);
    return {
      ...result, target: t.name, connections, round,
      serverCpuMsPerReq: per(serverCpu),
      emulatorCpuMsPerReq: t.usesEmulator ? per(emulatorCpu) : undefined,
      loadCpuMsPerReq: per(loadCpu),
      maxRssMb: mem.maxRssMb, hwmMb: mem.hwmMb,
    };
  } finally {
    clearTimeout(killTimer);
    rss?.stop();
  }
}

/** One request outside the measurement, to fail early with a readable reason. */
async function sanityCheck(t: Target): Promise<void> {
  const [e] = await t.pool();
  const res = await fetch(`${t.url}${t.path}`, {
    method: 'POST', headers: { authorization: e!.authorization, 'content-type': t.contentType }, body: e!.body,
  });
  const body = await res.text();
  if (res.status !== 200 || !/"(token|access_token)":"ey/.test(body)) {
    throw new Error(`${t.name}: sanity request answered ${res.status} ${body.slice(0, 300)}`);
  }
}

/**
 * Writes bench/profiles/<label>-<process>.txt from each stopped process's .cpuprofile (read
 * while the private build, whose source maps name the original files, still exists).
 */
function summarizeProfiles(label: string): void {
  const out = resolve(ROOT, 'bench/profiles');
  mkdirSync(out, { recursive: true });
  for (const d of readdirSync(logDir).filter((f) => f.startsWith('prof-'))) {
    for (const f of readdirSync(join(logDir, d)).filter((x) => x.endsWith('.cpuprofile'))) {
      const r = spawnSync(process.execPath, [resolve(ROOT, 'bench/support/summarize-profile.mjs'), join(logDir, d, f), '--top', '30'], { encoding: 'utf8' });
      const target = join(out, `${label}-${d.slice('prof-'.length)}.txt`);
      writeFileSync(target, r.stdout.replace(join(logDir, d, f), `${d.slice('prof-'.length)} (${f})`));
      process.stderr.write(`profile summary: ${target}\n`);
    }
  }
}

async function main(): Promise<void> {
  const stops: Array<() => Promise<void>> = [];
  let pg: PostgresServer | undefined;
  try {
    const emulator = await startEmulator(bin, IDENTITIES, logDir, [...words(process.env.BENCH_EMULATOR_NODE_ARGS), ...profileArgs('aws-emulator')]);
    stops.push(() => emulator.proc.stop());
    const ctx = {
      bin, emulator, logDir, tokensPerIdentity: POOL, profileArgs, stops,
      runTokensPerIdentity: Math.ceil((MAX_RATE * (WARMUP + DURATION)) / IDENTITIES),
      serveArgs: words(process.env.BENCH_SERVE_ARGS), serveNodeArgs: words(process.env.BENCH_SERVE_NODE_ARGS),
      postgres: async () => (pg ??= await startPostgres()),
    };
    const targets: Target[] = [];
    for (const name of TARGETS) targets.push(await startTarget(name, ctx));
    for (const t of targets) await sanityCheck(t);

    const results: Measured[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      for (const c of CONNECTIONS) {
        for (const t of targets) {
          process.stderr.write(`round ${round}/${ROUNDS}: ${t.name} at ${c} connections (${WARMUP} s warm-up + ${DURATION} s)...\n`);
          const m = await measure(t, c, round, emulator);
          process.stderr.write(`  ${num(m.reqPerSecMedian)} req/s, p50 ${num(m.latencyP50, 1)} ms, p99 ${num(m.latencyP99, 1)} ms, non-2xx ${m.non2xx}, errors ${m.errors}\n`);
          results.push(m);
        }
      }
    }
    if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(results, null, 2));
    report(results, {
      durationSeconds: DURATION, warmupSeconds: WARMUP, rounds: ROUNDS, connections: CONNECTIONS, identities: IDENTITIES, tokens: Math.ceil((MAX_RATE * (WARMUP + DURATION)) / IDENTITIES) * IDENTITIES,
    });
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await pg?.stop();
    if (PROFILE) summarizeProfiles(PROFILE);
    if (process.env.BENCH_KEEP_LOGS) process.stderr.write(`process output kept in ${logDir}\n`);
    else rmSync(logDir, { recursive: true, force: true });
  }
}

await main();
