// The server's Prometheus metrics: one registry, created by the composition root and handed to
// whatever records into it. Gauges that mirror state elsewhere (pool usage, key age) are read
// at scrape time through callbacks, so nothing polls.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Values read when /metrics is scraped. Each is optional: absent means "not on this backend". */
export interface MetricSources {
  /** PostgreSQL pool: connections open, idle, and requests waiting for one. */
  poolUsage?: () => { total: number; idle: number; waiting: number } | undefined;
  /** Seconds since the current signing key started signing. */
  signingKeyAgeSeconds?: () => number;
}

export class Metrics {
  readonly registry = new Registry();

  readonly exchanges = new Counter({
    name: 'latchkey_exchanges_total',
    help: 'Token exchanges answered, by outcome (granted, refused) and stable code (OK when granted).',
    labelNames: ['outcome', 'code'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'latchkey_http_request_duration_seconds',
    help: 'HTTP request latency, by method, route pattern and status class.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly storeErrors = new Counter({
    name: 'latchkey_store_errors_total',
    help: 'Requests refused because the database was unavailable (STORE_UNAVAILABLE), by driver code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  readonly exchangeAuditDropped = new Counter({
    name: 'latchkey_exchange_audit_dropped_total',
    help: 'Exchange audit records that could not be kept until the database came back.',
    registers: [this.registry],
  });

  readonly stsDuration = new Histogram({
    name: 'latchkey_sts_request_duration_seconds',
    help: 'Latency of AWS STS GetCallerIdentity calls, by result (ok, or the error code).',
    labelNames: ['result'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly stsErrors = new Counter({
    name: 'latchkey_sts_errors_total',
    help: 'AWS STS calls that failed, by stable code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  readonly cacheInvalidations = new Counter({
    name: 'latchkey_cache_invalidations_total',
    help: 'Cache entries dropped, by cache (bindings, identities, keys) and cause (local, notify, ttl, reconnect).',
    labelNames: ['cache', 'cause'] as const,
    registers: [this.registry],
  });

  constructor(sources: MetricSources = {}) {
    collectDefaultMetrics({ register: this.registry, prefix: 'latchkey_' });
    const pool = sources.poolUsage;
    if (pool) {
      new Gauge({
        name: 'latchkey_db_pool_connections',
        help: 'PostgreSQL pool connections, by state (total, idle, waiting = requests queued for one).',
        labelNames: ['state'] as const,
        registers: [this.registry],
        collect() {
          const u = pool();
          if (!u) return;
          this.set({ state: 'total' }, u.total);
          this.set({ state: 'idle' }, u.idle);
          this.set({ state: 'waiting' }, u.waiting);
        },
      });
    }
    const keyAge = sources.signingKeyAgeSeconds;
    if (keyAge) {
      new Gauge({
        name: 'latchkey_signing_key_age_seconds',
        help: 'Seconds since the key that signs tokens now started signing.',
        registers: [this.registry],
        collect() {
          this.set(keyAge());
        },
      });
    }
  }

  /** The exposition: body and its Content-Type. */
  async scrape(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
