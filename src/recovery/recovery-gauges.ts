import { Gauge, type Registry } from 'prom-client';
import type { Queryable } from '../db/pool.js';
import type { Clock } from '../shared/clock.js';
import { findRecoveryReport, type RecoveryReport } from './recovery-report.js';

/** The window the gauges cover: recoveries begun in the last 90 days. */
const WINDOW_DAYS = 90;

/**
 * Failed-debit recovery as Prometheus gauges, read from the database when scraped (one report per
 * scrape, shared by the gauges): recoveries by standing, the recovery rate, amounts recovered, and
 * the funnel by step.
 */
export const registerRecoveryGauges = (registry: Registry, deps: { db: Queryable; clock: Clock; scheduleSteps: readonly string[] }) => {
  if (registry.getSingleMetric('gateway_recovery_rate')) return;
  let pending: Promise<RecoveryReport> | null = null;
  const read = () => {
    const now = deps.clock.now();
    pending ??= findRecoveryReport(deps.db, { from: new Date(now.getTime() - WINDOW_DAYS * 86_400_000), to: now, scheduleSteps: deps.scheduleSteps })
      .finally(() => setTimeout(() => { pending = null; }, 1_000));
    return pending;
  };
  new Gauge({
    name: 'gateway_recoveries', help: `Failed-debit recoveries begun in the last ${WINDOW_DAYS} days by standing (started, recovered, reinstated, closed, active)`,
    labelNames: ['standing'] as const, registers: [registry],
    async collect() {
      const r = await read();
      for (const standing of ['started', 'recovered', 'reinstated', 'closed', 'active'] as const) this.set({ standing }, r[standing]);
    },
  });
  new Gauge({
    name: 'gateway_recovery_rate', help: `Recovered / (recovered + closed) of the recoveries begun in the last ${WINDOW_DAYS} days that have ended`, registers: [registry],
    async collect() {
      const r = await read();
      this.reset();
      if (r.recoveryRate !== null) this.set(r.recoveryRate);
    },
  });
  new Gauge({
    name: 'gateway_recovery_amount_cents', help: `Premiums recovered (in cents) from recoveries begun in the last ${WINDOW_DAYS} days, by currency`,
    labelNames: ['currency'] as const, registers: [registry],
    async collect() {
      const r = await read();
      this.reset();
      for (const a of r.amountRecovered) this.set({ currency: a.currency }, a.cents);
    },
  });
  new Gauge({
    name: 'gateway_recovery_funnel', help: `Recoveries begun in the last ${WINDOW_DAYS} days that reached each step, and that were paid after it (before the next)`,
    labelNames: ['step', 'stage'] as const, registers: [registry],
    async collect() {
      const r = await read();
      this.reset();
      for (const s of r.funnel) {
        this.set({ step: s.stepId, stage: 'reached' }, s.reached);
        this.set({ step: s.stepId, stage: 'recovered-after' }, s.recoveredAfter);
      }
    },
  });
};
