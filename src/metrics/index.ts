// The metrics context: one Prometheus registry per server, and what records into it.
export { Metrics, type MetricSources } from './metrics.js';
export { httpMetrics } from './http-metrics.js';
export { instrumentSts } from './instrument-sts.js';
