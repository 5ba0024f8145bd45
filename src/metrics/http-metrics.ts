// Request latency by route pattern (never the raw URL: ids would make unbounded label sets),
// exchange outcomes by stable code, store refusals, and the public /metrics route itself.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Metrics } from './metrics.js';

const EXCHANGE_ROUTE = '/sts/exchange';
const errorCodes = new WeakMap<FastifyRequest, string>();

/** Installs the hooks and GET /metrics on `app`. Call before routes are registered. */
export function httpMetrics(metrics: Metrics): (app: FastifyInstance) => void {
  return (app) => {
    // Callback-style hooks: no promise per request on the exchange's hot path.
    app.addHook('onError', (req, _reply, err, done) => {
      const code = typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : 'INTERNAL';
      errorCodes.set(req, code);
      if (code === 'STORE_UNAVAILABLE') {
        const driver = (err as { detail?: { code?: unknown } }).detail?.code;
        metrics.storeErrors.inc({ code: typeof driver === 'string' ? driver : 'unknown' });
      }
      done();
    });
    app.addHook('onResponse', (req, reply, done) => {
      const route = req.routeOptions.url ?? 'unmatched';
      const status = reply.statusCode;
      metrics.httpDuration.observe({ method: req.method, route, status: `${Math.floor(status / 100)}xx` }, reply.elapsedTime / 1000);
      if (route === EXCHANGE_ROUTE) {
        const granted = status < 400;
        metrics.exchanges.inc({ outcome: granted ? 'granted' : 'refused', code: granted ? 'OK' : (errorCodes.get(req) ?? `HTTP_${status}`) });
      }
      done();
    });
    app.get('/metrics', { config: { auth: { public: true } }, schema: { hide: true } }, async (_req, reply) => {
      const { body, contentType } = await metrics.scrape();
      reply.header('content-type', contentType).header('cache-control', 'no-store');
      return body;
    });
  };
}
