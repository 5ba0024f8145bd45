// `npm run bench:cli`: CLI start-up against `node -e 0`, in one run. See bench/README.md.
//
// Builds the CLI (private copy), starts `latchkey serve --dev` with HOME and the XDG
// directories in a temp dir, logs in for real (`latchkey auth login`, the dev login), stops
// the server, and times with hyperfine (Debian's package; installed when missing, else a
// built-in repeated-run timer): `node -e 0`, `latchkey --version`, `latchkey --help`, and
// `latchkey auth token` answered from the token cache — with the API URL from the environment
// (no config file), and from `config.yaml` (parsed in the first warm-up run, then read from
// the parsed-config cache) — each in this shell's
// environment and in a clean one, against `node -e 0` in the same environment.
//
// Settings (environment): BENCH_RUNS (per command per round, default 40), BENCH_ROUNDS
// (default 3; commands interleave across rounds, medians of the rounds' medians).

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtBinary } from '../support/built-binary.js';
import { runToEnd, startProcess } from '../support/processes.js';
import { markdownTable, median, num, verdict } from '../support/table.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = 5;

interface Timing {
  medianMs: number;
  meanMs: number;
  cpuMs: number;
}

function ensureHyperfine(): boolean {
  if (spawnSync('hyperfine', ['--version']).status === 0) return true;
  process.stderr.write('hyperfine is missing: installing Debian\'s package\n');
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), 'install', '-y', '-qq', 'hyperfine'], { stdio: 'inherit', env, timeout: 300_000 });
  return spawnSync('hyperfine', ['--version']).status === 0;
}

/** hyperfine -N (no shell) over `commands`; wall median/mean and user+system CPU mean, in ms. */
function hyperfine(commands: string[], env: NodeJS.ProcessEnv, dir: string): Timing[] {
  const out = join(dir, 'hyperfine.json');
  const r = spawnSync('hyperfine', ['-N', '--warmup', String(WARMUP), '--runs', String(RUNS), '--export-json', out, ...commands],
    { env, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`hyperfine failed: ${r.stderr}`);
  const json = JSON.parse(readFileSync(out, 'utf8')) as { results: Array<{ median: number; mean: number; user: number; system: number }> };
  return json.results.map((x) => ({ medianMs: x.median * 1000, meanMs: x.mean * 1000, cpuMs: (x.user + x.system) * 1000 }));
}

/** The same measurement without hyperfine: spawnSync in a loop, wall time only. */
function fallbackTimer(commands: string[][], env: NodeJS.ProcessEnv): Timing[] {
  return commands.map(([file, ...args]) => {
    const walls: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const t0 = performance.now();
      const r = spawnSync(file!, args, { env, stdio: 'ignore', timeout: 30_000 });
      const wall = performance.now() - t0;
      if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} exited with ${r.status}`);
      if (i >= WARMUP) walls.push(wall);
    }
    return { medianMs: median(walls), meanMs: walls.reduce((a, b) => a + b, 0) / walls.length, cpuMs: NaN };
  });
}

async function main(): Promise<void> {
  const bin = builtBinary();
  const home = mkdtempSync(join(tmpdir(), 'latchkey-bench-cli-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache'),
    XDG_DATA_HOME: join(home, '.local/share'), NO_COLOR: '1',
  };
  mkdirSync(join(home, 'logs'), { recursive: true });
  try {
    // A real login against a real server: the dev login of `latchkey serve --dev`.
    const { proc, match } = await startProcess(process.execPath, [bin, 'serve', '--dev', '--port', '0'], {
      name: 'serve-dev', logDir: join(home, 'logs'), env, ready: /^.*"latchkey serving".*$/m, timeoutMs: 60_000,
    });
    const api = (JSON.parse(match[0]) as { address: string }).address;
    const withApi = { ...env, LATCHKEY_PLATFORM_API: api };
    try {
      const login = await runToEnd(process.execPath, [bin, 'auth', 'login'], { env: withApi, timeoutMs: 60_000 });
      if (login.code !== 0) throw new Error(`latchkey auth login failed: ${login.stderr}`);
    } finally {
      await proc.stop();
    }
    // The same cached token, found through config.yaml instead of the environment.
    const configHome = join(home, 'with-config');
    const withConfig = { ...env, XDG_CONFIG_HOME: configHome };
    const set = await runToEnd(process.execPath, [bin, 'config', 'set', 'platform.api', api], { env: withConfig, timeoutMs: 30_000 });
    if (set.code !== 0) throw new Error(`latchkey config set failed: ${set.stderr}`);
    for (const e of [withApi, withConfig]) {
      const tok = spawnSync(process.execPath, [bin, 'auth', 'token'], { env: e, encoding: 'utf8', timeout: 30_000 });
      if (tok.status !== 0 || !/^ey[\w-]+\.[\w-]+\.[\w-]+\n$/.test(tok.stdout)) {
        throw new Error(`auth token did not print a cached token (server stopped): ${tok.stderr}`);
      }
    }

    const node = process.execPath;
    // Two environments. "inherited": this shell's environment (minus LATCHKEY_*, AWS_* and XDG_*,
    // with HOME and XDG in the temp dir) — what a user of this machine gets, and it sets
    // NODE_EXTRA_CA_CERTS, which costs every node process ~40 ms of CA parsing at start-up.
    // "clean": PATH, HOME and XDG only — Node's bare start-up, the strictest baseline.
    const inherited: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!/^(LATCHKEY_|AWS_|XDG_)/.test(k)) inherited[k] = v;
    const envs = { inherited: { ...inherited, ...env }, clean: env };
    // hyperfine takes one environment per invocation: commands are grouped by what they add to it.
    const extras: Record<string, NodeJS.ProcessEnv> = { none: {}, api: { LATCHKEY_PLATFORM_API: api }, config: { XDG_CONFIG_HOME: configHome } };
    const commands: Array<{ label: string; cmd: string[]; extra: keyof typeof extras }> = [
      { label: '`node -e 0`', cmd: [node, '-e', '0'], extra: 'none' },
      { label: '`latchkey --version`', cmd: [node, bin, '--version'], extra: 'none' },
      { label: '`latchkey --help`', cmd: [node, bin, '--help'], extra: 'none' },
      { label: '`latchkey auth token` (cached; API from LATCHKEY_PLATFORM_API)', cmd: [node, bin, 'auth', 'token'], extra: 'api' },
      { label: '`latchkey auth token` (cached; API from config.yaml)', cmd: [node, bin, 'auth', 'token'], extra: 'config' },
    ];
    const useHyperfine = ensureHyperfine();
    const perRound = new Map<string, Timing[][]>(Object.keys(envs).map((k) => [k, commands.map(() => [])]));
    for (let round = 1; round <= ROUNDS; round++) {
      process.stderr.write(`round ${round}/${ROUNDS} (${RUNS} runs per command)...\n`);
      for (const [name, base] of Object.entries(envs)) {
        for (const [group, extra] of Object.entries(extras)) {
          const idx = commands.map((c, i) => (c.extra === group ? i : -1)).filter((i) => i >= 0);
          const e = { ...base, ...extra };
          const timings = useHyperfine
            ? hyperfine(idx.map((i) => commands[i]!.cmd.map((w) => (/\s/.test(w) ? `'${w}'` : w)).join(' ')), e, home)
            : fallbackTimer(idx.map((i) => commands[i]!.cmd), e);
          idx.forEach((i, k) => perRound.get(name)![i]!.push(timings[k]!));
        }
      }
    }
    process.stdout.write(`\nCLI start-up: ${useHyperfine ? 'hyperfine -N' : 'built-in timer'}, ${WARMUP} warm-up + ${RUNS} runs per command per round, `
      + `${ROUNDS} rounds (commands interleaved); medians of the rounds' medians. Ratios against \`node -e 0\` in the same environment.\n`);
    const checks: string[][] = [];
    for (const name of Object.keys(envs)) {
      const rounds = perRound.get(name)!;
      const med = (i: number, f: (t: Timing) => number) => median(rounds[i]!.map(f));
      const base = { wall: med(0, (t) => t.medianMs), cpu: med(0, (t) => t.cpuMs) };
      const ratioOf = (i: number) => med(i, (t) => t.medianMs) / base.wall;
      const table = commands.map((c, i) => [
        c.label, num(med(i, (t) => t.medianMs), 1), `${num(ratioOf(i), 2)}×`,
        useHyperfine ? num(med(i, (t) => t.cpuMs), 1) : '–', useHyperfine ? `${num(med(i, (t) => t.cpuMs) / base.cpu, 2)}×` : '–',
      ]);
      process.stdout.write(`\nEnvironment: ${name}\n\n${markdownTable(['command', 'median ms', 'vs node -e 0', 'user+sys CPU ms', 'CPU vs node -e 0'], table)}\n`);
      checks.push(
        [`\`latchkey --version\` ÷ \`node -e 0\` (${name})`, '≤ 1.2', num(ratioOf(1), 2), verdict(ratioOf(1) <= 1.2)],
        [`cached \`latchkey auth token\` ÷ \`node -e 0\` (${name}; API from the environment)`, '≤ 1.5', num(ratioOf(3), 2), verdict(ratioOf(3) <= 1.5)],
        [`cached \`latchkey auth token\` ÷ \`node -e 0\` (${name}; API from config.yaml)`, '≤ 1.5', num(ratioOf(4), 2), verdict(ratioOf(4) <= 1.5)],
      );
    }
    process.stdout.write(`\n${markdownTable(['target', 'required', 'measured', 'verdict'], checks)}\n`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

await main();
