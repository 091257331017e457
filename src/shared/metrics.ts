import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of one app instance: in the process's registry (which collects the process
 * metrics itself), or in a registry of its own with them (tests build many apps).
 */
export const createMetrics = (shared?: Registry) => {
  const registry = shared ?? new Registry();
  if (!shared) collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'gateway_http_request_duration_seconds',
    help: 'HTTP request duration by route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const webhooks = new Counter({
    name: 'gateway_webhooks_total',
    help: 'Provider webhooks by route and outcome (handled, replayed, rejected)',
    labelNames: ['route', 'outcome'] as const,
    registers: [registry],
  });
  return { registry, httpDuration, webhooks };
};

export type Metrics = ReturnType<typeof createMetrics>;
