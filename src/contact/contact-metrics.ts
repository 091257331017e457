import { Counter, type Registry } from 'prom-client';

/** What the contact engine did, for the operators' scraper (the worker's /metrics). */
export const createContactMetrics = (registry: Registry) => ({
  decisions: new Counter({
    name: 'gateway_contact_decisions_total',
    help: 'Outbound contacts by channel, kind and outcome (sent, deferred, suppressed, refused) with the reason',
    labelNames: ['channel', 'kind', 'outcome', 'reason'] as const,
    registers: [registry],
  }),
  rateWaits: new Counter({
    name: 'gateway_contact_rate_waits_total',
    help: "Sends that waited for their sender's rate (waited: slept under a second; requeued: put back in the queue)",
    labelNames: ['outcome'] as const,
    registers: [registry],
  }),
});

export type ContactMetrics = ReturnType<typeof createContactMetrics>;
