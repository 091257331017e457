import type { Queryable } from '../db/pool.js';

/** One line of the funnel: a step of the schedule, how many recoveries reached it, and how many were paid after it (before the next). */
export type FunnelStep = { stepId: string; reached: number; recoveredAfter: number; amountCentsAfter: number };

/** Failed-debit recovery's figures over recoveries begun in a window. Money in integer cents, by currency where it matters. */
export type RecoveryReport = {
  from: string;
  to: string;
  started: number;
  /** Paid before the end of grace, or within the reinstatement window. */
  recovered: number;
  reinstated: number;
  /** Ended unpaid. */
  closed: number;
  active: number;
  /** recovered / (recovered + closed): of the recoveries that have ended; null when none ended. */
  recoveryRate: number | null;
  /** Hours from the failed charge to the payment, over the recovered. */
  hoursToRecovery: { median: number | null; p90: number | null };
  amountRecovered: { currency: string; cents: number }[];
  byChannel: { channel: string; recovered: number; cents: number }[];
  funnel: FunnelStep[];
};

/**
 * The report of recoveries begun in [from, to): how many, how many recovered (and how fast), the
 * amounts, the channel each was paid on, and the funnel by step (`scheduleSteps` gives the order;
 * a payment counts for the last step run before it; one before any step counts as 'before-any-step').
 */
export const findRecoveryReport = async (db: Queryable, q: { from: Date; to: Date; scheduleSteps: readonly string[] }): Promise<RecoveryReport> => {
  const window = [q.from, q.to];
  const [{ rows: [t] }, { rows: amounts }, { rows: channels }, { rows: steps }] = await Promise.all([
    db.query<{ started: number; recovered: number; reinstated: number; closed: number; active: number; median: number | null; p90: number | null }>(
      `select count(*)::int as started,
              count(*) filter (where outcome in ('paid', 'reinstated'))::int as recovered,
              count(*) filter (where outcome = 'reinstated')::int as reinstated,
              count(*) filter (where outcome = 'closed')::int as closed,
              count(*) filter (where outcome is null)::int as active,
              percentile_cont(0.5) within group (order by extract(epoch from paid_at - failed_at) / 3600) filter (where paid_at is not null) as median,
              percentile_cont(0.9) within group (order by extract(epoch from paid_at - failed_at) / 3600) filter (where paid_at is not null) as p90
         from recoveries where started_at >= $1 and started_at < $2`, window),
    db.query<{ currency: string; cents: string }>(
      `select currency, sum(amount_cents)::text as cents from recoveries
        where started_at >= $1 and started_at < $2 and outcome in ('paid', 'reinstated') group by currency order by currency`, window),
    db.query<{ channel: string; recovered: number; cents: string }>(
      `select coalesce(paid_channel, 'unknown') as channel, count(*)::int as recovered, sum(amount_cents)::text as cents from recoveries
        where started_at >= $1 and started_at < $2 and outcome in ('paid', 'reinstated') group by 1 order by 2 desc, 1`, window),
    db.query<{ step: string; reached: number; after: number; cents: string }>(
      `with r as (select * from recoveries where started_at >= $1 and started_at < $2),
            reached as (select s as step, count(*)::int as reached from r, unnest(r.steps_done) s group by s),
            after as (select coalesce(last_step_id, 'before-any-step') as step, count(*)::int as after, sum(amount_cents)::text as cents
                        from r where outcome in ('paid', 'reinstated') group by 1)
       select coalesce(reached.step, after.step) as step, coalesce(reached.reached, 0) as reached, coalesce(after.after, 0) as after, coalesce(after.cents, '0') as cents
         from reached full join after on after.step = reached.step`, window),
  ]);
  const byStep = new Map(steps.map((s) => [s.step, s]));
  const order = ['before-any-step', ...q.scheduleSteps, ...steps.map((s) => s.step).filter((s) => s !== 'before-any-step' && !q.scheduleSteps.includes(s))];
  const ended = t!.recovered + t!.closed;
  return {
    from: q.from.toISOString(), to: q.to.toISOString(),
    started: t!.started, recovered: t!.recovered, reinstated: t!.reinstated, closed: t!.closed, active: t!.active,
    recoveryRate: ended ? t!.recovered / ended : null,
    hoursToRecovery: { median: t!.median === null ? null : Math.round(t!.median * 10) / 10, p90: t!.p90 === null ? null : Math.round(t!.p90 * 10) / 10 },
    amountRecovered: amounts.map((a) => ({ currency: a.currency, cents: Number(a.cents) })),
    byChannel: channels.map((c) => ({ channel: c.channel, recovered: c.recovered, cents: Number(c.cents) })),
    funnel: order.filter((s) => s !== 'before-any-step' || byStep.has(s)).map((stepId) => {
      const s = byStep.get(stepId);
      return { stepId, reached: s?.reached ?? 0, recoveredAfter: s?.after ?? 0, amountCentsAfter: Number(s?.cents ?? 0) };
    }),
  };
};
