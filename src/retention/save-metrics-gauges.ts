import { Gauge, type Registry } from 'prom-client';
import type { Queryable } from '../db/pool.js';
import type { Clock } from '../shared/clock.js';
import { findSaveMetrics, type SaveMetrics } from './save-metrics.js';

/** The window the Prometheus gauges cover: cases decided in the last 90 days. */
const WINDOW_DAYS = 90;

/**
 * Retention figures as Prometheus gauges, read from the database when scraped (one query set per
 * scrape, shared by the gauges): save rate and counts by reason and by offer, transfers bridged,
 * abandoned on hold and without a specialist, and the median seconds to a specialist.
 */
export const registerSaveMetricsGauges = (registry: Registry, deps: { db: Queryable; clock: Clock }) => {
  if (registry.getSingleMetric('gateway_retention_save_rate')) return;
  let pending: Promise<SaveMetrics> | null = null;
  const read = () => {
    pending ??= findSaveMetrics(deps.db, {
      from: new Date(deps.clock.now().getTime() - WINDOW_DAYS * 86_400_000), to: deps.clock.now(), now: deps.clock.now(),
    }).finally(() => setTimeout(() => { pending = null; }, 1_000));
    return pending;
  };
  new Gauge({
    name: 'gateway_retention_save_rate', help: `Retention save rate (saved / (saved + lost)) of cases decided in the last ${WINDOW_DAYS} days, by reason or offer ("all" for every case)`,
    labelNames: ['by', 'key'] as const, registers: [registry],
    async collect() {
      const m = await read();
      this.reset();
      for (const [by, rows] of [['all', [m.total]], ['reason', m.byReason], ['offer', m.byOffer]] as const) {
        for (const r of rows) if (r.saveRate !== null) this.set({ by, key: r.key }, r.saveRate);
      }
    },
  });
  new Gauge({
    name: 'gateway_retention_cases', help: `Retention cases decided in the last ${WINDOW_DAYS} days by reason and standing (saved, lost, pending)`,
    labelNames: ['reason', 'standing'] as const, registers: [registry],
    async collect() {
      const m = await read();
      this.reset();
      for (const r of m.byReason) for (const standing of ['saved', 'lost', 'pending'] as const) this.set({ reason: r.key, standing }, r[standing]);
    },
  });
  new Gauge({
    name: 'gateway_transfers', help: `Warm transfers requested in the last ${WINDOW_DAYS} days by how they stand`,
    labelNames: ['standing'] as const, registers: [registry],
    async collect() {
      const t = (await read()).transfers;
      this.set({ standing: 'requested' }, t.requested);
      this.set({ standing: 'bridged' }, t.bridged);
      this.set({ standing: 'abandoned-on-hold' }, t.abandonedOnHold);
      this.set({ standing: 'no-specialist' }, t.noSpecialist);
    },
  });
  new Gauge({
    name: 'gateway_transfer_seconds_to_bridge', help: `Seconds from hold to a specialist accepting, over the last ${WINDOW_DAYS} days`,
    labelNames: ['quantile'] as const, registers: [registry],
    async collect() {
      const s = (await read()).transfers.secondsToBridge;
      this.reset();
      if (s.median !== null) this.set({ quantile: '0.5' }, s.median);
      if (s.p90 !== null) this.set({ quantile: '0.9' }, s.p90);
    },
  });
};
