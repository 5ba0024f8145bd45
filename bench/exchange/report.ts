// The exchange benchmark's tables: per target and connection count, medians over rounds, and
// ratios taken within each round (then their median), never across rounds.

import { markdownTable, median, num, verdict } from '../support/table.js';

export interface LoadResult {
  reqPerSecMedian: number;
  reqPerSecMean: number;
  latencyP50: number;
  latencyP99: number;
  completed: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, { count: number }>;
}

export interface Measured extends LoadResult {
  target: string;
  connections: number;
  round: number;
  serverCpuMsPerReq: number;
  emulatorCpuMsPerReq?: number;
  loadCpuMsPerReq: number;
  maxRssMb: number;
  hwmMb: number;
}

export interface ReportSettings {
  durationSeconds: number;
  warmupSeconds: number;
  rounds: number;
  connections: number[];
  identities: number;
  tokens: number;
}

/** The median over rounds of a metric of (target, connections). */
function med(results: Measured[], target: string, c: number, f: (m: Measured) => number | undefined): number | undefined {
  const xs = results.filter((m) => m.target === target && m.connections === c).map(f).filter((x): x is number => x !== undefined);
  return xs.length ? median(xs) : undefined;
}

/** The median over rounds of a per-round ratio a/b of one metric. */
function medRatio(results: Measured[], a: string, b: string, c: number, f: (m: Measured) => number): number | undefined {
  const xs: number[] = [];
  for (const r of new Set(results.map((m) => m.round))) {
    const ma = results.find((m) => m.target === a && m.connections === c && m.round === r);
    const mb = results.find((m) => m.target === b && m.connections === c && m.round === r);
    if (ma && mb && f(mb) > 0) xs.push(f(ma) / f(mb));
  }
  return xs.length ? median(xs) : undefined;
}

/** Prints the results table and the targets with their verdicts. */
export function report(results: Measured[], o: ReportSettings): void {
  const errorsOf = (m: Measured) => m.non2xx + m.errors + m.timeouts;
  const names = [...new Set(results.map((m) => m.target))];
  const rows: string[][] = [];
  for (const c of o.connections) {
    for (const t of names) {
      const rps = (m: Measured) => m.reqPerSecMedian;
      rows.push([
        t, String(c),
        num(med(results, t, c, rps)),
        num(med(results, t, c, (m) => m.latencyP50), 1),
        num(med(results, t, c, (m) => m.latencyP99), 1),
        String(results.filter((m) => m.target === t && m.connections === c).reduce((s, m) => s + errorsOf(m), 0)),
        num(med(results, t, c, (m) => m.serverCpuMsPerReq), 3),
        num(med(results, t, c, (m) => m.emulatorCpuMsPerReq), 3),
        num(med(results, t, c, (m) => m.loadCpuMsPerReq), 3),
        num(Math.max(...results.filter((m) => m.target === t && m.connections === c).map((m) => m.maxRssMb))),
        num(medRatio(results, t, 'ceiling', c, rps), 2),
        num(medRatio(results, t, 'peer', c, rps), 2),
        num(medRatio(results, t, 'ceiling', c, (m) => m.latencyP99), 2),
      ]);
    }
  }
  process.stdout.write(`\nExchange benchmark: ${o.durationSeconds} s measured after ${o.warmupSeconds} s warm-up, ${o.rounds} round(s), medians over rounds; `
    + `${o.identities} identities, ${o.tokens} distinct tokens per Latchkey run, each sent once.\n\n`);
  process.stdout.write(`${markdownTable(
    ['target', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'server CPU ms/req', 'emulator CPU ms/req', 'load gen CPU ms/req', 'server RSS MB',
      'req/s ÷ ceiling', 'req/s ÷ peer', 'p99 ÷ ceiling'],
    rows,
  )}\n\n`);

  const rps = (m: Measured) => m.reqPerSecMedian;
  const has = (t: string) => names.includes(t);
  // One-time credentials on (the default) against off (the "+off" variant), per backend.
  const onOff: string[][] = [];
  for (const base of ['latchkey-sqlite', 'latchkey-postgres']) {
    if (!has(base) || !has(`${base}+off`)) continue;
    for (const c of o.connections) {
      onOff.push([base.slice('latchkey-'.length), String(c),
        num(med(results, base, c, rps)), num(med(results, `${base}+off`, c, rps)), num(medRatio(results, base, `${base}+off`, c, rps), 2),
        num(medRatio(results, base, `${base}+off`, c, (m) => m.latencyP99), 2),
        num(medRatio(results, base, `${base}+off`, c, (m) => m.serverCpuMsPerReq), 2)]);
    }
  }
  if (onOff.length) {
    process.stdout.write(`${markdownTable(['backend', 'conns', 'req/s on', 'req/s off', 'req/s on ÷ off', 'p99 on ÷ off', 'server CPU/req on ÷ off'], onOff)}\n\n`);
  }
  const c64 = o.connections.includes(64) ? 64 : Math.max(...o.connections);
  const c16 = o.connections.includes(16) ? 16 : Math.min(...o.connections);
  const lk = 'latchkey-sqlite';
  const checks: Array<[string, string, number | undefined, (v: number) => boolean]> = [];
  if (has(lk) && has('peer')) checks.push([`exchange (SQLite, ${c64} conns) req/s ÷ peer`, '≥ 1.5', medRatio(results, lk, 'peer', c64, rps), (v) => v >= 1.5]);
  if (has(lk) && has('ceiling')) {
    checks.push([`exchange (SQLite, ${c64} conns) req/s ÷ ceiling`, '≥ 0.5', medRatio(results, lk, 'ceiling', c64, rps), (v) => v >= 0.5]);
    checks.push([`exchange p99 (${c16} conns) ÷ ceiling p99`, '≤ 3', medRatio(results, lk, 'ceiling', c16, (m) => m.latencyP99), (v) => v <= 3]);
  }
  if (has(lk) && has('latchkey-postgres')) {
    checks.push([`PostgreSQL exchange req/s ÷ SQLite (${c64} conns)`, '≥ 0.8', medRatio(results, 'latchkey-postgres', lk, c64, rps), (v) => v >= 0.8]);
  }
  const lkRuns = results.filter((m) => m.target.startsWith('latchkey'));
  checks.push(['errors in every Latchkey run (non-2xx, socket errors, timeouts)', '= 0', lkRuns.reduce((s, m) => s + errorsOf(m), 0), (v) => v === 0]);
  checks.push(['server RSS under exchange load (max, MB)', '≤ 200', lkRuns.length ? Math.max(...lkRuns.map((m) => m.maxRssMb)) : undefined, (v) => v <= 200]);
  process.stdout.write(`${markdownTable(['target', 'required', 'measured', 'verdict'],
    checks.map(([what, req, v, ok]) => [what, req, num(v, 2), verdict(v === undefined ? undefined : ok(v))]))}\n`);
}
