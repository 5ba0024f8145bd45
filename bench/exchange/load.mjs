// The load generator: a separate process running autocannon against one target. Started by
// run.ts with child_process.fork; reads its spec from the JSON file named by argv[2]:
//   { url, path, connections, warmupSeconds, durationSeconds, contentType, pool: [{authorization, body}] }
// Every request takes the next entry of `pool` (distinct signed tokens, round robin), so no two
// consecutive requests on the server carry the same credential. Sends {phase:'measure'} over
// IPC right before the measured run (after the warm-up) and {phase:'done', result} at the end.
// Every run is bounded by its duration and autocannon's per-request timeout.

import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let next = 0;
const pool = spec.pool;

function options(duration) {
  return {
    url: spec.url,
    connections: spec.connections,
    duration,
    pipelining: 1,
    timeout: 10,
    requests: [{
      method: 'POST',
      path: spec.path,
      headers: { 'content-type': spec.contentType },
      setupRequest(req) {
        const e = pool[next++ % pool.length];
        return { ...req, headers: { ...req.headers, authorization: e.authorization }, body: e.body };
      },
    }],
  };
}

/** Latency quantile in ms, from autocannon's per-response hrtime durations (its own histogram
 * rounds to whole milliseconds, too coarse for a 2 ms p50). */
function quantile(sorted, q) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN;
}

if (spec.warmupSeconds > 0) await autocannon(options(spec.warmupSeconds));
process.send({ phase: 'measure' });
let latencies = new Float64Array(1 << 16);
let n = 0;
const instance = autocannon(options(spec.durationSeconds));
instance.on('response', (_client, status, _bytes, responseTime) => {
  if (status < 200 || status > 299) return;
  if (n === latencies.length) {
    const bigger = new Float64Array(latencies.length * 2);
    bigger.set(latencies);
    latencies = bigger;
  }
  latencies[n++] = responseTime;
});
const r = await instance;
const sorted = latencies.subarray(0, n).sort();
const completed = (r['1xx'] ?? 0) + (r['2xx'] ?? 0) + (r['3xx'] ?? 0) + (r['4xx'] ?? 0) + (r['5xx'] ?? 0);
process.send({
  phase: 'done',
  result: {
    reqPerSecMedian: r.requests.p50,
    reqPerSecMean: r.requests.average,
    latencyP50: quantile(sorted, 0.5),
    latencyP99: quantile(sorted, 0.99),
    completed,
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes: r.statusCodeStats,
    durationSeconds: r.duration,
  },
}, () => process.exit(0));
